"""`reporttool new`: a commented draft to fill in, written without ever replacing a file."""

from __future__ import annotations

import datetime
import json
import os

from reporttool.kinds import KINDS, describe
from reporttool.resources import templates_dir


def scaffold(kind: str, issuer: str | None, year: int, file_name: str) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a safe YAML scalar
    issuer = issuer or "____县教育局"
    info = KINDS[kind]
    return env.get_template("scaffold.yaml.j2").render(
        kind=kind, info=info, kind_title=info.name, kinds=describe(), issuer=issuer,
        headings=info.scaffold_headings(year), example_title=info.scaffold_title("某县教育局", year),
        deadline_year=year + (info.plan_year_offset or 0),
        title=info.scaffold_title(issuer, year), year=year, date=info.scaffold_date(year).isoformat(), modeline=_modeline(), file_name=file_name)


MODELINE = "# yaml-language-server: $schema=./{name}"  # relative: it works wherever the folder is copied


def write_new(path: str, text: str, force: bool) -> None:
    """Create `path`; an existing file is only replaced with `force`. Either way the file appears
    whole or not at all (a full disk leaves no empty draft that a re-run would call 文件已存在).
    The editor's schema is written beside it (the draft's modeline names it relatively)."""
    from reporttool.atomic import create_atomically, write_bytes_atomically

    data = text.encode("utf-8")
    if force:
        write_bytes_atomically(path, data)
    else:
        create_atomically(path, data)
    write_editor_schema(os.path.dirname(os.path.abspath(path)))


def write_editor_schema(directory: str) -> str:
    """`work-report.schema.json` in `directory`, UTF-8, written when missing or out of date."""
    from reporttool.atomic import write_bytes_atomically
    from reporttool.check.schema import EDITOR_FILE, editor_json

    target = os.path.join(directory, EDITOR_FILE)
    data = editor_json().encode("utf-8")
    try:
        with open(target, "rb") as handle:
            if handle.read() == data:
                return target
    except OSError:
        pass
    write_bytes_atomically(target, data)
    return target


def _modeline() -> str:
    from reporttool.check.schema import EDITOR_FILE

    return MODELINE.format(name=EDITOR_FILE)


def default_year() -> int:
    today = datetime.date.today()
    return today.year if today.month >= 6 else today.year - 1
