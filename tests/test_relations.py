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
