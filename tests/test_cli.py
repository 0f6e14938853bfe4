"""The command line, through click's CliRunner and as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, VALID_DRAFT

ANNUAL = EXAMPLES / "annual-county.yaml"
TYPO = EXAMPLES / "invalid" / "typo-key.yaml"
COMMENT = EXAMPLES / "invalid" / "comment-swallowed.yaml"


def test_valid_draft_exits_0(invoke):
    result = invoke("validate", str(ANNUAL))
    assert result.exit_code == 0
    assert result.output == "检查了 1 个文件：没有发现问题\n"


def test_errors_exit_1_with_location_rule_and_summary(invoke):
    result = invoke("validate", str(TYPO))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{TYPO}:4:3: 错误 [schema/unknown-key] “meta”（基本信息）中不认识的字段“titel”"
    assert lines[-1] == "检查了 1 个文件：2 个错误，0 个警告（1 个文件有错误）"


def test_warnings_pass_unless_strict(invoke):
    assert invoke("validate", str(COMMENT)).exit_code == 0
    assert invoke("validate", "--strict", str(COMMENT)).exit_code == 1


def test_quiet_prints_only_error_lines(invoke):
    result = invoke("validate", "-q", str(TYPO), str(COMMENT))
    assert result.exit_code == 1
    assert all("[schema/unknown-key]" in line for line in result.output.splitlines())
    assert len(result.output.splitlines()) == 2


def test_missing_path_is_exit_2_and_other_files_are_still_checked(invoke, tmp_path):
    result = invoke("validate", str(tmp_path / "无此文件.yaml"), str(TYPO))
    assert result.exit_code == 2
    assert "[io/not-found]" in result.output
    assert "[schema/unknown-key]" in result.output


def test_directory_is_searched_recursively_and_odd_entries_do_not_stop_it(invoke, tmp_path):
    sub = tmp_path / "县区" / "甲县"
    sub.mkdir(parents=True)
    shutil.copy(ANNUAL, sub / "a.yaml")
    shutil.copy(TYPO, tmp_path / "b.yml")
    (tmp_path / "notes.txt").write_text("不是草稿")
    (tmp_path / "县区" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "dir.yaml").mkdir()
    result = invoke("validate", "--format", "json", str(tmp_path))
    report = json.loads(result.output)
    files = {p["file"] for p in report["problems"]}
    assert report["summary"]["files"] == 2  # a.yaml and b.yml, each once, nothing hung
    assert str(tmp_path / "b.yml") in files
    assert any(f.endswith("broken.yaml") for f in files)
    assert result.exit_code == 2  # the broken link could not be read


def test_a_draft_named_twice_is_checked_once(invoke, tmp_path):
    """A symlink, a hard link and the same file given again as an argument are one draft."""
    shutil.copy(TYPO, tmp_path / "a.yaml")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    os.link(tmp_path / "a.yaml", tmp_path / "hard.yaml")
    shutil.copy(TYPO, tmp_path / "copy.yaml")  # same bytes, another file: checked as well
    result = invoke("validate", "--format", "json", str(tmp_path), str(tmp_path / "a.yaml"))
    report = json.loads(result.output)
    assert report["summary"]["files"] == 2
    assert {Path(p["file"]).name for p in report["problems"]} == {"a.yaml", "copy.yaml"}


def test_one_unreadable_file_does_not_stop_the_batch(invoke, tmp_path):
    bad = tmp_path / "0500.yaml"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    shutil.copy(ANNUAL, tmp_path / "0501.yaml")
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    assert "[encoding/binary]" in result.output and "检查了 2 个文件" in result.output


def test_json_format(invoke):
    result = invoke("validate", "--format", "json", str(TYPO))
    report = json.loads(result.output)
    assert report["summary"] == {"files": 1, "files_with_errors": 1, "errors": 2, "warnings": 0}
    first = report["problems"][0]
    assert first["line"] == 4 and first["column"] == 3 and first["rule"] == "schema/unknown-key"
    assert first["path"] == "meta.titel" and first["severity"] == "error"


def test_github_format_escapes_workflow_commands(invoke, tmp_path):
    draft = tmp_path / "a,b:c\n::warning::x.yaml"
    draft.write_text(VALID_DRAFT.replace("kind: special", "kind: '100%'"), encoding="utf-8")
    result = invoke("validate", "--format", "github", str(draft))
    line = result.output.splitlines()[0]
    assert line.startswith("::error file=")
    assert "a%2Cb%3Ac%0A%3A%3Awarning%3A%3Ax.yaml,line=6,col=9,title=schema/enum::" in line
    assert "“100%25”" in line
    assert len(result.output.splitlines()) == 2  # the newline in the name started no command


def test_schema_command_prints_json_and_yaml(invoke):
    result = invoke("schema")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["properties"]["meta"]["$ref"] == "#/$defs/meta"
    yaml_text = invoke("schema", "--format", "yaml").output
    assert yaml_text.startswith("# 教育局工作总结")


def test_rules_lists_every_rule(invoke):
    from reporttool.messages import RULES

    output = invoke("rules").output
    for rule in RULES:
        assert rule in output


def test_version(invoke):
    from reporttool import __version__

    assert invoke("--version").output == f"reporttool {__version__}\n"


def test_usage_errors_exit_2(invoke):
    from click.testing import CliRunner

    from reporttool.cli import cli

    result = CliRunner().invoke(cli, ["validate", "--format", "xml", str(ANNUAL)])
    assert result.exit_code == 2


def run(args, cwd, **kwargs):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, **kwargs)


def test_as_a_process_from_another_directory(tmp_path):
    result = run([sys.executable, "-m", "reporttool", "validate", str(ANNUAL), str(TYPO)], cwd=tmp_path)
    assert result.returncode == 1
    assert "[schema/unknown-key]" in result.stdout and result.stderr == ""


def test_usage_error_as_a_process_is_chinese_and_exit_2(tmp_path):
    result = run([sys.executable, "-m", "reporttool", "validate", "--bogus", str(ANNUAL)], cwd=tmp_path)
    assert result.returncode == 2
    assert "用法错误：没有这个选项：--bogus" in result.stderr
    assert "Traceback" not in result.stderr


SCRIPT = shutil.which("reporttool", path=os.path.dirname(sys.executable)) or shutil.which("reporttool")


@pytest.mark.skipif(SCRIPT is None, reason="console script not installed")
def test_console_script_and_gbk_terminal(tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(VALID_DRAFT.replace("kind: special", "kind: 𠮷"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run([SCRIPT, "validate", str(draft)], cwd=tmp_path, capture_output=True,
                            timeout=120, env=env)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert "报告类型".encode("gbk") in result.stdout


def test_broken_pipe_is_quiet(tmp_path):
    script = f"{sys.executable} -m reporttool validate {EXAMPLES / 'invalid'} | head -1"
    result = subprocess.run(script, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr
    assert result.stdout.count("\n") == 1


def test_python_m_finds_schema_outside_checkout(tmp_path):
    result = run([sys.executable, "-m", "reporttool", "schema"], cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["title"] == "工作报告草稿"


assert ROOT.is_dir()


@pytest.mark.parametrize("signum, code, word", [(2, 130, "已中断"), (15, 143, "")])
def test_interrupt_and_terminate_exit_codes(tmp_path, signum, code, word):
    import signal
    import time

    from bench.make_draft import make_draft

    text = make_draft()
    for i in range(1000):  # ~8 s on two workers: still running at the signal on a machine a few times faster
        (tmp_path / f"{i:04}.yaml").write_text(text, encoding="utf-8")
    # --no-cache: identical drafts would be answered from the cache after the first one
    process = subprocess.Popen([sys.executable, "-m", "reporttool", "validate", "-j", "2", "--no-cache", str(tmp_path)],
                               cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    process.send_signal(signal.Signals(signum))
    out, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert word in err and "Traceback" not in err


def test_rules_explains_one_rule_with_both_examples(invoke):
    result = invoke("rules", "metric/parts-sum")
    assert result.exit_code == 0
    assert "规则：metric/parts-sum" in result.output and "会报告的写法" in result.output
    assert "正确的写法" in result.output and "→ 报告：" in result.output
    listing = invoke("rules")
    assert "metric/parts-sum" in listing.output and "reporttool rules 规则编号" in listing.output


def test_rules_with_an_unknown_id_suggests_the_close_one():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "reporttool", "rules", "placeholder"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "是否是 text/placeholder" in result.stderr and not result.stdout


def test_bad_option_values_are_explained_in_chinese(tmp_path):
    import subprocess
    import sys

    def usage(*args):
        result = subprocess.run([sys.executable, "-m", "reporttool", *args], capture_output=True, text=True,
                                timeout=60, cwd=tmp_path)
        assert result.returncode == 2
        return result.stderr

    assert "选项 -o / --output 的值无效：“.”是目录" in usage("render", str(ANNUAL), "-o", ".")
    assert "“bad”不是报告类型" in usage("new", "--kind", "bad")
    assert "“x”不是整数" in usage("validate", "-j", "x", str(ANNUAL))


def test_import_never_writes_a_draft_over_its_own_source(invoke, tmp_path):
    source = tmp_path / "草稿.yaml"
    source.write_text("示例县教育局2026年工作总结\n\n一、主要工作成效\n\n全县新建学校3所。\n", encoding="utf-8")
    result = invoke("import", str(source), "--force")
    assert result.exit_code == 2 and "与原文相同" in result.output
    assert source.read_text(encoding="utf-8").startswith("示例县教育局2026年工作总结")


def test_a_path_with_no_drafts_fails_the_run(invoke, tmp_path):
    (tmp_path / "空目录").mkdir()
    result = invoke("validate", str(tmp_path / "空目录"))
    assert result.exit_code == 2 and "[io/no-drafts]" in result.output


def test_output_to_a_full_device_is_a_clear_error():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "reporttool", "validate", str(ANNUAL)], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2 and "磁盘空间不足" in result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr


def test_a_file_name_cannot_inject_lines_into_the_output(tmp_path):
    name = tmp_path / "县\n::error file=x.yaml::注入.yaml"
    name.write_text("meta: [\n", encoding="utf-8")
    messy = tmp_path / "乡\n::error file=y.yaml::注入.yaml"  # formattable: its diff labels carry the name
    messy.write_text(VALID_DRAFT.replace("heading: 教育质量稳步提升", "heading: '教育质量稳步提升'"), encoding="utf-8")
    for command in (["validate"], ["fmt", "--check"]):
        result = subprocess.run([sys.executable, "-m", "reporttool", *command, str(name), str(messy)],
                                capture_output=True,
                                text=True, timeout=60)
        lines = (result.stdout + result.stderr).splitlines()
        assert not any(line.startswith("::error") for line in lines), lines
        assert any("\\n::error" in line for line in lines), lines


def test_json_output_is_versioned_and_matches_its_schema(invoke, tmp_path):
    import jsonschema
    from ruamel.yaml import YAML

    schema = YAML(typ="safe").load((ROOT / "schemas" / "validate-output.schema.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    (tmp_path / "坏.yaml").write_text("meta:\n  title: 标题: 副标题\n", encoding="utf-8")
    shutil.copy(ANNUAL, tmp_path / "好.yaml")
    for args in ([str(tmp_path)], [str(ANNUAL)], [str(tmp_path / "无此文件.yaml")]):
        output = json.loads(invoke("validate", "--format", "json", *args).output)
        jsonschema.validate(output, schema)
        assert output["version"] == 1 and output["format"] == "reporttool-validate"


def test_validate_reads_a_draft_from_standard_input():
    piped = subprocess.run([sys.executable, "-m", "reporttool", "validate", "-", str(ANNUAL)],
                           input="meta:\n  title: 标题: 副标题\n".encode(), capture_output=True, timeout=60)
    out = piped.stdout.decode()
    assert piped.returncode == 1 and out.startswith("-:2:") and "检查了 2 个文件" in out
    clean = subprocess.run([sys.executable, "-m", "reporttool", "validate", "-"], input=ANNUAL.read_bytes(),
                           capture_output=True, timeout=60)
    assert clean.returncode == 0, clean.stdout.decode()


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["render", "--help"], ["proof", "--help"],
                                  ["new", "--help"], ["import", "--help"], ["fmt", "--help"], ["schema", "--help"]])
def test_help_has_no_english_of_clicks_own(args):
    """click's own words (Usage, Options, Commands, [default: …], metavars) reach no user: the help
    is Chinese, in-process and as a subprocess."""
    from click.testing import CliRunner

    from reporttool.cli import cli

    shown = CliRunner().invoke(cli, args, prog_name="reporttool").output
    run = subprocess.run([sys.executable, "-m", "reporttool", *args], capture_output=True, text=True, timeout=60)
    for output in (shown, run.stdout):
        assert output.startswith("用法：reporttool"), output[:80]
        for english in ("Usage:", "Options:", "Commands:", "[default:", "[OPTIONS]", "[required]", "Show this message"):
            assert english not in output, (args, english)
        assert "选项：" in output
