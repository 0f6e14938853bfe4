"""Numbers in imported prose → typed metrics, and the prose rewritten to reference them (【名称】).

A number becomes a metric only when the metric renders back to exactly the text it replaces, so
import → render loses nothing. Numbers with “。” for a decimal point, placeholders and numbers
without a known unit stay prose, where validation reports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from reporttool.model import units
from reporttool.model.prose import numbers_with_units
from reporttool.model.references import field_text, quantity_text
from reporttool.model.report import Metric

_CLAUSE_START = re.compile(r"[，,、；;：:。！？（(“”\s]")
_FILLER_START = re.compile(r"^(其中|共有|共计|共|全年|累计|今年|目前|现有|已|合计|总计|全市|全县|我市|我县|全区)+")
_FILLER_END = re.compile(r"(达到|达|为|有|共|约|近|计|是|的|了|至|到|超过|逾|总数|合计)+$")
_SENTENCE_END = re.compile(r"[；;]|。(?![0-9])")  # a “。” between digits is a mistyped decimal point
_CHANGE = re.compile(r"比(?:上年|去年|同期|上一年|(?:20[0-9_]{2}|20__)年)[（(]?(?P<prev>[0-9]+(?:\.[0-9]+)?)?"
                     r"(?P<punit>[^\s，,。；;）)]{0,4})?[）)]?(?P<verb>增加|增长|减少|下降|多招|多|少)了?"
                     r"(?P<change>[0-9]+(?:\.[0-9]+)?)")


@dataclass
class Extracted:
    name: str
    quantity: units.Quantity
    previous: Decimal | None = None
    change: Decimal | None = None
    numerator: str | None = None
    denominator: str | None = None
    parts: list[str] = field(default_factory=list)

    referenced: bool = True  # False: the prose keeps its own text (e.g. “98。63%”), flagged there

    @property
    def long(self) -> bool:
        return bool(self.change is not None or self.numerator or self.parts)


class Namer:
    """Metric names unique in the whole draft (references resolve by name)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def name(self, clause: str, unit: units.Unit, after: str = "") -> str:
        base = _FILLER_END.sub("", _FILLER_START.sub("", clause))[-12:].strip("“”\"' ")
        if not base:  # “5名考生被清华录取”: the noun follows the number
            base = re.split(r"[，,、；;：:。！？（()）\s]", after, maxsplit=1)[0][:12]
        base = base or unit.kind.title
        if re.search(r"[0-9【】_Xx]", base):
            base = unit.kind.title
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}（{n}）", n + 1
        self.used.add(name)
        return name


def extract(text: str, namer: Namer) -> tuple[str, list[Extracted]]:
    """Return the prose with references, and the metrics it references, in order."""
    found: list[tuple[int, int, Extracted]] = []  # (start, end, metric) in the original text
    taken: list[tuple[int, int, str]] = []  # spans replaced by a reference text
    before = sorted(units.table().before, key=len, reverse=True)
    for start, number in numbers_with_units(text):
        if any(s <= start < e for s, e, _ in taken):
            continue
        qualifier = next((w for w in before if text[max(0, start - len(w)):start] == w), "")
        if qualifier in units.table().exact:  # 共、累计、达 leave the number exact: words of the prose
            qualifier = ""
        start, number = start - len(qualifier), qualifier + number
        referenced = "。" not in number  # 98。63%: checked as a metric, left as written in the prose
        try:
            quantity = units.parse(number.replace("。", "."))
        except units.ShortFormError:
            continue
        if quantity_text(quantity) != number.replace("。", "."):
            continue
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(text, 0, start)), default=0)
        end = start + len(number)
        metric = Extracted(namer.name(text[clause_start:start], quantity.unit, text[end:end + 20]), quantity,
                           referenced=referenced)
        found.append((start, end, metric))
        if referenced:
            taken.append((start, end, f"【{metric.name}】"))
            _change(text, end, metric, taken)
    _rates(text, found)
    _breakdowns(text, found)
    out, last = [], 0
    for start, end, replacement in sorted(taken):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out), [m for _, _, m in found]


def _change(text: str, end: int, metric: Extracted, taken: list) -> None:
    """“比20__年（6825人）增加了746人” after a metric, within its sentence."""
    sentence_end = _SENTENCE_END.search(text[end:])
    window = text[end:end + (sentence_end.start() if sentence_end else 80)]
    match = _CHANGE.search(window)
    if not match:
        return
    unit = metric.quantity.unit
    if any(number.endswith(unit.name) for at, number in numbers_with_units(window[:match.start()])):
        return  # another figure in the same unit stands between: the change is about that one
    # each figure must read exactly as its reference will (19.1个百分点 for a percent): the model says how
    change = Decimal(match.group("change"))
    probe = Metric(metric.name, (), (), metric.quantity, change=change)
    change_text = field_text(probe, "增减")
    assert change_text is not None  # the probe has a quantity and a change
    if not window[match.start("change"):].startswith(change_text):
        return
    prev_text = (match.group("prev") or "") + (match.group("punit") or "")
    if match.group("prev"):
        probe.previous = Decimal(match.group("prev"))
        if prev_text != field_text(probe, "上年"):
            return
    base = end + match.start()
    if match.group("prev"):
        metric.previous = probe.previous
        taken.append((base + match.start("prev") - match.start(), base + match.start("prev") - match.start()
                      + len(prev_text), f"【{metric.name}：上年】"))
    change_start = base + match.start("change") - match.start()
    metric.change = -change if match.group("verb") in ("减少", "下降", "少") else change
    taken.append((change_start, change_start + len(change_text), f"【{metric.name}：增减】"))
    if metric.previous is None:
        metric.change = None  # without the previous value there is nothing to check: keep it prose
        taken.pop()


def _rates(text: str, found: list) -> None:
    """“毕业生总人数4512人，就业人数4399人，就业率98.63%”: total, part and rate in one clause."""
    for i in range(2, len(found)):
        (s_total, _, total), (_, _, part), (s_rate, _, rate) = found[i - 2], found[i - 1], found[i]
        # rates are percentages (units.is_percent, once that helper lives in model/units.py)
        if not units.is_percent(rate.quantity.unit) or not rate.name.endswith("率"):
            continue
        if _SENTENCE_END.search(text[s_total:s_rate]):
            continue  # not one clause
        stem = rate.name[:-1]
        stated_total = "总" in total.name or "共" in text[max(0, s_total - 3):s_total]
        if stem and stem in part.name and stated_total and total.quantity.unit.compatible(part.quantity.unit):
            rate.numerator, rate.denominator = part.name, total.name


def _breakdowns(text: str, found: list) -> None:
    """“共N……，其中a……、b……”: the parts of a total, declared partial (only the bound is sure)."""
    for i, (start, end, total) in enumerate(found):
        before = text[max(0, start - 6):start]
        if "共" not in before and "总" not in before:
            continue
        sentence_end = text.find("。", end)
        sentence_end = len(text) if sentence_end < 0 else sentence_end
        where = text.find("其中", end, sentence_end)
        if where < 0:
            continue
        parts = [m for s, _, m in found[i + 1:] if where < s < sentence_end
                 and m.quantity.unit.compatible(total.quantity.unit)]
        if len(parts) >= 2:
            total.parts = [p.name for p in parts]
