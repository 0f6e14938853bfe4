"""One draft (bytes or a path) → every problem in it: loading, schema, model, rules, configuration."""

from __future__ import annotations

import functools
import os

from reporttool import messages
from reporttool.load.files import load_bytes, read_draft
from reporttool.load.parse import Loaded
from reporttool.problems import Problem


def check_bytes(data: bytes, file: str, config=None) -> list[Problem]:
    """Every problem of one draft: loading, schema, then (on a schema-valid draft) the rules."""
    return check_loaded(load_bytes(data, file), config)[0]


def check_loaded(loaded: Loaded, config=None):
    """(problems, model): the model is None unless the draft passed loading and the schema."""
    from reporttool.check import config as config_module
    from reporttool.model import report as model
    from reporttool.check import rules
    from reporttool.check import schema

    problems = list(loaded.problems)
    schema_problems = schema.check(loaded)
    problems.extend(schema_problems)
    report = None
    if isinstance(loaded.data, dict) and not loaded.damaged and not schema_problems:
        report = model.build(loaded)
        problems.extend(rules.run(report))
    problems = config_module.apply(problems, config or config_module.DEFAULT, loaded)
    return sorted(problems, key=Problem.sort_key), report


def check_path(path: str, display: str | None = None, config=None) -> list[Problem]:
    """`config`: a Config to use for every file; None looks for the nearest project file."""
    from reporttool.check import config as config_module

    display = display or path
    try:
        data, problems = read_draft(path, display)
        if data is None:
            return problems
        if config is None:
            found = config_module.find(os.path.dirname(os.path.abspath(path)))
            try:
                config = _cached_config(found) if found else config_module.DEFAULT
            except config_module.ConfigError as exc:
                return [messages.make("config/invalid", found, detail=str(exc))]
        return check_bytes(data, display, config)
    except Exception as exc:  # any input must end as a located problem, never a traceback
        return [messages.make("internal/error", display, detail=f"{type(exc).__name__}: {exc}")]


@functools.lru_cache(maxsize=64)
def _cached_config(path: str):
    from reporttool.check import config as config_module

    return config_module.load(path)
