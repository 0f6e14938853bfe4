"""Problems and fmt's result in editor terms: ranges in lines and code points (the server converts
them to the client's units), diagnostics, and the smallest edits that turn one text into another."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

from reporttool.problems import Problem

# the line breaks of the Language Server Protocol (the loader's lines are the same for YAML text)
LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
    """The lines of a text without their breaks, as an editor counts them."""
    return LINE_BREAK.split(text)


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


class Offsets:
    """Offsets of one text as (line, character) positions."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]


def edits(before: str, after: str) -> list[Edit]:
    """The edits that turn `before` into `after`: whole lines where lines come or go, single
    characters where a line only changed inside (fmt's punctuation and digits), so that the writer's
    cursor and undo stay where they were."""
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    offsets = Offsets(before)
    found: list[Edit] = []

    def add(start: int, end: int, text: str) -> None:
        found.append(Edit(Span(*offsets.position(start), *offsets.position(end)), text))

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
