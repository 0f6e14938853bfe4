"""An imported report → draft YAML text, commented where the importer was unsure."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from reporttool.importer.metrics import Extracted, Namer, extract
from reporttool.importer.structure import ROLE_NAMES, Block, Part, Structure, split_merged
from reporttool.resources import schema_path

_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_ISSUER = re.compile(r"^(.*?(?:教育体育局|教育和体育局|教体局|教育局|教育科技局|教育和科技局))")


def q(value) -> str:
    """A YAML-safe scalar (JSON strings are valid double-quoted YAML)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Summary:
    """What --report prints for one imported report."""
    title: str
    kind: str
    parts: list[tuple[str, str]] = field(default_factory=list)  # (role, heading)
    sections: int = 0
    items: int = 0
    metrics: int = 0
    uncertain: list[str] = field(default_factory=list)


def to_yaml(structure: Structure, source: str) -> tuple[str, Summary]:
    namer = Namer()
    notes = list(structure.notes)
    roles = {part.role for part in structure.parts}
    # The year reported on: from the title, the opening, the achievements; a year found only in
    # the plans is the year after it.
    past = structure.title + "".join(structure.preface) + "".join(
        p.heading + "".join(p.paragraphs[:1]) for p in structure.parts if p.role in ("profile", "achievements"))
    future = "".join(p.heading for p in structure.parts if p.role in ("plans", "merged"))
    year_match, plan_match = _YEAR.search(past), _YEAR.search(future)
    if year_match:
        year = int(year_match.group(1))
    elif plan_match:
        year = int(plan_match.group(1)) - 1
    else:
        from reporttool.author.scaffold import default_year

        year = default_year()
        notes.append(f"原文没有写明年度，暂填 {year}，请核对 meta.year")
    year_note = not (year_match or plan_match)
    title = structure.title
    if "半年" in title:
        kind = "half-year"
    elif ("plans" in roles or "merged" in roles) and "汇报" not in title:
        kind = "annual"
    else:
        kind = "special"
    issuer_match = _ISSUER.match(title)
    issuer = issuer_match.group(1) if issuer_match else "____"
    summary = Summary(title, kind)
    out = [f"# yaml-language-server: $schema={schema_path().resolve().as_posix()}",
           f"# 由 reporttool import 从 {source} 导入。标有“导入时请核对”的地方是程序不确定的，请人工确认。",
           "# 正文中的数字已登记为指标并写成【名称】；有错的原文（如“13。7”）照录，reporttool validate 会指出。",
           "schema_version: 1", "", "meta:", f"  title: {q(title)}", f"  issuer: {q(issuer)}"]
    if year_note:
        out.append("  # 导入时请核对：原文没有写明年度")
    out += [f"  year: {year}",
           f"  kind: {kind}", "  # 导入时请核对：原文没有成文日期", f"  date: {year}-12-31"]
    if structure.preface:
        out += ["", "preface: |"] + _block(structure.preface, 2)  # the schema gives a preface no metrics
    for part in _merge_same_roles(structure.parts, notes):
        summary.parts.append((part.role, part.heading))
        if part.role == "merged":
            lines = _merged(part, namer, summary)
        elif part.role == "achievements":
            lines = _achievements(part, namer, summary)
        else:
            lines = _simple(part, namer, summary)
        if part.uncertain:  # said where it applies, and in the list at the top
            notes.append(part.uncertain)
            lines.insert(1, f"# 导入时请核对：{part.uncertain}")
        out += lines
    summary.uncertain = notes
    if notes:
        out[2:2] = [f"# 导入时请核对：{note}" for note in notes]
    return "\n".join(out) + "\n", summary


def _merge_same_roles(parts: list[Part], notes: list[str]) -> list[Part]:
    """The schema has one part per role: a second one becomes a section of the first."""
    kept: dict[str, Part] = {}
    out = []
    for part in parts:
        first = kept.get(part.role)
        if first is None:
            kept[part.role] = part
            out.append(part)
            continue
        first.blocks.append(Block(part.heading, part.paragraphs))
        first.blocks.extend(part.blocks)
        notes.append(f"“{part.heading}”与前面的“{ROLE_NAMES.get(part.role, part.role)}”部分合并为一节")
    return out


def _block(paragraphs: list[str], indent: int) -> list[str]:
    """A | block of the paragraphs, as written."""
    pad = " " * indent
    lines = []
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            if line.strip():
                lines.append(pad + line.strip())
    return lines


def _text(paragraphs: list[str], indent: int, namer: Namer, metrics: list[Extracted]) -> list[str]:
    """A | block of the paragraphs with their numbers turned into references."""
    pad = " " * indent
    lines = []
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            line = line.strip()
            if not line:
                continue
            rewritten, found = extract(line, namer)
            metrics.extend(found)
            lines.append(pad + rewritten)
    return lines


def _metrics_yaml(metrics: list[Extracted], indent: int) -> list[str]:
    if not metrics:
        return []
    pad = " " * indent
    out = [pad + "metrics:"]
    for m in metrics:
        value, unit = format(m.quantity.value, "f"), m.quantity.unit.name
        if not m.referenced:
            out.append(f"{pad}  # 正文中这个数用了“。”作小数点，原文照录；修正后可改为【{m.name}】")
        if m.long or not m.referenced:
            fields = [f"name: {q(m.name)}", f"value: {value}", f"unit: {q(unit)}"]
            if m.quantity.qualifier:
                fields.append(f"qualifier: {m.quantity.qualifier}")
            if m.previous is not None:
                fields += [f"previous: {m.previous}", f"change: {m.change}"]
            if m.numerator:
                fields.append(f"rate: {{numerator: {q(m.numerator)}, denominator: {q(m.denominator)}}}")
            if m.parts:
                fields += [f"parts: [{', '.join(q(p) for p in m.parts)}]", "partial: true"]
            out.append(f"{pad}  - {{{', '.join(fields)}}}")
        else:
            out.append(f"{pad}  - {q(m.name)}: {q(_short(m))}")
    return out


def _short(m: Extracted) -> str:
    from reporttool.model.references import quantity_text

    return quantity_text(m.quantity)


def _achievements(part: Part, namer: Namer, summary: Summary) -> list[str]:
    out = ["", "achievements:", f"  heading: {q(part.heading)}"]
    if part.paragraphs:  # the lead before the sections: the schema gives it no metrics
        out += ["  text: |"] + _block(part.paragraphs, 4)
    out.append("  sections:")
    blocks = part.blocks or [Block("____", [])]
    for block in blocks:
        metrics: list[Extracted] = []
        out.append(f"    - heading: {q(block.heading or '____')}")
        if block.paragraphs:
            out += ["      text: |"] + _text(block.paragraphs, 8, namer, metrics)
        out += _metrics_yaml(metrics, 6)
        summary.sections += 1
        summary.metrics += len(metrics)
    return out


def _items(blocks: list[Block], indent: int, namer: Namer, summary: Summary) -> list[str]:
    pad = " " * indent
    out = [pad + "items:"]
    for block in blocks:
        out.append(f"{pad}  - heading: {q(block.heading)}" if block.heading else f"{pad}  -")
        if block.paragraphs:
            out += [f"{pad}    text: |"] + _block(block.paragraphs, indent + 6)
        else:
            out += [f"{pad}    text: \"____\""]
        summary.items += 1
    return out


def _simple(part: Part, namer: Namer, summary: Summary) -> list[str]:
    key = part.role
    out = ["", f"{key}:"] + ([f"  heading: {q(part.heading)}"] if part.heading else [])
    if part.paragraphs:
        if key == "profile":
            metrics: list[Extracted] = []
            out += ["  text: |"] + _text(part.paragraphs, 4, namer, metrics)
            out += _metrics_yaml(metrics, 2)
            summary.metrics += len(metrics)
        else:
            out += ["  text: |"] + _block(part.paragraphs, 4)
    if part.blocks and key != "profile":
        out += _items(part.blocks, 2, namer, summary)
    return out


def _merged(part: Part, namer: Namer, summary: Summary) -> list[str]:
    p_par, p_blocks, bridge, q_par, q_blocks = split_merged(part)
    out = ["", "problems_and_plans:", f"  heading: {q(part.heading)}", "  problems:"]
    if p_par:
        out += ["    text: |"] + _block(p_par, 6)
    if p_blocks:
        out += _items(p_blocks, 4, namer, summary)
    if not p_par and not p_blocks:
        out += ["    text: \"____\""]
    if bridge:
        out += ["  bridge: |"] + _block([bridge], 4)
    out.append("  plans:")
    if q_par:
        out += ["    text: |"] + _block(q_par, 6)
    if q_blocks:
        out += _items(q_blocks, 4, namer, summary)
    if not q_par and not q_blocks:
        summary.uncertain.append("没有找到问题与打算之间的过渡句，全部内容暂作问题")
        out += ["    text: \"____\""]
    return out
