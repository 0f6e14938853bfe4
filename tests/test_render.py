"""Rendering: the .docx read back (styles, fonts, page, footer, text), and safety of the output."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, VALID_DRAFT, VALID_META, only, problems_of

ANNUAL = EXAMPLES / "annual-county.yaml"
HALF = EXAMPLES / "half-year.yaml"
TWIPS_PER_MM = 1440 / 25.4


def render(invoke, draft, out, *extra):
    result = invoke("render", str(draft), "-o", str(out), *extra)
    return result


@pytest.fixture
def annual_docx(invoke, tmp_path):
    out = tmp_path / "年度总结.docx"
    result = render(invoke, ANNUAL, out)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"已生成：{out}"
    return out


def styles_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/styles.xml").decode("utf-8")


def test_page_margins_and_grid(annual_docx):
    doc = Document(annual_docx)
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    margins = [section.top_margin.twips, section.bottom_margin.twips, section.left_margin.twips,
               section.right_margin.twips]
    assert margins == [round(mm * TWIPS_PER_MM) for mm in (37, 35, 28, 26)]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:type")) == "lines"
    assert (section.header_distance.twips, section.gutter.twips) == (round(15 * TWIPS_PER_MM), 0)
    assert section._sectPr.find(qn("w:cols")).get(qn("w:space")) == "425"  # 7.5 mm


def test_styles_carry_east_asian_and_latin_fonts_and_no_theme_fonts(annual_docx):
    doc = Document(annual_docx)
    expected = {"公文正文": ("仿宋_GB2312", 32), "公文标题": ("方正小标宋简体", 44), "一级标题": ("黑体", 32),
                "二级标题": ("楷体_GB2312", 32), "三级标题": ("仿宋_GB2312", 32), "署名": ("仿宋_GB2312", 32)}
    for name, (font, size) in expected.items():
        rpr = doc.styles[name].element.rPr
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman", name
        assert rpr.find(qn("w:sz")).get(qn("w:val")) == str(size), name
    xml = styles_xml(annual_docx)
    assert "Theme=" not in xml  # theme fonts would override the explicit names
    assert 'w:eastAsia="zh-CN"' in xml
    with zipfile.ZipFile(annual_docx) as archive:
        settings = archive.read("word/settings.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    assert "<w:evenAndOddHeaders/>" in settings


def test_body_paragraph_format(annual_docx):
    doc = Document(annual_docx)
    ppr = doc.styles["公文正文"].element.pPr
    ind = ppr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
    assert ppr.find(qn("w:widowControl")).get(qn("w:val")) == "0"
    spacing = ppr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    rpr = doc.styles["公文正文"].element.rPr
    assert rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5"  # −0.25 pt: 28 characters fit
    assert doc.styles["公文标题"].element.pPr.find(qn("w:jc")).get(qn("w:val")) == "center"


def test_footer_page_field_odd_right_even_left(annual_docx):
    doc = Document(annual_docx)
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]._p
        assert p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "320"  # one character in
        assert "".join(t.text for t in p.iter(qn("w:instrText"))).strip() == "PAGE"
        text = "".join(t.text for t in p.iter(qn("w:t")))
        assert text == "— 1 —"
        fonts = p.find(".//" + qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "宋体"
        assert p.find(".//" + qn("w:sz")).get(qn("w:val")) == "28"  # 4号


EXPECTED_ANNUAL = [
    ("公文标题", "示例县教育体育局2026年工作总结及2027年工作计划"),
    ("主送机关", "县人民政府："),
    ("公文正文", "2026年，我局认真贯彻落实全国和省、市教育大会精神，"),
    ("一级标题", "一、2026年工作成效"),
    ("二级标题", "（一）党的建设全面加强"),
    ("公文正文", "坚持党对教育工作的全面领导，全县中小学校党组织关系全部理顺，党组织覆盖率达到100%。全年新建学校党支部6个，"
                "4所学校被评为市级党建示范校。"),
    ("二级标题", "（二）优质学位不断扩充"),
    ("公文正文", "一是加大学位建设力度。将12个中小学、幼儿园建设项目纳入县民生实事，总投入3.7亿元，新增基础教育学位6200个，"
                "其中小学学位2700个、初中学位2200个、幼儿园学位1300个；二是规范民办义务教育发展。"),
    ("二级标题", "（三）教育教学质量稳步提升"),
    ("公文正文", "学前教育普惠发展，全县规范化幼儿园达到68所。普通高中本科上线1487人，比上年增加162人。中职学校毕业生512人，"
                "就业499人，就业率97.46%。"),
    ("二级标题", "（四）教师队伍建设持续加强"),
    ("公文正文", "通过公开招聘、特岗计划等渠道补充教师136名，其中农村学校94名。开展县级以上培训1.2万人次，"),
    ("一级标题", "二、存在的问题"),
    ("公文正文", "（一）城乡教育资源配置仍不均衡。城区学校大班额问题尚未彻底解决，"),
    ("公文正文", "（二）教师队伍结构性矛盾突出。"),
    ("公文正文", "（三）校舍维护资金压力较大。"),
    ("一级标题", "三、2027年工作计划"),
    ("公文正文", "2027年，我局将以推进义务教育优质均衡发展为主线，"),
    ("公文正文", "（一）持续扩充优质学位。开工建设东部新城第二小学和第九中学，完成3所学校改扩建，新增学位3000个，"),
    ("公文正文", "（二）建强教师队伍。实施新教师招聘和特岗计划，补充教师120名，"),
    ("公文正文", "（三）消除校舍安全隐患。"),
    ("公文正文", "新的一年，我局将在县委县政府的坚强领导下，"),
    ("附件说明", "附件：2026年教育事业主要指标一览表"),
    ("署名", "示例县教育体育局"),
    ("成文日期", "2026年12月2日"),
    ("附件标识", "附件"),
    ("公文标题", "2026年教育事业主要指标一览表"),
]


def body_paragraphs(doc):
    """The document's paragraphs, less the writer's hairline paragraph that closes a body ending in a
    table (Word needs a paragraph there; it is 1 pt high, not a blank line)."""
    body = doc.element.body
    out = []
    for p in doc.paragraphs:
        previous = p._p.getprevious()
        if not p.text and previous is not None and previous.tag == qn("w:tbl") and p._p.getnext().tag == qn("w:sectPr"):
            continue
        out.append(p)
    assert body is not None
    return out


def test_every_paragraph_in_order_with_numbers_from_the_metrics(annual_docx):
    # a title's line breaks ("\n") are tested on their own; the words are compared here
    paragraphs = [(p.style.name, p.text.replace("\n", "")) for p in body_paragraphs(Document(annual_docx))]
    assert len(paragraphs) == len(EXPECTED_ANNUAL)
    for (style, text), (want_style, want_start) in zip(paragraphs, EXPECTED_ANNUAL):
        assert style == want_style and text.startswith(want_start), (style, text)
    assert all(p[1].strip() for p in paragraphs)  # no blank paragraphs
    assert not any("【" in text for _, text in paragraphs)


def test_run_in_headings_use_the_level_two_font(annual_docx):
    doc = Document(annual_docx)
    problem = next(p for p in doc.paragraphs if p.text.startswith("（一）城乡"))
    heading_run, body_run = problem.runs[0], problem.runs[1]
    assert heading_run.text == "（一）城乡教育资源配置仍不均衡。"
    assert heading_run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    assert body_run._r.rPr is None  # the paragraph style's 仿宋


def test_metadata(annual_docx):
    props = Document(annual_docx).core_properties
    assert props.author == "示例县教育体育局" and props.title.startswith("示例县教育体育局2026年")
    assert props.created.year >= 2026 and "python-docx" not in (props.author + props.last_modified_by)


def test_empty_optional_parts_leave_no_heading(invoke, tmp_path):
    out = tmp_path / "半年.docx"
    assert render(invoke, HALF, out).exit_code == 0
    texts = [p.text for p in Document(out).paragraphs]
    assert texts[:2] == ["示例旗教育体育局2026年上半年工作总结", "一、上半年工作落实情况"]
    assert "二、下半年工作打算" in texts and not any("存在的问题" in t for t in texts)
    assert all(t.strip() for t in texts)


def test_merged_problems_and_plans(invoke, tmp_path):
    out = tmp_path / "专项.docx"
    assert render(invoke, EXAMPLES / "special-balanced-education.yaml", out).exit_code == 0
    texts = [p.text for p in Document(out).paragraphs]
    headings = [t for t in texts if re.match("^[一二三四]、", t)]
    assert headings == ["一、全县义务教育概况", "二、主要工作做法及取得成效", "三、存在的问题及下一步打算"]
    bridge = texts.index("针对上述问题，下一步我们将重点做好以下工作。")
    assert texts[bridge - 1].startswith("对照优质均衡发展的评估标准")
    assert texts[bridge + 1].startswith("（一）扩充城区学位。加快城东新区小学建设，新增学位1620个")


def test_indicators_table_fills_the_declared_attachment_on_its_own_page(invoke, tmp_path):
    """The annual example declares its 指标一览表 (indicators: true): the table fills it, with or
    without --indicators, and --indicators adds no second attachment."""
    from reporttool.load.files import load_bytes
    from reporttool.model import report as model

    metrics = model.build(load_bytes(ANNUAL.read_bytes(), "a")).metrics
    for extra in ((), ("--indicators",)):
        out = tmp_path / f"指标{len(extra)}.docx"
        assert render(invoke, ANNUAL, out, *extra).exit_code == 0
        doc = Document(out)
        assert len(doc.tables) == 1
        table = doc.tables[0]
        assert [c.text for c in table.rows[0].cells] == ["指标", "数值", "比上年或目标"]
        rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in table.rows[1:]}
        assert rows["本科上线人数"] == ("1487人", "比上年增加162人")
        assert rows["计划新增学位"] == ("3000个", "目标，2027年8月前完成")
        assert len(table.rows) == 1 + len(metrics) and len(metrics) == 23
        texts = [p.text for p in doc.paragraphs]
        assert texts.count("附件") == 1 and "附件2" not in texts and not any("2." in t for t in texts if "附件" in t)
        heading = next(p for p in doc.paragraphs if p.text == "附件")
        assert heading._p.pPr.find(qn("w:pageBreakBefore")) is not None
        assert [p.text for p in doc.paragraphs if p.style.name == "附件说明"] == ["附件：2026年教育事业主要指标一览表"]


def without_attachments(text: str) -> str:
    return text[:text.index("# 附件在正文后")]


def test_indicators_flag_adds_the_table_when_none_is_declared(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(without_attachments(ANNUAL.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "d.docx"
    assert render(invoke, draft, out).exit_code == 0
    assert Document(out).tables == [] and "附件" not in [p.text for p in Document(out).paragraphs]
    assert render(invoke, draft, out, "--indicators", "--overwrite").exit_code == 0
    doc = Document(out)
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 24
    assert [p.text for p in doc.paragraphs if p.style.name == "附件说明"] == ["附件：主要指标一览表"]


def test_a_draft_without_metrics_gets_no_table_and_is_told(invoke, tmp_path):
    from conftest import VALID_DRAFT
    from reporttool.api import render_text

    result = render_text(VALID_DRAFT, indicators=True)
    doc = Document(io.BytesIO(result.docx))
    assert doc.tables == [] and not any(p.text.startswith("附件") for p in doc.paragraphs)
    from reporttool.render import compose

    report = model_of(VALID_DRAFT)
    notes = compose.render_notes(report, indicators=True)
    assert [(n.rule, n.message) for n in notes] == [
        ("structure/empty-attachment", "草稿中没有可列出的指标，--indicators 未生成“主要指标一览表”")]
    assert compose.render_notes(report, indicators=False) == []
    declared = VALID_DRAFT + "attachments:\n  - title: 主要指标一览表\n    indicators: true\n"
    problems = [p for p in render_text(declared).problems if p.rule == "structure/empty-attachment"]
    assert [p.message for p in problems] == [
        "附件“主要指标一览表”标为指标一览表，但草稿中没有可列出的指标：不生成表格，只在附件说明中列出"]
    doc = Document(io.BytesIO(render_text(declared).docx))
    assert doc.tables == [] and [p.text for p in doc.paragraphs if p.style.name == "附件说明"] == ["附件：主要指标一览表"]
    assert "附件标识" not in [p.style.name for p in doc.paragraphs]  # listed, never a blank page


def model_of(text: str):
    from reporttool.load.files import load_bytes
    from reporttool.model import report as model

    return model.build(load_bytes(text.encode("utf-8"), "d.yaml"))


INJECTION = VALID_META + """achievements:
  sections:
    - heading: "{{ 1+1 }} <w:p/> &amp;"
      text: |
        {% for i in range(3) %}循环{% endfor %} </p><pagebreak/> {# 注释 #} 正文 & <b>
"""


def test_template_syntax_and_markup_in_a_draft_stay_literal(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(INJECTION, encoding="utf-8")
    out = tmp_path / "d.docx"
    result = render(invoke, draft, out)
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(out).paragraphs]
    assert "（一）{{ 1+1 }} <w:p/> &amp;" in texts
    assert "{% for i in range(3) %}循环{% endfor %} </p><pagebreak/> {# 注释 #} 正文 & <b>" in texts
    with zipfile.ZipFile(out) as archive:
        assert "&lt;w:p/&gt; &amp;amp;" in archive.read("word/document.xml").decode("utf-8")


def test_control_characters_are_reported_never_written(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(INJECTION.replace("正文 &", "正文\x0b&"), encoding="utf-8")
    out = tmp_path / "d.docx"
    result = render(invoke, draft, out)
    assert result.exit_code == 1 and "[yaml/control-char]" in result.output and "U+000B" in result.output
    assert not out.exists()


def test_draft_with_errors_is_not_rendered_unless_forced(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(ANNUAL.read_text(encoding="utf-8").replace("change: 162", "change: 746"), encoding="utf-8")
    out = tmp_path / "d.docx"
    result = render(invoke, draft, out)
    assert result.exit_code == 1 and "[metric/change]" in result.output and not out.exists()
    assert render(invoke, draft, out, "--allow-errors").exit_code == 0 and out.exists()
    old_name = render(invoke, draft, tmp_path / "old.docx", "--force")  # the old name still works, with a note
    assert old_name.exit_code == 0 and "--allow-errors" in old_name.output
    broken = tmp_path / "e.yaml"
    broken.write_text(VALID_META, encoding="utf-8")
    assert render(invoke, broken, tmp_path / "e.docx", "--allow-errors").exit_code == 1


def test_existing_output_is_kept_unless_overwrite_and_mode_survives(invoke, tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"old report")
    os.chmod(out, 0o640)
    result = render(invoke, ANNUAL, out)
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert out.read_bytes() == b"old report"
    assert render(invoke, ANNUAL, out, "--overwrite").exit_code == 0
    assert zipfile.is_zipfile(out) and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_save_leaves_the_old_file_and_no_temp(invoke, tmp_path, monkeypatch):
    out = tmp_path / "r.docx"
    out.write_bytes(b"old report")

    def full_disk(fd):  # the disk fills while the new file is flushed
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = render(invoke, ANNUAL, out, "--overwrite")
    assert result.exit_code == 2 and "磁盘空间不足" in result.output
    assert out.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_missing_output_directory(invoke, tmp_path):
    result = render(invoke, ANNUAL, tmp_path / "无" / "r.docx")
    assert result.exit_code == 2 and "不存在" in result.output


def test_style_override_and_bad_style_file(invoke, tmp_path):
    style = tmp_path / "本单位版式.yaml"
    style.write_text("styles:\n  body:\n    size: 小四\n  heading1:\n    bold: true\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    assert render(invoke, ANNUAL, out, "--style", str(style)).exit_code == 0
    doc = Document(out)
    assert doc.styles["公文正文"].element.rPr.find(qn("w:sz")).get(qn("w:val")) == "24"
    assert doc.styles["公文正文"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.styles["一级标题"].element.rPr.find(qn("w:b")) is not None
    style.write_text("styles:\n  body:\n    size: 大号\n  bodyy:\n    font: 宋体\n", encoding="utf-8")
    result = render(invoke, ANNUAL, tmp_path / "s.docx", "--style", str(style))
    assert result.exit_code == 2
    assert f"{style}:3:11: 错误 [schema/pattern]" in result.output
    assert "不认识的字段“bodyy”" in result.output and "是否应为“body”" in result.output


def test_layout_figures_come_from_the_style_file(invoke, tmp_path):
    """页眉位置、装订线、栏间距也在版式文件里，覆盖后写进 .docx。"""
    from lxml import etree

    style = tmp_path / "本单位版式.yaml"
    style.write_text("page:\n  header_mm: 12\n  gutter_mm: 5\n  column_space_mm: 10\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    result = render(invoke, ANNUAL, out, "--style", str(style))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    sect = root.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    margins = sect.find(qn("w:pgMar"))
    assert margins.get(qn("w:header")) == str(round(12 * TWIPS_PER_MM)) == "680"
    assert margins.get(qn("w:gutter")) == str(round(5 * TWIPS_PER_MM)) == "283"
    assert sect.find(qn("w:cols")).get(qn("w:space")) == str(round(10 * TWIPS_PER_MM)) == "567"
    assert margins.get(qn("w:top")) == str(round(37 * TWIPS_PER_MM))  # the rest stays the default
    style.write_text("page:\n  header_mm: -1\n", encoding="utf-8")
    result = render(invoke, ANNUAL, tmp_path / "s.docx", "--style", str(style))
    assert result.exit_code == 2
    assert f"{style}:2:14: 错误 [schema/range] “page.header_mm”（页眉位置）为 -1，不能小于 0" in result.output
    assert not (tmp_path / "s.docx").exists()


def test_template_choice_and_broken_template(invoke, tmp_path):
    out = tmp_path / "r.docx"
    assert render(invoke, ANNUAL, out, "--template", "special").exit_code == 0
    assert "一、2026年工作成效" in [p.text for p in Document(out).paragraphs]
    bad = tmp_path / "坏模板.xml.j2"
    bad.write_text("<title>{{ report.no_such_field }}</title>\n", encoding="utf-8")
    result = render(invoke, ANNUAL, tmp_path / "b.docx", "--template", str(bad))
    assert result.exit_code == 2 and "模板“坏模板.xml.j2”" in result.output
    assert not (tmp_path / "b.docx").exists()
    sandbox = tmp_path / "沙箱.xml.j2"
    sandbox.write_text("<p>{{ report.__class__.__mro__ }}</p>\n", encoding="utf-8")
    assert render(invoke, ANNUAL, tmp_path / "c.docx", "--template", str(sandbox)).exit_code == 2
    assert render(invoke, ANNUAL, tmp_path / "d.docx", "--template", "nonesuch").exit_code == 2


ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
           "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
           "cs em lang eastAsianLayout specVanish oMath",
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat locked "
             "personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
              "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings",
}


def test_every_element_is_in_schema_order_so_word_opens_the_file(invoke, tmp_path):
    from lxml import etree

    out = tmp_path / "r.docx"
    assert render(invoke, ANNUAL, out, "--indicators").exit_code == 0
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(out) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        for name in parts:
            root = etree.fromstring(archive.read(name))
            for parent_name, order in ORDER.items():
                sequence = order.split()
                for parent in root.iter(w + parent_name):
                    children = [c.tag[len(w):] for c in parent if c.tag.startswith(w)]
                    known = [sequence.index(c) for c in children if c in sequence]
                    assert known == sorted(known), (name, parent_name, children)


def test_signature_and_date_follow_gb_9704(invoke, tmp_path):
    """署名右空二字，成文日期首字比署名首字右移二字；日期较长时日期右空二字、署名左移。"""
    def indents(draft_text):
        draft = tmp_path / "d.yaml"
        draft.write_text(draft_text, encoding="utf-8")
        out = tmp_path / "d.docx"
        assert render(invoke, draft, out, "--overwrite").exit_code == 0
        doc = Document(out)
        found = {}
        for p in doc.paragraphs:
            if p.style.name in ("署名", "成文日期"):
                found[p.style.name] = (p.text, int(p._p.pPr.find(qn("w:ind")).get(qn("w:right"))))
        return found

    text = ANNUAL.read_text(encoding="utf-8")
    # 2026年12月2日 is 6.5 字 wide (seven half-width digits). 示例县教育体育局 is 8 字: the date is
    # 右空二字 and the signer starts 2 字 left of it, so the signer stands 2.5 字 from the edge.
    assert indents(text) == {"署名": ("示例县教育体育局", 800), "成文日期": ("2026年12月2日", 640)}
    shorter = text.replace("issuer: 示例县教育体育局", "issuer: 示例县教育局")  # 6 字: 4.5 字 from the edge
    assert indents(shorter) == {"署名": ("示例县教育局", 1440), "成文日期": ("2026年12月2日", 640)}
    # a 13-字 signer: the signer is 右空二字 and the date starts 2 字 right of its first character
    longer = text.replace("issuer: 示例县教育体育局", "issuer: 示例自治县教育和体育局办公")
    assert indents(longer) == {"署名": ("示例自治县教育和体育局办公", 640), "成文日期": ("2026年12月2日", 2080)}


# --- issue 10: levels 3–4, title lines, qualifiers, the closing block, attachments ---------------

def blocks_of(text: str, **options):
    from reporttool.render import compose

    return compose.compose(model_of(text), **options)


def docx_of(text: str, **options):
    from reporttool.api import render_text

    return Document(io.BytesIO(render_text(text, **options).docx))


LEVELS = VALID_META + """achievements:
  sections:
    - heading: 优质学位不断扩充
      text: |
        全年新增学位成效明显。
      items:
        - heading: 加大学位建设力度
          text: |
            新建学校一批。
            第二段说明。
          items:
            - heading: 城区学校扩容
              text: |
                新建城东小学。
            - text: |
                改造农村学校校舍。
        - text: |
            规范民办义务教育发展。
    - heading: 教师队伍持续加强
      items:
        - text: |
            补充教师一批。
        - text: |
            开展教师培训。
"""


def run_font(run) -> str | None:
    rpr = run._r.rPr
    return None if rpr is None else rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_items_as_numbered_paragraphs_levels_3_and_4_in_their_fonts(tmp_path):
    doc = docx_of(LEVELS)
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("全年新增学位成效明显。")
    assert texts[start + 1:start + 6] == [
        "1.加大学位建设力度。新建学校一批。", "第二段说明。", "（1）城区学校扩容。新建城东小学。", "（2）改造农村学校校舍。",
        "2.规范民办义务教育发展。"]
    item = doc.paragraphs[start + 1]
    assert item.style.name == "公文正文" and item.runs[0].text == "1.加大学位建设力度。"
    sub = doc.paragraphs[start + 3]
    assert sub.runs[0].text == "（1）城区学校扩容。"
    house = {name: spec["font"] for name, spec in house_style().data["styles"].items()}
    assert run_font(item.runs[0]) == house["heading3"] and run_font(sub.runs[0]) == house["heading4"]
    # a section with sub-items is numbered by default; the one without stays 一是…；二是…
    assert "一是补充教师一批；二是开展教师培训。" in texts


def house_style():
    from reporttool.render import house_style as style

    return style.load()


def test_item_numbering_per_draft_and_per_section():
    numbered = LEVELS.replace("  date: 2026-12-02\n", "  date: 2026-12-02\n  item_numbering: numbered\n")
    texts = [p.text for p in docx_of(numbered).paragraphs]
    assert "1.补充教师一批。" in texts and "2.开展教师培训。" in texts
    run_in = LEVELS.replace("    - heading: 优质学位不断扩充\n", "    - heading: 优质学位不断扩充\n      item_numbering: run-in\n")
    texts = [p.text for p in docx_of(run_in).paragraphs]
    assert ("一是加大学位建设力度。新建学校一批。第二段说明：（1）城区学校扩容。新建城东小学，（2）改造农村学校校舍；"
            "二是规范民办义务教育发展。") in texts
    assert not any(t.startswith("1.") for t in texts)
    # the section's choice wins over the draft's
    both = numbered.replace("    - heading: 教师队伍持续加强\n", "    - heading: 教师队伍持续加强\n      item_numbering: run-in\n")
    assert "一是补充教师一批；二是开展教师培训。" in [p.text for p in docx_of(both).paragraphs]


def test_problems_and_plans_items_numbered_and_their_sub_items():
    text = VALID_DRAFT + """problems:
  item_numbering: numbered
  items:
    - text: |
        城区学位紧张。
    - text: |
        教师结构性短缺。
plans:
  items:
    - heading: 扩充学位
      text: |
        新建学校。
      items:
        - text: |
            城东新建小学。
        - text: |
            城西改扩建初中。
"""
    texts = [p.text for p in docx_of(text).paragraphs]
    assert ["（一）城区学位紧张。", "（二）教师结构性短缺。"] == [t for t in texts if "学位紧张" in t or "结构性" in t]
    at = texts.index("（一）扩充学位。新建学校。")
    assert texts[at + 1:at + 3] == ["1.城东新建小学。", "2.城西改扩建初中。"]


def test_the_writers_own_title_lines_become_line_breaks():
    text = VALID_DRAFT.replace("  title: 示例县教育局2026年工作总结\n",
                               "  title: 示例县教育局2026年工作总结\n  title_lines:\n    - 示例县教育局\n    - 2026年工作总结\n")
    text += "attachments:\n  - title: 全县中小学校舍维修改造项目资金安排明细表\n    title_lines: [全县中小学校舍维修改造, 项目资金安排明细表]\n" \
            "    text: |\n      按学校列出。\n"
    doc = docx_of(text)
    titles = [p for p in doc.paragraphs if p.style.name == "公文标题"]
    assert [p.text for p in titles] == ["示例县教育局\n2026年工作总结", "全县中小学校舍维修改造\n项目资金安排明细表"]
    assert titles[0]._p.find(".//" + qn("w:br")) is not None
    assert doc.core_properties.title == "示例县教育局2026年工作总结"  # the metadata keeps one line
    assert problems_of(text) == []


def test_title_lines_that_do_not_join_to_the_title_are_an_error():
    text = VALID_DRAFT.replace("  title: 示例县教育局2026年工作总结\n",
                               "  title: 示例县教育局2026年工作总结\n  title_lines:\n    - 示例县教育局\n    - 2026年度工作总结\n")
    found = only(problems_of(text), "structure/title-lines")
    assert found[0].message == "标题分行连起来是“示例县教育局2026年度工作总结”，与标题“示例县教育局2026年工作总结”不一致"
    assert found[0].severity.value == "error" and found[0].line == 4
    # forced anyway, the title keeps its own words (the lines are not used)
    blocks = blocks_of(text)
    assert blocks[0].text == "示例县教育局2026年工作总结"


def test_a_long_title_is_broken_automatically_into_whole_lines():
    from reporttool.render import compose

    title = "示例县教育体育局关于2026年义务教育优质均衡发展工作情况的报告"
    blocks = blocks_of(VALID_DRAFT.replace("示例县教育局2026年工作总结", title))
    lines = blocks[0].text.split("\n")
    assert "".join(lines) == title
    if compose._break_title is not None:  # reporttool.render.title decides where (tests/test_title.py)
        assert len(lines) >= 2 and all(compose.text_width(line) <= compose.title_chars_per_line() for line in lines)
    short = blocks_of(VALID_DRAFT)
    assert short[0].text == "示例县教育局2026年工作总结"


@pytest.mark.parametrize("written, printed", [
    ("1500余万元", "1500余万元"), ("1500多万元", "1500多万元"), ("约1500万元", "约1500万元"),
    ("近1500万元", "近1500万元"), ("1万余人", "1万余人"), ("5000多人次", "5000多人次"), ("300人以上", "300人以上")])
def test_qualifiers_stand_where_chinese_writes_them(written, printed):
    text = VALID_META + f"""achievements:
  sections:
    - heading: 经费投入
      text: |
        全年投入【投入】。
      metrics:
        - 投入: {written}
"""
    assert "全年投入" + printed + "。" in [p.text for p in docx_of(text).paragraphs]
    long_form = text.replace(f"        - 投入: {written}\n", "        - {name: 投入, value: 1500, unit: 万元, qualifier: 余}\n")
    assert "全年投入1500余万元。" in [p.text for p in docx_of(long_form).paragraphs]


ATTACHED = VALID_DRAFT + """closing: |
  特此报告。
attachments:
  - title: 全县义务教育薄弱环节改善与能力提升项目资金安排明细表
    text: |
      按乡镇列出。
  - title: 全县中小学校安全隐患排查整改台账
  - title: 全县教育信息化设备配备清单
    text: |
      按学校列出。
"""


def test_the_closing_block_keeps_with_the_last_body_text():
    """7.3.5.5: the last body paragraph, 附件说明 and 署名 keep with what follows them."""
    blocks = blocks_of(ATTACHED)
    signature = next(i for i, b in enumerate(blocks) if b.style == "signature")
    closing = next(i for i, b in enumerate(blocks) if b.text == "特此报告。")
    assert [b.style for b in blocks[closing:signature + 2]] == ["body"] + ["attachment_note"] * 3 + ["signature", "date"]
    assert all(b.keep_with_next for b in blocks[closing:signature + 1]) and not blocks[signature + 1].keep_with_next
    doc = docx_of(ATTACHED)
    kept = [p.text for p in doc.paragraphs if p._p.pPr.find(qn("w:keepNext")) is not None]
    assert {"特此报告。", "示例县教育局"} <= set(kept)


def test_attachment_notes_hang_under_the_name_with_one_blank_line_before_the_first():
    notes = [b for b in blocks_of(ATTACHED) if b.style == "attachment_note"]
    assert [b.text for b in notes] == ["附件：1.\t全县义务教育薄弱环节改善与能力提升项目资金安排明细表",
                                       "2.\t全县中小学校安全隐患排查整改台账", "3.\t全县教育信息化设备配备清单"]
    # the name (after the tab) at 6 字, the first line from 2 字 (附件：), the others from 5 字 (under 1.)
    assert [(b.left_chars, b.first_line_chars, b.space_before_lines) for b in notes] == [
        (6, -4, None), (6, -1, 0), (6, -1, 0)]
    many = VALID_DRAFT + "attachments:\n" + "".join(f"  - title: 附件名称{n}\n    text: |\n      正文。\n" for n in range(12))
    notes = [b for b in blocks_of(many) if b.style == "attachment_note"]
    assert notes[9].text.startswith("10.\t") and (notes[9].left_chars, notes[9].first_line_chars) == (6.5, -1.5)
    one = VALID_DRAFT + "attachments:\n  - title: 全县教育信息化设备配备清单\n    text: |\n      正文。\n"
    (note,) = [b for b in blocks_of(one) if b.style == "attachment_note"]
    assert (note.text, note.left_chars, note.first_line_chars) == ("附件：全县教育信息化设备配备清单", 5, -3)


def test_attachment_pages_title_on_line_3_and_none_for_a_title_only_attachment():
    blocks = blocks_of(ATTACHED)
    headings = [i for i, b in enumerate(blocks) if b.style == "attachment_heading"]
    assert [blocks[i].text for i in headings] == ["附件1", "附件3"]  # 附件2 has a title only: listed, no page
    for i in headings:
        heading, title = blocks[i], blocks[i + 1]
        assert heading.page_break_before and heading.space_after_lines == 1 and heading.keep_with_next
        assert title.style == "title"
    found = only(problems_of(ATTACHED), "structure/empty-attachment")
    assert [p.message for p in found] == ["附件“全县中小学校安全隐患排查整改台账”只有名称，没有正文：排版时只在附件说明中列出，不另排一页"]
    assert found[0].line == 19 and found[0].hint.startswith("填写附件正文")


def test_markup_attributes_and_line_breaks():
    from reporttool.render.compose import ComposeError, parse_markup

    blocks = parse_markup('<p keep="1" left="6" first="-4" before="0" after="1">甲<br/>乙<r s="heading3">丙<br/>丁</r></p>'
                          '<nobreak/><p>戊</p><table header="2" align="left,right"><row><cell>a</cell></row></table>'
                          '<table></table><p>  </p>')
    assert [b.text for b in blocks] == ["甲\n乙丙\n丁", "戊", ""]
    first = blocks[0]
    assert first.runs == [("甲\n乙", None), ("丙\n丁", "heading3")]
    assert (first.keep_with_next, first.left_chars, first.first_line_chars, first.space_before_lines,
            first.space_after_lines) == (True, 6, -4, 0, 1)
    table = blocks[2]
    assert (table.style, table.header_rows, table.align, table.rows) == ("table", 2, ["left", "right"], [["a"]])
    parse_markup("<nobreak/>")  # nothing before it: nothing to keep
    for bad in ('<table align="middle"><row><cell>a</cell></row></table>', '<p left="x">a</p>', "<p><b>a</b></p>"):
        with pytest.raises(ComposeError):
            parse_markup(bad)


def test_a_quoted_font_size_in_a_style_file_is_refused_with_its_location(invoke, tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text('styles:\n  body:\n    size: "16"\n', encoding="utf-8")
    result = render(invoke, ANNUAL, tmp_path / "r.docx", "--style", str(style))
    assert result.exit_code == 2 and "style.yaml:3:11" in result.output and "不加引号的磅值" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_temporary_files_left_by_a_killed_run_are_cleared_by_the_next(invoke, tmp_path):
    out = tmp_path / "r.docx"
    stale = tmp_path / ".r.docx.abc123.tmp"  # what kill -9 during a save leaves
    fresh = tmp_path / ".r.docx.def456.tmp"  # another run writing right now: not touched
    for left in (stale, fresh):
        left.write_bytes(b"PK partial")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    assert render(invoke, ANNUAL, out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, "r.docx"]


@pytest.mark.parametrize("text, rule, where", [
    ("page:\n  left_mm: -30\n", "schema/range", (2, 12)),
    ("page:\n  left_mm: 1e9\n", "schema/range", (2, 12)),
    ("page:\n  width_mm: 10\n", "schema/range", (2, 13)),
    ("styles:\n  body:\n    size: 999\n", "schema/range", (3, 11)),
    ("styles:\n  body:\n    size: 小九\n", "schema/pattern", (3, 11)),
    ("grid:\n  chars: 0\n", "schema/range", (2, 10)),
    ("page: [1, 2]\n", "schema/type", (1, 7)),
    ("bogus: 1\n", "schema/unknown-key", (1, 1)),
    ('fonts:\n  latin: "\\u0000"\n', "yaml/control-char", (2, 10)),
    ("fonts:\n  latin: \u200b\u202e宋体\n", None, None),  # junk a font name may hold: rendered or refused, never a crash
])
def test_hostile_house_style_values_are_refused_at_their_place(invoke, tmp_path, text, rule, where):
    style = tmp_path / "版式.yaml"
    style.write_text(text, encoding="utf-8")
    result = invoke("render", str(EXAMPLES / "annual-county.yaml"), "--style", str(style), "-o",
                    str(tmp_path / "out.docx"))
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    if rule is None:
        assert result.exit_code in (0, 2), result.output
        return
    assert result.exit_code == 2, result.output
    assert f"版式.yaml:{where[0]}:{where[1]}: 错误 [{rule}]" in result.output, result.output
    assert not (tmp_path / "out.docx").exists()
