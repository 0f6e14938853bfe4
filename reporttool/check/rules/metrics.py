"""Metric rules: values by kind, 其中 sums (one or several breakdowns), bounds, figures stated twice,
announced counts, rates, changes, targets, plausibility, references."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from reporttool import messages
from reporttool.check.rules.context import Context
from reporttool.kinds import KINDS
from reporttool.model import units
from reporttool.model.numerals import NUMERALS, chinese_number
from reporttool.model.prose import numbers_with_units
from reporttool.model.references import FIELDS, REFERENCE, Index, split_reference
from reporttool.model.report import Block, Metric, Part, Text
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


# Qualifiers that say on which side of the stated figure the true one lies: 300余人 is 300 or more.
_AT_LEAST = frozenset({"余", "多", "以上", "超过", "逾"})
_AT_MOST = frozenset({"近", "以内", "以下"})

Interval = tuple[Decimal, Decimal]


def _step(value: Decimal) -> Decimal:
    """One unit of the last non-zero digit as written: 300 → 100, 1.2 → 0.1, 3105 → 1."""
    exponent = value.normalize().as_tuple().exponent if value else 0
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def bounds(q: Quantity) -> Interval:
    """Where the true figure lies, in base units: an exact count is itself, a rounded figure
    (1.5万, 3.46亿) lies within half its last digit, 300余 in 300…400, 近300 in 200…300, 约300 either
    side (never less than 10 %), so relations between stated figures never fail on rounding alone."""
    value = q.value
    if not q.approx:
        low, high = value - rounding(value, q.unit), value + rounding(value, q.unit)
    else:
        spread = max(_step(value), abs(value) * APPROX_SHARE)
        low = value if q.qualifier in _AT_LEAST else value - spread
        high = value if q.qualifier in _AT_MOST else value + spread
    return low * q.unit.factor, high * q.unit.factor


def _range(fn: Callable[..., Decimal], *intervals: Interval) -> Interval:
    """The values of `fn` over a box of intervals; fn is monotone in each argument where used,
    so its extremes lie at the corners."""
    values = [fn(*corner) for corner in itertools.product(*intervals)]
    return min(values), max(values)


def _apart(a: Interval, b: Interval) -> bool:
    return a[0] > b[1] or b[0] > a[1]


# Rates of completion or growth may pass 100 %; shares (占比, 覆盖率, 就业率…) may not.
_MAY_EXCEED = re.compile("完成率|完成比例|增长|增幅|同比|比上年|超额|执行率")


def metric_values(ctx: Context) -> None:
    table = units.table()
    for metric in ctx.report.metrics:
        problem = metric.problem
        if isinstance(problem, units.UnknownUnitError):
            # a measure word the table lacks is no mistake of the report: warn, and leave it out of the sums
            hint = None
            if problem.near is not None:
                hint = messages.UNKNOWN_UNIT_NEAR.format(near=problem.near, add=problem.add, kind=problem.kind,
                                                         kind_title=table.kinds[problem.kind].title,
                                                         base=problem.base or problem.near)
            ctx.emit("metric/unknown-unit", metric.value_path, name=metric.name, unit=problem.unit, add=problem.add,
                     hint=hint)
            continue
        if problem is not None:
            ctx.emit("metric/value", metric.value_path, name=metric.name, detail=str(problem), hint=problem.hint)
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
    stated_twice: set[frozenset[int]] = set()  # same_as written on both figures: one finding
    for metric in ctx.report.metrics:
        q = metric.quantity
        if q is None:
            continue
        breakdowns = ([(metric.parts, metric.partial, metric.field_path("parts"))] if metric.parts else []) + \
            [(b.parts, b.partial, b.path) for b in metric.breakdowns]
        for parts, partial, path in breakdowns:
            _parts(ctx, index, metric, q, parts, partial, path, named=len(breakdowns) > 1)
        if metric.numerator and metric.denominator:
            _rate(ctx, index, metric, q, metric.numerator, metric.denominator)
        if metric.previous is not None:
            _change(ctx, metric, q, metric.previous)
        elif metric.previous_ref is not None:
            previous = _resolve(index, metric, metric.previous_ref)
            if previous is not None and previous.quantity is not None:
                _change_from(ctx, metric, q, previous, previous.quantity)
        elif metric.change is not None and metric.growth is not None:
            _growth_from_change(ctx, metric, q, metric.change, metric.growth)
        if metric.same_as is not None:
            _same_as(ctx, index, metric, q, metric.same_as, stated_twice)
        for name in metric.at_most:
            _at_most(ctx, index, metric, q, name)
    for metric in ctx.report.metrics:
        if metric.target:
            _target(ctx, metric)


def _resolve(index: Index, metric: Metric, ref: str) -> Metric | None:
    """The metric `ref` names; None when missing or ambiguous (references() reports those)."""
    return index.resolve(ref, metric)[0]


def _parts(ctx: Context, index: Index, total: Metric, q: Quantity, names: list[str], partial: bool,
           parts_path: tuple, named: bool = False) -> None:
    """One breakdown of `total` (其中): its parts add up to it, or stay within it when `partial`.
    `named`: the total has several breakdowns, so the message says which one."""
    members: list[tuple[Metric, Quantity]] = []
    for i, ref in enumerate(names):
        part = _resolve(index, total, ref)
        if part is None or part.quantity is None:
            return
        pq = part.quantity
        if not pq.unit.compatible(q.unit):
            ctx.emit("metric/parts-unit", parts_path + (i,), part=part.name, unit=pq.unit.name,
                     name=total.name, total_unit=q.unit.name)
            return
        members.append((part, pq))
    factor = q.unit.factor
    # where the true total and the true sum of the parts lie: exact integers exactly, rounded figures
    # within their rounding, 约/余/近 figures on their side (bounds)
    total_range = bounds(q)
    parts_range = (sum((bounds(pq)[0] for _, pq in members), Decimal(0)),
                   sum((bounds(pq)[1] for _, pq in members), Decimal(0)))
    total_base = q.base_value
    for i, (part, pq) in enumerate(members):
        if bounds(pq)[0] > total_range[1]:
            ctx.emit("metric/part-exceeds", parts_path + (names.index(part.name) if part.name in names else i,),
                     part=part.name, value=show(pq.value, pq.unit), name=total.name,
                     total=show(q.value, q.unit))
            return
    parts_sum = sum((pq.base_value for _, pq in members), Decimal(0))
    diff = parts_sum - total_base
    places = max([units.decimals(q.value)] + [units.decimals(pq.value) for _, pq in members])
    in_unit = parts_sum / factor
    listed = "、".join(names)
    # the first breakdown's finding stays at the total's value, as ever; a further one at its own list
    where = total.value_path if parts_path == total.field_path("parts") else parts_path
    if partial:
        if parts_range[0] > total_range[1]:
            ctx.emit("metric/parts-sum", where, variant="breakdown-partial" if named else "partial", name=total.name,
                     parts=listed, sum=show(in_unit, q.unit, places), total=show(q.value, q.unit),
                     diff=show(diff / factor, q.unit, places))
    elif _apart(parts_range, total_range):
        ctx.emit("metric/parts-sum", where, variant="breakdown" if named else None, name=total.name, parts=listed,
                 sum=show(in_unit, q.unit, places), total=show(q.value, q.unit),
                 diff=show(abs(diff) / factor, q.unit, places))


def _side(ctx: Context, index: Index, metric: Metric, names: list[str], field: str,
          side: str) -> list[Quantity] | None:
    """The quantities a side of a rate names (a list is their sum); None when one is unusable."""
    found: list[tuple[Metric, Quantity]] = []
    for name in names:
        other = _resolve(index, metric, name)
        if other is None or other.quantity is None:
            return None
        oq = other.quantity
        if found and not oq.unit.compatible(found[0][1].unit):
            first, fq = found[0]
            ctx.emit("metric/rate", _ref_path_in(metric, ("rate", field), name), variant="sum-unit", name=metric.name,
                     side=side, part=other.name, unit=oq.unit.name, first=first.name, first_unit=fq.unit.name, hint=None)
            return None
        found.append((other, oq))
    return [oq for _, oq in found]


def _ref_path_in(metric: Metric, fields: tuple, name: str) -> tuple:
    """Where `name` is written under metric.path + fields (e.g. rate → denominator)."""
    prefix = metric.path + fields
    for ref, path in metric.refs:
        if ref == name and path[:len(prefix)] == prefix:
            return path
    return prefix


def _sum_text(quantities: list[Quantity]) -> str:
    if len(quantities) == 1:
        return show(quantities[0].value, quantities[0].unit)
    return "（" + "+".join(show(x.value, x.unit) for x in quantities) + "）"


def _total(quantities: list[Quantity]) -> tuple[Decimal, Interval]:
    value = sum((x.base_value for x in quantities), Decimal(0))
    low = sum((bounds(x)[0] for x in quantities), Decimal(0))
    high = sum((bounds(x)[1] for x in quantities), Decimal(0))
    return value, (low, high)


def _rate(ctx: Context, index: Index, metric: Metric, q: Quantity, numerator_refs: list[str],
          denominator_refs: list[str]) -> None:
    rate_path = metric.field_path("rate")
    if not is_percent(q.unit):
        ctx.emit("metric/rate", rate_path, key=True, variant="unit", name=metric.name, unit=q.unit.name,
                 percent=percent_unit().name, hint=None)
        return
    numerators = _side(ctx, index, metric, numerator_refs, "numerator", "分子")
    denominators = _side(ctx, index, metric, denominator_refs, "denominator", "分母")
    if numerators is None or denominators is None:
        return
    n, n_range = _total(numerators)
    d, d_range = _total(denominators)
    if d == 0:
        return
    computed = n / d * 100
    places = units.decimals(q.value)
    tolerance = half_unit(q.value) + Decimal("1e-9")
    if q.approx or any(x.approx for x in numerators + denominators):
        tolerance = max(tolerance, Decimal(1))
    elif d_range[0] > 0:  # rounded operands (1.5万人, 3.46亿元) move the exact rate within their rounding
        low, high = _range(lambda a, b: a / b * 100, n_range, d_range)
        tolerance = max(tolerance, computed - low, high - computed)
    if abs(computed - q.value) > tolerance:
        ctx.emit("metric/rate", metric.value_path, name=metric.name, stated=show(q.value, q.unit),
                 numerator=_sum_text(numerators), denominator=_sum_text(denominators),
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


def _change_from(ctx: Context, metric: Metric, q: Quantity, previous: Metric, pq: Quantity) -> None:
    """Change and growth against last year's figure stated as another metric (`previous: 名称`),
    in its own unit (6825人 for 0.75万人) and precision."""
    if not pq.unit.compatible(q.unit):
        return  # last year's figure counts something else (所 for 人): there is no change to compute
    factor = q.unit.factor
    current, last = bounds(q), bounds(pq)
    changed_in = change_unit(q.unit)
    prev_in_unit = pq.base_value / factor
    places = max(units.decimals(q.value), units.decimals(pq.value))
    if metric.change is not None:
        spread = rounding(metric.change, changed_in) * factor
        stated = (metric.change * factor - spread, metric.change * factor + spread)
        computed = _range(lambda c, p: c - p, current, last)
        if _apart(stated, computed):
            ctx.emit("metric/change", metric.field_path("change"), variant="ref", name=metric.name,
                     verb="增加" if metric.change >= 0 else "减少", stated=show(abs(metric.change), changed_in),
                     current=show(q.value, q.unit), previous=show(pq.value, pq.unit), ref=previous.name,
                     computed=show(q.value - prev_in_unit, changed_in, places))
    if metric.growth is not None and last[0] > 0:
        spread = half_unit(metric.growth)
        computed_range = _range(lambda c, p: (c - p) / p * 100, current, last)
        if _apart((metric.growth - spread, metric.growth + spread), computed_range):
            exact = (q.base_value - pq.base_value) / pq.base_value * 100
            ctx.emit("metric/growth", metric.field_path("growth"), variant="ref", name=metric.name,
                     stated=show(metric.growth), current=show(q.value, q.unit), previous=show(pq.value, pq.unit),
                     ref=previous.name, computed=show(exact, None, max(units.decimals(metric.growth), 1)))


def _growth_from_change(ctx: Context, metric: Metric, q: Quantity, change: Decimal, growth: Decimal) -> None:
    """“比上年增加662人、增长9.7%” with no previous figure: last year's is current − change."""
    if is_percent(q.unit):
        return  # a change in 个百分点 and a growth in % of a percentage: reports rarely mean that
    factor = q.unit.factor
    current = bounds(q)
    spread = rounding(change, q.unit) * factor
    changed = (change * factor - spread, change * factor + spread)
    if current[0] - changed[1] <= 0:
        return  # last year's figure could be zero or less: no growth rate to compare
    computed_range = _range(lambda c, ch: ch / (c - ch) * 100, current, changed)
    half = half_unit(growth)
    if _apart((growth - half, growth + half), computed_range):
        previous = q.value - change
        places = max(units.decimals(q.value), units.decimals(change))
        ctx.emit("metric/growth", metric.field_path("growth"), variant="implied", name=metric.name,
                 verb="增加" if change >= 0 else "减少", change=show(abs(change), q.unit), stated=show(growth),
                 current=show(q.value, q.unit), previous=show(previous, q.unit, places),
                 computed=show(change / previous * 100, None, max(units.decimals(growth), 1)))


def _comparable(ctx: Context, rule: str, metric: Metric, q: Quantity, other: Metric, oq: Quantity,
                path: tuple) -> bool:
    if oq.unit.compatible(q.unit):
        return True
    if rule == "metric/same-as":
        ctx.emit("metric/same-as", path, variant="unit", name=metric.name, unit=q.unit.name, other=other.name,
                 other_unit=oq.unit.name)
    else:
        ctx.emit("metric/at-most", path, variant="unit", name=metric.name, unit=q.unit.name, bound=other.name,
                 bound_unit=oq.unit.name)
    return False


def _same_as(ctx: Context, index: Index, metric: Metric, q: Quantity, name: str, seen: set[frozenset[int]]) -> None:
    """The same figure stated twice in other words (在校学生 and 在校生总数): equal after conversion."""
    other = _resolve(index, metric, name)
    if other is None or other.quantity is None or other is metric:
        return
    pair = frozenset((id(metric), id(other)))
    if pair in seen:
        return
    seen.add(pair)
    oq, path = other.quantity, metric.ref_path("same_as", name)
    if not _comparable(ctx, "metric/same-as", metric, q, other, oq, path):
        return
    if _apart(bounds(q), bounds(oq)):
        places = max(units.decimals(q.value), units.decimals(oq.value))
        diff = abs(q.base_value - oq.base_value) / q.unit.factor
        ctx.emit("metric/same-as", path, name=metric.name, value=show(q.value, q.unit), other=other.name,
                 other_value=show(oq.value, oq.unit), diff=show(diff, q.unit, places))


def _at_most(ctx: Context, index: Index, metric: Metric, q: Quantity, name: str) -> None:
    """A bound that is no whole-and-parts: 专任教师 ≤ 教职工; 公办小学 ≤ 小学 broken down otherwise."""
    bound = _resolve(index, metric, name)
    if bound is None or bound.quantity is None or bound is metric:
        return
    bq, path = bound.quantity, metric.ref_path("at_most", name)
    if not _comparable(ctx, "metric/at-most", metric, q, bound, bq, path):
        return
    if bounds(q)[0] > bounds(bq)[1]:
        places = max(units.decimals(q.value), units.decimals(bq.value))
        diff = (q.base_value - bq.base_value) / q.unit.factor
        ctx.emit("metric/at-most", path, name=metric.name, value=show(q.value, q.unit), bound=bound.name,
                 bound_value=show(bq.value, bq.unit), diff=show(diff, q.unit, places))


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


# --- announced counts ----------------------------------------------------------------------------

_ORDINAL = re.compile(rf"(?:^|(?<=[。；;：:，,！？\s]))([{NUMERALS}]{{1,3}})是")


def _run_in_count(text: Text | None) -> int:
    """How many entries “一是……二是……” lists in a paragraph (the run from 一是 on)."""
    if text is None or "是" not in text.value:
        return 0
    count = 0
    for match in _ORDINAL.finditer(text.value):
        if chinese_number(match.group(1)) == count + 1:
            count += 1
    return count


def _places(report_parts: dict[str, Part]) -> Iterator[tuple[Part | Block, str, str]]:
    """Every place metrics are declared: (the part or block, what it is, its name for a message)."""
    for part in report_parts.values():
        name = part.heading.value if part.heading else messages.PLACES.get(part.role, "")
        yield part, "part", name
        stack = list(reversed(part.blocks))
        while stack:
            block = stack.pop()
            kind = "section" if block.path[-2:-1] == ("sections",) else "item"
            yield block, kind, block.heading.value if block.heading else ""
            stack.extend(reversed(block.items))


def announced_counts(ctx: Context) -> None:
    """“实施五大工程”“组建6支团队”“实事10项” followed by the entries: the figure (counts: items or
    sections) equals the entries listed where it is declared."""
    for place, kind, name in _places(ctx.report.parts):
        counted = [m for m in place.metrics if m.counts and m.quantity is not None]
        if not counted:
            continue
        children = place.blocks if isinstance(place, Part) else place.items
        listed = {"sections": [c for c in children if c.path[-2:-1] == ("sections",)],
                  "items": [c for c in children if c.path[-2:-1] == ("items",)]}
        where = (messages.PLACE_FORMS[kind] if name else messages.PLACE_FORMS[kind + "-unnamed"]).format(name=name)
        for metric in counted:
            q = metric.quantity
            assert q is not None and metric.counts is not None
            if not is_kind(q.unit, COUNT):
                ctx.emit("metric/announced-count", metric.field_path("counts"), variant="unit", name=metric.name,
                         unit=q.unit.name)
                continue
            if q.approx:
                continue  # 20余项 announces no exact number of entries
            other = "items" if metric.counts == "sections" else "sections"
            if not listed[metric.counts] and listed[other]:
                ctx.emit("metric/announced-count", metric.field_path("counts"), variant="where", name=metric.name,
                         counts=metric.counts, place=where, other=messages.COUNTED_KINDS[other], suggest=other)
                continue
            count, what = len(listed[metric.counts]), messages.COUNTED[metric.counts]
            if count == 0 and metric.counts == "items":  # the entries run in the text: 一是……二是……
                count, what = _run_in_count(place.text), messages.COUNTED["sequence"]
            if Decimal(count) != q.base_value:
                ctx.emit("metric/announced-count", metric.value_path, name=metric.name, value=show(q.value, q.unit),
                         place=where, listed=count, what=what)


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


# A year's change, not a stock: read by the importer too (a restated stock must agree; a flow need not)
FLOW = re.compile("新增|新建|新招|新进|新聘|招聘|补充|消除|化解|减少|增加|毕业|招生|转学|流失|培训|交流|调入|调出")


def _role(metric: Metric) -> str | None:
    q = metric.quantity
    if q is None or not is_kind(q.unit, COUNT):
        return None
    name = metric.name
    if FLOW.search(name):  # 新增教学班, 消除大班额, 新招教师: a year's change, not the stock a ratio needs
        return None
    if counts_classes(q.unit) or re.search("班级|教学班|班数|个班", name):
        return "classes"
    if counts_people(q.unit) and _STAFF.search(name):
        return "staff"
    if counts_people(q.unit) and re.search("学生|在校生|学生数", name):
        return "students"
    return None


_ROLE_WORDS = re.compile("在校学生|在校生|学生数|学生|教学班|班级数|班级|班数|个班|" + _STAFF.pattern)
# words that do not narrow what is counted: 全县小学在校学生总数 counts what 小学教学班 divides
_NEUTRAL = re.compile(r"全县|全市|全区|全旗|全镇|全乡|全省|阶段|总数|人数|数量|共有|共|[（(][0-9]+[）)]$|数$")


def _scope(name: str) -> str:
    """What a stock figure is about besides its stage and what it counts: 农村小学在校生 → 农村,
    小学在校学生总数 → "" — a ratio divides figures of one scope only."""
    for word in sorted(_STAGES, key=len, reverse=True):
        name = name.replace(word, "")
    return _NEUTRAL.sub("", _ROLE_WORDS.sub("", name))


def _pairs(found: list[Metric], others: list[Metric]) -> Iterator[tuple[Metric, Metric]]:
    """Each metric of `found` with the metric of `others` of its scope stated nearest to it (the
    same place first): 城区小学在校生 with 城区小学教学班, never with the county's 小学教学班."""
    for metric in found:
        same = [o for o in others if _scope(o.name) == _scope(metric.name)]
        if same:
            local = [o for o in same if o.path[:-1] == metric.path[:-1]]
            yield metric, (local or same)[0]


def plausibility(ctx: Context) -> None:
    found: dict[tuple[str, str], list[Metric]] = {}
    for metric in ctx.report.metrics:
        stage, role = _stage(metric.name), _role(metric)
        if stage and role and metric.quantity is not None:
            found.setdefault((stage, role), []).append(metric)
    for stage in ("小学", "初中", "普通高中"):
        students = found.get((stage, "students"), [])
        for classes, pupils in _pairs(found.get((stage, "classes"), []), students):
            sq, cq = pupils.quantity, classes.quantity
            assert sq is not None and cq is not None
            if cq.base_value <= 0 or sq.approx:
                continue
            ratio = sq.base_value / cq.base_value
            for size, label in CLASS_LIMITS:
                if ratio >= size:
                    ctx.emit("metric/class-size", classes.value_path, stage=stage, ratio=show(ratio, None, 1),
                             students=show(sq.value, sq.unit), classes=show(cq.value, cq.unit), label=label,
                             limit=size)
                    break
        for staff, pupils in _pairs(found.get((stage, "staff"), []), students):
            sq, tq = pupils.quantity, staff.quantity
            assert sq is not None and tq is not None
            if tq.base_value <= 0:
                continue
            ratio = sq.base_value / tq.base_value
            limit = PUPIL_TEACHER[stage]
            if ratio > limit:
                category = _STAFF.search(staff.name)
                ctx.emit("metric/pupil-teacher", staff.value_path, stage=stage, ratio=show(ratio, None, 1),
                         students=show(sq.value, sq.unit), teachers=show(tq.value, tq.unit), limit=show(limit),
                         category=category.group() if category else "教职工")


# --- prose and metrics ----------------------------------------------------------------------------

_NUMBER_WITH_UNIT = re.compile(r"\s*([-+]?[0-9]+(?:\.[0-9]+)?)")


def references(ctx: Context) -> None:
    """Every name a metric's relations (其中, breakdowns, rate, same_as, at_most, previous), or a 【…】
    in prose, refers to: one metric, found."""
    index = ctx.index
    for metric in ctx.report.metrics:
        for ref, path in metric.refs:
            found, count = index.resolve(ref, metric)
            if count == 0:
                near = index.nearest(ref)
                number = _NUMBER_WITH_UNIT.match(ref) if ref == metric.previous_ref else None
                hint: str | None
                if number:  # previous: "6825人" is a number, not a name
                    hint = messages.PREVIOUS_AS_NUMBER.format(number=number.group(1))
                else:
                    hint = f"是否应为【{near}】？" if near else None
                ctx.emit("metric/ref", path, ref=ref, hint=hint)
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
            elif field is not None and FIELDS.get(field) == "previous" and found.previous_ref is not None:
                # last year's figure is a metric of its own: the prose names it
                ctx.emit("metric/ref", text.path, match.start(), ref=match.group(1),
                         hint=messages.PREVIOUS_ELSEWHERE.format(ref=found.previous_ref))
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
