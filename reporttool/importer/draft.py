"""An imported report → draft data → YAML text, commented where the importer was unsure.

The draft is built as nested data (reporttool.importer.emit writes it). Every note is appended to
one list, the summary's, and is said twice: at the spot it concerns and in the list at the top.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from reporttool.importer.emit import Flow, Node, Prose, emit
from reporttool.importer.metrics import Extracted, Namer, extract
from reporttool.importer.structure import ROLE_NAMES, Block, Part, Structure, split_merged
from reporttool.model.references import quantity_text
from reporttool.resources import schema_path

_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_ISSUER = re.compile(r"^(.*?(?:教育体育局|教育和体育局|教体局|教育局|教育科技局|教育和科技局))")
CHECK = "导入时请核对："  # starts every comment that marks a spot the writer must confirm
_UNFILLED = "____"  # the placeholder validation reports until the writer fills it


@dataclass
class Summary:
    """What --report prints for one imported report."""
    title: str
    kind: str
    parts: list[tuple[str, str]] = field(default_factory=list)  # (role, heading)
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


def build(structure: Structure, source: str) -> Draft:
    title = structure.title
    roles = {part.role for part in structure.parts}
    if "半年" in title:
        kind = "half-year"
    elif ("plans" in roles or "merged" in roles) and "汇报" not in title:
        kind = "annual"
    else:
        kind = "special"
    summary = Summary(title, kind, uncertain=list(structure.notes))
    b = _Builder(summary)
    issuer_match = _ISSUER.match(title)
    issuer = issuer_match.group(1) if issuer_match else _UNFILLED
    data: dict = {"schema_version": 1, "meta": _meta(structure, b, issuer, kind)}
    if structure.preface:
        data["preface"] = _prose(structure.preface)  # the schema gives a preface no metrics
    for part in _merge_same_roles(structure.parts):
        summary.parts.append((part.role, part.heading))
        comments = b.note(part.notes)  # before the part's content: the list keeps the order of the draft
        if part.role == "merged":
            key, value = "problems_and_plans", _merged(part, b)
        elif part.role == "achievements":
            key, value = part.role, _achievements(part, b)
        else:
            key, value = part.role, _simple(part, b)
        data[key] = _at(value, comments)  # said where it applies, and in the list at the top
    header = [f"yaml-language-server: $schema={schema_path().resolve().as_posix()}",
              f"由 reporttool import 从 {source} 导入。标有“导入时请核对”的地方是程序不确定的，请人工确认。",
              *(CHECK + note for note in summary.uncertain),
              "正文中的数字已登记为指标并写成【名称】；有错的原文（如“13。7”）照录，reporttool validate 会指出。"]
    return Draft(header, data, summary)


class _Builder:
    """What the part builders share: metric names unique in the draft, and the summary they add to."""

    def __init__(self, summary: Summary) -> None:
        self.namer = Namer()
        self.summary = summary

    def note(self, notes: list[str]) -> list[str]:
        """The comments saying the notes at their spot; each note also joins the summary's list."""
        self.summary.uncertain.extend(notes)
        return [CHECK + note for note in notes]


def _at(value, comments: list[str]):
    """The value with comments above it (the value itself when there are none)."""
    return Node(value, before=comments) if comments else value


def _meta(structure: Structure, b: _Builder, issuer: str, kind: str) -> dict:
    # The year reported on: from the title, the opening, the achievements; a year found only in
    # the plans is the year after it.
    past = structure.title + "".join(structure.preface) + "".join(
        p.heading + "".join(p.paragraphs[:1]) for p in structure.parts if p.role in ("profile", "achievements"))
    future = "".join(p.heading for p in structure.parts if p.role in ("plans", "merged"))
    year_match, plan_match = _YEAR.search(past), _YEAR.search(future)
    year: int | Node
    if year_match:
        year = int(year_match.group(1))
    elif plan_match:
        year = int(plan_match.group(1)) - 1
    else:
        from reporttool.author.scaffold import default_year

        guess = default_year()
        b.summary.uncertain.append(f"原文没有写明年度，暂填 {guess}，请核对 meta.year")
        year = Node(guess, before=[CHECK + "原文没有写明年度"])
    value = year.value if isinstance(year, Node) else year
    return {"title": structure.title, "issuer": issuer, "year": year, "kind": kind,
            "date": Node(datetime.date(value, 12, 31), before=[CHECK + "原文没有成文日期"])}


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
        first.blocks.append(Block(part.heading, part.paragraphs))
        first.blocks.extend(part.blocks)
        first.notes.append(f"“{part.heading}”与前面的“{ROLE_NAMES.get(part.role, part.role)}”部分合并为一节")
        first.notes.extend(part.notes)  # what was unsure about the merged part stays said
    return out


def _lines(paragraphs: list[str]):
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            if line.strip():
                yield line.strip()


def _prose(paragraphs: list[str]) -> Prose:
    """The paragraphs as written, one line each."""
    return Prose("".join(line + "\n" for line in _lines(paragraphs)))


def _text(paragraphs: list[str], b: _Builder, metrics: list[Extracted]) -> Prose:
    """The paragraphs with their numbers turned into references (the metrics join `metrics`)."""
    out = []
    for line in _lines(paragraphs):
        rewritten, found = extract(line, b.namer)
        metrics.extend(found)
        out.append(rewritten + "\n")
    return Prose("".join(out))


def _with_metrics(node: dict, metrics: list[Extracted], b: _Builder) -> dict:
    if metrics:
        node["metrics"] = [_metric(m) for m in metrics]
        b.summary.metrics += len(metrics)
    return node


def _metric(m: Extracted):
    """The short form `名称: 1.5万个` where the prose references it; the long form for relations, and
    for a number the prose keeps as written (its “。” decimal point is reported by validation)."""
    if not (m.long or not m.referenced):
        return {m.name: quantity_text(m.quantity)}
    fields = Flow(name=m.name, value=m.quantity.value, unit=m.quantity.unit.name)
    if m.quantity.qualifier:
        fields["qualifier"] = m.quantity.qualifier
    if m.previous is not None:
        fields.update(previous=m.previous, change=m.change)
    if m.numerator:
        fields["rate"] = {"numerator": m.numerator, "denominator": m.denominator}
    if m.parts:
        fields.update(parts=list(m.parts), partial=True)
    if m.referenced:
        return fields
    return Node(fields, before=[f"正文中这个数用了“。”作小数点，原文照录；修正后可改为【{m.name}】"])


def _achievements(part: Part, b: _Builder) -> dict:
    out: dict = {"heading": part.heading}
    if part.paragraphs:  # the lead before the sections: the schema gives it no metrics
        out["text"] = _prose(part.paragraphs)
    sections = []
    for block in part.blocks or [Block(_UNFILLED, [])]:
        section: dict = {"heading": block.heading or _UNFILLED}
        metrics: list[Extracted] = []
        if block.paragraphs:
            section["text"] = _text(block.paragraphs, b, metrics)
        _with_metrics(section, metrics, b)
        if block.items:  # the source numbered them 1./（1）: they stay items, each its own paragraph
            section["item_numbering"] = "numbered"
            section["items"] = [_section_item(item, b) for item in block.items]
        sections.append(section)
        b.summary.sections += 1
    out["sections"] = sections
    return out


def _section_item(block: Block, b: _Builder) -> dict:
    """A 1. item of a section (its numbers become metrics, as in the section's text) and its （1） sub-items."""
    item: dict = {"heading": block.heading} if block.heading else {}
    metrics: list[Extracted] = []
    item["text"] = _text(block.paragraphs, b, metrics) if block.paragraphs else _UNFILLED
    _with_metrics(item, metrics, b)
    if block.items:
        item["items"] = [_section_item(sub, b) for sub in block.items]
    b.summary.items += 1
    return item


def _items(blocks: list[Block], b: _Builder) -> list[dict]:
    out = []
    for block in blocks:
        item: dict = {"heading": block.heading} if block.heading else {}
        item["text"] = _prose(block.paragraphs) if block.paragraphs else _UNFILLED
        if block.items:  # a problem's or plan's own 1. items (the schema has one level below it)
            item["items"] = [_sub_item(sub) for sub in block.items]
            b.summary.items += len(block.items)
        out.append(item)
        b.summary.items += 1
    return out


def _sub_item(block: Block) -> dict:
    """A 1. item under a problem or plan. The schema has no level below it, so a （1） there stays
    text, numbered as written."""
    item: dict = {"heading": block.heading} if block.heading else {}
    paragraphs = list(block.paragraphs)
    for number, sub in enumerate(block.items, start=1):
        lines = list(sub.paragraphs) or [""]
        lines[0] = f"（{number}）" + (sub.heading + "。" if sub.heading else "") + lines[0]
        paragraphs += lines
    item["text"] = _prose(paragraphs) if paragraphs else _UNFILLED
    return item


def _simple(part: Part, b: _Builder) -> dict:
    out: dict = {"heading": part.heading} if part.heading else {}
    if part.paragraphs:
        if part.role == "profile":
            metrics: list[Extracted] = []
            out["text"] = _text(part.paragraphs, b, metrics)
            _with_metrics(out, metrics, b)
        else:
            out["text"] = _prose(part.paragraphs)
    if part.blocks and part.role != "profile":
        out["items"] = _items(part.blocks, b)
    return out


def _merged(part: Part, b: _Builder) -> dict:
    p_par, p_blocks, bridge, q_par, q_blocks = split_merged(part)
    out: dict = {"heading": part.heading, "problems": _side(p_par, p_blocks, b)}
    if bridge:
        out["bridge"] = _prose([bridge])
    notes = [] if q_par or q_blocks else ["没有找到问题与打算之间的过渡句，全部内容暂作问题"]
    out["plans"] = _at(_side(q_par, q_blocks, b), b.note(notes))
    return out


def _side(paragraphs: list[str], blocks: list[Block], b: _Builder) -> dict:
    """The problems or the plans of a merged part: text, items, or a placeholder when there is neither."""
    out: dict = {}
    if paragraphs:
        out["text"] = _prose(paragraphs)
    if blocks:
        out["items"] = _items(blocks, b)
    return out or {"text": _UNFILLED}
