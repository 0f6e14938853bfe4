"""Structure and dates: empty sections, parts and attachments, repeated headings, title lines, the
layout of parts (headless, in_profile, levels, headings typed with their numbers), 成文日期 and plan years."""

from __future__ import annotations

import re
from datetime import date

from reporttool.check.rules.context import Context
from reporttool.kinds import KINDS
from reporttool.model.report import Block, Part, Report, item_numbering


def empty_and_duplicate_sections(ctx: Context) -> None:
    for part in ctx.report.parts.values():
        seen: dict[str, tuple] = {}
        for block in part.blocks:
            heading = block.heading
            if heading is None:
                continue
            if block.empty and part.role == "achievements":
                ctx.emit("structure/empty-section", heading.path, heading=heading.value)
            title = heading.value.strip()
            if title in seen:
                line = ctx.report.loaded.pos(seen[title]).line
                ctx.emit("structure/duplicate-heading", heading.path, heading=title, first_line=line)
            else:
                seen[title] = heading.path


def attachments(ctx: Context) -> None:
    """An attachment with nothing to print gets no page of its own (never a blank page): say so."""
    has_rows = any(metric.quantity is not None for metric in ctx.report.metrics)
    for attachment in ctx.report.attachments:
        title = attachment.title
        if attachment.indicators and not has_rows and attachment.text is None:
            ctx.emit("structure/empty-attachment", attachment.path + ("indicators",), key=True, variant="no-metrics",
                     hint="在各部分的 metrics 中登记指标，或删去 indicators: true", title=title.value)
        elif attachment.empty:
            ctx.emit("structure/empty-attachment", title.path, title=title.value)


def title_lines(ctx: Context) -> None:
    """The writer's own line breaks must join to the title itself: they choose breaks, not words."""
    report = ctx.report
    found = [(("meta", "title_lines"), report.title_lines, report.title.value)]
    found += [(a.path + ("title_lines",), a.title_lines, a.title.value) for a in report.attachments]
    for path, lines, title in found:
        if lines is None:
            continue
        joined = "".join(line.strip() for line in lines)
        if joined != title.strip():
            ctx.emit("structure/title-lines", path, key=True, joined=joined, title=title)


def report_dates(ctx: Context) -> None:
    report = ctx.report
    try:
        written = date.fromisoformat(report.date)
    except ValueError:
        return  # the schema already reported it
    if written.year < report.year:
        ctx.emit("date/before-period", ("meta", "date"), date=report.date, year=report.year)
    elif written.year > report.year + 1:
        ctx.emit("date/after-period", ("meta", "date"), date=report.date, year=report.year)
    plans = report.parts.get("plans")
    offset = KINDS[report.kind].plan_year_offset
    if offset is not None and plans is not None and plans.heading is not None:
        match = re.search(r"((?:19|20)[0-9]{2})年", plans.heading.value)
        if match and int(match.group(1)) != report.year + offset:
            ctx.emit("date/plan-year", plans.heading.path, match.start(1), found=match.group(1),
                     expected=report.year + offset, kind=KINDS[report.kind].short)


# --- the layout of parts: headless parts, 工作成效 in_profile, levels --------------------------------

ROLE_NAMES = {"profile": "基本情况", "achievements": "工作成效", "problems": "存在问题", "plans": "下一步计划"}


def _merged_half(report: Report, part: Part) -> bool:
    return report.merged and part.role in ("problems", "plans")


def _name(report: Report, part: Part) -> str:
    name = ROLE_NAMES[part.role]
    return f"存在问题及下一步打算中的{name}" if _merged_half(report, part) else f"{name}部分"


def part_headings(ctx: Context) -> None:
    """Headings the layout never prints (a headless part's, 工作成效's when in_profile, the halves'
    of problems_and_plans), and a 工作成效 in_profile with no 基本情况 heading to hang under."""
    report = ctx.report
    for part in report.parts.values():
        heading = part.heading
        if heading is None:
            continue
        if _merged_half(report, part):
            ctx.emit("structure/unused-heading", heading.path, variant="merged", heading=heading.value,
                     hint="把标题写在 problems_and_plans 的 heading 中，或删去这一行")
        elif part.in_profile:
            ctx.emit("structure/unused-heading", heading.path, variant="in-profile", heading=heading.value,
                     hint="删去 heading；要印出工作成效自己的标题，删去 in_profile")
        elif part.headless:
            ctx.emit("structure/unused-heading", heading.path, heading=heading.value)
    if report.merged_headless and report.merged_heading is not None:
        ctx.emit("structure/unused-heading", report.merged_heading.path, heading=report.merged_heading.value)
    achievements = report.parts["achievements"]
    if achievements.in_profile:
        where = achievements.path + ("in_profile",)
        profile = report.parts.get("profile")
        if achievements.headless:
            ctx.emit("structure/in-profile", where, key=True, variant="headless",
                     hint="各节接在基本情况之下时删去 headless；各节本身就是“一、二、”时删去 in_profile")
        elif profile is None:
            ctx.emit("structure/in-profile", where, key=True)
        elif profile.headless:
            ctx.emit("structure/in-profile", where, key=True, variant="headless-profile",
                     hint="给基本情况写上标题（如“基本情况及主要成效”）并删去它的 headless")


def empty_parts(ctx: Context) -> None:
    """A part with neither text nor items prints a lone heading, or nothing at all when headless."""
    report = ctx.report
    for part in report.parts.values():
        if part.text is not None or part.blocks:
            continue
        if _merged_half(report, part):
            effect = "排版时这里什么也不印"
        elif part.headless:
            effect = "本部分又写了 headless: true（无标题），排版时什么也不印"
        else:
            effect = "排版时只印出本部分的标题"
        ctx.emit("structure/empty-part", part.path, key=True, name=_name(report, part), effect=effect)


def headless_items(ctx: Context) -> None:
    """The items of a headless 存在问题 or 下一步计划 printed as （一）（二） paragraphs follow the part
    before with nothing in between: they read as its own items."""
    report = ctx.report
    for part in report.parts.values():
        if part.role not in ("problems", "plans") or not part.blocks:
            continue
        if not (report.merged_headless if _merged_half(report, part) else part.headless):
            continue
        headed = all(block.heading is not None for block in part.blocks) and part.numbering != "run-in"
        if headed or item_numbering(report, part) == "numbered":
            ctx.emit("structure/headless-items", part.path + ("items",), key=True, name=_name(report, part))


def levels(ctx: Context) -> None:
    """Details under the items of a （一） section in numbered paragraphs would stand at a fifth
    level, which GB/T 9704 does not number (the renderer runs them in as ①②)."""
    report = ctx.report
    achievements = report.parts["achievements"]
    if achievements.headless and not achievements.in_profile:
        return  # sections are 一、: items （一）, sub-items 1., details （1）
    for section in achievements.blocks:
        if item_numbering(report, section) != "numbered":
            continue  # run in: details follow their sub-item as ①②, as in any run-in paragraph
        for item in section.items:
            for sub in item.items:
                if sub.items:
                    name = sub.heading.value if sub.heading else _opening(sub.text.value if sub.text else "")
                    ctx.emit("structure/too-deep", sub.path + ("items",), key=True, heading=name)


def _opening(text: str, limit: int = 12) -> str:
    """The first words of a text, to name an item that has no heading."""
    text = "".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"


# A heading that starts with its own number: 一、 （一） 1. （1） 第一，… (not 2026年, 1.5万, 一流, 十四五,
# nor 一、二年级 — numbers listed before what they count).
_OWN_NUMBER = re.compile(r"^\s*([一二三四五六七八九十百]+[、．.](?![一二三四五六七八九十]+(?:年级|类|级|等|批))|[（(][一二三四五六七八九十百]+[）)]|[0-9０-９]+[、．.](?![0-9０-９])"
                         r"|[（(][0-9０-９]+[）)]|[①-⑳]|第[一二三四五六七八九十]+[，,、：:])\s*")


def heading_numbers(ctx: Context) -> None:
    """The template numbers every heading by its level: a heading typed with its number prints it twice."""
    report = ctx.report
    headings = [part.heading for part in report.parts.values()] + [report.merged_heading]

    def walk(blocks: list[Block]) -> None:
        for block in blocks:
            headings.append(block.heading)
            walk(block.items)

    for part in report.parts.values():
        walk(part.blocks)
    for heading in headings:
        if heading is None:
            continue
        match = _OWN_NUMBER.match(heading.value)
        if match:
            number = match.group(1)
            ctx.emit("structure/heading-number", heading.path, match.start(1), heading=heading.value, number=number)
