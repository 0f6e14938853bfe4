"""Changes against last year stated with a figure: 比上年（A）增加C, 较上年增长G%, 同比增长G%,
提高N个百分点, 由A增加到B, （上年为A）. The previous value and the change become fields of the
figure they are about (the nearest one the change reads in), not metrics of their own."""

from __future__ import annotations

import re
from decimal import Decimal

from reporttool.importer.figures import Figure, metric_of, percent, sentence_starts
from reporttool.model import units
from reporttool.model.references import field_text
from reporttool.model.report import Metric

_BASE = r"(?:上年度|上年同期|去年同期|上一年|上年|去年|同期|年初|(?:19|20)[0-9_Xx]{2}年度?|[Xx]{4}年)"

COMPARE = re.compile(rf"(?:同比|比{_BASE}|较{_BASE}|与{_BASE}相比[，,]?|相比{_BASE}[，,]?)(?:的)?[（(]?")

_VERB = re.compile(r"[）)]?[，,]?(?:同比)?(?:(?P<up>净增|增加|增长|提高|提升|上升|扩大|多招|增|多)|(?P<down>减少|下降|降低|压减|"
                   r"缩小|减|少))了?")

FROM = re.compile(rf"(?:由|从){_BASE}?的?$")

_TO = re.compile(rf"^的?(?:(?P<up>增加|增长|提高|提升|上升|扩大|增)|(?P<down>减少|下降|降低|减|降))(?:到|至)"
                 rf"(?:{_BASE}|今年|本年|目前|现在)?的?$")

_LAST_YEAR = re.compile(rf"^[，,（(]?{_BASE}(?:为|是)?$")

_THEN = re.compile(r"[，,、]")


def read_changes(text: str, figs: list[Figure]) -> None:
    """Previous values, changes and growth rates stated with a figure; the figures that are only
    a previous value or a change become fields of it (consumed)."""
    for i, f in enumerate(figs):
        if i == 0 or f.consumed:
            continue
        a = figs[i - 1]  # 由A增加到B: A is B's previous value
        if not a.consumed and FROM.search(text[max(0, a.start - 12):a.start]) and _TO.match(text[a.end:f.start]) \
                and a.quantity.unit.name == f.quantity.unit.name:
            metric_of(f).previous = a.quantity.value
            a.consume(f, "上年")
            _more(text, figs, i + 1, f.end, f)
    sentences = sentence_starts(text)
    for compare in COMPARE.finditer(text):
        at, k = compare.end(), _first_at_or_after(figs, compare.end())
        prev = figs[k] if k is not None and figs[k].start == at and not figs[k].consumed else None
        if prev is not None:
            verb = _VERB.match(text, prev.end)
            k = _index(figs, prev) + 1
            at = prev.end
        else:
            verb = _VERB.match(text, at)
        if verb is None or k is None or k >= len(figs) or figs[k].start != verb.end() or figs[k].consumed:
            continue
        change = figs[k]
        sentence = max(s for s in sentences if s <= compare.start())
        owner = _owner_for(text, figs, compare.start(), sentence, change)
        if owner is None or (prev is not None and prev.quantity.unit.name != owner.quantity.unit.name):
            continue
        if prev is not None:
            if metric_of(owner).previous is not None:
                continue
            metric_of(owner).previous = prev.quantity.value
            prev.consume(owner, "上年")
        _take_change(owner, change, verb)
        _more(text, figs, k + 1, change.end, owner)
    for i, f in enumerate(figs):  # “（上年为A）”, “，上年A”: the previous value after the figure
        nxt = figs[i + 1] if i + 1 < len(figs) else None
        if f.consumed or nxt is None or nxt.consumed or (f.metric is not None and f.metric.previous is not None):
            continue
        if _LAST_YEAR.match(text[f.end:nxt.start]) and nxt.quantity.unit.name == f.quantity.unit.name:
            metric_of(f).previous = nxt.quantity.value
            nxt.consume(f, "上年")
            _more(text, figs, i + 2, nxt.end + (1 if text[nxt.end:nxt.end + 1] in "）)" else 0), f)


def _index(figs: list[Figure], f: Figure) -> int:
    return next(i for i, g in enumerate(figs) if g is f)


def _first_at_or_after(figs: list[Figure], at: int) -> int | None:
    return next((i for i, f in enumerate(figs) if f.start >= at), None)


def _owner_for(text: str, figs: list[Figure], at: int, sentence: int, change: Figure) -> Figure | None:
    """The figure a change stated at `at` is about: for a growth rate the figure just before it;
    for a change the nearest figure before it in the sentence with the change's unit."""
    before = [f for f in figs if f.end <= at and f.start >= sentence and not f.consumed]
    if not before:
        return None
    if percent(change) and not percent(before[-1]) and len(text[before[-1].end:at].strip("，, ")) == 0:
        return before[-1]
    for f in reversed(before):
        probe = Metric("probe", (), (), f.quantity, change=change.quantity.value)
        if field_text(probe, "增减") == change.text.replace("。", "."):
            return f
        if f.quantity.unit.compatible(change.quantity.unit) and percent(f) == percent(change) and \
                not units.is_kind(change.quantity.unit, "points"):
            return f  # 1.2万人次，比上年增加2100人次
    return None


def _take_change(owner: Figure, change: Figure, verb: re.Match) -> bool:
    """Record `change` as owner's change (its unit) or growth (a percent of a count)."""
    sign = Decimal(-1) if verb.group("down") else Decimal(1)
    metric = metric_of(owner)
    if percent(change) and not percent(owner):
        if metric.growth is not None:
            return False
        metric.growth = sign * change.quantity.value
        change.consume(owner, "增长率")
        return True
    if metric.change is not None:
        return False
    if percent(owner):  # a percentage changes by points: 提高0.5个百分点
        if not units.is_kind(change.quantity.unit, "points"):
            return False
        metric.change = sign * change.quantity.value
    elif change.quantity.unit.compatible(owner.quantity.unit) and not percent(change):
        # in the owner's unit: 2100人次 of 1.2万人次 is 0.21 (its reference would not read as written)
        metric.change = sign * change.quantity.base_value / owner.quantity.unit.factor
    else:
        return False
    change.consume(owner, "增减")
    return True


def _more(text: str, figs: list[Figure], k: int, at: int, owner: Figure) -> None:
    """“……，增加C，增长G%”: further changes of the same figure right after the first."""
    while k < len(figs):
        then = _THEN.match(text, at)
        verb = _VERB.match(text, then.end() if then else at)
        if verb is None or figs[k].start != verb.end() or figs[k].consumed:
            return
        if not _take_change(owner, figs[k], verb):
            return
        at, k = figs[k].end, k + 1
