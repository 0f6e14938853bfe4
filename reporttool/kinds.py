"""The report kinds: one table read by the CLI's choices, compose, the scaffold and the rules.

The schema (schemas/work-report.schema.yaml) states the same kinds for editors; a test holds its
enum, titles and required parts to this table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of report and what follows from it."""

    key: str  # the value of meta.kind
    name: str  # Chinese name, shown in help, prompts and the scaffold
    short: str  # the short name messages use (年度总结)
    template: str  # the Jinja template that renders it
    requires_plans: bool  # must hold plans (or problems_and_plans)
    plan_year_offset: int | None  # plans (and their targets) are for year + offset; None: after the 成文日期
    title_pattern: str  # a new draft's title after the issuer: {year}, {next} = year + 1
    date_pattern: tuple[int, int, int] | None  # a new draft's 成文日期: (year offset, month, day); None: today
    period: str | None  # the period a new draft names (上半年), None for the whole year or no period
    achievements_pattern: str  # a new draft's 工作成效 heading: {year}, {next}
    plans_pattern: str | None  # its 下一步计划 heading; None: problems and plans merged in one part
    profile: bool  # a new draft starts with 基本情况

    def scaffold_title(self, issuer: str, year: int) -> str:
        """The title a new draft of this kind starts with."""
        return issuer + self.title_pattern.format(year=year, next=year + 1)

    def scaffold_headings(self, year: int) -> tuple[str, str | None]:
        """The 工作成效 and 下一步计划 headings a new draft starts with (plans None when merged)."""
        plans = self.plans_pattern.format(year=year, next=year + 1) if self.plans_pattern else None
        return self.achievements_pattern.format(year=year, next=year + 1), plans

    def scaffold_date(self, year: int) -> datetime.date:
        """The 成文日期 a new draft of this kind starts with."""
        if self.date_pattern is None:
            return datetime.date.today()
        offset, month, day = self.date_pattern
        return datetime.date(year + offset, month, day)


KINDS: dict[str, Kind] = {kind.key: kind for kind in (
    Kind("annual", "年度工作总结及下年计划", "年度总结", "annual.xml.j2", True, 1, "{year}年工作总结及{next}年工作计划",
         (1, 1, 10), None, "{year}年工作成效", "{next}年工作计划", False),
    Kind("special", "专项工作汇报", "专项汇报", "special.xml.j2", False, None, "____专项工作汇报", None,
         None, "主要工作做法及成效", None, True),
    Kind("half-year", "半年工作总结", "半年总结", "half-year.xml.j2", False, 0, "{year}年上半年工作总结", (0, 7, 10),
         "上半年", "上半年工作落实情况", "下半年工作打算", False),
)}
DEFAULT_KIND = "annual"


def describe(separator: str = "，") -> str:
    """“annual 年度工作总结及下年计划，special …” for help texts and prompts."""
    return separator.join(f"{kind.key} {kind.name}" for kind in KINDS.values())


def find(text: str) -> Kind | None:
    """The kind a writer means: its key (annual), its name, its short name (年度总结) or the
    short name's first two characters (年度, 专项, 半年)."""
    text = text.strip()
    for kind in KINDS.values():
        if text in (kind.key, kind.name, kind.short, kind.short[:2]):
            return kind
    return None
