"""Model → Jinja template → small semantic markup → blocks.

Templates decide order and phrasing; they emit markup such as <h1>, <p>, <signature>, with
autoescaping on, so draft text can never become markup or template code. The markup is then
parsed into Blocks, which the docx writer maps to named styles.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

from reporttool.kinds import KINDS
from reporttool.model import references
from reporttool.model.numerals import chinese_numeral
from reporttool.model.report import Block as ModelBlock
from reporttool.model.report import Part, Report, Text
from reporttool.model.report import item_numbering as model_item_numbering
from reporttool.problems import Problem
from reporttool.resources import templates_dir

if TYPE_CHECKING:
    from reporttool.render.house_style import HouseStyle

# markup tag → paragraph style of the house style
BLOCK_TAGS = {"title": "title", "recipient": "recipient", "p": "body", "h1": "heading1", "h2": "heading2",
              "h3": "heading3", "h4": "heading4", "signature": "signature", "date": "date",
              "attachment-note": "attachment_note", "attachment-heading": "attachment_heading",
              # 版头, 附注 and 版记 (GB/T 9704 7.2, 7.3.6, 7.4)
              "copy-number": "copy_number", "secrecy": "secrecy", "urgency": "urgency", "mark": "mark",
              "doc-number": "doc_number", "note": "note", "record-cc": "record_cc", "record-print": "record_print"}
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
    # Indents and spacing the template set for this block (None: the style's own). In 字 and
    # lines; first_line_chars < 0 is a hanging indent (附件说明: wrapped lines under the name).
    left_chars: float | None = None
    first_line_chars: float | None = None
    space_before_lines: float | None = None
    space_after_lines: float | None = None
    # a right tab stop this many 字 inside the text block's right edge: 签发人 on the 文号's line,
    # 印发日期 on the 印发机关's (None: no such stop)
    right_tab: float | None = None
    paragraph_align: str | None = None  # the template's own alignment of a paragraph (None: the style's)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def compose(report: Report, template: str | None = None, indicators: bool = False,
            style: HouseStyle | None = None) -> list[Block]:
    """The report as blocks; `style` (default: the bundled house style) sizes automatic title breaks."""
    return parse_markup(render_markup(report, template, indicators, style), body_chars_per_line(style))


def render_markup(report: Report, template: str | None = None, indicators: bool = False,
                  style: HouseStyle | None = None) -> str:
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
    per_line = title_chars_per_line(style)
    env.filters.update(paragraphs=paragraphs, refs=lambda text: expand_references(text, index),
                       cn=chinese_numeral, ordinal=ordinal, date_cn=date_cn, bracketed=bracketed,
                       joined=lambda items: joined_items(items, index), sentence=sentence, width=text_width,
                       circled=lambda items: circled_items(items, index),
                       title_lines=lambda title, lines=None: title_lines(title, lines, per_line))
    from reporttool.render import house_style

    layout = (style or house_style.load()).data.get("closing", {})
    env.globals.update(indicator_rows=lambda: indicator_rows(report), sealed=bool(layout.get("seal", False)),
                       attachment_list=lambda: attachment_list(report, indicators),
                       numbering=lambda holder: item_numbering(report, holder))
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


def title_chars_per_line(style: HouseStyle | None = None) -> float:
    """How many 2号 title characters fit on a line of the text block (about 20 in the default style)."""
    from reporttool.render import house_style

    style = style or house_style.load()
    page, title = style["page"], style.style("title")
    width_pt = (float(page["width_mm"]) - float(page["left_mm"]) - float(page["right_mm"])) * 72 / 25.4
    char_pt = house_style.points(title["size"]) + float(style["grid"].get("char_spacing_pt", 0))
    return width_pt / char_pt


def body_chars_per_line(style: HouseStyle | None = None) -> float:
    """Characters on a line of body text (the grid's 28), to tell how many lines a paragraph takes."""
    from reporttool.render import house_style

    return float((style or house_style.load())["grid"]["chars"])


def title_lines(title: Text | str, explicit: list[str] | None, chars_per_line: float) -> list[str]:
    """A title's lines: the writer's own (title_lines, when they join to the title), else whole-word
    breaks in a 梯形/菱形 shape from reporttool.render.title, else one line."""
    text = (title.value if isinstance(title, Text) else title).strip()
    if explicit:
        lines = [line.strip() for line in explicit if line.strip()]
        if "".join(lines) == text:  # structure/title-lines reports lines that do not
            return lines
    if text_width(text) <= chars_per_line or _break_title is None:
        return [text]  # fits on one line: the segmenter is not even loaded
    lines = [line for line in _break_title(text, chars_per_line) if line]
    return lines if "".join(lines) == text else [text]  # a break may never change the words


try:  # the title breaker is optional until it ships; without it a long title wraps by itself
    from reporttool.render.title import break_title as _imported_break_title
except ImportError:  # pragma: no cover - depends on the checkout
    _break_title: Callable[[str, float], list[str]] | None = None
else:
    _break_title = _imported_break_title


LEVELS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}  # GB/T 9704 7.3.3: 一、 （一） 1. （1）


def ordinal(n: int, level: int) -> str:
    """The number of a heading or item at `level`: 一、 （一） 1. （1）."""
    return LEVELS[level].format(chinese_numeral(n) if level <= 2 else n)


def item_numbering(report: Report, holder: ModelBlock | Part) -> str:
    """run-in or numbered for the items of a section or part (reporttool.model.report.item_numbering)."""
    return model_item_numbering(report, holder)


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
    try:
        day = Date.fromisoformat(iso)
    except ValueError:  # still “____” (rendered only with --allow-errors): print it as written
        return iso
    return f"{day.year}年{day.month}月{day.day}日"


def bracketed(text: str) -> str:
    """附注 in round brackets (GB/T 9704 7.3.6), unless the writer already put them."""
    text = text.strip()
    return text if text.startswith(("（", "(")) and text.endswith(("）", ")")) else f"（{text}）"


def sentence(text: str) -> str:
    """A heading used run-in ends with 。 (GB/T 15834 practice): add it unless punctuated."""
    return text if text[-1:] in "。！？：；" else text + "。"


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是")


def joined_items(items: list[ModelBlock], index: references.Index) -> str:
    """Items as one paragraph: 一是……；二是……。 (an item already starting with 一是 keeps it).
    An item's sub-items follow it run-in: 一是……：（1）……，（2）……；二是……, and a sub-item's
    details follow it: （1）……：①……、②……"""
    pieces = []
    for number, item in enumerate(items, start=1):
        body = _run_in_body(item, index)
        if not _ORDINAL.match(body):
            body = f"{chinese_numeral(number)}是{body}"
        if item.items:
            subs = "，".join(ordinal(k, 4) + _run_in_body(sub, index) + _run_in_details(sub, index)
                            for k, sub in enumerate(item.items, start=1))
            body += ("" if body.endswith(("：", ":")) else "：") + subs
        pieces.append(body)
    return "；".join(pieces) + "。" if pieces else ""


def circled_items(items: list[ModelBlock], index: references.Index) -> str:
    """Items below （1） (GB/T 9704 has no fifth level) as one paragraph: ①……；②……。"""
    pieces = [circled(k) + _run_in_body(item, index) for k, item in enumerate(items, start=1)]
    return "；".join(pieces) + "。" if pieces else ""


def circled(n: int) -> str:
    """①…⑳, ㉑…㊿ (Unicode has circled numbers to 50), then n)."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"{n})"


def _run_in_body(item: ModelBlock, index: references.Index) -> str:
    """An item's heading (as a sentence) and text in one run, references filled, end mark dropped."""
    body = "".join(paragraphs(item.text))
    if item.heading is not None:
        body = sentence(item.heading.value.strip()) + body
    return expand_references(body, index).rstrip("。；;，,")


def _run_in_details(item: ModelBlock, index: references.Index) -> str:
    if not item.items:
        return ""
    details = "、".join(circled(k) + _run_in_body(detail, index) for k, detail in enumerate(item.items, start=1))
    return ("" if _run_in_body(item, index).endswith(("：", ":")) else "：") + details


@dataclass
class AttachmentView:
    """An attachment as the template lists and prints it."""

    number: int  # its number in 附件说明
    title: str
    title_lines: list[str] | None
    text: Text | None = None
    rows: list[list[str]] | None = None  # the 主要指标一览表, its header row first

    @property
    def page(self) -> bool:
        """Something to print: an attachment with a title only is listed, never a blank page."""
        return self.text is not None or bool(self.rows)


INDICATORS_TITLE = "主要指标一览表"
INDICATORS_HEADER = ["指标", "数值", "比上年或目标"]


def indicators_target(report: Report) -> int | None:
    """The declared attachment the indicators table fills: one marked `indicators: true`, else an
    empty one named …指标一览表 (the annual example's kind of declaration), else None."""
    for position, attachment in enumerate(report.attachments):
        if attachment.indicators:
            return position
    for position, attachment in enumerate(report.attachments):
        if attachment.text is None and "指标一览表" in attachment.title.value:
            return position
    return None


def attachment_list(report: Report, indicators: bool = False) -> list[AttachmentView]:
    """The attachments in 附件说明 order. The indicators table goes into the declared indicators
    attachment (never a second one); `indicators` adds one only when none is declared, and only
    when there are metrics to list (no header-only table)."""
    rows = indicator_rows(report)
    target = indicators_target(report)
    wanted = indicators or any(a.indicators for a in report.attachments)
    out = []
    for position, attachment in enumerate(report.attachments):
        view = AttachmentView(position + 1, attachment.title.value.strip(), attachment.title_lines, attachment.text)
        if wanted and position == target and rows:
            view.rows = [INDICATORS_HEADER] + rows
        out.append(view)
    if indicators and target is None and rows:
        out.append(AttachmentView(len(out) + 1, INDICATORS_TITLE, None, rows=[INDICATORS_HEADER] + rows))
    return out


def render_notes(report: Report, indicators: bool = False) -> list[Problem]:
    """What rendering left out and the check cannot know: `--indicators` on a draft with no metrics."""
    from reporttool import messages

    if not indicators or indicator_rows(report) or indicators_target(report) is not None:
        return []  # a declared attachment is reported by structure/empty-attachment already
    return [messages.make("structure/empty-attachment", report.file, variant="flag", title=INDICATORS_TITLE,
                          hint="在各部分的 metrics 中登记指标后再用 --indicators")]


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


ALIGNMENTS = ("left", "center", "right")


def parse_markup(markup: str, chars_per_line: float = 28) -> list[Block]:
    """Markup → blocks. Block attributes: keep="1" (a page never ends after it), right / left /
    first (indents in 字; first < 0 hangs), before / after (space in lines); <br/> inside a block
    is a line break ("\n"); <table header="N" align="left,right,…">; <pagebreak/> starts the next
    block on a new page; <nobreak/> between two blocks keeps the one before with the one after,
    <nobreak lines="N"/> only when the one before takes at most N lines (of `chars_per_line`)."""
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
        if tag == "nobreak":
            limit = _number(element, "lines")
            if blocks and (limit is None or line_count(blocks[-1], chars_per_line) <= limit):
                blocks[-1].keep_with_next = True
            continue
        if tag == "table":
            rows = [[(cell.text or "") for cell in row] for row in element if row.tag == "row"]
            if not rows:
                continue  # no header-only or empty table
            block = Block("table", rows=rows, page_break_before=page_break,
                          header_rows=int(_number(element, "header", 1) or 0), align=_alignments(element))
        elif tag in BLOCK_TAGS:
            runs = _runs(element)
            if not runs:
                continue  # an empty optional part leaves no blank paragraph
            block = Block(BLOCK_TAGS[tag], runs, page_break_before=page_break,
                          right_chars=_number(element, "right"), left_chars=_number(element, "left"),
                          first_line_chars=_number(element, "first"),
                          space_before_lines=_number(element, "before"),
                          space_after_lines=_number(element, "after"), right_tab=_number(element, "tab-right"),
                          paragraph_align=_alignment(element))
        else:
            raise ComposeError(f"模板输出了不认识的标记 <{tag}>")
        block.keep_with_next = element.get("keep") in ("1", "true")
        blocks.append(block)
        page_break = False
    return blocks


def line_count(block: Block, chars_per_line: float) -> int:
    """About how many lines a paragraph takes (its first-line indent included; 2 字 unless set)."""
    indent = block.first_line_chars if block.first_line_chars is not None else 2
    return sum(max(1, math.ceil((text_width(line) + (indent if n == 0 else 0)) / chars_per_line))
               for n, line in enumerate(block.text.split("\n")))


def _runs(element: ET.Element) -> list[tuple[str, str | None]]:
    """The runs of a block: text, <r s="headingN"> runs, and <br/> as "\n"; neighbours of one style merge."""
    runs: list[tuple[str, str | None]] = []

    def add(text: str | None, style: str | None) -> None:
        if not text:
            return
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + text, style)
        else:
            runs.append((text, style))

    add(element.text, None)
    for child in element:
        if child.tag == "br":
            add("\n", None)
        elif child.tag == "r" and child.get("s") in RUN_STYLES:
            add(child.text, child.get("s"))
            for inner in child:  # a line break inside a run
                if inner.tag != "br":
                    raise ComposeError(f"模板输出了不认识的标记 <{inner.tag}>")
                add("\n", child.get("s"))
                add(inner.tail, child.get("s"))
        else:
            raise ComposeError(f"模板输出了不认识的标记 <{child.tag}>")
        add(child.tail, None)
    if all(not text.strip() for text, _ in runs):
        return []
    return runs


def _number(element: ET.Element, name: str, default: float | None = None) -> float | None:
    value = element.get(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ComposeError(f"模板输出的 <{element.tag} {name}=\"{value}\"> 不是数字") from exc


def _alignment(element: ET.Element) -> str | None:
    value = element.get("align")
    if value is not None and value not in ALIGNMENTS:
        raise ComposeError(f"模板输出的对齐方式“{value}”无效（可用：{'、'.join(ALIGNMENTS)}）")
    return value


def _alignments(element: ET.Element) -> list[str] | None:
    value = element.get("align")
    if value is None:
        return None
    found = [item.strip() for item in value.split(",")]
    if any(item not in ALIGNMENTS for item in found):
        raise ComposeError(f"模板输出的表格对齐方式“{value}”无效（可用：{'、'.join(ALIGNMENTS)}）")
    return found
