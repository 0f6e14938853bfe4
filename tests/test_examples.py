"""Examples are specifications: valid ones stay clean, invalid ones print exactly what is recorded.

Refresh the recorded outputs after a deliberate message change with
    UPDATE_EXPECTED=1 python -m pytest tests/test_examples.py
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, ROOT
from reporttool.cli import cli

VALID = sorted(EXAMPLES.glob("*.yaml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))


def test_there_are_three_kinds_of_example():
    kinds = {p.read_text(encoding="utf-8").split("kind: ")[1].split()[0] for p in VALID}
    assert kinds == {"annual", "special", "half-year"}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_example_is_valid_without_warnings(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./work-report.schema.json\n")  # copied with its folder
    result = CliRunner().invoke(cli, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.output


def test_the_examples_schema_is_the_editor_schema_of_this_version():
    """examples/work-report.schema.json, which the examples' modeline names, is what `reporttool
    schema -o` writes now (regenerate it with that command when the schema changes)."""
    from reporttool import editor_schema

    assert (EXAMPLES / "work-report.schema.json").read_text(encoding="utf-8") == editor_schema()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_output_matches_record(path, monkeypatch):
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT).as_posix()
    result = CliRunner().invoke(cli, ["validate", relative])
    expected_file = path.with_suffix(".expected.txt")
    recorded = f"{result.output}[退出码 {result.exit_code}]\n"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(recorded, encoding="utf-8")
    assert recorded == expected_file.read_text(encoding="utf-8")
    assert result.exit_code in (0, 1)
