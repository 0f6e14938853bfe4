"""The house style: every layout number, read from YAML data and checked against its schema."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal

from reporttool.problems import Problem
from reporttool.resources import templates_dir

SCHEMA = "house-style"
RECORD_STYLES = ("record_cc", "record_print")  # the paragraphs of the 版记, ruled as one group

# 中文字号 → points (the standard table used by Word and WPS).
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
         "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5}
_DIGITS = dict(zip("12345678", "一二三四五六七八"))


def points(size) -> float:
    if isinstance(size, (int, float, Decimal)):
        return float(size)
    text = str(size).strip()
    if text.replace(".", "", 1).isdigit():  # the schema refuses quoted numbers; never crash on one
        return float(text)
    if text[:1] in _DIGITS:
        text = _DIGITS[text[0]] + text[1:]
    if text.startswith("小") and text[1:2] in _DIGITS:
        text = "小" + _DIGITS[text[1]]
    return float(SIZES[text])


class StyleError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("版式文件有误")
        self.problems = problems


@dataclass(frozen=True)
class HouseStyle:
    """The merged house-style data."""

    data: dict

    def __getitem__(self, key):
        return self.data[key]

    def style(self, name: str) -> dict:
        return self.data["styles"][name]

    @property
    def body_pt(self) -> float:
        return points(self.style("body")["size"])


def _read(path, display: str) -> dict:
    from reporttool.check import schema
    from reporttool.load.files import load_bytes, read_draft

    data, problems = read_draft(str(path), display)
    if data is None:
        raise StyleError(problems)
    loaded = load_bytes(data, display)
    problems = loaded.problems + schema.check(loaded, SCHEMA)
    if any(p.severity.value == "error" for p in problems) or not isinstance(loaded.data, dict):
        raise StyleError(problems or loaded.problems)
    return loaded.data


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load(override_path: str | None = None) -> HouseStyle:
    """The default house style, with `override_path` (any subset) laid over it."""
    default = _read(templates_dir() / "house-style.yaml", "house-style.yaml")
    if override_path:
        default = _merge(default, _read(override_path, override_path))
    return HouseStyle(default)
