"""Settled findings: `reporttool baseline` writes the current findings with fingerprints that do not
depend on line numbers; `validate --baseline` reports only new ones, says how many were skipped and
which settled ones no longer occur. Run as users run it (the CLI as a process and through CliRunner),
and through the public API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from reporttool import api
from reporttool.cli import cli

COUNTY = (EXAMPLES / "annual-county.yaml").read_text(encoding="utf-8")
PARTS = "              value: 6200\n"  # 新增学位, whose parts add up to 6200
assert PARTS in COUNTY


def county(folder: Path, name: str, total: int = 6300, preface: str = "") -> Path:
    """A county's annual draft whose 新增学位 (6300) is not the sum of its parts (6200)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = COUNTY.replace(PARTS, f"              value: {total}\n")
    if preface:  # lines put before the preface's text, above every finding
        assert "\npreface: |\n" in text
        text = text.replace("\npreface: |\n", f"\npreface: |\n  {preface}\n", 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def reporttool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reporttool", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={**os.environ, "REPORTTOOL_NO_CACHE": "1"})


def test_a_settled_finding_stays_settled_after_an_edit_above_it_and_returns_when_its_figures_change(tmp_path):
    draft = county(tmp_path / "县", "甲县.yaml")
    before = reporttool("validate", "县", cwd=tmp_path)
    assert before.returncode == 1 and "[metric/parts-sum]" in before.stdout
    written = reporttool("baseline", "县", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "已写入基线 reporttool-baseline.yaml：1 个已确认的问题" in written.stdout
    baseline = tmp_path / "reporttool-baseline.yaml"
    assert "metric/parts-sum" in baseline.read_text(encoding="utf-8")
    assert "县/甲县.yaml" in baseline.read_text(encoding="utf-8")  # relative to the baseline, with /

    settled = reporttool("validate", "--baseline", "reporttool-baseline.yaml", "县", cwd=tmp_path)
    assert settled.returncode == 0, settled.stdout
    assert "[metric/parts-sum]" not in settled.stdout and "按基线跳过了 1 个已确认的问题" in settled.stdout

    # lines added above the finding: its line moves, its fingerprint does not
    county(tmp_path / "县", "甲县.yaml", preface="全县教育工作稳中有进。\n  各项任务全面完成。")
    moved = reporttool("validate", "--baseline", "reporttool-baseline.yaml", "县", cwd=tmp_path)
    assert moved.returncode == 0 and "按基线跳过了 1 个已确认的问题" in moved.stdout

    # the figures change: a new finding, reported; the settled one is listed as no longer occurring
    county(tmp_path / "县", "甲县.yaml", total=6400)
    changed = reporttool("validate", "--baseline", "reporttool-baseline.yaml", "县", cwd=tmp_path)
    assert changed.returncode == 1
    assert "6400" in changed.stdout and "[metric/parts-sum]" in changed.stdout
    assert "按基线跳过了 0 个已确认的问题" in changed.stdout
    assert "基线中有 1 个已确认的问题不再出现" in changed.stdout and "县/甲县.yaml [metric/parts-sum]" in changed.stdout

    # corrected: nothing reported, the settled entry is gone
    county(tmp_path / "县", "甲县.yaml", total=6200)
    fixed = reporttool("validate", "--baseline", "reporttool-baseline.yaml", "县", cwd=tmp_path)
    assert fixed.returncode == 0 and "基线中有 1 个已确认的问题不再出现" in fixed.stdout
    assert draft.exists()


def test_reasons_survive_a_rewrite_and_every_copy_of_a_finding_needs_its_own_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for name in ("甲县.yaml", "乙县.yaml"):
        county(tmp_path / "市", name)
    assert runner.invoke(cli, ["baseline", "市", "-o", "settled.yaml"]).exit_code == 0
    text = (tmp_path / "settled.yaml").read_text(encoding="utf-8")
    assert text.count("metric/parts-sum") == 2
    first = text.index('reason: ""')
    text = text[:first] + 'reason: "以统计年报为准，局务会 2026-11-20 确认"' + text[first + len('reason: ""'):]
    (tmp_path / "settled.yaml").write_text(text, encoding="utf-8")
    again = runner.invoke(cli, ["baseline", "市", "-o", "settled.yaml"])
    assert again.exit_code == 0 and "保留了 1 条确认理由" in again.output
    assert "以统计年报为准，局务会 2026-11-20 确认" in (tmp_path / "settled.yaml").read_text(encoding="utf-8")
    county(tmp_path / "市", "丙县.yaml")  # a new county with the same mistake: a new finding
    result = runner.invoke(cli, ["validate", "--baseline", "settled.yaml", "--format", "json", "市"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [p["file"] for p in report["problems"]] == [os.path.join("市", "丙县.yaml")]
    assert report["baseline"] == {"settled": 2, "gone": []}


def test_the_api_applies_a_baseline_and_sarif_marks_settled_results_as_suppressed(tmp_path):
    county(tmp_path / "县", "甲县.yaml")
    target = tmp_path / "b.yaml"
    written = api.write_baseline([tmp_path / "县"], target)
    assert len(written.entries) == 1 and not written.unsettled
    result = api.check_files([tmp_path / "县"], baseline=target)
    assert result.exit_code() == 0 and not result.problems
    assert result.baseline is not None and [p.rule for p, _ in result.baseline.settled] == ["metric/parts-sum"]
    sarif = reporttool("validate", "--format", "sarif", "--baseline", str(target), "县", cwd=tmp_path)
    found = json.loads(sarif.stdout)["runs"][0]["results"]
    assert sarif.returncode == 0 and [r["suppressions"][0]["kind"] for r in found] == ["external"]


@pytest.mark.parametrize("content, where", [
    ("version: 1\nfindings: 3\n", "2:"),
    ("version: 1\nfindings:\n  - rule: x\n", "3:"),
    ("findings: []\n", "1:"),
    ("version: 1\nfindings: [\n", ""),
])
def test_a_broken_baseline_is_said_where_it_is_broken_before_anything_is_checked(tmp_path, content, where):
    county(tmp_path / "县", "甲县.yaml")
    (tmp_path / "b.yaml").write_text(content, encoding="utf-8")
    result = reporttool("validate", "--baseline", "b.yaml", "县", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "[baseline/invalid] 基线文件有误" in result.stderr and f"b.yaml:{where}" in result.stderr
    assert "[metric/parts-sum]" not in result.stdout
    missing = reporttool("validate", "--baseline", "无此文件.yaml", "县", cwd=tmp_path)
    assert missing.returncode == 2 and "无此文件.yaml" in missing.stderr and "Traceback" not in missing.stderr
