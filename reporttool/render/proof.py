"""Proof a rendered document: convert it, read the pages back and report what a proof-reader
would mark — a heading left at the foot of a page, a page with only 署名/日期, a blank page, a
page that ends short for no reason, a full line that does not hold the grid's characters, a folio
missing, misnumbered or on the wrong side, a table row split over two pages.

Every figure comes from the house style (grid, margins, folio); findings are Problems, reported
in validate's formats, located by page (path pages[N])."""

from __future__ import annotations

import re
from collections import Counter

from reporttool import messages
from reporttool.problems import Problem
from reporttool.render.house_style import HouseStyle, points
from reporttool.render.measure import LEEWAY, Line, Page, Paragraph, read_back

MM = 72 / 25.4
# a line of ideographs only: its count is the grid's (punctuation is compressed in pairs such as ”，)
_IDEOGRAPHS = re.compile(r"^[\u3400-\u9fff]+$")
# what may push lines to the next page by design: a heading kept with its text, a table row kept
# whole, the closing lines kept with 署名 and 成文日期
_PUSHED = {"heading", "title", "table", "signature"}


def proof(docx: bytes, pdf: bytes, style: HouseStyle, name: str) -> tuple[list[Problem], int]:
    """The layout problems of `pdf` (the PDF of `docx`), and its number of pages."""
    read = read_back(docx, pdf, style)
    document, printed, body_bottom = read.document, read.pages, read.body_bottom
    out: list[Problem] = []

    def emit(rule: str, number: int, variant: str | None = None, **fields) -> None:
        out.append(messages.make(rule, name, path=f"pages[{number}]", variant=variant, page=number, **fields))

    bodies = [read.body(p) for p in printed]
    pitch = style["grid"]["line_pitch_twips"] / 20
    first = _first_baseline(bodies)
    for index, (p, body) in enumerate(zip(printed, bodies)):
        last_page = index == len(printed) - 1
        following = bodies[index + 1] if not last_page else []
        if not body:
            emit("layout/blank-page", p.number)
        elif all(_kind(line, document) == "signature" for line in body):
            emit("layout/signature-alone", p.number)
        if body and not last_page and _kind(body[-1], document) in ("heading", "title") and following:
            emit("layout/heading-last", p.number, text=messages.visible(body[-1].text, 30))
        if body and not last_page and following and first is not None:
            _short_page(emit, p, body, following, document, style, first, pitch)
        _full_lines(emit, p, body, document, style)
        _folio(emit, p, body_bottom, style)
    _split_rows(emit, bodies, document)
    _record(emit, read.record_pages(), len(printed))
    return out, len(printed)


def _record(emit, found: list[int], count: int) -> None:
    """The 版记 on the last page, an even one (封四, GB/T 9704 7.4.1)."""
    if not found:
        return
    page = found[-1]
    if page != count:
        emit("layout/record-page", page, variant="not-last", count=count)
    elif page % 2:
        emit("layout/record-page", page)


def _kind(line: Line, document: list[Paragraph]) -> str:
    return document[line.paragraph].kind if line.paragraph is not None else "unknown"


def _first_baseline(bodies: list[list[Line]]) -> float | None:
    """Where the first grid line prints: the commonest first baseline of the pages."""
    tops = Counter(round(body[0].baseline, 1) for body in bodies if body)
    return tops.most_common(1)[0][0] if tops else None


def _short_page(emit, page: Page, body: list[Line], following: list[Line], document: list[Paragraph],
                style: HouseStyle, first: float, pitch: float) -> None:
    """A page the text runs on from that ends above the last grid line, when nothing on the next
    page explains it (a heading kept with its text, a table row, the closing lines with 署名)."""
    lines = style["grid"]["lines"]
    last_grid = first + (lines - 1) * pitch
    missing = round((last_grid - body[-1].baseline) / pitch)
    if missing < 1:
        return
    head = following[0]
    if head.paragraph is not None and document[head.paragraph].new_page and head.first:
        return  # an attachment or a new section starts on its own page
    if _kind(head, document) in _PUSHED or any(_kind(line, document) == "signature" for line in following[:4]):
        return
    emit("layout/short-page", page.number, lines=lines - missing, expected=lines)


def _full_lines(emit, page: Page, body: list[Line], document: list[Paragraph], style: HouseStyle) -> None:
    """A body line that is not its paragraph's last holds the grid's characters (less the first
    line's indent): only lines of ideographs, whose count the grid alone fixes."""
    chars = style["grid"]["chars"]
    indent = style.style("body").get("first_line_chars", 0)
    body_pt = style.body_pt
    for number, line in enumerate(body, start=1):
        if _kind(line, document) != "body" or line.last or abs(line.size - body_pt) > 0.5:
            continue
        if not _IDEOGRAPHS.match(line.text):
            continue
        expected = chars - (int(indent) if line.first else 0)
        if len(line.text) != expected:
            emit("layout/line-chars", page.number, row=number, chars=len(line.text), expected=expected,
                 text=messages.visible(line.text, 12))
            return  # one a page: the same cause repeats on every line


def _folio(emit, page: Page, body_bottom: float, style: HouseStyle) -> None:
    """The folio below the text block: present, the page's own number, on its side, in its band."""
    spec = style["page_number"]
    below = [line for line in page.lines if line.baseline > body_bottom + LEEWAY]
    if not any(line.baseline <= body_bottom + LEEWAY for line in page.lines):
        return  # a blank page is reported as such
    dash = re.escape(spec.get("dash", ""))
    folio = next((line for line in below if re.fullmatch(f"{dash}([0-9]+){dash}", line.text)), None)
    if folio is None:
        emit("layout/folio", page.number, variant="missing")
        return
    number = int(re.sub(r"\D", "", folio.text))
    if number != page.number:
        emit("layout/folio", page.number, variant="number", number=number)
    side = spec["odd"] if page.number % 2 else spec["even"]
    margin = style["page"]
    left, right = margin["left_mm"] * MM, page.width - margin["right_mm"] * MM
    indent = spec.get("indent_chars", 0) * points(spec["size"])
    at = {"left": abs(folio.x0 - (left + indent)), "right": abs(right - indent - folio.x1),
          "center": abs((folio.x0 + folio.x1) / 2 - (left + right) / 2)}
    if at[side] > points(spec["size"]):  # off by more than a character
        found = min(at, key=at.__getitem__)
        emit("layout/folio", page.number, variant="side", side=messages.SIDES[side], found=messages.SIDES[found])
    drop_mm = (folio.baseline - body_bottom) / MM
    expected = spec.get("below_text_mm", 7)
    if not expected - 3 <= drop_mm - points(spec["size"]) / 2 / MM <= expected + 3:
        emit("layout/folio", page.number, variant="position", below=f"{drop_mm:.1f}", expected=expected)


def _split_rows(emit, bodies: list[list[Line]], document: list[Paragraph]) -> None:
    """A table row whose lines print on two pages was split (the house style keeps rows whole)."""
    pages_of: dict[int, set[int]] = {}
    first_text: dict[int, str] = {}
    for body in bodies:
        for line in body:
            if line.paragraph is None or document[line.paragraph].row is None:
                continue
            row = document[line.paragraph].row
            assert row is not None
            pages_of.setdefault(row, set()).add(line.page)
            first_text.setdefault(row, document[line.paragraph].text)
    for row, found in sorted(pages_of.items()):
        if len(found) > 1:
            emit("layout/row-split", min(found), text=messages.visible(first_text[row], 20))


def proof_docx(docx: bytes, style: HouseStyle, name: str,
               converted: tuple[bytes, list | None] | None = None) -> tuple[list[Problem], bytes, int]:
    """Convert (unless `converted` is the PDF made already), then proof: the problems (the font
    substitutions first), the PDF, its pages."""
    from reporttool.render import pdf as pdf_step

    data, substitutions = converted if converted is not None else pdf_step.convert(docx, style)
    found, count = proof(docx, data, style, name)
    return pdf_step.notes(substitutions, name) + found, data, count


__all__ = ["proof", "proof_docx"]
