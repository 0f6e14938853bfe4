"""Model → Jinja template → small semantic markup → blocks.

Templates decide order and phrasing; they emit markup such as <h1>, <p>, <signature>, with
autoescaping on, so draft text can never become markup or template code. The markup is then
parsed into Blocks, which the docx writer maps to named styles.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from reporttool.kinds import KINDS
from reporttool.model import references
from reporttool.model.numerals import chinese_numeral
from reporttool.model.report import Block as ModelBlock
from reporttool.model.report import Report, Text
from reporttool.resources import templates_dir

# markup tag → paragraph style of the house style
BLOCK_TAGS = {"title": "title", "recipient": "recipient", "p": "body", "h1": "heading1", "h2": "heading2",
              "h3": "heading3", "h4": "heading4", "signature": "signature", "date": "date",
              "attachment-note": "attachment_note", "attachment-heading": "attachment_heading"}
RUN_STYLES = {"heading1", "heading2", "heading3", "heading4"}


class ComposeError(Exception):
    """A template failed (missing name, bad markup): the message says which template and why."""


@dataclass
class Block:
    """One paragraph (or table) of the document, with its house-style name."""

    style: str  # a paragraph style name of the house style, or "table"
    runs: list[tuple[str, str | None]] = field(default_factory=list)  # (text, character style); "\n" = line break
    rows: list[list[str]] | None = None  # a table: rows of cell texts, the first `header_rows` repeat on each page
    page_break_before: bool = False
    right_chars: float | None = None  # a right indent (in 字) the template set for this block
    keep_with_next: bool = False  # never let a page end after this block (headings have it by style)
    header_rows: int = 1  # tables only
    align: list[str] | None = None  # tables only: "left" | "center" | "right" per column

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def compose(report: Report, template: str | None = None, indicators: bool = False) -> list[Block]:
    return parse_markup(render_markup(report, template, indicators))


def render_markup(report: Report, template: str | None = None, indicators: bool = False) -> str:
    from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    search = [str(templates_dir())]
    name = template or KINDS[report.kind].template
    if template and Path(template).is_file():  # a user's template file, next to its own macros
        search.insert(0, str(Path(template).resolve().parent))
        name = Path(template).name
    # Compiling the templates is a third of a render's time; Jinja's bytecode cache (a private
    # directory under the system temp folder, keyed by template source) keeps it for later runs.
    env = SandboxedEnvironment(loader=FileSystemLoader(search), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                               bytecode_cache=_bytecode_cache(FileSystemBytecodeCache))
    index = references.Index(report)
    env.filters.update(paragraphs=paragraphs, refs=lambda text: expand_references(text, index),
                       cn=chinese_numeral, date_cn=date_cn, joined=lambda items: joined_items(items, index),
                       sentence=sentence, width=text_width)
    env.globals.update(indicator_rows=lambda: indicator_rows(report))
    try:
        return env.get_template(name).render(report=report, indicators=indicators)
    except TemplateError as exc:
        lineno: object = getattr(exc, "lineno", None)  # syntax errors carry it, not every TemplateError
        where = f"（第{lineno}行）" if lineno else ""
        raise ComposeError(f"模板“{name}”{where}出错：{exc.message or exc}") from exc


def _bytecode_cache(factory):
    try:
        return factory()
    except (OSError, RuntimeError):  # no usable temp directory: compile every time
        return None


def paragraphs(text: Text | str | None) -> list[str]:
    value = text.value if isinstance(text, Text) else (text or "")
    return [line.strip() for line in value.splitlines() if line.strip()]


def expand_references(text: str, index: references.Index) -> str:
    """【名称】 → “数值单位”. Validation guarantees every reference resolves before rendering."""
    def replace(match: re.Match) -> str:
        name, field_name = references.split_reference(match.group(1))
        metric, _ = index.resolve(name)
        value = references.field_text(metric, field_name) if metric is not None else None
        return value if value is not None else match.group()
    return references.REFERENCE.sub(replace, text)


def text_width(text: str) -> float:
    """Width in 字 (body characters): half-width digits and Latin letters count a half."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def date_cn(iso: str) -> str:
    day = Date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def sentence(text: str) -> str:
    """A heading used run-in ends with 。 (GB/T 15834 practice): add it unless punctuated."""
    return text if text[-1:] in "。！？：；" else text + "。"


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是")


def joined_items(items: list[ModelBlock], index: references.Index) -> str:
    """Items as one paragraph: 一是……；二是……。 (an item already starting with 一是 keeps it)."""
    pieces = []
    for number, item in enumerate(items, start=1):
        body = "".join(paragraphs(item.text))
        if item.heading is not None:
            body = sentence(item.heading.value.strip()) + body
        body = expand_references(body, index).rstrip("。；;")
        if not _ORDINAL.match(body):
            body = f"{chinese_numeral(number)}是{body}"
        pieces.append(body)
    return "；".join(pieces) + "。" if pieces else ""


def indicator_rows(report: Report) -> list[list[str]]:
    """主要指标一览表: name, value, change on last year, or target deadline."""
    rows = []
    for metric in report.metrics:
        if metric.quantity is None:
            continue
        value = references.quantity_text(metric.quantity)
        note = ""
        if metric.change is not None:
            verb = "增加" if metric.change >= 0 else "减少"
            note = f"比上年{verb}{references.field_text(metric, '增减')}"
        elif metric.growth is not None:
            verb = "增长" if metric.growth >= 0 else "下降"
            note = f"比上年{verb}{references.field_text(metric, '增长率')}"
        elif metric.deadline:
            year, _, month = metric.deadline.partition("-")
            note = f"目标，{year}年{int(month.split('-')[0])}月前完成" if month else f"目标，{year}年内完成"
        elif metric.target:
            note = "目标"
        rows.append([metric.name, value, note])
    return rows


def parse_markup(markup: str) -> list[Block]:
    try:
        root = ET.fromstring(f"<doc>{markup}</doc>")
    except ET.ParseError as exc:
        raise ComposeError(f"模板输出的标记无效：{exc}") from exc
    blocks: list[Block] = []
    page_break = False
    for element in root:
        tag = element.tag
        if tag == "pagebreak":
            page_break = True
            continue
        if tag == "table":
            rows = [[(cell.text or "") for cell in row] for row in element if row.tag == "row"]
            blocks.append(Block("table", rows=rows, page_break_before=page_break))
        elif tag in BLOCK_TAGS:
            runs: list[tuple[str, str | None]] = []
            if element.text:
                runs.append((element.text, None))
            for child in element:
                if child.tag != "r" or child.get("s") not in RUN_STYLES:
                    raise ComposeError(f"模板输出了不认识的标记 <{child.tag}>")
                runs.append((child.text or "", child.get("s")))
                if child.tail:
                    runs.append((child.tail, None))
            runs = [(text, style) for text, style in runs if text]
            if not runs:
                continue  # an empty optional part leaves no blank paragraph
            right = element.get("right")
            blocks.append(Block(BLOCK_TAGS[tag], runs, page_break_before=page_break,
                                right_chars=float(right) if right is not None else None))
        else:
            raise ComposeError(f"模板输出了不认识的标记 <{tag}>")
        page_break = False
    return blocks
