"""Chinese numerals as written in reports: 一是、（三）、第十二, 一百一十, 一千零一, 一万零五百.

Any count a schema-valid draft can hold is written (sections, items and metrics run into the
hundreds and thousands): 十一 (not 一十一) at the head of a number, 一百一十 inside one, 零 for a
gap between digits (一百零一, 一千零一十).
"""

from __future__ import annotations

NUMERALS = "一二三四五六七八九十"  # the characters of 1–10; rules match ordinals with them
DIGITS = "零一二三四五六七八九"
_POWERS = ((1000, "千"), (100, "百"), (10, "十"))
_VALUES = {ch: i for i, ch in enumerate(DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 110 → 一百一十, 1001 → 一千零一, 20000 → 二万."""
    if n < 1:
        raise ValueError(f"no Chinese ordinal for {n}")
    text = _numeral(n)
    return text[1:] if text.startswith("一十") else text  # 十五, not 一十五, at the head


def _numeral(n: int) -> str:
    """Any n ≥ 1 with 一十 kept (the caller drops the 一 at the head of the whole number)."""
    for size, name in ((100_000_000, "亿"), (10_000, "万")):
        if n >= size:
            high, low = divmod(n, size)
            text = _numeral(high) + name
            if low:
                # a gap below the large unit is read as 零: 一万零五百, 一亿零一万
                text += ("零" if low < size // 10 else "") + _numeral(low)
            return text
    return _below_10000(n)


def _below_10000(n: int) -> str:
    out: list[str] = []
    gap = False
    for size, name in _POWERS:
        digit, n = divmod(n, size)
        if digit:
            if gap and out:
                out.append("零")
            out.append(DIGITS[digit] + name)
            gap = False
        else:
            gap = True
    if n:
        if gap and out:
            out.append("零")
        out.append(DIGITS[n])
    return "".join(out)


def chinese_number(text: str) -> int | None:
    """一 → 1, 十五 → 15, 一百零一 → 101, 二万 → 20000; None for text that is not a numeral."""
    if not text:
        return None
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in "零〇" and digit is None and (section or total):
            continue  # the gap in 一百零一
        if ch in _VALUES:
            if digit is not None:
                return None  # two digits in a row (一二) are not a numeral
            digit = _VALUES[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif ch in _LARGE:
            section += digit or 0
            if section == 0:
                return None
            total += section * _LARGE[ch]
            section, digit = 0, None
        else:
            return None
    value = total + section + (digit or 0)
    return value or None
