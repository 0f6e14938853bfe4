"""Each rule: a draft where it fires (with its numbers and position) and a near miss where it must not."""

from __future__ import annotations

import pytest

from conftest import VALID_META, problems_of
from reporttool.messages import RULES

HEAD = VALID_META + "achievements:\n  sections:\n    - heading: 工作成效\n"


def section(text: str = "", metrics: str = "", head: str = HEAD) -> str:
    out = head
    if text:
        out += "      text: |\n" + "".join(f"        {line}\n" for line in text.splitlines())
    if metrics:
        out += "      metrics:\n" + "".join(f"        {line}\n" for line in metrics.strip("\n").splitlines())
    return out


def rules_of(text: str, rule: str):
    return [p for p in problems_of(text) if p.rule == rule]


def fires(text: str, rule: str):
    found = rules_of(text, rule)
    assert found, f"{rule} did not fire: {[(p.rule, p.message) for p in problems_of(text)]}"
    return found


def silent(text: str, rule: str):
    found = rules_of(text, rule)
    assert not found, [p.message for p in found]


# --- metric values --------------------------------------------------------------------------------


def test_short_form_is_parsed_and_bad_short_forms_are_explained():
    silent(section("投入【投入】。", "- 投入: 1557.42万元"), "metric/value")
    p = fires(section("", "- 投入: 13。7亿元"), "metric/value")[0]
    assert p.message == "指标“投入”：“13。7亿元”中的“。”应为小数点" and (p.line, p.column) == (12, 15)
    # an unknown measure word is a warning (the figure may be right), with the nearest unit and how to add it
    p = fires(section("", "- 新增学位: 1.5万座位"), "metric/unknown-unit")[0]
    assert "不认识的单位“万座位”" in p.message and p.severity.value == "warning"
    assert p.hint.startswith("是否应为“万座”？") and '"座位" = {base = "座"}' in p.hint
    p = fires(section("", "- name: 投入\n  value: 3\n  unit: 万圆"), "metric/unknown-unit")[0]
    assert "不认识的单位“万圆”" in p.message and p.hint.startswith("是否应为“万元”？") and "reporttool.toml" in p.hint
    silent(section("", "- 新增学位: 1.5万座位"), "metric/value")
    assert "缺少单位" in fires(section("", "- 投入: 12"), "metric/value")[0].message


def test_counts_are_whole_numbers_after_conversion():
    p = fires(section("", "- 教师: 12.5人"), "metric/integer")[0]
    assert p.message.startswith("“教师”为 12.5人，数量只能是整数")
    silent(section("", "- 新增学位: 1.5万个"), "metric/integer")


def test_percent_range():
    p = fires(section("", "- 就业率: 101.5%"), "metric/range")[0]
    assert "不能大于 100" in p.message
    silent(section("", "- 就业率: 100%\n- 变化: -3.5个百分点\n- 托位完成率: 108.3%"), "metric/range")


# --- relations --------------------------------------------------------------------------------------

PARTS = """- name: 新增学位
  value: {total}
  unit: {unit}
  parts: [小学学位, 初中学位]{partial}
- 小学学位: 800个
- 初中学位: {second}"""


def test_parts_sum_with_unit_conversion():
    p = fires(section("", PARTS.format(total=1300, unit="个", partial="", second="450个")), "metric/parts-sum")[0]
    assert p.message == "“新增学位”其中各项之和为1250个，与总数1300个不符（相差50个）"
    assert (p.line, p.column) == (13, 18)
    silent(section("", PARTS.format(total="0.125", unit="万个", partial="", second="450个")), "metric/parts-sum")


def test_partial_breakdown_checks_only_the_bound():
    partial = "\n  partial: true"
    silent(section("", PARTS.format(total=1300, unit="个", partial=partial, second="450个")), "metric/parts-sum")
    p = fires(section("", PARTS.format(total=1200, unit="个", partial=partial, second="450个")), "metric/parts-sum")[0]
    assert "超过了总数1200个（多出50个）" in p.message


def test_a_part_never_exceeds_its_total():
    p = fires(section("", PARTS.format(total=1000, unit="个", partial="\n  partial: true", second="1200个")),
              "metric/part-exceeds")[0]
    assert p.message == "其中“初中学位”为1200个，超过了总数“新增学位”1000个"


def test_parts_in_another_kind_cannot_be_added():
    p = fires(section("", PARTS.format(total=1300, unit="个", partial="", second="450万元")), "metric/parts-unit")[0]
    assert "“万元”" in p.message


def test_qualifiers_make_sums_approximate():
    silent(section("", PARTS.format(total=1300, unit="个", partial="\n  qualifier: 约", second="450个")),
           "metric/parts-sum")


RATE = """- 毕业生: 4512人
- 就业人数: 4399人
- name: 就业率
  value: {value}
  unit: "%"
  rate: {{numerator: 就业人数, denominator: 毕业生}}"""


def test_rate_at_stated_precision():
    p = fires(section("", RATE.format(value="98.63")), "metric/rate")[0]
    assert p.message == "“就业率”为98.63%，而4399人÷4512人=97.50%"
    silent(section("", RATE.format(value="97.50")), "metric/rate")
    silent(section("", RATE.format(value="97.5")), "metric/rate")
    fires(section("", RATE.format(value="97.4")), "metric/rate")
    p = fires(section("", RATE.format(value="97.50").replace('unit: "%"', "unit: 人")), "metric/rate")[0]
    assert p.message == "“就业率”写了分子分母（rate），单位应为“%”，实际是“人”"


CHANGE = """- name: 本科上线人数
  value: 7487
  unit: 人
  previous: 6825
  change: {change}"""


def test_change_equals_current_minus_previous():
    p = fires(section("", CHANGE.format(change=746)), "metric/change")[0]
    assert p.message == "“本科上线人数”比上年增加746人，而7487人−6825人=662人"
    assert (p.line, p.column) == (16, 19)
    silent(section("", CHANGE.format(change=662)), "metric/change")


def test_growth_percent():
    text = section("", "- name: 经费\n  value: 60\n  unit: 亿元\n  previous: 50\n  growth: {}")
    p = fires(text.format(22.12), "metric/growth")[0]
    assert "（60亿元−50亿元）÷50亿元=20.00%" in p.message
    silent(text.format(20), "metric/growth")


PLANS = """plans:
  items:
    - text: |
        新建学校。
      targets:
        - {target}
"""


def test_targets_need_a_deadline_inside_the_plan_period():
    annual = section("工作。").replace("kind: special", "kind: annual")
    p = fires(annual + PLANS.format(target="新建学校: 3所"), "metric/target-deadline")[0]
    assert p.severity.value == "warning"
    p = fires(annual + PLANS.format(target="{name: 新建学校, value: 3, unit: 所, deadline: 2026-08}"),
              "metric/target-period")[0]
    assert p.message == "目标“新建学校”的完成时限 2026-08 不在计划期（2027年）内"
    silent(annual + PLANS.format(target="{name: 新建学校, value: 3, unit: 所, deadline: 2027-08}"),
           "metric/target-period")


PROFILE = """profile:
  metrics:
    - 小学在校生: 17000人
    - 初中在校生: 7000人
    - 小学班级: {primary}个班
    - 初中班级: {junior}个班
    - 小学专任教师: {teachers}人
"""


def test_swapped_class_counts_are_implausible_even_when_sums_hold():
    p = fires(section("工作。") + PROFILE.format(primary=150, junior=420, teachers=900), "metric/class-size")[0]
    assert p.message == "小学平均每班113.3人（17000人÷150个班），超过超大班额标准（66人）"
    silent(section("工作。") + PROFILE.format(primary=420, junior=150, teachers=900), "metric/class-size")


def test_pupil_staff_ratio_is_compared_with_the_staffing_standard_on_staff_only():
    staff = PROFILE.replace("小学专任教师", "小学教职工")
    p = fires(section("工作。") + staff.format(primary=420, junior=150, teachers=600), "metric/pupil-teacher")[0]
    assert "小学学生与教职工之比为28.3:1" in p.message and "19:1" in p.message and "按教职工计" in p.hint
    silent(section("工作。") + staff.format(primary=420, junior=150, teachers=900), "metric/pupil-teacher")
    for name in ("小学教职员工", "小学在编教职工"):
        p = fires(section("工作。") + PROFILE.replace("小学专任教师", name).format(primary=420, junior=150, teachers=600),
                  "metric/pupil-teacher")[0]
        assert name[2:] in p.message
    # 专任教师 are part of the staff: 17000 pupils for 850 专任教师 (20:1) says nothing about the 编制 standard
    silent(section("工作。") + PROFILE.format(primary=420, junior=150, teachers=850), "metric/pupil-teacher")
    silent(section("工作。") + PROFILE.format(primary=420, junior=150, teachers=600), "metric/pupil-teacher")


# --- prose and metrics --------------------------------------------------------------------------------


def test_references_resolve():
    p = fires(section("投入【总投资】。", "- 投入: 3.7亿元\n- 投资: 1亿元"), "metric/ref")[0]
    assert p.message == "【总投资】没有对应的指标" and (p.line, p.column) == (12, 11)
    silent(section("投入【投入】，比上年增加【上线：增减】。",
                   "- 投入: 3.7亿元\n- {name: 上线, value: 5, unit: 人, previous: 3, change: 2}"), "metric/ref")
    assert "上年" in fires(section("投入【投入：上年】。", "- 投入: 3.7亿元"), "metric/ref")[0].hint


def test_ambiguous_reference():
    text = section("投入【投入】。", "- 投入: 3.7亿元") + "    - heading: 乙\n      metrics:\n        - 投入: 1亿元\n"
    assert "有2个名为“投入”的指标" in fires(text, "metric/ref-ambiguous")[0].message


def test_numbers_left_unlinked_in_prose():
    p = fires(section("新建学校3所，投入1.5万元，共5000多人次参加，排名第5名。"), "text/unlinked-number")[0]
    assert p.message == "这段正文中有3处数字没有关联指标：3所、1.5万元、5000多人次"
    assert p.severity.value == "warning" and (p.line, p.column) == (12, 13)
    silent(section("2026年10月1日起，“十四五”期间，新建学校【新建学校】。", "- 新建学校: 3所"), "text/unlinked-number")


# --- prose rules ----------------------------------------------------------------------------------


def test_placeholders():
    text = section("20__年招聘X名教师，xx县、XXXX年、____市、220__个岗位、某某学校。")
    tokens = [p.message.split("”")[0][1:] for p in fires(text, "text/placeholder")]
    assert tokens == ["20__", "X", "xx", "XXXX", "____", "220__", "某某"]
    silent(section("推进“1+X”证书制度试点，配备X射线机，3×4米，2.0版。"), "text/placeholder")


def test_decimal_point_and_version():
    p = fires(section("总投入13。7亿元，提升工程2。0全员培训。"), "text/decimal-point")
    assert [x.message for x in p] == ["“13。7”中的“。”应为小数点，写作“13.7”", "“2。0”像版本号，应写作“2.0”"]
    assert (p[0].line, p[0].column) == (12, 14)
    silent(section("完成率达到100。2027年将继续推进。"), "text/decimal-point")


def test_halfwidth_punctuation_in_chinese():
    p = fires(section("一是加强管理,提高质量;(一)做好工作。"), "text/halfwidth-punct")
    assert {x.message for x in p} == {"中文句子中用了半角“,”，应为全角“，”", "中文句子中用了半角“;”，应为全角“；”",
                                      "中文句子中用了半角“(”，应为全角“（”", "中文句子中用了半角“)”，应为全角“）”"}
    silent(section("比例为1:500，数值3.5，版本 2.0, 3.0。"), "text/halfwidth-punct")


def test_unbalanced_quotes_and_brackets():
    p = fires(section("筑牢“防火墙”“护城河。印发《方案》（试行。"), "text/unbalanced")
    assert [x.message for x in p] == ["““”没有与之配对的“””", "“（”没有与之配对的“）”"]
    silent(section("开展“三进”工作，印发《“双减”方案（试行）》。"), "text/unbalanced")


def test_fullwidth_digits():
    p = fires(section("共有１２所学校。"), "text/fullwidth-digit")[0]
    assert p.message == "“１２”是全角数字，应写作“12”"


def test_sequence_skips_and_repeats():
    p = fires(section("一是加强管理；三是提高质量。"), "text/sequence")[0]
    assert p.message == "“三是”的前一项应为“二是”"
    p = fires(section("一是加强管理；二是提高质量；二是做好服务。"), "text/sequence")[0]
    assert p.message == "“二是”的前一项应为“三是”"
    silent(section("一是加强管理；二是提高质量；三是做好服务。统一是前提，唯一是目标。"), "text/sequence")


def test_impossible_dates_in_prose():
    assert fires(section("于2026年13月召开。"), "text/date")[0].message == "“2026年13月”不是有效的日期"
    fires(section("于2月30日召开。"), "text/date")
    silent(section("于2024年2月29日召开，历时12个月，第13月度。"), "text/date")


# --- structure and dates ---------------------------------------------------------------------------


def test_empty_section_and_duplicate_heading():
    text = section("工作。") + "    - heading: 安全稳定\n    - heading: 工作成效\n      text: |\n        另一段。\n"
    assert fires(text, "structure/empty-section")[0].message == "“安全稳定”没有正文、条目或指标"
    assert fires(text, "structure/duplicate-heading")[0].message == "标题“工作成效”与第10行的标题重复"
    silent(section("工作。"), "structure/empty-section")


def test_report_dates():
    fires(section("工作。").replace("2026-12-02", "2025-12-02"), "date/before-period")
    fires(section("工作。").replace("2026-12-02", "2029-01-05"), "date/after-period")
    annual = section("工作。").replace("kind: special", "kind: annual")
    plans = "plans:\n  heading: {}年工作计划\n  text: |\n    继续努力。\n"
    assert fires(annual + plans.format(2026), "date/plan-year")[0].message == \
        "计划部分写的是2026年，年度总结的计划应为2027年"
    silent(annual + plans.format(2027), "date/plan-year")


def test_every_emitted_rule_is_in_the_catalogue_with_chinese_text():
    for rule in RULES.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.summary + rule.message), rule.id


@pytest.mark.parametrize("path", ["examples/annual-county.yaml", "examples/special-balanced-education.yaml",
                                  "examples/half-year.yaml"])
def test_examples_are_free_of_rule_findings(path):
    from conftest import ROOT

    assert problems_of((ROOT / path).read_bytes()) == []


# --- the registry ----------------------------------------------------------------------------------

ENGINE_FAMILIES = ("metric/", "text/", "structure/", "date/", "meta/")


def test_registry_names_exactly_the_engines_rule_ids():
    from reporttool.check.rules import REGISTRY

    assert set(REGISTRY) == {rule for rule in RULES if rule.startswith(ENGINE_FAMILIES)}


def test_every_emitted_id_is_registered_and_every_registered_id_is_emitted():
    import ast

    from conftest import ROOT
    from reporttool.check.rules import REGISTRY

    emitted = set()
    for path in (ROOT / "reporttool" / "check" / "rules").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "emit":
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path.name}:{node.lineno}: emit a literal rule id"
                emitted.add(first.value)
    assert emitted == set(REGISTRY)


def test_run_calls_each_check_once_and_every_check_is_in_the_table():
    import inspect

    from reporttool.check.rules import CHECKS, REGISTRY, masthead, metrics, structure, text

    assert len(CHECKS) == len(set(CHECKS)) and set(CHECKS) == set(REGISTRY.values())
    defined = {fn for module in (masthead, metrics, structure, text) for name, fn in inspect.getmembers(module, inspect.isfunction)
               if fn.__module__ == module.__name__ and not name.startswith("_")
               and list(inspect.signature(fn).parameters) == ["ctx"]}
    assert defined == set(CHECKS)  # a check left out of the table would never run


def test_a_check_emitting_an_id_of_another_check_fails():
    from reporttool.check.rules import REGISTRY, Context, metrics

    ctx = Context(report=None, registry=REGISTRY, check=metrics.relations)
    with pytest.raises(AssertionError, match="text/placeholder"):
        ctx.emit("text/placeholder", ())


def test_references_in_parts_and_rates_are_all_reported():
    text = section("", PARTS.format(total=1300, unit="个", partial="", second="450个")
                   .replace("[小学学位, 初中学位]", "[小学学位数, 初中学位数]"))
    found = fires(text, "metric/ref")
    assert [(p.message, p.hint, p.line) for p in found] == [
        ("【小学学位数】没有对应的指标", "是否应为【小学学位】？", 15),
        ("【初中学位数】没有对应的指标", "是否应为【初中学位】？", 15)]
    silent(text, "metric/parts-sum")  # nothing to add up
    found = fires(section("", RATE.format(value="97.50").replace("denominator: 毕业生", "denominator: 毕业人数")),
                  "metric/ref")
    assert [p.message for p in found] == ["【毕业人数】没有对应的指标"]


def test_empty_attachments_declared_indicators_and_their_metrics():
    body = section("全县共有小学【小学】。", "- 小学: 45所")
    empty = body + "attachments:\n  - title: 项目清单\n  - title: 说明\n    text: |\n      见附表。\n"
    (found,) = fires(empty, "structure/empty-attachment")
    assert (found.line, found.column, found.severity.value) == (16, 12, "warning")
    assert found.path == "attachments[0].title"
    marked = body + "attachments:\n  - title: 主要指标一览表\n    indicators: true\n"
    assert rules_of(marked, "structure/empty-attachment") == []
    no_metrics = HEAD + "      text: |\n        全年工作稳步推进。\n" + "attachments:\n  - title: 主要指标一览表\n    indicators: true\n"
    (found,) = fires(no_metrics, "structure/empty-attachment")
    assert found.message == "附件“主要指标一览表”标为指标一览表，但草稿中没有可列出的指标：不生成表格，只在附件说明中列出"
    assert found.line == 15 and found.hint == "在各部分的 metrics 中登记指标，或删去 indicators: true"
    with_text = no_metrics + "    text: |\n      本表由统计科提供。\n"
    assert rules_of(with_text, "structure/empty-attachment") == []  # its page has the text


def test_title_lines_of_the_report_and_of_attachments():
    body = section("全年工作稳步推进。")
    good = body.replace("  title: 示例县教育局2026年工作总结\n",
                        "  title: 示例县教育局2026年工作总结\n  title_lines: [示例县教育局, 2026年工作总结]\n")
    assert rules_of(good, "structure/title-lines") == []
    spaced = good.replace("[示例县教育局, 2026年工作总结]", "[\"示例县教育局 \", 2026年工作总结]")
    assert rules_of(spaced, "structure/title-lines") == []  # spaces around a line do not count
    attached = body + "attachments:\n  - title: 项目清单\n    title_lines: [项目, 清单表]\n    text: |\n      见下表。\n"
    (found,) = fires(attached, "structure/title-lines")
    assert found.message == "标题分行连起来是“项目清单表”，与标题“项目清单”不一致"
    assert found.path == "attachments[0].title_lines" and found.line == 15
