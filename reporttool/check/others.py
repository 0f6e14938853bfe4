"""What the checks across drafts share: reading another draft, naming it, quoting its figures."""

from __future__ import annotations

import os

from reporttool import messages
from reporttool.load.parse import Path, format_path
from reporttool.model import units
from reporttool.model.report import Report
from reporttool.problems import Problem


def load_report(path: str) -> tuple[Report | None, str]:
    """Another draft (last year's, a county's) checked alone, or None and why it cannot be used."""
    from reporttool.check.config import DEFAULT
    from reporttool.check.draft import check_loaded
    from reporttool.load.files import load_bytes, read_draft

    data, problems = read_draft(path, path)
    if data is None:
        return None, problems[0].message if problems else "无法读取"
    found, report = check_loaded(load_bytes(data, path), DEFAULT)
    if report is None:
        first = next((p for p in found if p.severity.value == "error"), None)
        where = f"第{first.line}行：{first.message}" if first is not None and first.line else \
            (first.message if first is not None else "")
        return None, f"它本身有错误，读不出指标（{where}；先用 reporttool validate 检查它）"
    return report, ""


def display(path: str) -> str:
    """A file as messages name it: relative to the current directory where it can be."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path


def show(quantity: units.Quantity) -> str:
    return f"{units.format_number(quantity.value)}{quantity.unit.name}"


def make(draft: Report, rule: str, where: Path, **fields) -> Problem:
    """A finding in `draft` at the node `where`."""
    pos = draft.loaded.pos(where)
    return messages.make(rule, draft.file, pos.line, pos.column, path=format_path(where), **fields)
