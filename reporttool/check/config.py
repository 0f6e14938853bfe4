"""Project configuration and inline suppression of rule findings.

A project turns rules off or changes their severity in `reporttool.toml`:

    [rules]
    "text/unlinked-number" = "off"        # off | warning | error
    "text/*" = "warning"                  # a whole family

or in `pyproject.toml` under `[tool.reporttool.rules]`; it adds measure words the unit table
lacks under `[units]` ("台套" = {base = "台"}). The nearest file above a draft wins.
A comment `# reporttool: disable=text/placeholder` silences rules on one node: on the node's
key line, or on its own line just before it.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from reporttool import messages
from reporttool.problems import Problem, Severity

if TYPE_CHECKING:
    from reporttool.load.parse import Loaded
    from reporttool.model.units import UnitTable

# Only findings of the rule engine can be configured: a broken file or schema stays broken.
CONFIGURABLE = ("metric/", "text/", "structure/", "date/", "history/", "rollup/")
_LEVELS = {"off": None, "warning": Severity.WARNING, "error": Severity.ERROR,
           "关闭": None, "警告": Severity.WARNING, "错误": Severity.ERROR}


class ConfigError(Exception):
    """A project file that cannot be used; `line`/`column` where the file says so (0: no place)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class Config:
    """Rule levels set by a project file."""

    source: str | None = None
    levels: dict = field(default_factory=dict)  # rule id or "family/*" → Severity | None
    units: UnitTable | None = field(default=None, compare=False)  # the shipped table plus [units]
    # (path, reason) of each broken pyproject.toml passed over on the way to this one (config/ignored)
    ignored: tuple[tuple[str, str], ...] = ()

    def level(self, rule: str, default: Severity) -> Severity | None:
        if rule in self.levels:
            return self.levels[rule]
        family = rule.split("/", 1)[0] + "/*"
        return self.levels.get(family, default)


DEFAULT = Config()


def load(path: str) -> Config:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ConfigError(f"无法读取 {path}：{messages.os_reason(exc)}") from exc
    import tomllib  # here: a cached re-run without a project file never parses TOML

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} 不是 UTF-8 编码（第{exc.start + 1}字节），请另存为 UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        reason, line, column = messages.toml_reason(exc)
        raise ConfigError(f"{path} 不是有效的 TOML：{reason}" + (f"（第{line}行第{column}列）" if line else ""),
                          line, column) from exc
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        data = tool.get("reporttool", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}：[tool.reporttool] 应为表")
    rules = data.get("rules", {})
    unknown = set(data) - {"rules", "units"}
    if unknown:
        raise ConfigError(f"{path}：不认识的设置 {'、'.join(sorted(unknown))}（可用：rules、units）")
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}：rules 应为表（[rules]）")
    levels = {}
    for rule, level in rules.items():
        family = rule.endswith("/*") and any(rule[:-1] == prefix for prefix in CONFIGURABLE)
        if not family and rule not in messages.RULES:
            import difflib

            close = difflib.get_close_matches(rule, list(messages.RULES), n=1)
            hint = f"，是否应为“{close[0]}”？" if close else ""
            raise ConfigError(f"{path}：没有规则“{rule}”{hint}（reporttool rules 列出全部规则）")
        if not rule.startswith(CONFIGURABLE):
            raise ConfigError(f"{path}：规则“{rule}”不能关闭或改级别（只有 metric/、text/、structure/、date/ 规则可以）")
        if not isinstance(level, str) or level not in _LEVELS:
            raise ConfigError(f"{path}：规则“{rule}”的级别“{level}”无效（可用：off、warning、error）")
        levels[rule] = _LEVELS[level]
    return Config(path, levels, _units(path, data.get("units", {})))


def _units(path: str, spec: object) -> UnitTable | None:
    """[units]: "幅" = "count" (a measure word of its own), or "台套" = {base = "台"},
    "万册" = {base = "册", factor = 10000}, "人日" = {kind = "count"}."""
    from decimal import Decimal, InvalidOperation

    from reporttool.model import units

    if not isinstance(spec, dict):
        raise ConfigError(f"{path}：units 应为表（[units]）")
    if not spec:
        return None
    extra = []
    for name, value in spec.items():
        if isinstance(value, str):
            value = {"kind": value}
        if not isinstance(value, dict) or set(value) - {"kind", "base", "factor"} or not value:
            raise ConfigError(f"{path}：单位“{name}”应写成种类名（如 \"count\"）或 {{kind = …, base = …, factor = …}}")
        base = value.get("base")
        kind = value.get("kind")
        if base is not None and not isinstance(base, str) or kind is not None and not isinstance(kind, str):
            raise ConfigError(f"{path}：单位“{name}”的 kind 和 base 应为文字")
        if kind is None:
            parent = units.table().lookup(base) if base else None
            if parent is None:
                raise ConfigError(f"{path}：单位“{name}”需要 kind（种类）或已有的 base（基本单位）")
            kind = parent.kind.name
        factor = value.get("factor", 1)
        try:
            number = Decimal(str(factor)) if isinstance(factor, int | float) and not isinstance(factor, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number > 0:
            raise ConfigError(f"{path}：单位“{name}”的 factor 应为正数")
        extra.append((str(name), kind, base, number))
    try:
        return units.extended(tuple(extra))
    except ValueError as exc:
        raise ConfigError(f"{path}：{exc}") from exc


def find(directory: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The nearest reporttool.toml, or pyproject.toml with [tool.reporttool], at or above `directory`;
    and the broken pyproject.toml files (path, reason) the search went past on the way, whose
    [tool.reporttool], if they have one, therefore does not apply.

    Looked up afresh each time (a few stats), so a long-running program sees config files come and go.
    """
    directory = os.path.abspath(directory)
    passed: list[tuple[str, str]] = []
    while True:
        candidate = os.path.join(directory, "reporttool.toml")
        if os.path.isfile(candidate):
            return candidate, tuple(passed)
        pyproject = os.path.join(directory, "pyproject.toml")
        try:
            info = os.stat(pyproject)
        except OSError:
            info = None
        if info is not None:
            verdict = _declares_reporttool(pyproject, info.st_mtime_ns, info.st_size)
            if verdict is True:
                return pyproject, tuple(passed)
            if isinstance(verdict, str):
                passed.append((pyproject, verdict))
        parent = os.path.dirname(directory)
        if parent == directory:
            return None, tuple(passed)
        directory = parent


@functools.lru_cache(maxsize=256)
def _declares_reporttool(path: str, mtime_ns: int, size: int) -> bool | str:
    """Whether a pyproject.toml has [tool.reporttool]; for one that cannot be read, why (a str)."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            tool = tomllib.loads(handle.read().decode("utf-8")).get("tool")
    except OSError as exc:
        return messages.os_reason(exc)
    except UnicodeDecodeError:
        return "不是 UTF-8 编码"
    except tomllib.TOMLDecodeError as exc:
        reason, line, _ = messages.toml_reason(exc)
        return f"不是有效的 TOML：{reason}" + (f"，第{line}行" if line else "")
    return isinstance(tool, dict) and "reporttool" in tool


def apply(problems: list[Problem], config: Config, loaded: Loaded | None) -> list[Problem]:
    """Drop or re-grade rule findings as configured, then honour inline suppressions; say which
    broken pyproject.toml files the configuration search passed over (config/ignored, a note)."""
    out = [messages.make("config/ignored", loaded.file if loaded is not None else path, pyproject=path, reason=reason)
           for path, reason in config.ignored]
    suppressed = _suppressions(loaded) if loaded is not None and "reporttool:" in loaded.text else []
    for p in problems:
        if p.rule.startswith(CONFIGURABLE):
            level = config.level(p.rule, p.severity)
            if level is None:
                continue
            if any(first <= p.line <= last and (rules is None or p.rule in rules or
                                                p.rule.split("/")[0] + "/*" in rules)
                   for first, last, rules in suppressed):
                continue
            if level is not p.severity:
                p = replace(p, severity=level)
        out.append(p)
    return out


_DISABLE = re.compile(r"#[ \t]*reporttool:[ \t]*disable(?:[ \t]*=[ \t]*([A-Za-z/*, \t-]+))?")


def _suppressions(loaded: Loaded) -> list[tuple[int, int, frozenset | None]]:
    text = loaded.text
    blocks = []  # spans of prose: a "# reporttool:" there is text, not a comment
    for p in loaded.positions.values():
        if p.style in ("|", ">"):
            blocks.append((text.find("\n", p.start), p.end))  # the header line may carry a comment
        elif p.style in ('"', "'"):
            blocks.append((p.start, p.end))
    out = []
    for match in _DISABLE.finditer(text):
        if any(start < match.start() < end for start, end in blocks):
            continue  # "# reporttool:" written inside prose is prose
        rules = None
        if match.group(1):
            rules = frozenset(r.strip() for r in match.group(1).split(",") if r.strip())
        line, _ = loaded.lines.line_col(match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        own_line = text[line_start:match.start()].strip() == ""
        target = line + 1 if own_line else line
        if own_line:
            lines = text.split("\n")
            while target <= len(lines) and (not lines[target - 1].strip() or lines[target - 1].lstrip().startswith("#")):
                target += 1
        # A comment on its own line covers the whole node that starts below it (a section, say);
        # a comment at the end of a line covers the innermost node on that line.
        spans = [loaded.lines.line_col(max(pos.end - 1, pos.start))[0] for pos in loaded.positions.values()
                 if pos.key_line == target]
        last = (max(spans) if own_line else min(spans)) if spans else target
        out.append((target, max(last, target), rules))
    return out
