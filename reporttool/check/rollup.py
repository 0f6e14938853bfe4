"""Roll-up: a city's figure against the same figure in its counties' drafts.

A metric with `rollup: {drafts: "../县区/*.yaml", of: sum}` is checked against the aggregate of the
same metric (by `rollup.metric`, else this metric's id, else its name; in each county matched by
id, else by name) in every draft the glob or list names, after converting units (a county may
write 万元 where another writes 亿元). A county draft that cannot be read, or lacks the metric, is
said as such; nothing is guessed.
"""

from __future__ import annotations

import functools
import glob
import os
from decimal import Decimal

from reporttool.check.others import display, load_report, make, show
from reporttool.load.parse import Path
from reporttool.model import units
from reporttool.model.report import Metric, Report
from reporttool.problems import Problem

AGGREGATES = {"sum": "合计", "mean": "平均", "max": "最大值", "min": "最小值"}
SHOWN = 8  # county figures quoted in a hint


def check(report: Report, draft_path: str) -> list[Problem]:
    problems: list[Problem] = []
    folder = os.path.dirname(os.path.abspath(draft_path))
    loads = functools.lru_cache(maxsize=None)(load_report)  # one read per county draft for all the city's metrics
    for metric in report.metrics:
        if metric.rollup:
            problems += _check_metric(report, metric, folder, os.path.abspath(draft_path), loads)
    return problems


def drafts_of(spec: str | list[str], folder: str, own: str = "") -> list[str]:
    """The county drafts a rollup names, in a stable order; the city's own draft never counts."""
    patterns = [spec] if isinstance(spec, str) else list(spec)
    found: list[str] = []
    for pattern in patterns:
        full = os.path.join(folder, pattern)
        matched = sorted(glob.glob(full)) if glob.has_magic(pattern) else [full]
        found += [os.path.abspath(p) for p in matched if os.path.abspath(p) != own and os.path.abspath(p) not in found]
    return found


def _check_metric(report: Report, metric: Metric, folder: str, own: str, loads) -> list[Problem]:
    assert metric.rollup is not None
    spec = metric.rollup
    where: Path = metric.field_path("rollup")
    files = drafts_of(spec["drafts"], folder, own)
    if not files:
        return [make(report, "rollup/no-drafts", where, name=metric.name, drafts=_spec_text(spec["drafts"]))]
    if metric.quantity is None:
        return []
    wanted = spec.get("metric") or metric.id or metric.name
    how = spec.get("of", "sum")
    problems, values = [], []
    for path in files:
        county, reason = loads(path)
        shown = display(path)
        if county is None:
            problems.append(make(report, "rollup/unusable", where, county=shown, reason=reason))
            continue
        found = _find(county, wanted)
        if found is None or found.quantity is None:
            problems.append(make(report, "rollup/missing", where, county=shown, metric=wanted, name=metric.name))
            continue
        if not found.quantity.unit.compatible(metric.quantity.unit):
            problems.append(make(report, "rollup/unit", where, county=shown, metric=wanted,
                                  found=show(found.quantity), unit=metric.quantity.unit.name))
            continue
        values.append((shown, found.quantity, county.loaded.pos(found.value_path).line))
    if problems or not values:  # an incomplete set: its aggregate would be wrong for another reason
        return problems
    unit = metric.quantity.unit
    in_unit = [unit_value(q, unit) for _, q, _ in values]
    expected = {"sum": sum(in_unit, Decimal(0)), "mean": sum(in_unit, Decimal(0)) / len(in_unit),
                "max": max(in_unit), "min": min(in_unit)}[how]
    if not _agrees(metric.quantity.value, expected, exact=how != "mean"):
        listed = "、".join(f"{name}:{line} {show(q)}" for name, q, line in values[:SHOWN])
        more = f" 等{len(values)}份" if len(values) > SHOWN else ""
        places = max(units.decimals(metric.quantity.value), 2 if how == "mean" else 0)
        return [make(report, "rollup/mismatch", metric.value_path, name=metric.name, how=AGGREGATES[how],
                      count=len(values), expected=f"{units.format_number(expected, places)}{unit.name}",
                      written=show(metric.quantity), listed=listed + more)]
    return []


def unit_value(quantity: units.Quantity, unit: units.Unit) -> Decimal:
    """`quantity` expressed in `unit` (the same kind)."""
    return quantity.unit.to_base(quantity.value) / unit.factor


def _agrees(written: Decimal, expected: Decimal, exact: bool) -> bool:
    """Equal when the aggregate is rounded to the places the city wrote (a mean: to one more unit of them)."""
    places = units.decimals(written)
    try:
        rounded = expected.quantize(Decimal(1).scaleb(-places))
    except ArithmeticError:
        return False
    return rounded == written or (not exact and abs(expected - written) <= Decimal(1).scaleb(-places))


def _find(report: Report, wanted: str) -> Metric | None:
    by_id = next((m for m in report.metrics if m.id == wanted and not m.target), None)
    return by_id or next((m for m in report.metrics if m.name == wanted and not m.target), None)


def _spec_text(spec: str | list[str]) -> str:
    return spec if isinstance(spec, str) else "、".join(spec)
