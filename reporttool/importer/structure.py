"""Paragraphs of one report → its parts (roles), sections and items, with the spots it is unsure of."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reporttool.model.numerals import chinese_number, chinese_numeral

L1 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
L2 = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
# Levels 3 and 4 (GB/T 9704 7.3.3): 1、 1. 1． and （1） (1); "1.5万元" is a number, not a level.
L3 = re.compile(r"^([0-9]{1,3})[、.．](?![0-9])")
L4 = re.compile(r"^[（(]([0-9]{1,3})[）)]")

ROLE_WORDS = [  # first match wins: a part's role from its heading
    ("merged", re.compile(r"问题.*(打算|计划|措施|建议|思路|对策)|(困难|不足).*(打算|计划|建议)")),
    ("problems", re.compile(r"问题|不足|困难|短板|差距|薄弱")),
    ("plans", re.compile(r"计划|重点|思路|打算|谋划|下一步|展望|目标任务|安排|设想")),
    ("profile", re.compile(r"基本情况|概况|总体情况|基本概况")),
    ("achievements", re.compile(r"成效|成绩|工作情况|开展情况|落实情况|做法|主要工作|总结|回顾|进展|亮点")),
]
FUTURE = re.compile(r"将|力争|计划|拟|着力|要")
BRIDGE = re.compile(r"^(针对|下一步|今后|为此|对此|为了解决|下阶段|(?:20[0-9_]{2}|20__)年[，,])")
TITLE_END = re.compile(r"(总结|汇报|计划|报告|情况|要点|打算)$")


@dataclass
class Block:
    """A （一） block, or (in `items`) a 1. item, or (in an item's `items`) a （1） sub-item."""
    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    items: list[Block] = field(default_factory=list)  # the source's own 1./（1） levels below it

    def last(self, depth: int) -> Block:
        """The block that takes an unnumbered paragraph: the deepest open item (depth 0 is self)."""
        block = self
        for _ in range(depth):
            if not block.items:
                break
            block = block.items[-1]
        return block


@dataclass
class Part:
    role: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)  # before its first （一）
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the importer was unsure of here; appended, never replaced


@dataclass
class Structure:
    title: str
    preface: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the importer was unsure of
    body: list[str] = field(default_factory=list)  # the text after the title, repeated titles removed


def split_fused(paragraphs: list[str]) -> list[str]:
    """Break paragraphs where the next expected 二、 or （二） starts inside them (text pasted as one line)."""
    out: list[str] = []
    level1 = level2 = 0
    for paragraph in paragraphs:
        pieces = [paragraph]
        while True:
            current = pieces[-1]
            match = L1.match(current)
            if match:
                level1, level2 = chinese_number(match.group(1)) or level1, 0
            match2 = L2.match(current)
            if match2:
                level2 = chinese_number(match2.group(1)) or level2
            cut = _next_marker(current, level1, level2)
            if cut is None:
                break
            pieces[-1:] = [current[:cut], current[cut:]]
        out.extend(p.strip() for p in pieces if p.strip())
    return out


def _next_marker(text: str, level1: int, level2: int) -> int | None:
    candidates = []
    one = chinese_numeral(level1 + 1) + "、"
    start = 1
    while True:
        at = text.find(one, start)
        if at < 0:
            break
        if text[at - 1] in "。！？；;%：:）)”" and _heading_like(text[at + len(one):]):
            candidates.append(at)
            break
        start = at + 1
    for opener, closer in (("（", "）"), ("(", ")")):
        mark = f"{opener}{chinese_numeral(level2 + 1)}{closer}"
        at = text.find(mark, 1)
        if at > 0 and text[at - 1] in "。！？；;：:" and _heading_like(text[at + len(mark):]):
            candidates.append(at)
    return min(candidates) if candidates else None


def _heading_like(rest: str) -> bool:
    end = re.search(r"[。！？]", rest)
    head = rest[:end.start()] if end else rest
    return 0 < len(head) <= 40


def heading_and_rest(text: str) -> tuple[str, str]:
    """“党的建设全面加强。坚定不移……” → heading with its 。, rest; a short line is all heading."""
    end = re.search(r"[。！？]", text)
    if end is None or end.end() == len(text):
        return text, ""
    head = text[:end.end()]
    if len(head) > 60:
        return text, ""  # not a heading after all: a long first sentence
    return head, text[end.end():].strip()


def structure(paragraphs: list[str], title: str | None) -> Structure:
    paragraphs = _drop_repeated_titles(paragraphs, title)
    if title is None:
        title, paragraphs = _find_title(paragraphs)
    result = Structure(title or "____", body=list(paragraphs))
    paragraphs = split_fused(paragraphs)
    part: Part | None = None
    depth = 0  # 0 in a （一） block's own text, 1 in a 1. item, 2 in a （1） sub-item
    for paragraph in paragraphs:
        match = L1.match(paragraph)
        if match:
            heading, rest = heading_and_rest(paragraph[match.end():].strip())
            part = Part("", heading)
            result.parts.append(part)
            if rest:
                part.paragraphs.append(rest)
            continue
        if part is None:
            result.preface.append(paragraph)
            continue
        match = L2.match(paragraph)
        if match:
            heading, rest = heading_and_rest(paragraph[match.end():].strip())
            part.blocks.append(Block(heading, [rest] if rest else []))
            depth = 0
        elif part.blocks and (L3.match(paragraph) or (depth >= 1 and L4.match(paragraph))):
            # 1./（1） inside a （一） block: items and sub-items, kept as levels (not prose)
            level = 1 if L3.match(paragraph) else 2
            owner = part.blocks[-1].last(level - 1)
            owner.items.append(_item(paragraph))
            depth = level
        elif part.blocks:
            part.blocks[-1].last(depth).paragraphs.append(paragraph)
        else:
            part.paragraphs.append(paragraph)
    _assign_roles(result)
    _unheaded_tail(result)
    return result


def _item(paragraph: str) -> Block:
    """“1、加强党建。全年……” → an item with its run-in heading; a line with no sentence after the
    heading is all text (so nothing gains a 。 it did not have)."""
    match = L3.match(paragraph) or L4.match(paragraph)
    assert match is not None
    text = paragraph[match.end():].strip()
    heading, rest = heading_and_rest(text)
    if rest and heading.endswith("。"):
        return Block(heading[:-1], [rest])
    return Block(None, [text] if text else [])


_PROBLEM_START = re.compile(r"^(但|但是|同时|当然|虽然|然而|在肯定成绩的同时|工作中)?.{0,16}(还存在|存在的问题|存在一些|不足|差距|短板)")
_PLAN_START = re.compile(r"^((?:19|20)[0-9_X]{2}|XXXX|明|下一)年[，,].{0,60}(将|要|力争)")


def _unheaded_tail(result: Structure) -> None:
    """Problems or plans written without a heading at the end of the last part become parts of
    their own (after it, so the order of the text is kept), marked for the writer to confirm."""
    if not result.parts:
        return
    roles = {p.role for p in result.parts}
    last = result.parts[-1]
    holder = last.blocks[-1].paragraphs if last.blocks else last.paragraphs
    for role, pattern, title in (("problems", _PROBLEM_START, "存在的问题"), ("plans", _PLAN_START, "下一步打算")):
        if role in roles or "merged" in roles or len(holder) < 2:
            continue
        at = next((i for i in range(1, len(holder)) if pattern.match(holder[i])), None)
        if at is None or (role == "problems" and last.role != "achievements"):
            continue
        moved = holder[at:]
        del holder[at:]
        part = Part(role, "", moved, notes=[f"原文没有标题的一段被识别为“{title}”，请核对"])
        result.parts.append(part)
        roles.add(role)
        last = part
        holder = part.paragraphs


def _drop_repeated_titles(paragraphs: list[str], title: str | None) -> list[str]:
    out: list[str] = []
    for paragraph in paragraphs:
        if title and paragraph.strip() == title:
            continue
        if out and paragraph == out[-1] and len(paragraph) < 60:
            continue
        out.append(paragraph)
    return out


def _find_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    if not paragraphs:
        return None, paragraphs
    first = paragraphs[0]
    for length in range(min(60, len(first) // 2), 3, -1):  # a title pasted twice: “……汇报……汇报一、”
        candidate = first[:length]
        if TITLE_END.search(candidate) and first[length:].startswith(candidate):
            tail = first[2 * length:].strip()
            return candidate, ([tail] if tail else []) + paragraphs[1:]
    if len(first) <= 60 and "。" not in first and not L1.match(first):
        rest = paragraphs[1:]
        while rest and rest[0] == first:
            rest = rest[1:]
        return first, rest
    return None, paragraphs


def _assign_roles(result: Structure) -> None:
    seen: set[str] = set()
    for index, part in enumerate(result.parts):
        role = next((name for name, words in ROLE_WORDS if words.search(part.heading)), None)
        if role is None:  # a slogan: decide by position and tense
            text = "".join(part.paragraphs[:1] + [b.heading or "" for b in part.blocks[:2]])
            if "achievements" in seen and FUTURE.search(text):
                role = "plans"
            else:
                role = "achievements" if "achievements" not in seen else "plans"
            part.notes.append(f"标题“{part.heading}”是口号式标题，按位置和语气判断为“{ROLE_NAMES[role]}”")
        if role == "profile" and index > 0:
            role = "achievements" if "achievements" not in seen else role
        # a second part of a role seen before is merged (and noted) by the draft, in one place
        part.role = role
        seen.add(role)


ROLE_NAMES = {"profile": "基本情况", "achievements": "工作成效", "problems": "存在问题", "plans": "下一步计划",
               "merged": "存在问题及下一步打算"}


def split_merged(part: Part) -> tuple[list[str], list[Block], str | None, list[str], list[Block]]:
    """问题 … bridge … 打算: (problem paragraphs, problem items, bridge, plan paragraphs, plan items)."""
    flat: list[tuple[str | None, str]] = [(None, p) for p in part.paragraphs]
    items: dict[int, list[Block]] = {}  # an entry's 1. items, by its place in `flat`
    for block in part.blocks:
        items[len(flat)] = block.items
        flat.append((block.heading, "\n".join(block.paragraphs)))
    cut = next((i for i, (heading, text) in enumerate(flat)
                if i > 0 and BRIDGE.match(heading or text)), len(flat))
    bridge = None
    before, after = flat[:cut], flat[cut:]
    if after and after[0][0] is None and len(after[0][1]) <= 80:
        bridge = after[0][1]
        after = after[1:]

    def collect(entries, offset):
        paragraphs = [t for h, t in entries if h is None]
        blocks = [Block(h, t.split("\n") if t else [], items.get(offset + i, []))
                  for i, (h, t) in enumerate(entries) if h is not None]
        return paragraphs, blocks

    p_par, p_blocks = collect(before, 0)
    q_par, q_blocks = collect(after, len(flat) - len(after))
    return p_par, p_blocks, bridge, q_par, q_blocks
