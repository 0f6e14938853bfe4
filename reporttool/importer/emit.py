"""Nested draft data → YAML text: one emitter, indentation from nesting depth (two spaces a level).

The draft is built as plain dicts, lists and scalars. Three markers say how a value is written:
`Node` carries the comment lines that go before (and after) a mapping entry or a list item,
`Prose` is text written as a `|` block scalar (IME slips cannot damage it there, DESIGN §7), and
`Flow` is a short mapping written on one line (`{name: "…", value: 13.7, unit: "%"}`).
Strings are double-quoted with JSON escapes, which YAML reads back unchanged; nothing is folded.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_STEP = "  "
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # identifiers such as `annual`: written bare
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # read as booleans or null
_LEADING_TAB = re.compile(r"^ *\t", re.MULTILINE)
# Not printable in YAML, or a line break to a YAML 1.1 reader: escaped in quoted text, never in a block.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


@dataclass
class Node:
    """A value with comment lines (text without the “# ”) before and after the entry holding it."""

    value: Any
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


class Prose(str):
    """Text written as a `|` block scalar."""


class Flow(dict):
    """A mapping of scalars (and flow collections) written on one line."""


def plain(value: Any) -> Any:
    """The data without markers: what reporttool's loader gives back for the emitted text (it keeps
    dates as text)."""
    if isinstance(value, Node):
        return plain(value.value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def emit(data: dict, header: Sequence[str] = ()) -> str:
    """The YAML text of a document: header comments, then top-level entries with a blank line between."""
    lines = [line for text in header for line in _comment(text, 0)]
    lines += _mapping(data, 0, gap=True) if data else ["{}"]  # an empty document would load as nothing
    return "\n".join(lines) + "\n"


def _comment(text: str, depth: int) -> list[str]:
    # a break inside a comment would turn the rest of it into data
    return [f"{_STEP * depth}# {_UNSAFE.sub('', line)}".rstrip() for line in text.splitlines() or [""]]


def _unwrap(value: Any) -> tuple[Any, list[str], list[str]]:
    before: list[str] = []
    after: list[str] = []
    while isinstance(value, Node):  # a node in a node: the outer comments stand outside
        before, after, value = before + value.before, value.after + after, value.value
    return value, before, after


def _mapping(data: dict, depth: int, gap: bool = False) -> list[str]:
    lines: list[str] = []
    pad = _STEP * depth
    for index, (key, raw) in enumerate(data.items()):
        value, before, after = _unwrap(raw)
        if gap and index:
            lines.append("")
        lines += [line for text in before for line in _comment(text, depth)]
        head = f"{pad}{_scalar(key)}:"
        if isinstance(value, Prose) and _block_safe(value):
            lines += [f"{head} {_block_header(value)}"] + _block_lines(value, depth + 1)
        elif isinstance(value, dict) and value and not isinstance(value, Flow):
            lines += [head] + _mapping(value, depth + 1)
        elif isinstance(value, list) and value:
            lines += [head] + _sequence(value, depth + 1)
        else:
            lines.append(f"{head} {_inline(value)}")
        lines += [line for text in after for line in _comment(text, depth)]
    return lines


def _sequence(items: list, depth: int) -> list[str]:
    lines: list[str] = []
    pad = _STEP * depth
    for raw in items:
        value, before, after = _unwrap(raw)
        lines += [line for text in before for line in _comment(text, depth)]
        if isinstance(value, Prose) and _block_safe(value):
            lines += [f"{pad}- {_block_header(value)}"] + _block_lines(value, depth + 1)
        elif (isinstance(value, dict) and value and not isinstance(value, Flow)) or (isinstance(value, list) and value):
            inner = _mapping(value, depth + 1) if isinstance(value, dict) else _sequence(value, depth + 1)
            if inner[0].lstrip().startswith("#"):  # the first entry's comment: the dash stands alone
                lines += [f"{pad}-"] + inner
            else:  # the first entry shares the dash's line, at the same column as the rest
                lines += [f"{pad}- {inner[0][len(pad) + len(_STEP):]}"] + inner[1:]
        else:
            lines.append(f"{pad}- {_inline(value)}")
        lines += [line for text in after for line in _comment(text, depth)]
    return lines


def _inline(value: Any) -> str:
    """A scalar, or a collection in flow style (comments cannot be kept inside one)."""
    if isinstance(value, Node):
        raise ValueError("comments cannot be placed inside a flow collection")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(key)}: {_inline(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a YAML number: {value}")
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
            return value
        return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(str(value), ensure_ascii=False))
    raise TypeError(f"cannot write {type(value).__name__} to a draft")


def _block_safe(text: str) -> bool:
    """Whether a | block gives the text back exactly and loads without a finding (else it is quoted).
    reporttool's loader rejects a tab in a line's leading whitespace, even in a block; text ending
    in several line breaks would need |+, which also keeps any blank line written after it."""
    return (bool(text.strip()) and "\r" not in text and not text.endswith("\n\n")
            and not _UNSAFE.search(text) and not _LEADING_TAB.search(text))


def _block_header(text: str) -> str:
    # An indentation indicator when the text itself starts with spaces (YAML would take them as
    # indentation); “-” for text without a final line break.
    indicator = str(len(_STEP)) if text.lstrip("\n").startswith(" ") else ""
    return "|" + indicator + ("" if text.endswith("\n") else "-")


def _block_lines(text: str, depth: int) -> list[str]:
    pad = _STEP * depth
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # the final break ends the last line; it is no line of its own
    return [pad + line if line else "" for line in lines]
