"""Structure and dates: empty sections and attachments, repeated headings, title lines, 成文日期 and plan years."""

from __future__ import annotations

import re
from datetime import date

from reporttool.check.rules.context import Context
from reporttool.kinds import KINDS


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
