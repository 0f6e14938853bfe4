"""The rule engine: the checks named in REGISTRY read the model and emit located problems.

Every rule id the engine emits, its severity and its Chinese wording live in reporttool.messages;
REGISTRY says which check emits it. Configuration (off / severity) and inline suppression are
applied by reporttool.check.config after all checks ran. Each rule has a failing and a passing
example in examples.yaml; reporttool.check.explain turns them into a Chinese explanation.
"""

from __future__ import annotations

from collections.abc import Callable

from reporttool.check.rules import masthead, metrics, structure, text
from reporttool.check.rules.context import Context
from reporttool.model.report import Report
from reporttool.problems import Problem

Check = Callable[[Context], None]

# Every rule id the engine emits → the one check that emits it. An id with no check here cannot
# be reported; a check emitting an id not given to it here fails (Context.emit). A test holds
# these ids to the metric/ text/ structure/ date/ rules of reporttool.messages.
REGISTRY: dict[str, Check] = {
    "metric/value": metrics.metric_values,
    "metric/unknown-unit": metrics.metric_values,
    "metric/integer": metrics.metric_values,
    "metric/range": metrics.metric_values,
    "metric/parts-sum": metrics.relations,
    "metric/part-exceeds": metrics.relations,
    "metric/parts-unit": metrics.relations,
    "metric/at-most": metrics.relations,
    "metric/same-as": metrics.relations,
    "metric/rate": metrics.relations,
    "metric/change": metrics.relations,
    "metric/growth": metrics.relations,
    "metric/target-deadline": metrics.relations,
    "metric/target-period": metrics.relations,
    "metric/announced-count": metrics.announced_counts,
    "metric/class-size": metrics.plausibility,
    "metric/pupil-teacher": metrics.plausibility,
    "metric/ref": metrics.references,
    "metric/ref-ambiguous": metrics.references,
    "text/unlinked-number": metrics.unlinked_numbers,
    "structure/empty-section": structure.empty_and_duplicate_sections,
    "structure/duplicate-heading": structure.empty_and_duplicate_sections,
    "structure/empty-attachment": structure.attachments,
    "structure/title-lines": structure.title_lines,
    "structure/unused-heading": structure.part_headings,
    "structure/in-profile": structure.part_headings,
    "structure/empty-part": structure.empty_parts,
    "structure/headless-items": structure.headless_items,
    "structure/too-deep": structure.levels,
    "structure/heading-number": structure.heading_numbers,
    "meta/doc-number": masthead.doc_number,
    "meta/signer": masthead.signer,
    "meta/print-date": masthead.print_date,
    "date/before-period": structure.report_dates,
    "date/after-period": structure.report_dates,
    "date/plan-year": structure.report_dates,
    "text/placeholder": text.placeholders,
    "text/decimal-point": text.decimal_points,
    "text/fullwidth-digit": text.fullwidth_digits,
    "text/date": text.prose_dates,
    "text/halfwidth-punct": text.halfwidth_punctuation,
    "text/unbalanced": text.balanced_pairs,
    "text/sequence": text.sequences,
}

# Each check once, in the order the table first names it.
CHECKS: tuple[Check, ...] = tuple(dict.fromkeys(REGISTRY.values()))


def run(report: Report) -> list[Problem]:
    context = Context(report, registry=REGISTRY)
    for fn in CHECKS:
        context.check = fn
        fn(context)
    return context.problems


__all__ = ["CHECKS", "Check", "Context", "REGISTRY", "run"]
