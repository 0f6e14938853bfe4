"""Numbers in imported prose → typed metrics with the relations the text states, and the prose
rewritten to reference them (【名称】).

A number becomes a metric only when the metric renders back to exactly the text it replaces, so
import → render loses nothing. Numbers with “。” for a decimal point are metrics the prose does not
reference (it keeps them as written, where validation reports them); placeholders and numbers
without a known unit stay prose.

What a careful writer reads in a sentence, and this module declares:
- 其中 (and 含, 包括, “专任教师中，…”): the parts of the total they belong to, also inside
  brackets and several lists in one sentence; a list is whole (checked as a sum) when its parts
  are one kind of split (学段, 公办/民办, 城乡, 男女…) or add up, else partial (only the bound);
- 比上年/较上年/同比 增加/减少 N, 增长 N%, 提高 N 个百分点, 由 A 增加到 B: previous, change, growth;
- 就业率 P% after its base and its count, 占 P%: the rate's numerator and denominator;
- the stage (小学, 初中…) a figure's clause is about, in the names of pupils, classes and staff.
"""

from __future__ import annotations

import re

from reporttool.importer import names
from reporttool.importer.breakdowns import find_lists
from reporttool.importer.changes import COMPARE, FROM, read_changes
from reporttool.importer.figures import (
    BRACKETED,
    Context,
    Extracted,
    Figure,
    clause_start,
    compatible,
    depth_at,
    empty,
    find_figures,
    is_bare,
    percent,
    period_starts,
    probe,
    role_of,
    sentence_starts,
    stage_word,
)
from reporttool.importer.names import Namer
from reporttool.importer.rates import read_rates
from reporttool.model import units
from reporttool.model.references import field_text

__all__ = ["Context", "Extracted", "Namer", "context_of", "extract"]


def extract(text: str, namer: Namer, context: Context | None = None) -> tuple[str, list[Extracted]]:
    """Return the prose with references, and the metrics it references, in order."""
    context = context or Context()
    figs = find_figures(text)
    if not figs:
        return text, []
    sentences = sentence_starts(text)
    read_changes(text, figs)
    _own_names(text, figs, sentences)
    _respectively(text, figs)
    lists = find_lists(text, figs, sentences, context.earlier)
    _stages(text, figs, context, sentences)
    live = [f for f in figs if not f.consumed]
    read_rates(text, figs, lists, namer)
    # names in text order: a total is named before its parts, which may take its noun
    parts_of = {id(part): found_list for found_list in lists for part in found_list.parts}
    for index, f in enumerate(live):
        owner = parts_of.get(id(f))
        if owner is not None and names.dimension(f.own, owner.total.own) and is_bare(f.own):
            f.own = names.qualify(f.own, owner.total.name or owner.total.own)
        elif owner is None and is_bare(f.own):
            f.own = _like_before(f, live[:index]) or f.own
        longer = names.shorten(names.peel(text[f.clause_start:f.start]), 20)
        f.name = namer.unique(f.own, longer if len(longer) > len(f.own) and longer.endswith(f.own) else "")
        metric = f.metric or empty(f)
        metric.name = f.name
        metric.referenced = f.referenced
        f.metric = metric
    for f in live:
        if f.rate_of is not None and f.metric is not None:
            numerator, denominator = f.rate_of
            f.metric.numerator = numerator.name
            f.metric.denominator = denominator if isinstance(denominator, str) else denominator.name
    _bounds(live)
    _announced(text, live, namer)
    for f in live:
        namer.remember(f.own, f.name, f.quantity.unit)
    context.earlier.extend(live)
    for found_list in lists:
        total = found_list.total.metric
        if total is None:
            continue
        part_names = [p.name for p in found_list.parts]
        if not total.parts:
            total.parts, total.partial = part_names, found_list.partial
        else:
            total.breakdowns.append((part_names, found_list.partial))
        if found_list.note:
            total.notes.append(found_list.note)
    return _rewrite(text, figs), [f.metric for f in live if f.metric is not None]


_RESPECTIVELY = re.compile(r"(?:分别为|分别是|分别达到|分别达|分别有|分别)$")

_SPLIT_NAMES = re.compile("[、和及与]")


def _own_names(text: str, figs: list[Figure], sentences: list[int]) -> None:
    full = period_starts(text)
    previous_end = 0
    for f in figs:
        f.sentence = max(i for i, s in enumerate(sentences) if s <= f.start)
        f.period = max(i for i, s in enumerate(full) if s <= f.start)
        f.depth = depth_at(text, f.start)
        f.clause_start = max(clause_start(text, f.start), previous_end if previous_end <= f.start else 0)
        previous_end = f.end
        if f.consumed:
            continue
        after = text[f.end:f.end + 24]
        before = BRACKETED.sub("", text[f.clause_start:f.start])
        start = next((g for g in figs if g.owner is f and g.field == "上年" and g.start < f.start), None)
        if start is not None:  # 大班额由2023年的46个减少到0个: named by what comes before 由
            before = FROM.sub("", text[clause_start(text, start.start):start.start])
        before = COMPARE.sub("", before)
        f.own = names.phrase_name(before, after, "")
        if not f.own:
            word = re.split(r"[，,、；;：:。！？（()）\s]", after, maxsplit=1)[0][:12]
            f.own = "" if re.search(r"[0-9【】_Xx]", word) else word
        f.own = f.own or f.quantity.unit.kind.title
        if percent(f) and f.own.endswith("占"):  # “参与教师占93.7%”
            f.own = f.own[:-1] + "占比"


def _respectively(text: str, figs: list[Figure]) -> None:
    """“小学、初中、高中在校生分别为25630人、14300人、8110人”: one name each (the names may also
    stand in the clause before: “落实乡镇工作补贴和乡村教师生活补助，人均每月分别为500元和400元”)."""
    for i, f in enumerate(figs):
        match = _RESPECTIVELY.search(text, 0, f.start)
        if not match or match.end() != f.start:
            continue
        group = [f]
        for g in figs[i + 1:]:
            if text[group[-1].end:g.start] not in ("、", "，", ",", "和", "及", "与"):
                break
            group.append(g)
        start = max((j + 1 for j in range(match.start()) if text[j] in "，,；;。：:（()）"), default=0)
        listed = [n for n in _SPLIT_NAMES.split(text[start:match.start()]) if names.peel(n)]
        if len(listed) < 2 and start > 0:
            earlier = max((j + 1 for j in range(start - 1) if text[j] in "，,；;。：:（()）"), default=0)
            listed = [n for n in _SPLIT_NAMES.split(text[earlier:start - 1]) if names.peel(n)]
        if len(listed) < 2 or len(group) != len(listed):
            continue
        last = names.peel(listed[-1])
        qualifier = next((w for ws in names.DIMENSIONS.values() for w in ws if last.startswith(w) and last != w), "")
        suffix = last[len(qualifier):] if qualifier else ""
        for g, listed_name in zip(group, listed):
            own = names.shorten(names.peel(listed_name))
            g.own = own + suffix if suffix and is_bare(own) else own


_LABEL = re.compile(r"\s*(?:其中)?(?P<stage>普通高中|初级中学|小学|初中|高中|幼儿园|学前)(?:阶段|教育|学段|部分)?[：:，,]")

_ROLE_TAIL = re.compile(r"(?:在校学生|在校生|学生|教学班|班级|教职员工|教职工|在编教职工|专任教师|教师)(?:数|总数|人数)?$")


def _stages(text: str, figs: list[Figure], context: Context, sentences: list[int]) -> None:
    """Name bare pupils, classes and staff figures with what their clause is about: the stage (and
    place) of the figure before them (城区小学在校生15620人、教学班318个 → 城区小学教学班), or a
    label the clause starts with (小学：学校45所，在校生……)."""
    current: str | None = context.stage_word
    sentence = -1
    for f in figs:
        if f.sentence != sentence:
            sentence, current = f.sentence, context.stage_word
            label = _LABEL.match(text, sentences[sentence])
            if label and label.end() <= f.start:
                current = label.group("stage")
        if f.consumed:
            continue
        clause = text[f.clause_start:f.start]
        if names.MIXED_STAGES.search(clause):
            if f.total is None:
                current = None
            continue
        word = stage_word(clause)
        if word is not None and f.total is None:
            listed = text[f.clause_start - 1:f.clause_start] == "、" or (
                text[f.end:f.end + 1] == "、" and stage_word(text[f.end + 1:f.end + 8]) is not None)
            tail = _ROLE_TAIL.search(f.own)
            subject = f.own[:tail.start()] if tail and stage_word(f.own[:tail.start()]) else word
            current = None if listed else subject  # 小学6所、初中1所: a list of stages, about none of them
        if names.role_only(f.own) and current is not None and f.total is None:
            f.own = current + f.own


def context_of(heading: str | None) -> Context:
    """The stage a block's heading is about (“（二）小学教育”), for figures that do not say it."""
    if not heading or len(heading) > 30:
        return Context()
    return Context(stage_word(heading))


_ANNOUNCE = re.compile(r"[^。；;！？!?，,]{0,16}?(?:工作|任务|措施|举措|问题|方面|内容|工程|行动|实事|项目|目标)?[：:]")


def _announced(text: str, live: list[Figure], namer: Namer) -> None:
    """A count followed by a colon that opens the entries it announces."""
    for f in live:
        if f.metric is None or not units.is_kind(f.quantity.unit, units.COUNT) or f.quantity.approx or \
                f.total is not None:
            continue
        colon = _ANNOUNCE.match(text, f.end)
        if colon is None or any(g.start >= f.end and g.start < colon.end() for g in live):
            continue
        rest = text[colon.end():].strip()
        if re.match(r"一是|首先|第一", rest):
            f.metric.announces = "run-in"
        elif not rest:
            f.metric.announces = "list"
        else:
            continue
        what = re.sub("的|如下|以下", "", text[f.end:colon.end() - 1]).strip()
        if 2 <= len(what) <= 10 and re.fullmatch("[\u4e00-\u9fff]+", what) and what not in f.name:
            f.metric.name = f.name = namer.unique(what)  # “主要存在以下2个方面的问题：” announces 方面问题


def _bounds(live: list[Figure]) -> None:
    """“教职工5210人，专任教师4680人”: 专任教师 are some of the 教职工 stated beside them (of the
    same stage), though not written as their 其中."""
    for f in live:
        if f.metric is None or f.total is not None or role_of(f.own) != "teachers" or not re.search("专任教师", f.own):
            continue
        staff = {f.own.replace("专任教师", word) for word in ("教职工", "教职员工", "在编教职工")}
        for g in live:  # the 教职工 of the same stage and place (小学专任教师 ≤ 小学教职工), not 新招聘教职工
            if g is f or g.period != f.period or g.own not in staff or not compatible(f, g):
                continue
            f.metric.at_most.append(g.name)
            break


def _like_before(f: Figure, before: list[Figure]) -> str | None:
    """“生均公用经费小学由650元提高到800元、初中由850元提高到1000元”: a bare 初中 is named like the
    figure before it in the sentence that names another word of its kind (生均公用经费初中)."""
    kind = next((words for words in names.DIMENSIONS.values() if f.own in words), ())
    for g in reversed(before):
        if g.sentence != f.sentence or not compatible(f, g):
            continue
        word = next((w for w in sorted(kind, key=len, reverse=True) if w != f.own and w in g.name), None)
        if word:
            return g.name.replace(word, f.own, 1).split("（")[0]
    return None


def _rewrite(text: str, figs: list[Figure]) -> str:
    """The text with each referenced figure replaced by its reference (a previous value, change or
    growth through the figure it belongs to, when the reference reads exactly as written)."""
    out, last = [], 0
    spans: list[tuple[int, int, str]] = []
    for f in figs:
        owner = f.owner
        if owner is None:
            if f.metric is not None and f.referenced:
                spans.append((f.start, f.end, f"【{f.name}】"))
        elif owner.metric is not None and owner.referenced and f.referenced and \
                field_text(probe(owner.metric), f.field) == f.text:
            spans.append((f.start, f.end, f"【{owner.name}：{f.field}】"))
    for start, end, replacement in sorted(spans):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)
