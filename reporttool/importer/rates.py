"""Stated rates and their bases: a rate right after its base and its count (毕业生4512人，就业
4399人，就业率97.50%: checked even when it is wrong), a share of a listed or named total (其中专任教师
4120人，占91.15%; 占专任教师总数的…), and any other rate only when one stated base gives it (a base
guessed wrong would be a false alarm)."""

from __future__ import annotations

import re
from decimal import Decimal

from reporttool.importer import names
from reporttool.importer.breakdowns import Listed
from reporttool.importer.figures import Figure, compatible, percent
from reporttool.importer.names import Namer
from reporttool.model import units

_RATE_NAME = re.compile(r"(?P<stem>.+?)(?:率|比例|比率|占比)$")

_TOTAL_LIKE = re.compile(r"总|共|全部|合计|应|适龄|毕业生|参加|参考|报名|招生计划|计划")

_WHOLE = re.compile(r"总|共|全部|合计|应")  # words that make a figure the whole, never a count of it

_OF = re.compile(r"^(?:的|全[县市区])?(?P<of>.*?)(?:总数|总量|人数)?的?(?:比(?:例|重))?(?:为|达到?)?$")


def read_rates(text: str, figs: list[Figure], lists: list[Listed], namer: Namer) -> None:
    """Each stated rate's numerator and denominator, when the sentence says which they are: a rate
    right after its base and its count (毕业生4512人，就业4399人，就业率97.50%), a share of a
    listed total or of a named one (其中专任教师4120人，占91.15%), or any rate that holds."""
    live = [f for f in figs if not f.consumed]
    for index, p in enumerate(live):
        if not percent(p):
            continue
        same = [f for f in live[:index] if f.period == p.period and not percent(f)]
        if not same:
            continue
        zhan = text.rfind("占", same[0].start, p.start)
        strong = False
        numerator = denominator = None
        if zhan >= 0 and zhan >= p.clause_start - 12:
            before = [f for f in same if f.end <= zhan]
            if not before or len(text[before[-1].end:zhan].strip("，,、 ")) > 0:
                if p.own.endswith("占") or p.own in ("", "占比"):
                    p.own = p.own.removesuffix("占") + "占比"
                continue  # “参与教师占93.7%”: a share of no stated count
            numerator = before[-1]
            inside = [f for f in same if zhan < f.start]
            of_match = _OF.match(names.peel(text[zhan + 1:p.start]))
            of = of_match.group("of") if of_match else ""
            named = [f for f in live[:index] if f is not numerator and of and of in f.own and compatible(f, numerator)]
            about = [found.total for found in lists if found.of_at is not None and
                     text.rfind("。", 0, numerator.start) < found.of_at < numerator.start]
            denominator = inside[-1] if inside else numerator.total or (named[-1] if named else None) or (
                about[-1] if about else None) or (namer.known(of, numerator.quantity.unit) if of else None)
            strong = denominator is not None
            if denominator is None:
                denominator = _total_before(same, numerator)
            if p.own.startswith("占") or p.own in ("", "占比", "比例", "百分比"):
                p.own = numerator.own + "占比"
        else:
            match = _RATE_NAME.fullmatch(p.own)
            if not match:
                continue
            stem = match.group("stem").removeprefix("毛").removeprefix("净")
            candidates = [f for f in same if stem and (stem in f.own or (len(f.own) >= 2 and f.own in stem))]
            if not candidates:
                continue
            # 应入学 is the base, not the count (适龄儿童入学 is the count beside it)
            counts = [f for f in candidates if not _WHOLE.search(f.own)]
            numerator = ([f for f in counts if not _TOTAL_LIKE.search(f.own)] or counts or candidates)[-1]
            denominator = numerator.total or _total_before(same, numerator) or _total_before(same, numerator, after=True)
            # the base and the count just before the rate, in either order
            strong = denominator is not None and (denominator is numerator.total or (
                len(same) >= 2 and {id(same[-1]), id(same[-2])} == {id(numerator), id(denominator)}))
        if numerator is None:
            continue
        if isinstance(denominator, str):  # a total stated in an earlier paragraph
            p.rate_of = (numerator, denominator)
            continue
        denominator = _best_base(p, numerator, denominator, same)
        if denominator is None or denominator is numerator or not compatible(numerator, denominator):
            continue
        if strong or _rate_holds(p, numerator, denominator):
            p.rate_of = (numerator, denominator)


def _total_before(same: list[Figure], numerator: Figure, after: bool = False) -> Figure | None:
    """The nearest figure stated as a whole (总, 共, 应, 毕业生…) before the count (or after it)."""
    earlier = [f for f in same if (f.start > numerator.end if after else f.end <= numerator.start) and
               compatible(f, numerator)]
    if after:
        earlier.reverse()
    for f in reversed(earlier):
        if _TOTAL_LIKE.search(f.own) or _TOTAL_LIKE.search(f.text):
            return f
    return None


def _best_base(p: Figure, numerator: Figure, chosen: Figure | None, same: list[Figure]) -> Figure | None:
    """The base the writer used: the chosen one, unless it disagrees with the stated rate and another
    figure of the sentence gives exactly the stated rate (then that one was meant)."""
    if _rate_holds(p, numerator, chosen):
        return chosen
    for f in same:
        if f is not numerator and compatible(f, numerator) and _rate_holds(p, numerator, f):
            return f
    return chosen


def _rate_holds(p: Figure, numerator: Figure, base: Figure | None) -> bool:
    if base is None or base.quantity.base_value == 0:
        return False
    computed = numerator.quantity.base_value / base.quantity.base_value * 100
    places = units.decimals(p.quantity.value)
    return abs(computed - p.quantity.value) <= Decimal(5).scaleb(-places - 1) + Decimal("1e-9")
