"""版头, 附注 and 版记 (GB/T 9704 7.2, 7.3.6, 7.4): the draft fields, their checks, and their
places on the page, measured in LibreOffice's PDF (positions, colours) of the formal example."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, VALID_META, problems_of
from pdfpages import MM, ink_box, red_box, to_pdf, words
from reporttool import proof_file, render_file, render_text

FORMAL = EXAMPLES / "formal-report.yaml"
TOP, BOTTOM, LEFT, RIGHT = 37, 297 - 35, 28, 210 - 26  # the text block (版心), mm from the page's top left


@pytest.fixture(scope="module")
def formal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formal")
    docx = folder / "formal.docx"
    render_file(FORMAL, docx)
    return docx, to_pdf(docx)


def mm(box):
    return [round(v / MM, 2) for v in box]


def line_of(pdf: Path, page: int, text: str) -> list[dict]:
    return [w for w in words(pdf) if w["page"] == page and text in w["text"]]


def test_the_mark_is_red_35_mm_below_the_text_block_and_centred(formal):
    _, pdf = formal
    x0, y0, x1, y1 = mm(red_box(pdf, 1, (0, 150, 595, 270)))  # the 发文机关标志
    assert abs(y0 - (TOP + 35)) <= 1  # its top edge 35 mm below the top of the 版心 (7.2.4)
    assert abs((x0 + x1) / 2 - (LEFT + RIGHT) / 2) <= 1
    assert x1 - x0 > 80  # a 小初 line of ten characters, not a thin rule


def test_the_red_rule_spans_the_text_block_4_mm_below_the_number_with_the_signer_at_the_right(formal):
    _, pdf = formal
    number = line_of(pdf, 1, "示教体")[0]
    signer = line_of(pdf, 1, "签发人")[0]
    assert abs(number["y0"] - signer["y0"]) < 1  # one line (7.2.6)
    below = number["y1"] / MM
    rule = mm(red_box(pdf, 1, (0, number["y1"] + 2, 595, number["y1"] + 30)))
    assert abs(rule[0] - LEFT) <= 0.5 and abs(rule[2] - RIGHT) <= 0.5  # as wide as the 版心 (7.2.7)
    assert abs(rule[1] - below - 4) <= 1.2  # 4 mm below the 发文字号 (measured from its line box)
    assert rule[3] - rule[1] < 1  # a rule, not a block
    char = 16 / MM  # one 字 of 3号
    assert abs(number["x0"] / MM - (LEFT + char)) <= 1  # 文号 居左空一字
    assert abs(signer["x1"] / MM - (RIGHT - char)) <= 1  # 签发人 居右空一字
    assert red_box(pdf, 1, (0, rule[3] * MM + 3, 595, 842)) is None  # nothing else is red
    title = line_of(pdf, 1, "示例县教育体育局关于")[0]
    assert title["y0"] / MM - rule[3] > 15  # two blank lines below the rule


def test_without_a_signer_the_number_is_centred(tmp_path):
    draft = VALID_META + "  doc_number: 示教〔2026〕12号\nachievements:\n  sections:\n    - heading: 教育发展\n" \
                         "      text: |\n        全县中考平均分比上年明显提高。\n"
    docx = tmp_path / "n.docx"
    docx.write_bytes(render_text(draft, "n.yaml").docx)
    pdf = to_pdf(docx)
    first = line_of(pdf, 1, "示教")[0]
    number = [w for w in words(pdf) if w["page"] == 1 and abs(w["y0"] - first["y0"]) < 1]
    x0, x1 = min(w["x0"] for w in number) / MM, max(w["x1"] for w in number) / MM
    assert abs((x0 + x1) / 2 - (LEFT + RIGHT) / 2) <= 1.5
    assert not line_of(pdf, 1, "签发人")


def test_the_record_closes_the_last_page_with_its_three_rules(formal):
    _, pdf = formal
    pages = max(w["page"] for w in words(pdf))
    assert pages % 2 == 0  # the example's 版记 is on an even page (proof warns when it is not)
    printed = line_of(pdf, pages, "印发")[0]
    cc = line_of(pdf, pages, "抄送")[0]
    assert cc["y1"] < printed["y0"]
    rules = []
    for y in range(int((BOTTOM - 40) * MM), int((BOTTOM + 2) * MM), 2):
        box = ink_box(pdf, pages, (LEFT * MM - 5, y, RIGHT * MM + 5, y + 2))
        if box and box[2] - box[0] > (RIGHT - LEFT - 2) * MM and (not rules or box[1] - rules[-1][3] > 1):
            rules.append(box)
    assert len(rules) == 3, [mm(r) for r in rules]
    top, middle, bottom = (mm(r) for r in rules)
    assert abs(bottom[3] - BOTTOM) <= 0.6  # the last rule on the lower edge of the 版心 (7.4.1)
    assert top[3] * MM < cc["y0"] + 2 and cc["y0"] < middle[1] * MM < printed["y0"] + 2
    def thickness(rule):  # measured beyond the text's right end, where only the rule has ink
        box = ink_box(pdf, pages, ((RIGHT - 3.5) * MM, (rule[1] - 0.8) * MM, (RIGHT - 0.5) * MM, (rule[3] + 0.8) * MM))
        return box[3] / MM - box[1] / MM

    assert thickness(top) > thickness(middle) and thickness(bottom) > thickness(middle)  # 0.35 mm outside, 0.25 between
    assert 0.2 <= thickness(middle) <= 0.35 and 0.3 <= thickness(top) <= 0.45
    assert all(abs(r[0] - LEFT) <= 0.5 and abs(r[2] - RIGHT) <= 0.5 for r in (top, middle, bottom))
    assert printed["text"].endswith("印发") or "印发" in printed["text"]


def test_the_note_follows_the_date_in_brackets(formal):
    docx, pdf = formal
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "（联系人：王某，电话：0000-1234567）" in document
    date = [w for w in words(pdf) if "2026" in w["text"] and w["y0"] < BOTTOM * MM - 60]
    note = [w for w in words(pdf) if "联系人" in w["text"]][0]
    assert note["y0"] > max(w["y0"] for w in date if w["page"] == note["page"])


def test_the_formal_example_proofs_clean(formal):
    assert [p.rule for p in proof_file(FORMAL).problems] == ["pdf/font-substituted"]


RECORDED = VALID_META + "  doc_number: 示教〔2026〕12号\n  printer: 示例县教育局办公室\n  print_date: 2026-12-03\n" \
    "achievements:\n  sections:\n    - heading: 教育发展\n      text: |\n        全县中考平均分比上年明显提高。\n"


def test_a_record_that_would_fall_on_an_odd_page_starts_the_next_even_one(tmp_path):
    """One page of text: the 版记 is moved to page 2 (封四), at its foot; the formal example, whose
    text ends on page 2, keeps it there (no page is added)."""
    docx = tmp_path / "r.docx"
    docx.write_bytes(render_text(RECORDED, "r.yaml").docx)
    pdf = to_pdf(docx)
    assert max(w["page"] for w in words(pdf)) == 2
    printed = [w for w in words(pdf) if "印发" in w["text"]][0]
    assert printed["page"] == 2 and printed["y1"] / MM > BOTTOM - 12
    assert [w for w in words(pdf) if w["page"] == 1 and "全县中考" in w["text"]]
    assert [p.rule for p in proof_file(docx).problems] == ["pdf/font-substituted"]
    assert max(w["page"] for w in words(to_pdf(render_formal(tmp_path)))) == 2


def render_formal(tmp_path: Path) -> Path:
    out = tmp_path / "formal.docx"
    out.write_bytes(render_text(FORMAL.read_text(encoding="utf-8"), "f.yaml").docx)
    return out


def test_a_record_left_on_an_odd_page_is_said(tmp_path):
    """A .docx edited by hand (the page break before the 版记 removed): proof says so."""
    docx = tmp_path / "r.docx"
    docx.write_bytes(render_text(RECORDED, "r.yaml").docx)
    with zipfile.ZipFile(docx) as source:
        files = {name: source.read(name) for name in source.namelist()}
    xml = files["word/document.xml"].decode("utf-8")
    assert xml.count("<w:pageBreakBefore/>") == 1
    files["word/document.xml"] = xml.replace("<w:pageBreakBefore/>", "").encode("utf-8")
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(edited, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    found = [p for p in proof_file(edited).problems if p.rule == "layout/record-page"]
    assert [p.message for p in found] == ["版记排在第1页，是单数页"]


@pytest.mark.parametrize("number, rule", [
    ("示教〔2026〕12号", None), ("示教体〔2025〕1号", None),
    ("示教[2026]12号", "发文字号“示教[2026]12号”的年份用了“[]”，应用六角括号〔〕"),
    ("示教【2026】12号", "发文字号“示教【2026】12号”的年份用了“【】”，应用六角括号〔〕"),
    ("示教（2026）12号", "发文字号“示教（2026）12号”的年份用了“（）”，应用六角括号〔〕"),
    ("示教〔26〕12号", "发文字号“示教〔26〕12号”的年份“26”应写全四位"),
    ("示教〔2026〕第12号", "发文字号“示教〔2026〕第12号”的序号前不加“第”"),
    ("示教〔2026〕012号", "发文字号“示教〔2026〕012号”的序号不编虚位（不写 0 开头）"),
    ("示教2026年12号", "发文字号“示教2026年12号”应写成“机关代字〔年份〕序号号”"),
])
def test_the_doc_number_is_written_as_the_standard_says(number, rule):
    found = [p.message for p in problems_of(VALID_META + f"  doc_number: {number}\n" + BODY) if p.rule == "meta/doc-number"]
    assert found == ([rule] if rule else [])


BODY = "achievements:\n  sections:\n    - heading: 教育发展\n      text: |\n        全县中考平均分比上年明显提高。\n"


def test_an_upward_report_names_its_signer_and_the_fields_depend_on_each_other():
    upward = VALID_META + "  recipient: 县人民政府\n  doc_number: 示教〔2026〕12号\n" + BODY
    assert [p.rule for p in problems_of(upward)] == ["meta/signer"]
    assert problems_of(upward.replace("  doc_number:", "  signer: 张明\n  doc_number:")) == []
    assert problems_of(VALID_META + "  doc_number: 示教〔2026〕12号\n" + BODY) == []  # no 主送机关: not upward
    alone = problems_of(VALID_META + "  signer: 张明\n  printer: 示例县教育局办公室\n" + BODY)
    assert {p.message for p in alone} >= {"“meta”（基本信息）缺少必填字段“doc_number”（发文字号）",
                                          "“meta”（基本信息）缺少必填字段“print_date”（印发日期）"}
    early = problems_of(VALID_META + "  printer: 示例县教育局办公室\n  print_date: 2026-12-01\n" + BODY)
    assert [p.message for p in early] == ["印发日期 2026-12-01 早于成文日期 2026-12-02"]


def test_drafts_without_the_fields_render_as_before(tmp_path):
    plain = render_text(VALID_META + BODY, "p.yaml").docx
    with zipfile.ZipFile(__import__("io").BytesIO(plain)) as package:
        document = package.read("word/document.xml").decode("utf-8")
    for style in ("RTmark", "RTdocnumber", "RTnote", "RTrecordcc", "RTrecordprint", "w:framePr", "FF0000"):
        assert style not in document


def test_the_seal_layout_is_a_house_style_choice(tmp_path):
    """closing.seal: 成文日期右空四字, 署名 centred over it (7.3.5.1); by default 7.3.5.2 (右空二字)."""
    style = tmp_path / "seal.yaml"
    style.write_text("closing:\n  seal: true\n", encoding="utf-8")
    char = 16 / MM

    def closing(style_path: str | None) -> tuple[dict, dict]:
        docx = tmp_path / f"{'seal' if style_path else 'plain'}.docx"
        docx.write_bytes(render_text((EXAMPLES / "half-year.yaml").read_text("utf-8"), "h.yaml", style=style_path).docx)
        all_words = words(to_pdf(docx))
        last = max(w["page"] for w in all_words)
        signer = [w for w in all_words if w["page"] == last and w["text"] == "示例旗教育体育局"][-1]
        date = [w for w in all_words if w["page"] == last and abs(w["y0"] - signer["y1"]) < 20]
        return signer, {"x0": min(w["x0"] for w in date), "x1": max(w["x1"] for w in date)}

    signer, date = closing(str(style))
    assert abs(date["x1"] / MM - (RIGHT - 4 * char)) <= 1
    # centred within a 字: the widths are reckoned without the space LibreOffice still puts between
    # the date's digits and characters (Word honours the date style's autospace off)
    assert abs((signer["x0"] + signer["x1"]) / 2 - (date["x0"] + date["x1"]) / 2) / MM <= char
    signer, date = closing(None)
    assert abs(signer["x1"] / MM - (RIGHT - 2 * char)) <= 1  # no seal: 署名右空二字
    assert date["x1"] / MM < RIGHT - 1.5 * char  # and the date is not 右空四字
    assert abs(date["x1"] / MM - (RIGHT - 4 * char)) > char / 2


def test_without_libreoffice_the_record_stays_at_the_foot_of_the_last_page(tmp_path):
    """The 版记 is placed by measuring only where LibreOffice is installed; without it the
    document is still rendered (as a subprocess with no soffice on PATH)."""
    import os
    import subprocess
    import sys

    draft = tmp_path / "r.yaml"
    draft.write_text(RECORDED, encoding="utf-8")
    out = tmp_path / "r.docx"
    run = subprocess.run([sys.executable, "-m", "reporttool", "render", str(draft), "-o", str(out)],
                         env=dict(os.environ, PATH=str(tmp_path)), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "RTrecordprint" in document and "<w:pageBreakBefore/>" not in document
