"""Roll-up: a city's metric declared as the aggregate of the same metric in its counties' drafts is
checked against them, with unit conversion; mistakes are located in the city's draft and name the
county figures. The set: the five counties of test_history for 2026 and their city."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from reporttool import api
from test_history import county_set

CITY = """schema_version: 1
meta:
  title: 示例市教育局关于2026年义务教育优质均衡发展工作情况的汇报
  issuer: 示例市教育局
  year: 2026
  kind: special
  date: 2026-12-01
achievements:
  sections:
    - heading: 全市义务教育优质均衡发展稳步推进
      text: |
        2026年，全市在校学生【在校学生】，专任教师【专任教师】，教育总投入【教育总投入】，义务教育巩固率平均【义务教育巩固率】。
      metrics:
        - name: 在校学生
          id: students
          value: {students}
          unit: 人
          rollup: {{drafts: "../2026/*.yaml"}}
        - name: 专任教师
          id: teachers
          value: {teachers}
          unit: 名
          rollup: {{drafts: "../2026/*.yaml"}}
        - name: 教育总投入
          id: spending
          value: {spending}
          unit: 亿元
          rollup: {{drafts: "../2026/*.yaml"}}
        - name: 义务教育巩固率
          id: retention
          value: {retention}
          unit: "%"
          rollup: {{drafts: "../2026/*.yaml", of: mean}}
"""


def figures(folder: Path) -> dict[str, Decimal]:
    """The counties' own figures, in the city's units, summed (the mean for the rate)."""
    totals: dict[str, list[Decimal]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for metric in api.check_file(path).report.metrics:
            base = metric.quantity.unit.to_base(metric.quantity.value)
            totals.setdefault(metric.id, []).append(base)
    return {key: sum(values) if key != "retention" else sum(values) / len(values) for key, values in totals.items()}


def city(root: Path, **override) -> Path:
    counties = root / "2026"
    found = figures(counties)
    values = {"students": found["students"], "teachers": found["teachers"],
              "spending": (found["spending"] / 10000).quantize(Decimal("0.01")),  # 亿元, counties 万元 and 亿元
              "retention": found["retention"].quantize(Decimal("0.1"))}
    values.update(override)
    (root / "市").mkdir(exist_ok=True)
    path = root / "市" / "示例市.yaml"
    path.write_text(CITY.format(**values), encoding="utf-8")
    return path


def test_a_city_that_sums_its_counties_passes_across_units_and_renamed_metrics(tmp_path):
    counties = county_set(tmp_path)
    text = (counties / "丙县.yaml").read_text(encoding="utf-8")  # 丙县 writes its spending in 亿元
    assert 'value: 38110\n          unit: "万元"' in text
    (counties / "丙县.yaml").write_text(text.replace('value: 38110\n          unit: "万元"', 'value: 3.811\n'
                                                     '          unit: "亿元"'), encoding="utf-8")
    assert 'unit: "亿元"' in (counties / "丙县.yaml").read_text(encoding="utf-8")
    result = api.check_file(city(tmp_path))
    assert not [p for p in result.problems if p.rule.startswith("rollup/")], result.problems


def test_a_county_figure_changed_after_the_rollup_is_found_and_named(tmp_path):
    counties = county_set(tmp_path)
    path = city(tmp_path)
    text = (counties / "乙县.yaml").read_text(encoding="utf-8")
    (counties / "乙县.yaml").write_text(text.replace("value: 7058\n", "value: 7085\n", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "reporttool", "validate", str(path)], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 1
    assert "[rollup/mismatch] “在校学生”写的是" in result.stdout and "各县区草稿（5份）的合计为" in result.stdout
    assert "2026/乙县.yaml:" in result.stdout and "7085人" in result.stdout  # the county figure, where it is
    assert result.stdout.count("[rollup/mismatch]") == 1  # the other metrics still agree


def test_missing_metrics_broken_counties_and_empty_globs_are_said(tmp_path):
    counties = county_set(tmp_path)
    path = city(tmp_path)
    text = (counties / "丁县.yaml").read_text(encoding="utf-8")
    (counties / "丁县.yaml").write_text(text.replace("id: teachers", "id: staff"), encoding="utf-8")
    (counties / "戊县.yaml").write_text("schema_version: 1\nmeta: [\n", encoding="utf-8")
    found = api.check_file(path).problems
    rules = sorted({(p.rule, p.message.split("”")[0]) for p in found if p.rule.startswith("rollup/")})
    assert ("rollup/missing", "县区草稿“2026/丁县.yaml") in rules or any(
        r == "rollup/missing" and "丁县" in m for r, m in rules)
    assert any(r == "rollup/unusable" and "戊县" in m for r, m in rules)
    assert not any(p.rule == "rollup/mismatch" for p in found)  # an incomplete set is not summed
    path.write_text(path.read_text(encoding="utf-8").replace("../2026/*.yaml", "../2027/*.yaml"), encoding="utf-8")
    empty = api.check_file(path).problems
    assert [p.rule for p in empty if p.rule.startswith("rollup/")] == ["rollup/no-drafts"] * 4
