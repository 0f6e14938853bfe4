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


# Limits, checked before anything is parsed: a report's text is a few hundred KB (a 60,000-line one
# about 3 MB); a .docx is a ZIP whose parts python-docx reads whole, so each part's unpacked size and
# the package's are bounded (a 1 MB file can unpack to gigabytes), and so is the packing ratio of
# any big part (text XML packs 5–20 times; a bomb packs a thousand times).
MAX_TEXT_BYTES = 10 * 1024 * 1024
MAX_DOCX_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
MAX_RATIO, RATIO_FROM = 200, 4 * 1024 * 1024


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_paragraphs(path: str) -> list[str]:
    suffix = Path(path).suffix.lower()
    size = Path(path).stat().st_size
    limit = MAX_DOCX_BYTES if suffix == ".docx" else MAX_TEXT_BYTES
    if size > limit:
        raise ReadError(f"文件过大（{_mb(size)}，上限 {_mb(limit)}），未导入；请检查是否选错了文件")
    if suffix == ".docx":
        paragraphs = _docx(path)
    else:
        data = Path(path).read_bytes()[:limit + 1]  # it may have grown since the stat
        if len(data) > limit:
            raise ReadError(f"文件过大（超过 {_mb(limit)}），未导入；请检查是否选错了文件")
        decoded = decode(data, path)
        if decoded.text is None:
            raise ReadError(decoded.problems[0].message)
        paragraphs = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs = clean(paragraphs)
    if not any(paragraph.strip() for paragraph in paragraphs):
        raise ReadError("文件中没有文字（可能只有图片，或是扫描件），未导入；扫描件请先用文字识别（OCR）转成文字")
    return paragraphs


def _check_package(path: str) -> None:
    """Refuse, before python-docx reads it, a file that is no ZIP package or would unpack too big."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except zipfile.BadZipFile as exc:
        with open(path, "rb") as handle:
            head = handle.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReadError("这是旧版 Word 文档（.doc），不是 .docx；请在 Word 或 WPS 中另存为 .docx 后再导入") from exc
        if head.startswith(b"PK"):
            raise ReadError("不是完整的 Word 文档（.docx）：文件不完整或已损坏（ZIP 结构无法读取）") from exc
        raise ReadError("不是 Word 文档（.docx）：文件不是 ZIP 格式（可能只是改了扩展名）") from exc
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_PART_BYTES or (
                member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
            raise ReadError(f"Word 文档中的“{member.filename}”解压后有 {_mb(member.file_size)}"
                            f"（压缩时 {_mb(member.compress_size)}），超过上限，可能是恶意构造的文件，未导入")
    if total > MAX_PACKAGE_BYTES:
        raise ReadError(f"Word 文档解压后共 {_mb(total)}，超过上限 {_mb(MAX_PACKAGE_BYTES)}，未导入")
    if "word/document.xml" not in {member.filename for member in members}:
        raise ReadError("不是 Word 文档（.docx）：压缩包中没有正文（word/document.xml）")


def _docx(path: str) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    _check_package(path)
    try:
        document = Document(path)
    except Exception as exc:  # python-docx raises many kinds for a broken or foreign file
        name = type(exc).__name__
        reason = ("其中的 XML 无法解析（损坏、嵌套过深或不是 Word 写的）" if name == "XMLSyntaxError"
                  else "不是 Word 文档的结构（可能是 Excel、PowerPoint 或其他 ZIP 文件）" if name in (
                      "PackageNotFoundError", "KeyError", "ValueError") else f"无法读取（{name}）")
        raise ReadError(f"不是有效的 Word 文档（.docx）：{reason}") from exc
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
