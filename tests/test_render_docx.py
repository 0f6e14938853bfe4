"""The .docx as Word and other readers see it: schema-valid, Word-native headings, minimal true
package parts, reproducible bytes, pagination properties, tables, folio and date arithmetic.

Real files from the real renderer; openxml-audit (ECMA-376, office2016) and pandoc read them back.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, ROOT

ANNUAL = EXAMPLES / "annual-county.yaml"
TWIPS_PER_MM = 1440 / 25.4
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def long_draft(**sizes) -> str:
    sys.path.insert(0, str(ROOT))
    from bench.make_draft import make_draft

    return make_draft(**sizes)


def render(text: str, **options) -> bytes:
    from reporttool.api import render_text

    return render_text(text, **options).docx


DOCUMENTS = {
    "annual-county": lambda: render(ANNUAL.read_text(encoding="utf-8")),
    "annual-indicators": lambda: render(ANNUAL.read_text(encoding="utf-8"), indicators=True),
    "special-balanced-education": lambda: render((EXAMPLES / "special-balanced-education.yaml").read_text("utf-8")),
    "half-year": lambda: render((EXAMPLES / "half-year.yaml").read_text(encoding="utf-8")),
    "formal-report": lambda: render((EXAMPLES / "formal-report.yaml").read_text(encoding="utf-8")),  # 版头, 版记
    "long": lambda: render(long_draft()),  # ~25,000 characters, 200 metrics
    "long-table": lambda: render(long_draft(sections=4, items_per_section=5, sentences=4), indicators=True),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for name, make in DOCUMENTS.items():
        out[name] = folder / f"{name}.docx"
        out[name].write_bytes(make())
    return out


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def xml(path: Path, name: str):
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


# --- ECMA-376 schema validation -------------------------------------------------------------
def audit(path: Path) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "openxml_audit", "-f", "office2016", "-o", "json", str(path)],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)[0]
    return report["errors"] if report["error_count"] else []


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_openxml_audit_finds_no_error(documents, name):
    assert audit(documents[name]) == []


def test_openxml_audit_would_catch_the_old_settings_error(documents, tmp_path):
    """The validator is not blind: the old misplaced flag makes it report an error."""
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(documents["annual-county"]) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/settings.xml":
                data = data.replace(b"</w:settings>", b"<w:doNotUseHTMLParagraphAutoSpacing/></w:settings>")
            target.writestr(info, data)
    assert audit(broken)


# --- Word-native structure ------------------------------------------------------------------
def test_headings_have_outline_levels_and_are_based_on_the_built_in_headings(documents):
    doc = Document(documents["annual-county"])
    for level, name in enumerate(["一级标题", "二级标题", "三级标题", "四级标题"]):
        style = doc.styles[name]
        assert style.style_id == f"Heading{level + 1}"  # mammoth's p.Heading1, pandoc's id check
        assert style.base_style is not None and style.base_style.name == f"Heading {level + 1}"
        for element in (style.element, style.base_style.element):
            ppr = element.pPr
            assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level)
            assert ppr.find(qn("w:keepNext")) is not None and ppr.find(qn("w:keepLines")) is not None
        # the house-style looks, on the heading and on Word's own heading N alike
        fonts = style.base_style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"][level]


@pytest.mark.skipif(shutil.which("pandoc") is None and not os.environ.get("CI"), reason="pandoc not installed")
@pytest.mark.parametrize("name", ["annual-county", "special-balanced-education", "half-year", "long"])
def test_pandoc_reads_the_part_and_section_headings_as_headers(documents, name):
    result = subprocess.run(["pandoc", "-f", "docx", "-t", "json", str(documents[name])], capture_output=True,
                            text=True, check=True, timeout=120)
    blocks = json.loads(result.stdout)["blocks"]

    def text(inlines) -> str:
        return "".join(i["c"] if i["t"] == "Str" else text(i["c"][-1]) if i["t"] == "Span" else "" for i in inlines)

    headers = [(b["c"][0], text(b["c"][2])) for b in blocks if b["t"] == "Header"]
    doc = Document(documents[name])
    expected = [({"一级标题": 1, "二级标题": 2, "三级标题": 3, "四级标题": 4}[p.style.name], p.text)
                for p in doc.paragraphs if p.style.name.endswith("级标题")]
    assert headers == expected
    levels = {level for level, _ in headers}
    assert {1, 2} <= levels
    assert all(re.match(r"[一二三四五六七八九十]+、", t) for level, t in headers if level == 1)
    assert all(re.match(r"（[一二三四五六七八九十]+）", t) for level, t in headers if level == 2)


def test_settings_are_word_2013_and_schema_valid(documents):
    settings = part(documents["annual-county"], "word/settings.xml")
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)  # no 兼容模式
    assert "doNotUseHTMLParagraphAutoSpacing" not in settings
    for untrue in ("w:rsid", "w14:docId", "w:proofState", "w:savePreviewPicture"):
        assert untrue not in settings, untrue


def test_package_holds_only_true_and_used_parts(documents):
    with zipfile.ZipFile(documents["annual-indicators"]) as archive:
        names = archive.namelist()
        app = archive.read("docProps/app.xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8") + archive.read("_rels/.rels").decode()
        types = archive.read("[Content_Types].xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
        fonts = archive.read("word/fontTable.xml").decode("utf-8")
    for gone in ("docProps/thumbnail.jpeg", "customXml/item1.xml", "word/stylesWithEffects.xml", "word/numbering.xml"):
        assert gone not in names, gone
        assert gone.rsplit("/", 1)[-1] not in rels + types, gone
    assert "<Application>reporttool</Application>" in app
    assert not re.search(r"<(Pages|Words|Characters|Lines|Paragraphs|AppVersion|Template)>", app)  # no fake counts
    assert "Macintosh" not in app
    # no template leftovers: 170 unused styles, Japanese fonts, theme font slots
    assert len(re.findall(r"<w:style ", styles)) < 45 and "Theme" not in styles and "theme=" not in styles.lower()
    assert "ＭＳ" not in fonts and "Cambria" not in fonts
    assert set(re.findall(r'w:name="([^"]+)"', fonts)) == {"Times New Roman", "仿宋_GB2312", "黑体", "楷体_GB2312",
                                                          "方正小标宋简体", "宋体"}


# --- reproducible output ----------------------------------------------------------------------
def test_the_same_draft_gives_identical_bytes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = ANNUAL.read_text(encoding="utf-8")
    first, second = render(text, indicators=True), render(text, indicators=True)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        stamps = {info.date_time for info in archive.infolist()}
    # no SOURCE_DATE_EPOCH: the 成文日期 (meta.date 2026-12-02) at 00:00 UTC, in the file and the zip
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-12-02T00:00:00Z</dcterms:created>" in core
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-12-02T00:00:00Z</dcterms:modified>" in core
    assert stamps == {(2026, 12, 2, 0, 0, 0)}


def test_source_date_epoch_sets_the_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    data = render(ANNUAL.read_text(encoding="utf-8"))
    assert data == render(ANNUAL.read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        stamps = {info.date_time for info in archive.infolist()}
    assert ">2023-11-14T22:13:20Z</dcterms:created>" in core and ">2023-11-14T22:13:20Z</dcterms:modified>" in core
    assert stamps == {(2023, 11, 14, 22, 13, 20)}


def test_document_time_falls_back_to_the_draft_date_then_a_constant(monkeypatch):
    from reporttool.render.docx_writer import FALLBACK_TIME, document_time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # ignored, never the clock
    assert document_time("2026-12-02").isoformat() == "2026-12-02T00:00:00+00:00"
    assert document_time("2026年3月5日").isoformat() == "2026-03-05T00:00:00+00:00"
    assert document_time(None) == document_time("2026年13月1日") == FALLBACK_TIME


# --- pagination properties --------------------------------------------------------------------
def test_pagination_properties_of_the_styles(documents):
    doc = Document(documents["annual-county"])
    body = doc.styles["公文正文"].element.pPr
    # widow control stays off for 正文 (22 lines on every full page; house-style.yaml says why)
    assert body.find(qn("w:widowControl")).get(qn("w:val")) == "0" and body.find(qn("w:keepNext")) is None
    for name in ("公文标题", "附件标识", "署名", "附件说明"):
        assert doc.styles[name].element.pPr.find(qn("w:keepNext")) is not None, name
    for name in ("公文标题", "署名", "成文日期", "附件说明"):
        assert doc.styles[name].element.pPr.find(qn("w:keepLines")) is not None, name


def test_block_properties_reach_the_paragraphs():
    """keep_with_next → w:keepNext, "\\n" → w:br, indents and spacing in 字 and lines → twips."""
    from reporttool.render import house_style
    from reporttool.render.compose import Block
    from reporttool.render.docx_writer import Writer

    writer = Writer(house_style.load())
    writer.write([
        Block("title", [("示例县教育局关于\n加强管理的报告", None)]),
        Block("body", [("正文。", None)], keep_with_next=True),
        Block("attachment_note", [("附件：1.\t名称", None)], left_chars=6, first_line_chars=-4,
              space_before_lines=0),
        Block("date", [("2026年12月2日", None)], right_chars=2.5, page_break_before=True),
    ])
    title, body, note, date = writer.doc.element.body.findall(qn("w:p"))
    run = title.find(qn("w:r"))
    assert [c.tag for c in run] == [qn("w:t"), qn("w:br"), qn("w:t")]
    assert body.pPr.find(qn("w:keepNext")) is not None and title.pPr.find(qn("w:keepNext")) is None
    ind = note.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:left")), ind.get(qn("w:hanging")), ind.get(qn("w:hangingChars"))) == ("1920", "1280", "400")
    assert ind.get(qn("w:firstLineChars")) == "0"  # the style's 2-字 first line does not win over the hang
    assert note.pPr.find(qn("w:tabs")).find(qn("w:tab")).get(qn("w:pos")) == "1920"
    assert note.pPr.find(qn("w:spacing")).get(qn("w:before")) == "0"
    assert date.pPr.find(qn("w:pageBreakBefore")) is not None
    assert date.pPr.find(qn("w:ind")).get(qn("w:right")) == "800"


def test_no_empty_paragraph_except_the_closing_one_after_a_final_table_or_the_record(documents):
    for name, path in documents.items():
        body = Document(path).element.body
        children = [c for c in body if c.tag != qn("w:sectPr")]
        for index, child in enumerate(children):
            if child.tag == qn("w:p") and not "".join(t.text or "" for t in child.iter(qn("w:t"))).strip():
                # only Word's obligatory paragraph after a closing table (or the 版记's frames, its
                # anchor), 1 pt high: no blank page
                before = children[index - 1]
                assert index == len(children) - 1 and (before.tag == qn("w:tbl") or before.find(
                    f"{qn('w:pPr')}/{qn('w:framePr')}") is not None), name
                assert child.pPr.find(qn("w:spacing")).get(qn("w:line")) == "20"


# --- tables -----------------------------------------------------------------------------------
def test_indicators_table_widths_alignment_header_and_rows(documents):
    doc = Document(documents["annual-indicators"])
    table = doc.tables[0]
    tbl = table._tbl
    widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    text_width = round((210 - 28 - 26) * TWIPS_PER_MM)
    assert sum(widths) == text_width  # the 156 mm text block
    assert len(set(widths)) == 3 and min(widths) < 0.8 * max(widths)  # from the content, not 52 mm each
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    rows = tbl.findall(qn("w:tr"))
    header = rows[0].trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)  # no row split across pages

    def jc(row, column):
        return row.findall(qn("w:tc"))[column].find(qn("w:p")).pPr.find(qn("w:jc")).get(qn("w:val"))

    assert [jc(rows[0], c) for c in range(3)] == ["center"] * 3
    assert [jc(rows[1], c) for c in range(3)] == ["left", "right", "left"]  # 100%, 6个, 3.7亿元 …: numbers
    # the table fonts and sizes come from the house style
    cell = doc.styles["表格文字"].element.rPr
    assert cell.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312" and cell.find(qn("w:sz")).get(qn("w:val")) == "28"
    head = doc.styles["表头文字"].element.rPr
    assert head.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert doc.styles["表格文字"].element.pPr.find(qn("w:spacing")).get(qn("w:line")) == "400"  # 20 pt


def test_column_widths_follow_the_content():
    from reporttool.render import house_style
    from reporttool.render.docx_writer import Writer

    writer = Writer(house_style.load())
    total = writer.text_width
    short = writer.column_widths([["甲乙丙丁", "12", "戊己庚辛"], ["甲乙", "3", "戊"]])
    assert sum(short) == total and short[1] < short[0] / 2 and abs(short[0] - short[2]) <= 2  # by content
    long = writer.column_widths([["名称" * 30, "12345万元", "说明" * 30]])
    assert sum(long) == total
    em = 14 * 20  # 4号
    assert long[1] >= 4.5 * em  # 12345万元 keeps its number on one line
    assert abs(long[0] - long[2]) <= 1


def test_column_alignment_from_the_block_or_the_numbers():
    from reporttool.render import house_style
    from reporttool.render.compose import Block
    from reporttool.render.docx_writer import Writer, is_number

    assert all(is_number(t) for t in ("1487人", "3.7亿元", "97.46%", "12,000", "6200个", "1.2万人次", "-3"))
    assert not any(is_number(t) for t in ("比上年增加162人", "目标，2027年8月前完成", "指标1-1-1", ""))
    writer = Writer(house_style.load())
    rows = [["名称", "数", "备注"], ["甲", "1人", "说明"], ["乙", "2人", "3个"]]
    assert writer.column_alignment(Block("table", rows=rows), 3) == ["left", "right", "left"]
    assert writer.column_alignment(Block("table", rows=rows, align=["center", "left"]), 3) == ["center", "left", "left"]


def test_table_style_keys_can_be_overridden(tmp_path):
    from reporttool.api import render_text

    style = tmp_path / "本单位版式.yaml"
    style.write_text("styles:\n  table:\n    size: 小四\n  table_header:\n    font: 仿宋_GB2312\n"
                     "table:\n  number_align: center\n  border_pt: 1\n", encoding="utf-8")
    docx = tmp_path / "r.docx"
    render_text(ANNUAL.read_text(encoding="utf-8"), output=docx, style=str(style), indicators=True)
    doc = Document(docx)
    assert doc.styles["表格文字"].element.rPr.find(qn("w:sz")).get(qn("w:val")) == "24"
    assert doc.styles["表头文字"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    tbl = doc.tables[0]._tbl
    assert tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:sz")) == "8"
    from reporttool.render import house_style
    from reporttool.render.compose import Block
    from reporttool.render.docx_writer import Writer

    rows = [["名称", "数"], ["甲", "1人"]]  # a table whose template set no alignment
    assert Writer(house_style.load(str(style))).column_alignment(Block("table", rows=rows), 2) == ["left", "center"]
    style.write_text("table:\n  number_align: 右\n", encoding="utf-8")
    from reporttool.api import RenderError

    with pytest.raises(RenderError):
        render_text(ANNUAL.read_text(encoding="utf-8"), style=str(style))


# --- folio and date, in Word's arithmetic -----------------------------------------------------
def test_folio_dash_is_7_mm_below_the_text_block_in_word_arithmetic(documents):
    """Word lays the one-em folio line from w:footer up; the dash's top is DASH_TOP_EM below its top."""
    from reporttool.render.docx_writer import DASH_TOP_EM

    doc = Document(documents["annual-county"])
    section = doc.sections[0]
    footer = section._sectPr.find(qn("w:pgMar")).get(qn("w:footer"))
    p = section.footer.paragraphs[0]._p
    spacing = p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact" and spacing.get(qn("w:after")) == "0"
    line = int(spacing.get(qn("w:line")))
    assert line == 280  # one em of 4号
    dash_top_mm = 297 - (int(footer) + line) / TWIPS_PER_MM + DASH_TOP_EM * line / TWIPS_PER_MM
    assert abs(dash_top_mm - (37 + 225 + 7)) < 0.1, dash_top_mm


def word_width(text: str, size_pt: float = 16, spacing_pt: float = -0.25) -> float:
    """Width in pt as Word sets it with autospace off: 字 one em, ASCII half an em, plus spacing."""
    return sum((0.5 if ch.isascii() else 1) * size_pt + spacing_pt for ch in text)


@pytest.mark.parametrize("issuer", ["示例县教育体育局", "示例县教育局", "示例自治县教育和体育局办公"])
def test_date_starts_two_characters_right_of_the_signature_in_word_arithmetic(tmp_path, issuer):
    from reporttool.api import render_text

    text = ANNUAL.read_text(encoding="utf-8").replace("issuer: 示例县教育体育局", f"issuer: {issuer}")
    docx = tmp_path / "r.docx"
    render_text(text, output=docx)
    doc = Document(docx)
    starts = {}
    for p in doc.paragraphs:
        if p.style.name in ("署名", "成文日期"):
            right = int(p._p.pPr.find(qn("w:ind")).get(qn("w:right"))) / 20
            starts[p.style.name] = -(right + word_width(p.text))  # from the right edge of the text block
            ppr = p.style.element.pPr
            if p.style.name == "成文日期":  # no autospace between digits and 年月日 in Word
                assert ppr.find(qn("w:autoSpaceDE")).get(qn("w:val")) == "0"
                assert ppr.find(qn("w:autoSpaceDN")).get(qn("w:val")) == "0"
    offset = (starts["成文日期"] - starts["署名"]) / 16
    assert abs(offset - 2) <= 0.1, offset


def test_the_empty_house_style_document_is_kept_and_reopened_to_the_same_bytes(own_cache, monkeypatch):
    """The writer's set-up (python-docx's template cleaned, the house styles, page and footers) is
    kept in the user cache: a render from the kept entry, from a damaged one (rebuilt) and with no
    cache at all are the same bytes."""
    from reporttool.render.document import render_bytes

    data = ANNUAL.read_bytes()
    first = render_bytes(data, "a.yaml", place_record=False).docx
    kept = list((own_cache / "docx").glob("base-*.docx"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"PK")
    assert render_bytes(data, "a.yaml", place_record=False).docx == first
    kept[0].write_bytes(b"PK\x03\x04 damaged")
    assert render_bytes(data, "a.yaml", place_record=False).docx == first
    assert kept[0].read_bytes() != b"PK\x03\x04 damaged"  # rebuilt
    monkeypatch.setenv("REPORTTOOL_NO_CACHE", "1")
    assert render_bytes(data, "a.yaml", place_record=False).docx == first
    style = own_cache / "style.yaml"
    style.write_text("page:\n  left_mm: 30\n", encoding="utf-8")
    monkeypatch.delenv("REPORTTOOL_NO_CACHE")
    other = render_bytes(data, "a.yaml", place_record=False, style=str(style)).docx
    assert other != first and len(list((own_cache / "docx").glob("base-*.docx"))) == 2  # one per house style
