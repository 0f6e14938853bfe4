"""A checked draft → the .docx bytes: template chosen, blocks composed, the house style applied.

Reading the draft and writing the file are the caller's (reporttool.api): this step only turns a
checked report into a document, so a program can render to bytes without touching the disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reporttool.check.config import Config
from reporttool.check.draft import check_loaded
from reporttool.kinds import KINDS
from reporttool.load.files import load_bytes
from reporttool.problems import Problem, Severity

if TYPE_CHECKING:  # the type only: a validate (which imports this module through the API) never needs it
    from reporttool.render import prewarm


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
                 place_record: bool = True, helper: prewarm.Helper | None = None) -> Rendered:
    """Check the draft in `data` and render it; raises RenderError when it must not be rendered.

    `helper` (the render command's forked process, render/prewarm.py) composes and writes the
    document while the rules run, when it can; what it cannot do is done here, the same way."""
    from reporttool.render import house_style

    template = template_name(template)
    try:  # read before the check, for the helper; a broken style is reported after the draft's errors
        style_data, style_error = house_style.load(style), None
    except house_style.StyleError as exc:
        style_data, style_error = None, exc
    handed_over = False

    def hand_over(report) -> None:
        nonlocal handed_over
        handed_over = helper is not None and style_data is not None and helper.compose(
            report, template, indicators, style_data)

    try:
        problems, report = check_loaded(load_bytes(data, name), config, hand_over if helper is not None else None)
    except Exception as exc:  # as in check: any input ends as a located problem, never a traceback
        from reporttool import messages

        raise RenderError("检查草稿时出错，未排版", 2, [messages.make(
            "internal/error", name, detail=f"{type(exc).__name__}: {exc}")]) from exc
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if report is None:
        raise RenderError("草稿有错误，未排版", 1, problems)
    if errors and not allow_errors:
        raise RenderError("草稿有错误，未排版（确认无误后可用 --allow-errors 照样排版）", 1, problems)
    if style_data is None:
        assert style_error is not None
        raise RenderError("版式文件有误，未排版", 2, style_error.problems) from style_error
    made = helper.composed() if handed_over and helper is not None else None
    if made is not None:
        blocks, docx, notes = made
    else:
        blocks = _compose(report, template, indicators, style_data)

    def write() -> bytes:
        from reporttool.render.docx_writer import Writer

        title, author = report.title.value, report.issuer.value if report.issuer else ""
        if helper is not None:
            written = helper.write(style_data, blocks, title, author, report.date)
            if written is not None:
                return written
        writer = Writer(style_data)
        writer.write(blocks)
        writer.metadata(title, author, date=report.date)
        return writer.to_bytes()

    if made is None:
        from reporttool.render.compose import render_notes

        docx, notes = write(), render_notes(report, indicators)
    converted = None
    record = [b for b in blocks if b.style in house_style.RECORD_STYLES]
    if record and place_record:
        docx, converted = _record_on_an_even_page(docx, record, write, style_data)
    return Rendered(docx, problems + notes, len(blocks), converted)


def _compose(report, template: str | None, indicators: bool, style_data) -> list:
    from reporttool.render import compose

    try:
        return compose.compose(report, template, indicators, style=style_data)
    except compose.ComposeError as exc:
        raise RenderError(str(exc)) from exc
    except Exception as exc:  # a user's template can fail in ways Jinja does not wrap (1/0)
        raise RenderError(f"模板出错：{type(exc).__name__}: {exc}") from exc


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
