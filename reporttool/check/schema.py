"""The canonical schema, and jsonschema errors turned into located Chinese problems."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import json
import marshal
import os
import re
import sys
from decimal import Decimal
from pathlib import Path

from reporttool import messages
from reporttool.load.parse import Loaded, format_path
from reporttool.problems import Problem
from reporttool.resources import schema_path

MAX_ERRORS = 200  # jsonschema can yield millions of errors on hostile input; stop early

TYPE_NAMES = {
    "string": "文本", "integer": "整数", "number": "数字", "boolean": "是/否（true 或 false）",
    "object": "键值结构（下一层字段）", "array": "列表（每项以“- ”开头）", "null": "空",
}


@functools.cache
def load_schema(name: str = "work-report") -> dict:
    # Our own loader: libyaml-fast (the pure ruamel load took ~0.2 s of every command's start).
    from reporttool.load.parse import load_text

    path = schema_path(name)
    loaded = load_text(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(loaded.data, dict):
        raise RuntimeError(f"schema {path} does not load: {[p.message for p in loaded.problems]}")
    return _plain(loaded.data)


def _plain(value):
    """Loader types → JSON types (Decimal → int/float), so the schema prints as JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def schema_json(name: str = "work-report") -> str:
    return json.dumps(load_schema(name), ensure_ascii=False, indent=2)


EDITOR_FILE = "work-report.schema.json"  # the editor's copy of the schema, written beside the drafts


def editor_json(name: str = "work-report") -> str:
    """The schema for editors: reporttool's own keywords said again in those yaml-language-server
    reads — x-pattern-zh as patternErrorMessage, x-enum-titles as enumDescriptions, descriptions
    as markdownDescription — so the editor's messages are reporttool's Chinese."""

    def editor(node):
        if isinstance(node, dict):
            out = {k: editor(v) for k, v in node.items()}
            if "x-pattern-zh" in node:
                out["patternErrorMessage"] = node["x-pattern-zh"]
            custom = node.get("x-messages")
            if isinstance(custom, dict) and len(custom) == 1 and "required" not in custom:
                out["errorMessage"] = next(iter(custom.values()))  # the node's one message, as reporttool says it
            if node.get("not") == {} and "errorMessage" in out:
                # “nothing is allowed here”: editors say `not` in English whatever errorMessage says, but an
                # empty enum (the same constraint) in errorMessage's words
                del out["not"]
                out["enum"] = []
            titles = node.get("x-enum-titles")
            if isinstance(titles, dict) and isinstance(node.get("enum"), list):
                described = [f"{titles.get(value, value)}（{value}）" if titles.get(value, value) != value else str(value)
                             for value in node["enum"]]
                out["enumDescriptions"] = described
                out["markdownEnumDescriptions"] = described
            if isinstance(node.get("description"), str):
                title = node.get("title")
                out["markdownDescription"] = (f"**{title}**\n\n" if isinstance(title, str) else "") + node["description"]
            return out
        if isinstance(node, list):
            return [editor(v) for v in node]
        return node

    return json.dumps(editor(load_schema(name)), ensure_ascii=False, indent=2) + "\n"


@functools.cache
def flat_schema(name: str = "work-report") -> dict:
    """The schema with every local $ref inlined (it has no recursion).

    Both validators then see the same plain tree: jsonschema runs ~1.7x faster without
    reference lookups, and no draft's rules about keywords beside $ref can differ.
    """
    root = load_schema(name)
    defs = root.get("$defs", {})

    def inline(node, depth=0):
        if depth > 50:
            raise ValueError("schema $ref nesting too deep (recursive schema?)")
        if isinstance(node, dict):
            if "$ref" in node:
                target = defs[node["$ref"].rsplit("/", 1)[-1]]
                siblings = {k: inline(v, depth + 1) for k, v in node.items() if k != "$ref"}
                return {**inline(target, depth + 1), **siblings}
            out = {k: inline(v, depth + 1) for k, v in node.items() if k not in ("$defs", "x-check-pattern")}
            if "x-check-pattern" in node:  # editors get the strict pattern; the format check says the rest
                out["pattern"] = node["x-check-pattern"]
            return out
        if isinstance(node, list):
            return [inline(v, depth + 1) for v in node]
        return node

    return inline(root)


@functools.cache
def validator(name: str = "work-report"):
    from jsonschema import Draft202012Validator, FormatChecker

    # Built once per process: jsonschema.validate() re-checks the schema on every call (47x).
    checker = FormatChecker()  # every standard format, plus ours
    checker.checks("report-date")(_is_report_date)
    return Draft202012Validator(flat_schema(name), format_checker=checker)


@functools.cache
def fast_validator(name: str = "work-report"):
    """A compiled yes/no check (fastjsonschema, ~20x faster than jsonschema on a valid draft).

    jsonschema stays the authority: it alone produces messages, and runs whenever this check
    fails, so a valid draft never even imports jsonschema. Generating and compiling the check
    costs ~0.3 s, so the compiled code is kept in the user's cache directory (see _cached_code).
    """
    namespace: dict = {}
    exec(_cached_code(name), namespace)  # our own generated code: see _cached_code
    entry = namespace[namespace["__entry__"]]
    return functools.partial(entry, custom_formats=FORMATS)


def _is_date(value) -> bool:
    """The same test as jsonschema's "date" format checker (tests hold the two together)."""
    if not isinstance(value, str):
        return True
    if not _RE_DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_report_date(value) -> bool:
    """A 成文日期: a real date, or left unfilled (“____”, reported by text/placeholder until filled)."""
    return isinstance(value, str) and _RE_UNFILLED.fullmatch(value) is not None or _is_date(value)


_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_RE_UNFILLED = re.compile(r"_{2,}")
FORMATS = {"date": _is_date, "report-date": _is_report_date}


def _cached_code(name: str):
    import zlib

    import fastjsonschema

    from reporttool.version import __version__

    # Keyed by the schema file's bytes and every version involved: computing the key reads one
    # file; the schema is parsed and compiled only on a miss.
    source_bytes = schema_path(name).read_bytes()
    versions = f"{__version__}|{fastjsonschema.VERSION}|{sys.version}".encode()
    key = f"{zlib.crc32(source_bytes):08x}{zlib.crc32(versions):08x}{len(source_bytes):x}"
    directory = cache_dir()
    path = directory / f"{name}-{key}.marshal" if directory else None
    if path is not None:
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
    schema = {**flat_schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    source = fastjsonschema.compile_to_code(schema, formats=FORMATS)
    found = re.search(r"^def (validate\w*)\(", source, re.M)
    assert found is not None, "fastjsonschema's code defines its validate function"
    entry = found.group(1)
    code = compile(source + f"\n__entry__ = {entry!r}\n", f"<reporttool {name} check>", "exec")
    if path is not None:
        from reporttool.atomic import write_bytes_atomically

        try:
            write_bytes_atomically(path, marshal.dumps(code))
        except OSError:
            pass  # no cache this time: the next process compiles again
    return code


def cache_dir() -> Path | None:
    """A private cache directory (~/.cache/reporttool), or None when none can be trusted."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "reporttool"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # someone else could plant code there
    return directory


def is_valid(data, name: str = "work-report") -> bool:
    import fastjsonschema

    try:
        fast_validator(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check(loaded: Loaded, name: str = "work-report") -> list[Problem]:
    if not isinstance(loaded.data, dict):
        return []
    if is_valid(loaded.data, name):
        return []
    errors = []
    for error in validator(name).iter_errors(loaded.data):
        errors.append(error)
        if len(errors) >= MAX_ERRORS:
            break
    return _Converter(loaded, flat_schema(name), TOP_LEVEL.get(name, "草稿顶层")).convert(errors)


def _under(path: tuple, damaged: set) -> bool:
    return any(path[:n] in damaged for n in range(len(path) + 1))


def _node(schema) -> dict:
    """A schema as a dict of keywords: a boolean schema (true/false) or a missing one has none."""
    return schema if isinstance(schema, dict) else {}


# --- conversion -------------------------------------------------------------------------------


# how messages name the top level of a file of each schema (the draft's, a house-style file's)
TOP_LEVEL = {"house-style": "版式文件顶层"}


class _Converter:
    """Turns jsonschema errors into problems. It knows JSON Schema keywords, not the draft: what
    a field needs beyond its title comes from the schema's x- annotations on that field's node
    (x-messages, x-enum-titles, x-pattern-zh, x-short-form-hint, x-unit-field, x-version).

    `root` is flat_schema(): every $ref is inlined, so a node's keywords are all in the node.
    """

    def __init__(self, loaded: Loaded, root: dict, top: str = "草稿顶层") -> None:
        self.top = top
        self.loaded = loaded
        self.root = root
        self.file = loaded.file
        self.suggested: set[tuple] = set()  # (parent path, key a misspelt key was meant to be)

    # helpers ---------------------------------------------------------------------------
    def prop_schema(self, schema: dict, key: str) -> dict:
        return _node(_node(schema).get("properties", {}).get(key))

    def annotation(self, path: tuple, schema: dict, name: str):
        """An x- annotation of the node an error concerns: on the failing schema, else on the
        node the schema tree places at `path` (an error from inside a then/else branch concerns
        the same node, but its schema is the branch)."""
        if name in schema:
            return schema[name]
        return self.resolve_parent(path).get(name)

    def field(self, path: tuple, schema: dict | None) -> str:
        # The node's title where the tree places it: a property's own title overrides that of
        # its shared definition, and the failing schema may be a branch with a generic title.
        title = self.resolve_parent(path).get("title") if path else None
        if not title and schema:
            title = _node(schema).get("title")
        name = format_path(path) or self.top
        return f"“{name}”（{title}）" if title else f"“{name}”"

    def part(self, path: tuple, schema: dict) -> str:
        title = _node(schema).get("title")
        if not path:
            return self.top
        return f"“{format_path(path)}”（{title}）" if title else f"“{format_path(path)}”"

    def at_value(self, path: tuple):
        pos = self.loaded.pos(path)
        return pos.line, pos.column

    def at_key(self, path: tuple):
        pos = self.loaded.pos(path)
        return pos.key_line, pos.key_column

    def make(self, rule: str, where: tuple[int, int], path: tuple, **fields) -> Problem:
        line, col = where
        problem = messages.make(rule, self.file, line, col, path=format_path(path), **fields)
        return dataclasses.replace(problem, node=path)  # the node as data, for pruning

    # conversion ------------------------------------------------------------------------
    def convert(self, errors) -> list[Problem]:
        problems: list[Problem] = []
        for error in errors:
            problems.extend(self.one(error))
        problems = self._prune(problems)
        unique, seen = [], set()
        for p in problems:
            key = (p.line, p.column, p.rule, p.message)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        return sorted(unique, key=Problem.sort_key)

    def _prune(self, problems: list[Problem]) -> list[Problem]:
        """Keep the most useful message per node: a wrong type hides what lies below it, a
        misspelt key hides the 'missing' message for the key it was meant to be, and a node the
        loader already reported (loaded.damaged) has no schema messages of its own."""
        type_paths = [p.node for p in problems if p.rule == "schema/type"]
        kept = []
        for p in problems:
            path = p.node
            if p.rule != "schema/type" and any(path[:len(t)] == t for t in type_paths):
                continue
            if p.rule == "schema/required" and (path[:-1], path[-1]) in self.suggested:
                continue
            if self.loaded.damaged and _under(path, self.loaded.damaged):
                continue
            kept.append(p)
        return kept

    def one(self, error) -> list[Problem]:
        kind = error.validator
        path = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        custom = (schema.get("x-messages") or {}).get(kind)
        if custom and kind != "required":
            return [self.make("schema/combination", self.at_key(path), path, message=custom)]
        handler = getattr(self, "_" + kind.replace("Properties", "_properties").lower(), None)
        if handler is None:
            return [self.make("schema/combination", self.at_value(path), path,
                              message=f"{self.field(path, schema)}不符合要求")]
        return handler(error, path, schema)

    def _required(self, error, path, schema):
        instance = error.instance if isinstance(error.instance, dict) else {}
        custom = (schema.get("x-messages") or {}).get("required")
        out = []
        for key in error.validator_value:
            if key in instance:
                continue
            title = self.prop_schema(self.resolve_parent(path), key).get("title") or \
                self.prop_schema(schema, key).get("title") or key
            out.append(self.make("schema/required", self.at_key(path), path + (key,),
                                 part=self.part(path, self.resolve_parent(path)) if path else "草稿",
                                 key=key, title=title, hint=custom))
        return out

    def resolve_parent(self, path: tuple) -> dict:
        """The schema of the node at `path`, walked down from the root."""
        schema = self.root
        for part in path:
            if isinstance(part, int):
                schema = _node(schema.get("items"))
            else:
                schema = self.prop_schema(schema, part)
            if not schema:
                return {}
        return schema

    def _additional_properties(self, error, path, schema):
        allowed = list(schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        out = []
        for key in instance:
            if key in allowed:
                continue
            hint, meant = self._key_hint(key, allowed, schema)
            if meant:
                self.suggested.add((path, meant))
            out.append(self.make("schema/unknown-key", self.at_key(path + (key,)), path + (key,),
                                 part=self.part(path, schema), key=messages.visible(key), hint=hint))
        return out

    _unevaluated_properties = _additional_properties

    def _key_hint(self, key: str, allowed: list[str], schema: dict) -> tuple[str, str | None]:
        """The hint for an unknown key, and the key it was probably meant to be."""
        props = schema.get("properties", {})
        for name in allowed:  # the writer typed the Chinese title instead of the key
            title = _node(props[name]).get("title", "")
            if title and (key == title or key in title.split("、") or title.startswith(key)):
                return f"应写作“{name}”（{title}）", name
        close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
        if close:
            title = _node(props[close[0]]).get("title", "")
            return f"是否应为“{close[0]}”（{title}）？", close[0]
        elsewhere = _where_else(self.root, key)
        if elsewhere:
            return f"“{key}”应放在 {elsewhere} 下面（缩进是否正确？）", key
        shown = "、".join(allowed)
        return f"此处可用的字段：{shown}", None

    def _type(self, error, path, schema):
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        names = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        instance = error.instance
        raw = self.loaded.pos(path).raw if path in self.loaded.positions else None
        key = path[-1] if path and isinstance(path[-1], str) else None
        hint = _type_hint(expected, instance, raw, key, self.annotation(path, schema, "x-unit-field"))
        if isinstance(instance, str) and "object" in expected:
            # Text where a mapping belongs: a node with a one-line short form explains it.
            hint = self.annotation(path, schema, "x-short-form-hint") or hint
        return [self.make("schema/type", self.at_value(path), path, field=self.field(path, schema),
                          expected=names, actual=describe(instance, raw), hint=hint)]

    def _enum(self, error, path, schema):
        titles = schema.get("x-enum-titles", {})
        allowed = "、".join(f"{v}（{titles[v]}）" if v in titles else str(v) for v in error.validator_value)
        value = error.instance
        hint = None
        if isinstance(value, str):
            for v, t in titles.items():
                similar = difflib.SequenceMatcher(None, value, t).ratio() >= 0.5
                if value and (value in t or t in value or similar):
                    hint = f"“{value}”请写作“{v}”"
                    break
            else:
                close = difflib.get_close_matches(value, [str(v) for v in error.validator_value], n=1)
                hint = f"是否应为“{close[0]}”？" if close else None
        return [self.make("schema/enum", self.at_value(path), path, field=self.field(path, schema),
                          value=messages.visible(_text(value)), allowed=allowed, hint=hint)]

    def _const(self, error, path, schema):
        if self.annotation(path, schema, "x-version"):  # another format, not a typo
            return [self.make("schema/version", self.at_value(path), path, value=_text(error.instance),
                              allowed=_text(error.validator_value))]
        return [self.make("schema/enum", self.at_value(path), path, field=self.field(path, schema),
                          value=messages.visible(_text(error.instance)), allowed=_text(error.validator_value))]

    def _format(self, error, path, schema):
        fmt = error.validator_value
        problem = {
            "date": "不是有效的日期，应写成“2026-12-02”这样的年-月-日（月、日补足两位）",
            "report-date": "不是有效的日期，应写成“2026-12-02”这样的年-月-日（月、日补足两位）",
        }.get(fmt, f"格式不对（应为 {fmt}）")
        return [self.make("schema/format", self.at_value(path), path, field=self.field(path, schema),
                          value=messages.visible(_text(error.instance)), problem=problem)]

    def _pattern(self, error, path, schema):
        expected = schema.get("x-pattern-zh") or "不符合要求的格式"
        return [self.make("schema/pattern", self.at_value(path), path, field=self.field(path, schema),
                          value=messages.visible(_text(error.instance)), expected=expected)]

    def _range(self, error, path, schema):
        bound = {
            "minimum": "不能小于 {}", "maximum": "不能大于 {}",
            "exclusiveMinimum": "必须大于 {}", "exclusiveMaximum": "必须小于 {}",
        }[error.validator].format(error.validator_value)
        return [self.make("schema/range", self.at_value(path), path, field=self.field(path, schema),
                          value=_text(error.instance), bound=bound)]

    _minimum = _maximum = _exclusiveminimum = _exclusivemaximum = _range

    def _minlength(self, error, path, schema):
        problem = "不能为空" if error.validator_value == 1 else f"至少需要 {error.validator_value} 个字"
        return [self.make("schema/length", self.at_value(path), path, field=self.field(path, schema),
                          problem=problem)]

    def _maxlength(self, error, path, schema):
        problem = f"过长（{len(error.instance)} 字，上限 {error.validator_value} 字）"
        return [self.make("schema/length", self.at_value(path), path, field=self.field(path, schema),
                          problem=problem)]

    def _minitems(self, error, path, schema):
        problem = "不能为空列表" if error.validator_value == 1 else f"至少需要 {error.validator_value} 项"
        return [self.make("schema/length", self.at_value(path), path, field=self.field(path, schema),
                          problem=problem)]

    def _maxitems(self, error, path, schema):
        problem = f"过多（{len(error.instance)} 项，上限 {error.validator_value} 项）"
        return [self.make("schema/length", self.at_value(path), path, field=self.field(path, schema),
                          problem=problem)]

    def _anyof(self, error, path, schema):
        """Report the branch the writer evidently meant: the one whose type matches."""
        branches: dict[int, list] = {}
        for sub in error.context or []:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        matching = [errs for errs in branches.values()
                    if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if len(matching) == 1:
            out = []
            for sub in matching[0]:
                out.extend(self.one(sub))
            return out
        return [self.make("schema/combination", self.at_value(path), path,
                          message=f"{self.field(path, schema)}的写法不符合任何一种允许的形式")]

    _oneof = _anyof


def _where_else(root: dict, key: str) -> str | None:
    """Is `key` a valid field somewhere else in the schema? Say where."""
    found = []

    def walk(schema, where):
        if not isinstance(schema, dict):
            return
        for name, sub in schema.get("properties", {}).items():
            if name == key:
                found.append(where or "顶层")
            walk(sub, f"{where}.{name}" if where else name)
        if "items" in schema:
            walk(schema["items"], where + "[]")

    walk(root, "")  # a flat schema: every definition is walked where it is used
    return "、".join(sorted(set(found))) if found else None


_FULLWIDTH_DIGITS = re.compile("[０-９]")


def _type_hint(expected: list[str], instance, raw: str | None, key: str | None = None,
               unit_field: str | None = None) -> str | None:
    """`key` is the field's own key, `unit_field` the sibling key holding its unit (x-unit-field)."""
    if instance is None:
        return "冒号后面没有填写内容；如暂时没有，请删除这一行"
    if ("number" in expected or "integer" in expected) and isinstance(instance, str):
        s = instance.strip()
        if re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", s):
            return f"数字不要加引号：写成 {s}"
        if _FULLWIDTH_DIGITS.search(s):
            return f"“{s}”含全角数字，请改用半角数字"
        if re.search(r"\d[,，]\d{3}", s):
            return f"“{s}”含千位分隔符，请写成 {re.sub('[,，]', '', s)}"
        if re.search(r"\d。\d", s):
            return f"“{s}”中的“。”应为小数点“.”"
        if s.endswith("%"):
            where = f"，单位写在 {unit_field} 中" if unit_field else ""
            return f"百分数只写数字，如 {s.rstrip('%')}{where}"
        if re.search(r"\d(万|亿)", s):
            if unit_field:
                return f"“万”“亿”请写在单位中，如 {key or '数值'}: 1.5，{unit_field}: 万个"
            return "数字中不能带“万”“亿”，请换算后写出完整的数字"
        if "_" in s:
            return "数字中不能有下划线"
    if "string" in expected and raw is not None and not isinstance(instance, str):
        return f"“{raw}”被读成了{describe(instance, None)}；如需原样保留，请加引号：\"{raw}\""
    if "object" in expected and isinstance(instance, str):
        return "这里需要下一层字段（另起一行、缩进两个空格）"
    if "array" in expected and not isinstance(instance, list):
        return "这里需要列表：另起一行，每项以“- ”开头"
    return None


def describe(value, raw: str | None = None) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"是/否值 {raw or str(value).lower()}"
    if isinstance(value, (int, Decimal, float)):
        return f"数字 {raw or value}"
    if isinstance(value, str):
        return f"文本“{messages.visible(value, 20)}”"
    if isinstance(value, dict):
        return "键值结构"
    if isinstance(value, list):
        return "列表"
    return type(value).__name__


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "空"
    if isinstance(value, (dict, list)):
        return describe(value)
    return str(value)


