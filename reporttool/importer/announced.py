"""Counts a report announces before the entries it lists, in words or in digits: 实施五大工程,
从三个方面, 组建3支团队, 办好十件民生实事, 主要存在以下四个方面的问题.

Such a count is declared (counts: items or sections) only where the entries do follow it: in a
heading, over the block's items (or a part's sections); closing the text just before the entries;
or opening a run-in list in its own paragraph (……：一是……二是……). The prose and the heading keep
the number as written, so 五大工程 prints as 五大工程; validation compares it with the entries.

Figures in digits inside a text are read by importer.metrics (they are references there); this
module reads the headings, and the numerals written in words, which no reference can reproduce.
"""

from __future__ import annotations

import re

from reporttool.importer.figures import Extracted
from reporttool.importer.names import Namer
from reporttool.model import units
from reporttool.model.numerals import chinese_number

# 二 to 九十九 in words (一 is an article more often than a count: 一个方面 is rare, 一项制度 common)
_WORDS = "(?:[二两三四五六七八九]?十[一二三四五六七八九]?|[二两三四五六七八九])"
_DIGITS = "(?:[1-9][0-9]?)"
# the measure word as the report writes it → the unit of the metric (大 of 五大工程 counts 项)
_MEASURES = {"大": "项", "方面": "个", "个方面": "个", "个": "个", "项": "项", "支": "支", "件": "件", "条": "条",
             "类": "类", "种": "种", "批": "批", "张": "张", "场": "场", "套": "套"}
# what an announcement announces: entries of work, problems or plans
_NOUNS = ("工程|行动|方面|措施|举措|任务|工作|实事|清单|团队|队伍|问题|不足|短板|困难|目标|项目|计划|机制|体系|"
          "重点|活动|攻坚|战役|品牌|制度|平台|原则|建议|对策|改革|提升|建设|专项|计划|要求|环节|领域")
_ANNOUNCE = re.compile(
    rf"(?<![0-9一二三四五六七八九十百千万.．])(?P<number>{_WORDS}|{_DIGITS})"
    rf"(?P<measure>个方面|{'|'.join(sorted(_MEASURES, key=len, reverse=True))})"
    rf"(?P<what>(?:[\u4e00-\u9fff]{{0,8}}?)(?:{_NOUNS}))")
_RUN_IN = re.compile(r"\s*[^。；;！？!?]{0,30}?[：:，,]\s*(?:一是|一要|第一)")
_END = re.compile(r"[^。！？!?]*[：:。]?\s*$")  # the last sentence of a text


def _value(number: str) -> int | None:
    return int(number) if number.isdigit() else chinese_number(number.replace("两", "二"))


# 党的十八大、十九大、二十大: congresses, not counts
_CONGRESS = re.compile("(?:十[五六七八九]|二十[一二三]?)大")


def _found(text: str, words_only: bool) -> list[re.Match[str]]:
    return [m for m in _ANNOUNCE.finditer(text)
            if not (words_only and m.group("number").isdigit() and m.group("measure") != "大")
            and not _CONGRESS.fullmatch(m.group("number") + m.group("measure")) and _value(m.group("number"))]


def _metric(match: re.Match[str], counts: str, namer: Namer, entries: int) -> Extracted:
    value = _value(match.group("number"))
    assert value is not None
    unit = _MEASURES[match.group("measure")]
    name = namer.unique(match.group(0).strip("“”\"的"))
    metric = Extracted(name, units.parse(f"{value}{unit}"), counts=counts, referenced=False, as_written=True)
    if entries and value != entries:
        metric.notes.append(f"“{match.group(0)}”宣布了{value}{unit}，下面列出{entries}项：validate 会报告；"
                            f"如果这个数说的不是下面列出的内容，请删去 counts")
    return metric


def announcements(heading: str | None, paragraphs: list, entries: int, kind: str, namer: Namer) -> list[Extracted]:
    """The counts announced over a place: in its heading, at the end of its text (both counted
    against its `entries` of `kind`), or opening a run-in list in its text (when no entries)."""
    out: list[Extracted] = []
    if heading:
        found = _found(heading, words_only=False)
        if len(found) == 1 and (entries or _has_run_in(paragraphs)):
            out.append(_metric(found[0], kind if entries else "items", namer, entries))
    texts = [p for p in paragraphs if isinstance(p, str)]
    if out or not texts:
        return out
    if entries:
        last = texts[-1].strip()
        tail = _END.search(last)
        found = _found(tail.group(0), words_only=True) if tail else []
        if len(found) == 1 and not last.endswith(("。", "！", "？")) or len(found) == 1 and _announcing(found[0]):
            out.append(_metric(found[0], kind, namer, entries))
        return out
    if kind != "items":
        return out
    for text in texts:  # 主要存在三个方面的问题：一是……二是……
        found = [m for m in _found(text, words_only=True) if _RUN_IN.match(text, m.end())]
        if len(found) == 1:
            out.append(_metric(found[0], "items", namer, 0))
            break
    return out


def _announcing(match: re.Match[str]) -> bool:
    """“……重点实施五大工程。” closing a lead: a count of work announced, not a figure in passing."""
    return bool(re.search("工程|行动|方面|措施|举措|任务|实事|清单|团队|问题|目标|项目", match.group("what")))


def _has_run_in(paragraphs: list) -> bool:
    return any(isinstance(p, str) and re.search(r"(?:^|[。；;：:，,\s])一是", p) for p in paragraphs)
