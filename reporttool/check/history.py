"""Year over year: each 上年数 of a draft against last year's own report.

A draft names its previous report in `meta.previous_report` (relative to the draft), or the caller
gives one (`validate --previous`). Each metric's `previous` value (or the metric it names) is
compared with the same metric of that report, matched by id, else by name, after converting units
(万元 and 亿元) and allowing for the rounding either report used. Metrics found in only one of the
two are listed for the reader (info), not as mistakes.
"""

from __future__ import annotations

import os
from decimal import Decimal

from reporttool import messages
from reporttool.load.parse import Path, format_path
from reporttool.model import units
from reporttool.model.report import Metric, Report
from reporttool.problems import Problem

APPROX_SHARE = Decimal("0.05")  # a figure written as 约/近/余…: agreement within 5%


def check(report: Report, draft_path: str, previous: str | None = None) -> list[Problem]:
    """The findings of comparing `report` (the draft at `draft_path`) with its previous report:
    `previous` when given, else the one meta.previous_report names; none when there is neither."""
    anchor: Path = ("meta", "previous_report") if report.previous_report and previous is None else ("meta",)
    target = previous or report.previous_report
    if not target:
        return []
    if previous is None:  # written in the draft: relative to the draft's folder
        target = os.path.join(os.path.dirname(os.path.abspath(draft_path)), target)
    shown = _display(target)
    last, reason = _load(target)
    if last is None:
        return [_make(report, "history/unusable", anchor, file=shown, reason=reason)]
    return _compare(report, last, shown, anchor)


def _load(path: str) -> tuple[Report | None, str]:
    from reporttool.check.config import DEFAULT
    from reporttool.check.draft import check_loaded
    from reporttool.load.files import load_bytes, read_draft

    data, problems = read_draft(path, path)
    if data is None:
        return None, problems[0].message if problems else "无法读取"
    found, last = check_loaded(load_bytes(data, path), DEFAULT)
    if last is None:
        first = next((p for p in found if p.severity.value == "error"), None)
        where = f"第{first.line}行：{first.message}" if first is not None and first.line else \
            (first.message if first is not None else "")
        return None, f"它本身有错误，读不出指标（{where}；先用 reporttool validate 检查它）"
    return last, ""


def _compare(report: Report, last: Report, shown: str, anchor: Path) -> list[Problem]:
    by_id = {m.id: m for m in last.metrics if m.id and not m.target}
    by_name: dict[str, Metric] = {}
    for metric in last.metrics:
        if not metric.target:
            by_name.setdefault(metric.name, metric)
    current = {m.name: m for m in report.metrics}
    helpers = {m.previous_ref for m in report.metrics if m.previous_ref}  # 上年X written as its own metric
    problems, matched = [], set()
    for metric in report.metrics:
        if metric.target:
            continue
        other = (by_id.get(metric.id) if metric.id else None) or by_name.get(metric.name)
        if other is None:
            if metric.name not in helpers:
                problems.append(_make(report, "history/new-metric", metric.path, name=metric.name, file=shown))
            continue
        matched.add(id(other))
        written, at = _previous_of(metric, current)
        if written is None or other.quantity is None:
            continue
        if not written.unit.compatible(other.quantity.unit):
            continue  # a unit of another kind: the unit rules say what is wrong
        if not _agrees(written, other.quantity):
            line = last.loaded.pos(other.value_path).line
            problems.append(_make(report, "history/previous", at, name=metric.name, written=_show(written),
                                  found=_show(other.quantity), other=f"{shown}:{line}", other_name=other.name))
    for metric in last.metrics:
        if not metric.target and id(metric) not in matched and metric.name not in current \
                and metric.name not in {m.previous_ref for m in last.metrics if m.previous_ref}:
            line = last.loaded.pos(metric.value_path).line
            problems.append(_make(report, "history/dropped-metric", anchor, name=metric.name, other=f"{shown}:{line}"))
    return problems


def _previous_of(metric: Metric, current: dict[str, Metric]) -> tuple[units.Quantity | None, Path]:
    """The 上年数 the draft writes for `metric`, and where: its `previous`, or the metric it names."""
    if metric.previous is not None and metric.quantity is not None:
        return units.Quantity(metric.previous, metric.quantity.unit), metric.field_path("previous")
    if metric.previous_ref:
        named = current.get(metric.previous_ref)
        if named is not None and named.quantity is not None:
            return named.quantity, named.value_path
    return None, metric.path


def _agrees(written: units.Quantity, found: units.Quantity) -> bool:
    """Equal after conversion, when either figure is rounded to the places the other was written with."""
    a, b = written.unit.to_base(written.value), found.unit.to_base(found.value)
    if a == b:
        return True
    if found.approx or written.approx:
        return abs(a - b) <= APPROX_SHARE * max(abs(a), abs(b))
    for rounded, unit, value in ((b, written.unit, written.value), (a, found.unit, found.value)):
        places = units.decimals(value)
        try:
            if (rounded / unit.factor).quantize(Decimal(1).scaleb(-places)) == value:
                return True
        except ArithmeticError:  # beyond Decimal's precision: not equal
            pass
    return False


def _display(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path


def _show(quantity: units.Quantity) -> str:
    return f"{units.format_number(quantity.value)}{quantity.unit.name}"


def _make(report: Report, rule: str, where: Path, **fields) -> Problem:
    pos = report.loaded.pos(where)
    return messages.make(rule, report.file, pos.line, pos.column, path=format_path(where),
                         **{("report" if k == "file" else k): v for k, v in fields.items()})
