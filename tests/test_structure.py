"""Structures real reports have (issue 11, item 6), read back from the .docx: parts with no heading
(headless), topic areas as the top-level 一、二、…, achievements inside 基本情况 (in_profile), a
closing plans paragraph with no heading, a third plan level, and the structure/ rules that catch
the ways a writer gets them wrong (each with a firing and a near-miss case)."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, VALID_META, problems_of

TOPICS = EXAMPLES / "annual-topics.yaml"
SIGNATURE_STYLES = ("署名", "成文日期")


def docx_of(text: str, **options):
    from reporttool.api import render_text

    return Document(io.BytesIO(render_text(text, **options).docx))


def body(doc) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs between the title block and the 署名."""
    out = []
    for p in doc.paragraphs:
        if p.style.name in SIGNATURE_STYLES:
            break
        if p.style.name not in ("公文标题", "主送机关"):
            out.append((p.style.name, p.text))
    return out


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "一级标题"]


def run_font(run) -> str | None:
    rpr = run._r.rPr
    return None if rpr is None else rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def house_fonts() -> dict[str, str]:
    from reporttool.render import house_style

    return {name: spec["font"] for name, spec in house_style.load().data["styles"].items()}


def rules_of(text: str) -> list[str]:
    return [p.rule for p in problems_of(text)]


def fired(text: str, rule: str):
    found = [p for p in problems_of(text) if p.rule == rule]
    assert found, f"no {rule} in {[(p.rule, p.message) for p in problems_of(text)]}"
    return found


def silent(text: str, rule: str) -> None:
    found = [(p.rule, p.message) for p in problems_of(text) if p.rule == rule]
    assert found == [], found


# --- 1. topic areas as the top-level parts (工作成效 headless) ----------------------------------------

def test_the_example_numbers_its_topic_areas_as_parts_and_continues_with_problems():
    text = TOPICS.read_text(encoding="utf-8")
    assert problems_of(text) == []
    doc = docx_of(text)
    assert headings(doc) == ["一、扩容提质并举，学位供给更加充足", "二、培养引进并重，教师队伍更加优化",
                             "三、立德树人为本，育人质量更加彰显", "四、存在的问题"]
    texts = [t for _, t in body(doc)]
    assert not any(word in t for t in texts for word in ("主要工作及成效", "工作计划", "下一步工作"))
    # the topic area's items are （一）, their sub-items 1., each number in its level's font
    start = texts.index("（一）补充新生力量。公开招聘教师128名，其中研究生学历21名，新教师全部充实到农村学校和城区新建学校。")
    assert texts[start + 1:start + 4] == ["（二）强化培训研修。组织教师参加各级各类培训6800人次。",
                                          "1.新教师入职培训。以“师徒结对”方式开展为期一年的跟岗研修。",
                                          "2.骨干教师研修。选派骨干教师赴省内名校跟岗学习。"]
    fonts = house_fonts()
    paragraphs = [p for p in doc.paragraphs if p.text.startswith(("（一）补充", "1.新教师"))]
    assert [run_font(p.runs[0]) for p in paragraphs] == [fonts["heading2"], fonts["heading3"]]


def test_the_closing_plans_paragraph_has_no_heading_and_stands_last():
    doc = docx_of(TOPICS.read_text(encoding="utf-8"))
    last_style, last = body(doc)[-1]
    assert last_style == "公文正文" and last.startswith("下一步，我们将持续扩充优质学位")
    styles = [p.style.name for p in doc.paragraphs]
    assert styles[styles.index("署名") - 1] == "公文正文"  # no heading was invented before it
    assert headings(doc)[-1] == "四、存在的问题"


TOPICAL = VALID_META.replace("kind: special", "kind: annual") + """preface: |
  全县教育系统紧紧围绕年度目标任务，扎实推进各项工作。
achievements:
  headless: true
  text: |
    一年来，我们重点抓了以下几个方面的工作。
  sections:
    - heading: 抓党建，教育系统政治生态持续向好
      text: |
        开展“一校一品”党建品牌创建活动。
    - heading: 抓均衡，城乡办学条件差距逐步缩小
      text: |
        实施农村学校厕所改造和食堂提升工程。
problems:
  text: |
    教育投入与群众期盼相比仍有差距。
plans:
  heading: 2027年工作打算
  text: |
    2027年，我们将紧盯短板弱项，推动全县教育提质增效。
"""


def test_headless_achievements_lead_text_then_sections_as_parts_and_later_parts_numbered_on():
    assert problems_of(TOPICAL) == []
    doc = docx_of(TOPICAL)
    assert headings(doc) == ["一、抓党建，教育系统政治生态持续向好", "二、抓均衡，城乡办学条件差距逐步缩小",
                             "三、存在的问题", "四、2027年工作打算"]
    texts = [t for _, t in body(doc)]
    assert texts[:3] == ["全县教育系统紧紧围绕年度目标任务，扎实推进各项工作。", "一年来，我们重点抓了以下几个方面的工作。",
                         "一、抓党建，教育系统政治生态持续向好"]
    assert "主要工作及成效" not in "".join(texts)


def test_a_headed_profile_before_headless_achievements_takes_the_first_number():
    text = TOPICAL.replace("achievements:\n", "profile:\n  heading: 全县教育概况\n  text: |\n    全县有各级各类学校一批。\n"
                                               "achievements:\n", 1)
    assert problems_of(text) == []
    assert headings(docx_of(text)) == ["一、全县教育概况", "二、抓党建，教育系统政治生态持续向好",
                                       "三、抓均衡，城乡办学条件差距逐步缩小", "四、存在的问题", "五、2027年工作打算"]


def test_headless_achievements_items_are_run_in_by_default_and_level_two_when_numbered():
    run_in = TOPICAL.replace("""        开展“一校一品”党建品牌创建活动。
""", """        开展“一校一品”党建品牌创建活动。
      items:
        - text: |
            健全学校党组织领导的校长负责制
        - text: |
            选优配强学校党组织书记
""")
    texts = [t for _, t in body(docx_of(run_in))]
    assert "一是健全学校党组织领导的校长负责制；二是选优配强学校党组织书记。" in texts
    numbered = run_in.replace("    - heading: 抓党建，教育系统政治生态持续向好\n",
                              "    - heading: 抓党建，教育系统政治生态持续向好\n      item_numbering: numbered\n")
    doc = docx_of(numbered)
    texts = [t for _, t in body(doc)]
    assert ["（一）健全学校党组织领导的校长负责制", "（二）选优配强学校党组织书记"] == [t for t in texts if "党组织" in t and "（" in t]
    item = next(p for p in doc.paragraphs if p.text.startswith("（一）健全"))
    assert item.style.name == "公文正文" and run_font(item.runs[0]) == house_fonts()["heading2"]


# --- 2. a plans paragraph with no heading; 5. headless parts take no number --------------------------

CLOSING_PLANS = VALID_META + """achievements:
  heading: 主要做法及成效
  sections:
    - heading: 控辍保学责任全面压实
      text: |
        建立县、乡、校、村四级控辍保学联控联保机制。
problems:
  heading: 存在的困难
  text: |
    个别偏远村小生源持续减少，办学效益不高。
plans:
  headless: true
  text: |
    下一步，我们将进一步压实各方责任，确保适龄儿童少年应入尽入、应学尽学。
closing: |
  特此报告。
"""


def test_a_headless_plans_paragraph_prints_no_invented_heading():
    assert problems_of(CLOSING_PLANS) == []
    doc = docx_of(CLOSING_PLANS)
    assert headings(doc) == ["一、主要做法及成效", "二、存在的困难"]
    texts = [t for _, t in body(doc)]
    assert texts[-3:] == ["个别偏远村小生源持续减少，办学效益不高。",
                          "下一步，我们将进一步压实各方责任，确保适龄儿童少年应入尽入、应学尽学。", "特此报告。"]
    assert "下一步打算" not in "".join(texts)
    # without headless the kind's default heading is printed, as before
    headed = CLOSING_PLANS.replace("plans:\n  headless: true\n", "plans:\n")
    assert headings(docx_of(headed)) == ["一、主要做法及成效", "二、存在的困难", "三、下一步打算"]


def test_headless_parts_anywhere_take_no_number_and_the_others_stay_consecutive():
    text = CLOSING_PLANS.replace("problems:\n  heading: 存在的困难\n", "problems:\n  headless: true\n") \
        .replace("plans:\n  headless: true\n", "plans:\n  heading: 下一步工作打算\n")
    text = text.replace("achievements:\n", "profile:\n  headless: true\n  text: |\n    全县现有义务教育学校一批。\n"
                                           "achievements:\n", 1)
    assert problems_of(text) == []
    doc = docx_of(text)
    assert headings(doc) == ["一、主要做法及成效", "二、下一步工作打算"]
    texts = [t for _, t in body(doc)]
    assert texts[0] == "全县现有义务教育学校一批。" and texts[1] == "一、主要做法及成效"
    assert texts[texts.index("二、下一步工作打算") - 1] == "个别偏远村小生源持续减少，办学效益不高。"


MERGED = VALID_META + """achievements:
  sections:
    - heading: 课后服务提质扩面
      text: |
        全县义务教育学校课后服务实现全覆盖。
problems_and_plans:
  headless: true
  problems:
    text: |
      但也要看到，课后服务内容还不够丰富。
  bridge: |
    下一步，我们将引进优质社会资源，丰富课后服务内容。
  plans:
    text: |
      同时建立课后服务质量评价机制。
"""


def test_a_headless_merged_part_prints_its_prose_with_no_heading():
    assert problems_of(MERGED) == []
    doc = docx_of(MERGED)
    assert headings(doc) == ["一、主要工作做法及成效"]
    assert [t for _, t in body(doc)][-3:] == ["但也要看到，课后服务内容还不够丰富。",
                                              "下一步，我们将引进优质社会资源，丰富课后服务内容。", "同时建立课后服务质量评价机制。"]


# --- 3. achievements inside 基本情况 (in_profile) -------------------------------------------------

IN_PROFILE = VALID_META + """profile:
  heading: 基本情况
  text: |
    全县共有中小学校【学校】，在校学生【学生】。
  metrics:
    - 学校: 86所
    - 学生: 5.2万人
achievements:
  in_profile: true
  text: |
    近年来，我县重点做了以下工作。
  sections:
    - heading: 高位推动优质均衡创建
      text: |
        县政府将优质均衡创建列为全县重点工作。
    - heading: 持续改善农村办学条件
      text: |
        完成农村学校运动场改造。
problems_and_plans:
  heading: 存在的问题及下一步打算
  problems:
    text: |
      城区学校学位依然紧张。
  plans:
    text: |
      加快推进城区学校建设。
"""


def test_achievements_in_profile_continue_under_the_profile_heading():
    assert problems_of(IN_PROFILE) == []
    doc = docx_of(IN_PROFILE)
    assert headings(doc) == ["一、基本情况", "二、存在的问题及下一步打算"]
    assert body(doc)[:6] == [
        ("一级标题", "一、基本情况"), ("公文正文", "全县共有中小学校86所，在校学生5.2万人。"),
        ("公文正文", "近年来，我县重点做了以下工作。"), ("二级标题", "（一）高位推动优质均衡创建"),
        ("公文正文", "县政府将优质均衡创建列为全县重点工作。"), ("二级标题", "（二）持续改善农村办学条件")]
    assert "主要工作做法及成效" not in [t for _, t in body(doc)]


@pytest.mark.parametrize("kind, default", [("annual", "基本情况及主要成效"), ("special", "基本情况及主要做法"),
                                           ("half-year", "基本情况及工作落实情况")])
def test_a_combined_part_without_a_heading_gets_the_combined_default(kind, default):
    text = IN_PROFILE.replace("  heading: 基本情况\n", "", 1).replace("kind: special", f"kind: {kind}")
    assert headings(docx_of(text, allow_errors=True))[0] == f"一、{default}"


# --- 4. a third plan level: plan items （一）, sub-items 1., details （1） ------------------------------

PLAN_LEVELS = VALID_META + """achievements:
  sections:
    - heading: 学前教育普惠发展
      text: |
        新建公办幼儿园一批。
plans:
  heading: 下一步打算
  items:
    - heading: 扩充优质学位
      text: |
        统筹推进城区学校建设。
      items:
        - heading: 新建学校
          text: |
            开工建设两所学校：
          items:
            - text: |
                城东第二小学，2027年8月投入使用。
            - text: |
                城北初级中学，2027年12月主体完工。
        - text: |
            改扩建乡镇中心校三所。
    - heading: 建强教师队伍
      text: |
        实施县管校聘管理改革。
"""


def test_plan_items_sub_items_and_details_as_numbered_paragraphs_in_their_fonts():
    assert problems_of(PLAN_LEVELS) == []
    doc = docx_of(PLAN_LEVELS)
    texts = [t for _, t in body(doc)]
    at = texts.index("（一）扩充优质学位。统筹推进城区学校建设。")
    assert texts[at + 1:at + 6] == ["1.新建学校。开工建设两所学校：", "（1）城东第二小学，2027年8月投入使用。",
                                    "（2）城北初级中学，2027年12月主体完工。", "2.改扩建乡镇中心校三所。",
                                    "（二）建强教师队伍。实施县管校聘管理改革。"]
    fonts = house_fonts()
    numbers = [(p.runs[0].text, run_font(p.runs[0])) for p in doc.paragraphs if p.text.startswith(("（一）扩", "1.新", "（1）城"))]
    assert numbers == [("（一）扩充优质学位。", fonts["heading2"]), ("1.新建学校。", fonts["heading3"]),
                       ("（1）", fonts["heading4"])]


def test_plan_items_without_headings_numbered_and_run_in():
    unheaded = PLAN_LEVELS.replace("    - heading: 扩充优质学位\n      text: |\n        统筹推进城区学校建设。\n",
                                   "    - text: |\n        统筹推进城区学校建设。\n") \
        .replace("    - heading: 建强教师队伍\n      text: |\n", "    - text: |\n")
    texts = [t for _, t in body(docx_of(unheaded))]  # sub-items make the part numbered by default
    at = texts.index("（一）统筹推进城区学校建设。")
    assert texts[at + 1:at + 3] == ["1.新建学校。开工建设两所学校：", "（1）城东第二小学，2027年8月投入使用。"]
    run_in = unheaded.replace("plans:\n  heading: 下一步打算\n", "plans:\n  heading: 下一步打算\n  item_numbering: run-in\n")
    texts = [t for _, t in body(docx_of(run_in))]
    assert ("一是统筹推进城区学校建设：（1）新建学校。开工建设两所学校：①城东第二小学，2027年8月投入使用、"
            "②城北初级中学，2027年12月主体完工，（2）改扩建乡镇中心校三所；二是实施县管校聘管理改革。") in texts


def test_part_level_run_in_joins_headed_plan_items():
    text = PLAN_LEVELS.replace("plans:\n  heading: 下一步打算\n", "plans:\n  heading: 下一步打算\n  item_numbering: run-in\n")
    texts = [t for _, t in body(docx_of(text))]
    assert any(t.startswith("一是扩充优质学位。统筹推进城区学校建设：（1）新建学校。") for t in texts)
    assert not any(t.startswith("（一）扩充") for t in texts)


def test_problem_items_carry_details_too():
    text = VALID_META + """achievements:
  sections:
    - heading: 教育质量稳步提升
      text: |
        全县中考平均分比上年明显提高。
problems:
  items:
    - heading: 师资结构不优
      text: |
        学科结构性缺编问题突出。
      items:
        - text: |
            音体美教师不足：
          items:
            - text: |
                农村小学尤为突出。
"""
    texts = [t for _, t in body(docx_of(text))]
    at = texts.index("（一）师资结构不优。学科结构性缺编问题突出。")
    assert texts[at + 1:at + 3] == ["1.音体美教师不足：", "（1）农村小学尤为突出。"]


# --- the schema: the new fields are typed and documented ---------------------------------------------

def test_headless_and_in_profile_are_booleans_and_details_end_the_nesting():
    from reporttool.check import schema

    p = fired(CLOSING_PLANS.replace("headless: true", "headless: 是"), "schema/type")[0]
    assert "本部分无标题" in p.message and "是/否" in p.message
    p = fired(IN_PROFILE.replace("in_profile: true", "in_profile: 1"), "schema/type")[0]
    assert "并入基本情况" in p.message
    assert "schema/unknown-key" in rules_of(CLOSING_PLANS.replace("plans:\n  headless: true\n",
                                                                  "plans:\n  headless: true\n  in_profile: true\n"))
    too_deep = PLAN_LEVELS.replace("            - text: |\n                城东第二小学，2027年8月投入使用。\n",
                                   "            - text: |\n                城东第二小学，2027年8月投入使用。\n"
                                   "              items:\n                - text: |\n                    一期。\n")
    assert "schema/unknown-key" in rules_of(too_deep)
    defs = schema.load_schema()["$defs"]
    assert "heading" in defs["headless"]["description"] and "一、" in defs["headless"]["description"]
    for name in ("profile", "achievements", "problems", "plans", "problems_and_plans"):
        assert "headless" in defs[name]["properties"], name
        assert "headless: true" in defs[name]["properties"]["heading"]["description"], name


# --- rules: a firing and a near-miss case each -----------------------------------------------------

def test_unused_heading_headless_in_profile_and_merged_halves():
    both = CLOSING_PLANS.replace("plans:\n  headless: true\n", "plans:\n  heading: 下一步打算\n  headless: true\n")
    p = fired(both, "structure/unused-heading")[0]
    assert p.message == "标题“下一步打算”不会排出：本部分写了 headless: true（无标题）" and p.line == 19
    assert p.severity.value == "warning"
    silent(CLOSING_PLANS, "structure/unused-heading")
    silent(CLOSING_PLANS.replace("plans:\n  headless: true\n", "plans:\n  heading: 下一步打算\n  headless: false\n"),
           "structure/unused-heading")
    nested = IN_PROFILE.replace("  in_profile: true\n", "  in_profile: true\n  heading: 主要成效\n")
    assert "in_profile" in fired(nested, "structure/unused-heading")[0].message
    half = MERGED.replace("  problems:\n    text: |\n", "  problems:\n    heading: 存在问题\n    text: |\n")
    assert "problems_and_plans 的标题" in fired(half, "structure/unused-heading")[0].message
    merged_both = MERGED.replace("  headless: true\n", "  heading: 问题与打算\n  headless: true\n")
    assert fired(merged_both, "structure/unused-heading")[0].message.startswith("标题“问题与打算”不会排出")


def test_in_profile_needs_a_headed_profile_and_excludes_headless():
    no_profile = IN_PROFILE[:IN_PROFILE.index("profile:")] + IN_PROFILE[IN_PROFILE.index("achievements:"):]
    p = fired(no_profile, "structure/in-profile")[0]
    assert p.severity.value == "error" and "没有基本情况部分" in p.message
    assert (p.line, p.column) == (9, 3)  # the in_profile key
    headless_profile = IN_PROFILE.replace("  heading: 基本情况\n", "  headless: true\n", 1)
    assert "基本情况部分写了 headless: true" in fired(headless_profile, "structure/in-profile")[0].message
    both = IN_PROFILE.replace("  in_profile: true\n", "  in_profile: true\n  headless: true\n")
    assert "只能选一种" in fired(both, "structure/in-profile")[0].message
    silent(IN_PROFILE, "structure/in-profile")
    silent(IN_PROFILE.replace("  heading: 基本情况\n", "", 1), "structure/in-profile")  # the default heading


def test_empty_part_headless_headed_and_merged_half():
    empty = CLOSING_PLANS.replace("  text: |\n    下一步，我们将进一步压实各方责任，确保适龄儿童少年应入尽入、应学尽学。\n", "")
    p = fired(empty, "structure/empty-part")[0]
    assert p.message == "下一步计划部分没有正文或条目：本部分又写了 headless: true（无标题），排版时什么也不印"
    headed = empty.replace("plans:\n  headless: true\n", "plans:\n  heading: 下一步打算\n")
    assert fired(headed, "structure/empty-part")[0].message.endswith("排版时只印出本部分的标题")
    half = MERGED.replace("  plans:\n    text: |\n      同时建立课后服务质量评价机制。\n", "  plans: {}\n")
    assert fired(half, "structure/empty-part")[0].message.startswith("存在问题及下一步打算中的下一步计划没有正文或条目")
    silent(CLOSING_PLANS, "structure/empty-part")
    silent(IN_PROFILE, "structure/empty-part")


HEADLESS_ITEMS = CLOSING_PLANS.replace("""  text: |
    下一步，我们将进一步压实各方责任，确保适龄儿童少年应入尽入、应学尽学。
""", """  text: |
    下一步，我们将重点做好以下工作。
  items:
    - heading: 完善动态监测
      text: |
        建立适龄儿童入学动态监测台账。
    - heading: 强化送教上门
      text: |
        为重度残疾儿童提供送教上门服务。
""")


def test_headless_items_printed_as_numbered_paragraphs_are_a_warning():
    p = fired(HEADLESS_ITEMS, "structure/headless-items")[0]
    assert p.message == "下一步计划部分没有标题（headless），其条目排为“（一）（二）……”，读起来会像是上一部分的内容"
    assert "item_numbering: run-in" in p.hint and p.line == 22
    texts = [t for _, t in body(docx_of(HEADLESS_ITEMS))]
    assert "（一）完善动态监测。建立适龄儿童入学动态监测台账。" in texts  # what the warning is about
    run_in = HEADLESS_ITEMS.replace("plans:\n  headless: true\n", "plans:\n  headless: true\n  item_numbering: run-in\n")
    silent(run_in, "structure/headless-items")
    assert problems_of(run_in) == []
    assert "一是完善动态监测。建立适龄儿童入学动态监测台账；二是强化送教上门。为重度残疾儿童提供送教上门服务。" in \
        [t for _, t in body(docx_of(run_in))]
    silent(HEADLESS_ITEMS.replace("plans:\n  headless: true\n", "plans:\n  heading: 下一步打算\n"), "structure/headless-items")
    unheaded_run_in = HEADLESS_ITEMS.replace("    - heading: 完善动态监测\n", "    - ") \
        .replace("    - heading: 强化送教上门\n", "    - ").replace("    -       text", "    - text")
    silent(unheaded_run_in, "structure/headless-items")


DEEP = VALID_META + """achievements:
  sections:
    - heading: 校舍安全全面加强
      item_numbering: numbered
      items:
        - heading: 实施校舍维修
          text: |
            完成农村学校校舍维修改造。
          items:
            - heading: 屋面防水改造
              text: |
                完成中心小学屋面防水改造。
              items:
                - text: |
                    东教学楼。
                - text: |
                    西教学楼。
"""


def test_details_at_a_fifth_level_are_a_warning_and_still_printed():
    p = fired(DEEP, "structure/too-deep")[0]
    assert p.message == "“屋面防水改造”下的细目在第五级：公文序号只有“一、（一）1.（1）”四级，排版时细目排为“①②”串在一段中"
    assert p.line == 20  # the details
    texts = [t for _, t in body(docx_of(DEEP))]
    at = texts.index("（1）屋面防水改造。完成中心小学屋面防水改造。")
    assert texts[at + 1] == "①东教学楼；②西教学楼。"  # nothing is lost
    silent(DEEP.replace("achievements:\n", "achievements:\n  headless: true\n"), "structure/too-deep")
    texts = [t for _, t in body(docx_of(DEEP.replace("achievements:\n", "achievements:\n  headless: true\n")))]
    assert texts[-2:] == ["（1）东教学楼。", "（2）西教学楼。"]
    run_in = DEEP.replace("      item_numbering: numbered\n", "      item_numbering: run-in\n")
    silent(run_in, "structure/too-deep")
    assert any("（1）屋面防水改造。完成中心小学屋面防水改造：①东教学楼、②西教学楼" in t for _, t in body(docx_of(run_in)))
    silent(PLAN_LEVELS, "structure/too-deep")


@pytest.mark.parametrize("heading, number", [("一、党的建设全面加强", "一、"), ("（二）优质学位不断扩充", "（二）"),
                                             ("3.教师队伍持续加强", "3."), ("（1）校舍改造", "（1）"),
                                             ("第一，强化党建引领", "第一，")])
def test_a_heading_typed_with_its_number(heading, number):
    text = VALID_META + f"achievements:\n  sections:\n    - heading: {heading}\n      text: |\n        正文。\n"
    p = fired(text, "structure/heading-number")[0]
    assert p.message == f"标题“{heading}”自带序号“{number}”，排版时还会自动编号，序号会重复"
    assert (p.line, p.column) == (10, 16)  # at the number


@pytest.mark.parametrize("heading", ["2026年工作成效", "一流学校建设", "十四五规划编制", "1.5万个学位如期交付", "第一批集团化办学",
                                     "一、二年级全面推行“乐考”"])
def test_a_heading_that_only_starts_with_a_digit_or_numeral_word_is_fine(heading):
    text = VALID_META + f"achievements:\n  sections:\n    - heading: {heading}\n      text: |\n        正文。\n"
    silent(text, "structure/heading-number")


def test_headings_are_checked_at_every_level_and_in_parts():
    text = PLAN_LEVELS.replace("  heading: 下一步打算\n", "  heading: 三、下一步打算\n") \
        .replace("        - heading: 新建学校\n", "        - heading: 1、新建学校\n")
    found = fired(text, "structure/heading-number")
    assert sorted(p.message.split("自带序号")[1][:4] for p in found) == ["“1、”", "“三、”"]


# --- existing layouts stay as they were -------------------------------------------------------------

def test_a_draft_with_no_new_fields_still_gets_the_default_headings():
    text = CLOSING_PLANS.replace("achievements:\n  heading: 主要做法及成效\n", "achievements:\n") \
        .replace("problems:\n  heading: 存在的困难\n", "problems:\n").replace("plans:\n  headless: true\n", "plans:\n")
    assert headings(docx_of(text)) == ["一、主要工作做法及成效", "二、存在的问题", "三、下一步打算"]
    assert [re.sub("^[一二三]、", "", h) for h in headings(docx_of(text, template="annual"))] == [
        "主要工作及成效", "存在的问题", "下一步工作计划"]
