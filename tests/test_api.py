"""The public API: one pipeline behind every entry point, the README example, and config everywhere."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import docx
import pytest

import reporttool
from conftest import EXAMPLES, ROOT, VALID_DRAFT, VALID_META

# The only error: an unfilled placeholder (X名教师); the figures are linked, so nothing else fires.
PLACEHOLDER_DRAFT = VALID_META + """achievements:
  sections:
    - heading: 师资队伍建设
      text: |
        今年招聘X名教师。
"""


def _python_block_after(heading: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(heading):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs_as_written(tmp_path):
    code = _python_block_after("## 在程序中使用")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "可以排版" in result.stdout and re.search(r"^\d+ 字节的 \.docx$", result.stdout, re.M), result.stdout


def test_public_names_are_stated_and_all_resolve():
    from reporttool import api

    assert set(reporttool.__all__) == set(api.__all__) | {"__version__"}
    for name in reporttool.__all__:
        assert getattr(reporttool, name) is not None
    with pytest.raises(AttributeError):
        reporttool.check_bytes  # noqa: B018 - a private helper is not public


def test_import_reporttool_loads_no_yaml_docx_or_jinja():
    code = "import sys, reporttool; print(sorted(m for m in sys.modules if m.split('.')[0] in ('ruamel', 'docx', 'jinja2', 'jsonschema')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_check_text_takes_text_or_bytes_and_returns_the_model_when_schema_valid():
    by_text = reporttool.check_text(VALID_DRAFT, "县.yaml")
    by_bytes = reporttool.check_text(VALID_DRAFT.encode("utf-8"), "县.yaml")
    assert by_text.problems == by_bytes.problems == [] and by_text.ok and by_text.exit_code() == 0
    assert by_text.report is not None and by_text.report.title.value == "示例县教育局2026年工作总结"
    broken = reporttool.check_text(VALID_DRAFT.replace("kind: special", "kind: 年度"), "县.yaml")
    assert broken.report is None and broken.exit_code() == 1
    assert [p.rule for p in broken.errors] == ["schema/enum"] and broken.errors[0].file == "县.yaml"
    assert broken.errors[0].line == 6


def test_check_text_never_raises_on_hostile_input():
    for source in (b"\xff\xfe\x00", "a: &x 1\nb: *x\n", "[" * 40000, "meta: {title: " + "{" * 3000):
        result = reporttool.check_text(source)
        assert result.errors and result.report is None


def test_check_files_gives_one_result_per_draft_in_order(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID_DRAFT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(PLACEHOLDER_DRAFT, encoding="utf-8")
    batch = reporttool.check_files([tmp_path, tmp_path / "无此文件.yaml"], jobs=1)
    assert [r.file for r in batch.results] == [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"),
                                              str(tmp_path / "无此文件.yaml")]
    assert batch.results[0].ok and [p.rule for p in batch.results[1].problems] == ["text/placeholder"]
    assert [p.rule for p in batch.results[2].problems] == ["io/not-found"] and batch.exit_code() == 2


def test_render_text_gives_docx_bytes_and_writes_only_when_asked(tmp_path):
    rendered = reporttool.render_text((EXAMPLES / "annual-county.yaml").read_bytes(), "annual-county.yaml")
    assert rendered.output is None and list(tmp_path.iterdir()) == []
    paragraphs = [p.text for p in docx.Document(io.BytesIO(rendered.docx)).paragraphs]
    assert any("工作总结" in text for text in paragraphs[:3])
    target = tmp_path / "报告.docx"
    written = reporttool.render_text(VALID_DRAFT, output=target)
    assert written.output == str(target) and target.read_bytes() == written.docx
    with pytest.raises(reporttool.RenderError) as refused:
        reporttool.render_text(PLACEHOLDER_DRAFT)
    assert refused.value.code == 1 and [p.rule for p in refused.value.problems] == ["text/placeholder"]


def test_format_import_and_new_through_the_api(tmp_path):
    quoted = VALID_DRAFT.replace("heading: 教育质量稳步提升", "heading: '教育质量稳步提升'")
    formatted = reporttool.format_text(quoted)
    assert formatted.text == quoted.replace("'", '"') and formatted.changes == ["单引号改为双引号"]
    scaffold = reporttool.new_draft("half-year", "示例县教育局", 2026)
    assert "示例县教育局2026年上半年工作总结" in scaffold and "kind: half-year" in scaffold
    reporttool.save_new(tmp_path / "新.yaml", scaffold)
    with pytest.raises(FileExistsError):
        reporttool.save_new(tmp_path / "新.yaml", scaffold)
    source = tmp_path / "总结.txt"
    source.write_text("示例县教育局2026年工作总结\n\n一、主要工作成效\n\n全县新建学校3所。\n", encoding="utf-8")
    drafts = reporttool.import_report(source)
    assert [d.name for d in drafts] == [str(tmp_path / "总结.yaml")]
    assert reporttool.check_text(drafts[0].text).report is not None
    reporttool.save_imported(drafts)
    assert (tmp_path / "总结.yaml").read_text(encoding="utf-8") == drafts[0].text
    (tmp_path / "总结.yaml").write_text("# 已经改过的草稿\n", encoding="utf-8")
    with pytest.raises(FileExistsError) as exists:
        reporttool.save_imported(drafts)
    assert exists.value.filename == str(tmp_path / "总结.yaml")
    assert (tmp_path / "总结.yaml").read_text(encoding="utf-8") == "# 已经改过的草稿\n"


# --- one configuration for every entry point --------------------------------------------------


@pytest.mark.parametrize("level, shown", [("off", ""), ("warning", "警告 [text/placeholder]")])
def test_validate_and_render_agree_under_a_project_config(invoke, tmp_path, level, shown):
    (tmp_path / "reporttool.toml").write_text(f'[rules]\n"text/placeholder" = "{level}"\n', encoding="utf-8")
    (tmp_path / "县区").mkdir()
    draft = tmp_path / "县区" / "d.yaml"
    draft.write_text(PLACEHOLDER_DRAFT, encoding="utf-8")
    checked = invoke("validate", str(draft))
    rendered = invoke("render", str(draft), "-o", str(tmp_path / "d.docx"))
    assert checked.exit_code == 0 and rendered.exit_code == 0, checked.output + rendered.output
    assert (tmp_path / "d.docx").is_file()
    assert (shown in checked.output) and (shown in rendered.output)
    if not shown:
        assert "text/placeholder" not in checked.output + rendered.output
    # the API finds the same file for path-based entries, and takes it as an argument for text
    assert reporttool.check_file(draft).ok
    assert reporttool.check_text(PLACEHOLDER_DRAFT).exit_code() == 1
    config = reporttool.find_config(str(draft))
    assert reporttool.check_text(PLACEHOLDER_DRAFT, config=config).ok
    assert reporttool.render_text(PLACEHOLDER_DRAFT, config=config).docx


def test_without_the_config_both_refuse(invoke, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(PLACEHOLDER_DRAFT, encoding="utf-8")
    assert invoke("validate", str(draft)).exit_code == 1
    assert invoke("render", str(draft)).exit_code == 1 and not (tmp_path / "d.docx").exists()


def test_a_broken_project_config_stops_validate_and_render_alike(invoke, tmp_path):
    (tmp_path / "reporttool.toml").write_text('[rules]\n"text/nonesuch" = "off"\n', encoding="utf-8")
    draft = tmp_path / "d.yaml"
    draft.write_text(VALID_DRAFT, encoding="utf-8")
    checked, rendered = invoke("validate", str(draft)), invoke("render", str(draft))
    assert checked.exit_code == rendered.exit_code == 2
    assert "text/nonesuch" in checked.output and "text/nonesuch" in rendered.output
    with pytest.raises(reporttool.ConfigError):
        reporttool.find_config(str(draft))


def test_a_long_running_program_sees_the_config_change(tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(PLACEHOLDER_DRAFT, encoding="utf-8")
    config = tmp_path / "reporttool.toml"
    config.write_text('[rules]\n"text/placeholder" = "off"\n', encoding="utf-8")
    assert reporttool.check_file(draft).ok
    config.write_text('[rules]\n"text/placeholder" = "error"\n', encoding="utf-8")
    assert reporttool.check_file(draft).exit_code() == 1
    config.write_text('[rules]\n"text/placeholder" = "warning"\n', encoding="utf-8")
    assert [p.severity.value for p in reporttool.check_file(draft).problems] == ["warning"]
    config.unlink()
    assert reporttool.check_file(draft).exit_code() == 1


@pytest.mark.parametrize("pyproject", ['[tool]\nname = "其他项目"\n'.encode("gbk"), b"tool = 3\n", b"[[[\n",
                                       b'[tool.reporttool]\nrules = 3\n'])
def test_an_unrelated_or_broken_parent_pyproject(tmp_path, pyproject):
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    (tmp_path / "县").mkdir()
    draft = tmp_path / "县" / "d.yaml"
    draft.write_text(VALID_DRAFT, encoding="utf-8")
    result = reporttool.check_file(draft)
    if b"reporttool" in pyproject:  # it is ours and broken: one clear problem, no traceback
        assert [p.rule for p in result.problems] == ["config/invalid"]
    elif pyproject == b"tool = 3\n":  # valid TOML, not ours: no configuration, nothing to say
        assert result.problems == []
    else:  # unreadable, so maybe ours: passed over, with a note that never fails the draft
        assert [(p.rule, p.severity.value) for p in result.problems] == [("config/ignored", "info")]
        assert result.exit_code(strict=True) == 0


@pytest.mark.parametrize("content, message", [
    (b'[rules]\n"text/placeholder" = ["off"]\n', "级别"),
    ('[rules]\n"text/placeholder" = "关闭"\n'.encode("gbk"), "不是 UTF-8 编码"),
    (b"rules = 3\n", "rules 应为表"),
])
def test_a_config_with_wrong_values_is_a_clear_error(tmp_path, content, message):
    (tmp_path / "reporttool.toml").write_bytes(content)
    with pytest.raises(reporttool.ConfigError, match=message):
        reporttool.load_config(str(tmp_path / "reporttool.toml"))


def test_new_draft_refuses_an_unknown_kind_or_year_in_chinese():
    with pytest.raises(ValueError, match="没有报告类型“年度”"):
        reporttool.new_draft("年度")
    with pytest.raises(ValueError, match="不在 1949—2100 之间"):
        reporttool.new_draft("annual", year=3000)
