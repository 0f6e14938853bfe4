"""What every check receives: the report, its metric index, and where findings go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reporttool import messages
from reporttool.load.parse import format_path
from reporttool.model.report import Report
from reporttool.problems import Problem


@dataclass
class Context:
    report: Report
    problems: list[Problem] = field(default_factory=list)
    # Set by run(): the check now running, and the table of which check owns which rule id.
    check: Callable[[Context], None] | None = None
    registry: dict | None = None
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
        # The registry names one check per id: a check emitting another's id is a bug in the
        # table, caught by any test that makes it fire rather than left to drift.
        if self.registry is not None and self.registry.get(rule_id) is not self.check:
            raise AssertionError(f"{getattr(self.check, '__qualname__', self.check)} emitted {rule_id}, "
                                 f"which the rule registry does not give to it")
        loaded = self.report.loaded
        if offset is not None:
            line, column = loaded.locate(path, offset)
        else:
            pos = loaded.pos(path)
            line, column = (pos.key_line, pos.key_column) if key else (pos.line, pos.column)
        self.problems.append(messages.make(rule_id, loaded.file, line, column, path=format_path(path),
                                           variant=variant, hint=hint, **fields))
