"""Schema errors become Chinese problems at the node they concern, one useful message per node."""

from __future__ import annotations

import dataclasses
import re

import pytest
from jsonschema import Draft202012Validator

from conftest import EXAMPLES, VALID_DRAFT, VALID_META, only, problems_of
from reporttool.check import schema
from reporttool.load.files import load_bytes


def test_schema_is_valid_draft_2020_12_with_local_refs_only():
    root = schema.load_schema()
    assert root["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(root)
    refs = re.findall(r'"\$ref": "([^"]+)"', schema.schema_json())
    assert refs and all(r.startswith("#/$defs/") for r in refs)


def test_every_property_has_a_chinese_title_and_description():
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                for key in ("title", "description"):
                    text = sub.get(key, "")
                    if not re.search(r"[\u4e00-\u9fff]", text):
                        missing.append(f"{where}.{name}: {key}")
            for key, sub in node.items():
                if key != "if":  # conditions name properties, they do not define them
                    walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for sub in node:
                walk(sub, where)

    walk(schema.flat_schema(), "")  # titles of shared definitions count where they are used
    assert missing == []


def test_every_format_used_is_actually_checked():
    used = set(re.findall(r'"format": "([^"]+)"', schema.schema_json()))
    assert used and used <= set(schema.validator().format_checker.checkers)  # the messages' validator
    assert used <= set(schema.FORMATS)  # and the fast yes/no check


def test_unknown_keys_are_errors_everywhere():
    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "if" not in node:  # conditionals: their branches
                extra = node.get("additionalProperties")
                assert extra is False or (isinstance(extra, dict) and "properties" not in node), node.get("title")
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    walk(schema.flat_schema())


def loadable_drafts():
    """Examples and invalid examples whose YAML loads (the others never reach a schema check)."""
    paths = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "invalid").glob("*.yaml"))
    return [p for p in paths if isinstance(load_bytes(p.read_bytes(), p.name).data, dict)]


@pytest.mark.parametrize("path", loadable_drafts(), ids=lambda p: p.name)
def test_fast_check_agrees_with_jsonschema(path):
    loaded = load_bytes(path.read_bytes(), path.name)
    assert schema.is_valid(loaded.data) == schema.validator().is_valid(loaded.data)
    assert len(loadable_drafts()) >= 8


def test_missing_required_key_is_located_at_the_parent_and_names_key_and_part():
    p = only(problems_of(VALID_DRAFT.replace("  issuer: 示例县教育局\n", "")), "schema/required")[0]
    assert (p.line, p.column) == (2, 1)
    assert p.message == "“meta”（基本信息）缺少必填字段“issuer”（发文机关）"


def test_missing_top_level_part():
    p = only(problems_of(VALID_META), "schema/required")[0]
    assert (p.line, p.column) == (1, 1) and "“achievements”（工作成效）" in p.message


def test_wrong_type_says_expected_and_actual():
    p = only(problems_of(VALID_DRAFT.replace("year: 2026", "year: 二〇二六年")), "schema/type")[0]
    assert (p.line, p.column) == (5, 9)
    assert p.message == "“meta.year”（年度）应为整数，实际是文本“二〇二六年”"
    text = VALID_DRAFT + "      metrics:\n        - {name: 投入, value: 13。7, unit: 亿元}\n"
    p = only(problems_of(text), "schema/type")[0]
    assert "应为数字，实际是文本“13。7”" in p.message and "小数点" in p.hint


def test_number_where_text_is_expected_suggests_quotes():
    p = only(problems_of(VALID_DRAFT.replace("issuer: 示例县教育局", "issuer: 010")), "schema/type")[0]
    assert "数字 010" in p.message and '"010"' in p.hint


def test_enum_lists_allowed_values_and_maps_chinese():
    p = only(problems_of(VALID_DRAFT.replace("kind: special", "kind: 半年总结")), "schema/enum")[0]
    assert (p.line, p.column) == (6, 9)
    assert "annual（年度工作总结及下年计划）、special（专项工作汇报）、half-year（半年工作总结）" in p.message
    assert p.hint == "“半年总结”请写作“half-year”"


def test_misspelt_key_hint_and_no_cascade():
    problems = problems_of(VALID_DRAFT.replace("achievements:", "achievments:"))
    assert [p.rule for p in problems] == ["schema/unknown-key"]
    assert problems[0].hint == "是否应为“achievements”（工作成效）？"
    assert (problems[0].line, problems[0].column) == (8, 1)


def test_key_written_as_its_chinese_title_or_at_the_wrong_level():
    p = only(problems_of(VALID_DRAFT.replace("  issuer:", "  发文机关:")), "schema/unknown-key")[0]
    assert p.hint == "应写作“issuer”（发文机关）"
    p = only(problems_of(VALID_DRAFT + "issuer: 乙\n"), "schema/unknown-key")[0]
    assert "meta" in p.hint


def test_invalid_date_and_pattern():
    p = only(problems_of(VALID_DRAFT.replace("2026-12-02", "2026-02-30")), "schema/format")[0]
    assert (p.line, p.column) == (7, 9) and "不是有效的日期" in p.message
    p = only(problems_of(VALID_DRAFT.replace("2026-12-02", "2026-1-2")), "schema/pattern")[0]
    assert "2026-12-02" in p.message


def test_range_length_and_items():
    assert "不能大于 2100" in only(problems_of(VALID_DRAFT.replace("2026\n", "20266\n", 1)), "schema/range")[0].message
    assert "不能为空" in only(problems_of(VALID_DRAFT.replace("issuer: 示例县教育局", "issuer: ''")), "schema/length")[0].message
    text = VALID_META + "achievements:\n  sections: []\n"
    assert "不能为空列表" in only(problems_of(text), "schema/length")[0].message


def test_empty_value_points_at_its_key():
    p = only(problems_of(VALID_DRAFT.replace("    - heading: 教育质量稳步提升", "    - heading:")), "schema/type")[0]
    assert (p.line, p.column) == (10, 7) and "空值" in p.message


def test_report_kind_decides_required_parts_and_merged_parts_exclude_separate_ones():
    annual = VALID_DRAFT.replace("kind: special", "kind: annual")
    p = only(problems_of(annual), "schema/combination")[0]
    assert "年度工作总结须包含下一步计划" in p.message
    kind_line = annual.splitlines().index("  kind: annual") + 1
    assert (p.line, p.column, p.path) == (kind_line, 3, "meta.kind")  # at what makes plans required
    assert not [q for q in problems_of(annual.replace("kind: annual", "kind: special")) if q.rule == "schema/combination"]
    both = VALID_DRAFT + ("problems_and_plans:\n  problems:\n    text: |\n      问题。\n  plans:\n    text: |\n"
                          "      打算。\nplans:\n  text: |\n    计划。\n")
    p = only(problems_of(both), "schema/combination")[0]
    assert "二选一" in p.message


def test_schema_version():
    p = only(problems_of(VALID_DRAFT.replace("schema_version: 1", "schema_version: 2")), "schema/version")[0]
    assert "2" in p.message and "1" in p.message


def test_messages_never_show_python_reprs():
    text = VALID_DRAFT.replace("year: 2026", "year: [1]").replace("kind: special", "kind: {a: 1}") + "x: 1\n"
    for p in problems_of(text):
        assert "datetime" not in p.message and "{'" not in p.message and "is not" not in p.message


def test_error_flood_is_capped():
    metrics = "".join("        - {name: 甲, value: 甲, unit: 个}\n" for _ in range(1000))
    text = VALID_DRAFT + "      metrics:\n" + metrics
    problems = problems_of(text)
    assert 0 < len(problems) <= schema.MAX_ERRORS


def test_fast_check_uses_the_same_date_test_as_jsonschema():
    samples = ["2026-12-02", "2024-02-29", "2026-02-29", "2026-13-01", "2026-1-2", "20261202", "２０２６-12-02",
               " 2026-12-02", "2026-12-02T00:00", "0000-01-01", "9999-12-31", 2026, None]
    for value in samples:
        assert schema._is_date(value) == Draft202012Validator.FORMAT_CHECKER.conforms(value, "date"), value


def test_fast_check_is_cached_and_a_valid_draft_never_imports_jsonschema(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = ("import sys; from reporttool.check.draft import check_path; "
            f"assert check_path({str(EXAMPLES / 'annual-county.yaml')!r}) == []; "
            "print('jsonschema' in sys.modules)")
    for _ in range(2):  # first run fills the cache, the second reads it
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert result.stdout.strip() == "False", result.stderr
    cached = list((tmp_path / "reporttool").glob("work-report-*.marshal"))
    assert len(cached) == 1 and oct(cached[0].parent.stat().st_mode & 0o777) == "0o700"
    cached[0].write_bytes(b"corrupt")  # a damaged cache is rebuilt, never trusted
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize("argv", [["--version"], ["validate", "--help"], ["--help"]])
def test_start_up_does_not_import_heavy_modules(argv):
    import subprocess
    import sys

    code = (f"import sys; from reporttool.cli import main; sys.argv = ['reporttool', *{argv!r}];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('docx', 'jinja2', 'jsonschema', 'lxml') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().endswith("[]"), result.stdout + result.stderr


# --- the converter reads the schema's annotations, never draft field names -----------------


def test_converter_knows_no_draft_field_names():
    import ast
    from pathlib import Path

    names = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    walk(schema.flat_schema())
    names -= {"title", "items", "date"}  # also JSON Schema keywords and a format name
    tree = ast.parse(Path(schema.__file__).read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = [(n.lineno, word) for n in ast.walk(tree)
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
             for word in re.findall(r"[A-Za-z_][\w-]*", n.value) if word in names]
    assert found == []


def convert(root: dict, data: dict, text: str = "") -> list:
    """Problems for `data` under a schema of the test's own, with every field at line 1."""
    from reporttool.load.parse import Loaded

    errors = list(Draft202012Validator(root).iter_errors(data))
    return schema._Converter(Loaded(file="t.yaml", text=text, data=data), root).convert(errors)


def test_annotations_decide_version_short_form_and_unit_hints():
    root = {"type": "object", "properties": {
        "fmt": {"const": 3, "x-version": True},
        "other": {"const": 3},
        "thing": {"type": "object", "x-short-form-hint": "写成“名: 值”"},
        "amount": {"type": "number", "x-unit-field": "measure"},
        "plain": {"type": "number"},
    }}
    problems = {p.path: p for p in convert(root, {"fmt": 4, "other": 4, "thing": "名：值", "amount": "2万",
                                                  "plain": "3%"})}
    assert problems["fmt"].rule == "schema/version" and problems["other"].rule == "schema/enum"
    assert problems["thing"].hint == "写成“名: 值”"
    assert problems["amount"].hint == "“万”“亿”请写在单位中，如 amount: 1.5，measure: 万个"
    assert problems["plain"].hint == "百分数只写数字，如 3"


def test_text_where_a_metric_belongs_gets_the_short_form_hint_from_the_schema():
    short_form = "指标写成“名称: 数值单位”（半角冒号后加空格），如“就业率: 97.46%”"
    text = VALID_DRAFT + "      metrics:\n        - 就业率：97.46%\n"
    assert [p.hint for p in problems_of(text)] == [short_form]
    text = VALID_DRAFT + "plans:\n  items:\n    - text: 甲\n      targets:\n        - 学位：100个\n"
    assert [p.hint for p in problems_of(text)] == [short_form]
    # Below a metric the hint is the plain one: rate is not a metric and has no short form.
    text = VALID_DRAFT + "      metrics:\n        - {name: 甲, value: 1, unit: 个, rate: 乙}\n"
    assert [p.hint for p in problems_of(text)] == ["这里需要下一层字段（另起一行、缩进两个空格）"]


def test_number_hints_name_the_unit_field_only_where_the_schema_has_one():
    metric = VALID_DRAFT + "      metrics:\n        - {{name: 甲, value: 1, unit: 个, {}}}\n"
    assert only(problems_of(metric.format("change: 3%")), "schema/type")[0].hint == "百分数只写数字，如 3，单位写在 unit 中"
    assert only(problems_of(metric.format("growth: 9.7%")), "schema/type")[0].hint == "百分数只写数字，如 9.7"
    year = only(problems_of(VALID_DRAFT.replace("year: 2026", "year: 2万")), "schema/type")[0]
    assert "unit" not in year.hint and "万" in year.hint


def test_problems_carry_their_node_as_data_and_pruning_uses_it():
    p = only(problems_of(VALID_DRAFT.replace("year: 2026", "year: 二〇二六年")), "schema/type")[0]
    assert p.node == ("meta", "year") and p.path == "meta.year"
    assert p == dataclasses.replace(p, node=())  # the node is not part of equality
    # A wrong type hides the messages below its node (here a minimum failing inside the list).
    root = {"type": "object", "properties": {"a": {"type": "object", "items": {"minimum": 5}}}}
    assert len(list(Draft202012Validator(root).iter_errors({"a": [1]}))) == 2
    assert [(p.rule, p.node) for p in convert(root, {"a": [1]})] == [("schema/type", ("a",))]
