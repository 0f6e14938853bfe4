"""Metric rules: values by kind, 其中 sums, rates, changes, targets, plausibility, references."""

from __future__ import annotations

import re
from decimal import Decimal

from reporttool.check.rules.context import Context
from reporttool.kinds import KINDS
from reporttool.model import units
from reporttool.model.prose import numbers_with_units
from reporttool.model.references import FIELDS, REFERENCE, Index, split_reference
from reporttool.model.report import Metric
from reporttool.model.units import (
    COUNT,
    Quantity,
    change_unit,
    counts_classes,
    counts_people,
    is_kind,
    is_percent,
    percent_unit,
)

APPROX_SHARE = Decimal("0.1")  # 约/近/多…: sums and changes may be off by 10 %


def show(value: Decimal, unit: units.Unit | None = None, places: int | None = None) -> str:
    text = units.format_number(value, places)
    return f"{text}{unit.name}" if unit else text


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last written digit: 97.50 → 0.005; 7487 → 0.5."""
    return Decimal(5).scaleb(-units.decimals(value) - 1)


def rounding(value: Decimal, unit: units.Unit) -> Decimal:
    """How far a stated figure may be from the exact one, in its unit: an integer is exact (7487人,
    1557万元); a decimal (97.50, 1.5万) or a whole number of 万/亿 (3万人) was rounded to its last digit."""
    if units.decimals(value) == 0 and unit.name[:1] not in units.multipliers():
        return Decimal(0)
    return half_unit(value)


# Rates of completion or growth may pass 100 %; shares (占比, 覆盖率, 就业率…) may not.
_MAY_EXCEED = re.compile("完成率|完成比例|增长|增幅|同比|比上年|超额|执行率")


def metric_values(ctx: Context) -> None:
    for metric in ctx.report.metrics:
        if metric.problem is not None:
            ctx.emit("metric/value", metric.value_path, name=metric.name, detail=str(metric.problem),
                     hint=metric.problem.hint)
            continue
        q = metric.quantity
        if q is None:
            continue
        kind = q.unit.kind
        if kind.integer and q.base_value != q.base_value.to_integral_value():
            ctx.emit("metric/integer", metric.value_path, name=metric.name, value=show(q.value),
                     unit=q.unit.name, kind=kind.title)
        if kind.minimum is not None and q.value < kind.minimum:
            ctx.emit("metric/range", metric.value_path, name=metric.name, value=show(q.value), unit=q.unit.name,
                     kind=kind.title, bound=f"不能小于 {show(kind.minimum)}")
        elif kind.maximum is not None and q.value > kind.maximum and not _MAY_EXCEED.search(metric.name):
            ctx.emit("metric/range", metric.value_path, name=metric.name, value=show(q.value), unit=q.unit.name,
                     kind=kind.title, bound=f"不能大于 {show(kind.maximum)}",
                     hint="比上年的增长率请写在 growth 中，百分点变化写在 change 中")


def relations(ctx: Context) -> None:
    index = ctx.index
    for metric in ctx.report.metrics:
        q = metric.quantity
        if q is None:
            continue
        if metric.parts:
            _parts(ctx, index, metric, q)
        if metric.numerator and metric.denominator:
            _rate(ctx, index, metric, q, metric.numerator, metric.denominator)
        if metric.previous is not None:
            _change(ctx, metric, q, metric.previous)
    for metric in ctx.report.metrics:
        if metric.target:
            _target(ctx, metric)


def _resolve(index: Index, metric: Metric, ref: str) -> Metric | None:
    """The metric `ref` names; None when missing or ambiguous (references() reports those)."""
    return index.resolve(ref, metric)[0]


def _parts(ctx: Context, index: Index, total: Metric, q: Quantity) -> None:
    parts_path = total.field_path("parts")
    members: list[tuple[Metric, Quantity]] = []
    approx = q.approx
    for i, ref in enumerate(total.parts):
        part = _resolve(index, total, ref)
        if part is None or part.quantity is None:
            return
        pq = part.quantity
        if not pq.unit.compatible(q.unit):
            ctx.emit("metric/parts-unit", parts_path + (i,), part=part.name, unit=pq.unit.name,
                     name=total.name, total_unit=q.unit.name)
            return
        members.append((part, pq))
        approx = approx or pq.approx
    factor = q.unit.factor
    tolerance = rounding(q.value, q.unit) * factor + sum((rounding(pq.value, pq.unit) * pq.unit.factor
                                                          for _, pq in members), Decimal(0))
    if approx:
        tolerance = max(tolerance, q.base_value * APPROX_SHARE)
    total_base = q.base_value
    for i, (part, pq) in enumerate(members):
        if pq.base_value > total_base + tolerance:
            ctx.emit("metric/part-exceeds", parts_path + (total.parts.index(part.name) if part.name in total.parts
                                                          else i,),
                     part=part.name, value=show(pq.value, pq.unit), name=total.name,
                     total=show(q.value, q.unit))
            return
    parts_sum = sum((pq.base_value for _, pq in members), Decimal(0))
    diff = parts_sum - total_base
    places = max([units.decimals(q.value)] + [units.decimals(pq.value) for _, pq in members])
    in_unit = parts_sum / factor
    if total.partial:
        if diff > tolerance:
            ctx.emit("metric/parts-sum", total.value_path, variant="partial", name=total.name,
                     sum=show(in_unit, q.unit, places), total=show(q.value, q.unit), diff=show(diff / factor, q.unit, places))
    elif abs(diff) > tolerance:
        ctx.emit("metric/parts-sum", total.value_path, name=total.name, sum=show(in_unit, q.unit, places),
                 total=show(q.value, q.unit), diff=show(abs(diff) / factor, q.unit, places))


def _rate(ctx: Context, index: Index, metric: Metric, q: Quantity, numerator_ref: str, denominator_ref: str) -> None:
    rate_path = metric.field_path("rate")
    if not is_percent(q.unit):
        ctx.emit("metric/rate", rate_path, key=True, variant="unit", name=metric.name, unit=q.unit.name,
                 percent=percent_unit().name, hint=None)
        return
    numerator = _resolve(index, metric, numerator_ref)
    denominator = _resolve(index, metric, denominator_ref)
    if numerator is None or denominator is None:
        return
    nq, dq = numerator.quantity, denominator.quantity
    if nq is None or dq is None or dq.base_value == 0:
        return
    computed = nq.base_value / dq.base_value * 100
    places = units.decimals(q.value)
    tolerance = half_unit(q.value) + Decimal("1e-9")
    if q.approx or nq.approx or dq.approx:
        tolerance = max(tolerance, Decimal(1))
    if abs(computed - q.value) > tolerance:
        ctx.emit("metric/rate", metric.value_path, name=metric.name, stated=show(q.value, q.unit),
                 numerator=show(nq.value, nq.unit), denominator=show(dq.value, dq.unit),
                 computed=show(computed, q.unit, max(places, 2)))


def _change(ctx: Context, metric: Metric, q: Quantity, previous: Decimal) -> None:
    unit = q.unit
    changed_in = change_unit(unit)
    if metric.change is not None:
        computed = q.value - previous
        tolerance = rounding(q.value, unit) + rounding(previous, unit) + rounding(metric.change, changed_in)
        if q.approx:
            tolerance = max(tolerance, abs(q.value) * APPROX_SHARE)
        if abs(computed - metric.change) > tolerance:
            verb = "增加" if metric.change >= 0 else "减少"
            places = max(units.decimals(q.value), units.decimals(previous))
            ctx.emit("metric/change", metric.field_path("change"), name=metric.name, verb=verb,
                     stated=show(abs(metric.change), changed_in), current=show(q.value, unit),
                     previous=show(previous, unit), computed=show(computed, changed_in, places))
    if metric.growth is not None and previous != 0:
        computed = (q.value - previous) / previous * 100
        places = units.decimals(metric.growth)
        tolerance = half_unit(metric.growth) + Decimal("1e-9")
        if q.approx:
            tolerance = max(tolerance, Decimal(1))
        if abs(computed - metric.growth) > tolerance:
            ctx.emit("metric/growth", metric.field_path("growth"), name=metric.name, stated=show(metric.growth),
                     current=show(q.value, unit), previous=show(previous, unit),
                     computed=show(computed, None, max(places, 1)))


def _target(ctx: Context, metric: Metric) -> None:
    report = ctx.report
    if metric.deadline is None:
        ctx.emit("metric/target-deadline", metric.path, name=metric.name, year=report.year + 1)
        return
    year = int(metric.deadline[:4])
    offset = KINDS[report.kind].plan_year_offset
    if offset is not None:
        ok, period = year == report.year + offset, f"{report.year + offset}年"
    else:
        ok, period = metric.deadline >= report.date[:len(metric.deadline)], f"成文日期 {report.date} 之后"
    if not ok:
        ctx.emit("metric/target-period", metric.field_path("deadline"), name=metric.name,
                 deadline=metric.deadline, period=period)


# --- plausibility ---------------------------------------------------------------------------------

_STAGES = {"小学": "小学", "初中": "初中", "初级中学": "初中", "高中": "普通高中", "普通高中": "普通高中"}
CLASS_LIMITS = ((66, "超大班额"), (56, "大班额"))
PUPIL_TEACHER = {"小学": Decimal(19), "初中": Decimal("13.5"), "普通高中": Decimal("12.5")}


def _stage(name: str) -> str | None:
    for word in sorted(_STAGES, key=len, reverse=True):
        if word in name:
            return _STAGES[word]
    return None


# The 编制 standard counts all 教职工; 专任教师 are a part of them and are not compared with it.
_STAFF = re.compile("教职工|教职员工|教职员|在编教职工|教师编制(?:数)?")


def _role(metric: Metric) -> str | None:
    q = metric.quantity
    if q is None or not is_kind(q.unit, COUNT):
        return None
    name = metric.name
    if counts_classes(q.unit) or re.search("班级|教学班|班数|个班", name):
        return "classes"
    if counts_people(q.unit) and _STAFF.search(name):
        return "staff"
    if counts_people(q.unit) and re.search("学生|在校生|学生数", name):
        return "students"
    return None


def plausibility(ctx: Context) -> None:
    found: dict[tuple[str, str], tuple[Metric, Quantity]] = {}
    for metric in ctx.report.metrics:
        stage, role = _stage(metric.name), _role(metric)
        if stage and role and metric.quantity is not None:
            found.setdefault((stage, role), (metric, metric.quantity))
    for stage in ("小学", "初中", "普通高中"):
        students, classes = found.get((stage, "students")), found.get((stage, "classes"))
        teachers = found.get((stage, "staff"))
        if students and classes and classes[1].base_value > 0 and not students[1].approx:
            sq, cq = students[1], classes[1]
            ratio = sq.base_value / cq.base_value
            for size, label in CLASS_LIMITS:
                if ratio >= size:
                    ctx.emit("metric/class-size", classes[0].value_path, stage=stage, ratio=show(ratio, None, 1),
                             students=show(sq.value, sq.unit), classes=show(cq.value, cq.unit), label=label,
                             limit=size)
                    break
        if students and teachers and teachers[1].base_value > 0:
            sq, tq = students[1], teachers[1]
            ratio = sq.base_value / tq.base_value
            limit = PUPIL_TEACHER[stage]
            if ratio > limit:
                category = _STAFF.search(teachers[0].name)
                ctx.emit("metric/pupil-teacher", teachers[0].value_path, stage=stage, ratio=show(ratio, None, 1),
                         students=show(sq.value, sq.unit), teachers=show(tq.value, tq.unit), limit=show(limit),
                         category=category.group() if category else "教职工")


# --- prose and metrics ----------------------------------------------------------------------------

def references(ctx: Context) -> None:
    """Every name a metric's 其中 or rate, or a 【…】 in prose, refers to: one metric, found."""
    index = ctx.index
    for metric in ctx.report.metrics:
        fields = [(ref, metric.field_path("parts") + (i,)) for i, ref in enumerate(metric.parts)]
        if metric.numerator and metric.denominator:
            rate_path = metric.field_path("rate")
            fields += [(metric.numerator, rate_path + ("numerator",)), (metric.denominator, rate_path + ("denominator",))]
        for ref, path in fields:
            found, count = index.resolve(ref, metric)
            if count == 0:
                near = index.nearest(ref)
                ctx.emit("metric/ref", path, ref=ref, hint=f"是否应为【{near}】？" if near else None)
            elif found is None:
                ctx.emit("metric/ref-ambiguous", path, ref=ref, count=count)
    for text in ctx.report.texts:
        if "【" not in text.value:
            continue
        for match in REFERENCE.finditer(text.value):
            name, field = split_reference(match.group(1))
            found, count = index.resolve(name)
            if count == 0:
                near = index.nearest(name)
                ctx.emit("metric/ref", text.path, match.start(), ref=match.group(1),
                         hint=f"是否应为【{near}】？" if near else "在 metrics 中登记这个指标，或检查名称是否一致")
            elif found is None:
                ctx.emit("metric/ref-ambiguous", text.path, match.start(), ref=name, count=count)
            elif field is not None and (FIELDS.get(field) is None or getattr(found, FIELDS[field]) is None):
                ctx.emit("metric/ref", text.path, match.start(), ref=match.group(1),
                         hint=f"“{field}”可用：上年、增减、增长率，且该指标要写有对应的字段")


_DIGIT = re.compile("[0-9]")


def unlinked_numbers(ctx: Context) -> None:
    for text in ctx.report.texts:
        if text.role != "text" or not _DIGIT.search(text.value):
            continue
        spans = [m.span() for m in REFERENCE.finditer(text.value)]
        found = [(start, number) for start, number in numbers_with_units(text.value)
                 if not any(s <= start < e for s, e in spans)]
        if found:  # one finding per paragraph: the list, located at the first number
            shown = "、".join(number for _, number in found[:8]) + ("等" if len(found) > 8 else "")
            ctx.emit("text/unlinked-number", text.path, found[0][0], count=len(found), numbers=shown)
