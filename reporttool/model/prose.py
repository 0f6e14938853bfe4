"""Patterns for the slips of Chinese prose that both the rules (which report) and fmt (which fixes) know."""

from __future__ import annotations

import re

CJK = "\u4e00-\u9fff"

# “。” typed for a decimal point between digits (13。7亿元)
DECIMAL = re.compile(r"(?<![0-9])([0-9]+)。([0-9]+)")
DECIMAL_HINT = re.compile(r"[0-9]。[0-9]")  # a cheap first look: most paragraphs have none

# full-width digits (１２所)
FULLWIDTH = re.compile("[０-９]+(?:[．.][０-９]+)?")
FULLWIDTH_ANY = re.compile("[０-９]")
TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")

# half-width punctuation touching Chinese text, and its full-width form
HALF = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）", '"': "“”"}
HALF_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[,;:!?()\"]|[,;:!?()\"](?=[{CJK}])")
HALF_ANY = re.compile(r"[,;:!?()\"]")


def sentence_before_year(value: str, end: int, fraction: str) -> bool:
    """“…达到100。2027年…”: a sentence ends and the next starts with a year; not a decimal."""
    return len(fraction) == 4 and value[end:end + 1] == "年"


# A number, maybe 万/亿 and 余/多, then up to five characters that may start with a unit: which
# unit (if any) is decided by looking the candidates up, longest first (no giant alternation).
_NUMBER_THEN_UNIT = re.compile(r"(?<![0-9.。第_Xx])([0-9]+(?:[.。][0-9]+)?)([万亿]?)([余多]?)(?=(\S{1,5}))")


def numbers_with_units(value: str):
    """(start, text) of each number written with a unit in `value` (3所, 1.5万元, 5000多人次)."""
    from reporttool.model.units import table

    units = table().units
    for match in _NUMBER_THEN_UNIT.finditer(value):
        rest = match.group(4)
        for length in range(min(5, len(rest)), 0, -1):
            if rest[:length] in units:
                yield match.start(), "".join(match.group(1, 2, 3)) + rest[:length]
                break
