"""The 版头 and 版记 fields (GB/T 9704 7.2, 7.4): the 发文字号's form, the 签发人 of an upward
report, a 印发日期 before the 成文日期."""

from __future__ import annotations

import re
from datetime import date

from reporttool.check.rules.context import Context

_YEAR_IN = re.compile(r"([〔【\[（(［])\s*([0-9]{2,4})\s*([〕】\]）)］])")
_WHOLE = re.compile(r"^\S+〔[0-9]{4}〕[1-9][0-9]*号$")


def doc_number(ctx: Context) -> None:
    """机关代字〔2026〕12号: the year in 〔〕 written in full, the number without 第 or leading zeros."""
    text = ctx.report.doc_number
    if text is None or _WHOLE.match(text.value.strip()):
        return
    value = text.value.strip()
    year = _YEAR_IN.search(value)
    if year and (year.group(1), year.group(3)) != ("〔", "〕"):
        ctx.emit("meta/doc-number", text.path, variant="brackets", value=value, found=year.group(1) + year.group(3))
    elif year and len(year.group(2)) != 4:
        ctx.emit("meta/doc-number", text.path, variant="year", value=value, found=year.group(2))
    elif re.search(r"〕\s*第", value):
        ctx.emit("meta/doc-number", text.path, variant="di", value=value)
    elif re.search(r"〕\s*0[0-9]*号", value):
        ctx.emit("meta/doc-number", text.path, variant="zero", value=value)
    else:
        ctx.emit("meta/doc-number", text.path, value=value)


def signer(ctx: Context) -> None:
    """A 报告 with a 发文字号 to a 主送机关 goes up to a superior (上行文): it names its 签发人 (7.2.6)."""
    report = ctx.report
    if report.doc_number is not None and report.recipient is not None and report.signer is None:
        ctx.emit("meta/signer", report.doc_number.path, key=True, recipient=report.recipient.value)


def print_date(ctx: Context) -> None:
    report = ctx.report
    if report.print_date is None:
        return
    try:
        printed, written = date.fromisoformat(report.print_date), date.fromisoformat(report.date)
    except ValueError:
        return  # the schema reports a malformed date; “____” waits for the writer
    if printed < written:
        ctx.emit("meta/print-date", ("meta", "print_date"), printed=report.print_date, written=report.date)
