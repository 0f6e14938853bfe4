"""Every rule of the catalogue has a failing and a passing example, and both are true.

The examples live in reporttool/check/rules/examples.yaml (read by reporttool/check/explain.py); `reporttool rules ID` shows them.
"""

from __future__ import annotations

import pytest

from reporttool.check.draft import check_bytes
from reporttool.check.explain import SITUATION_FAMILIES, Example, close_matches, examples, explain
from reporttool.messages import RULES
from reporttool.problems import Severity

IDS = list(RULES)


def problems_of(example: Example):
    return check_bytes(example.data(), "示例.yaml")


def test_every_rule_has_both_examples_and_no_example_lacks_a_rule():
    assert list(examples()) == IDS  # same ids, in the catalogue's order
    for rule, pair in examples().items():
        assert set(pair) == {"fails", "passes"}, rule


@pytest.mark.parametrize("rule", IDS)
def test_only_file_and_process_rules_are_described_instead_of_drafted(rule):
    pair = examples()[rule]
    situations = {kind for kind, example in pair.items() if example.situation is not None}
    if rule.startswith(SITUATION_FAMILIES):
        assert situations == {"fails", "passes"}, rule
    else:
        assert not situations, f"{rule}: a draft's content triggers it, so its examples must be drafts"
    for example in pair.values():
        text = (example.note or "") + (example.situation or example.draft)  # Chinese content or note
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (rule, example.kind)


@pytest.mark.parametrize("rule", IDS)
def test_failing_example_reports_the_rule_and_no_other_error(rule):
    example = examples()[rule]["fails"]
    if example.situation is not None:
        pytest.skip("文件或进程的情形，草稿文字无法演示")
    problems = problems_of(example)
    assert [p for p in problems if p.rule == rule], [(p.rule, p.message) for p in problems]
    others = [(p.rule, p.message) for p in problems if p.rule != rule and p.severity is Severity.ERROR]
    assert not others, others


@pytest.mark.parametrize("rule", IDS)
def test_passing_example_reports_nothing(rule):
    example = examples()[rule]["passes"]
    if example.situation is not None:
        pytest.skip("文件或进程的情形，草稿文字无法演示")
    problems = problems_of(example)
    assert problems == [], [(p.rule, p.message) for p in problems]


def test_example_text_notation_becomes_the_bytes_it_stands_for():
    example = Example("encoding/mixed", "fails", draft="a:⟨U+0009⟩1\n第⟨0xFF⟩\nb: 中\n", lines_encoded_as={"gbk": (2,)})
    assert example.data() == b"a:\t1\n" + "第".encode("gbk") + b"\xff\n" + "b: 中\n".encode()
    bom = Example("encoding/legacy", "fails", draft="甲\n乙\n", encoding="utf-16")
    assert bom.data() == "甲\n乙\n".encode("utf-16")  # one BOM for the file, not one per line
    assert bom.saved_as() == "整个文件的编码：带 BOM 的 UTF-16"


def test_explain_gives_level_wording_hint_and_both_examples():
    text = explain("text/placeholder")
    lines = text.splitlines()
    assert lines[:5] == ["规则：text/placeholder", "默认级别：错误", "说明：未填写的占位符（X、xx、__、20__、某某等）",
                         "提示信息：“…”是未填写的占位符", "修改建议：填入实际内容"]
    fails, passes = text.index("会报告的写法："), text.index("正确的写法：")
    assert fails < passes
    assert "全县共有小学X所" in text[fails:passes] and "全县共有小学X所" not in text[passes:]
    assert "→ 报告：第12行第15列 错误：“X”是未填写的占位符" in text[fails:passes]
    assert "- 小学: 45所" in text[passes:]


def test_explain_of_a_warning_a_variant_and_a_situation():
    assert "默认级别：警告" in explain("text/unlinked-number")
    assert "　　或：“…”写了分子分母（rate），单位应为“…”，实际是“…”" in explain("metric/rate")
    text = explain("io/not-found")
    assert "扩展名写错了" in text and "→ 报告" not in text


def test_unknown_rule_raises_and_close_matches_help():
    with pytest.raises(KeyError):
        explain("text/placehold")
    assert close_matches("text/placehold")[0] == "text/placeholder"
    assert close_matches("placeholder") == ["text/placeholder"]  # a bare name matches after the slash
    assert close_matches("完全不像") == []
