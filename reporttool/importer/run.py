"""`reporttool import`: one source file → one draft per report in it."""

from __future__ import annotations

import os

from reporttool.importer.draft import Summary, to_yaml
from reporttool.importer.read import read_paragraphs, split_reports
from reporttool.importer.structure import structure


def import_file(path: str) -> list[tuple[str, Summary, list[str]]]:
    """(draft YAML, summary, source paragraphs) for each report in the file."""
    out = []
    for title, paragraphs in split_reports(read_paragraphs(path)):
        found = structure(paragraphs, title)
        text, summary = to_yaml(found, os.path.basename(path))
        # the report's own text (page furniture and repeated titles removed): what must survive
        source = ([found.title] if found.title != "____" else []) + found.body
        out.append((text, summary, source))
    return out


def output_names(path: str, output: str | None, count: int) -> list[str]:
    base = output or os.path.splitext(path)[0] + ".yaml"
    if count == 1:
        return [base]
    stem, ext = os.path.splitext(base)
    return [f"{stem}-{n}{ext or '.yaml'}" for n in range(1, count + 1)]
