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

from reporttool.check.others import display, load_report, make, show
from reporttool.load.parse import Path
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
    shown = display(target)
    last, reason = load_report(target)
    if last is None:
        return [make(report, "history/unusable", anchor, report=shown, reason=reason)]
    return _compare(report, last, shown, anchor)


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
                problems.append(make(report, "history/new-metric", metric.path, name=metric.name, report=shown))
            continue
        matched.add(id(other))
        written, at = _previous_of(metric, current)
        if written is None or other.quantity is None:
            continue
        if not written.unit.compatible(other.quantity.unit):
            continue  # a unit of another kind: the unit rules say what is wrong
        if not _agrees(written, other.quantity):
            line = last.loaded.pos(other.value_path).line
            problems.append(make(report, "history/previous", at, name=metric.name, written=show(written),
                                  found=show(other.quantity), other=f"{shown}:{line}", other_name=other.name))
    for metric in last.metrics:
        if not metric.target and id(metric) not in matched and metric.name not in current \
                and metric.name not in {m.previous_ref for m in last.metrics if m.previous_ref}:
            line = last.loaded.pos(metric.value_path).line
            problems.append(make(report, "history/dropped-metric", anchor, name=metric.name, other=f"{shown}:{line}"))
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
