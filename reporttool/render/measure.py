"""What a printed document looks like, read back: the lines of each page of the PDF (their
baseline, extent, text and face), each tied to the paragraph of the .docx it prints.

The PDF is read with pdfminer.six (characters with their positions and fonts); the paragraphs
come from the .docx itself, so a line is known as a heading, body text, 署名 or a table cell by
the style of the paragraph it prints, not guessed from its look.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from reporttool.render.docx_writer import style_id_of
from reporttool.render.house_style import RECORD_STYLES

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SPACE = re.compile(r"\s+")

# the kind of line each house-style paragraph style prints, by the style id the docx writer gives it
_KINDS = {style_id_of(name): kind for kind, names in {
    "title": ("title",), "signature": ("signature", "date"), "heading": ("attachment_heading",),
    "table": ("table", "table_header"), "record": RECORD_STYLES,
    "masthead": ("mark", "doc_number", "copy_number", "secrecy", "urgency")}.items() for name in names}
_HEADING = re.compile(r"^(?:Heading|heading ?)[1-9]$")


@dataclass
class Paragraph:
    text: str  # without whitespace: what the PDF's lines of it concatenate to
    kind: str  # body, heading, title, signature, table
    new_page: bool = False  # a page break before it: the page before may end short
    row: int | None = None  # the table row it is in (counted through the document)


@dataclass
class Line:
    page: int
    baseline: float  # points from the top of the page
    x0: float
    x1: float
    text: str
    size: float
    fonts: list[str] = field(default_factory=list)  # the faces of its characters (subset prefix removed)
    paragraph: int | None = None  # index in the document's paragraphs; None: not matched
    first: bool = False  # the first line of its paragraph
    last: bool = False  # the last line of its paragraph


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]


def paragraphs(docx: bytes) -> list[Paragraph]:
    """The paragraphs of the body in order (table cells row by row), with their kind."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    body = root.find(f"{{{_W}}}body")
    out: list[Paragraph] = []
    if body is None:
        return out
    pending_break = False
    rows = {tr: n for n, tr in enumerate(body.iter(f"{{{_W}}}tr"))}  # the elements kept alive: stable keys
    for p in body.iter(f"{{{_W}}}p"):
        style = p.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
        style_id = style.get(f"{{{_W}}}val", "") if style is not None else ""
        row = next((rows.get(a) for a in p.iterancestors() if a.tag == f"{{{_W}}}tr"), None)
        in_table = row is not None
        kind = "table" if in_table else _KINDS.get(style_id, "heading" if _HEADING.match(style_id) else "body")
        breaks = p.findall(f".//{{{_W}}}br")
        new_page = pending_break or p.find(f"{{{_W}}}pPr/{{{_W}}}pageBreakBefore") is not None
        text = _SPACE.sub("", "".join(t.text or "" for t in p.iter(f"{{{_W}}}t")))
        pending_break = any(b.get(f"{{{_W}}}type") == "page" for b in breaks) or \
            p.find(f"{{{_W}}}pPr/{{{_W}}}sectPr") is not None
        if text:
            out.append(Paragraph(text, kind, new_page, row))
        elif new_page:
            pending_break = True
    return out


def pages(pdf: bytes) -> list[Page]:
    """Each page's printed lines, top to bottom (characters on one baseline make a line)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    out = []
    for number, layout in enumerate(extract_pages(io.BytesIO(pdf), laparams=LAParams()), start=1):
        chars: list = []
        stack: list = [layout]
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar):
                chars.append(item)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
        out.append(Page(number, layout.width, layout.height, _lines(chars, number, layout.height)))
    return out


def _lines(chars: list, number: int, height: float) -> list[Line]:
    rows: list[list] = []
    for ch in sorted(chars, key=lambda c: (-c.matrix[5], c.x0)):
        baseline = height - ch.matrix[5]
        if rows and abs(rows[-1][0] - baseline) <= max(ch.size, 1) * 0.35:
            rows[-1][1].append(ch)
        else:
            rows.append([baseline, [ch]])
    out = []
    for baseline, row in rows:
        row.sort(key=lambda c: c.x0)
        text = _SPACE.sub("", "".join(c.get_text() for c in row))
        if not text:
            continue
        sizes = sorted(c.size for c in row)
        out.append(Line(number, baseline, row[0].x0, row[-1].x1, text, sizes[len(sizes) // 2],
                        [c.fontname.split("+", 1)[-1] for c in row]))
    return out


def tie(printed: list[Page], document: list[Paragraph], body_bottom: float) -> None:
    """Tie each line above `body_bottom` (the folio is below it) to the paragraph it prints:
    lines consume the paragraphs' text in order; a line that matches nowhere near stays untied."""
    at, used = 0, 0  # the paragraph being printed, and how much of its text is
    for page in printed:
        for line in page.lines:
            if line.baseline > body_bottom:
                continue
            rest = line.text
            while rest and at < len(document):
                remaining = document[at].text[used:]
                if remaining.startswith(rest):
                    _mark(line, at, used == 0, len(rest) == len(remaining))
                    used += len(rest)
                    rest = ""
                elif rest.startswith(remaining):  # table cells side by side: one line, several paragraphs
                    _mark(line, at, used == 0, True)
                    rest, at, used = rest[len(remaining):], at + 1, 0
                else:
                    found = _resync(document, at, rest)
                    if found is None:
                        break
                    at, used = found
            if at < len(document) and used >= len(document[at].text):
                at, used = at + 1, 0


def _mark(line: Line, index: int, first: bool, last: bool) -> None:
    if line.paragraph is None:
        line.paragraph, line.first = index, first
    line.last = last


def _resync(document: list[Paragraph], at: int, text: str) -> tuple[int, int] | None:
    """Where `text` is printed from, looking a little ahead (a table's cells wrap out of order)."""
    for index in range(at, min(at + 40, len(document))):
        position = document[index].text.find(text)
        if position >= 0 and (index > at or position > 0):
            return index, position
    return None


LEEWAY = 1  # pt: a baseline this far below the text block's edge is still in it (rounding)


@dataclass
class ReadBack:
    """A PDF read back against its .docx: the pages, the paragraphs, and the lower edge of the text
    block (the folio is below it), every line above that edge tied to its paragraph."""

    pages: list[Page]
    document: list[Paragraph]
    body_bottom: float  # points from the top of the page

    def body(self, page: Page) -> list[Line]:
        return [line for line in page.lines if line.baseline <= self.body_bottom + LEEWAY]

    def record_pages(self) -> list[int]:
        """The pages the 版记 prints on (the document's last is the one that counts)."""
        return sorted({line.page for page in self.pages for line in self.body(page)
                       if line.paragraph is not None and self.document[line.paragraph].kind == "record"})


def read_back(docx: bytes, pdf: bytes, style) -> ReadBack:
    page = style["page"]
    bottom = (page["height_mm"] - page["bottom_mm"]) * 72 / 25.4
    result = ReadBack(pages(pdf), paragraphs(docx), bottom)
    tie(result.pages, result.document, bottom + LEEWAY)
    return result


def record_page(docx: bytes, pdf: bytes, style) -> int | None:
    """The page the 版记 prints on (None: the document has none, or it was not found)."""
    found = read_back(docx, pdf, style).record_pages()
    return found[-1] if found else None
