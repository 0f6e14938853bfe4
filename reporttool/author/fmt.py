"""`reporttool fmt`: canonical drafts by small in-place edits, each proved safe by reloading.

No YAML re-dump (ruamel's round trip drops the editor modeline, flow comments, BOM, CRLF and
folds long lines): the text is edited where it stands, and the result must load to exactly the
data the edits intend, or that edit is not made.

Edits:
- prose: “。” between digits → “.”, full-width digits → ASCII, half-width ，；：！？（） next to
  Chinese → full-width (never inside { } or [ ], where “,” and “:” are syntax);
- trailing spaces removed;
- indentation: two spaces per level (text inside blocks keeps its own indentation);
- quoting: 'single-quoted' text → "double-quoted" where that changes nothing.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from reporttool import messages
from reporttool.load.parse import LineIndex, Loaded, load_text, value_at
from reporttool.model.prose import DECIMAL, FULLWIDTH, HALF, HALF_NEAR_CJK, TO_ASCII, sentence_before_year
from reporttool.problems import Severity

INDENT = 2
# the findings fmt's edits remove (an editor offers them as quick fixes)
FIXES = frozenset({"text/decimal-point", "text/fullwidth-digit", "text/halfwidth-punct"})


@dataclass
class Formatted:
    """The result of formatting one text."""

    text: str
    changes: list[str] = field(default_factory=list)  # what was done, in Chinese, for the writer
    refused: str | None = None  # why nothing was done


def fix_prose(value: str, in_flow: bool = False) -> str:
    """The same-length character fixes fmt makes inside a string (one pass reaches the fixed point)."""
    value = FULLWIDTH.sub(lambda m: m.group().translate(TO_ASCII), value)  # first: 1３。5 → 13。5
    chars = list(value)
    for match in DECIMAL.finditer(value):
        whole, fraction = match.groups()
        if sentence_before_year(value, match.end(), fraction):
            continue
        chars[match.start() + len(whole)] = "."
    if not in_flow:
        for match in HALF_NEAR_CJK.finditer(value):
            mark = match.group()
            if mark == '"':
                continue  # which of “ ” it should be is not certain
            chars[match.start()] = HALF[mark]
    return "".join(chars)


def _strip_block_lines(value: str) -> str:
    return "\n".join(line.rstrip(" \t") for line in value.split("\n"))


def format_text(text: str, file: str = "<draft>") -> Formatted:
    """The canonical form of `text`, to its fixed point: a pass can leave a fix it could not place
    for certain (a character whose position the loader maps only after an earlier fix, as in files
    with CR-only line ends) to the next, so passes repeat (each checked on its own) until one changes
    nothing: fmt run twice changes nothing the second time."""
    result = _format_once(text, file)
    for _ in range(4):
        if result.refused or result.text == text:
            break
        again = _format_once(result.text, file)
        if again.refused or again.text == result.text:
            break
        result = Formatted(again.text, result.changes + [c for c in again.changes if c not in result.changes])
    return result


def _format_once(text: str, file: str) -> Formatted:
    loaded = load_text(text, file)
    if not isinstance(loaded.data, dict) or any(p.severity is Severity.ERROR for p in loaded.problems):
        return Formatted(text, refused="文件有 YAML 错误，未格式化；请先按 reporttool validate 的提示修改")
    edited, changes, expected = _value_edits(loaded)
    candidate = _strip_trailing(edited)
    if candidate != edited:
        changes.append("删除行尾空格")
    current = loaded  # the load of `candidate`: each step is checked by loading its result
    if candidate != text:
        reloaded = _checked(candidate, expected, file)
        if reloaded is None:
            return Formatted(text, refused="无法确认修改是安全的，未格式化")
        current = reloaded
    indented = _reindent(candidate, current)
    checked = _checked(indented, expected, file) if indented != candidate else None
    if checked is not None:
        blocks = _reindent_blocks(indented, checked)
        checked_blocks = _checked(blocks, expected, file) if blocks != indented else None
        if checked_blocks is not None:
            indented, checked = blocks, checked_blocks
        candidate, current = indented, checked
        changes.append("统一缩进为每级两个空格")
    requoted = _requote(candidate, current)
    if requoted != candidate and _checked(requoted, expected, file) is not None:
        candidate = requoted
        changes.append("单引号改为双引号")
    return Formatted(candidate, changes if candidate != text else [])


def _checked(text: str, expected, file: str) -> Loaded | None:
    """The load of `text` if it holds exactly the expected data (and loads cleanly), else None."""
    loaded = load_text(text, file)
    if isinstance(loaded.data, dict) and not any(p.severity is Severity.ERROR for p in loaded.problems) \
            and _equal(loaded.data, expected):
        return loaded
    return None


def _equal(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and (a == b or (str(a) == str(b)))


def _value_edits(loaded: Loaded):
    """Apply the prose fixes in place; return the text, what changed, and the data it must load to."""
    text = loaded.text
    chars = list(text)
    changes: set[str] = set()
    expected = copy.deepcopy(loaded.data)
    for path, pos in loaded.positions.items():
        if pos.style is None:
            continue
        value = value_at(loaded.data, path)
        if not isinstance(value, str):
            continue
        in_flow = pos.style == "" and _in_flow(text, pos.start, pos.end)
        fixed = fix_prose(value, in_flow)  # same length as value: offsets stay valid
        for offset, (old, new) in enumerate(zip(value, fixed)):
            if old == new:
                continue
            index = loaded.source_index(path, offset)
            if index is None or chars[index] != old:
                fixed = fixed[:offset] + old + fixed[offset + 1:]  # not certain where it stands: keep it
                continue
            chars[index] = new
            changes.add(_describe(old, new))
        if pos.style in ("|", ">"):
            fixed = _strip_block_lines(fixed)  # trailing spaces go with _strip_trailing
        if fixed != value:
            _set(expected, path, fixed)
    return "".join(chars), sorted(changes), expected


def _describe(old: str, new: str) -> str:
    if old == "。":
        return "数字中的“。”改为小数点"
    if old.isdigit():
        return "全角数字改为半角"
    return "中文句子中的半角标点改为全角"


def _in_flow(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip(" ")[-1:]
    after = text[end:end + 50].lstrip(" ")[:1]
    return before in "[{," or after in "]},"


def _strip_trailing(text: str) -> str:
    return "".join(_strip_line(line) for line in text.splitlines(keepends=True))


def _strip_line(line: str) -> str:
    body = line.rstrip("\r\n")
    return body.rstrip(" \t") + line[len(body):]


def _line_of(lines: LineIndex, index: int) -> int:
    """0-based line number of `text[index]`."""
    return lines.line_col(index)[0] - 1


def _reindent(text: str, loaded: Loaded) -> str:
    """Two spaces per nesting level; lines inside scalars and flow collections move with their owner."""
    lines = text.splitlines(keepends=True)
    starts = LineIndex(text)
    inner: set[int] = set()  # lines that belong to a multi-line scalar or flow collection started above
    for pos in loaded.positions.values():
        first, last = _line_of(starts, pos.start), _line_of(starts, max(pos.end - 1, pos.start))
        if last > first and (pos.style is not None or text[pos.start:pos.start + 1] in "[{"):
            inner.update(range(first + 1, last + 1))
    stack: list[tuple[int, int]] = []  # (old indent, new indent) of the open levels
    deltas: list[int | None] = [None] * len(lines)
    for number, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if number in inner or not stripped.strip() or stripped.startswith("#"):
            continue
        old = len(line) - len(stripped)
        while stack and stack[-1][0] > old:
            stack.pop()
        if stack and stack[-1][0] == old:
            new = stack[-1][1]
        else:
            new = stack[-1][1] + INDENT if stack else 0
            stack.append((old, new))
        deltas[number] = new - old
    out = []
    owner = 0
    for number, line in enumerate(lines):
        delta = deltas[number]
        if delta is None:
            stripped = line.lstrip(" ")
            if stripped.startswith("#") and number not in inner:
                following = next((d for d in deltas[number + 1:] if d is not None), owner)
                delta = following  # a comment moves with what it introduces
            else:
                delta = owner
        else:
            owner = delta
        indent = len(line) - len(line.lstrip(" "))
        body = line[indent:]
        if deltas[number] is not None:
            body = _DASH_GAP.sub("- ", body, count=1)  # "-   key" → "- key": children sit at +2
        if not line.strip() or (delta == 0 and body == line[indent:]):
            out.append(line)
        else:
            out.append(" " * max(0, indent + delta) + body)
    return "".join(out)


_DASH_GAP = re.compile(r"^-(?: {2,})(?=\S)")
_BLOCK_HEADER = re.compile(r"[|>][+-]?$")  # no explicit indentation digit: content may move


def _reindent_blocks(text: str, loaded: Loaded) -> str:
    """Text of | and > blocks two spaces in from its key (relative indentation inside is kept)."""
    lines = text.splitlines(keepends=True)
    starts = LineIndex(text)
    for pos in loaded.positions.values():
        if pos.style not in ("|", ">"):
            continue
        header = _line_of(starts, pos.start)
        header_line = lines[header].rstrip("\r\n")
        if not _BLOCK_HEADER.search(header_line.split("#")[0].rstrip()):
            continue
        key = len(header_line) - len(header_line.lstrip(" "))
        while header_line[key:key + 2] == "- ":
            key += 2
        last = _line_of(starts, max(pos.end - 1, pos.start))
        content = [n for n in range(header + 1, last + 1) if lines[n].strip()]
        if not content:
            continue
        current = min(len(lines[n]) - len(lines[n].lstrip(" ")) for n in content)
        shift = key + INDENT - current
        if shift == 0:
            continue
        for n in content:
            lines[n] = " " * (len(lines[n]) - len(lines[n].lstrip(" ")) + shift) + lines[n].lstrip(" ")
    return "".join(lines)


def _requote(text: str, loaded: Loaded) -> str:
    chars = list(text)
    for path, pos in loaded.positions.items():
        if pos.style != "'":
            continue
        value = value_at(loaded.data, path)
        source = text[pos.start:pos.end]
        if not isinstance(value, str) or "\n" in source or '"' in value or "\\" in value or "''" in source:
            continue
        chars[pos.start] = '"'
        chars[pos.end - 1] = '"'
    return "".join(chars)


def _set(data, path, value) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


# --- files ----------------------------------------------------------------------------------------


@dataclass
class FileResult:
    """The result of formatting one file."""

    path: str
    before: str = ""
    after: str = ""
    changes: list[str] = field(default_factory=list)
    refused: str | None = None
    fatal: bool = False  # the file could not be read or written (exit 2)
    converted: bool = False  # re-encoded to UTF-8 (--to-utf8)
    data: bytes = b""  # what to write
    original: bytes = b""  # the bytes read: the file is replaced only while it still holds them

    written: bool = False  # the file on disk was replaced
    error: str | None = None  # why the formatted text could not be written

    @property
    def changed(self) -> bool:
        return self.refused is None and (self.after != self.before or self.converted)

    def diff(self) -> str:
        """A unified diff of the text before and after, with Chinese file labels."""
        import difflib

        from reporttool.check.reporters import shown_name

        lines = difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                     f"{shown_name(self.path)}（原文）", f"{shown_name(self.path)}（格式化后）")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class FormatRun:
    """Formatting many files: one result per draft, in order, and problems with the arguments."""

    results: list[FileResult] = field(default_factory=list)
    unusable: list = field(default_factory=list)  # Problems: arguments that name no usable draft

    @property
    def changed(self) -> list[FileResult]:
        return [r for r in self.results if r.changed]

    @property
    def unchanged(self) -> list[FileResult]:
        return [r for r in self.results if r.refused is None and not r.changed]

    @property
    def refused(self) -> list[FileResult]:
        return [r for r in self.results if r.refused is not None]

    @property
    def fatal(self) -> bool:
        """A file could not be read or written (exit 2)."""
        return any(p.fatal_io for p in self.unusable) or any(r.fatal or r.error for r in self.results)


def format_paths(paths, *, write: bool = True, to_utf8: bool = False) -> FormatRun:
    """Format every draft the paths name (directories searched); `write` replaces changed files."""
    from reporttool.load.files import expand

    run = FormatRun()
    for path, unusable in expand(paths):
        if unusable is not None:
            run.unusable.extend(unusable)
            continue
        result = format_file(path, to_utf8)
        if write and result.changed:
            result.error = write_result(result)
            result.written = result.error is None
        run.results.append(result)
    return run


def format_file(path: str, to_utf8: bool = False) -> FileResult:
    """Format one file in memory; nothing is written here."""
    from reporttool.load.decode import decode, encode
    from reporttool.load.files import read_draft

    data, problems = read_draft(path, path)
    if data is None:
        return FileResult(path, refused=problems[0].message, fatal=True)
    decoded = decode(data, path)
    if decoded.text is None:
        return FileResult(path, refused=decoded.problems[0].message)
    if encode(decoded.text, decoded.encoding, decoded.had_bom) != data:
        return FileResult(path, refused="文件的编码无法原样写回，未格式化")
    result = format_text(decoded.text, path)
    out = FileResult(path, decoded.text, result.text, list(result.changes), result.refused, original=data)
    if to_utf8 and (decoded.encoding != "utf-8" or decoded.had_bom):
        out.converted = True
        out.changes.append(f"由 {decoded.encoding.upper()} 转换为 UTF-8")
        out.data = result.text.encode("utf-8")
    else:  # the file keeps its encoding, BOM and line endings
        out.data = encode(result.text, decoded.encoding, decoded.had_bom)
    return out


def write_result(result: FileResult) -> str | None:
    """Replace the file atomically, unless it changed on disk since it was read. Returns an error."""
    import os

    from reporttool.atomic import ChangedMeanwhile, replace_if_unchanged

    if not os.path.isfile(result.path):
        return "文件已不存在或无法读取，未写入"
    info = os.stat(result.path)
    if not os.access(result.path, os.W_OK) or not info.st_mode & 0o222:  # root may write anything: the bits say
        return "文件为只读，未修改"
    if info.st_nlink > 1:  # replacing it would leave the other names with the old text
        return "文件有多个硬链接，替换会使其他链接仍是旧内容，未修改"
    try:
        # compared again at the swap itself: an editor may save while the new file is written
        replace_if_unchanged(result.path, result.data, result.original)
    except ChangedMeanwhile:
        return "文件在格式化期间被修改，未写入"
    except OSError as exc:
        return f"无法写入：{messages.os_reason(exc)}"
    return None
