"""The rule engine: checks registered here read the model and emit located problems.

Each check may emit several rule ids; every id, its severity and its Chinese wording live in
reporttool.messages. Configuration (off / severity) and inline suppression are applied by
reporttool.check.config after all checks ran.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reporttool import messages
from reporttool.load.parse import format_path
from reporttool.model.report import Report
from reporttool.problems import Problem

_CHECKS: list[Callable[["Context"], None]] = []


def check(fn: Callable[["Context"], None]) -> Callable[["Context"], None]:
    _CHECKS.append(fn)
    return fn


@dataclass
class Context:
    report: Report
    problems: list[Problem] = field(default_factory=list)
    _index: object = None

    @property
    def index(self):
        """Metrics by name and id, built once for all the checks of a run."""
        if self._index is None:
            from reporttool.model.references import Index

            self._index = Index(self.report)
        return self._index

    def emit(self, rule_id: str, path: tuple, offset: int | None = None, *, key: bool = False,
             variant: str | None = None, hint: str | None = None, **fields) -> None:
        """Report `rule_id` at `path` (its key when `key`), or at character `offset` of its text."""
        loaded = self.report.loaded
        if offset is not None:
            line, column = loaded.locate(path, offset)
        else:
            pos = loaded.pos(path)
            line, column = (pos.key_line, pos.key_column) if key else (pos.line, pos.column)
        self.problems.append(messages.make(rule_id, loaded.file, line, column, path=format_path(path),
                                           variant=variant, hint=hint, **fields))


def run(report: Report) -> list[Problem]:
    from reporttool.check.rules import metrics, structure, text  # noqa: F401  (registers the checks)

    context = Context(report)
    for fn in _CHECKS:
        fn(context)
    return context.problems
