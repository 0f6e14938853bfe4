"""Settled findings: a baseline file lists the findings a reviewer has accepted, so that a CI run
reports only new ones.

Each finding has a fingerprint made of what it is, not where it stands: the rule, the draft's
path relative to the baseline file, the node's path in the draft and the message's fields (not
line numbers). An edit elsewhere in the draft keeps it; a change of the figures the message
quotes makes a new finding. The same fingerprint may be settled several times (two identical
findings in one list): each settled entry hides one finding.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from reporttool import messages
from reporttool.problems import Problem

FORMAT = 1
DEFAULT_NAME = "reporttool-baseline.yaml"
_HEADER = """\
# reporttool 基线：已确认、暂不修改的问题。reporttool validate --baseline 本文件 时不再报告它们。
# 每条的 reason 可写明确认的理由（谁、为什么）。重新运行 reporttool baseline 时保留已写的理由。
# 指纹由规则、文件、位置（结构中的路径）和问题中的数字、名称算出，与行号无关：
# 草稿别处的修改不影响它；问题中的数字一变，就是新的问题，会重新报告。
"""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    file: str  # relative to the baseline file, with /
    path: str
    message: str
    reason: str = ""


@dataclass
class Baseline:
    source: str  # the baseline file
    entries: list[Entry] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.source))


class BaselineError(Exception):
    """A baseline file that cannot be used; `problems` locate why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def relative(file: str, folder: str) -> str:
    """A draft's name as the baseline holds it: relative to the baseline's folder, with /."""
    try:
        name = os.path.relpath(os.path.abspath(file), folder)
    except ValueError:  # another drive (Windows)
        name = os.path.abspath(file)
    return name.replace(os.sep, "/")


def fingerprint(problem: Problem, folder: str) -> str:
    what = problem.fields or (("message", problem.message),)
    parts = [problem.rule, relative(problem.file, folder), problem.path, *(f"{k}={v}" for k, v in what)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def settleable(problem: Problem) -> bool:
    """Findings in drafts can be settled; a file that cannot be read or a broken config cannot."""
    return not problem.fatal_io and problem.rule not in ("internal/error", "config/invalid")


def entries_for(problems: list[Problem], folder: str, reasons: dict[str, str] | None = None) -> list[Entry]:
    reasons = reasons or {}
    return [Entry(fingerprint(p, folder), p.rule, relative(p.file, folder), p.path, p.message,
                  reasons.get(fingerprint(p, folder), "")) for p in problems if settleable(p)]


def dump(entries: list[Entry]) -> str:
    """The baseline as YAML: strings written as JSON strings (valid YAML double-quoted scalars)."""
    out = [_HEADER + f"version: {FORMAT}", "findings:" + (" []" if not entries else "")]
    for entry in sorted(entries, key=lambda e: (e.file, e.path, e.rule, e.fingerprint)):
        out.append(f"  - fingerprint: {json.dumps(entry.fingerprint)}")
        for key in ("rule", "file", "path", "message", "reason"):
            out.append(f"    {key}: {json.dumps(getattr(entry, key), ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def load(path: str) -> Baseline:
    """Read a baseline file; raises BaselineError with located problems."""
    from reporttool.load.files import read_draft
    from reporttool.load.parse import load_text

    data, problems = read_draft(path, path)
    if data is None:
        raise BaselineError(problems)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BaselineError([_invalid(path, f"不是 UTF-8 编码（第{exc.start + 1}字节）")]) from exc
    loaded = load_text(text, path)
    if loaded.data is None or any(p.severity.value == "error" for p in loaded.problems):
        found = [p for p in loaded.problems if p.severity.value == "error"]
        raise BaselineError([_invalid(path, p.message, p.line, p.column) for p in found[:5]]
                            or [_invalid(path, "不是基线文件")])
    document = loaded.data
    if not isinstance(document, dict) or document.get("version") != FORMAT:
        pos = loaded.pos(("version",)) if isinstance(document, dict) and "version" in document else None
        raise BaselineError([_invalid(path, f"缺少“version: {FORMAT}”（不是 reporttool baseline 写的基线文件？）",
                                      pos.line if pos else 1, pos.column if pos else 1)])
    items = document.get("findings")
    if not isinstance(items, list):
        pos = loaded.pos(("findings",))
        raise BaselineError([_invalid(path, "“findings”应为列表", pos.line, pos.column)])
    entries = []
    for number, item in enumerate(items):
        where = loaded.pos(("findings", number))
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str) \
                or not all(isinstance(item.get(key, ""), str) for key in ("rule", "file", "path", "message", "reason")):
            raise BaselineError([_invalid(path, f"第{number + 1}条应有 fingerprint（文字）及 rule、file、path、"
                                                f"message、reason（文字）", where.line, where.column)])
        entries.append(Entry(item["fingerprint"], item.get("rule", ""), item.get("file", ""), item.get("path", ""),
                             item.get("message", ""), item.get("reason") or ""))
    return Baseline(path, entries)


def _invalid(path: str, detail: str, line: int = 0, column: int = 0) -> Problem:
    return messages.make("baseline/invalid", path, line, column, detail=detail)


@dataclass
class Applied:
    """What a baseline did to a run's findings."""

    kept: list[Problem]  # new findings: reported
    settled: list[tuple[Problem, Entry]]  # hidden, with the entry that settles each
    gone: list[Entry]  # settled findings of the checked drafts that no longer occur


def apply(baseline: Baseline, problems: list[Problem], files: list[str]) -> Applied:
    """Hide the settled findings; each entry hides one finding with its fingerprint."""
    folder = baseline.folder
    waiting: dict[str, list[Entry]] = {}
    for entry in baseline.entries:
        waiting.setdefault(entry.fingerprint, []).append(entry)
    kept, settled = [], []
    for p in problems:
        queue = waiting.get(fingerprint(p, folder)) if settleable(p) else None
        if queue:
            settled.append((p, queue.pop(0)))
        else:
            kept.append(p)
    checked = {relative(f, folder) for f in files}
    gone = [e for queue in waiting.values() for e in queue if e.file in checked]
    return Applied(kept, settled, sorted(gone, key=lambda e: (e.file, e.path, e.rule)))


def reasons_of(path: str) -> dict[str, str]:
    """The reasons written in an existing baseline (kept when it is written again); none if unreadable."""
    try:
        baseline = load(path)
    except BaselineError:
        return {}
    return {e.fingerprint: e.reason for e in baseline.entries if e.reason}
