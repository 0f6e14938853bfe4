"""其中 and its kin: the parts of a total, in the forms real reports write them.

“共有N所，其中：a、b”, several 其中 in one sentence, 其中 inside brackets (（其中公办a所、民办b所）),
含/包括 (always partial), a sentence starting with 其中 (the total ends the sentence before), a
breakdown of a named total (“专任教师中，小学……”), and a bracketed list with no word before it
(5名考生（普通类2人，美术类3人）). A part must count what its total counts (staff are not
pupils, 项目 are not 学位, 教学点 count with schools); a list is whole when its parts are one kind
of split (学段, 公办/民办, 城乡, 男女…) or add up, else partial, with a note."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reporttool.importer import names
from reporttool.importer.figures import BRACKETED, Figure, compatible, depth_at, is_bare, role_of
from reporttool.model import units

_MARKER = re.compile(r"其中(?:包括)?(?P<colon>[：:])?[，,]?|(?P<inc>含有|包含|包括|含)|"
                     r"(?:^|(?<=[，,；;。：:]))(?P<of>[^，,；;。：:、（()）0-9]{2,10})中[，,：:]")

_SIMPLE = re.compile(r"^[^，,；;。：:（()）]{0,12}$")


@dataclass
class Listed:
    total: Figure
    parts: list[Figure]
    partial: bool
    note: str | None = None
    of_at: int | None = None  # where “专任教师中，” introduced it: the sentence after is about that total


def find_lists(text: str, figs: list[Figure], sentences: list[int], earlier: list[Figure]) -> list[Listed]:
    """The 其中 lists of a paragraph; a total may stand in a paragraph before it (`earlier`)."""
    lists: list[Listed] = []
    live = [f for f in figs if not f.consumed]
    listed_groups: set[int] = set()  # the brackets a 其中/含 inside has made a list of
    for marker in _MARKER.finditer(text):
        inc = marker.group("inc")
        depth = depth_at(text, marker.start())
        bracketed = marker.start() > 0 and text[marker.start() - 1] in "（("
        if inc and not bracketed and not (marker.start() > 0 and text[marker.start() - 1] in "，,"):
            continue  # 包括 inside a clause is a verb (包括小学在内), not a list of parts
        if marker.group("of") and not any(f.end <= marker.start() and _names_match(f, marker.group("of"))
                                          for f in live) and not any(_names_match(f, marker.group("of")) for f in earlier):
            continue
        region_end = _region_end(text, marker, bracketed)
        members = [f for f in live if marker.end() <= f.start < region_end and f.depth == depth]
        if not members:
            continue
        total = _total_for(text, marker, bracketed, live, members[0], sentences, earlier)
        if total is None:
            continue
        found = _make_list(text, total, members, text[marker.end():members[0].start], bool(inc),
                           colon=bool(marker.group("colon")) or bracketed)
        if found is not None:
            lists.append(found)
            if marker.group("of"):
                found.of_at = marker.start()
            if bracketed:
                listed_groups.add(marker.start() - 1)
    for group in BRACKETED.finditer(text):  # “5名考生被录取（普通类2人，美术类3人）”: a list with no 其中
        if group.start() in listed_groups:
            continue
        depth = depth_at(text, group.start()) + 1
        members = [f for f in live if group.start() < f.start < group.end() and f.depth == depth and f.total is None]
        if len(members) < 2:
            continue
        before = [f for f in live if f.end <= group.start() and f.depth == depth - 1 and
                  not re.search(r"[，,；;。：:、]", text[f.end:group.start()])]
        if not before or not _belongs(members[0], before[-1]):
            continue
        found = _make_list(text, before[-1], members, "", False, colon=True)
        if found is not None and len(found.parts) >= 2:
            lists.append(found)
        elif found is not None:
            for part in found.parts:
                part.total = None
    return lists


def _make_list(text: str, total: Figure, members: list[Figure], lead: str, inc: bool,
               colon: bool) -> Listed | None:
    """The parts of `total` among `members`, whole or partial (with a note when unsure)."""
    parts, ended_by_etc = _scan_parts(text, total, members, colon)
    if not parts:
        return None
    for part in parts:
        part.total = total
    found = Listed(total, parts, False)
    whole = sum((p.quantity.base_value for p in parts), Decimal(0)) == total.quantity.base_value
    if inc or ended_by_etc or len(parts) == 1 or re.search("主要|部分|重点|包括", lead):
        found.partial = not whole or len(parts) == 1 or inc
    elif not whole:
        kinds = {names.dimension(p.own, total.own) for p in parts}
        if len(kinds) != 1 or None in kinds:
            found.partial = True
            found.note = (f"“{total.own}”的其中各项（{'、'.join(p.own for p in parts)}）可能没有列全，"
                          "已按只列出部分（partial）处理；如已列全，请删去 partial")
    return found


def _names_match(f: Figure, of: str) -> bool:
    of = names.peel(of)
    return bool(of) and (f.own == of or f.own.endswith(of) or f.name == of)


def _closing_bracket(text: str, start: int, stop: int) -> int | None:
    """Where a bracket opened before `start` closes, before `stop` (brackets opened on the way nest)."""
    level = 0
    for i in range(start, stop):
        if text[i] in "（(":
            level += 1
        elif text[i] in "）)":
            if level == 0:
                return i
            level -= 1
    return None


def _region_end(text: str, marker: re.Match, bracketed: bool) -> int:
    if bracketed:
        closing = _closing_bracket(text, marker.end(), len(text))
        return len(text) if closing is None else closing
    ends = re.compile(r"[！？!?]|。(?![0-9])" if marker.group("colon") else r"[；;！？!?]|。(?![0-9])")
    end = ends.search(text, marker.end())
    limit = end.start() if end else len(text)
    for other in _MARKER.finditer(text, marker.end(), limit):
        if other.group("inc") and text[other.start() - 1:other.start()] in "（(":
            continue  # a bracketed 含 inside the list is a list of its own part
        if other.group("of") or other.group(0).startswith("其中") or other.group("inc"):
            return other.start()
    closing = _closing_bracket(text, marker.end(), limit)  # a bracket opened before the list ends it
    return limit if closing is None else closing


def _total_for(text: str, marker: re.Match, bracketed: bool, live: list[Figure], first: Figure,
               sentences: list[int], earlier: list[Figure]) -> Figure | None:
    before = [f for f in live if f.end <= marker.start() and _belongs(first, f)]
    if bracketed:
        opener = marker.start() - 1
        near = [f for f in before if 0 <= opener - f.end <= 1]
        return near[-1] if near else None
    of = marker.group("of")
    if of:
        named = [f for f in before if _names_match(f, of)] or \
            [f for f in earlier if _names_match(f, of) and _belongs(first, f)]
        return named[-1] if named else None
    sentence_start = max(s for s in sentences if s <= marker.start())
    lead = text[sentence_start:marker.start()].strip(" 　，,")
    if lead:  # in the sentence of the total
        candidates = [f for f in before if f.start >= sentence_start]
    else:  # “……62所。其中，……”: the previous sentence
        previous = max((s for s in sentences if s < sentence_start), default=0)
        candidates = [f for f in before if f.start >= previous]
    candidates = [f for f in candidates if f.depth == depth_at(text, marker.start())]
    if not candidates and not lead and sentence_start == 0 and earlier:  # the paragraph starts with 其中
        last = [f for f in earlier if f.period == earlier[-1].period]
        candidates = [f for f in last if _belongs(first, f) and f.depth == 0]
    return candidates[-1] if candidates else None


_SCHOOLISH = re.compile("学校|校|小学|初中|中学|高中|幼儿园|园|教学点|校区|完小|村小|一贯制")


def _belongs(part: Figure, total: Figure) -> bool:
    """Whether `part` can be a part of `total`: a quantity of the same kind, counting the same
    kind of thing (staff are not pupils; 项目 are not 学位; 教学点 are counted with schools)."""
    if not compatible(part, total):
        return False
    role, other = role_of(part.own), role_of(total.own)
    if role and other:
        return role == other or (role == "teachers" and other == "staff")
    unit = total.quantity.unit
    if units.is_kind(unit, "money") or "人" in unit.name or units.counts_people(unit):
        return True  # money by source, people by where they are (农村学校86名 of 招聘教师)
    if is_bare(part.own) or names.dimension(part.own, total.own):
        return True
    head, total_head = _noun_head(part.own), _noun_head(total.own)
    return head == total_head or head in total.own or total_head in part.own or bool(
        _SCHOOLISH.search(head) and _SCHOOLISH.search(total_head))


def _noun_head(name: str) -> str:
    tokens = names.words(name) if name else []
    return tokens[-1][0] if tokens else name


def _scan_parts(text: str, total: Figure, members: list[Figure], colon: bool) -> tuple[list[Figure], bool]:
    parts: list[Figure] = []
    separator: str | None = None
    first_kind: str | None = None
    for f in members:
        if not _belongs(f, total):
            break
        if parts:
            between = BRACKETED.sub("", text[parts[-1].end:f.start])  # a bracketed aside of the part before
            if between.startswith("等"):
                return parts, True
            sep = next((ch for ch in between if ch in "、，,；;"), None)
            if sep is None:
                break
            if sep != "、":
                if separator is None:
                    separator = sep
                clause = between[between.index(sep) + 1:]
                if not (colon or separator == sep) or not _SIMPLE.match(clause) or names.is_verb_phrase(
                        names.peel(clause)) or f.own == total.own:
                    break
                kind = names.dimension(f.own, total.own)
                if (first_kind is None or kind != first_kind) and not colon:
                    break
            elif separator is None:
                separator = "、"
        parts.append(f)
        if first_kind is None:
            first_kind = names.dimension(f.own, total.own)
    if parts and text[parts[-1].end:parts[-1].end + 1] == "等":
        return parts, True
    return parts, False
