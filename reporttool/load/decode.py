"""Bytes → text, deterministically: never guess statistically, never decode silently wrong.

Order: BOM → strict UTF-8 → strict GB18030 (only when no line is UTF-8 with non-ASCII text).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from reporttool import messages
from reporttool.problems import Problem

_SIGNATURES = [
    (b"\x89PNG", "PNG 图片"),
    (b"PK\x03\x04", "ZIP 压缩包或 Word/Excel 文档"),
    (b"%PDF", "PDF 文档"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word/Excel 文档"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
]


@dataclass
class Decoded:
    """Text decoded from a draft's bytes, and how it was encoded."""

    text: str | None  # None when the bytes could not be decoded
    encoding: str = "utf-8"
    had_bom: bool = False
    problems: list[Problem] = field(default_factory=list)


# Byte-order marks, longest first (UTF-32-LE begins with UTF-16-LE's), with a label for messages.
BOMS = {"utf-8": (codecs.BOM_UTF8, "UTF-8"), "utf-32-le": (codecs.BOM_UTF32_LE, "UTF-32"),
        "utf-32-be": (codecs.BOM_UTF32_BE, "UTF-32"), "utf-16-le": (codecs.BOM_UTF16_LE, "UTF-16"),
        "utf-16-be": (codecs.BOM_UTF16_BE, "UTF-16")}


def encode(text: str, encoding: str, had_bom: bool) -> bytes:
    """The inverse of decode: the text in its file's encoding, with its BOM if it had one."""
    return (BOMS[encoding][0] if had_bom and encoding in BOMS else b"") + text.encode(encoding)


def decode(data: bytes, file: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        return _strict_utf8(data[3:], file, had_bom=True)
    for enc, (bom, label) in BOMS.items():
        if enc == "utf-8":
            continue
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                return Decoded(None, enc, True, [messages.make(
                    "encoding/invalid", file, 1, 1, byte=f"{label} 第{exc.start + len(bom) + 1}字节")])
            return Decoded(text, enc, True, [messages.make("encoding/legacy", file, 1, 1, encoding=label)])
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return Decoded(None, "binary", False, [messages.make("encoding/binary", file, 1, 1, what=what)])
    if b"\x00" in data:
        if data.count(b"\x00") * 4 >= len(data):
            what = "似乎是无 BOM 的 UTF-16/UTF-32 文本，请另存为 UTF-8"
        else:
            what = "含有 NUL 字节"
        return Decoded(None, "binary", False, [messages.make("encoding/binary", file, 1, 1, what=what)])
    return _strict_utf8(data, file, had_bom=False)


def _strict_utf8(data: bytes, file: str, had_bom: bool) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8", had_bom)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    lines = data.split(b"\n")
    utf8_lines, other_lines = [], []
    broken: tuple[int, int, int] | None = None  # (line, byte offset, bytes left) of a cut UTF-8 character
    offset = 0
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            cut = _cut_character(raw, exc)
            if cut is None:
                other_lines.append(number)
            else:  # a UTF-8 line with one character cut short: not another encoding
                utf8_lines.append(number)
                if broken is None:
                    broken = (number, offset + exc.start, cut)
            offset += len(raw) + 1
            continue
        offset += len(raw) + 1
        if not text.isascii():
            utf8_lines.append(number)
    if not utf8_lines:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(text, "gb18030", had_bom,
                           [messages.make("encoding/legacy", file, 1, 1, encoding="GB18030（GBK）")])
    gb_lines = [n for n in other_lines if _is_gb18030_text(lines[n - 1])]
    if utf8_lines and gb_lines:
        minority = gb_lines if len(gb_lines) <= len(utf8_lines) else utf8_lines
        label = "GBK" if minority is gb_lines else "UTF-8"
        shown = "、".join(str(n) for n in minority[:10]) + ("…" if len(minority) > 10 else "")
        return Decoded(None, "mixed", had_bom, [messages.make(
            "encoding/mixed", file, minority[0], 1, label=label, lines=shown)])
    if broken is not None and not other_lines:
        _, at, have = broken
        line, column = _line_col_of_byte(data, at)
        return Decoded(None, "utf-8", had_bom, [messages.make(
            "encoding/invalid", file, line, column, variant="truncated", have=have,
            byte=" ".join(f"0x{b:02X}" for b in data[at:at + have]))])
    line, column = _line_col_of_byte(data, first_bad)
    return Decoded(None, "utf-8", had_bom, [messages.make(
        "encoding/invalid", file, line, column, byte=f"0x{data[first_bad]:02X}")])


def _cut_character(raw: bytes, exc: UnicodeDecodeError) -> int | None:
    """How many bytes are left of a UTF-8 character cut short on this line (None: the line is not
    UTF-8 with one cut character, e.g. GBK text): a lead byte and fewer continuation bytes than it
    announces, then the end of the line or a byte that starts something new, the rest valid UTF-8
    with some non-ASCII text."""
    start = exc.start
    lead = raw[start]
    need = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
    have = 1
    while have < need and start + have < len(raw) and 0x80 <= raw[start + have] <= 0xBF:
        have += 1
    if not need or have >= need:
        return None
    try:
        before, after = raw[:start].decode("utf-8"), raw[start + have:].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return have if not (before + after).isascii() else None


def _is_gb18030_text(raw: bytes) -> bool:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return line, len(prefix) + 1
