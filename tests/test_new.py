"""`reporttool new`: a scaffold that validation keeps flagging until every blank is filled."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys

import pytest

import reporttool
from reporttool.check.draft import check_path


@pytest.mark.parametrize("kind", ["annual", "special", "half-year"])
def test_scaffold_flags_every_blank_then_validates_clean_once_filled(invoke, tmp_path, kind):
    draft = tmp_path / "草稿.yaml"
    result = invoke("new", "--kind", kind, "--issuer", "示例县教育局", "--year", "2026", "-o", str(draft))
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert text.split("\n")[0] == "# yaml-language-server: $schema=./work-report.schema.json"  # portable
    assert (tmp_path / "work-report.schema.json").read_text(encoding="utf-8") == reporttool.editor_schema()
    assert "\n# " in text  # commented for the writer
    problems = check_path(str(draft))
    blanks = sum(line.count("____") for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert [p.rule for p in problems] == ["text/placeholder"] * blanks
    counter = itertools.count(1)
    filled = re.sub(r"____(（[^）]*）)?", lambda m: f"第{next(counter)}项内容", text)
    draft.write_text(filled, encoding="utf-8")
    assert check_path(str(draft)) == []


def test_never_overwrites_without_force(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text("mine", encoding="utf-8")
    result = invoke("new", "-o", str(draft))
    assert result.exit_code == 2 and "已存在" in result.output and draft.read_text(encoding="utf-8") == "mine"
    assert invoke("new", "-o", str(draft), "--force").exit_code == 0
    assert "schema_version: 1" in draft.read_text(encoding="utf-8")


def test_values_are_yaml_safe(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    assert invoke("new", "--issuer", 'A: "#局" &x *y', "-o", str(draft)).exit_code == 0
    from reporttool.load.files import load_bytes

    assert load_bytes(draft.read_bytes(), "d").data["meta"]["issuer"] == 'A: "#局" &x *y'


def test_prompts_in_a_terminal(tmp_path):
    import pty

    main, secondary = pty.openpty()
    draft = tmp_path / "d.yaml"
    process = subprocess.Popen([sys.executable, "-m", "reporttool", "new", "-o", str(draft)], stdin=secondary,
                               stdout=secondary, stderr=secondary, cwd=tmp_path)
    os.close(secondary)
    output = b""
    answers = iter([b"half-year\n", "示例旗教育体育局\n".encode(), b"2025\n"])
    while process.poll() is None:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        output += chunk
        if chunk.rstrip().endswith((b":", b"]:")) or b"): " in chunk[-4:] or chunk.endswith(b": "):
            try:
                os.write(main, next(answers))
            except StopIteration:
                pass
    process.wait(timeout=60)
    os.close(main)
    assert process.returncode == 0, output.decode(errors="replace")
    meta = __import__("reporttool.load.files", fromlist=["x"]).load_bytes(draft.read_bytes(), "d").data["meta"]
    assert (meta["kind"], meta["issuer"], meta["year"]) == ("half-year", "示例旗教育体育局", 2025)
    assert "报告类型" in output.decode(errors="replace")


def test_a_full_disk_leaves_no_empty_draft_behind(invoke, tmp_path, monkeypatch):
    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    draft = tmp_path / "d.yaml"
    result = invoke("new", "--kind", "annual", "-o", str(draft))
    assert result.exit_code == 2 and "无法写入" in result.output
    assert list(tmp_path.iterdir()) == []  # no 0-byte draft, no temporary file
    monkeypatch.undo()
    assert invoke("new", "--kind", "annual", "-o", str(draft)).exit_code == 0  # a re-run just works
    assert draft.read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.mark.parametrize("written, key", [("年度", "annual"), ("专项汇报", "special"), ("半年工作总结", "half-year"),
                                          ("half-year", "half-year")])
def test_the_kind_may_be_written_in_chinese(invoke, tmp_path, written, key):
    draft = tmp_path / "d.yaml"
    assert invoke("new", "--kind", written, "-o", str(draft)).exit_code == 0
    assert f"kind: {key}\n" in draft.read_text(encoding="utf-8")


def test_an_unknown_kind_is_refused_in_chinese(invoke, tmp_path):
    result = invoke("new", "--kind", "月度", "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 2 and "不是报告类型" in result.output and not (tmp_path / "d.yaml").exists()


def test_a_draft_and_its_schema_work_wherever_the_folder_is_copied(invoke, tmp_path):
    """The modeline names the schema beside the draft, which new writes (and refreshes when stale):
    copied elsewhere the folder keeps working; no path into one machine's virtual environment."""
    import shutil

    folder = tmp_path / "草稿"
    folder.mkdir()
    (folder / "work-report.schema.json").write_text("{}", encoding="utf-8")  # an older copy
    assert invoke("new", "--kind", "special", "-o", str(folder / "专项.yaml")).exit_code == 0
    assert (folder / "work-report.schema.json").read_text(encoding="utf-8") == reporttool.editor_schema()
    text = (folder / "专项.yaml").read_text(encoding="utf-8")
    assert "site-packages" not in text and str(tmp_path) not in text
    copied = shutil.copytree(folder, tmp_path / "同事的电脑")
    first = (copied / "专项.yaml").read_text(encoding="utf-8").split("\n")[0]
    assert (copied / first.split("$schema=")[1]).is_file()


def test_schema_o_writes_utf8_with_the_editor_keywords(invoke, tmp_path):
    import json

    out = tmp_path / "schema.json"
    result = invoke("schema", "-o", str(out))
    assert result.exit_code == 0 and "已写入" in result.output
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8") == reporttool.editor_schema()
    schema = json.loads(data)
    date = schema["$defs"]["meta"]["properties"]["date"]
    assert date["patternErrorMessage"] == "应写成“2026-12-02”这样的年-月-日"  # the editor says reporttool's Chinese
    kind = schema["$defs"]["meta"]["properties"]["kind"]
    assert kind["enumDescriptions"] == ["年度工作总结及下年计划（annual）", "专项工作汇报（special）", "半年工作总结（half-year）"]
    assert kind["markdownDescription"].startswith("**报告类型**")
