"""A checked draft → the .docx bytes: template chosen, blocks composed, the house style applied.

Reading the draft and writing the file are the caller's (reporttool.api): this step only turns a
checked report into a document, so a program can render to bytes without touching the disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from reporttool.check.config import Config
from reporttool.check.draft import check_loaded
from reporttool.kinds import KINDS
from reporttool.load.files import load_bytes
from reporttool.problems import Problem, Severity


class RenderError(Exception):
    """Rendering stopped: `code` is the exit code, `problems` what to show, `message` the reason."""

    def __init__(self, message: str, code: int = 2, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.problems = problems or []


@dataclass
class Rendered:
    """A finished document in memory."""

    docx: bytes
    problems: list[Problem] = field(default_factory=list)  # warnings (or errors under allow_errors)
    blocks: int = 0
    # the PDF LibreOffice made of `docx` while placing the 版记, and its font substitutions
    pdf: tuple[bytes, list | None] | None = None


def template_name(template: str | None) -> str | None:
    """A kind's key (annual, special, half-year) or a template file → the name compose loads."""
    if template is None:
        return None
    if template in KINDS:
        return KINDS[template].template
    if not os.path.isfile(template):
        raise RenderError(f"没有模板“{template}”（可用：{'、'.join(KINDS)}，或模板文件的路径）")
    return template


def render_bytes(data: bytes, name: str, *, config: Config | None = None, template: str | None = None,
                 style: str | None = None, indicators: bool = False, allow_errors: bool = False,
                 place_record: bool = True) -> Rendered:
    """Check the draft in `data` and render it; raises RenderError when it must not be rendered."""
    from reporttool.render import compose, house_style
    from reporttool.render.docx_writer import RECORD_STYLES, Writer

    template = template_name(template)
    try:
        problems, report = check_loaded(load_bytes(data, name), config)
    except Exception as exc:  # as in check: any input ends as a located problem, never a traceback
        from reporttool import messages

        raise RenderError("检查草稿时出错，未排版", 2, [messages.make(
            "internal/error", name, detail=f"{type(exc).__name__}: {exc}")]) from exc
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if report is None:
        raise RenderError("草稿有错误，未排版", 1, problems)
    if errors and not allow_errors:
        raise RenderError("草稿有错误，未排版（确认无误后可用 --allow-errors 照样排版）", 1, problems)
    try:
        style_data = house_style.load(style)
    except house_style.StyleError as exc:
        raise RenderError("版式文件有误，未排版", 2, exc.problems) from exc
    try:
        blocks = compose.compose(report, template, indicators, style=style_data)
    except compose.ComposeError as exc:
        raise RenderError(str(exc)) from exc
    except Exception as exc:  # a user's template can fail in ways Jinja does not wrap (1/0)
        raise RenderError(f"模板出错：{type(exc).__name__}: {exc}") from exc
    def write() -> bytes:
        writer = Writer(style_data)
        writer.write(blocks)
        writer.metadata(report.title.value, report.issuer.value if report.issuer else "", date=report.date)
        return writer.to_bytes()

    docx = write()
    converted = None
    record = [b for b in blocks if b.style in RECORD_STYLES]
    if record and place_record:
        docx, converted = _record_on_an_even_page(docx, record, write, style_data)
    return Rendered(docx, problems + compose.render_notes(report, indicators), len(blocks), converted)


def _record_on_an_even_page(docx: bytes, record: list, write, style_data) -> tuple[bytes, tuple | None]:
    """GB/T 9704 7.4.1: the 版记 closes the last page, an even one (封四). Where the text ends is
    known only from a layout: when LibreOffice is installed, the document is converted and, if
    the 版记 fell on an odd page, it starts a page of its own (the next, even, one). Without
    LibreOffice it stays at the foot of the last page, and `proof` says when that page is odd."""
    from reporttool.render import measure
    from reporttool.render import pdf as pdf_step

    if pdf_step.soffice() is None:
        return docx, None
    try:
        converted = pdf_step.convert(docx, style_data)
    except pdf_step.PdfError:
        return docx, None
    page = measure.record_page(docx, converted[0], style_data)
    if page is None or page % 2 == 0:
        return docx, converted
    record[0].page_break_before = True
    return write(), None
