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

    def scaffold_title(self, issuer: str, year: int) -> str:
        """The title a new draft of this kind starts with."""
        return issuer + self.title_pattern.format(year=year, next=year + 1)

    def scaffold_date(self, year: int) -> datetime.date:
        """The 成文日期 a new draft of this kind starts with."""
        if self.date_pattern is None:
            return datetime.date.today()
        offset, month, day = self.date_pattern
        return datetime.date(year + offset, month, day)


KINDS: dict[str, Kind] = {kind.key: kind for kind in (
    Kind("annual", "年度工作总结及下年计划", "年度总结", "annual.xml.j2", True, 1, "{year}年工作总结及{next}年工作计划",
         (1, 1, 10)),
    Kind("special", "专项工作汇报", "专项汇报", "special.xml.j2", False, None, "____专项工作汇报", None),
    Kind("half-year", "半年工作总结", "半年总结", "half-year.xml.j2", False, 0, "{year}年上半年工作总结", (0, 7, 10)),
)}
DEFAULT_KIND = "annual"


def describe(separator: str = "，") -> str:
    """“annual 年度工作总结及下年计划，special …” for help texts and prompts."""
    return separator.join(f"{kind.key} {kind.name}" for kind in KINDS.values())
