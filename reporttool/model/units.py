"""Units as data (schemas/units.yaml): kinds, conversion factors, and the short metric form.

`1557.42万元`, `1.5万个`, `约300人`, `5000多人次` → Quantity(value, unit, qualifier).
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Required, TypedDict, cast, overload

from reporttool.resources import schemas_dir

_MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
_PREFIXABLE = {"count", "area", "length"}  # 万人、万平方米; money has its own 万元/亿元


@dataclass(frozen=True)
class Kind:
    """A kind of quantity and its value rules."""

    name: str
    title: str
    integer: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Unit:
    """A unit and its factor to the base unit."""

    name: str
    kind: Kind
    base: str
    factor: Decimal
    generic: bool = False  # 个: the measure word for anything, adds up with every unit of its kind

    def to_base(self, value: Decimal) -> Decimal:
        return value * self.factor

    def compatible(self, other: Unit) -> bool:
        """Figures in these units add up: the same kind and the same thing counted (所 and 校;
        个 with any count, as in 小学45所（含12个教学点）)."""
        if self.kind.name != other.kind.name:
            return False
        return self.base == other.base or self.generic or other.generic


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and qualifier."""

    value: Decimal
    unit: Unit
    qualifier: str | None = None  # 约、多、余…
    approx: bool = False

    @property
    def base_value(self) -> Decimal:
        return self.unit.to_base(self.value)


@dataclass(frozen=True)
class UnitTable:
    """All units, qualifiers and kinds."""

    kinds: dict[str, Kind]
    units: dict[str, Unit]
    before: tuple[str, ...]
    after: tuple[str, ...]
    exact: frozenset[str]

    def lookup(self, name: str) -> Unit | None:
        unit = self.units.get(name)
        if unit is not None:
            return unit
        if name[:1] in _MULTIPLIERS:
            inner = self.units.get(name[1:])
            if inner is not None and inner.kind.name in _PREFIXABLE:
                return Unit(name, inner.kind, inner.base, inner.factor * _MULTIPLIERS[name[0]], inner.generic)
        return None

    def nearest(self, name: str) -> str | None:
        """The known unit `name` was most likely meant as, or None."""
        if name[:1] in _MULTIPLIERS and len(name) > 1:  # 万册次 → 万册: the prefix is not the typo
            inner = self._nearest_plain(name[1:])
            if inner is not None and self.lookup(name[0] + inner) is not None:
                return name[0] + inner
        return self._nearest_plain(name)

    def _nearest_plain(self, name: str) -> str | None:
        # A compound measure word starts with the word it counts in (台套 → 台, 册次 → 册, 幅件 → 幅)
        heads = [unit for unit in self.units if name.startswith(unit) and unit != name]
        if heads:
            return max(heads, key=len)
        close = difflib.get_close_matches(name, list(self.units), n=1, cutoff=0.5)
        return close[0] if close else None

    def unknown(self, name: str) -> UnknownUnitError:
        """Why `name` is no unit, with what a project would write to add it (reporttool.toml [units])."""
        near = self.nearest(name)
        near_unit = self.lookup(near) if near else None
        # 万/亿 before a count, area or length unit is read by the program: the project adds the unit itself
        add = name
        if name[:1] in _MULTIPLIERS and len(name) > 1 and (near_unit is None or near_unit.kind.name in _PREFIXABLE):
            add = name[1:]
        kind = near_unit.kind.name if near_unit else COUNT
        base = near_unit.base if near_unit else None
        return UnknownUnitError(name, add, near, kind, base)


class _KindData(TypedDict, total=False):
    title: Required[str]
    integer: bool
    minimum: int | Decimal
    maximum: int | Decimal


class _UnitData(TypedDict, total=False):
    kind: Required[str]
    base: str
    factor: int | Decimal
    generic: bool


class _QualifierData(TypedDict):
    before: list[str]
    after: list[str]


class _UnitsFile(TypedDict):
    """The shape of schemas/units.yaml."""

    kinds: dict[str, _KindData]
    units: dict[str, _UnitData]
    qualifiers: _QualifierData
    exact_qualifiers: list[str]


# Units a project adds in reporttool.toml ([units]) apply while one draft is checked.
_PROJECT: contextvars.ContextVar[UnitTable | None] = contextvars.ContextVar("project_units", default=None)


def table() -> UnitTable:
    """The unit table in force: the shipped one, or it plus the project's own units."""
    return _PROJECT.get() or _shipped()


def extended(extra: tuple[tuple[str, str, str | None, Decimal], ...]) -> UnitTable:
    """The shipped table plus (name, kind, base unit or None, factor to that base) entries.

    Raises ValueError with a Chinese reason for an unknown kind or base.
    """
    base = _shipped()
    units = dict(base.units)
    for name, kind, of, factor in extra:
        if kind not in base.kinds:
            raise ValueError(f"单位“{name}”的种类“{kind}”无效（可用：{'、'.join(base.kinds)}）")
        if of is None:
            units[name] = Unit(name, base.kinds[kind], name, factor)
            continue
        parent = units.get(of)
        if parent is None or parent.kind.name != kind:
            raise ValueError(f"单位“{name}”的基本单位“{of}”不是已有的{base.kinds[kind].title}单位")
        units[name] = Unit(name, parent.kind, parent.base, parent.factor * factor, parent.generic)
    return UnitTable(base.kinds, units, base.before, base.after, base.exact)


@contextlib.contextmanager
def using(project: UnitTable | None) -> Iterator[None]:
    """Check with `project` as the unit table (None: the shipped one)."""
    token = _PROJECT.set(project)
    try:
        yield
    finally:
        _PROJECT.reset(token)


@functools.cache
def _shipped() -> UnitTable:
    from reporttool.load.parse import load_text

    path = schemas_dir() / "units.yaml"
    loaded = load_text(path.read_text(encoding="utf-8"), str(path)).data
    assert isinstance(loaded, dict), f"{path} is not a mapping"
    data = cast(_UnitsFile, loaded)  # the table shipped with the package
    kinds = {}
    for name, spec in data["kinds"].items():
        kinds[name] = Kind(name, spec["title"], bool(spec.get("integer", False)),
                           to_decimal(spec.get("minimum")), to_decimal(spec.get("maximum")))
    units = {}
    for name, unit in data["units"].items():
        units[str(name)] = Unit(str(name), kinds[unit["kind"]], str(unit.get("base", name)),
                                to_decimal(unit.get("factor", 1)), bool(unit.get("generic", False)))
    q = data["qualifiers"]
    return UnitTable(kinds, units, tuple(q["before"]), tuple(q["after"]), frozenset(data["exact_qualifiers"]))


@overload
def to_decimal(value: None) -> None: ...


@overload
def to_decimal(value: int | float | Decimal | str) -> Decimal: ...


def to_decimal(value: int | float | Decimal | str | None) -> Decimal | None:
    """A loaded number (int, float or Decimal from the source text) as a Decimal; None stays None."""
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


_NUMBER = r"[0-9]+(?:\.[0-9]+)?"


@functools.cache
def _short_form() -> re.Pattern:
    t = table()
    before = "|".join(sorted(map(re.escape, t.before), key=len, reverse=True))
    after = "|".join(sorted(map(re.escape, t.after), key=len, reverse=True))
    return re.compile(rf"\s*(?P<before>{before})?\s*(?P<number>[-+]?{_NUMBER})\s*(?P<mult>[万亿](?!元))?"
                      rf"(?P<mid>{after})?\s*(?P<unit>[^\s0-9]*?)\s*(?P<after>{after})?\s*\Z")


class ShortFormError(ValueError):
    """Why a short-form text is not a quantity; the message is Chinese, for the writer."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class UnknownUnitError(ShortFormError):
    """A measure word the table lacks: the figure is fine, the tool cannot compute with it.

    `add` is the name a project registers in [units] (册次 for 万册次: 万 is read by the program),
    `kind` and `base` what it would be registered as (from the nearest known unit, else count).
    """

    def __init__(self, unit: str, add: str, near: str | None, kind: str, base: str | None) -> None:
        super().__init__(f"不认识的单位“{unit}”", f"是否应为“{near}”？" if near else "单位表见 schemas/units.yaml")
        self.unit, self.add, self.near, self.kind, self.base = unit, add, near, kind, base


def parse(text: str) -> Quantity:
    """`1557.42万元` → Quantity; raises ShortFormError with a Chinese reason."""
    t = table()
    if re.search(r"[０-９]", text):
        raise ShortFormError(f"“{text}”含全角数字", "请改用半角数字")
    if re.search(r"[0-9]。[0-9]", text):
        raise ShortFormError(f"“{text}”中的“。”应为小数点", "请写成“.”")
    if re.search(r"[0-9][,，][0-9]{3}", text):
        raise ShortFormError(f"“{text}”含千位分隔符", "请去掉逗号")
    match = _short_form().match(text)
    if not match:
        raise ShortFormError(f"“{text}”不是“数值+单位”的写法", "应写成如“1557.42万元”“6200个”“约300人”")
    unit_name = (match["mult"] or "") + match["unit"]
    if not match["unit"]:
        raise ShortFormError(f"“{text}”缺少单位", "在数字后写上单位，如“个”“人”“万元”“%”")
    unit = t.lookup(unit_name)
    if unit is None:
        raise t.unknown(unit_name)
    qualifier = match["before"] or match["mid"] or match["after"]
    value = Decimal(match["number"])
    approx = bool(qualifier) and qualifier not in t.exact
    return Quantity(value, unit, qualifier, approx)


def decimals(value: Decimal) -> int:
    """Digits after the decimal point as written: 97.50 → 2, 7487 → 0."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def format_number(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places)) if places > 0 else value.quantize(Decimal(1))
    text = format(value, "f")
    if "." in text and places is None:
        text = text.rstrip("0").rstrip(".")
    return text


# --- units by meaning: what the rules ask of a unit, answered from the table ---------------------

# Kind names of schemas/units.yaml that carry meaning for the rules.
PERCENT, POINTS, COUNT = "percent", "points", "count"


@functools.cache
def _only_unit_of(kind: str) -> Unit:
    found = [u for u in table().units.values() if u.kind.name == kind]
    if len(found) != 1:  # the table must name exactly one unit of this kind
        raise LookupError(f"units.yaml: expected one unit of kind {kind}, found {[u.name for u in found]}")
    return found[0]


def is_kind(unit: Unit, kind: str) -> bool:
    if kind not in table().kinds:  # a misspelt kind is a bug here, not a "no"
        raise LookupError(f"units.yaml has no kind {kind}")
    return unit.kind.name == kind


def is_percent(unit: Unit) -> bool:
    return is_kind(unit, PERCENT)


def percent_unit() -> Unit:
    """The unit rates are written in (%)."""
    return _only_unit_of(PERCENT)


def change_unit(unit: Unit) -> Unit:
    """The unit a change of `unit` is written in: a percentage changes by 个百分点."""
    return _only_unit_of(POINTS) if is_percent(unit) else unit


def counts_like(unit: Unit, name: str) -> bool:
    """`unit` counts the same thing as the table's unit `name` (名、位、人 all count people)."""
    other = table().lookup(name)
    if other is None:
        raise LookupError(f"units.yaml has no unit {name}")
    return is_kind(unit, COUNT) and unit.base == other.base  # not 个: it counts anything


def counts_people(unit: Unit) -> bool:
    return counts_like(unit, "人")


def counts_classes(unit: Unit) -> bool:
    return counts_like(unit, "班")


def counts_schools(unit: Unit) -> bool:
    return counts_like(unit, "所")


def multipliers() -> tuple[str, ...]:
    """The prefixes that scale a unit (万、亿), as written before it."""
    return tuple(_MULTIPLIERS)
