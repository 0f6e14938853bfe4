"""An imported report → draft data → YAML text, commented where the importer was unsure.

The draft is built as nested data (reporttool.importer.emit writes it). Every note is appended to
one list, the summary's, and is said twice: at the spot it concerns and in the list at the top.
The shapes a source needs and the schema may lack (a part without heading, achievements inside
基本情况, a third item level) are written only when the schema has them (importer.shapes);
otherwise the nearest shape the schema has is written and a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reporttool.author.scaffold import MODELINE
from reporttool.check.rules.metrics import FLOW
from reporttool.check.schema import EDITOR_FILE
from reporttool.importer import shapes
from reporttool.importer.announced import announcements
from reporttool.importer.emit import Flow, Node, Prose, emit
from reporttool.importer.figures import role_of
from reporttool.importer.metrics import Context, Extracted, Namer, context_of, extract
from reporttool.importer.read import Row
from reporttool.importer.structure import ROLE_NAMES, Block, Part, Structure, long_heading, split_merged
from reporttool.importer.tables import extract_table
from reporttool.model import units
from reporttool.model.references import quantity_text

_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_ISSUER = re.compile(r"^(.*?(?:教育体育局|教育和体育局|教体局|教育局|教育科技局|教育和科技局))")
CHECK = "导入时请核对："  # starts every comment that marks a spot the writer must confirm
_UNFILLED = "____"  # the placeholder validation reports until the writer fills it
# A 成文日期 no rule can mistake for a real one, for a schema that has no placeholder for it:
# validation reports it (date/before-period) until the writer fills in the real date.
_NO_DATE = "1900-01-01"


@dataclass
class Summary:
    """What --report prints for one imported report."""
    title: str
    kind: str
    parts: list[tuple[str, str]] = field(default_factory=list)  # (role, heading) of each part a reader sees
    sections: int = 0
    items: int = 0
    metrics: int = 0
    uncertain: list[str] = field(default_factory=list)  # every note, in the order of the draft; appended only


@dataclass
class Draft:
    """A draft as data: header comments, the document (with comments attached), the summary."""
    header: list[str]
    data: dict
    summary: Summary

    def yaml(self) -> str:
        return emit(self.data, self.header)


def to_yaml(structure: Structure, source: str) -> tuple[str, Summary]:
    draft = build(structure, source)
    return draft.yaml(), draft.summary


def _kind(structure: Structure) -> str:
    title = structure.title
    roles = {part.role for part in structure.parts}
    if "半年" in title:
        return "half-year"
    if ("plans" in roles or "merged" in roles) and not re.search("汇报|调研|自评|专项|督导", title):
        return "annual"
    return "special"


def build(structure: Structure, source: str) -> Draft:
    title = structure.title
    kind = _kind(structure)
    summary = Summary(title, kind, uncertain=list(structure.notes))
    b = _Builder(summary)
    data: dict = {"schema_version": 1, "meta": _meta(structure, b, kind)}
    if not structure.parts and len(structure.preface) > 1 and shapes.headless("profile"):
        # no headings at all: the opening stays the preface (which has no figures), the rest is
        # text whose figures are checked
        body = Part("profile", "", structure.preface[1:], headed=False,
                    notes=["原文没有分部分的标题，第一段以后的正文暂作无标题的“基本情况”，请核对"])
        structure = replace(structure, preface=structure.preface[:1], parts=[body])
    if structure.preface:
        data["preface"] = _prose(structure.preface)  # the schema gives a preface no metrics
    summary.parts = [(part.role, part.heading) for part in structure.parts]
    profile = next((p for p in structure.parts if p.role == "profile"), None)
    achievements = [p for p in structure.parts if p.role == "achievements"]
    in_profile = profile is not None and bool(profile.blocks) and not achievements and shapes.in_profile()
    others = [p for p in structure.parts if p.role not in ("profile", "achievements")]
    if profile is not None:
        b.part = "profile"
        comments = b.note(profile.notes)
        data["profile"] = _at(_profile(profile, b, keep_blocks=not in_profile), comments)
        for extra in (p for p in structure.parts if p.role == "profile" and p is not profile):
            achievements.append(extra)  # a second 基本情况 (rare): its text kept as work done
    b.part = "achievements"
    if in_profile:
        assert profile is not None
        data["achievements"] = {"in_profile": True, "sections": [_section(block, b, Context()) for block in profile.blocks]}
    else:
        comments = b.note([note for part in achievements for note in part.notes])
        data["achievements"] = _at(_achievements(achievements, b), comments)
    for part in _merge_same_roles(others):
        if part.role in ("problems", "plans") and not (part.headed and part.heading) and not shapes.headless(part.role):
            part.notes.append("原文这一部分没有标题；格式暂不能表示无标题，排版时会加上默认标题，请核对")
        b.part = part.role
        comments = b.note(part.notes)  # before the part's content: the list keeps the order of the draft
        if part.role == "merged":
            key, value = "problems_and_plans", _merged(part, b)
        else:
            key, value = part.role, _simple(part, b)
        data[key] = _at(value, comments)  # said where it applies, and in the list at the top
    if structure.closing:
        data["closing"] = _at(_prose(structure.closing), b.note(structure.closing_notes))
    if structure.attachments:
        data["attachments"] = [{"title": name} for name in structure.attachments]
    header = [MODELINE.format(name=EDITOR_FILE).removeprefix("# "),
              f"由 reporttool import 从 {source} 导入。标有“导入时请核对”的地方是程序不确定的，请人工确认。",
              *(CHECK + note for note in summary.uncertain),
              "正文中的数字已登记为指标并写成【名称】；有错的原文（如“13。7”）照录，reporttool validate 会指出。"]
    return Draft(header, data, summary)


class _Builder:
    """What the part builders share: metric names unique in the draft, and the summary they add to."""

    def __init__(self, summary: Summary) -> None:
        self.namer = Namer()
        self.summary = summary
        self.part = ""  # the role of the part being built
        self.stocks: dict[str, tuple[Extracted, str]] = {}  # a stock's name (without （2）) → its first statement, part

    def note(self, notes: list[str]) -> list[str]:
        """The comments saying the notes at their spot; each note also joins the summary's list."""
        self.summary.uncertain.extend(notes)
        return [CHECK + note for note in notes]


def _at(value, comments: list[str]):
    """The value with comments above it (the value itself when there are none)."""
    return Node(value, before=comments) if comments else value


def _meta(structure: Structure, b: _Builder, kind: str) -> dict:
    issuer_match = _ISSUER.match(structure.title)
    issuer = issuer_match.group(1) if issuer_match else structure.signature or _UNFILLED
    meta: dict = {"title": structure.title, "issuer": issuer}
    if structure.recipient:
        meta["recipient"] = _at(structure.recipient, b.note(structure.recipient_notes))
    # The year reported on: from the title, the opening, the achievements; a year found only in
    # the plans is the year after it; else the year of the 成文日期.
    past = structure.title + "".join(structure.preface) + "".join(
        p.heading + "".join(p.paragraphs[:1]) + "".join((block.heading or "") + "".join(block.paragraphs[:1])
                                                         for block in p.blocks[:2])
        for p in structure.parts if p.role in ("profile", "achievements"))
    future = "".join(p.heading for p in structure.parts if p.role in ("plans", "merged"))
    year_match, plan_match = _YEAR.search(past), _YEAR.search(future)
    if structure.date is not None and not _YEAR.search(structure.title):  # a year the 成文日期 can close (a 汇报 of October 2025 on 2023年至2025年: 2025)
        fitting = [int(y) for y in _YEAR.findall(past) if structure.date.year - 1 <= int(y) <= structure.date.year]
        year_match = None if not fitting else re.search(f"({max(fitting)})年", past)
    year: int | Node
    if year_match:
        year = int(year_match.group(1))
    elif plan_match:
        year = int(plan_match.group(1)) - 1
    elif structure.date is not None:
        year = structure.date.year if structure.date.month > 6 else structure.date.year - 1
        b.summary.uncertain.append(f"原文没有写明年度，按成文日期暂填 {year}，请核对 meta.year")
        year = Node(year, before=[CHECK + "原文没有写明年度，按成文日期推定"])
    else:
        from reporttool.author.scaffold import default_year

        guess = default_year()
        b.summary.uncertain.append(f"原文没有写明年度，暂填 {guess}，请核对 meta.year")
        year = Node(guess, before=[CHECK + "原文没有写明年度"])
    meta["year"] = year
    meta["kind"] = kind
    if structure.date is not None:
        meta["date"] = structure.date
    else:
        placeholder = _UNFILLED if shapes.unfilled_date(_UNFILLED) else _NO_DATE
        b.summary.uncertain.append(f"原文没有成文日期，暂填“{placeholder}”，请填写 meta.date")
        meta["date"] = Node(placeholder, before=[CHECK + "原文没有成文日期：请填写（validate 会一直提示，直到填好）"])
    if structure.signature and structure.signature != issuer:
        meta["signature"] = structure.signature
    return meta


def _merge_same_roles(parts: list[Part]) -> list[Part]:
    """The schema has one part per role: a second one becomes a section of the first, noted there."""
    kept: dict[str, Part] = {}
    out = []
    for part in parts:
        first = kept.get(part.role)
        if first is None:  # a copy: the structure is not changed by making a draft of it
            kept[part.role] = replace(part, blocks=list(part.blocks), notes=list(part.notes))
            out.append(kept[part.role])
            continue
        first.blocks.append(Block(part.heading or None, part.paragraphs))
        first.blocks.extend(part.blocks)
        first.notes.append(f"“{part.heading}”与前面的“{ROLE_NAMES.get(part.role, part.role)}”部分合并为一节")
        first.notes.extend(part.notes)  # what was unsure about the merged part stays said
    return out


def _lines(paragraphs: list[str]):
    for paragraph in paragraphs:
        if isinstance(paragraph, Row):
            yield paragraph
            continue
        for line in paragraph.split("\n"):
            if line.strip():
                yield line.strip()


def _prose(paragraphs: list[str]) -> Prose:
    """The paragraphs as written, one line each."""
    return Prose("".join(line + "\n" for line in _lines(paragraphs)))


def _text(paragraphs: list[str], b: _Builder, metrics: list[Extracted], context: Context,
          notes: list[str] | None = None) -> Prose:
    """The paragraphs with their numbers turned into references (the metrics join `metrics`); a
    Word table's rows become text lines with their figures named by row and column."""
    out: list[str] = []
    lines = list(_lines(paragraphs))
    context = replace(context, earlier=[])  # the figures of this text only
    at = 0
    while at < len(lines):
        line = lines[at]
        if isinstance(line, Row):
            rows = [line]
            while at + len(rows) < len(lines):
                following = lines[at + len(rows)]
                if not isinstance(following, Row) or following.table != line.table:
                    break
                rows.append(following)
            texts, found, note = extract_table(rows, b.namer)
            out += [t + "\n" for t in texts]
            metrics.extend(found)
            if notes is not None:
                notes.append(note)
            at += len(rows)
            continue
        rewritten, found = extract(line, b.namer, context)
        if at + 1 < len(lines):  # “……以下6个方面工作：” announces what follows only at the end of the text
            for m in found:
                m.announces = None if m.announces == "list" else m.announces
        metrics.extend(found)
        out.append(rewritten + "\n")
        at += 1
    return Prose("".join(out))


def _with_metrics(node: dict, metrics: list[Extracted], b: _Builder, entries: int = 0,
                  kind: str = "items") -> dict:
    """The metrics of a place with `entries` listed under it (its items, or sections): a figure
    that announces them (实施5项民生实事：一是……) says so (counts), so its number is checked."""
    for m in metrics:
        _restated(m, b)
    if metrics and shapes.counts():
        for m in metrics:
            if (m.announces == "list" and entries) or (m.announces == "run-in" and not entries and kind == "items"):
                m.counts = kind
    if metrics:
        node["metrics"] = [_metric(m, b) for m in metrics]
        b.summary.metrics += len(metrics)
    return node


_NUMBERED = re.compile(r"（[0-9]+）$")


def _restated(m: Extracted, b: _Builder) -> None:
    """A stock (the pupils, classes, staff or schools of a stage) stated again in a later part under
    the same name (基本情况 “小学在校生” and 成效 “小学在校生”): the same figure, which must agree."""
    base = _NUMBERED.sub("", m.name)
    stock = role_of(base) or units.counts_schools(m.quantity.unit)
    if not stock or FLOW.search(base) or m.as_written or m.in_table or m.previous is not None:
        return
    first = b.stocks.setdefault(base, (m, b.part))
    earlier, part = first
    if earlier is m or part == b.part or not earlier.quantity.unit.compatible(m.quantity.unit):
        return
    m.same_as = earlier.name
    if earlier.quantity.base_value != m.quantity.base_value:
        m.notes.append(f"“{m.name}”与前面的“{earlier.name}”名称相同、数值不同，已登记为同一个数（same_as）："
                       f"validate 会报告；如果两处说的不是同一范围，请删去 same_as")


def _metric(m: Extracted, b: _Builder):
    """The short form `名称: 1.5万个` where the prose references it; the long form for relations, and
    for a number the prose keeps as written (its “。” decimal point is reported by validation)."""
    comments = b.note(list(m.notes))
    if not m.long and (m.referenced or m.in_table):
        return _at({m.name: quantity_text(m.quantity)}, comments)
    fields = Flow(name=m.name, value=m.quantity.value, unit=m.quantity.unit.name)
    if m.quantity.qualifier:
        fields["qualifier"] = m.quantity.qualifier
    if m.previous is not None:
        fields["previous"] = m.previous
    if m.change is not None:
        fields["change"] = m.change
    if m.growth is not None:
        fields["growth"] = m.growth
    if m.numerator and m.denominator:
        fields["rate"] = {"numerator": m.numerator, "denominator": m.denominator}
    if m.parts:
        fields["parts"] = list(m.parts)
        if m.partial:
            fields["partial"] = True
    if m.counts:
        fields["counts"] = m.counts
    if m.same_as:
        fields["same_as"] = m.same_as
    if m.at_most and shapes.at_most():
        fields["at_most"] = m.at_most[0] if len(m.at_most) == 1 else list(m.at_most)
    if m.breakdowns:
        if shapes.breakdowns():
            fields["breakdowns"] = [{"parts": parts, "partial": True} if partial else list(parts)
                                    for parts, partial in m.breakdowns]
        else:
            comments += b.note([f"“{m.name}”还有一组其中（{'、'.join(parts)}），格式暂不能登记第二组，请核对"
                                for parts, _ in m.breakdowns])
    if not m.referenced and not m.in_table and not m.as_written:
        comments.append(f"正文中这个数用了“。”作小数点，原文照录；修正后可改为【{m.name}】")
    return _at(fields, comments)


def _marked(block: Block) -> str:
    """A block's first line as the source writes it: its number, heading and text run together."""
    first = block.paragraphs[0] if block.paragraphs and not isinstance(block.paragraphs[0], Row) else ""
    heading = block.heading or ""
    if heading and first and not heading.endswith(("。", "！", "？", "：", ":", "，", ",", "；")):
        heading += "。"  # the heading was cut off at its full stop (an item's heading loses it)
    return block.marker + heading + first


def _flat(block: Block) -> list[str]:
    """A block and its items as paragraphs numbered as written (for parts the schema gives no levels)."""
    rest = block.paragraphs[1:] if block.paragraphs and not isinstance(block.paragraphs[0], Row) else block.paragraphs
    out = [_marked(block)] + list(rest)
    for item in block.items:
        out += _flat(item)
    return [line for line in out if line]


def _profile(part: Part, b: _Builder, keep_blocks: bool) -> dict:
    """基本情况: heading, text with its figures; its （一） blocks kept as numbered text lines."""
    out: dict = {"heading": part.heading} if part.headed else {"headless": True}
    paragraphs = list(part.paragraphs)
    if keep_blocks:
        for block in part.blocks:
            paragraphs += _flat(block)
    metrics: list[Extracted] = []
    notes: list[str] = []
    if paragraphs:
        out["text"] = _text(paragraphs, b, metrics, context_of(part.heading), notes)
    _with_metrics(out, metrics, b)
    return _at(out, b.note(notes)) if notes else out


def _achievements(parts: list[Part], b: _Builder) -> dict:
    """工作成效 from its part(s): one part with （一） sections; several topical parts (二…六, each
    a topic area) or a part with no （一）: each a section of headless achievements."""
    if not parts:
        b.summary.sections += 1
        return {"sections": [Node({"heading": _UNFILLED}, before=b.note(["原文没有工作成效部分，请补写或核对"]))]}
    headless = shapes.headless("achievements") and (len(parts) > 1 or not parts[0].blocks)
    if headless:
        return {"headless": True, "sections": [_topic(part, b) for part in parts]}
    first = parts[0]
    out: dict = {"heading": first.heading}
    if first.paragraphs and shapes.lead_metrics():  # the lead before the sections: 重点实施5大工程……
        lead: list[Extracted] = []
        out["text"] = _text(first.paragraphs, b, lead, context_of(first.heading))
        lead += announcements(first.heading, first.paragraphs, len(first.blocks), "sections", b.namer)
        _with_metrics(out, lead, b, len(first.blocks), kind="sections")
    elif first.paragraphs:
        out["text"] = _prose(first.paragraphs)
    sections = [_section(block, b, context_of(first.heading)) for block in first.blocks or [Block(_UNFILLED, [])]]
    for part in parts[1:]:  # a schema without headless parts: each further topic area is a section
        sections.append(_topic(part, b))
    out["sections"] = sections
    return out


def _section(block: Block, b: _Builder, context: Context) -> dict:
    """A （一） section of the achievements: heading, text and figures, its 1. items and （1） sub-items."""
    context = context_of(block.heading) if context_of(block.heading).stage_word else context
    notes: list[str] = []
    section = _numbered(block.heading, block.paragraphs, block.items, context, b, notes)
    if block.heading and long_heading(block.heading):
        notes.append(f"标题“{block.heading}”取自正文的第一句，请核对")
    return _at(section, b.note(notes)) if notes else section


def _topic(part: Part, b: _Builder) -> dict:
    """A topic area (一、党建引领……) as a section of headless achievements: its （一） blocks items,
    their 1. items sub-items, and their （1） details where the schema has that level."""
    notes: list[str] = []
    section = _numbered(part.heading, part.paragraphs, part.blocks, context_of(part.heading), b, notes)
    return _at(section, b.note(notes)) if notes else section


def _numbered(heading: str | None, paragraphs: list, entries: list[Block], context: Context, b: _Builder,
              notes: list[str]) -> dict:
    """A section with its text and figures (and a count announced over them), its entries numbered
    items, each its own paragraph, as the source numbered them."""
    section: dict = {"heading": heading or _UNFILLED}
    metrics: list[Extracted] = []
    if paragraphs:
        section["text"] = _text(paragraphs, b, metrics, context, notes)
    metrics += announcements(heading, paragraphs, len(entries), "items", b.namer)
    _with_metrics(section, metrics, b, len(entries))
    if entries:
        section["item_numbering"] = "numbered"
        section["items"] = [_section_item(entry, b, context, depth=1) for entry in entries]
    b.summary.sections += 1
    return section


def _section_item(block: Block, b: _Builder, context: Context, depth: int) -> dict:
    """An item of a section (its numbers become metrics, as in the section's text) and its items:
    sub-items at depth 2, details at depth 3 (where the schema has them), else numbered text."""
    item: dict = {"heading": block.heading.removesuffix("。")} if block.heading and not long_heading(
        block.heading) else {}
    context = context_of(block.heading) if context_of(block.heading).stage_word else context
    paragraphs = _own_text(block, item)
    deeper = depth + 1 <= 2 or (depth + 1 == 3 and shapes.details())
    if block.items and not deeper:
        for sub in block.items:
            paragraphs += _flat(sub)
    metrics: list[Extracted] = []
    notes: list[str] = []
    item["text"] = _text(paragraphs, b, metrics, context, notes) if paragraphs else _UNFILLED
    metrics += announcements(item.get("heading"), paragraphs, len(block.items) if deeper else 0, "items", b.namer)
    _with_metrics(item, metrics, b, len(block.items) if deeper else 0)
    if block.items and deeper:
        item["items"] = [_section_item(sub, b, context, depth + 1) for sub in block.items]
    b.summary.items += 1
    return _at(item, b.note(notes)) if notes else item


def _own_text(block: Block, item: dict) -> list[str]:
    """An item's text: its paragraphs; a heading it cannot keep (too long) runs into them, and a
    heading with nothing after it (（一）学位紧张。) is its whole text, never a placeholder."""
    paragraphs = list(block.paragraphs)
    if block.heading and ("heading" not in item or not paragraphs):
        item.pop("heading", None)
        first = paragraphs[0] if paragraphs and not isinstance(paragraphs[0], Row) else ""
        paragraphs = [block.heading + first] + paragraphs[1 if first else 0:]
    return paragraphs


def _items(blocks: list[Block], b: _Builder, role: str) -> list[dict]:
    """Problems (with their figures) or plan items (prose: a plan's figures are targets, which need
    a deadline the source rarely gives) and their 1. items."""
    out = []
    for block in blocks:
        out.append(_plain_item(block, b, role, depth=1))
    return out


def _plain_item(block: Block, b: _Builder, role: str, depth: int) -> dict:
    item: dict = {"heading": block.heading.removesuffix("。") if depth > 1 else block.heading} \
        if block.heading and not long_heading(block.heading) else {}
    paragraphs = _own_text(block, item)
    deeper = depth + 1 <= 2 or (depth + 1 == 3 and shapes.details())
    if block.items and not deeper:
        for sub in block.items:
            paragraphs += _flat(sub)
    metrics: list[Extracted] = []
    if role == "problems":
        item["text"] = _text(paragraphs, b, metrics, Context()) if paragraphs else _UNFILLED
    else:
        item["text"] = _prose(paragraphs) if paragraphs else _UNFILLED
    entries = len(block.items) if deeper else 0
    metrics += announcements(item.get("heading"), paragraphs, entries, "items", b.namer)
    _with_metrics(item, metrics, b, entries)
    if block.items and deeper:
        item["items"] = [_plain_item(sub, b, role, depth + 1) for sub in block.items]
    b.summary.items += 1
    return item


def _simple(part: Part, b: _Builder) -> dict:
    """存在问题 or 下一步计划: heading (or none, as the source), text, items."""
    out: dict = {}
    if part.headed and part.heading:
        out["heading"] = part.heading
    elif shapes.headless(part.role):
        out["headless"] = True
    metrics: list[Extracted] = []
    if part.paragraphs:
        if part.role == "problems":
            out["text"] = _text(part.paragraphs, b, metrics, Context())
        else:
            out["text"] = _prose(part.paragraphs)
    metrics += announcements(part.heading if part.headed else None, part.paragraphs, len(part.blocks), "items",
                             b.namer)
    _with_metrics(out, metrics, b, len(part.blocks))
    if part.blocks:
        out["items"] = _items(part.blocks, b, part.role)
    return out


def _merged(part: Part, b: _Builder) -> dict:
    p_par, p_blocks, bridge, q_par, q_blocks = split_merged(part)
    out: dict = {"heading": part.heading, "problems": _side(p_par, p_blocks, b, "problems")}
    if bridge:
        out["bridge"] = _prose([bridge])
    notes = [] if q_par or q_blocks else ["没有找到问题与打算之间的过渡句，全部内容暂作问题"]
    out["plans"] = _at(_side(q_par, q_blocks, b, "plans"), b.note(notes))
    return out


def _side(paragraphs: list[str], blocks: list[Block], b: _Builder, role: str) -> dict:
    """The problems or the plans of a merged part: text, items, or a placeholder when there is neither."""
    out: dict = {}
    if paragraphs:
        out["text"] = _prose(paragraphs)
    _with_metrics(out, announcements(None, paragraphs, len(blocks), "items", b.namer), b, len(blocks))
    if blocks:
        out["items"] = _items(blocks, b, role)
    return out or {"text": _UNFILLED}
