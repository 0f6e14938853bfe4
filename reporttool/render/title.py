"""Line breaks for long titles (GB/T 9704 7.3.1): whole words, a 梯形 or 菱形 shape.

`break_title` returns a title that fits as one line; a longer one is broken into the fewest
lines that fit, only between words, with the most balanced shape among the valid breaks.
Words come from jieba (the entries a title needs, read when it needs breaking, never on import) plus
the domain words below; numbers with their units, bracketed and quoted spans and organ names
(某某县教育体育局) are kept whole on top of that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Words real titles use that jieba's dictionary splits or joins wrongly; kept whole.
DOMAIN_WORDS: tuple[str, ...] = (
    # documents
    "工作总结", "工作计划", "工作汇报", "工作报告", "工作要点", "工作情况", "工作思路", "工作打算",
    "情况汇报", "情况报告", "自评报告", "督导评估",
    "评估认定", "实施方案", "行动计划", "下一步", "上半年", "下半年", "全年",
    # organs
    "教育体育局", "教育和体育局", "教育局", "教体局", "教育厅", "教育委员会", "教育科技局", "人民政府",
    "县委", "县政府", "市委", "市政府", "党工委", "管委会",
    # policy terms
    "义务教育", "优质均衡", "基本均衡", "均衡发展", "双减", "学前教育", "普及普惠", "县域", "高质量发展",
    "高中阶段教育", "普通高中", "特色发展", "多样化发展", "职业教育", "特殊教育", "民族教育",
    "立德树人", "五育并举", "课后服务", "控辍保学", "营养改善计划", "教师队伍", "师资队伍", "县管校聘",
    "集团化办学", "办学条件", "薄弱学校", "薄弱环节", "教育教学", "质量提升", "教育信息化",
    "智慧教育", "教育强县", "教育强市", "教育强国", "乡村振兴", "乡村教育", "校园安全", "安全生产",
    "全面从严治党", "主体责任", "意识形态", "党建工作", "民族团结", "通用语言文字", "中华民族", "共同体意识",
    "十四五", "十五五", "示范县", "普及普惠县", "优质均衡县", "基本均衡县", "示范区", "专项督导", "责任督学", "挂牌督导",
)

# Organ names: a place (某某县, 云南省昆明市, XX区) followed by one of these is one unit.
_ORGANS = frozenset({
    "教育体育局", "教育和体育局", "教育局", "教体局", "教育厅", "教育委员会", "教委", "教育科技局",
    "人民政府", "政府", "县委", "县政府", "市委", "市政府", "党工委", "管委会",
})
_ORGAN_SUFFIXES = frozenset({"办公室", "党组", "党委", "党工委", "机关"})
_PLACE_ENDS = "省市州盟县区旗镇乡"
_PLACEHOLDER = re.compile(r"^(?:某某|某|[XxＸｘ×*＊]+|_+)$")
_NOT_A_NAME = frozenset({"关于", "全", "本", "我", "各", "的", "及", "和", "与", "对", "在", "推进", "全面"})

# A number with its unit (2027年, 1557.42万元, 20__年, 1500余万元, 第3届, 2026—2027学年) is one unit.
_UNITS = ("个百分点|平方公里|万平方米|平方米|学年度|学年|年度|周年|年|月份|月|日|万元|亿元|元|万人次|万人|人次|"
          "万|亿|千米|公里|米|亩|所|个|名|人|项|次|家|件|届|期|号|台|套|间|班|本|册|份|小时|天|%|％|‰")
_NUMBER = re.compile(
    rf"第?(?:[0-9]*_{{2,}}[0-9]*|[0-9０-９]+(?:[.．][0-9０-９]+)*|[XxＸｘ]+(?=年|月|日))"
    rf"(?:[—–\-～~至到](?:[0-9０-９]+(?:[.．][0-9０-９]+)*))?(?:余|多)?(?:{_UNITS})?"
)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:[.\-/][A-Za-z0-9]+)*")
# each kind of bracket on its own, so that 《…（…）…》 keeps both
_PAIRS = [re.compile(f"{re.escape(a)}[^{re.escape(a + b)}]*{re.escape(b)}") for a, b in
          ("《》", "〈〉", "“”", "‘’", "（）", "()", "「」", "『』", "【】", "〔〕", "[]")]
_YEAR_END = re.compile(r"(?:年|年度|学年|学年度)$")
_PERIODS = frozenset({"上半年", "下半年", "全年", "年度", "本年度", "今年", "明年", "一季度", "第一季度", "秋季", "春季",
                      "秋季学期", "春季学期", "寒假", "暑期", "暑假"})
# What a year dates, never left without it (…及2027年 / 工作计划).
_DATED = frozenset({"工作总结", "工作计划", "工作汇报", "工作报告", "工作要点", "工作情况", "工作思路", "工作打算",
                    "工作", "总结", "计划", "要点", "汇报", "报告"})

# A line may not start with these ...
CLOSING = frozenset("，。、；：？！”’）》〉」』】〕…—·%％‰),.;:?!]}")
# ... nor end with these.
OPENING = frozenset("“‘（《〈「『【〔([{")

_CONJUNCTIONS = frozenset({"及", "和", "与", "暨", "并", "以及", "或"})
_PARTICLES = frozenset({"的", "之", "地", "得", "了", "等", "们"})
_PREPOSITIONS = frozenset({"对", "在", "把", "将", "为", "向", "从", "以", "由", "按", "关于", "对于", "围绕"})

MIN_LINE = 3  # 字: no line of one or two characters

# Costs (integers, so that ties resolve the same way everywhere); widths are counted in ½ 字.
_COST_GOOD = 0  # after an organ name, before 关于
_COST_AFTER_CONJUNCTION = 2  # …工作总结及 / 2027年工作计划
_COST_BEFORE_CONJUNCTION = 4
_COST_AFTER_PUNCTUATION = 4
_COST_AFTER_DE = 4
_COST_PLAIN = 6
_COST_AFTER_PREPOSITION = 12
_COST_AFTER_YEAR = 16  # …2027年 / 工作计划: the year belongs to what follows
_COST_AFTER_ORGAN_GUANYU = 4
_COST_AFTER_GUANYU = 30
_COST_BEFORE_PARTICLE = 30  # a line starting with 的 or a lone 县
# Relaxed rules, when a title cannot keep them all: each broken rule costs more than any ordinary layout.
_SHORT_LINE = 300
_SHAPE_BROKEN = 500
_BROKEN = {"years": 1000, "punctuation": 2000, "units": 4000, "words": 8000}
_COST_REVERSED = 10  # a reverse pyramid (upper line longer): allowed, second choice
_COST_DIAMOND = 2


def char_width(char: str) -> int:
    """Width of one character in ½ 字: CJK and full-width 2, ASCII and half-width 1."""
    if unicodedata.combining(char):
        return 0
    if ord(char) < 0x80 or unicodedata.east_asian_width(char) in ("Na", "H"):
        return 1
    return 2


def text_width(text: str) -> float:
    """Width in 字: CJK characters 1, ASCII digits and letters ½."""
    return sum(char_width(c) for c in text) / 2


def shape_ok(widths: Sequence[float]) -> bool:
    """梯形 (each line no longer than the next, or the reverse) or 菱形 (rising, then falling)."""
    i, n = 0, len(widths)
    while i + 1 < n and widths[i] <= widths[i + 1]:
        i += 1
    while i + 1 < n and widths[i] >= widths[i + 1]:
        i += 1
    return i >= n - 1


# --- segmentation -------------------------------------------------------------------------------

def segment(text: str, hmm: bool = False) -> list[str]:
    """jieba's words for `text`, with the domain words added (loads the dictionary entries it needs)."""
    from reporttool.model.segment import tokenizer_for

    return [str(word) for word in tokenizer_for([text], DOMAIN_WORDS).cut(text, HMM=hmm)]


def _boundaries(words: Iterable[str]) -> set[int]:
    out, at = set(), 0
    for word in words:
        at += len(word)
        out.add(at)
    return out


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(_NUMBER, text) if m.end() - m.start() > 1] + \
        [m.span() for m in re.finditer(_ASCII_WORD, text)] + \
        [m.span() for pattern in _PAIRS for m in pattern.finditer(text)]


def _domain_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for word in DOMAIN_WORDS:
        start = text.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return spans


def _organ_spans(words: list[str]) -> list[tuple[int, int]]:
    """某某县教育体育局, 云南省昆明市教育局, 县人民政府办公室: the place words before an organ word."""
    starts = [0]
    for word in words:
        starts.append(starts[-1] + len(word))
    spans = []
    for i, word in enumerate(words):
        if word not in _ORGANS:
            continue
        first = i
        while first > 0:
            before = words[first - 1]
            if _PLACEHOLDER.match(before) or (len(before) >= 2 and before[-1] in _PLACE_ENDS
                                              and before not in _NOT_A_NAME and before[0] not in "全本我各"):
                first -= 1
            elif len(before) == 1 and before in _PLACE_ENDS:
                first -= 1
                if first > 0 and (_PLACEHOLDER.match(words[first - 1]) or (
                        len(words[first - 1]) >= 2 and words[first - 1] not in _NOT_A_NAME
                        and all(unicodedata.category(c) == "Lo" for c in words[first - 1]))):
                    first -= 1
            else:
                break
        last = i + 1
        while last < len(words) and words[last] in _ORGAN_SUFFIXES:
            last += 1
        spans.append((starts[first], starts[last]))
    return spans


class _Layout:
    """What the line-breaking search needs to know about one title."""

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit  # the line, in ½ 字
        from reporttool.model.segment import tokenizer_for

        words = tokenizer_for([text], DOMAIN_WORDS)
        plain = [str(word) for word in words.cut(text, HMM=False)]
        self.words = plain
        # A break must be a word boundary in both of jieba's modes: the HMM mode keeps unknown names whole.
        hmm = [str(word) for word in words.cut(text, HMM=True)]
        self.word_breaks = (_boundaries(plain) & _boundaries(hmm)) - {0, len(text)}
        self.organs = _organ_spans(plain)
        self.protected = _spans(text) + _domain_spans(text) + self.organs
        self.half = [0]
        for char in text:
            self.half.append(self.half[-1] + char_width(char))
        self.word_at = {}  # break position -> (word before, word after)
        at = 0
        for before, after in zip(plain, plain[1:]):
            at += len(before)
            self.word_at[at] = (before, after)
        # a year (2027年, 20__年, 下半年) and the word after it: hard before what it dates (工作计划)
        self.year_ends: set[int] = set()
        self.years_soft: set[int] = set()
        for start, end in _word_spans(plain):
            if end >= len(text) or unicodedata.category(text[end]) != "Lo":
                continue
            number = next((s for s, e in self.protected if e == end and _NUMBER.fullmatch(text[s:e])
                           and _YEAR_END.search(text[s:e])), None)
            if number is None and text[start:end] not in _PERIODS:
                continue
            after = self.word_at.get(end, ("", ""))[1]
            (self.year_ends if after in _DATED or after in _PERIODS else self.years_soft).add(end)
        self.broken = {at: self._broken(at) for at in range(1, len(text))}

    def width(self, start: int, end: int) -> int:
        return self.half[end] - self.half[start]

    def _broken(self, at: int) -> tuple[str, ...]:
        """The rules a break before text[at] would break."""
        text, limit, out = self.text, self.limit, []
        if at not in self.word_breaks and not any(s < at < e and self.width(s, e) > limit
                                                  for s, e in _word_spans(self.words)):
            out.append("words")  # a word wider than a line cannot stay whole
        if any(s < at < e and self.width(s, e) <= limit for s, e in self.protected):
            out.append("units")  # nor can a unit wider than a line
        if text[at] in CLOSING or text[at - 1] in OPENING:
            out.append("punctuation")
        if at in self.year_ends:  # …2027年 / 工作计划: a year stays with the word it qualifies
            out.append("years")
        return tuple(out)

    def breaks(self, rules: _Rules) -> list[int]:
        """Break positions that keep `rules`."""
        return [at for at, broken in self.broken.items() if not any(getattr(rules, r) for r in broken)]

    def cost(self, at: int) -> int:
        """How bad a break before text[at] is (in ½ 字 of imbalance it is worth)."""
        return self._style(at) + sum(_BROKEN[rule] for rule in self.broken[at])

    def _style(self, at: int) -> int:
        before, after = self.word_at.get(at, (self.text[:at], self.text[at:]))
        if any(end == at for _, end in self.organs) or after == "关于":
            return _COST_GOOD
        if before == "关于":  # 某某县人民政府关于 / …: usual; 关于 cut from its object elsewhere: not
            return _COST_AFTER_ORGAN_GUANYU if any(end == at - 2 for _, end in self.organs) else _COST_AFTER_GUANYU
        if after in _PARTICLES or (after in _PLACE_ENDS and not any(start == at for start, _ in self.organs)):
            return _COST_BEFORE_PARTICLE  # a line starting with 的, or with the 县 of 普惠县
        if before in _CONJUNCTIONS:
            return _COST_AFTER_CONJUNCTION
        if after in _CONJUNCTIONS:
            return _COST_BEFORE_CONJUNCTION
        if at in self.year_ends or at in self.years_soft:
            return _COST_AFTER_YEAR
        if before in _PREPOSITIONS:
            return _COST_AFTER_PREPOSITION
        if before[-1:] in CLOSING:
            return _COST_AFTER_PUNCTUATION
        if before == "的":
            return _COST_AFTER_DE
        return _COST_PLAIN


def _word_spans(words: list[str]) -> Iterable[tuple[int, int]]:
    at = 0
    for word in words:
        yield at, at + len(word)
        at += len(word)


# --- search -------------------------------------------------------------------------------------

# shape phases: 0 all lines equal so far, 1 rising, 2 falling after rising (菱形), 3 falling from the top
_INF = 1 << 60


def _step(phase: int, previous: int, width: int, penalty: int | None) -> tuple[int, int] | None:
    """(new phase, added cost) for a line after one of width `previous`; a line that breaks the shape
    is refused (penalty None) or costs `penalty`."""
    if previous < 0:
        return 0, 0
    diff = abs(width - previous)
    if width > previous:
        if phase in (2, 3):
            return None if penalty is None else (1, diff + penalty)
        return 1, diff
    if width < previous:
        if phase == 0:
            return 3, diff + _COST_REVERSED
        if phase == 1:
            return 2, diff + _COST_DIAMOND
        return phase, diff
    return phase, 0


def _search(layout: _Layout, cuts: list[int], lines: int, limit: int, minimum: int,
            shape: int | None) -> list[int] | None:
    """The cheapest way to lay the title out in exactly `lines` lines, as break positions.

    Lines narrower than `minimum` (½ 字) are refused; narrower than MIN_LINE they cost _SHORT_LINE.
    `shape`: None refuses a line that breaks the 梯形/菱形, a number is what it costs."""
    end = len(layout.text)
    total = layout.width(0, end)
    memo: dict[tuple[int, int, int, int], tuple[int, tuple[int, ...]]] = {}

    def line_cost(width: int, phase: int, previous: int) -> tuple[int, int] | None:
        if width > limit or width < minimum:
            return None
        step = _step(phase, previous, width, shape)
        if step is None:
            return None
        return step[0], step[1] + (_SHORT_LINE if width < 2 * MIN_LINE else 0)

    def best(i: int, left: int, previous: int, phase: int) -> tuple[int, tuple[int, ...]]:
        key = (i, left, previous, phase)
        if key in memo:
            return memo[key]
        start = cuts[i]
        result: tuple[int, tuple[int, ...]] = (_INF, ())
        if left == 1:
            step = line_cost(layout.width(start, end), phase, previous)
            if step is not None:
                result = (step[1], ())
        else:
            for j in range(i + 1, len(cuts)):
                at = cuts[j]
                width = layout.width(start, at)
                if width > limit:
                    break
                if total - layout.half[at] > (left - 1) * limit:
                    continue
                step = line_cost(width, phase, previous)
                if step is None:
                    continue
                rest = best(j, left - 1, width, step[0])
                if rest[0] >= _INF:
                    continue
                cost = step[1] + layout.cost(at) + rest[0]
                if cost < result[0]:
                    result = (cost, (at, *rest[1]))
        memo[key] = result
        return result

    cost, breaks = best(0, lines, -1, 0)
    return list(breaks) if cost < _INF else None


def break_title(title: str, chars_per_line: float) -> list[str]:
    """`title` as the lines of a GB/T 9704 title: one line if it fits in `chars_per_line` 字,
    else the fewest lines that fit, broken only between words, in the most balanced 梯形/菱形."""
    if chars_per_line < 1:
        raise ValueError(f"chars_per_line must be at least 1, not {chars_per_line}")
    limit = int(chars_per_line * 2 + 1e-9)  # in ½ 字
    if sum(char_width(c) for c in title) <= limit or len(title) < 2:
        return [title]
    layout = _Layout(title, limit)
    found = _lay_out(layout, limit)
    bounds = [0, *found, len(title)]
    return [title[a:b] for a, b in zip(bounds, bounds[1:])]


def _lay_out(layout: _Layout, limit: int) -> list[int]:
    fewest = max(2, -(-layout.width(0, len(layout.text)) // limit))

    def lines_needed(cuts: list[int], minimum: int) -> int | None:
        return next((n for n in range(fewest, len(cuts) + 1)
                     if _search(layout, cuts, n, limit, minimum, 0) is not None), None)

    # Within the rules: the fewest lines with no line under MIN_LINE; the shape may cost one line more.
    cuts = [0, *layout.breaks(_RELAXING[0])]
    plain = lines_needed(cuts, 2 * MIN_LINE)
    if plain is not None:
        for lines, shape in ((plain, None), (plain + 1, None), (plain, _SHAPE_BROKEN)):
            found = _search(layout, cuts, lines, limit, 2 * MIN_LINE, shape)
            if found is not None:
                return found
    # Otherwise give up rules one at a time (short lines first, a split word last), each broken as
    # rarely as the line count allows: breaking a rule costs more than any layout within them.
    for rules in _RELAXING:
        cuts = [0, *layout.breaks(rules)]
        plain = lines_needed(cuts, 1)
        if plain is not None:
            found = _search(layout, cuts, plain, limit, 1, _SHAPE_BROKEN)
            assert found is not None
            return found
    raise AssertionError("unreachable: breaking between any two characters always fits")


@dataclass(frozen=True)
class _Rules:
    years: bool = True  # no break between a year and the word after it (2027年 / 工作计划)
    punctuation: bool = True  # no closing mark first on a line, no opening mark last
    units: bool = True  # numbers with units, 《…》 “…” （…）, organ names and domain words kept whole
    words: bool = True  # jieba's words kept whole


# Strict first; each step gives up one rule, for titles that cannot be broken otherwise.
_RELAXING = (_Rules(), _Rules(years=False), _Rules(years=False, punctuation=False),
             _Rules(years=False, punctuation=False, units=False),
             _Rules(years=False, punctuation=False, units=False, words=False))
