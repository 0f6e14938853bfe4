"""Which shapes the draft schema admits (a part without heading, achievements inside 基本情况, a
third item level, further breakdowns, an unfilled 成文日期): the importer writes a shape only
when the schema it is checked against has it, so every draft it writes stays valid, and says
in a note what it could not write."""

from __future__ import annotations

import functools

_META = {"title": "标题", "issuer": "发文机关", "year": 2026, "kind": "special", "date": "2026-12-02"}
_SECTION = {"heading": "甲", "text": "乙。\n"}


def _valid(**document: object) -> bool:
    from reporttool.check import schema

    data = {"schema_version": 1, "meta": dict(_META), "achievements": {"sections": [_SECTION]}}
    for key, value in document.items():
        if key == "date":
            data["meta"]["date"] = value  # type: ignore[index]
        else:
            data[key] = value
    return schema.is_valid(data)


@functools.cache
def headless(role: str) -> bool:
    """A part of this role may say that the source gives it no heading."""
    if role == "achievements":
        return _valid(achievements={"headless": True, "sections": [_SECTION]})
    return _valid(**{role: {"headless": True, "text": "乙。\n"}})


@functools.cache
def in_profile() -> bool:
    """Achievements may continue the 基本情况 part."""
    return _valid(profile={"heading": "基本情况", "text": "乙。\n"},
                  achievements={"in_profile": True, "sections": [_SECTION]})


@functools.cache
def details() -> bool:
    """A sub-item may have items of its own (a third level below a section or plan item)."""
    item = {"text": "乙。\n", "items": [{"text": "丙。\n", "items": [{"text": "丁。\n"}]}]}
    return _valid(achievements={"sections": [{"heading": "甲", "items": [item]}]})


@functools.cache
def breakdowns() -> bool:
    """A total may have more than one 其中 (by stage and by ownership)."""
    metrics = [{"name": "学校", "value": 3, "unit": "所", "parts": ["甲"], "breakdowns": [{"parts": ["乙"], "partial": True}]},
               {"甲": "3所"}, {"乙": "1所"}]
    return _valid(achievements={"sections": [{"heading": "甲", "metrics": metrics}]})


@functools.cache
def unfilled_date(placeholder: str) -> bool:
    """The 成文日期 may be left as a placeholder (reported until it is filled in)."""
    return _valid(date=placeholder)


@functools.cache
def at_most() -> bool:
    """A figure may name another it cannot exceed (专任教师 ≤ 教职工)."""
    metrics = [{"name": "专任教师", "value": 3, "unit": "人", "at_most": "教职工"}, {"教职工": "4人"}]
    return _valid(achievements={"sections": [{"heading": "甲", "metrics": metrics}]})


@functools.cache
def counts() -> bool:
    """A figure may announce how many entries follow it (实施5项民生实事：一是……)."""
    metrics = [{"name": "民生实事", "value": 2, "unit": "项", "counts": "items"}]
    return _valid(achievements={"sections": [{"heading": "甲", "text": "乙。\n", "metrics": metrics}]})


@functools.cache
def lead_metrics() -> bool:
    """The lead before the achievements' sections may declare figures (重点实施5大工程)."""
    return _valid(achievements={"text": "乙。\n", "metrics": [{"工程": "5项"}], "sections": [_SECTION]})
