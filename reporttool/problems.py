"""The one type every check produces and every reporter formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # for the reader's notice (a metric new since last year): never fails a run

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "说明"}[self.value]


@dataclass(frozen=True, slots=True)  # slots: a batch's parent holds every finding of thousands of drafts
class Problem:
    """A finding located in a file. line/column are 1-based; 0 means "the whole file"."""

    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    hint: str | None = None
    path: str = ""  # position in the draft's structure, e.g. achievements.sections[2].heading
    source_line: str | None = None  # the offending line, shown with a caret for syntax errors
    # io/* problems mean the file could not be checked at all (exit 2, not 1).
    fatal_io: bool = field(default=False, compare=False)
    # The same position as `path`, as data (str keys, int indices): checks that relate problems
    # to each other compare these, never the formatted text. () for the root or no node.
    node: tuple = field(default=(), compare=False)
    # What the message says, as data: ((name, text), …) of the catalogue's template fields, without
    # the ones that are positions (a baseline's fingerprint must not change with an edit above).
    fields: tuple = field(default=(), compare=False)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
            "path": self.path,
        }


EXIT_INTERRUPTED = 130  # Ctrl-C, as shells count it (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (a CI timeout, kill)


def exit_code(problems: list[Problem], strict: bool = False) -> int:
    """0 clean, 1 errors in drafts (or warnings with --strict), 2 a file could not be checked."""
    if any(p.fatal_io for p in problems):
        return 2
    if any(p.severity is Severity.ERROR for p in problems):
        return 1
    if strict and any(p.severity is Severity.WARNING for p in problems):
        return 1
    return 0
