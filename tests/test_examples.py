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
    assert text.startswith("# yaml-language-server: $schema=../schemas/work-report.schema.yaml\n")
    result = CliRunner().invoke(cli, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.output


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
