"""Prose rules (GB/T 15834 punctuation, GB/T 15835 numbers, and the slips real reports contain)."""

from __future__ import annotations

import calendar
import re

from reporttool.check.rules.context import Context
from reporttool.model.numerals import NUMERALS as _NUMERALS
from reporttool.model.numerals import chinese_number, chinese_numeral
from reporttool.model.prose import CJK, sentence_before_year
from reporttool.model.prose import DECIMAL as _DECIMAL
from reporttool.model.prose import DECIMAL_HINT as _DECIMAL_HINT
from reporttool.model.prose import FULLWIDTH as _FULLWIDTH
from reporttool.model.prose import FULLWIDTH_ANY as _FULLWIDTH_ANY
from reporttool.model.prose import HALF as _HALF
from reporttool.model.prose import HALF_ANY as _HALF_ANY
from reporttool.model.prose import HALF_NEAR_CJK as _HALF_NEAR_CJK
from reporttool.model.prose import TO_ASCII as _TO_ASCII
from reporttool.model.units import multipliers

# --- placeholders --------------------------------------------------------------------------------

_PLACEHOLDERS = re.compile(
    r"[0-9]*_{2,}[0-9]*"  # ____市, 20__年, fused 220__个
    r"|(?<![A-Za-z0-9+＋])(?:[0-9]{2})?[Xx×]{1,4}(?![A-Za-z])"  # X所, xx县, XXXX年, 20XX年
    r"|某某+"
)
_REAL_X = re.compile(r"[Xx]射线|[Xx]光")  # real words, not placeholders


def placeholders(ctx: Context) -> None:
    if ctx.report.date.startswith("__"):  # the schema lets 成文日期 wait as “____”; it is reported until filled
        ctx.emit("text/placeholder", ("meta", "date"), text=ctx.report.date)
    for text in ctx.report.texts:
        value = text.value
        if "_" not in value and "某某" not in value and not re.search("[Xx×]", value):
            continue
        for match in _PLACEHOLDERS.finditer(value):
            token = match.group()
            start = match.start()
            if "×" in token and token.strip("×") == "" and start > 0 and value[start - 1].isdigit() \
                    and value[match.end():match.end() + 1].isdigit():
                continue  # 3×4 is multiplication
            if _REAL_X.match(value, start):
                continue
            ctx.emit("text/placeholder", text.path, start, text=token)


# --- numbers ------------------------------------------------------------------------------------



def decimal_points(ctx: Context) -> None:
    for text in ctx.report.texts:
        if not _DECIMAL_HINT.search(text.value):
            continue
        value = text.value
        for match in _DECIMAL.finditer(value):
            whole, fraction = match.groups()
            after = value[match.end():match.end() + 1]
            if sentence_before_year(value, match.end(), fraction):
                continue
            fixed = f"{whole}.{fraction}"
            # 2。0 before a Chinese word that is no unit (提升工程2。0全员) reads as a version.
            version = len(whole) == 1 and fraction == "0" and after not in multipliers() and \
                re.match(f"[{CJK}]", after or "") is not None and not _starts_unit(value[match.end():])
            ctx.emit("text/decimal-point", text.path, match.start() + len(whole), text=match.group(),
                     fixed=fixed, variant="version" if version else None)


def _starts_unit(rest: str) -> bool:
    from reporttool.model.units import table

    t = table()
    return any(rest.startswith(name) for name in t.units if not name.isascii())


def fullwidth_digits(ctx: Context) -> None:
    for text in ctx.report.texts:
        if not _FULLWIDTH_ANY.search(text.value):
            continue
        for match in _FULLWIDTH.finditer(text.value):
            fixed = match.group().translate(_TO_ASCII)
            ctx.emit("text/fullwidth-digit", text.path, match.start(), text=match.group(), fixed=fixed)


_MONTH_DAY = re.compile(r"(?:((?:19|20)[0-9]{2})年)?(?<![0-9])([0-9]{1,2})月(?:([0-9]{1,2})日)?")


def prose_dates(ctx: Context) -> None:
    for text in ctx.report.texts:
        if "月" not in text.value:
            continue
        for match in _MONTH_DAY.finditer(text.value):
            year = int(match.group(1)) if match.group(1) else 2024  # a leap year: 2月29日 allowed
            month = int(match.group(2))
            day = int(match.group(3)) if match.group(3) else None
            if match.start(2) > 0 and text.value[match.start(2) - 1] in "第个":
                continue
            bad = not 1 <= month <= 12 or (day is not None and not 1 <= day <= calendar.monthrange(year, month)[1])
            if bad:
                ctx.emit("text/date", text.path, match.start(), text=match.group())


# --- punctuation ----------------------------------------------------------------------------------



def halfwidth_punctuation(ctx: Context) -> None:
    for text in ctx.report.texts:
        if not _HALF_ANY.search(text.value):
            continue
        first: dict[str, int] = {}
        count: dict[str, int] = {}
        for match in _HALF_NEAR_CJK.finditer(text.value):
            mark = match.group()
            first.setdefault(mark, match.start())
            count[mark] = count.get(mark, 0) + 1
        for mark, offset in first.items():
            hint = f"这段文字中共有 {count[mark]} 处" if count[mark] > 1 else None
            ctx.emit("text/halfwidth-punct", text.path, offset, mark=mark, full=_HALF[mark], hint=hint)


_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_PAIR_CHARS = re.compile("[" + "".join(_PAIRS) + "".join(_CLOSERS) + "]")


def balanced_pairs(ctx: Context) -> None:
    for text in ctx.report.texts:
        stack: list[tuple[str, int]] = []
        for match in _PAIR_CHARS.finditer(text.value):
            offset, ch = match.start(), match.group()
            if ch in _PAIRS:
                stack.append((ch, offset))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                elif any(opener == _CLOSERS[ch] for opener, _ in stack):
                    while stack[-1][0] != _CLOSERS[ch]:  # an inner opener was never closed
                        opener, at = stack.pop()
                        ctx.emit("text/unbalanced", text.path, at, mark=opener, pair=_PAIRS[opener])
                    stack.pop()
                else:
                    ctx.emit("text/unbalanced", text.path, offset, mark=ch, pair=_CLOSERS[ch])
        for opener, at in stack:
            ctx.emit("text/unbalanced", text.path, at, mark=opener, pair=_PAIRS[opener])


# --- 一是、二是 --------------------------------------------------------------------------------

_SEQUENCE = re.compile(rf"(?:^|(?<=[。；;：:，,！？\s]))([{_NUMERALS}]{{1,3}})是")


def sequences(ctx: Context) -> None:
    for text in ctx.report.texts:
        if "是" not in text.value:
            continue
        previous = 0
        for match in _SEQUENCE.finditer(text.value):
            n = chinese_number(match.group(1))
            if n is None:
                continue
            if previous == 0 and n != 1:
                if n == 2 or n == 3:  # "二是…" without "一是" before it
                    ctx.emit("text/sequence", text.path, match.start(), found=match.group(), expected="一是")
                previous = n
                continue
            if n != previous + 1:
                ctx.emit("text/sequence", text.path, match.start(), found=match.group(),
                         expected=chinese_numeral(previous + 1) + "是")
            previous = n
