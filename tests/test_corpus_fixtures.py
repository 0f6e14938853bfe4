"""Drafts of real reports (tests/fixtures/corpus-*.yaml, text as in ../shared/corpus): validation
finds the mistakes the originals contain, at their exact positions, and nothing false around them."""

from __future__ import annotations

import re
from pathlib import Path

from reporttool.check.draft import check_path
from reporttool.problems import Severity

FIXTURES = Path(__file__).parent / "fixtures"


def occurrences(path: Path, pattern: str) -> set[tuple[int, int]]:
    """Where `pattern` occurs in the file's text lines (line, column), comments excluded."""
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in re.finditer(pattern, line):
            found.add((number, match.start() + 1))
    return found


def located(problems, rule):
    return {(p.line, p.column) for p in problems if p.rule == rule}


def test_004_part1_change_and_rate_errors():
    problems = check_path(str(FIXTURES / "corpus-004-1.yaml"))
    change = [p for p in problems if p.rule == "metric/change"]
    rate = [p for p in problems if p.rule == "metric/rate"]
    assert [p.message for p in change] == ["“本科上线人数”比上年增加746人，而7487人−6825人=662人"]
    assert [p.message for p in rate] == ["“中职就业率”为98.63%，而4399人÷4512人=97.50%"]


def test_004_part1_every_decimal_point_and_placeholder_is_reported_where_it_is():
    path = FIXTURES / "corpus-004-1.yaml"
    problems = check_path(str(path))
    expected_decimals = occurrences(path, r"(?<=[0-9])。(?=[0-9])")  # each finding points at its "。"
    assert located(problems, "text/decimal-point") == expected_decimals
    assert len(expected_decimals) == 25
    versions = [p for p in problems if p.rule == "text/decimal-point" and "版本号" in p.message]
    assert [p.message for p in versions] == ["“2。0”像版本号，应写作“2.0”"]
    assert located(problems, "text/placeholder") == occurrences(path, r"[0-9]*_{2,}[0-9]*")


def test_004_part1_reports_nothing_false():
    problems = check_path(str(FIXTURES / "corpus-004-1.yaml"))
    errors = {p.rule for p in problems if p.severity is Severity.ERROR}
    assert errors == {"metric/change", "metric/rate", "text/decimal-point", "text/placeholder", "text/unbalanced"}
    # the one unbalanced quote is real: 安全“防火墙”“护城河。
    unbalanced = [p for p in problems if p.rule == "text/unbalanced"]
    assert len(unbalanced) == 1 and "“护城河。" in path_line(unbalanced[0])
    warnings = {p.rule for p in problems if p.severity is Severity.WARNING}
    assert warnings <= {"text/halfwidth-punct", "text/unlinked-number"}


def path_line(problem) -> str:
    return (FIXTURES / Path(problem.file).name).read_text(encoding="utf-8").splitlines()[problem.line - 1]


def test_000_every_x_placeholder_and_nothing_else():
    path = FIXTURES / "corpus-000.yaml"
    problems = check_path(str(path))
    assert located(problems, "text/placeholder") == occurrences(path, r"(?<![A-Za-z])[Xx]+(?![A-Za-z])")
    assert {p.rule for p in problems if p.severity is Severity.ERROR} == {"text/placeholder"}
    assert {p.rule for p in problems if p.severity is Severity.WARNING} <= {"text/halfwidth-punct"}
