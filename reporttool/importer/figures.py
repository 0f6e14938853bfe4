"""The figures of one paragraph: each number written with a unit, where it stands (sentence,
clause, brackets), and what it becomes (a metric, or a field of another figure's metric).

The steps that read a paragraph (changes, breakdowns, rates, names) all work on these."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from reporttool.importer import names
from reporttool.model import units
from reporttool.model.prose import numbers_with_units
from reporttool.model.references import quantity_text
from reporttool.model.report import Metric


@dataclass
class Extracted:
    """A metric as the import found it: what the draft writes for one figure, with its relations."""

    name: str
    quantity: units.Quantity
    previous: Decimal | None = None
    change: Decimal | None = None
    growth: Decimal | None = None
    numerator: str | None = None
    denominator: str | None = None
    parts: list[str] = field(default_factory=list)
    partial: bool = False
    breakdowns: list[tuple[list[str], bool]] = field(default_factory=list)  # further 其中 of this total
    at_most: list[str] = field(default_factory=list)  # figures it cannot exceed (专任教师 of the 教职工 beside it)
    same_as: str | None = None  # the same stock stated in an earlier part (基本情况 and 成效), which must agree
    # “实施5项民生实事：一是……” (run-in) or “抓好以下6个方面工作：” closing its paragraph (list):
    # the figure announces how many entries follow; the draft knows what follows and says counts
    announces: str | None = None
    counts: str | None = None  # items | sections: set by the draft when the entries do follow
    notes: list[str] = field(default_factory=list)  # what the importer was unsure of about this figure
    referenced: bool = True  # False: the prose keeps its own text (e.g. “98。63%”), flagged there
    in_table: bool = False  # a table cell: its text is the bare number, its unit from the column header
    as_written: bool = False  # 五大工程, a count in a heading: the text keeps it, no reference can

    @property
    def long(self) -> bool:
        return bool(self.change is not None or self.growth is not None or self.numerator or self.parts
                    or self.previous is not None or self.at_most or self.counts or self.same_as)


@dataclass
class Context:
    """What a paragraph's figures inherit from where they stand: the stage its heading is about,
    and the figures of the paragraphs before it in the same text (“……62所。” then “其中，……”)."""

    stage_word: str | None = None
    earlier: list[Figure] = field(default_factory=list)


_AFTER_QUALIFIERS = ("以上", "左右", "以内", "以下")


@dataclass
class Figure:
    """A number written with a unit in a paragraph, and what the reading steps found about it."""

    start: int
    end: int
    text: str  # as written (with its qualifier)
    quantity: units.Quantity
    referenced: bool
    sentence: int = 0  # which sentence or ；-clause of the text
    period: int = 0  # which sentence (。！？) of the text
    depth: int = 0  # brackets open around it
    clause_start: int = 0
    own: str = ""  # the noun phrase it counts, before qualification
    name: str = ""
    owner: Figure | None = None  # the figure this one is the previous value, change or growth of
    field: str = ""  # which of them: 上年, 增减, 增长率 (as written in a reference)
    metric: Extracted | None = None
    total: Figure | None = None  # the total it is a part of
    rate_of: tuple[Figure, Figure | str] | None = None  # numerator and denominator (a name: stated before)

    @property
    def consumed(self) -> bool:
        """A previous value, change or growth of another figure: no metric of its own."""
        return self.owner is not None

    def consume(self, owner: Figure, field_name: str) -> None:
        self.owner, self.field = owner, field_name


SENTENCE_END = re.compile(r"[；;！？!?]|。(?![0-9])")  # a “。” between digits is a mistyped decimal point

CLAUSE_PUNCT = "，,；;：:。！？!?（()）、"


def find_figures(text: str) -> list[Figure]:
    """Every number with a unit whose metric reads exactly as written (with 约/余/以上…); “。” for a
    decimal point is read as one (the figure is checked, the prose keeps it)."""
    table = units.table()
    before = sorted(table.before, key=len, reverse=True)
    out: list[Figure] = []
    for start, number in numbers_with_units(text):
        if re.search(r"[0-9],[0-9]{0,2}$", text[max(0, start - 4):start]):
            continue  # 12,600人: a thousands separator; a metric would not read as written
        qualifier = next((w for w in before if text[max(0, start - len(w)):start] == w), "")
        if qualifier in table.exact:  # 共、累计、达 leave the number exact: words of the prose
            qualifier = ""
        end = start + len(number)
        after = next((w for w in _AFTER_QUALIFIERS if text.startswith(w, end)), "")
        if after and not qualifier and not number.endswith(("余", "多")):
            number, end = number + after, end + len(after)
        start, number = start - len(qualifier), qualifier + number
        plain = number.replace("。", ".")
        try:
            quantity = units.parse(plain)
        except units.ShortFormError:
            continue
        if (units.is_kind(quantity.unit, "age") or units.is_kind(quantity.unit, "score")) and \
                re.match(r"[\u4e00-\u9fff]", text[end:end + 1]) and not text.startswith(("左右", "的", "，"), end) and \
                (quantity.qualifier or units.is_kind(quantity.unit, "age")):
            continue  # 35岁以下教师614人, 600分以上考生86人: the group counted, no figure of its own
        if quantity_text(quantity) != plain:
            continue
        out.append(Figure(start, end, number, quantity, "。" not in number))
    return out


def sentence_starts(text: str) -> list[int]:
    """The start of each sentence."""
    return [0] + [m.end() for m in SENTENCE_END.finditer(text)]


_FULL_END = re.compile(r"[！？!?]|。(?![0-9])")


def period_starts(text: str) -> list[int]:
    """The start of each sentence ended by 。！？ (a ； does not end it)."""
    return [0] + [m.end() for m in _FULL_END.finditer(text)]


def depth_at(text: str, at: int) -> int:
    """How many brackets are open at `at`."""
    depth = 0
    for ch in text[:at]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth


def percent(f: Figure) -> bool:
    return units.is_percent(f.quantity.unit)


def compatible(a: Figure, b: Figure) -> bool:
    """Quantities of one kind (人 and 万人, 所 and 个), both percentages or neither."""
    return a.quantity.unit.compatible(b.quantity.unit) and percent(a) == percent(b)


BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


def clause_start(text: str, at: int) -> int:
    """Where the clause of a figure at `at` starts: after the last punctuation before it, a closed
    bracket group (中小学（幼儿园）23所) being part of the clause, and verbs joined by 、 too
    (新建、改扩建校舍5.6万平方米)."""
    i = at - 1
    while i >= 0:
        ch = text[i]
        if ch in "）)":
            opener = max(text.rfind("（", 0, i), text.rfind("(", 0, i))
            if opener < 0:
                return i + 1
            i = opener - 1
            continue
        if ch == "、":
            verb = re.search(r"(?:^|(?<=[，,；;：:。（(]))(?P<verb>新建|扩建|改建|改扩建|续建|迁建|维修|新增|招聘|选调|引进)$",
                             text[:i])
            if verb and names.starts_with_verb(text[i + 1:at]):
                i = verb.start("verb") - 1
                continue
        if ch in CLAUSE_PUNCT:
            return i + 1
        i -= 1
    return 0


def role_of(name: str) -> str | None:
    """What a name counts among classes, teachers (专任教师), staff (教职工) and pupils."""
    if names.CLASSES.search(name):
        return "classes"
    if re.search("专任教师|教师", name) and not re.search("教职", name):
        return "teachers"
    if names.STAFF.search(name):
        return "staff"
    if names.STUDENTS.search(name):
        return "students"
    return None


def is_bare(own: str) -> bool:
    """A name that is nothing but a qualifier (公办, 小学, 男): it takes its total's noun."""
    return any(own == word for words in names.DIMENSIONS.values() for word in words)


def stage_word(text: str) -> str | None:
    """The stage word `text` names (小学, 初中…), when it names exactly one stage."""
    found = [m.group() for m in names.STAGE_PATTERN.finditer(text)]
    stages = {names.STAGE_WORDS[w] for w in found}
    if len(stages) != 1:
        return None
    word = found[0]
    return word[:-1] if word in ("小学生", "初中生", "高中生") else word


def metric_of(f: Figure) -> Extracted:
    if f.metric is None:
        f.metric = empty(f)
    return f.metric


def empty(f: Figure) -> Extracted:
    return Extracted("", f.quantity, referenced=f.referenced)


def probe(m: Extracted) -> Metric:
    return Metric(m.name, (), (), m.quantity, previous=m.previous, change=m.change, growth=m.growth)
