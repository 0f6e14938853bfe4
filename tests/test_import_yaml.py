"""The importer's YAML: one emitter, indentation from depth, data that loads back exactly as built."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reporttool.check import schema
from reporttool.importer.draft import build
from reporttool.importer.emit import Flow, Node, Prose, emit, plain
from reporttool.importer.read import clean
from reporttool.importer.structure import structure
from reporttool.load.parse import _INVISIBLE, load_text  # characters the loader refuses in a key


def loads(text: str, allow: tuple[str, ...] = ()):
    """The loaded data; any finding fails, except those of `allow` (a control character is one
    whatever its escaping: Word cannot save it)."""
    loaded = load_text(text, "d.yaml")
    assert [p.message for p in loaded.problems if p.rule not in allow] == []
    return loaded.data


HARD_PROSE = Prose('  两个空格开头的行\n键: 值，还有 # 不是注释\n"双引号"和\'单引号\'、“中文引号”\n- 像列表\n\n'
                   '   更深的缩进\n{像流式}: [1, 2] &锚 *别名 !标签 | > %\n')

SECTION = {
    "heading": "队伍建设: #1 “强师”",
    "text": HARD_PROSE,
    "items": [
        {"heading": "招聘", "text": Prose("招聘教师【招聘教师】。\n"),
         "metrics": [{"招聘教师": "30名"},
                     Node(Flow(name="就业率", value=Decimal("97.50"), unit="%",
                               rate={"numerator": "就业人数", "denominator": "毕业生总人数"}),
                          before=["完整写法：有分子分母"]),
                     Flow(name="学校", value=46, unit="所", parts=["小学", "初中"], partial=True)]},
        {"text": "____"},
    ],
    "metrics": [Flow(name="本科上线", value=7487, unit="人", previous=Decimal(6825), change=Decimal(-5))],
    "nested": [["a", ["b", {"c": [1, 2]}]], [], {}],
}


def test_a_section_with_items_metrics_and_nested_lists_round_trips():
    data = {"schema_version": 1, "section": Node(SECTION, before=["节之前"], after=["节之后"])}
    text = emit(data, ["头注释"])
    assert loads(text) == plain(data)
    assert text.startswith("# 头注释\nschema_version: 1\n\n# 节之前\nsection:\n")
    assert text.endswith("\n# 节之后\n")
    assert "\n        # 完整写法：有分子分母\n        - {name: \"就业率\", value: 97.50, unit: \"%\", rate: {" in text


def test_indentation_is_two_spaces_a_level():
    data = {"achievements": {"sections": [{"heading": "一", "items": [{"text": Prose("正文\n")}]}]}}
    assert emit(data) == ("achievements:\n"
                          "  sections:\n"
                          "    - heading: \"一\"\n"
                          "      items:\n"
                          "        - text: |\n"
                          "            正文\n")


def test_prose_with_colons_hashes_leading_spaces_and_quotes_stays_a_block_and_exact():
    text = emit({"text": HARD_PROSE, "more": [HARD_PROSE]})
    assert text.startswith("text: |2\n    两个空格开头的行\n  键: 值，还有 # 不是注释\n")
    assert "\n  - |2\n" in text
    assert loads(text) == {"text": str(HARD_PROSE), "more": [str(HARD_PROSE)]}


def test_block_chomping_and_text_a_block_cannot_hold():
    cases = ["无结尾换行", "多个结尾换行\n\n\n", "\n开头空行\n", "回车\r换行\n", "   \n", "\t制表符开头\n",
             "中间\t制表符\n"]
    data = {f"k{i}": Prose(case) for i, case in enumerate(cases)}
    text = emit(data)
    assert loads(text) == {f"k{i}": case for i, case in enumerate(cases)}
    assert 'k5: "\\t制表符开头\\n"' in text  # the loader rejects a tab in a block's indentation
    assert "k6: |\n  中间\t制表符\n" in text
    assert "k0: |-\n" in text and 'k1: "多个结尾换行\\n\\n\\n"' in text  # |+ would take in a blank line after it
    nested = {"a": {"b": Prose("x\n\n")}, "c": 1}
    assert loads(emit(nested)) == plain(nested)


def test_characters_the_loader_refuses_are_escaped_never_written_raw():
    # reporttool's loader reports these as content (Word cannot hold them) and drops the value;
    # the importer's reader removes them first. Written raw, \u2028 would even break a line.
    refused = ["控制\x07字符", "行\u2028分隔", "\x00\x1b\x7f\x85"]
    text = emit({"quoted": refused, "blocks": [Prose(t + "\n") for t in refused]})
    assert not re.search("[\x00-\x08\x7f-\x9f\u2028\u2029\ud800-\udfff]", text)
    loaded = load_text(text, "d.yaml")
    assert {p.rule for p in loaded.problems} == {"yaml/control-char", "yaml/line-break-char"}
    assert list(loaded.data) == ["quoted", "blocks"]


def test_scalars_that_look_like_something_else_are_quoted():
    values = ["yes", "No", "null", "true", "~", "2026", "1.5", "0x1F", "2026-12-31", "- a", "a: b", "#x", "*a", "&a",
              "!t", "|", ">", "%", "@", "`", "'", "\"", "", " lead", "trail ", "多\n行", "\t", "\\", "\u200b零宽"]
    data = {"values": values, "plain": "annual", "keys": {v: i for i, v in enumerate(values) if v and not _INVISIBLE.search(v)}}
    text = emit(data)
    assert "plain: annual\n" in text
    assert loads(text) == plain(data)


def test_numbers_booleans_null_and_dates():
    data = {"int": 7, "neg": Decimal("-0.5"), "exact": Decimal("97.50"), "t": True, "f": False, "none": None,
            "date": datetime.date(2026, 12, 31), "empty": [], "nothing": {}}
    text = emit(data)
    assert "exact: 97.50\n" in text and "date: 2026-12-31\n" in text
    assert loads(text) == plain(data)


def test_a_comment_cannot_break_out_of_its_line():
    text = emit({"a": Node(1, before=["第一行\n第二行\u2028b: 2"])})
    assert loads(text) == {"a": 1}
    assert text == "# 第一行\n# 第二行\n# b: 2\na: 1\n"


# printable text (what the reader leaves; see the test above for the rest), and keys without
# invisible characters, which the loader refuses in a key
_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), include_characters="\n\t\r"),
                max_size=12)
_KEYS = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=8).filter(
    lambda key: not _INVISIBLE.search(key))
_SCALARS = st.one_of(_TEXT, st.integers(-10**6, 10**6), st.booleans(), st.none(),
                     st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6),
                     _TEXT.map(Prose))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(_KEYS, inner, max_size=4),
    st.builds(Node, inner, st.lists(_TEXT, max_size=2), st.lists(_TEXT, max_size=2))), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _DATA, max_size=4), st.lists(_TEXT, max_size=3))
def test_any_data_round_trips(data, header):
    assert loads(emit(data, header)) == plain(data)


REPORT = """某县教育局2026年工作总结
一、2026年工作成效
（一）办学条件
全县共有学校46所，其中小学30所、初中16所。改造校舍1.2万平方米。
（二）教育质量
本科上线7487人，比上年(6825人)增加了662人。毕业生总人数4512人，就业人数4399人，就业率97.50%。
说明: 按“#1”号文件 统计，'口径'不变。
二、存在的问题
（一）师资不足
教师缺口较大。
三、2027年工作计划
（一）加强队伍
将招聘教师30名。
（二）改善条件
将新建学校3所。
"""


def _draft(text: str):
    return build(structure(clean(text.split("\n")), None), "r.txt")


def test_an_imported_report_loads_back_as_the_data_it_was_built_from():
    draft = _draft(REPORT)
    text = draft.yaml()
    data = loads(text)
    assert data == plain(draft.data)
    assert schema.check(load_text(text, "d.yaml")) == []
    section, quality = data["achievements"]["sections"]
    # 小学 and 初中 add up to the 46: the list is whole, so its sum is checked (not only the bound)
    assert section["metrics"][0] == {"name": "学校", "value": 46, "unit": "所", "parts": ["小学", "初中"]}
    assert {"name": "本科上线", "value": 7487, "unit": "人", "previous": 6825, "change": 662} in quality["metrics"]
    assert {"name": "就业率", "value": Decimal("97.50"), "unit": "%",
            "rate": {"numerator": "就业人数", "denominator": "毕业生总人数"}} in quality["metrics"]
    assert "说明: 按“#1”号文件 统计，'口径'不变。\n" in quality["text"]  # ": " and "#" are prose, in a | block
    assert "      text: |\n        本科上线【本科上线】" in text
    assert [item["heading"] for item in data["plans"]["items"]] == ["加强队伍", "改善条件"]
    assert data["problems"]["items"] == [{"heading": "师资不足", "text": "教师缺口较大。\n"}]


def test_making_a_draft_leaves_the_structure_as_it_was():
    found = structure(clean(("某县教育局2026年工作总结\n一、主要工作\n（一）甲\n甲。\n二、下一步计划\n（一）乙\n乙。\n"
                             "三、下一步打算\n（一）丙\n丙。\n2026年12月2日\n").split("\n")), None)
    first = build(found, "r.txt")
    again = build(found, "r.txt")
    assert first.yaml() == again.yaml() and first.summary == again.summary
    assert len(first.summary.uncertain) == 1


_PIECES = st.sampled_from(["一、", "二、", "（一）", "（二）", "工作成效", "存在的问题及下一步打算", "下一步计划", "\n",
                           "。", "共有学校46所，其中小学30所、初中16所", "就业率98。63%", "比上年(10所)增加了2所",
                           "说明: 见", "#", "“", "\"", "'", "  ", "\t", "|", "- ", "{", "【", "2026年，我局将"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, _TEXT), max_size=40))
def test_any_imported_text_loads_back_as_built(pieces):
    draft = _draft("".join(pieces))
    loaded = load_text(draft.yaml(), "d.yaml")
    assert [p.message for p in loaded.problems if p.rule.startswith("yaml/")] == []
    assert loaded.data == plain(draft.data)
