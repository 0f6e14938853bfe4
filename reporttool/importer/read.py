"""Source files → paragraphs of text, in order, with page furniture removed.

A Word table's rows are Row paragraphs: they read as the text of their cells joined by “　”,
and keep the cells and their place in the table, so the importer can name each cell's figure
by its row and column (小学 · 在校生数) and keep the table's totals.
"""

from __future__ import annotations

import re
from pathlib import Path

from reporttool.load.decode import decode

# Text a web page or a document site puts around or inside a report: never part of it.
_FURNITURE_LINES = re.compile(r"^\s*(当前位置\s*[:：]|首页\s*>|上一篇|下一篇|本文来源|责任编辑|免责声明|版权所有)")
_WATERMARKS = re.compile(r"来自\s*[\u4e00-\u9fff]{1,8}\s*[A-Za-z0-9]+(?:\.[A-Za-z]{2,6})+")


class ReadError(Exception):
    pass


class Row(str):
    """One row of a Word table: its text is the cells joined by “　”."""

    cells: tuple[str, ...]
    table: int  # which table of the document (0, 1, …)
    number: int  # which row of its table (0 is the first)

    def __new__(cls, cells: list[str], table: int, number: int) -> Row:
        row = super().__new__(cls, "　".join(cell for cell in cells if cell))
        row.cells, row.table, row.number = tuple(cells), table, number
        return row


def read_paragraphs(path: str) -> list[str]:
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        paragraphs = _docx(path)
    else:
        data = Path(path).read_bytes()
        decoded = decode(data, path)
        if decoded.text is None:
            raise ReadError(decoded.problems[0].message)
        paragraphs = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return clean(paragraphs)


def _docx(path: str) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(path)
    except Exception as exc:  # python-docx raises many kinds for a broken or foreign file
        raise ReadError(f"不是有效的 Word 文档（.docx）：{type(exc).__name__}") from exc
    out: list[str] = []
    tables = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            out.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        elif element.tag == qn("w:tbl"):
            for index, row in enumerate(element.iter(qn("w:tr"))):
                cells = ["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                out.append(Row(cells, tables, index))
            tables += 1
    return out


_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")  # Word's manual line break and web text: new paragraphs
_INVISIBLE_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


def clean(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, Row):  # cells cleaned one by one; a row with nothing in it is dropped
            cells = [" ".join(_INVISIBLE_JUNK.sub("", _WATERMARKS.sub("", c)).split()) for c in paragraph.cells]
            if any(cells):
                out.append(Row(cells, paragraph.table, paragraph.number))
            continue
        for piece in _BREAKS.split(paragraph):
            if _FURNITURE_LINES.match(piece):
                continue
            piece = _INVISIBLE_JUNK.sub("", _WATERMARKS.sub("", piece)).strip().strip("\u3000")
            if piece:
                out.append(piece)
    return out


_PART_MARK = re.compile(r"^(?P<title>.+?)\s*篇\s*(?P<n>[0-9一二三四五六七八九十]+)\s*$")


def split_reports(paragraphs: list[str]) -> list[tuple[str | None, list[str]]]:
    """"… 篇1", "… 篇2" headings start separate reports; a lone title line before them is dropped."""
    marks = [i for i, p in enumerate(paragraphs) if _PART_MARK.match(p) and len(p) < 60]
    if not marks:
        return [(None, paragraphs)]
    reports = []
    for n, start in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else len(paragraphs)
        match = _PART_MARK.match(paragraphs[start])
        assert match is not None  # marks holds the lines it matches
        title = match.group("title").strip()
        reports.append((title, paragraphs[start + 1:end]))
    return reports
