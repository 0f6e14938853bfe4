"""Chinese numerals as written in reports: 一 … 十, 十一 … 九十九 (一是、（三）、第十二)."""

from __future__ import annotations

NUMERALS = "一二三四五六七八九十"


def chinese_number(text: str) -> int | None:
    values = {ch: i + 1 for i, ch in enumerate(NUMERALS)}
    if len(text) == 1:
        return values[text]
    if text[0] == "十" and len(text) == 2:
        return 10 + values[text[1]]
    if len(text) == 2 and text[1] == "十":
        return values[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return values[text[0]] * 10 + values[text[2]]
    return None


def chinese_numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")
