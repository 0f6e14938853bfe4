"""reporttool proof: each layout problem is found on a document built to cause it (by a house
style that allows it, or a .docx edited as a careless hand in Word would), and nothing but the
font substitutions on the examples. The PDFs are LibreOffice's, measured by the real reader."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, VALID_META
from pdfpages import SOFFICE  # noqa: F401 (skips the module without LibreOffice)
from reporttool import proof_file, render_text

LONG_PLAIN = "坚持立德树人根本任务持续深化教育教学改革扎实推进义务教育优质均衡发展全面加强教师队伍建设" * 4


def draft(sections: list[tuple[str, str]]) -> str:
    body = "".join(f"    - heading: {heading}\n      text: |\n        {text}\n" for heading, text in sections)
    return VALID_META + "achievements:\n  sections:\n" + body


def rendered(tmp_path: Path, text: str, style: str | None = None, name: str = "r.docx") -> Path:
    style_path = None
    if style is not None:
        style_path = tmp_path / "style.yaml"
        style_path.write_text(style, encoding="utf-8")
    out = tmp_path / name
    out.write_bytes(render_text(text, "d.yaml", style=str(style_path) if style_path else None).docx)
    return out


def edited(docx: Path, change) -> Path:
    """The .docx with its document.xml changed by `change` (an edit made by hand in Word)."""
    with zipfile.ZipFile(docx) as source:
        files = {name: source.read(name) for name in source.namelist()}
    xml = files["word/document.xml"].decode("utf-8")
    changed = change(xml)
    assert changed != xml
    files["word/document.xml"] = changed.encode("utf-8")
    out = docx.with_name("edited-" + docx.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    return out


def rules(result, style: str | None = None) -> list[str]:
    return [p.rule for p in result.problems if p.rule != "pdf/font-substituted"]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_examples_print_without_a_layout_problem(invoke, example):
    result = invoke("proof", str(EXAMPLES / example))
    assert result.exit_code == 0, result.output
    assert [r for r in re.findall(r"\[([a-z-]+/[a-z-]+)\]", result.output)] == ["pdf/font-substituted"]
    assert re.search(r"共 \d+ 页", result.output)


def test_a_heading_left_at_the_foot_of_a_page(tmp_path):
    sections = [(f"第{i}项工作稳步推进", LONG_PLAIN[: 40 + 37 * (i % 5)] + "。") for i in range(1, 16)]
    loose = "styles:\n  heading2: {keep_with_next: false}\n"
    result = proof_file(rendered(tmp_path, draft(sections), loose), style=str(tmp_path / "style.yaml"))
    found = [p for p in result.problems if p.rule == "layout/heading-last"]
    assert found, [p.message for p in result.problems]
    assert re.fullmatch(r"第\d+页最后一行是标题“（[一二三四五六七八九十]+）第\d+项工作稳步推进”，它的正文在下一页",
                        found[0].message)
    kept = proof_file(rendered(tmp_path, draft(sections), name="kept.docx"))  # the house style keeps it
    assert "layout/heading-last" not in rules(kept)


def test_a_page_with_only_the_signature_and_date(tmp_path):
    docx = rendered(tmp_path, draft([("教育质量稳步提升", "全县中考平均分比上年明显提高。")]))
    assert rules(proof_file(docx)) == []
    broken = edited(docx, lambda xml: xml.replace('<w:pStyle w:val="RTsignature"/>',
                                                  '<w:pStyle w:val="RTsignature"/><w:pageBreakBefore/>', 1))
    result = proof_file(broken)
    assert rules(result) == ["layout/signature-alone"]
    assert result.problems[-1].message == "第2页只有署名和成文日期，没有正文" and result.problems[-1].path == "pages[2]"
    assert result.exit_code() == 1


def test_a_blank_page(tmp_path):
    docx = rendered(tmp_path, draft([("教育质量稳步提升", LONG_PLAIN + "。"), ("教师队伍不断加强", "全年培训教师。")]))
    blank = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    broken = edited(docx, lambda xml: xml.replace('<w:p><w:pPr><w:pStyle w:val="Heading2"/>',
                                                  blank * 2 + '<w:p><w:pPr><w:pStyle w:val="Heading2"/>', 2)
                    .replace(blank * 2, "", 1))
    result = proof_file(broken)
    assert "layout/blank-page" in rules(result), [p.message for p in result.problems]
    assert [p.message for p in result.problems if p.rule == "layout/blank-page"] == ["第2页是空白页"]


def test_a_page_that_ends_short_when_paragraphs_are_kept_whole(tmp_path):
    paragraphs = "\n        ".join((LONG_PLAIN * 2)[: 200 + 30 * n] + "。" for n in range(4))
    sections = [(f"第{i}项工作稳步推进", paragraphs) for i in range(1, 4)]
    whole = "styles:\n  body: {keep_together: true}\n"  # a paragraph that does not fit moves whole
    result = proof_file(rendered(tmp_path, draft(sections), whole), style=str(tmp_path / "style.yaml"))
    short = [p for p in result.problems if p.rule == "layout/short-page"]
    assert short, [p.message for p in result.problems]
    assert re.fullmatch(r"第\d+页只排了(\d+)行正文，每面应为22行", short[0].message)
    assert int(re.search(r"只排了(\d+)行", short[0].message).group(1)) < 22
    default = proof_file(rendered(tmp_path, draft(sections), name="default.docx"))
    assert "layout/short-page" not in rules(default)


def test_full_lines_that_do_not_hold_the_grid(tmp_path):
    text = draft([("教育质量稳步提升", LONG_PLAIN + "。")])
    assert "layout/line-chars" not in rules(proof_file(rendered(tmp_path, text)))
    wide = "grid: {char_spacing_pt: 1}\n"  # each character 1 pt wider: 26 to a line, not 28
    result = proof_file(rendered(tmp_path, text, wide, name="wide.docx"), style=str(tmp_path / "style.yaml"))
    found = [p for p in result.problems if p.rule == "layout/line-chars"]
    assert found and re.fullmatch(r"第1页第\d+行（“.+”）排了2[0-7]个字，满行应为2[68]个字", found[0].message), \
        [p.message for p in result.problems]


def test_folios_on_the_wrong_side_or_missing(tmp_path):
    text = draft([(f"第{i}项工作稳步推进", LONG_PLAIN + "。") for i in range(1, 6)])
    swapped = rendered(tmp_path, text, "page_number: {odd: left, even: right}\n")
    result = proof_file(swapped)  # measured against the default house style: odd right, even left
    sides = [p.message for p in result.problems if p.rule == "layout/folio"]
    assert "第1页的页码应居右，实际居左" in sides and "第2页的页码应居左，实际居右" in sides
    docx = rendered(tmp_path, text, name="plain.docx")
    assert "layout/folio" not in rules(proof_file(docx))
    bare = edited(docx, lambda xml: re.sub(r"<w:footerReference [^>]*/>", "", xml))
    missing = [p.message for p in proof_file(bare).problems if p.rule == "layout/folio"]
    assert missing and missing[0] == "第1页没有页码"


def test_a_table_row_split_over_two_pages(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("汇总表")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "说明"
    table.cell(1, 0).text = "办学条件"
    cell = table.cell(1, 1)
    cell.text = "第1段说明文字"
    for n in range(2, 80):
        cell.add_paragraph(f"第{n}段说明文字")
    path = tmp_path / "table.docx"
    document.save(path)
    result = proof_file(path)
    split = [p.message for p in result.problems if p.rule == "layout/row-split"]
    assert split and split[0].startswith("第1页的表格有一行")


def test_proof_as_a_subprocess_in_json(tmp_path):
    out = tmp_path / "校样.pdf"
    run = subprocess.run([sys.executable, "-m", "reporttool", "proof", str(EXAMPLES / "half-year.yaml"), "--format",
                          "json", "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert [p["rule"] for p in report["problems"]] == ["pdf/font-substituted"]
    assert out.read_bytes().startswith(b"%PDF")


def test_a_file_that_is_no_docx_is_refused_in_chinese(invoke, tmp_path):
    fake = tmp_path / "报告.docx"
    fake.write_text("不是 Word 文档", encoding="utf-8")
    result = invoke("proof", str(fake))
    assert result.exit_code == 2 and "不是 Word 文档（.docx）" in result.output
