"""The report kinds are one table: the schema, the CLI, compose and the scaffold all follow it."""

from __future__ import annotations

from ruamel.yaml import YAML

from conftest import ROOT
from reporttool.author.scaffold import scaffold
from reporttool.kinds import KINDS
from reporttool.resources import templates_dir


def _schema():
    return YAML(typ="safe").load((ROOT / "schemas" / "work-report.schema.yaml").read_text(encoding="utf-8"))


def test_schema_states_the_kinds_of_the_table():
    kind = _schema()["$defs"]["meta"]["properties"]["kind"]
    assert kind["enum"] == list(KINDS)
    assert kind["x-enum-titles"] == {key: info.name for key, info in KINDS.items()}


def test_schema_requires_plans_exactly_for_the_kinds_that_need_them():
    required = set()
    for rule in _schema()["allOf"]:
        condition = rule["if"].get("properties", {}).get("meta", {}).get("properties", {}).get("kind", {})
        if "const" in condition and {"required": ["plans"]} in rule["if"].get("not", {}).get("anyOf", []):
            required.add(condition["const"])
            # said at meta.kind: without plans, only the kinds that need none are allowed
            allowed = rule["then"]["properties"]["meta"]["properties"]["kind"]["enum"]
            assert set(allowed) == {key for key, info in KINDS.items() if not info.requires_plans}
    assert required == {key for key, info in KINDS.items() if info.requires_plans}


def test_every_kind_has_its_template_and_a_scaffold_of_its_own(invoke, tmp_path):
    for key, info in KINDS.items():
        assert (templates_dir() / info.template).is_file()
        text = scaffold(key, "示例县教育局", 2026, "d.yaml")
        assert f"kind: {key}" in text and info.scaffold_title("示例县教育局", 2026) in text
    help_text = invoke("new", "--help").output
    assert all(key in help_text and info.name in help_text for key, info in KINDS.items())
