"""`reporttool lsp`, the installed command, driven over stdio by an LSP client as an editor drives it:
every problem `validate` reports, with its rule id at its place; changes typed; fmt's fixes applied
as code actions and as document formatting; files that are no drafts left alone."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from lspclient import Client, apply_edits, open_draft, utf16_index
from reporttool.messages import RULES

COMMAND = Path(sys.executable).parent / "reporttool"

# An example with planted findings: a half-width comma (fmt fixes it), a placeholder, parts that do
# not add up, a “。” inside a number (fmt fixes it), and a CJK Extension B character (two UTF-16 units)
# before a finding on the same line, where a code-point column and the editor's column differ.
PLANTED = [
    ("党组织覆盖率达到【党组织覆盖率】。", "党组织覆盖率达到【党组织覆盖率】,全年招聘X名教师。"),
    ("- 新增初中学位: 2200个", "- 新增初中学位: 2300个"),
    ("将【建设项目】中小学", "𠮷𠮷将【建设项目】中小学,投入13。7万元"),
]


@pytest.fixture
def server(tmp_path):
    client = Client([str(COMMAND), "lsp", "--stdio"])
    reply = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"publishDiagnostics": {"versionSupport": True}}}})
    client.notify("initialized", {})
    yield client, reply["result"]["capabilities"], tmp_path
    client.close()


def planted_draft(folder: Path, name: str = "县局总结.yaml") -> Path:
    text = (EXAMPLES / "annual-county.yaml").read_text(encoding="utf-8")
    for old, new in PLANTED:
        assert old in text
        text = text.replace(old, new, 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / "work-report.schema.json", folder)
    return path


def validate_json(invoke, path: Path) -> list[dict]:
    result = invoke("validate", "--format", "json", str(path))
    return json.loads(result.output)["problems"]


def in_code_points(text: str, diagnostic: dict) -> tuple[int, int]:
    """A diagnostic's start as validate gives it: 1-based line and column in characters."""
    start = diagnostic["range"]["start"]
    return start["line"] + 1, utf16_index(text.splitlines()[start["line"]], start["character"]) + 1


def change(client: Client, uri: str, version: int, edits: list[dict]) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                             "contentChanges": [{"range": e["range"], "text": e["newText"]}
                                                                for e in edits]})


def test_the_server_says_what_it_offers(server):
    _, capabilities, _ = server
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental
    assert set(capabilities["codeActionProvider"]["codeActionKinds"]) == {"quickfix", "source.fixAll"}
    assert capabilities["documentFormattingProvider"] is True


def test_diagnostics_are_validates_problems_with_rule_ids_at_the_same_places(server, invoke):
    client, _, folder = server
    path = planted_draft(folder)
    text = path.read_text(encoding="utf-8")
    found = client.diagnostics_of(open_draft(client, path, text))
    expected = validate_json(invoke, path)
    assert {p["rule"] for p in expected} >= {"text/halfwidth-punct", "text/placeholder", "metric/parts-sum",
                                             "text/decimal-point"}
    shown = sorted((d["code"], *in_code_points(text, d), {1: "error", 2: "warning"}[d["severity"]],
                    d["message"].split("\n")[0]) for d in found)
    assert shown == sorted((p["rule"], p["line"], p["column"], p["severity"], p["message"]) for p in expected)
    assert all(d["source"] == "reporttool" for d in found)
    # the hint comes with the message, as validate prints it
    placeholder = next(d for d in found if d["code"] == "text/placeholder")
    assert placeholder["message"] == "“X”是未填写的占位符\n填入实际内容"
    # after two Extension B characters the editor's column is two units past the character count
    line = next(i for i, row in enumerate(text.splitlines()) if "𠮷𠮷" in row)
    comma = next(d for d in found if d["code"] == "text/halfwidth-punct" and d["range"]["start"]["line"] == line)
    assert comma["range"]["start"]["character"] == text.splitlines()[line].index(",") + 2


def test_a_change_is_checked_and_only_the_latest_text_is_published(server, invoke):
    client, _, folder = server
    path = planted_draft(folder)
    text = path.read_text(encoding="utf-8")
    uri = open_draft(client, path, text)
    assert "metric/parts-sum" in {d["code"] for d in client.diagnostics_of(uri)}
    # the writer corrects 2300 to 2200, one keystroke at a time, as fast as the client can send
    line = next(i for i, row in enumerate(text.splitlines()) if "新增初中学位: 2300个" in row)
    column = text.splitlines()[line].index("2300") + 1
    version = 1
    for typed in ["3", "4", "5", "6", "7", "8", "9", "2"]:
        version += 1
        change(client, uri, version, [{"range": {"start": {"line": line, "character": column},
                                                 "end": {"line": line, "character": column + 1}}, "newText": typed}])
    final = text.replace("新增初中学位: 2300个", "新增初中学位: 2200个")
    client.published_until(lambda p: p["uri"] == uri and p["version"] == version)
    client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {
        "tabSize": 2, "insertSpaces": True}})  # a round trip: nothing published after the latest
    published = [p for p in client.published if p["uri"] == uri]
    assert published[-1]["version"] == version
    assert "metric/parts-sum" not in {d["code"] for d in published[-1]["diagnostics"]}
    versions = [p["version"] for p in published]
    assert versions == sorted(versions) and len(published) < version + 1  # no stale result, bursts coalesced
    path.write_text(final, encoding="utf-8")
    assert sorted(d["code"] for d in published[-1]["diagnostics"]) == \
        sorted(p["rule"] for p in validate_json(invoke, path))


def test_a_quick_fix_applies_fmts_edit_at_the_finding(server):
    client, _, folder = server
    path = planted_draft(folder)
    text = path.read_text(encoding="utf-8")
    uri = open_draft(client, path, text)
    found = client.diagnostics_of(uri)
    for rule, before, after in [("text/halfwidth-punct", "】,全年", "】，全年"), ("text/decimal-point", "13。7", "13.7")]:
        diagnostic = next(d for d in found if d["code"] == rule)
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}})["result"]
        assert [a["kind"] for a in actions] == ["quickfix"]
        assert actions[0]["title"] == f"改正：{RULES[rule].summary}（reporttool fmt）"
        assert actions[0]["diagnostics"] == [diagnostic]
        fixed = apply_edits(text, actions[0]["edit"]["changes"][uri])
        assert after in fixed and before not in fixed
        assert len(fixed.splitlines()) == len(text.splitlines())
        # only that place changed
        assert [(a, b) for a, b in zip(text.splitlines(), fixed.splitlines()) if a != b] == \
            [(row, row.replace(before, after)) for row in text.splitlines() if before in row]
    # a finding fmt cannot fix gets no action
    placeholder = next(d for d in found if d["code"] == "text/placeholder")
    assert client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": placeholder["range"],
        "context": {"diagnostics": [placeholder]}})["result"] == []


def test_fix_all_and_formatting_give_fmts_result(server, invoke, tmp_path):
    client, _, folder = server
    path = planted_draft(folder)
    text = path.read_text(encoding="utf-8").replace("  issuer:", "  # 注释保留\n  issuer:", 1)
    head, _, rest = text.partition("\npreface:")
    text = head.replace("\n  ", "\n    ") + "\npreface:" + rest  # meta indented by four: fmt makes it two
    path.write_text(text, encoding="utf-8")
    uri = open_draft(client, path, text)
    client.diagnostics_of(uri)
    on_disk = tmp_path / "fmt" / "草稿.yaml"
    on_disk.parent.mkdir()
    on_disk.write_text(text, encoding="utf-8")
    assert invoke("fmt", str(on_disk)).exit_code == 0
    expected = on_disk.read_text(encoding="utf-8")
    assert expected != text
    edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                       "options": {"tabSize": 2, "insertSpaces": True}})["result"]
    assert apply_edits(text, edits) == expected
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})["result"]
    assert [a["kind"] for a in actions] == ["source.fixAll"]
    assert apply_edits(text, actions[0]["edit"]["changes"][uri]) == expected


def test_a_yaml_error_is_located_and_formatting_refuses_with_a_message(server, invoke):
    client, _, folder = server
    path = folder / "坏.yaml"
    text = (EXAMPLES / "half-year.yaml").read_text(encoding="utf-8").replace("meta:\n", "meta:\n\tx: 1\n", 1)
    path.write_text(text, encoding="utf-8")
    found = client.diagnostics_of(open_draft(client, path, text))
    assert sorted((d["code"], *in_code_points(text, d)) for d in found) == \
        sorted((p["rule"], p["line"], p["column"]) for p in validate_json(invoke, path))
    assert "yaml/tab" in {d["code"] for d in found}
    edits = client.request("textDocument/formatting", {"textDocument": {"uri": path.as_uri()},
                                                       "options": {"tabSize": 2, "insertSpaces": True}})["result"]
    assert edits == []
    shown = [n for n in client.notifications if n["method"] == "window/showMessage"]
    assert shown and "YAML 错误" in shown[-1]["params"]["message"]


def test_the_projects_configuration_applies_as_in_validate(server, invoke):
    client, _, folder = server
    path = planted_draft(folder)
    (folder / "reporttool.toml").write_text('[rules]\n"text/halfwidth-punct" = "off"\n"text/placeholder" = "warning"\n',
                                            encoding="utf-8")
    found = client.diagnostics_of(open_draft(client, path, path.read_text(encoding="utf-8")))
    assert "text/halfwidth-punct" not in {d["code"] for d in found}
    assert {d["severity"] for d in found if d["code"] == "text/placeholder"} == {2}
    assert sorted(d["code"] for d in found) == sorted(p["rule"] for p in validate_json(invoke, path))
    # a broken configuration is said in the draft, as validate says it
    (folder / "reporttool.toml").write_text("[rules\n", encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": path.as_uri()}})
    broken = client.diagnostics_of(path.as_uri())
    assert [d["code"] for d in broken] == ["config/invalid"]
    assert "reporttool.toml" in broken[0]["message"]


def test_yaml_that_is_no_draft_gets_no_findings_and_closing_clears(server):
    client, _, folder = server
    other = folder / "mkdocs.yml"
    other.write_text("site_name: 示例\nnav:\n  - 首页: index.md\n", encoding="utf-8")
    assert client.diagnostics_of(open_draft(client, other, other.read_text(encoding="utf-8"))) == []
    path = planted_draft(folder)
    uri = open_draft(client, path, path.read_text(encoding="utf-8"))
    assert client.diagnostics_of(uri)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics_of(uri) == []


def test_a_draft_not_yet_saved_is_checked_with_the_defaults(server):
    client, _, _ = server
    uri = "untitled:Untitled-1"
    text = "schema_version: 1\nmeta:\n  title: 标题\n"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    found = client.diagnostics_of(uri)
    assert "schema/required" in {d["code"] for d in found}


def test_the_readmes_helix_set_up_is_valid_toml_that_starts_the_server(tmp_path):
    import re
    import tomllib

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n# Helix[^\n]*\n(.*?)```", readme, re.S)
    assert block, "README: the Helix set-up block"
    helix = tomllib.loads(block.group(1))
    server = helix["language-server"]["reporttool"]
    assert helix["language"] == [{"name": "yaml", "language-servers": ["yaml-language-server", "reporttool"]}]
    # the command as Helix runs it: found on PATH (here the test's environment)
    client = Client([str(COMMAND.parent / server["command"]), *server["args"]])
    try:
        reply = client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        assert reply["result"]["serverInfo"]["name"] == "reporttool"
    finally:
        client.close()
