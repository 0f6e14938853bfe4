"""Rule examples (examples.yaml) and the Chinese explanation of one rule built from them.

Every rule of the catalogue has a failing and a passing example. A draft example is a small
complete draft; rules about files and the process (io/*, config/*, internal/*) instead describe
the situation in words. In a draft, ⟨U+XXXX⟩ stands for a character the data file cannot hold
as such (Tab, control and invisible characters: the notation reporttool's messages use) and
⟨0xNN⟩ for a raw byte; `encoding` and `lines_encoded_as` say how the text is saved as bytes.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from reporttool import messages

EXAMPLES_PATH = Path(__file__).parent / "rules" / "examples.yaml"  # beside the rules they show

# Families whose rules a draft's text cannot trigger: their examples describe a situation.
SITUATION_FAMILIES = ("io/", "config/", "baseline/", "history/", "rollup/", "pdf/", "layout/", "internal/")

LABELS = {"fails": "会报告的写法", "passes": "正确的写法"}

_CHAR = re.compile(r"⟨U\+([0-9A-F]{4,6})⟩")
_BYTE = re.compile(r"⟨0x([0-9A-F]{2})⟩")
_ENCODING_NAMES = {"utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030", "utf-16": "带 BOM 的 UTF-16",
                   "utf-16-le": "无 BOM 的 UTF-16", "utf-8-sig": "带 BOM 的 UTF-8"}


@dataclass(frozen=True)
class Example:
    """One example of a rule: a draft (text as stored in examples.yaml) or a situation."""

    rule: str
    kind: str  # "fails" or "passes"
    draft: str | None = None
    situation: str | None = None
    note: str | None = None
    encoding: str = "utf-8"
    lines_encoded_as: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def data(self) -> bytes:
        """The draft's bytes as a file would hold them."""
        if self.draft is None:
            raise ValueError(f"{self.rule} {self.kind}: a situation, not a draft")
        line_encoding = {n: enc for enc, lines in self.lines_encoded_as.items() for n in lines}
        encoders: dict[str, codecs.IncrementalEncoder] = {}  # one per codec: a BOM is written once
        out = []
        # Split on \n only: str.splitlines would also split at U+2028 and friends.
        rows = self.draft.split("\n")
        for number, row in enumerate(rows, start=1):
            encoding = line_encoding.get(number, self.encoding)
            encoder = encoders.setdefault(encoding, codecs.getincrementalencoder(encoding)())
            row = _CHAR.sub(lambda m: chr(int(m.group(1), 16)), row) + ("\n" if number < len(rows) else "")
            pieces = _BYTE.split(row)  # text, byte, text, byte, …
            for i, piece in enumerate(pieces):
                out.append(bytes([int(piece, 16)]) if i % 2 else encoder.encode(piece))
        return b"".join(out)

    def saved_as(self) -> str | None:
        """How the bytes differ from plain UTF-8, in words; None when they do not."""
        notes = []
        if self.encoding != "utf-8":
            notes.append(f"整个文件的编码：{_encoding_name(self.encoding)}")
        for encoding, lines in self.lines_encoded_as.items():
            shown = "、".join(str(n) for n in lines)
            notes.append(f"第{shown}行的编码：{_encoding_name(encoding)}")
        return "；".join(notes) or None


def _encoding_name(codec: str) -> str:
    return _ENCODING_NAMES.get(codec, codec.upper())


@functools.cache
def examples() -> dict[str, dict[str, Example]]:
    """rule id → {"fails": Example, "passes": Example}, as examples.yaml states them."""
    from reporttool.load.parse import load_text

    loaded = load_text(EXAMPLES_PATH.read_text(encoding="utf-8"), str(EXAMPLES_PATH))
    if loaded.problems or not isinstance(loaded.data, dict):
        raise ValueError(f"{EXAMPLES_PATH}: " + "; ".join(f"{p.line}:{p.column} {p.message}" for p in loaded.problems))
    out = {}
    for rule, pair in loaded.data.items():
        out[rule] = {kind: _example(rule, kind, spec) for kind, spec in pair.items()}
    return out


def _example(rule: str, kind: str, spec: dict) -> Example:
    where = f"{EXAMPLES_PATH.name}: {rule} {kind}"
    if kind not in LABELS:
        raise ValueError(f"{where}: expected fails or passes")
    unknown = set(spec) - {"draft", "situation", "note", "encoding", "lines_encoded_as"}
    if unknown or ("draft" in spec) == ("situation" in spec):
        raise ValueError(f"{where}: needs one of draft, situation; unknown {sorted(unknown)}")
    encoding = spec.get("encoding", "utf-8")
    lines = {enc: tuple(numbers) for enc, numbers in (spec.get("lines_encoded_as") or {}).items()}
    for codec in (encoding, *lines):
        codecs.lookup(codec)  # a misspelt codec fails here, not in a test far away
    return Example(rule, kind, spec.get("draft"), spec.get("situation"), spec.get("note"), encoding, lines)


# --- the explanation ------------------------------------------------------------------------

_FIELD = re.compile(r"(?<!\{)\{[a-z_]+\}(?!\})")


def _template(text: str) -> str:
    """A message template for a reader: fields shown as “…”, doubled braces as single ones."""
    return _FIELD.sub("…", text).replace("{{", "{").replace("}}", "}")


def close_matches(rule_id: str) -> list[str]:
    """Rule ids close to `rule_id`, best first; a bare name (placeholder) matches after the slash."""
    ids = list(messages.RULES)
    found = difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.6)
    if "/" not in rule_id:
        by_name = {r.split("/", 1)[1]: r for r in ids}
        found += [by_name[n] for n in difflib.get_close_matches(rule_id, list(by_name), n=3, cutoff=0.6)]
    return list(dict.fromkeys(found))[:3]


def explain(rule_id: str) -> str:
    """One rule in Chinese: id, default level, summary, wording, hint, and both examples."""
    rule = messages.RULES.get(rule_id)
    if rule is None:
        raise KeyError(rule_id)
    lines = [f"规则：{rule.id}", f"默认级别：{rule.severity.label}", f"说明：{rule.summary}",
             f"提示信息：{_template(rule.message)}"]
    lines += [f"　　或：{_template(text)}" for _, text in rule.variants]
    if rule.hint:
        lines.append(f"修改建议：{_template(rule.hint)}")
    pair = examples().get(rule_id, {})
    for kind in LABELS:
        example = pair.get(kind)
        if example is None:
            continue
        lines += ["", f"{example.label}："]
        lines += _show(example)
    return "\n".join(lines) + "\n"


def _show(example: Example) -> list[str]:
    if example.situation is not None:
        return ["    " + line for line in example.situation.strip().split("\n")]
    draft = example.draft or ""  # an example is a situation or a draft (checked when loaded)
    out = []
    if example.note:
        out.append(f"    （{example.note.strip()}）")
    saved = example.saved_as()
    if saved:
        out.append(f"    （{saved}）")
    if _CHAR.search(draft):
        out.append("    （⟨U+…⟩ 表示一个看不见的字符，如 Tab、控制字符）")
    if _BYTE.search(draft):
        out.append("    （⟨0x…⟩ 表示文件中的一个原始字节）")
    out += ["    " + line if line else "" for line in draft.rstrip("\n").split("\n")]
    if example.kind == "fails":
        out += _findings(example)
    return out


def _findings(example: Example) -> list[str]:
    """What reporttool says about a failing example: the reader sees the rule at work."""
    from reporttool.check.draft import check_bytes

    rule = messages.RULES[example.rule]
    found = [p for p in check_bytes(example.data(), "示例.yaml") if p.rule == example.rule]
    out = []
    for p in found[:3]:
        where = f"第{p.line}行第{p.column}列 " if p.line else ""
        out.append(f"    → 报告：{where}{p.severity.label}：{p.message}")
        if p.hint and p.hint != rule.hint:  # the rule's fixed hint is shown above already
            out.append(f"      提示：{p.hint}")
    return out
