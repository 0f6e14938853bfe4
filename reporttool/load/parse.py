"""Text → plain data plus the line/column of every node, or located problems.

Validation needs positions, not round-trip features: data is built here from the parser's
events (libyaml's, from ruamel.yaml.clib, or ruamel's pure parser where it is missing), reading
no further than MAX_DEPTH levels, so no input reaches the C composer that crashes at ~30 000
levels. Plain scalars are resolved here (YAML 1.2 core schema,
timestamps left as text, numbers as int/Decimal) so no constructor can raise on odd input.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Final, NamedTuple, NoReturn, Protocol

from reporttool import messages
from reporttool.problems import Problem, Severity

_c_composer: type[_CComposer] | None  # libyaml's event parser, None where ruamel.yaml.clib is missing
try:  # the C parser is an optional part of ruamel.yaml
    from ruamel.yaml.cyaml import CParser as _CParser
    from ruamel.yaml.resolver import BaseResolver as _BaseResolver

    class _CComposer(_CParser, _BaseResolver):
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            _BaseResolver.__init__(self)

        def resolve(self, kind, value, implicit):
            # Tags are never read: plain scalars are resolved by _Builder, explicit tags rejected.
            return "?"

    _c_composer = _CComposer
except ImportError:  # pragma: no cover - exercised only where clib has no wheel
    _c_composer = None

MAX_DEPTH = 32  # real drafts use at most 8 levels
MAX_NUMBER_CHARS = 60

Path = tuple  # of str keys and int indices


class Pos(NamedTuple):  # a tuple: one is made for every node, so creation must be cheap
    line: int  # 1-based position of the value
    column: int
    key_line: int  # the key that holds the value (the value itself for list items / root)
    key_column: int
    raw: str | None = None  # source text of a plain scalar (numbers keep their written precision)
    style: str | None = None  # scalars: '' plain, '"', "'", '|', '>'; None for collections
    # Where the node starts and ends in the text (to locate spans inside prose); "start", not
    # "index", which would hide tuple.index.
    start: int = 0
    end: int = 0


# NamedTuple's own __new__ and _replace are Python functions: a tuple made directly costs a third
# (one per node; 2 ms of a typical draft's 12 ms load)
_new_pos = tuple.__new__


@dataclass
class Loaded:
    """A loaded draft: its data, the position of every node, and the problems found."""

    file: str
    text: str
    data: object = None  # dict when a tree was built (maybe with damaged parts), else None
    positions: dict[Path, Pos] = field(default_factory=dict)
    # Paths where the loader already reported a problem: schema errors there are cascades.
    damaged: set[Path] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def line_text(self, line: int) -> str:
        return self.lines.line_text(line)

    def locate(self, path: Path, offset: int) -> tuple[int, int]:
        """Line and column of character `offset` of the string at `path`."""
        index = self.source_index(path, offset)
        if index is None:
            pos = self.pos(path)
            return pos.line, pos.column
        return self.lines.line_col(index)

    @functools.cached_property
    def lines(self) -> LineIndex:
        # Built on first use: rules locate many spans in one draft, most drafts need none.
        return LineIndex(self.text)

    def source_index(self, path: Path, offset: int) -> int | None:
        """Where character `offset` of the string at `path` stands in the text, or None.

        The value is aligned with its source text (skipping indentation, quotes and the block
        header), so positions inside | blocks, folded and quoted text are exact for every
        character the writer typed literally.
        """
        pos = self.pos(path)
        value = value_at(self.data, path)
        if not isinstance(value, str) or pos.style is None or not 0 <= offset < len(value):
            return None
        text = self.text
        j = pos.start
        if pos.style in ("|", ">"):
            j = text.find("\n", j) + 1
        elif pos.style in ('"', "'"):
            j += 1
        end = max(pos.end, j)
        for i, ch in enumerate(value[:offset + 1]):
            k = text.find(ch, j, end)
            if k < 0:
                if ch in " \n":  # folded line breaks: the writer typed a newline, not this space
                    continue
                return None
            j = k
            if i < offset:
                j += 1
        return j

    def pos(self, path: Path) -> Pos:
        """The position of `path`, or of its nearest located ancestor; never raises."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Pos(1, 1, 1, 1))


def value_at(data, path: Path):
    """The value at `path` in loaded data, or None."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def line_text(text: str, line: int) -> str:
    if line < 1:
        return ""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end].rstrip("\r")


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `text[index]`. For one lookup: it scans the
    text up to `index`; many lookups in one text go through a LineIndex."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class LineIndex:
    """line_col for many lookups in one text: the line starts are found once, then bisected
    (scanning from the start for every lookup is quadratic on large or hostile files)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        index = text.find("\n")
        while index >= 0:
            self.starts.append(index + 1)
            index = text.find("\n", index + 1)

    def line_col(self, index: int) -> tuple[int, int]:
        line = bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        """The same as line_text(text, line), without scanning the lines before it."""
        if not 1 <= line <= len(self.starts):
            return ""
        start = self.starts[line - 1]
        if line == len(self.starts):
            return self.text[start:]
        return self.text[start:self.starts[line] - 1].rstrip("\r")


# --- scans on the text before parsing -------------------------------------------------

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_DIRECTIVE = re.compile(r"^%(\S*)[^\S\n]*([^\n#]*)", re.MULTILINE)


def _scan_characters(text: str, file: str) -> list[Problem]:
    problems = []
    for match in _BAD_CHARS.finditer(text):
        ch = match.group()
        line, col = line_col(text, match.start())  # at most 20 lookups: no LineIndex needed
        # a BOM inside the text (the file's own was removed when it was decoded): two files pasted
        # together; the parser would call it bad indentation or a stray character
        rule = ("yaml/line-break-char" if ch in "\x85\u2028\u2029" else "yaml/stray-bom" if ch == "\ufeff"
                else "yaml/control-char")
        problems.append(messages.make(rule, file, line, col, cp=f"U+{ord(ch):04X}",
                                      source_line=messages.visible(line_text(text, line), 200)))
        if len(problems) >= 20:
            break
    return problems


def _scan_directives(text: str, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if "%" not in text:
        return problems
    lines = None  # built at the first directive ("%" is common in prose); a file can hold many
    for match in _DIRECTIVE.finditer(text):
        name, args = match.group(1), match.group(2).strip()
        lines = lines or LineIndex(text)
        line, col = lines.line_col(match.start())
        directive = f"%{name} {args}".strip()
        severity = Severity.WARNING if name == "YAML" and args == "1.2" else None
        problems.append(messages.make("yaml/directive", file, line, col, directive=directive,
                                      severity=severity, source_line=lines.line_text(line)))
    return problems


# --- composing --------------------------------------------------------------------------

_SYNTAX = [
    # (libyaml/ruamel problem text, Chinese detail, hint)
    ("found character that cannot start any token", "此处的字符不能作为值的开头",
     "以 @、`、%、> 等开头的文字请加引号或使用 | 块"),
    ("mapping values are not allowed", "此处不能出现“: ”",
     "值里含有“冒号+空格”时，请给整段加引号或改用 | 块；也可能是上一行缩进不对"),
    ("could not find expected ':'", "缺少“: ”", "键后面要有半角冒号和空格，如“title: 标题”"),
    ("did not find expected key", "缩进不一致，或这一行缺少“键: ”", "同一层级的键必须左对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致", "同一列表的“- ”必须左对齐"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有正确闭合", "检查方括号是否成对，或给含方括号的文字加引号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有正确闭合", "检查花括号是否成对，或给含花括号的文字加引号"),
    ("did not find expected node content", "缺少值", None),
    ("block sequence entries are not allowed", "此处不能开始“- ”列表", "列表应另起一行并缩进"),
    ("found unexpected end of stream", "引号没有闭合", "检查引号是否成对"),
    ("found unknown escape character", "双引号中的反斜杠“\\”转义无效", "改用单引号或 | 块，或写成“\\\\”"),
    ("found invalid Unicode character escape code", "双引号中的 Unicode 转义无效", None),
    ("did not find expected alphabetic or numeric character", "以“&”或“*”开头的文字会被当作锚点或别名",
     "如果“&”“*”是正文，请给整段加引号或改用 | 块"),
    ("found undefined alias", "以“*”开头的值被当作别名", "如果“*”是正文，请加引号或使用 | 块"),
    ("did not find expected comment or line break", "值后面有多余的内容", "值里含有引号时，请把整段放进 | 块"),
    ("found a tab character", "用了制表符（Tab）", None),
    ("while scanning a block scalar", "| 或 > 块的写法不对", "“|”后面应直接换行，内容另起一行并缩进"),
    ("found incompatible YAML document", "不支持的 YAML 版本", None),
    ("expected <document start>", "文档开头之外出现了多余的内容", None),
    ("found undefined tag handle", "使用了未定义的标签", "如果“!”是正文，请加引号或使用 | 块"),
]


def _events(text: str) -> Iterator:
    """The parser's events, read lazily: libyaml's (C) where installed, else ruamel's pure parser.

    libyaml's event parser is a state machine (no recursion: the crash on deep nesting is in the
    C *composer*, which is never used here), and the builder stops reading at MAX_DEPTH, so any
    nesting costs only the events up to that depth (the pure parser, too, is stopped there).
    """
    if _c_composer is not None:
        # get_event answers None after the stream's end: a C-level iterator, no Python frame per
        # event (a generator around check_event/get_event was a fifth of a typical draft's load)
        return iter(_c_composer(text).get_event, None)
    from ruamel.yaml import YAML  # one instance per call: YAML objects are not thread-safe

    return YAML(typ="safe", pure=True).parse(text)


def _syntax_problem(exc: BaseException, text: str, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    source = line_text(text, line)
    problem_text = str(getattr(exc, "problem", "") or "")
    context_text = str(getattr(exc, "context", "") or "")
    offending = source[col - 1:col] if 0 < col <= len(source) else ""
    name = type(exc).__name__
    if name == "ComposerError" and "single document" in context_text:
        return messages.make("yaml/multi-doc", file, line, col, source_line=source)
    if name == "MaxDepthExceededError" or isinstance(exc, RecursionError):
        return messages.make("yaml/depth", file, line, col, limit=MAX_DEPTH, source_line=source)
    if offending == "\t" or "tab character" in problem_text:
        return messages.make("yaml/tab", file, line, col, source_line=source)
    detail, hint = "无法解析", None
    combined = f"{problem_text} {context_text}"
    for needle, zh, zh_hint in _SYNTAX:
        if needle in combined:
            detail, hint = zh, zh_hint
            break
    else:
        if problem_text or context_text:
            hint = f"解析器原文：{combined.strip()}"
    # IME slips are reported by the parser on the line *after* the slip: look at both.
    previous = line_text(text, line - 1)
    for number, candidate in ((line, source), (line - 1, previous)):
        stripped = candidate.lstrip(" ")
        slip = None
        if "：" in candidate and ": " not in candidate and not candidate.rstrip().endswith(":"):
            slip = candidate.index("：")
            detail, hint = "用了全角冒号“：”", "YAML 的键后面需要半角冒号加空格“: ”，如“title: 标题”"
        elif stripped[:2] in ("－ ", "• ", "· ", "— "):
            slip = len(candidate) - len(stripped)
            detail, hint = "列表项的开头符号不对", "列表项要用半角减号加空格“- ”开头"
        if slip is not None:
            line, col, source = number, slip + 1, candidate
            break
    return messages.make("yaml/syntax", file, line, col, detail=detail, hint=hint, source_line=source)


def load_text(text: str, file: str) -> Loaded:
    result = Loaded(file=file, text=text)
    problems = _scan_characters(text, file)
    if problems:  # these characters derail the parser; report them, not its confusion
        result.problems = problems
        return result
    directive_problems = _scan_directives(text, file)
    result.problems.extend(directive_problems)
    builder = _Builder(text, file)
    try:
        data = builder.build(_events(text))
    except _Stop:
        data = None
    except Exception as exc:  # ruamel raises far more than YAMLError (bad-input.md §1.2)
        problem = _syntax_problem(exc, text, file)
        if not (directive_problems and "不支持的 YAML 版本" in problem.message):
            result.problems.append(problem)
        return result
    result.problems.extend(builder.problems)
    if data is None:
        return result
    result.problems.extend(_scan_tabs(text, file, builder.scalar_spans))
    result.positions = builder.positions
    result.damaged = builder.damaged
    if "lines" in builder.__dict__:  # the index the builder made is the loaded text's
        result.__dict__["lines"] = builder.lines
    if not any(p.rule in _FATAL_FOR_DATA for p in result.problems):
        result.data = data
    return result


# Problems after which the tree does not say what the writer wrote, even in part.
_FATAL_FOR_DATA = frozenset(["yaml/tab"])


# --- building plain data ------------------------------------------------------------------

_NULL = frozenset(["", "~", "null", "Null", "NULL"])
_TRUE = frozenset(["true", "True", "TRUE"])
_FALSE = frozenset(["false", "False", "FALSE"])
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OTHER = re.compile(r"0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_SWALLOWED = re.compile(r"[ \t]+#(\S[^\n]*)")
_INVISIBLE = re.compile("[" + "".join(messages.INVISIBLE) + "]")


class _Stop(Exception):
    """Building stops: the problem is recorded (no document, not a mapping, too deep)."""


class _Skip(Enum):
    KEY = "skip"


_SKIP: Final = _Skip.KEY  # the key of a pair whose key was rejected: its value is read and dropped


class _Mark(Protocol):
    """Where an event stands: ruamel's StreamMark, or the C parser's Mark."""

    line: int  # 0-based
    column: int
    index: int


class _Frame:
    __slots__ = ("mapping", "container", "path", "key", "key_mark", "first_seen")

    def __init__(self, mapping: bool, container: dict[str, object] | list[object], path: Path) -> None:
        self.mapping = mapping  # then container is a dict, else a list
        self.container = container
        self.path = path
        self.key: str | _Skip | None = None  # in a mapping: the key read, waiting for its value
        self.key_mark: _Mark | None = None
        self.first_seen: dict[str, tuple[int, int]] = {}


class _Builder:
    """Plain data and positions straight from parser events: no node tree is composed.

    Anchors, aliases and tags are properties of the events, rejected where they stand.
    """

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.positions: dict[Path, Pos] = {}
        self.problems: list[Problem] = []
        self.scalar_spans: list[tuple[int, int]] = []
        self.damaged: set[Path] = set()
        # Lines where a comment follows text (" #"): the only places prose can be swallowed.
        # (counted on from the previous one: from the start each time is quadratic in comments)
        self._comment_lines: set[int] = set()
        line = at = 0
        for found in re.finditer(r"[ \t]#\S", text):
            line += text.count("\n", at, found.start())
            at = found.start()
            self._comment_lines.add(line)

    @functools.cached_property
    def lines(self) -> LineIndex:  # made on the first problem: many problems in a large file stay linear
        return LineIndex(self.text)

    def line_text(self, line: int) -> str:
        return self.lines.line_text(line)

    def problem(self, rule: str, mark, path: Path = (), **fields) -> None:
        self.damaged.add(path)
        line, col = mark.line + 1, mark.column + 1
        self.problems.append(messages.make(rule, self.file, line, col, path=format_path(path),
                                           source_line=self.line_text(line), **fields))

    def stop(self, rule: str, mark, **fields) -> NoReturn:
        if mark is None:
            self.problems.append(messages.make(rule, self.file, 1, 1, **fields))
        else:
            line, col = mark.line + 1, mark.column + 1
            self.problems.append(messages.make(rule, self.file, line, col, source_line=self.line_text(line),
                                               **fields))
        raise _Stop

    def build(self, events) -> dict[str, object]:
        from ruamel.yaml import events as ev

        scalar, mapping_start, sequence_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
        mapping_end, sequence_end, alias = ev.MappingEndEvent, ev.SequenceEndEvent, ev.AliasEvent
        document_start = ev.DocumentStartEvent
        stack: list[_Frame] = []
        root: dict[str, object] | None = None
        documents = 0
        skip_depth = 0  # > 0 while reading past a list or mapping used as a key
        for event in events:
            kind = type(event)
            if skip_depth:
                if kind is mapping_start or kind is sequence_start:
                    skip_depth += 1
                    if len(stack) + skip_depth > MAX_DEPTH:  # stop at once: deep input costs libyaml time
                        self.stop("yaml/depth", event.start_mark, limit=MAX_DEPTH)
                elif kind is mapping_end or kind is sequence_end:
                    skip_depth -= 1
                continue
            if kind is scalar:
                if not stack:
                    self._root_scalar(event, root)
                frame = stack[-1]
                if frame.mapping and frame.key is None:
                    self._key(frame, event)
                else:
                    self._attach(frame, self._value(event, frame), event, True)
            elif kind is mapping_start or kind is sequence_start:
                is_mapping = kind is mapping_start
                if not stack:
                    if root is not None:
                        self.stop("yaml/multi-doc", event.start_mark)
                    if not is_mapping:
                        self.stop("yaml/root", event.start_mark, kind="列表")
                    if event.anchor is not None or event.tag is not None:
                        self._properties_ok(event, ())
                    root = {}
                    self.positions[()] = Pos(1, 1, 1, 1)
                    stack.append(_Frame(True, root, ()))
                    continue
                frame = stack[-1]
                if frame.mapping and frame.key is None:  # a list or mapping used as a key
                    frame.key_mark = event.start_mark
                    self.problem("yaml/key-type", event.start_mark, frame.path, key="（列表或键值结构）",
                                 kind="复合结构")
                    frame.key, skip_depth = _SKIP, 1
                    continue
                if len(stack) >= MAX_DEPTH:
                    self.stop("yaml/depth", event.start_mark, limit=MAX_DEPTH)
                container: dict[str, object] | list[object] = {} if is_mapping else []
                path = self._attach(frame, container, event, False)
                if path is None:  # its key was rejected: read it, keep nothing
                    path = frame.path
                    container = {} if is_mapping else []
                elif event.anchor is not None or event.tag is not None:
                    self._properties_ok(event, path)
                stack.append(_Frame(is_mapping, container, path))
            elif kind is mapping_end or kind is sequence_end:
                frame = stack.pop()
                pos = self.positions.get(frame.path)
                if frame.path and pos is not None and pos.style is None:
                    self.positions[frame.path] = _new_pos(Pos, (*pos[:7], event.end_mark.index))
            elif kind is alias:
                if not stack:
                    self.stop("yaml/alias", event.start_mark, name=event.anchor)
                frame = stack[-1]
                self.problem("yaml/alias", event.start_mark, frame.path, name=event.anchor)
                if frame.mapping and frame.key is None:
                    frame.key_mark, frame.key = event.start_mark, _SKIP
                else:
                    self._attach(frame, None, event, False)
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    self.stop("yaml/multi-doc", event.start_mark)
        if root is None:
            self.stop("yaml/empty", None)
        return root

    def _root_scalar(self, event, root) -> NoReturn:
        if root is not None:
            self.stop("yaml/multi-doc", event.start_mark)
        if event.value == "" and not event.style and event.anchor is None and event.tag is None:
            self.stop("yaml/empty", None)
        self.stop("yaml/root", event.start_mark, kind=f"一段文字“{messages.visible(str(event.value), 20)}”")

    def _properties_ok(self, event, path: Path) -> bool:
        """Anchors and tags are properties of the event: reject both where they stand."""
        if event.anchor is not None:
            self.problem("yaml/anchor", event.start_mark, path, name=event.anchor)
            return False
        if event.tag is not None:
            found = re.search(r"!\S*", self.text[event.start_mark.index:event.start_mark.index + 200])
            self.problem("yaml/tag", event.start_mark, path, tag=found.group() if found else event.tag)
            return False
        return True

    def _attach(self, frame: _Frame, value, event, is_scalar: bool) -> Path | None:
        """Put a value into the open collection and record where it stands; returns its path."""
        start = event.start_mark
        style = (event.style or "") if is_scalar else None
        container = frame.container
        if isinstance(container, dict):  # frame.mapping
            key = frame.key
            frame.key = None
            if key is _SKIP:
                return None
            # build reads a pair's key (and its mark) before the value
            assert key is not None and frame.key_mark is not None
            path = frame.path + (key,)
            kline, kcol = frame.key_mark.line + 1, frame.key_mark.column + 1
            if is_scalar and not style and event.value == "":
                vline, vcol = kline, kcol  # an empty value has no text of its own: point at the key
            else:
                vline, vcol = start.line + 1, start.column + 1
            container[key] = value
        else:
            path = frame.path + (len(container),)
            vline = kline = start.line + 1
            vcol = kcol = start.column + 1
            container.append(value)
        if is_scalar:
            self.positions[path] = _new_pos(Pos, (vline, vcol, kline, kcol, None if style else event.value, style,
                                                  start.index, event.end_mark.index))
        else:
            # the end is known at the collection's end event (see build)
            self.positions[path] = _new_pos(Pos, (vline, vcol, kline, kcol, None, None, start.index, start.index))
        return path

    def _key(self, frame: _Frame, event) -> None:
        frame.key_mark = event.start_mark
        if (event.anchor is not None or event.tag is not None) and not self._properties_ok(event, frame.path):
            frame.key = _SKIP
            return
        self.scalar_spans.append((event.start_mark.index, event.end_mark.index))
        value = event.value
        if event.style == '"' and (bad := _BAD_CHARS.search(value)):
            self.problem("yaml/control-char", event.start_mark, frame.path, cp=f"U+{ord(bad.group()):04X}")
            frame.key = _SKIP
            return
        if not event.style:
            resolved = self._resolve_plain(value, event, frame.path, as_key=True)
            if not isinstance(resolved, str):
                kind = {bool: "布尔值（是/否）", type(None): "空值"}.get(type(resolved), "数字")
                split = re.search(r"([0-9]+),[ ]*\Z", self.text[:event.start_mark.index])
                if split:  # `value: 1,557.42` inside { }: the comma made "557.42" a key
                    text = f"{split.group(1)},{value}"
                    self.problem("yaml/split-number", event.start_mark, frame.path, text=text,
                                 fixed=text.replace(",", ""))
                else:
                    self.problem("yaml/key-type", event.start_mark, frame.path, key=value or "（空）", kind=kind)
                frame.key = _SKIP
                return
        hidden = _INVISIBLE.search(value)
        if hidden:
            ch = hidden.group()
            self.problem("yaml/invisible-char", event.start_mark, frame.path, key=messages.visible(value),
                         cp=f"U+{ord(ch):04X}（{messages.INVISIBLE[ch]}）")
            frame.key = _SKIP
            return
        if value in frame.first_seen:
            fline, fcol = frame.first_seen[value]
            self.problem("yaml/duplicate-key", event.start_mark, frame.path + (value,),
                         key=messages.visible(value), first_line=fline, first_column=fcol)
            frame.key = _SKIP
            return
        frame.first_seen[value] = (event.start_mark.line + 1, event.start_mark.column + 1)
        frame.key = value

    def _value(self, event, frame: _Frame):
        self.scalar_spans.append((event.start_mark.index, event.end_mark.index))
        if frame.mapping:
            path = frame.path + ((frame.key,) if frame.key is not _SKIP else ())
        else:
            path = frame.path + (len(frame.container),)
        if (event.anchor is not None or event.tag is not None) and not self._properties_ok(event, path):
            return None
        if event.style == '"':  # escapes like "\u0007" bring in what the text scan cannot see
            bad = _BAD_CHARS.search(event.value)
            if bad:
                rule = "yaml/line-break-char" if bad.group() in "\x85\u2028\u2029" else "yaml/control-char"
                self.problem(rule, event.start_mark, path, cp=f"U+{ord(bad.group()):04X}")
                return None
        if event.style:
            return event.value
        self._check_swallowed_comment(event, path)
        return self._resolve_plain(event.value, event, path)

    def _resolve_plain(self, value: str, node, path: Path, as_key: bool = False):
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        first = value[0]
        if not (first.isdigit() or first in "+-."):
            return value
        if len(value) > MAX_NUMBER_CHARS and (_INT.match(value) or _FLOAT.match(value)):
            if not as_key:
                self.problem("yaml/number", node.start_mark, path,
                             detail=f"数字过长（{len(value)} 位），如是编号请加引号")
            return value
        if _INT.match(value):
            return int(value)
        if _INT_OTHER.match(value):
            return int(value, 0)
        if _FLOAT.match(value):
            try:
                number = Decimal(value)
            except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
                return value
            return number
        if _SPECIAL_FLOAT.match(value):
            if not as_key:
                self.problem("yaml/number", node.start_mark, path,
                             detail=f"“{value}”表示非数值或无穷大，不能用作数据")
            return value
        return value

    def _check_swallowed_comment(self, node, path: Path) -> None:
        if node.end_mark.line not in self._comment_lines:
            return
        end = node.end_mark.index
        line_end = self.text.find("\n", end)
        rest = self.text[end:line_end if line_end >= 0 else len(self.text)]
        match = _SWALLOWED.match(rest)
        if match and not match.group(1).startswith(("#", "!")) and not match.group(1).isascii():
            mark = node.end_mark
            line, col = mark.line + 1, mark.column + match.start(1)  # the '#' itself
            self.problems.append(messages.make(
                "yaml/comment-swallowed", self.file, line, col, path=format_path(path),
                text="#" + match.group(1).strip(), source_line=self.line_text(line)))


def _scan_tabs(text: str, file: str, spans: list[tuple[int, int]]) -> list[Problem]:
    """Tabs outside scalars and comments: one verdict, whichever parser composed the file."""
    if "\t" not in text:
        return []
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    problems, reported_lines = [], set()
    lines = LineIndex(text)  # one lookup per tab
    index = text.find("\t")
    while index >= 0:
        i = bisect_right(starts, index) - 1
        inside = i >= 0 and spans[i][0] <= index < spans[i][1]
        if not inside:
            line, col = lines.line_col(index)
            source = lines.line_text(line)
            prefix = source[:col - 1]
            in_comment = prefix.lstrip().startswith("#") or re.search(r"(?:^|\s)#", prefix)
            if not in_comment and line not in reported_lines:
                reported_lines.add(line)
                problems.append(messages.make("yaml/tab", file, line, col, source_line=source))
        index = text.find("\t", index + 1)
    return problems


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
