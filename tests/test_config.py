"""Project configuration (reporttool.toml, [tool.reporttool]) and inline suppression."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, VALID_META

DRAFT = VALID_META + """achievements:
  sections:
    - heading: 工作成效
      text: |
        招聘X名教师，新建学校3所。
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rules(result):
    return [line.split("[")[1].split("]")[0] for line in result.output.splitlines() if "[" in line and ": " in line]


def test_defaults_without_config(invoke, tmp_path):
    draft = write(tmp_path, "d.yaml", DRAFT)
    assert rules(invoke("validate", str(draft))) == ["text/placeholder", "text/unlinked-number"]


def test_reporttool_toml_in_a_parent_directory_turns_rules_off_and_regrades(invoke, tmp_path):
    write(tmp_path, "reporttool.toml", '[rules]\n"text/unlinked-number" = "off"\n"text/placeholder" = "warning"\n')
    (tmp_path / "县区").mkdir()
    draft = write(tmp_path / "县区", "d.yaml", DRAFT)
    result = invoke("validate", str(draft))
    assert rules(result) == ["text/placeholder"]
    assert "警告 [text/placeholder]" in result.output and result.exit_code == 0


def test_family_and_pyproject(invoke, tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.reporttool.rules]\n"text/*" = "off"\n')
    draft = write(tmp_path, "d.yaml", DRAFT)
    result = invoke("validate", str(draft))
    assert rules(result) == [] and result.exit_code == 0


def test_explicit_config_option(invoke, tmp_path):
    config = write(tmp_path, "ci.toml", '[rules]\n"text/placeholder" = "off"\n')
    draft = write(tmp_path, "d.yaml", DRAFT)
    assert rules(invoke("validate", "--config", str(config), str(draft))) == ["text/unlinked-number"]


def test_bad_config_is_a_clear_error(invoke, tmp_path):
    for body, words in (('[rules]\n"text/placehold" = "off"\n', "是否应为“text/placeholder”"),
                        ('[rules]\n"text/placeholder" = "loud"\n', "级别“loud”无效"),
                        ('[rules]\n"yaml/tab" = "off"\n', "不能关闭"),
                        ('[rules\n', "不是有效的 TOML")):
        config = write(tmp_path, "reporttool.toml", body)
        draft = write(tmp_path, "d.yaml", DRAFT)
        result = invoke("validate", str(draft))
        assert result.exit_code == 2 and "[config/invalid]" in result.output and words in result.output, body
        explicit = invoke("validate", "--config", str(config), str(draft))
        assert explicit.exit_code == 2


def test_inline_comment_silences_one_rule_on_one_node(invoke, tmp_path):
    text = DRAFT.replace("      text: |", "      text: |  # reporttool: disable=text/placeholder")
    draft = write(tmp_path, "d.yaml", text)
    assert rules(invoke("validate", str(draft))) == ["text/unlinked-number"]
    own_line = DRAFT.replace("      text: |", "      # reporttool: disable=text/placeholder,text/unlinked-number\n"
                                             "      text: |")
    draft = write(tmp_path, "d.yaml", own_line)
    assert rules(invoke("validate", str(draft))) == []


def test_inline_comment_scope(invoke, tmp_path):
    section = "    - heading: 乙{trailing}\n      text: |\n        招聘X名。\n"
    trailing = DRAFT + section.format(trailing="  # reporttool: disable=text/placeholder")
    draft = write(tmp_path, "d.yaml", trailing)  # covers the heading only, not the section's text
    assert rules(invoke("validate", str(draft))).count("text/placeholder") == 2
    above = DRAFT + "    # reporttool: disable=text/placeholder\n" + section.format(trailing="")
    draft = write(tmp_path, "d.yaml", above)  # covers the whole section below it
    assert rules(invoke("validate", str(draft))).count("text/placeholder") == 1


def test_inline_comment_inside_prose_is_prose(invoke, tmp_path):
    in_prose = DRAFT.replace("招聘X名教师", "# reporttool: disable=text/placeholder 招聘X名教师")
    draft = write(tmp_path, "d.yaml", in_prose)
    assert "text/placeholder" in rules(invoke("validate", str(draft)))


@pytest.mark.parametrize("text, said, where", [
    ("[rules\n", "[表] 的名称后缺少“]”", (1, 7)),
    ("[rules]\n\"text/placeholder\" = warning\n", "值的写法不对", (2, 22)),
    ("x = 1\nx = 2\n", "同一个键写了两次", (2, 6)),
    ("rules = 3\n", "rules 应为表", (1, 1)),
    ("[rules]\n\"text/placeholder\" = \"loud\"\n", "级别“loud”无效", (1, 1)),
    ("[rules]\n\"nope/rule\" = \"off\"\n", "没有规则“nope/rule”", (1, 1)),
    ("[units]\nextra = 5\n", "应写成种类名", (1, 1)),
])
def test_a_broken_project_file_is_said_in_chinese_at_its_place(invoke, tmp_path, text, said, where):
    (tmp_path / "reporttool.toml").write_text(text, encoding="utf-8")
    (tmp_path / "a.yaml").write_bytes((EXAMPLES / "annual-county.yaml").read_bytes())
    result = invoke("validate", str(tmp_path / "a.yaml"))
    assert result.exit_code == 2, result.output
    assert f"reporttool.toml:{where[0]}:{where[1]}: 错误 [config/invalid]" in result.output, result.output
    assert said in result.output and "Expected" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("content, said", [(b'[tool.x]\nname = "\xb2\xe2"\n', "不是 UTF-8 编码"),
                                           (b"[tool\n", "不是有效的 TOML"), (b"tool = 3\n", None)])
def test_an_unrelated_broken_pyproject_above_is_ignored_with_a_note(invoke, tmp_path, content, said):
    """A GBK-encoded or broken pyproject.toml of another project above the drafts: every draft is
    checked (by validate and render alike) and carries a note naming it (info: --strict passes);
    a valid one without [tool.reporttool] (tool = 3) is simply not a configuration. Fixed, the note goes
    (the cache key knows it)."""
    (tmp_path / "pyproject.toml").write_bytes(content)
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a.yaml").write_bytes((EXAMPLES / "annual-county.yaml").read_bytes())
    result = invoke("validate", "--strict", str(folder / "a.yaml"))
    assert result.exit_code == 0, result.output
    if said is None:
        assert "config/ignored" not in result.output
        return
    assert "说明 [config/ignored]" in result.output and said in result.output
    assert str(tmp_path / "pyproject.toml") in result.output
    rendered = invoke("render", str(folder / "a.yaml"), "-o", str(tmp_path / "a.docx"))
    assert rendered.exit_code == 0 and "config/ignored" in rendered.output
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    again = invoke("validate", str(folder / "a.yaml"))
    assert again.exit_code == 0 and "config/ignored" not in again.output
