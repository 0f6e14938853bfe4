"""Metric references: names and ids, 【名称】 in prose, and how a referenced value reads in text."""

from __future__ import annotations

import difflib
import re

from reporttool.model import units
from reporttool.model.report import Metric, Report


class Index:
    """Metrics by name and id; a reference resolves in its own list first, then in the draft."""

    def __init__(self, report: Report) -> None:
        self.by_key: dict[str, list[Metric]] = {}
        for metric in report.metrics:
            for key in {metric.name, metric.id}:
                if key is not None:
                    self.by_key.setdefault(key, []).append(metric)

    def resolve(self, ref: str, near: Metric | None = None) -> tuple[Metric | None, int]:
        found = self.by_key.get(ref.strip(), [])
        if near is not None and len(found) > 1:
            local = [m for m in found if m.path[:-1] == near.path[:-1]]
            if len(local) == 1:
                return local[0], 1
        return (found[0] if len(found) == 1 else None), len(found)

    def nearest(self, ref: str) -> str | None:
        close = difflib.get_close_matches(ref, list(self.by_key), n=1, cutoff=0.4)
        return close[0] if close else None


REFERENCE = re.compile(r"【([^【】\n]{1,100})】")
FIELDS = {"上年": "previous", "上年值": "previous", "增减": "change", "增加": "change", "减少": "change",
          "增长": "growth", "增长率": "growth"}


def split_reference(inner: str) -> tuple[str, str | None]:
    """【名称】 or 【名称：上年】 → (名称, field)."""
    for separator in ("：", ":"):
        if separator in inner:
            name, _, field = inner.rpartition(separator)
            return name.strip(), field.strip()
    return inner.strip(), None




_INNER_QUALIFIERS = ("余", "多")  # written inside the quantity, never after the whole unit


def quantity_text(q: units.Quantity) -> str:
    """How a quantity reads in prose: 1557.42万元, 约1500万元, 近300人, 1500余万元, 1500多万元,
    5000多人次, 1万余人, 3.5万余人, 300人以上.

    余 and 多 follow a round number (one ending in 0: 十余人, 100多所, 1500余万元); after a number
    that does not end in 0 they can only follow 万 or 亿 (1万余人, 12万多人, never 1余万人).
    """
    number = format(q.value, "f")
    unit, qualifier = q.unit.name, q.qualifier
    if not qualifier:
        return number + unit
    table = units.table()
    if qualifier in table.before:
        return qualifier + number + unit
    if qualifier in _INNER_QUALIFIERS:
        round_number = q.value == q.value.to_integral_value() and q.value >= 10 and q.value % 10 == 0
        if not round_number and unit[:1] in "万亿" and len(unit) > 1:
            return number + unit[0] + qualifier + unit[1:]
        return number + qualifier + unit
    return number + unit + qualifier


def field_text(metric: Metric, field: str | None) -> str | None:
    """The text for 【名称】 or 【名称：上年/增减/增长率】; None when it cannot be given."""
    q = metric.quantity
    if q is None:  # a unit the table lacks (a warning): the figure still reads as written
        return metric.as_written if field is None else None
    if field is None:
        return quantity_text(q)
    attribute = FIELDS.get(field)
    value = getattr(metric, attribute, None) if attribute else None
    if value is None:
        return None
    if attribute == "growth":
        return format(abs(value), "f") + units.percent_unit().name
    unit = units.change_unit(q.unit).name if attribute == "change" else q.unit.name
    return format(abs(value) if attribute == "change" else value, "f") + unit
