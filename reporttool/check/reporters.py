"""Format problems. Reporters only format: every decision was made by the checks."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

from reporttool.problems import Problem, Severity


def summary_counts(problems: list[Problem], files: int | list) -> dict:
    files = files if isinstance(files, int) else len(files)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    failed = len({p.file for p in problems if p.severity is Severity.ERROR})
    return {"files": files, "files_with_errors": failed, "errors": errors, "warnings": warnings}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _window(line: str, column: int, size: int = 60) -> tuple[str, int]:
    """Cut a long source line to `size` characters around the column, keeping the caret true."""
    if len(line) <= size:
        return line, column
    start = max(0, min(column - 1 - size // 2, len(line) - size))
    cut = line[start:start + size]
    prefix = "…" if start else ""
    suffix = "…" if start + size < len(line) else ""
    return prefix + cut + suffix, column - start + len(prefix)


def _location(p: Problem) -> str:
    name = shown_name(p.file)
    return f"{name}:{p.line}:{p.column}" if p.line else name



def shown_name(file: str) -> str:
    """A file name as text output may print it: control characters (a newline followed by
    ::error … would be a GitHub Actions command) written as \n, \x1b …, never raw."""
    if not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in file):
        return file
    return "".join(ch.encode("unicode_escape").decode("ascii") if ord(ch) < 0x20 or ord(ch) == 0x7F else ch
                   for ch in file)


def text(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None) -> str:
    out = []
    for p in problems:
        out.append(f"{_location(p)}: {p.severity.label} [{p.rule}] {p.message}")
        if quiet:
            continue
        if p.source_line is not None and p.line:
            gutter = f"{p.line:>5} | "
            line, column = _window(p.source_line.replace("\t", " "), p.column)
            out.append(gutter + line)
            caret_at = _width(line[:max(column - 1, 0)])
            out.append(" " * (len(gutter) - 2) + "| " + " " * caret_at + "^")
        if p.hint:
            out.append(f"      提示：{p.hint}")
    if not quiet:
        c = summary_counts(problems, files)
        took = f"，用时 {seconds:.1f} 秒" if seconds is not None else ""
        if c["errors"] or c["warnings"]:
            out.append(f"检查了 {c['files']} 个文件：{c['errors']} 个错误，{c['warnings']} 个警告"
                       f"（{c['files_with_errors']} 个文件有错误）{took}")
        else:
            out.append(f"检查了 {c['files']} 个文件：没有发现问题{took}")
    return "\n".join(out)


def json_report(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None) -> str:
    summary = summary_counts(problems, files)
    if seconds is not None:
        summary["seconds"] = round(seconds, 3)
    # The shape is schemas/validate-output.schema.yaml; `version` changes only when it breaks.
    return json.dumps({"format": "reporttool-validate", "version": JSON_VERSION, "summary": summary,
                       "problems": [p.to_dict() for p in problems]}, ensure_ascii=False, indent=2)


JSON_VERSION = 1


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None) -> str:
    out = []
    for p in problems:
        kind = "error" if p.severity is Severity.ERROR else "warning"
        props = [f"file={_gh_escape(p.file, True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_gh_escape(p.rule, True)}")
        message = p.message + (f"（提示：{p.hint}）" if p.hint else "")
        out.append(f"::{kind} {','.join(props)}::{_gh_escape(message)}")
    c = summary_counts(problems, files)
    out.append(f"检查了 {c['files']} 个文件：{c['errors']} 个错误，{c['warnings']} 个警告")
    return "\n".join(out)


def junit(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None) -> str:
    """JUnit XML for CI dashboards: one test case per draft; errors fail it, warnings are output."""
    from xml.sax.saxutils import escape, quoteattr

    names = files if isinstance(files, list) else []
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    names = names + [f for f in by_file if f not in names]  # unreadable paths are test cases too
    failed = sum(1 for n in names if any(p.severity is Severity.ERROR for p in by_file.get(n, [])))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="reporttool" tests="{len(names)}" failures="{failed}" time="{seconds or 0:.3f}">',
           f'  <testsuite name="reporttool validate" tests="{len(names)}" failures="{failed}" errors="0" '
           f'time="{seconds or 0:.3f}">']
    for name in names:
        found = by_file.get(name, [])
        lines = [f"{_location(p)}: {p.severity.label} [{p.rule}] {p.message}" for p in found]
        errors = [p for p in found if p.severity is Severity.ERROR]
        out.append(f'    <testcase classname="reporttool" name={quoteattr(name)}>')
        if errors:
            out.append(f'      <failure message={quoteattr(f"{len(errors)} 个错误")} type="error">'
                       f'{escape(chr(10).join(lines))}</failure>')
        elif lines:
            out.append(f"      <system-out>{escape(chr(10).join(lines))}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out)


FORMATS: dict[str, Callable[..., str]] = {"text": text, "json": json_report, "github": github, "junit": junit}
