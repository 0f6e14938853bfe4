"""What CI consumers read: SARIF 2.1.0 checked against the official schema (from the npm package
@microsoft/jest-sarif, which .ci/run installs), the GitHub step summary and the annotation cap."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT

INVALID = EXAMPLES / "invalid"
SARIF_SCHEMA = ROOT / ".ci" / "npm" / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / \
    "sarif-2.1.0-rtm.5.json"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reporttool", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def official_sarif_schema() -> dict:
    if not SARIF_SCHEMA.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs the SARIF schema: .ci/run installs @microsoft/jest-sarif with npm")
        pytest.skip("the official SARIF 2.1.0 schema is not installed (.ci/run installs it with npm)")
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def test_sarif_output_is_valid_sarif_2_1_0_and_carries_every_problem(tmp_path):
    import jsonschema

    schema = official_sarif_schema()
    chinese = tmp_path / "甲县 草稿.yaml"
    chinese.write_text((INVALID / "bad-date.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", "--format", "sarif", str(INVALID), str(chinese))
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["version"] == "2.1.0"
    text = json.loads(run("validate", "--format", "json", str(INVALID), str(chinese)).stdout)
    results = log["runs"][0]["results"]
    assert len(results) == text["summary"]["errors"] + text["summary"]["warnings"]
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    for found in results:
        assert rules[found["ruleIndex"]] == found["ruleId"] and found["level"] in ("error", "warning")
    located = [r for r in results if "region" in r["locations"][0]["physicalLocation"]]
    assert located and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in located)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert any("%E7%94%B2%E5%8E%BF%20" in uri for uri in uris)  # 甲县 + space, percent-encoded


def test_a_clean_run_is_valid_sarif_with_no_results():
    import jsonschema

    schema = official_sarif_schema()
    log = json.loads(run("validate", "--format", "sarif", str(EXAMPLES / "half-year.yaml")).stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["runs"][0]["results"] == []


def test_the_github_step_summary_is_a_table_of_files_and_counts(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("上一步的摘要\n", encoding="utf-8")
    result = run("validate", "--format", "github", str(INVALID), env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("上一步的摘要\n## reporttool 检查结果")  # appended, as GitHub expects
    assert "| 文件 | 错误 | 警告 |" in written and "| examples/invalid/bad-date.yaml | 1 | 0 |".replace(
        "examples/invalid/", str(INVALID) + "/") in written
    assert run("validate", "--format", "text", str(INVALID), env={"GITHUB_STEP_SUMMARY": str(tmp_path / "x.md")}) \
        and not (tmp_path / "x.md").exists()  # only the github format writes it


def test_more_annotations_than_github_shows_are_announced(tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for n in range(12):
        (many / f"{n}.yaml").write_text((INVALID / "bad-date.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    lines = run("validate", "--format", "github", str(many)).stdout.splitlines()
    assert lines[0].startswith("::notice title=reporttool::GitHub 每个步骤只显示前 10 个错误")
    assert "本次共 12 个错误" in lines[0]
    assert sum(line.startswith("::error ") for line in lines) == 12  # all still in the log
    few = run("validate", "--format", "github", str(INVALID / "bad-date.yaml")).stdout
    assert "::notice" not in few
