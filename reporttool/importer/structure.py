"""Paragraphs of one report → its parts (roles), sections and items, with the spots it is unsure of.

Besides the numbered levels (一、 （一） 1、 （1）, whichever of them a report uses, and below a part
whichever comes first), a report has lines around its body that are not body text: the 主送机关
(“县人民政府：”) after the title, and 署名, 成文日期 and 附件 at the end. They are taken out here
and become the draft's meta and attachments; a date that is not written is never made up.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field

from reporttool.model.numerals import chinese_number, chinese_numeral

L1 = re.compile(r"^(?:([一二三四五六七八九十]{1,3})[、.．]|第([一二三四五六七八九十]{1,3})部分[、：:，,\s　]*)")
L2 = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
# Levels 3 and 4 (GB/T 9704 7.3.3): 1、 1. 1． and （1） (1); "1.5万元" is a number, not a level.
L3 = re.compile(r"^([0-9]{1,3})[、.．](?![0-9])")
L4 = re.compile(r"^[（(]([0-9]{1,3})[）)]")
_LEVELS = {1: L1, 2: L2, 3: L3, 4: L4}

ROLE_WORDS = [  # first match wins: a part's role from its heading
    ("merged", re.compile(r"问题.*(打算|计划|措施|建议|思路|对策|举措)|(困难|不足).*(打算|计划|建议)")),
    ("problems", re.compile(r"问题|不足|困难|短板|差距|薄弱|瓶颈")),
    ("plans", re.compile(r"计划|重点|思路|打算|谋划|下一步|展望|目标任务|安排|设想|建议|对策|举措")),
    ("profile", re.compile(r"基本情况|概况|总体情况|基本概况|基本现状|现状|办学规模|基本信息")),
    ("achievements", re.compile(r"成效|成绩|工作情况|开展情况|落实情况|做法|主要工作|总结|回顾|进展|亮点|经验")),
]
FUTURE = re.compile(r"将|力争|计划|拟")
# A slogan heading that looks ahead (…奋力谱写…新篇章) or back (…取得新成效).
_FUTURE_HEADING = re.compile(r"谱写|开创|奋力|展望|迈向|迈进|新征程|新篇章|新局面|再创|再上|努力实现|加快建设|奋进新")
_PAST_HEADING = re.compile(r"取得|实现|成效|成果|显著|明显|稳步|不断|持续|有效|扎实|全面加强|新进展|新突破|新提升|新气象|"
                           r"新成效|新活力|新标杆|新跨越|彰显|提质|提升|增强|改善|优化|巩固|落实")
_FUTURE_LEAD = re.compile(r"^(?:(?:19|20)[0-9_Xx]{2}年|[Xx]{4}年|明年|下一步|下一阶段|下阶段|今后|新的一年)(?:是|，|,)?"
                          r".{0,40}?(?:将|力争|计划|拟|开局之年|关键之年|攻坚之年)")
BRIDGE = re.compile(r"^(针对|下一步|今后|为此|对此|为了解决|下阶段|(?:20[0-9_]{2}|20__)年[，,])")
TITLE_END = re.compile(r"(总结|汇报|计划|报告|情况|要点|打算)$")


@dataclass
class Block:
    """A （一） block, or (in `items`) a 1. item, or (in an item's `items`) a （1） sub-item."""
    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    items: list[Block] = field(default_factory=list)  # the source's own 1./（1） levels below it
    marker: str = ""  # its number as the source writes it (（一）, 1、): for text that keeps it

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
    headed: bool = True  # False: the source gives it no heading (a closing 下一步… paragraph)
    slogan: bool = False  # its heading names a topic, not the part's role (党建引领…全面加强)


@dataclass
class Structure:
    title: str
    preface: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the importer was unsure of
    body: list[str] = field(default_factory=list)  # the text after the title, repeated titles removed
    recipient: str | None = None  # 主送机关, without its colon
    signature: str | None = None  # 署名 at the end
    date: datetime.date | None = None  # 成文日期, when the source writes one
    closing: list[str] = field(default_factory=list)  # 结尾 after the last part
    recipient_notes: list[str] = field(default_factory=list)  # what was unsure about them, said at their spot
    closing_notes: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # 附件说明: the attachments' names


def split_fused(paragraphs: list[str]) -> list[str]:
    """Break paragraphs where the next expected 二、 or （二） starts inside them (text pasted as one line)."""
    out: list[str] = []
    level1 = level2 = 0
    for paragraph in paragraphs:
        if not _is_text(paragraph):
            out.append(paragraph)
            continue
        pieces = [paragraph]
        while True:
            current = pieces[-1]
            match = L1.match(current)
            if match:
                level1, level2 = chinese_number(match.group(1) or match.group(2)) or level1, 0
            match2 = L2.match(current)
            if match2:
                level2 = chinese_number(match2.group(1)) or level2
            cut = _next_marker(current, level1, level2)
            if cut is None:
                break
            pieces[-1:] = [current[:cut], current[cut:]]
        out.extend(p.strip() for p in pieces if p.strip())
    return out


def _is_text(paragraph: str) -> bool:
    """A paragraph of prose (a table row from a Word document is kept as it is)."""
    return type(paragraph) is str


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


_HEAD_LIMIT = 40  # characters: a first sentence longer than this is no heading


def heading_and_rest(text: str) -> tuple[str, str]:
    """“党的建设全面加强。坚定不移……” → heading with its 。, rest; a short line is all heading.

    A heading run into its body without a full stop (“强化队伍建设：全年……”, “强化队伍建设，全年……”)
    is cut at its colon or comma, which stays with the heading so no character is lost. Text with
    no heading of a usual length is headed by its first sentence (or clause), never made all
    heading: a section keeps its body (long_heading tells the caller to say so)."""
    end = re.search(r"[。！？]", text)
    if (end is None or end.end() == len(text)) and len(text) <= _HEAD_LIMIT:
        return text, ""
    if end is not None and end.end() <= _HEAD_LIMIT + 1:
        return text[:end.end()], text[end.end():].strip()
    cut = re.search(r"[：:]", text[:_HEAD_LIMIT + 1]) or re.search(r"[，,]", text[:25])
    if cut and not re.search(r"[0-9]", text[:cut.start()]) and cut.start() >= 4:
        return text[:cut.end()], text[cut.end():].strip()
    if end is not None and end.end() < len(text):
        return text[:end.end()], text[end.end():].strip()
    clause = re.search(r"[，,；;：:]", text)
    if clause and clause.end() < len(text):
        return text[:clause.end()], text[clause.end():].strip()
    return text, ""


def long_heading(heading: str) -> bool:
    """A heading taken from a first sentence or clause (too long, with figures, or ending in a comma)."""
    from reporttool.model.prose import numbers_with_units

    return len(heading) > _HEAD_LIMIT or bool(re.search(r"[，,；;]$", heading)) or \
        any(True for _ in numbers_with_units(heading))


# --- the lines around the body -----------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_DATE = re.compile(r"(?P<y>(?:19|20)[0-9]{2}|[〇○零一二三四五六七八九O]{4})\s*年\s*(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
                   r"\s*月\s*(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_DATE_LINE = re.compile(rf"^[（(]?{_DATE.pattern}[）)]?$")
_ORGAN_END = re.compile(r"(?:局|委|委员会|政府|办公室|办|中心|学校|小学|中学|幼儿园|党组|党委|党工委|支部|组|部|厅|处|科|室|"
                        r"研究院|研究所|学院|大学|协会|学会|工会|团委|课题组|调研组)$")
_ORGAN = re.compile(r"政府|委员会|人大|政协|教育厅|教育局|教体局|教育体育局|督导|评估|检查组|考核组|调研组|领导|专家|同志|"
                    r"组长|党委|党组|县委|市委|区委|办公室")
_NOT_ADDRESSEE = re.compile(r"^(?:根据|按照|关于|为|现将|依据|对照|遵照|在|经)|要求|安排|部署|通知|精神|如下|情况")
_ATTACHMENT = re.compile(r"^附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(?:[0-9]{1,2}[.．、]\s*)(?P<name>.+)$")


def parse_date(text: str) -> datetime.date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    try:
        return datetime.date(_cn_int(match.group("y")), _cn_int(match.group("m")), _cn_int(match.group("d")))
    except ValueError:
        return None


def _cn_int(text: str) -> int:
    if text.isdigit() and text.isascii():
        return int(text)
    if len(text) == 4 and all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    value = chinese_number(text)
    if value is None:
        raise ValueError(text)
    return value


# An organ's name starts with its place (某县, 东江市, 柳林镇) or names an education body or a team.
_ORGAN_NAME = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{1,10}?(?:省|市|州|盟|县|区|旗|镇|乡|街道)|教育|教体|调研组|课题组|督导")
_NOT_ORGAN = re.compile(r"推进|加快|建设|完成|开展|加强|提升|落实|推动|实施|确保")


def _signature_like(text: str) -> bool:
    """A 署名: a short line naming an organ (某县教育体育局), not a heading or a plan line."""
    return 2 <= len(text) <= 40 and not re.search(r"[。，,；;！？：:]", text) and _ORGAN_END.search(text) is not None \
        and not L1.match(text) and not L2.match(text) and not L3.match(text) and \
        _ORGAN_NAME.search(text) is not None and not _NOT_ORGAN.search(text)


def _take_recipient(paragraphs: list[str], result: Structure) -> list[str]:
    """“县人民政府：” (its own line, or run into the first paragraph) → meta.recipient."""
    if not paragraphs or not _is_text(paragraphs[0]):
        return paragraphs
    first = paragraphs[0]
    match = re.match(r"^(?P<to>[^，。；;！？：:]{2,40})[：:](?P<rest>.*)$", first)
    if match is None or L1.match(first) or L2.match(first) or L3.match(first):
        return paragraphs
    to, rest = match.group("to").strip(), match.group("rest").strip()
    if _NOT_ADDRESSEE.search(to) or not _ORGAN.search(to) and not to.startswith("尊敬的"):
        return paragraphs
    if rest and not _ORGAN_END.search(to) and not to.startswith("尊敬的"):
        return paragraphs  # “全县教育系统坚持……：” is a sentence, not an addressee
    result.recipient = to
    if to.startswith("尊敬的") or re.search("领导|专家|同志", to):
        result.recipient_notes.append(f"开头的称呼“{to}：”作为主送机关（meta.recipient），请核对")
    return ([rest] if rest else []) + paragraphs[1:]


def _take_tail(paragraphs: list[str], result: Structure) -> list[str]:
    """署名, 成文日期 and 附件 at the end → meta and attachments; run into the last line they are cut off it."""
    out = list(paragraphs)
    for _ in range(4):
        if not out or not _is_text(out[-1]):
            break
        last = out[-1]
        if result.date is None and _DATE_LINE.match(last):
            result.date = parse_date(last)
            out.pop()
            continue
        fused = re.search(rf"(?P<sig>[^。！？；;，,：:\s]{{2,40}}?)?[\s　]*[（(]?(?P<date>{_DATE.pattern})[）)]?$", last)
        if result.date is None and fused and fused.start("date") > 0 and (
                fused.group("sig") and _signature_like(fused.group("sig")) or
                re.search(r"[。！？]\s*$", last[:fused.start("date")])):
            result.date = parse_date(fused.group("date"))
            if fused.group("sig") and _signature_like(fused.group("sig")):
                result.signature = fused.group("sig")
                out[-1] = last[:fused.start("sig")].strip()
            else:
                out[-1] = last[:fused.start("date")].strip()
            if not out[-1]:
                out.pop()
            continue
        if result.signature is None and _signature_like(last) and len(out) > 1:
            result.signature = last
            out.pop()
            continue
        if result.signature is None and result.date is not None:
            sig = re.search(r"(?<=[。！？])(?P<sig>[^。！？；;，,：:\s]{2,40})$", last)
            if sig and _signature_like(sig.group("sig")):
                result.signature = sig.group("sig")
                out[-1] = last[:sig.start()].strip()
                continue
        break
    # 附件：1.…  2.… just before the signature
    for at in range(max(0, len(out) - 12), len(out)):
        if not _is_text(out[at]):
            continue
        match = _ATTACHMENT.match(out[at])
        if match is None:
            continue
        entries = ([match.group("rest")] if match.group("rest").strip() else []) + out[at + 1:]
        titles: list[str] = []
        for entry in entries:
            item = _ATTACHMENT_ITEM.match(entry.strip()) if _is_text(entry) else None
            name = (item.group("name") if item else entry).strip().strip("《》")
            if not _is_text(entry) or not name or len(name) > 80 or re.search(r"[。！？；，]$", name):
                titles = []
                break
            titles.append(name)
        if titles:
            result.attachments = titles
            out = out[:at]
        break
    return out


# --- parts, sections, items ----------------------------------------------------------------------------

def _marker(paragraph: str, promote: int) -> tuple[int, re.Match] | None:
    """(level, match) of a numbered paragraph; `promote` shifts levels up when a report has no 一、."""
    if not _is_text(paragraph):
        return None
    for level in (1, 2, 3, 4):
        match = _LEVELS[level].match(paragraph)
        if match:
            shifted = level - promote
            return (shifted, match) if shifted >= 1 else None
    return None


def _promotion(paragraphs: list[str]) -> int:
    """How many levels the report's top level is below 一、: 0, or 1 when it starts at （一）, 2 at 1、."""
    counts = {level: sum(1 for p in paragraphs if _is_text(p) and _LEVELS[level].match(p)) for level in (1, 2, 3)}
    if counts[1]:
        return 0
    for level in (2, 3):
        heads = [heading_and_rest(p[m.end():].strip())[0] for p in paragraphs if _is_text(p)
                 for m in [_LEVELS[level].match(p)] if m]
        if counts[level] >= 2 and any(words.search(h) for h in heads for _, words in ROLE_WORDS):
            return level - 1
    return 0


def structure(paragraphs: list[str], title: str | None) -> Structure:
    paragraphs = _drop_repeated_titles(paragraphs, title)
    if title is None:
        title, paragraphs = _find_title(paragraphs)
    result = Structure(title or "____", body=list(paragraphs))
    paragraphs = _take_recipient(list(paragraphs), result)
    paragraphs = _take_tail(paragraphs, result)
    paragraphs = split_fused(paragraphs)
    promote = _promotion(paragraphs)
    part: Part | None = None
    kinds: list[int] = []  # the marker levels used below the current part, outermost first
    depth = 0  # where an unnumbered paragraph goes: 0 a block's own text, 1 an item, 2 a sub-item
    for paragraph in paragraphs:
        found = _marker(paragraph, promote)
        if found and found[0] == 1:
            heading, rest = heading_and_rest(paragraph[found[1].end():].strip())
            part = Part("", heading)
            if long_heading(heading):
                part.notes.append(f"这一部分的标题与正文连写，暂以“{heading}”为标题，请核对")
            result.parts.append(part)
            kinds, depth = [], 0
            if rest:
                part.paragraphs.append(rest)
            continue
        if part is None:
            result.preface.append(paragraph)
            continue
        if found:
            level, match = found
            if level not in kinds:
                if any(k > level for k in kinds):  # a shallower marker than those seen: it opens new blocks
                    kinds = kinds[:bisect.bisect(kinds, level)]
                kinds.append(level)
                kinds.sort()
            at = kinds.index(level)
            if at > 0 and not part.blocks:
                at = 0
            text = paragraph[match.end():].strip()
            if at == 0:
                heading, rest = heading_and_rest(text)
                part.blocks.append(Block(heading or None, [rest] if rest else [], marker=match.group()))
                depth = 0
            elif at <= 2:
                owner = part.blocks[-1].last(at - 1)
                owner.items.append(_item(text, match.group()))
                depth = 1 if owner is part.blocks[-1] else 2
            else:  # a level below （1）: text of the deepest item, numbered as written
                part.blocks[-1].last(2).paragraphs.append(paragraph)
            continue
        if part.blocks:
            part.blocks[-1].last(depth).paragraphs.append(paragraph)
        else:
            part.paragraphs.append(paragraph)
    _assign_roles(result)
    _unheaded_tail(result)
    _closing(result)
    return result


def _item(text: str, marker: str = "") -> Block:
    """“加强党建。全年……” → an item with its run-in heading; a line with no sentence after the
    heading is all text (so nothing gains a 。 it did not have)."""
    heading, rest = heading_and_rest(text)
    if rest and heading.endswith("。") and not long_heading(heading):
        return Block(heading[:-1], [rest], marker=marker)
    return Block(None, [text] if text else [], marker=marker)


_PROBLEM_START = re.compile(r"^(但|但是|同时|当然|虽然|然而|在肯定成绩的同时|在总结成绩的同时|工作中)?.{0,16}"
                            r"(还存在|存在的问题|存在一些|不足|差距|短板)")
_PLAN_START = re.compile(r"^(?:(?:(?:19|20)[0-9_X]{2}|XXXX|明|下一)年[，,].{0,60}(将|要|力争)|"
                         r"(?:下一步|下一阶段|下阶段|今后|新的一年里?|展望未来|展望(?:19|20)[0-9_X]{2}年)[，,]?.{0,60}?"
                         r"(?:将|要|力争|继续|持续|着力|努力|计划))")


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
        at = next((i for i in range(1, len(holder)) if _is_text(holder[i]) and pattern.match(holder[i])), None)
        if at is None or (role == "problems" and last.role != "achievements"):
            continue
        moved = holder[at:]
        del holder[at:]
        part = Part(role, "", moved, notes=[f"原文没有标题的一段被识别为“{title}”，请核对"], headed=False)
        result.parts.append(part)
        roles.add(role)
        last = part
        holder = part.paragraphs


_CLOSING = re.compile(r"^(?:总之|总而言之|站在新的(?:历史)?起点|展望未来|新征程|新时代新征程|征途漫漫|让我们|回首|面向未来|"
                      r"蓝图已绘就|使命在肩|任重道远)")


def _closing(result: Structure) -> None:
    """A last paragraph after the last numbered block that closes the whole report (总之……) is the 结尾."""
    if not result.parts:
        return
    last = result.parts[-1]
    holder = last.blocks[-1].paragraphs if last.blocks else last.paragraphs
    if len(holder) >= 2 and _is_text(holder[-1]) and _CLOSING.match(holder[-1]) and not re.search("[0-9]", holder[-1]):
        result.closing.append(holder.pop())
        result.closing_notes.append("最后一段被识别为结尾（closing），请核对")


def _drop_repeated_titles(paragraphs: list[str], title: str | None) -> list[str]:
    out: list[str] = []
    for paragraph in paragraphs:
        if title and paragraph.strip() == title:
            continue
        if out and paragraph == out[-1] and len(paragraph) < 60 and _is_text(paragraph):
            continue
        out.append(paragraph)
    return out


def _find_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    if not paragraphs or not _is_text(paragraphs[0]):
        return None, paragraphs
    first = paragraphs[0]
    for length in range(min(60, len(first) // 2), 3, -1):  # a title pasted twice: “……汇报……汇报一、”
        candidate = first[:length]
        if TITLE_END.search(candidate) and first[length:].startswith(candidate):
            tail = first[2 * length:].strip()
            return candidate, ([tail] if tail else []) + paragraphs[1:]
    if len(first) <= 60 and "。" not in first and not L1.match(first) and not L2.match(first) and \
            not re.search(r"[：:]$", first):
        rest = paragraphs[1:]
        while rest and rest[0] == first:
            rest = rest[1:]
        return first, rest
    return None, paragraphs


def _future(part: Part) -> bool:
    """Whether a part with a slogan heading looks ahead: its heading, or its opening sentence."""
    lead = next((p for p in part.paragraphs[:1] if _is_text(p)), "")
    if not lead and part.blocks:
        lead = (part.blocks[0].heading or "") + "".join(part.blocks[0].paragraphs[:1])
    if _FUTURE_HEADING.search(part.heading) and not re.search("取得|实现了", part.heading):
        return True
    if _PAST_HEADING.search(part.heading):
        return False
    first = re.split(r"[。！？]", lead, maxsplit=1)[0]
    return bool(_FUTURE_LEAD.match(lead) or re.match(r"^.{0,30}(?:我们将|我局将|将继续|将进一步|力争|计划|拟)", first))


def _assign_roles(result: Structure) -> None:
    seen: set[str] = set()
    for index, part in enumerate(result.parts):
        role = next((name for name, words in ROLE_WORDS if words.search(part.heading)), None)
        if role == "problems" and _SOLVED.search(part.heading):  # 补齐短板弱项，办学条件持续改善: work done
            role = next((name for name, words in ROLE_WORDS[2:] if words.search(part.heading)), None)
        if role is None:  # a slogan: decide by position and tense
            part.slogan = True
            if "plans" in seen or "merged" in seen:
                role = "plans"
            elif "achievements" in seen and _future(part):
                role = "plans"
            elif "achievements" not in seen and "problems" not in seen:
                role = "achievements"
            elif "problems" in seen:
                role = "plans"
            else:
                role = "achievements"
            part.notes.append(f"标题“{part.heading}”是口号式标题，按位置和语气判断为“{ROLE_NAMES[role]}”")
        elif role == "plans" and re.search("重点|安排|举措|对策|建议", part.heading) and \
                not re.search("计划|打算|下一步|思路|展望|谋划", part.heading) and (
                    re.search("情况|进展|成效|推进|落实|完成|开展|回顾", part.heading) or _PAST_HEADING.search(part.heading) or
                    ("achievements" not in seen and "profile" not in seen)):
            role = "achievements"  # “二、上半年重点工作推进情况”: work done, named by its subject
        if role == "profile" and index > 0:
            role = "achievements" if "achievements" not in seen else role
        # a second part of a role seen before is merged (and noted) by the draft, in one place
        part.role = role
        seen.add(role)


_SOLVED = re.compile(r"(?:补齐|补强|补足|弥补|破解|攻克|解决|化解|整改|直面|突破)[^，,。；]{0,8}(?:问题|不足|困难|短板|差距|薄弱|瓶颈)")

ROLE_NAMES = {"profile": "基本情况", "achievements": "工作成效", "problems": "存在问题", "plans": "下一步计划",
               "merged": "存在问题及下一步打算"}


def split_merged(part: Part) -> tuple[list[str], list[Block], str | None, list[str], list[Block]]:
    """问题 … bridge … 打算: (problem paragraphs, problem items, bridge, plan paragraphs, plan items)."""
    flat: list[tuple[str | None, str]] = [(None, p) for p in part.paragraphs]
    items: dict[int, list[Block]] = {}  # an entry's 1. items, by its place in `flat`
    for block in part.blocks:
        # “针对上述问题，下一步我们将……：” at the end of a problem's text turns to the plans
        turn = next((i for i, p in enumerate(block.paragraphs) if i > 0 and _is_text(p) and BRIDGE.match(p)), None)
        own = block.paragraphs if turn is None else block.paragraphs[:turn]
        items[len(flat)] = block.items if turn is None else []
        flat.append((block.heading or "", "\n".join(own)))
        if turn is not None:
            flat += [(None, p) for p in block.paragraphs[turn:]]
            if block.items:
                flat.append(("", ""))
                items[len(flat) - 1] = block.items
    cut = next((i for i, (heading, text) in enumerate(flat)
                if i > 0 and BRIDGE.match(heading or text)), len(flat))
    bridge = None
    before, after = flat[:cut], flat[cut:]
    if after and after[0][0] is None and len(after[0][1]) <= 80:
        bridge = after[0][1]
        after = after[1:]

    def collect(entries, offset):
        paragraphs = [t for h, t in entries if h is None]
        blocks = [Block(h or None, t.split("\n") if t else [], items.get(offset + i, []))
                  for i, (h, t) in enumerate(entries) if h is not None]
        return paragraphs, blocks

    p_par, p_blocks = collect(before, 0)
    q_par, q_blocks = collect(after, len(flat) - len(after))
    return p_par, p_blocks, bridge, q_par, q_blocks
