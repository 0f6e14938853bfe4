"""Format problems. Reporters only format: every decision was made by the checks."""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from reporttool.problems import Problem, Severity

if TYPE_CHECKING:
    from reporttool.check.baseline import Applied


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


def text(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None, **more) -> str:
    return "\n".join(text_lines(problems, files, quiet=quiet, seconds=seconds, **more))


def text_lines(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None,
               baseline: Applied | None = None) -> Iterator[str]:
    """The text report line by line, so that a large one is written as it is made, never held whole."""
    for p in problems:
        yield f"{_location(p)}: {p.severity.label} [{p.rule}] {p.message}"
        if quiet:
            continue
        if p.source_line is not None and p.line:
            gutter = f"{p.line:>5} | "
            line, column = _window(p.source_line.replace("\t", " "), p.column)
            yield gutter + line
            caret_at = _width(line[:max(column - 1, 0)])
            yield " " * (len(gutter) - 2) + "| " + " " * caret_at + "^"
        if p.hint:
            yield f"      提示：{p.hint}"
    if not quiet:
        c = summary_counts(problems, files)
        took = f"，用时 {seconds:.1f} 秒" if seconds is not None else ""
        if c["errors"] or c["warnings"]:
            yield (f"检查了 {c['files']} 个文件：{c['errors']} 个错误，{c['warnings']} 个警告"
                   f"（{c['files_with_errors']} 个文件有错误）{took}")
        else:
            yield f"检查了 {c['files']} 个文件：没有发现问题{took}"
        yield from baseline_lines(baseline)


def baseline_lines(baseline: Applied | None) -> Iterator[str]:
    """What a baseline did, for people: how many settled findings were hidden, which no longer occur."""
    if baseline is None:
        return
    yield f"按基线跳过了 {len(baseline.settled)} 个已确认的问题"
    if baseline.gone:
        yield (f"基线中有 {len(baseline.gone)} 个已确认的问题不再出现（已改正或数字已变），"
               "可重新运行 reporttool baseline 更新基线：")
        for entry in baseline.gone:
            yield f"  {shown_name(entry.file)} [{entry.rule}] {entry.message}"


def json_report(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None, **more) -> str:
    return "\n".join(json_lines(problems, files, quiet=quiet, seconds=seconds, **more))


def json_lines(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None,
               baseline: Applied | None = None) -> Iterator[str]:
    summary = summary_counts(problems, files)
    if seconds is not None:
        summary["seconds"] = round(seconds, 3)
    # The shape is schemas/validate-output.schema.yaml; `version` changes only when it breaks.
    document: dict = {"format": "reporttool-validate", "version": JSON_VERSION, "summary": summary}
    if baseline is not None:
        document["baseline"] = {"settled": len(baseline.settled),
                                "gone": [{"fingerprint": e.fingerprint, "rule": e.rule, "file": e.file, "path": e.path,
                                          "message": e.message, "reason": e.reason} for e in baseline.gone]}
    document["problems"] = _ITEMS
    yield from _spliced(document, (p.to_dict() for p in problems))


_ITEMS = "\0items\0"  # where _spliced puts the list it writes item by item


def _spliced(document: dict, items: Iterator[dict]) -> Iterator[str]:
    """json.dumps(document, indent=2, ensure_ascii=False) line by line, the value _ITEMS replaced by
    the list `items`, each item encoded as it comes: the same text, never the whole in memory."""
    head, _, tail = json.dumps(document, ensure_ascii=False, indent=2).partition(json.dumps(_ITEMS))
    *before, opening = head.split("\n")
    yield from before
    indent = " " * (len(opening) - len(opening.lstrip(" ")) + 2)
    first = next(items, None)
    if first is None:
        yield opening + "[]" + tail.split("\n")[0]
    else:
        yield opening + "["
        previous = first
        for item in items:
            yield from _indented(previous, indent, ",")
            previous = item
        yield from _indented(previous, indent, "")
        yield indent[:-2] + "]" + tail.split("\n")[0]
    yield from tail.split("\n")[1:]


def _indented(item: dict, indent: str, end: str) -> Iterator[str]:
    lines = json.dumps(item, ensure_ascii=False, indent=2).split("\n")
    for line in lines[:-1]:
        yield indent + line
    yield indent + lines[-1] + end


JSON_VERSION = 1


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


GITHUB_SHOWN = 10  # GitHub shows the first 10 error and the first 10 warning annotations of a step


def github(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None, **more) -> str:
    return "\n".join(github_lines(problems, files, quiet=quiet, seconds=seconds, **more))


def github_lines(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None,
                 baseline: Applied | None = None) -> Iterator[str]:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    if errors > GITHUB_SHOWN or warnings > GITHUB_SHOWN:  # said first: a notice is not capped with them
        yield "::notice title=reporttool::" + _gh_escape(
            f"GitHub 每个步骤只显示前 {GITHUB_SHOWN} 个错误和前 {GITHUB_SHOWN} 个警告的标注；本次共 {errors} 个错误、"
            f"{warnings} 个警告，完整列表见本步骤的日志、步骤摘要或 SARIF/JUnit 报告")
    for p in problems:
        kind = {"error": "error", "warning": "warning", "info": "notice"}[p.severity.value]
        props = [f"file={_gh_escape(p.file, True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_gh_escape(p.rule, True)}")
        message = p.message + (f"（提示：{p.hint}）" if p.hint else "")
        yield f"::{kind} {','.join(props)}::{_gh_escape(message)}"
    c = summary_counts(problems, files)
    yield f"检查了 {c['files']} 个文件：{c['errors']} 个错误，{c['warnings']} 个警告"
    if baseline is not None and baseline.gone:  # an annotation, so the reviewer sees the baseline is stale
        yield "::notice title=reporttool::" + _gh_escape(list(baseline_lines(baseline))[1])
    yield from baseline_lines(baseline)


def junit(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None, **more) -> str:
    return "\n".join(junit_lines(problems, files, quiet=quiet, seconds=seconds, **more))


def junit_lines(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None,
                baseline: Applied | None = None) -> Iterator[str]:
    """JUnit XML for CI dashboards: one test case per draft; errors fail it, warnings are output."""
    from xml.sax.saxutils import escape, quoteattr

    names = files if isinstance(files, list) else []
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    names = names + [f for f in by_file if f not in names]  # unreadable paths are test cases too
    failed = sum(1 for n in names if any(p.severity is Severity.ERROR for p in by_file.get(n, [])))
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield f'<testsuites name="reporttool" tests="{len(names)}" failures="{failed}" time="{seconds or 0:.3f}">'
    yield (f'  <testsuite name="reporttool validate" tests="{len(names)}" failures="{failed}" errors="0" '
           f'time="{seconds or 0:.3f}">')
    for name in names:
        found = by_file.get(name, [])
        lines = [f"{_location(p)}: {p.severity.label} [{p.rule}] {p.message}" for p in found]
        errors = [p for p in found if p.severity is Severity.ERROR]
        yield f'    <testcase classname="reporttool" name={quoteattr(name)}>'
        if errors:
            yield (f'      <failure message={quoteattr(f"{len(errors)} 个错误")} type="error">'
                   f'{escape(chr(10).join(lines))}</failure>')
        elif lines:
            yield f"      <system-out>{escape(chr(10).join(lines))}</system-out>"
        yield "    </testcase>"
    yield "  </testsuite>"
    yield "</testsuites>"


def sarif(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None, **more) -> str:
    return "\n".join(sarif_lines(problems, files, quiet=quiet, seconds=seconds, **more))


def sarif_lines(problems: list[Problem], files, *, quiet: bool = False, seconds: float | None = None,
                baseline: Applied | None = None) -> Iterator[str]:
    """SARIF 2.1.0 (GitHub code scanning and other static-analysis viewers): one run, the rules
    that occur with their Chinese summary and hint, one result per problem."""
    from urllib.parse import quote

    from reporttool.messages import RULES
    from reporttool.version import __version__

    settled = baseline.settled if baseline is not None else []
    used = sorted({p.rule for p in problems} | {p.rule for p, _ in settled})
    rules = []
    for rule_id in used:
        rule = RULES.get(rule_id)
        entry: dict = {"id": rule_id, "shortDescription": {"text": rule.summary if rule else rule_id}}
        if rule is not None:
            entry["defaultConfiguration"] = {"level": _level(rule.severity)}
            if rule.hint and "{" not in rule.hint:
                entry["help"] = {"text": rule.hint}
        rules.append(entry)
    index = {rule_id: n for n, rule_id in enumerate(used)}

    def result(p: Problem) -> dict:
        location: dict = {"artifactLocation": {"uri": quote(p.file.replace("\\", "/"), safe="/")}}
        if p.line:
            location["region"] = {"startLine": p.line, **({"startColumn": p.column} if p.column else {})}
        found: dict = {"ruleId": p.rule, "ruleIndex": index[p.rule], "level": _level(p.severity),
                       "message": {"text": p.message + (f"（提示：{p.hint}）" if p.hint else "")},
                       "locations": [{"physicalLocation": location}]}
        if p.path:
            found["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": p.path}]
        return found

    log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "reporttool", "version": __version__, "rules": rules}},
                     "columnKind": "unicodeCodePoints", "results": _ITEMS}]}
    def suppressed(p: Problem, entry) -> dict:  # SARIF's own way to say a reviewer settled it
        found = result(p)
        found["suppressions"] = [{"kind": "external", "status": "accepted",
                                  **({"justification": entry.reason} if entry.reason else {})}]
        return found

    yield from _spliced(log, itertools.chain((result(p) for p in problems), (suppressed(p, e) for p, e in settled)))


def _level(severity: Severity) -> str:
    return {"error": "error", "warning": "warning", "info": "note"}[severity.value]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a | in a file name would end the table cell


def step_summary(problems: list[Problem], files) -> str:
    """The GitHub step summary (markdown): each file with its errors and warnings, then the totals."""
    names = files if isinstance(files, list) else []
    counts: dict[str, list[int]] = {name: [0, 0] for name in names}
    for p in problems:
        if p.severity is not Severity.INFO:
            counts.setdefault(p.file, [0, 0])[0 if p.severity is Severity.ERROR else 1] += 1
    c = summary_counts(problems, files)
    out = ["## reporttool 检查结果", "",
           f"检查了 {c['files']} 个文件：{c['errors']} 个错误，{c['warnings']} 个警告（{c['files_with_errors']} 个文件有错误）", ""]
    shown = [(name, e, w) for name, (e, w) in counts.items() if e or w]
    if shown:
        out += ["| 文件 | 错误 | 警告 |", "|---|---:|---:|"]
        out += [f"| {_cell(shown_name(name))} | {e} | {w} |" for name, e, w in shown]
    return "\n".join(out) + "\n"


# Every format line by line, written as it is made (a batch of 10,000 drafts never holds its report
# whole); FORMATS joins the same lines into one text.
LINES: dict[str, Callable[..., Iterator[str]]] = {"text": text_lines, "json": json_lines, "github": github_lines,
                                                  "junit": junit_lines, "sarif": sarif_lines}
FORMATS: dict[str, Callable[..., str]] = {"text": text, "json": json_report, "github": github, "junit": junit,
                                          "sarif": sarif}
