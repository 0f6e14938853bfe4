"""Relations on figures real reports state: each with a firing case and a near miss that holds."""

from __future__ import annotations

import reporttool
from conftest import VALID_META


def _rules(metrics: str, text: str) -> list[str]:
    draft = VALID_META + f"""achievements:
  sections:
    - heading: 教育发展
      text: |
        {text}
      metrics:
{metrics}"""
    return [p.rule for p in reporttool.check_text(draft).problems]


TEN_TOWNS = [312, 287, 455, 198, 264, 371, 149, 503, 226, 340]  # 乡镇学生数，合计 3105


def _towns(total: int, qualifier: str = "") -> tuple[str, str]:
    names = [f"第{i + 1}片区" for i in range(len(TEN_TOWNS))]
    lines = [f"        - {{name: 学生, value: {total}, unit: 人{', qualifier: ' + qualifier if qualifier else ''}, "
             f"parts: [{', '.join(names)}]}}\n"]
    lines += [f"        - {name}: {value}人\n" for name, value in zip(names, TEN_TOWNS)]
    text = "全县学生【学生】，" + "、".join(f"{name}【{name}】" for name in names) + "。"
    return "".join(lines), text


def test_integer_parts_sum_exactly():
    assert _rules(*_towns(3105)) == []
    assert _rules(*_towns(3110)) == ["metric/parts-sum"]  # off by 5 among ten parts
    assert _rules(*_towns(3106)) == ["metric/parts-sum"]  # off by 1


def test_a_qualified_total_keeps_its_tolerance():
    assert _rules(*_towns(3100, "约")) == []


def test_rounded_decimals_sum_within_their_precision():
    metrics = """        - {name: 投入, value: 3.5, unit: 亿元, parts: [校舍, 设备]}
        - 校舍: 2.1亿元
        - 设备: 1.4亿元
"""
    assert _rules(metrics, "投入【投入】，其中校舍【校舍】、设备【设备】。") == []
    assert _rules(metrics.replace("1.4亿元", "1.2亿元"), "投入【投入】，其中校舍【校舍】、设备【设备】。") == [
        "metric/parts-sum"]
    wan = """        - {name: 学位, value: 3, unit: 万个, parts: [小学学位, 初中学位]}
        - 小学学位: 17600个
        - 初中学位: 12800个
"""
    assert _rules(wan, "新增学位【学位】，其中小学【小学学位】、初中【初中学位】。") == []  # 3万 is rounded


def test_a_change_in_whole_numbers_is_exact():
    metric = "        - {{name: 本科上线, value: 7487, unit: 人, previous: 6825, change: {change}}}\n"
    text = "本科上线【本科上线】，比上年增加【本科上线：增减】。"
    assert _rules(metric.format(change=662), text) == []
    assert _rules(metric.format(change=663), text) == ["metric/change"]
    assert _rules(metric.format(change=746), text) == ["metric/change"]


# --- the drafts below: a profile and one section, every figure stated as the report states it -------

def _check(profile: str = "", section: str = "", text: str = "工作。", extra: str = "", items: str = ""):
    """Problems of a draft with `profile` metrics and one section with `section` metrics."""
    draft = VALID_META
    if profile:
        draft += "profile:\n  text: |\n    基本情况。\n  metrics:\n" + _indent(profile, 4)
    draft += f"achievements:\n  sections:\n    - heading: 教育发展\n      text: |\n        {text}\n"
    if items:
        draft += "      items:\n" + _indent(items, 8)
    if section:
        draft += "      metrics:\n" + _indent(section, 8)
    return reporttool.check_text(draft + extra).problems


def _indent(block: str, n: int) -> str:
    return "".join(" " * n + line + "\n" for line in block.strip("\n").splitlines())


def _ids(problems) -> list[str]:
    return [p.rule for p in problems]


def _one(problems, rule: str):
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, [(p.rule, p.message) for p in problems]
    return found[0]


# --- an unknown measure word: a warning; the figure takes part in no arithmetic --------------------

def test_an_unknown_measure_word_is_a_warning_and_the_rest_is_checked():
    short = "- 图书: 3.5万册次\n- 设备: 120台\n"
    p = _one(_check(section=short, text="新增图书【图书】、设备【设备】。"), "metric/unknown-unit")
    assert p.severity.value == "warning" and p.message == "指标“图书”：不认识的单位“万册次”，这个数不参与加总、比率等核对"
    assert p.hint.startswith("是否应为“万册”？") and '[units]' in p.hint and '"册次" = "count"' in p.hint
    assert reporttool.check_text(VALID_META + "achievements:\n  sections:\n    - heading: 甲\n      text: |\n"
                                 "        图书【图书】。\n      metrics:\n        - 图书: 3.5万册次\n").ok
    long = "- {name: 展板, value: 120, unit: 块幅}\n- {name: 作品, value: 300, unit: 件, parts: [展板, 书画]}\n- 书画: 200件\n"
    problems = _check(section=long, text="展出作品【作品】，其中展板【展板】、书画【书画】。")
    assert _ids(problems) == ["metric/unknown-unit"]  # the total is not summed with a figure it cannot read
    assert '"块幅" = {base = "块"}' in problems[0].hint
    # a real mistake elsewhere in the same draft is still found
    wrong = short + "- {name: 学位, value: 1300, unit: 个, parts: [小学学位, 初中学位]}\n- 小学学位: 800个\n- 初中学位: 450个\n"
    found = _ids(_check(section=wrong, text="图书【图书】、设备【设备】，学位【学位】：【小学学位】、【初中学位】。"))
    assert sorted(found) == ["metric/parts-sum", "metric/unknown-unit"]


def test_a_figure_in_an_unknown_unit_still_prints_as_written():
    from reporttool.model.references import Index
    from reporttool.render.compose import expand_references

    draft = VALID_META + ("achievements:\n  sections:\n    - heading: 甲\n      text: |\n        图书【图书】，展板【展板】。\n"
                          "      metrics:\n        - 图书: 3.5万册次\n"
                          "        - {name: 展板, value: 120, unit: 块幅, qualifier: 余}\n")
    result = reporttool.check_text(draft)
    assert result.report is not None
    assert expand_references("图书【图书】，展板【展板】。", Index(result.report)) == "图书3.5万册次，展板120余块幅。"


# --- 1. an announced count against the entries listed -------------------------------------------

FIVE_PROJECTS = ["校舍提升工程", "教师素质提升工程", "智慧校园工程", "食堂改造工程", "课后服务工程"]


def _projects(announced: str, listed: int, qualifier: str = "") -> list:
    q = f", qualifier: {qualifier}" if qualifier else ""
    items = "".join(f"- text: |\n    实施{name}，按期完成。\n" for name in FIVE_PROJECTS[:listed])
    return _check(section=f"- {{name: 重点工程, value: {announced}, unit: 项, counts: items{q}}}",
                  text="全年实施【重点工程】重点工程：", items=items)


def test_an_announced_count_equals_the_items_listed():
    p = _one(_projects("5", 4), "metric/announced-count")
    assert p.message == "“重点工程”为5项，而“教育发展”一节下列出了4项" and p.severity.value == "error"
    assert _ids(_projects("5", 5)) == []
    assert _ids(_projects("6", 5)) == ["metric/announced-count"]


def test_an_approximate_announcement_is_not_counted():
    assert _ids(_projects("20", 4, "余")) == []  # 20余项 are not all listed
    assert _ids(_projects("5", 5, "共")) == []  # 共 does not make a figure approximate
    assert _ids(_projects("5", 4, "共")) == ["metric/announced-count"]


def test_an_announced_count_of_sections_in_the_lead_of_the_part():
    def draft(value: int, sections: int) -> str:
        body = "".join(f"    - heading: {name}\n      text: |\n        按期完成。\n" for name in FIVE_PROJECTS[:sections])
        return VALID_META + ("achievements:\n  text: |\n    全年重点实施【工程数】大工程。\n  metrics:\n"
                             f"    - {{name: 工程数, value: {value}, unit: 项, counts: sections}}\n  sections:\n" + body)

    assert _ids(reporttool.check_text(draft(5, 5)).problems) == []
    p = _one(reporttool.check_text(draft(5, 4)).problems, "metric/announced-count")
    assert p.message == "“工程数”为5项，而“工作成效”部分下列出了4节"
    # sections where items are listed: the declaration itself is wrong, and says so
    wrong = _projects("5", 5)
    assert _ids(wrong) == []
    problems = _check(section="- {name: 重点工程, value: 5, unit: 项, counts: sections}", text="实施【重点工程】重点工程：",
                      items="".join(f"- text: |\n    实施{n}。\n" for n in FIVE_PROJECTS))
    assert "请改为 counts: items" in _one(problems, "metric/announced-count").message


def test_an_announced_count_of_entries_run_in_the_text():
    def plans(value: int, ordinals: str) -> str:
        return VALID_DRAFT_ANNUAL + ("plans:\n  text: |\n    2027年重点做好【重点任务】方面工作：" + ordinals + "\n"
                                     f"  metrics:\n    - {{name: 重点任务, value: {value}, unit: 个, counts: items}}\n")

    four = "一是扩充学位；二是建强队伍；三是提升质量；四是守牢安全。"
    assert _ids(reporttool.check_text(plans(4, four)).problems) == []
    p = _one(reporttool.check_text(plans(5, four)).problems, "metric/announced-count")
    assert p.message == "“重点任务”为5个，而“下一步计划”部分下列出了4项（一是、二是……）"
    # “统一是前提” is no ordinal: the count reads the run 一是、二是… only
    assert _ids(reporttool.check_text(plans(2, "一是扩充学位；二是建强队伍。统一是前提。")).problems) == []


VALID_DRAFT_ANNUAL = VALID_META.replace("kind: special", "kind: annual") + """achievements:
  sections:
    - heading: 教育发展
      text: |
        工作稳步推进。
"""


def test_counts_on_a_figure_that_is_no_count():
    problems = _check(section="- {name: 完成率, value: 100, unit: \"%\", counts: items}", text="完成率【完成率】。")
    assert "单位应是项、个、支等数量单位" in _one(problems, "metric/announced-count").message


# --- 2. the same figure stated twice in other words ----------------------------------------------

def _twice(profile_value: str, section_value: str) -> list:
    return _check(profile=f"- 在校学生: {profile_value}",
                  section=f"- {{name: 在校生总数, value: {section_value}, same_as: 在校学生}}",
                  text="全县在校生总数【在校生总数】。")


def test_the_same_figure_stated_twice_agrees():
    assert _ids(_twice("35678人", "35678, unit: 人")) == []
    p = _one(_twice("35678人", "35687, unit: 人"), "metric/same-as")
    assert p.message == "“在校生总数”为35687人，与同一个数“在校学生”35678人不符（相差9人）"
    assert p.path.endswith("metrics[0].same_as")


def test_the_same_figure_in_wan_and_yi_rounded_or_approximate_agrees():
    assert _ids(_twice("35678人", "3.57, unit: 万人")) == []  # 35678 rounds to 3.57万
    assert _ids(_twice("35678人", "3.56, unit: 万人")) == ["metric/same-as"]  # it never rounds to 3.56万
    assert _ids(_twice("约3.6万人", "35678, unit: 人")) == []
    assert _ids(_twice("3.5万余人", "35678, unit: 人")) == []  # 3.5万余 is 3.5万 to 3.6万
    assert _ids(_twice("3.5万余人", "34980, unit: 人")) == ["metric/same-as"]  # 余 is more, never less
    money = "- 投入: 3.5亿元", "- {name: 总投入, value: 35000, unit: 万元, same_as: 投入}"
    assert _ids(_check(profile=money[0], section=money[1], text="总投入【总投入】。")) == []
    assert _ids(_check(profile=money[0], section=money[1].replace("35000", "36000"), text="总投入【总投入】。")) == [
        "metric/same-as"]


def test_the_same_figure_cannot_be_in_two_kinds():
    p = _one(_twice("35678人", "356, unit: 所"), "metric/same-as")
    assert p.message == "“在校生总数”（所）与“在校学生”（人）不是同一种量，不会是同一个数"


# --- 3. a bound that is not a whole and its parts -------------------------------------------------

def test_teachers_are_at_most_the_staff():
    def staff(teachers: str, bound: str = "教职工") -> list:
        return _check(profile=f"- 教职工: 2580人\n- {{name: 专任教师, value: {teachers}, at_most: {bound}}}",
                      text="工作。")
    assert _ids(staff("2480, unit: 人")) == []
    assert _ids(staff("2580, unit: 人")) == []  # equal is within the bound
    p = _one(staff("2650, unit: 人"), "metric/at-most")
    assert p.message == "“专任教师”为2650人，超过了“教职工”2580人（多出70人）" and "不能多于" in p.hint
    assert _ids(staff("0.26, unit: 万人")) == []  # 0.26万 may be 2550: it need not exceed 2580
    assert _ids(staff("0.27, unit: 万人")) == ["metric/at-most"]  # 0.27万 is at least 2650
    assert _ids(staff("2500, unit: 人, qualifier: 近")) == []
    assert _ids(staff("2600, unit: 人, qualifier: 约")) == []  # 约2600 may well be 2570
    assert _ids(staff("2600, unit: 人, qualifier: 余")) == ["metric/at-most"]  # 2600余 is more than 2580


def test_a_part_of_one_breakdown_is_at_most_a_total_broken_down_otherwise():
    profile = """- {name: 小学, value: 45, unit: 所, parts: [城区小学, 农村小学]}
- 城区小学: 12所
- 农村小学: 33所
- {name: 公办小学, value: %d, unit: 所, at_most: [小学, 学校]}
- 学校: 66所"""
    assert _ids(_check(profile=profile % 43)) == []
    p = _one(_check(profile=profile % 47), "metric/at-most")
    assert p.message == "“公办小学”为47所，超过了“小学”45所（多出2所）" and p.path.endswith("at_most[0]")


# --- 4. more than one breakdown of the same total -------------------------------------------------

SCHOOLS = """- name: 学校
  value: 66
  unit: 所
  parts: [小学, 初中, 教学点]
  breakdowns:
    - [公办学校, 民办学校]
    - {parts: [寄宿制学校], partial: true}
- 小学: 45所
- 初中: 12所
- 教学点: 9个
- 公办学校: %s
- 民办学校: 6所
- 寄宿制学校: %s"""


def test_every_breakdown_of_a_total_sums_to_it():
    assert _ids(_check(profile=SCHOOLS % ("60所", "20所"))) == []
    p = _one(_check(profile=SCHOOLS % ("61所", "20所")), "metric/parts-sum")
    assert p.message == "“学校”按公办学校、民办学校分列，各项之和为67所，与总数66所不符（相差1所）"
    assert p.path.endswith("breakdowns[0]")
    p = _one(_check(profile=SCHOOLS % ("60所", "70所")), "metric/part-exceeds")
    assert p.message == "其中“寄宿制学校”为70所，超过了总数“学校”66所" and p.path.endswith("breakdowns[1].parts[0]")
    # the first breakdown is still checked as before
    wrong_stage = SCHOOLS.replace("- 初中: 12所", "- 初中: 13所") % ("60所", "20所")
    p = _one(_check(profile=wrong_stage), "metric/parts-sum")
    assert p.message.startswith("“学校”按小学、初中、教学点分列，各项之和为67所")


def test_breakdowns_of_rounded_money_within_their_rounding():
    money = """- {name: 投入, value: 3.5, unit: 亿元, parts: [校舍, 设备], breakdowns: [[中央资金, 地方资金]]}
- 校舍: 2.1亿元
- 设备: 1.4亿元
- 中央资金: 1.2亿元
- 地方资金: %s"""
    assert _ids(_check(profile=money % "23000万元")) == []
    assert _ids(_check(profile=money % "22600万元")) == []  # 1.2亿 + 2.26亿 = 3.46亿, which rounds to 3.5亿
    assert _ids(_check(profile=money % "25000万元")) == ["metric/parts-sum"]


# --- 5. a change or growth rate against last year's figure stated as another metric ----------------

def _grown(current: str, fields: str, previous: str = "- 上年本科上线人数: 6825人") -> list:
    return _check(profile=previous, section=f"- {{name: 本科上线人数, value: {current}, unit: 人, {fields}}}",
                  text="本科上线【本科上线人数】。")


def test_previous_may_name_another_metric():
    assert _ids(_grown("7487", "previous: 上年本科上线人数, change: 662, growth: 9.7")) == []
    p = _one(_grown("7487", "previous: 上年本科上线人数, change: 746"), "metric/change")
    assert p.message == "“本科上线人数”比上年增加746人，而7487人−6825人（“上年本科上线人数”）=662人"
    p = _one(_grown("7487", "previous: 上年本科上线人数, growth: 10.9"), "metric/growth")
    assert p.message == "“本科上线人数”比上年增长10.9%，而（7487人−6825人）÷6825人=9.7%（上年数取“上年本科上线人数”）"


def test_previous_in_another_unit_and_rounded():
    wan = "- 上年本科上线人数: 0.68万人"
    assert _ids(_grown("7487", "previous: 上年本科上线人数, change: 662, growth: 9.7", wan)) == []
    assert _ids(_grown("7487", "previous: 上年本科上线人数, change: 700", wan)) == []  # 6787 rounds to 0.68万
    assert _ids(_grown("7487", "previous: 上年本科上线人数, change: 746", wan)) == ["metric/change"]  # 6741 does not
    assert _ids(_grown("7487", "previous: 上年本科上线人数, change: 660", "- 上年本科上线人数: 约6800人")) == []


def test_a_growth_rate_stated_with_only_the_change():
    assert _ids(_grown("7487", "change: 662, growth: 9.7")) == []  # last year: 7487 − 662 = 6825
    p = _one(_grown("7487", "change: 746, growth: 9.7"), "metric/growth")
    assert p.message == ("“本科上线人数”比上年增加746人、增长9.7%，而上年数应为7487人−746人=6741人，"
                         "增长率为746人÷6741人=11.1%")
    rounded = _check(section="- {name: 经费, value: 3.46, unit: 亿元, change: 0.31, growth: 9.8}", text="经费【经费】。")
    assert _ids(rounded) == []  # 0.31 ÷ 3.15 = 9.84 %
    assert _ids(_check(section="- {name: 经费, value: 3.46, unit: 亿元, change: 0.31, growth: 12.5}",
                       text="经费【经费】。")) == ["metric/growth"]


def test_last_years_figure_of_another_metric_is_named_in_prose():
    problems = _check(profile="- 上年本科上线人数: 6825人",
                      section="- {name: 本科上线人数, value: 7487, unit: 人, previous: 上年本科上线人数, change: 662}",
                      text="本科上线【本科上线人数】，比上年（【本科上线人数：上年】）增加【本科上线人数：增减】。")
    p = _one(problems, "metric/ref")
    assert p.hint == "这个指标的上年数是另一个指标“上年本科上线人数”：正文请直接写【上年本科上线人数】"
    p = _one(_grown("7487", "previous: 6825人, change: 662"), "metric/ref")
    assert p.message == "【6825人】没有对应的指标" and "previous: 6825" in p.hint


# --- 6. a rate over a sum that is not itself stated ----------------------------------------------

def _rate(value: str, denominator: str = "[小学, 初中]", numerator: str = "达标学校", extra: str = "") -> list:
    return _check(profile="- 小学: 45所\n- 初中: 12所\n- 达标学校: 52所" + extra,
                  section=f"- {{name: 达标率, value: {value}, unit: \"%\", rate: {{numerator: {numerator}, "
                          f"denominator: {denominator}}}}}", text="达标率【达标率】。")


def test_a_rate_over_the_sum_of_named_metrics():
    assert _ids(_rate("91.23")) == [] and _ids(_rate("91.2")) == []
    p = _one(_rate("92.5"), "metric/rate")
    assert p.message == "“达标率”为92.5%，而52所÷（45所+12所）=91.23%"
    assert _ids(_rate("91.23", "[小学, 初中, 城区学校]", extra="\n- 城区学校: 3.5万人")) == ["metric/rate"]


def test_a_rate_of_rounded_figures_within_their_rounding():
    for value, expected in (("92.3", []), ("88", []), ("70", ["metric/rate"])):
        problems = _check(profile="- 城区学生: 0.8万人\n- 农村学生: 0.5万人\n- 受助学生: 1.2万人",
                          section=f"- {{name: 覆盖率, value: {value}, unit: \"%\", rate: {{numerator: 受助学生, "
                                  "denominator: [城区学生, 农村学生]}}", text="覆盖率【覆盖率】。")
        assert _ids(problems) == expected, value


# --- every name a new relation refers to is checked ----------------------------------------------

def test_every_name_in_the_new_relations_must_resolve():
    section = """- name: 学生
  value: 100
  unit: 人
  same_as: 学生数
  at_most: [容量, 学位数]
  previous: 上年学生数
  change: 10
  breakdowns:
    - [男生, 女孩]
- 容量: 200人
- 男生: 50人
- 女生: 50人
- {name: 比例, value: 50, unit: "%", rate: {numerator: 男生, denominator: [学生, 教师]}}"""
    problems = _check(section=section, text="学生【学生】，男生【男生】、女生【女生】，容量【容量】，比例【比例】。")
    refs = [(p.message, p.path.rsplit(".", 1)[-1]) for p in problems if p.rule == "metric/ref"]
    assert refs == [("【学生数】没有对应的指标", "same_as"), ("【学位数】没有对应的指标", "at_most[1]"),
                    ("【上年学生数】没有对应的指标", "previous"), ("【女孩】没有对应的指标", "breakdowns[0][1]"),
                    ("【教师】没有对应的指标", "denominator[1]")]  # in the order of the draft
    assert [p.rule for p in problems if p.rule != "metric/ref"] == []


def test_a_figure_stated_twice_is_reported_once_when_both_say_so():
    problems = _check(profile="- {name: 在校学生, value: 35678, unit: 人, same_as: 在校生总数}",
                      section="- {name: 在校生总数, value: 35687, unit: 人, same_as: 在校学生}", text="【在校生总数】。")
    assert _ids(problems) == ["metric/same-as"]


# --- C. no false alarms: qualifiers on the side they mean, 万/亿, rounded decimals ------------------

def test_a_total_with_yu_lies_above_the_stated_figure():
    def staff(total: str, primary: int, junior: int) -> list:
        return _check(profile=f"- {{name: 教职工, value: 3000, unit: 人, qualifier: {total}, parts: [小学教职工, 初中教职工]}}\n"
                              f"- 小学教职工: {primary}人\n- 初中教职工: {junior}人")
    assert _ids(staff("余", 1860, 1342)) == []  # 3000余 is 3202
    assert _ids(staff("余", 2100, 1480)) == []  # 3000余 may be 3580: 余 after a round 3000 reaches to 4000
    assert _ids(staff("余", 1800, 1190)) == ["metric/parts-sum"]  # 2990 is not “more than 3000”
    assert _ids(staff("近", 1800, 1190)) == []  # 近3000 is a little less
    assert _ids(staff("近", 1860, 1342)) == ["metric/parts-sum"]  # 3202 is not “nearly 3000”
    assert _ids(staff("约", 1800, 1190)) == [] and _ids(staff("约", 1860, 1342)) == []


def test_a_rate_with_a_sum_in_the_numerator_and_wan_in_the_denominator():
    def rate(value: str, schools: str) -> list:
        return _check(profile=f"- 城区达标: 24所\n- 农村达标: 28所\n- 学校数: {schools}",
                      section=f"- {{name: 达标率, value: {value}, unit: \"%\", rate: {{numerator: [城区达标, 农村达标], "
                              "denominator: 学校数}}", text="达标率【达标率】。")
    assert _ids(rate("91.2", "57所")) == [] and _ids(rate("91.2", "0.0057万所")) == []
    assert _ids(rate("86.7", "0.006万所")) == []  # 0.006万 is 55 to 65 schools: 80 % to 94.5 %
    p = _one(rate("95", "57所"), "metric/rate")
    assert p.message == "“达标率”为95%，而（24所+28所）÷57所=91.23%"


def test_a_years_new_classes_are_not_the_class_count_of_a_ratio():
    metrics = """        - 新增小学教学班: 12个班
        - 小学在校生: 17000人
        - 小学教学班: 420个班
"""
    assert _rules(metrics, "新增小学教学班【新增小学教学班】，在校生【小学在校生】，教学班【小学教学班】。") == []
    swapped = metrics.replace("420个班", "150个班")
    assert _rules(swapped, "新增小学教学班【新增小学教学班】，在校生【小学在校生】，教学班【小学教学班】。") == [
        "metric/class-size"]


def test_an_unfilled_date_is_a_placeholder_and_everything_else_is_still_checked():
    draft = VALID_META.replace("date: 2026-12-02", 'date: "____"') + """achievements:
  sections:
    - heading: 教育发展
      text: |
        本科上线【本科上线】。
      metrics:
        - {name: 本科上线, value: 7487, unit: 人, previous: 6825, change: 746}
"""
    result = reporttool.check_text(draft)
    assert sorted((p.rule, p.line) for p in result.problems) == [("metric/change", 14), ("text/placeholder", 7)]
    assert reporttool.check_text(draft.replace('date: "____"', "date: 2026-02-30")).report is None  # still a real date


def test_a_ratio_divides_figures_of_one_scope():
    """农村小学在校生 goes with 农村小学教学班, the county's 小学在校生 with its 小学教学班; a subset's
    pupils are never divided by the whole county's classes (nor the reverse)."""
    metrics = """        - 农村小学在校生: 5200人
        - 小学在校生: 17000人
        - 小学教学班: 420个班
        - 农村小学教学班: {rural}个班
        - 小学教职工: 980人
        - 农村小学教职工: {staff}人
"""
    text = "在校生【小学在校生】，教学班【小学教学班】，教职工【小学教职工】；农村在校生【农村小学在校生】，" \
           "教学班【农村小学教学班】，教职工【农村小学教职工】。"
    assert _rules(metrics.format(rural=190, staff=330), text) == []  # 27.4 a class, 15.8 a staff member
    assert _rules(metrics.format(rural=90, staff=330), text) == ["metric/class-size"]  # 57.8: the rural classes
    assert _rules(metrics.format(rural=190, staff=250), text) == ["metric/pupil-teacher"]  # 20.8 > 19
    only_rural = metrics.replace("        - 农村小学教学班: {rural}个班\n", "").replace("- 小学教学班: 420个班", "- 小学教学班: 100个班")
    assert _rules(only_rural.format(staff=330), text.replace("，教学班【农村小学教学班】", "")) == [
        "metric/class-size"]  # 17000 in 100 classes; 5200 rural pupils are not divided by them (52.0 would pass)
    subset = "        - 全县小学在校学生总数: 17000人\n        - 城区小学教学班: 150个班\n"
    assert _rules(subset, "在校生【全县小学在校学生总数】，城区教学班【城区小学教学班】。") == []  # no ratio: other scopes
