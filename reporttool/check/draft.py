"""One draft (bytes or a path) → every problem in it: loading, schema, model, rules, configuration.

The project configuration of a draft on disk is found here, once, for every entry point.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from reporttool import messages
from reporttool.check.config import DEFAULT, Config, ConfigError, apply, find, load
from reporttool.load.files import load_bytes, read_draft
from reporttool.problems import Problem, Severity, exit_code

if TYPE_CHECKING:
    from collections.abc import Callable

    from reporttool.load.parse import Loaded
    from reporttool.model.report import Report


@dataclass
class CheckResult:
    """What checking one draft found; `report` is the checked model when the draft is schema-valid."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    report: Report | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """No errors, and the file could be read (warnings allowed)."""
        return exit_code(self.problems) == 0

    def exit_code(self, strict: bool = False) -> int:
        return exit_code(self.problems, strict)


def check_loaded(loaded: Loaded, config: Config | None = None,
                 on_model: Callable[[Report], object] | None = None) -> tuple[list[Problem], Report | None]:
    """(problems, model): the model is None unless the draft passed loading and the schema.

    `on_model` is given the model as soon as it is built, before the rules run (render hands it
    to its helper process, which composes meanwhile)."""
    from reporttool.check import rules, schema
    from reporttool.model import report as model
    from reporttool.model.units import using

    config = config or DEFAULT
    problems = list(loaded.problems)
    schema_problems = schema.check(loaded)
    problems.extend(schema_problems)
    report = None
    if isinstance(loaded.data, dict) and not loaded.damaged and not schema_problems:
        with using(config.units):  # the project's own units count while the model is built and checked
            report = model.build(loaded)
            if on_model is not None:
                on_model(report)
            problems.extend(rules.run(report))
    problems = apply(problems, config, loaded)
    return sorted(problems, key=Problem.sort_key), report


def check_data(data: bytes, file: str, config: Config | None = None) -> CheckResult:
    """Check a draft's bytes; any failure inside ends as a located problem, never an exception."""
    try:
        problems, report = check_loaded(load_bytes(data, file), config)
    except Exception as exc:  # any input must end as a located problem, never a traceback
        return CheckResult(file, [_internal(file, exc)])
    return CheckResult(file, problems, report)


def check_bytes(data: bytes, file: str, config: Config | None = None) -> list[Problem]:
    """Every problem of one draft: loading, schema, then (on a schema-valid draft) the rules."""
    return check_data(data, file, config).problems


def check_file(path: str, display: str | None = None, config: Config | None = None,
               cache: bool = False, previous: str | None = None) -> CheckResult:
    """Check a draft on disk; `config` None uses the project file nearest to the draft. `cache`:
    an unchanged draft's findings come from the cache (check/cache.py), new ones are stored.
    `previous`: last year's report to compare with (else the one meta.previous_report names)."""
    display = display or path
    try:
        found = read_with_config(path, display, config)
        if isinstance(found, list):
            return CheckResult(display, found)
        data, config = found
        if not cache or previous is not None:
            return _with_history(check_data(data, display, config), path, previous, config)
        from reporttool.check import cache as stored

        name = stored.key(data, config)
        hit = stored.get(name, display)
        if hit is not None:
            return CheckResult(display, hit)
        result = _with_history(check_data(data, display, config), path, None, config)
        stored.put(name, result.problems)  # no entry when the draft names a previous report (key None)
        return result
    except Exception as exc:  # any input must end as a located problem, never a traceback
        return CheckResult(display, [_internal(display, exc)])


def _with_history(result: CheckResult, path: str, previous: str | None, config: Config) -> CheckResult:
    """The findings across drafts added: year over year, when the draft (or the caller) names a
    previous report; roll-ups, when a metric sums the counties' drafts. The project's levels and
    the draft's inline suppressions apply to them as to the others."""
    report = result.report
    rollups = report is not None and any(m.rollup for m in report.metrics)
    if report is not None and (previous is not None or report.previous_report or rollups):
        from reporttool.check import history, rollup

        try:
            found = history.check(report, path, previous) + (rollup.check(report, path) if rollups else [])
        except Exception as exc:  # as every check: a located problem, never a traceback
            found = [_internal(result.file, exc)]
        if found:
            result.problems = sorted(result.problems + apply(found, config, report.loaded), key=Problem.sort_key)
    return result


def cached_problems(path: str, config: Config | None = None) -> tuple[list[Problem] | None, bool]:
    """The cached findings of an unchanged draft, or None (changed, new, unreadable: check it), and
    whether its findings may be remembered at all (not when they depend on another draft)."""
    try:
        found = read_with_config(path, path, config)
        if isinstance(found, list):
            return None, False
        from reporttool.check import cache as stored

        name = stored.key(*found)
        return stored.get(name, path), name is not None
    except Exception:  # the check itself will say what is wrong
        return None, False


def read_with_config(path: str, display: str, config: Config | None) -> tuple[bytes, Config] | list[Problem]:
    """A draft's bytes and the configuration that applies (`config`, else the nearest project file),
    or the problems why it cannot be used (unreadable; a broken project file: config/invalid)."""
    data, problems = read_draft(path, display)
    if data is None:
        return problems
    if config is None:
        found = config_for(path)
        if isinstance(found, Problem):
            return [found]
        config = found
    return data, config


def check_path(path: str, display: str | None = None, config: Config | None = None,
               cache: bool = False, previous: str | None = None) -> list[Problem]:
    """The problems of check_file (the batch workers send only these)."""
    return check_file(path, display, config, cache, previous).problems


def config_for(path: str) -> Config | Problem:
    """The configuration for the draft at `path` (the nearest project file, or the default), or
    the problem with that project file."""
    found, ignored = find(os.path.dirname(os.path.abspath(path)))
    if not found:
        return replace(DEFAULT, ignored=ignored) if ignored else DEFAULT
    try:
        info = os.stat(found)
        config = _cached_config(found, info.st_mtime_ns, info.st_size)
        return replace(config, ignored=ignored) if ignored else config
    except OSError as exc:
        return messages.make("config/invalid", found, detail=f"无法读取 {found}：{messages.os_reason(exc)}")
    except ConfigError as exc:
        return messages.make("config/invalid", found, exc.line or 1, exc.column or 1, detail=str(exc))


@functools.lru_cache(maxsize=64)
def _cached_config(path: str, mtime_ns: int, size: int) -> Config:
    """Read once per version of the file: an edited config is read again, even by a long-running program."""
    return load(path)


def _internal(file: str, exc: Exception) -> Problem:
    return messages.make("internal/error", file, detail=f"{type(exc).__name__}: {exc}")
