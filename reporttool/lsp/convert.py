"""Problems and fmt's result in editor terms: ranges in lines and code points (the server converts
them to the client's units), diagnostics, and the smallest edits that turn one text into another.
Lines are the loader's (LineIndex): the places problems are reported at are counted the same way."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from reporttool.load.parse import LineIndex
from reporttool.problems import Problem


@dataclass(frozen=True)
class Span:
    """A range of a text: 0-based lines, characters in code points."""

    start_line: int
    start_char: int
    end_line: int
    end_char: int


@dataclass(frozen=True)
class Edit:
    span: Span
    new_text: str


def lines_of(text: str) -> list[str]:
    """The lines of a text, as the loader counts them (a CR before the break is kept: it ends the
    line, where no column points)."""
    return text.split("\n")


def problem_span(problem: Problem, lines: list[str]) -> Span:
    """Where a problem is shown: its character (line/column are 1-based), or the first line for a
    problem of the whole file (0)."""
    if problem.line <= 0 or problem.line > len(lines):
        return Span(0, 0, 0, len(lines[0]) if lines else 0)
    line = problem.line - 1
    start = min(max(problem.column - 1, 0), len(lines[line]))
    # one character: every editor underlines it; a problem at the end of a line marks the break
    return Span(line, start, line, min(start + 1, len(lines[line])))


def message(problem: Problem) -> str:
    return f"{problem.message}\n{problem.hint}" if problem.hint else problem.message


def edits(before: str, after: str) -> list[Edit]:
    """The edits that turn `before` into `after`: whole lines where lines come or go, single
    characters where a line only changed inside (fmt's punctuation and digits), so that the writer's
    cursor and undo stay where they were."""
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    index = LineIndex(before)
    found: list[Edit] = []

    def position(offset: int) -> tuple[int, int]:
        line, column = index.line_col(offset)
        return line - 1, column - 1

    def add(start: int, end: int, text: str) -> None:
        found.append(Edit(Span(*position(start), *position(end)), text))

    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                old, new = old_lines[i1 + k], new_lines[j1 + k]
                inner = difflib.SequenceMatcher(None, old, new, autojunk=False)
                for op, a1, a2, b1, b2 in inner.get_opcodes():
                    if op != "equal":
                        add(old_starts[i1 + k] + a1, old_starts[i1 + k] + a2, new[b1:b2])
            continue
        add(old_starts[i1], old_starts[i2], "".join(new_lines[j1:j2]))
    return found


def touching(found: list[Edit], span: Span) -> list[Edit]:
    """The edits at a problem's place: those that contain its first character."""
    point = (span.start_line, span.start_char)
    return [edit for edit in found
            if (edit.span.start_line, edit.span.start_char) <= point < (edit.span.end_line, edit.span.end_char)
            or (edit.span.start_line, edit.span.start_char) == point]
