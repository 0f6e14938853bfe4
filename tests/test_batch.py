"""Many drafts at once: worker processes, deterministic order, summaries and CI formats."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET

from conftest import EXAMPLES
from reporttool.check import batch


def make_tree(tmp_path, copies=30):
    for i in range(copies):
        sub = tmp_path / f"县{i % 3}"
        sub.mkdir(exist_ok=True)
        shutil.copy(EXAMPLES / "annual-county.yaml", sub / f"{i:03}.yaml")
    shutil.copy(EXAMPLES / "invalid" / "typo-key.yaml", tmp_path / "县1" / "typo.yaml")
    shutil.copy(EXAMPLES / "invalid" / "comment-swallowed.yaml", tmp_path / "县2" / "warn.yaml")
    return tmp_path


def test_parallel_output_equals_serial_output(invoke, tmp_path):
    make_tree(tmp_path)
    serial = invoke("validate", "-j", "1", "--format", "json", str(tmp_path))
    parallel = invoke("validate", "-j", "2", "--format", "json", str(tmp_path))
    import json

    a, b = json.loads(serial.output), json.loads(parallel.output)
    assert a["problems"] == b["problems"] and a["summary"]["files"] == b["summary"]["files"] == 32
    assert serial.exit_code == parallel.exit_code == 1


def test_summary_gives_files_errors_warnings_and_time(invoke, tmp_path):
    make_tree(tmp_path)
    last = invoke("validate", str(tmp_path)).output.splitlines()[-1]
    assert last.startswith("检查了 32 个文件：2 个错误，1 个警告（1 个文件有错误），用时 ") and last.endswith(" 秒")


def test_junit_report(invoke, tmp_path):
    make_tree(tmp_path, copies=3)
    result = invoke("validate", "--format", "junit", str(tmp_path))
    root = ET.fromstring(result.output)
    suite = root.find("testsuite")
    assert suite.get("tests") == "5" and suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases[str(tmp_path / "县1" / "typo.yaml")].find("failure")
    assert failure.get("message") == "2 个错误" and "[schema/unknown-key]" in failure.text
    assert "[yaml/comment-swallowed]" in cases[str(tmp_path / "县2" / "warn.yaml")].find("system-out").text


_REAL_CHECK = batch._check


def _dying(args):
    if args[0].endswith("005.yaml"):
        os._exit(139)  # what a parser segfault looks like to the pool
    return _REAL_CHECK(args)


def test_a_dead_worker_does_not_lose_the_other_files(tmp_path, monkeypatch):
    make_tree(tmp_path, copies=12)
    monkeypatch.setattr(batch, "_check", _dying)
    result = batch.run([str(tmp_path)], jobs=2)
    assert len(result.files) == 14
    assert {p.file for p in result.problems} == {str(tmp_path / "县1" / "typo.yaml"), str(tmp_path / "县2" / "warn.yaml")}


def test_a_file_checked_alone_after_a_crash_keeps_every_field_of_its_problems(tmp_path):
    draft = tmp_path / "坏.yaml"
    draft.write_text("meta:\n  title: 标题: 副标题\n  year: 2026\n", encoding="utf-8")
    alone = batch._isolated(str(draft), None)
    assert alone == batch.check_path(str(draft)) and [p.rule for p in alone] == ["yaml/syntax"]
    assert alone[0].source_line == "  title: 标题: 副标题"  # lost when rebuilt from the JSON output


def test_a_file_over_the_time_limit_is_reported_and_the_batch_goes_on(tmp_path):
    """--time-limit: a check that takes longer is stopped and reported (io/timeout, exit 2) for that
    file alone, in the workers (-j 2) and in the CLI's own process (one file); a timed-out file is
    not cached: the next run with room checks it."""
    import json
    import subprocess
    import sys

    for i in range(12):
        (tmp_path / f"{i:02d}.yaml").write_bytes((EXAMPLES / "annual-county.yaml").read_bytes())
    base = [sys.executable, "-m", "reporttool", "validate", "--format", "json"]
    tight = subprocess.run([*base, "-j", "2", "--time-limit", "0.0001", str(tmp_path)], capture_output=True,
                           text=True, timeout=300)
    report = json.loads(tight.stdout)
    assert tight.returncode == 2 and report["summary"]["files"] == 12, tight.stderr
    timed_out = {p["file"] for p in report["problems"] if p["rule"] == "io/timeout"}
    assert len(timed_out) == 12 and "0.0001 秒" in report["problems"][0]["message"]
    alone = subprocess.run([*base, "--time-limit", "0.0001", str(tmp_path / "00.yaml")], capture_output=True,
                           text=True, timeout=300)
    assert alone.returncode == 2 and "io/timeout" in alone.stdout
    roomy = subprocess.run([*base, "-j", "2", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert roomy.returncode == 0, roomy.stdout  # checked, not the timeouts from the cache
    assert "io/timeout" not in roomy.stdout
