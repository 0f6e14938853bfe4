"""The writer's editor: the real yaml-language-server (npm, which .ci/run installs) driven over LSP
with a draft whose modeline names the schema beside it, as `reporttool new` writes it. Its messages
must be reporttool's Chinese, at the right line; the examples must show no error."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from lspclient import Client, open_draft

SERVER = ROOT / ".ci" / "npm" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs node and yaml-language-server: .ci/run installs it")
        pytest.skip("node or yaml-language-server is not installed (.ci/run installs it with npm)")
    folder = tmp_path_factory.mktemp("drafts")
    client = Client([node, str(SERVER), "--stdio"])
    client.request("initialize", {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {
        "textDocument": {"completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"]}},
                         "publishDiagnostics": {}},
        "workspace": {"configuration": True}}})
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {
        "validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}}})
    yield client, folder
    client.close()


def draft_beside_its_schema(invoke, folder: Path, name: str) -> Path:
    path = folder / name
    assert invoke("new", "--kind", "special", "--issuer", "示例县教育局", "--year", "2026", "-o", str(path)).exit_code == 0
    assert (folder / "work-report.schema.json").is_file()
    return path


def test_a_bad_date_is_said_in_reporttools_chinese_at_its_line(server, invoke):
    client, folder = server
    path = draft_beside_its_schema(invoke, folder, "日期.yaml")
    text = path.read_text(encoding="utf-8").replace("date: 2026-", "date: 2026年12月-", 1)
    line = next(i for i, row in enumerate(text.splitlines()) if row.strip().startswith("date:"))
    found = client.diagnostics_of(open_draft(client, path, text))
    messages = [(d["range"]["start"]["line"], d["message"]) for d in found]
    assert (line, "应写成“2026-12-02”这样的年-月-日") in messages, messages
    assert not [m for _, m in messages if "does not match" in m or "pattern" in m.lower()]


def test_a_wrong_kind_lists_the_chinese_titles(server, invoke):
    client, folder = server
    path = draft_beside_its_schema(invoke, folder, "类型.yaml")
    text = path.read_text(encoding="utf-8").replace("kind: special", "kind: 年度", 1)
    found = client.diagnostics_of(open_draft(client, path, text))
    kind_line = next(i for i, row in enumerate(text.splitlines()) if row.startswith("  kind:"))
    at_kind = [d for d in found if d["range"]["start"]["line"] == kind_line]
    assert at_kind, [(d["range"]["start"]["line"], d["message"]) for d in found]
    completion = client.request("textDocument/completion", {
        "textDocument": {"uri": path.as_uri()}, "position": {"line": kind_line, "character": len("  kind: ")}})
    items = completion["result"]["items"] if isinstance(completion["result"], dict) else completion["result"]
    described = {item["label"]: json.dumps(item, ensure_ascii=False) for item in items}
    assert {"annual", "special", "half-year"} <= set(described)
    assert "年度工作总结及下年计划" in described["annual"] and "专项工作汇报" in described["special"]
    assert described["annual"] != described["special"]  # not one description repeated


def test_the_examples_show_no_error_in_the_editor(server, tmp_path):
    client, _ = server
    started = time.perf_counter()
    for example in sorted(EXAMPLES.glob("*.yaml")):
        found = client.diagnostics_of(open_draft(client, example, example.read_text(encoding="utf-8")))
        assert [d for d in found if d.get("severity", 1) == 1] == [], (example.name, found)
    assert time.perf_counter() - started < 300


def test_a_conflict_of_parts_is_said_at_the_key_that_causes_it(server, tmp_path, invoke):
    """problems_and_plans with a separate problems: the editor marks the problems key with
    reporttool's Chinese, not the whole file with a generic “matches a schema that is not allowed”."""
    client, folder = server
    path = draft_beside_its_schema(invoke, folder, "合并.yaml")
    text = (EXAMPLES / "special-balanced-education.yaml").read_text(encoding="utf-8") + \
        "problems:\n  text: |\n    另写的问题。\n"
    line = text.splitlines().index("problems:")
    found = client.diagnostics_of(open_draft(client, path, text))
    at = [(d["range"]["start"]["line"], d["message"]) for d in found]
    said = "已写了合并的“problems_and_plans”（存在问题及下一步打算），就不能再单独写 problems 或 plans，请二选一"
    assert [n for n, message in at if message == said] in ([line], [line + 1]), at  # the key, or the part under it
    assert not [d for d in found if d["range"]["start"]["line"] == 0 and d["range"]["end"]["line"] > line - 2]


def test_an_annual_report_without_plans_is_said_at_its_kind(server, invoke):
    client, folder = server
    path = draft_beside_its_schema(invoke, folder, "无计划.yaml")
    whole = (EXAMPLES / "annual-county.yaml").read_text(encoding="utf-8")
    text = whole[:whole.index("\nplans:")] + whole[whole.index("\nclosing:"):]
    kind_line = text.splitlines().index("  kind: annual")
    found = client.diagnostics_of(open_draft(client, path, text))
    said = "年度工作总结须包含下一步计划：请填写 plans（下一步计划）或 problems_and_plans（存在问题及下一步打算）"
    assert [d["range"]["start"]["line"] for d in found if d["message"] == said] == [kind_line], \
        [(d["range"]["start"]["line"], d["message"]) for d in found]
