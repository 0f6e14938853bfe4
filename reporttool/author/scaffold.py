"""`reporttool new`: a commented draft to fill in, written without ever replacing a file."""

from __future__ import annotations

import datetime
import json

from reporttool.kinds import KINDS, describe
from reporttool.resources import schema_path, templates_dir


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
        title=info.scaffold_title(issuer, year), year=year, date=info.scaffold_date(year).isoformat(), schema_path=schema_path().resolve().as_posix(), file_name=file_name)


def write_new(path: str, text: str, force: bool) -> None:
    """Create `path`; an existing file is only replaced with `force`. Either way the file appears
    whole or not at all (a full disk leaves no empty draft that a re-run would call 文件已存在)."""
    from reporttool.atomic import create_atomically, write_bytes_atomically

    data = text.encode("utf-8")
    if force:
        write_bytes_atomically(path, data)
    else:
        create_atomically(path, data)


def default_year() -> int:
    today = datetime.date.today()
    return today.year if today.month >= 6 else today.year - 1
