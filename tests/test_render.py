"""Rendering: the .docx read back (styles, fonts, page, footer, text), and safety of the output."""

from __future__ import annotations

import os
import re
import stat
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, VALID_META

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


def test_every_paragraph_in_order_with_numbers_from_the_metrics(annual_docx):
    paragraphs = [(p.style.name, p.text) for p in Document(annual_docx).paragraphs]
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


def test_indicators_table_on_its_own_page(invoke, tmp_path):
    out = tmp_path / "指标.docx"
    assert render(invoke, ANNUAL, out, "--indicators").exit_code == 0
    doc = Document(out)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "数值", "比上年或目标"]
    rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in table.rows[1:]}
    assert rows["本科上线人数"] == ("1487人", "比上年增加162人")
    assert rows["计划新增学位"] == ("3000个", "目标，2027年8月前完成")
    from reporttool.load.files import load_bytes
    from reporttool.model import report as model

    metrics = model.build(load_bytes(ANNUAL.read_bytes(), "a")).metrics
    assert len(table.rows) == 1 + len(metrics) and len(metrics) == 23
    heading = next(p for p in doc.paragraphs if p.text == "附件2")
    assert heading._p.pPr.find(qn("w:pageBreakBefore")) is not None
    assert any(p.text == "　　　2.主要指标一览表" for p in doc.paragraphs)


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
    assert render(invoke, draft, out, "--force").exit_code == 0 and out.exists()
    broken = tmp_path / "e.yaml"
    broken.write_text(VALID_META, encoding="utf-8")
    assert render(invoke, broken, tmp_path / "e.docx", "--force").exit_code == 1


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
    assert result.exit_code == 2 and "No space left" in result.output
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
