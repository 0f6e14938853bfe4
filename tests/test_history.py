"""Year over year: every 上年数 of a draft is checked against last year's own report (named in
meta.previous_report, or given with --previous), matched by id, else by name, after unit conversion;
metrics that appear or disappear are listed for the reader, never as errors.

The set: five counties' special reports on compulsory education for 2025 and 2026, each 2026 draft
pointing at its 2025 draft, with planted mistakes and near misses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from reporttool import api
from reporttool.cli import cli

# name, id, unit: what every county reports
METRICS = [("在校学生", "students", "人"), ("专任教师", "teachers", "名"), ("教育总投入", "spending", "万元"),
           ("新建校舍面积", "building", "平方米"), ("义务教育巩固率", "retention", "%")]
FIGURES_2025 = {
    "甲县": [41235, 2876, 52310, 18600, 98.6],
    "乙县": [6852, 512, 9800, 4200, 97.9],
    "丙县": [28764, 1988, 37000, 12500, 99.1],
    "丁县": [15320, 1104, 21480, 6800, 98.2],
    "戊县": [9876, 731, 13250, 5100, 97.5],
}


def draft(county: str, year: int, metrics: list[dict], previous_report: str | None = None) -> str:
    """A county's special report whose section cites each metric, in long form."""
    lines = ["schema_version: 1", "meta:", f"  title: {county}教育体育局关于{year}年义务教育优质均衡发展工作情况的汇报",
             f"  issuer: {county}教育体育局", f"  year: {year}", "  kind: special", f"  date: {year}-11-28"]
    if previous_report:
        lines.append(f"  previous_report: {previous_report}")
    cited = "，".join(f"{m['name']}【{m['name']}】" for m in metrics)
    lines += ["achievements:", "  sections:", "    - heading: 义务教育优质均衡发展稳步推进", "      text: |",
              f"        {year}年，全县{cited}。", "      metrics:"]
    for m in metrics:
        lines += [f"        - name: {m['name']}", f"          id: {m['id']}", f"          value: {m['value']}",
                  f"          unit: \"{m['unit']}\""]
        if "previous" in m:
            lines.append(f"          previous: {m['previous']}")
    return "\n".join(lines) + "\n"


def metrics_of(values: list, previous: list | None = None, units: dict | None = None) -> list[dict]:
    out = []
    for i, ((name, key, unit), value) in enumerate(zip(METRICS, values)):
        metric = {"name": name, "id": key, "unit": (units or {}).get(key, unit), "value": value}
        if previous is not None:
            metric["previous"] = previous[i]
        out.append(metric)
    return out


def county_set(root: Path) -> Path:
    for county, figures in FIGURES_2025.items():
        units = {"spending": "亿元"} if county == "丙县" else None  # 丙县 wrote 3.7亿元 last year
        values = [3.7 if key == "spending" and units else v for (_, key, _), v in zip(METRICS, figures)]
        (root / "2025").mkdir(parents=True, exist_ok=True)
        (root / "2025" / f"{county}.yaml").write_text(draft(county, 2025, metrics_of(values, units=units)), "utf-8")
    grown = {county: [round(v * 1.03) if isinstance(v, int) else v for v in figures]
             for county, figures in FIGURES_2025.items()}
    (root / "2026").mkdir(parents=True, exist_ok=True)
    for county, figures in FIGURES_2025.items():
        previous = list(figures)
        metrics = metrics_of(grown[county], previous)
        if county == "乙县":  # planted: digits swapped in last year's figure
            metrics[0]["previous"] = 6825
        if county == "丁县":  # near miss: renamed, the same id
            metrics[1]["name"] = "专任教师总数"
        if county == "甲县":  # a new metric, and one no longer reported
            metrics = [m for m in metrics if m["id"] != "building"]
            metrics.append({"name": "课后服务参与率", "id": "after-school", "unit": "%", "value": 96.4})
        report = "../2025/无此文件.yaml" if county == "戊县" else f"../2025/{county}.yaml"
        (root / "2026" / f"{county}.yaml").write_text(draft(county, 2026, metrics, report), "utf-8")
    return root / "2026"


def findings(result) -> list[tuple[str, str, str]]:
    return [(Path(p.file).stem, p.rule, p.severity.value) for p in result.problems]


def test_each_previous_figure_is_checked_against_last_years_report(tmp_path):
    folder = county_set(tmp_path)
    result = api.check_files([folder])
    found = findings(result)
    assert ("乙县", "history/previous", "error") in found
    wrong = next(p for p in result.problems if p.rule == "history/previous")
    # both files and lines: this draft's place, and last year's line of the figure
    last = (tmp_path / "2025" / "乙县.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(last, 1) if "value: 6852" in text)
    assert wrong.file.endswith("乙县.yaml") and wrong.line > 0
    assert "6825人" in wrong.message and "6852人" in wrong.message and f"乙县.yaml:{line}" in wrong.message
    assert [r for r in found if r[1] == "history/previous"] == [("乙县", "history/previous", "error")]
    # near misses: 3.7亿元 = 37000万元 (丙县), a renamed metric with the same id (丁县)
    assert not [r for r in found if r[0] in ("丙县", "丁县")]
    # appeared and disappeared: listed, not errors
    assert ("甲县", "history/new-metric", "info") in found and ("甲县", "history/dropped-metric", "info") in found
    dropped = next(p for p in result.problems if p.rule == "history/dropped-metric")
    assert "新建校舍面积" in dropped.message and "甲县.yaml:" in dropped.message
    # a previous report that is not there
    missing = next(p for p in result.problems if p.rule == "history/unusable")
    assert missing.file.endswith("戊县.yaml") and "无此文件.yaml" in missing.message
    assert result.exit_code() == 1 and result.exit_code(strict=True) == 1


def test_infos_never_fail_a_run_and_are_shown_as_such(tmp_path, monkeypatch):
    folder = county_set(tmp_path)
    monkeypatch.chdir(tmp_path)
    alone = CliRunner().invoke(cli, ["validate", "--strict", "2026/甲县.yaml"])
    assert alone.exit_code == 0, alone.output  # only infos: --strict passes
    assert "说明 [history/new-metric] “课后服务参与率”是上年报告" in alone.output
    sarif = json.loads(CliRunner().invoke(cli, ["validate", "--format", "sarif", "2026/甲县.yaml"]).output)
    assert {r["level"] for r in sarif["runs"][0]["results"]} == {"note"}
    github = CliRunner().invoke(cli, ["validate", "--format", "github", "2026/甲县.yaml"]).output
    assert "::notice file=" in github
    assert folder.exists()


def test_a_corrected_last_year_is_seen_on_the_next_run_and_previous_can_be_given(tmp_path):
    folder = county_set(tmp_path)
    run = [sys.executable, "-m", "reporttool", "validate", "-q"]
    env = {**os.environ}
    first = subprocess.run([*run, str(folder / "乙县.yaml")], capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 1 and "[history/previous]" in first.stdout
    last = tmp_path / "2025" / "乙县.yaml"
    last.write_text(last.read_text(encoding="utf-8").replace("value: 6852", "value: 6825"), encoding="utf-8")
    again = subprocess.run([*run, str(folder / "乙县.yaml")], capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0 and "[history/previous]" not in again.stdout  # never served from a cache
    # --previous for a draft that names none
    text = (folder / "丁县.yaml").read_text(encoding="utf-8").replace("  previous_report: ../2025/丁县.yaml\n", "")
    (tmp_path / "丁县2026.yaml").write_text(text.replace("previous: 15320", "previous: 15230"), encoding="utf-8")
    given = subprocess.run([*run, "--previous", str(tmp_path / "2025" / "丁县.yaml"), str(tmp_path / "丁县2026.yaml")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert given.returncode == 1 and "15230人" in given.stdout and "15320人" in given.stdout
    plain = subprocess.run([*run, str(tmp_path / "丁县2026.yaml")], capture_output=True, text=True, env=env, timeout=120)
    assert plain.returncode == 0
