"""Title line breaks (GB/T 9704 7.3.1): whole words, fewest lines, a 梯形/菱形 shape."""

from __future__ import annotations

import itertools
import json
import math
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from reporttool.render import title as title_module
from reporttool.render.title import DOMAIN_WORDS, break_title, shape_ok, text_width

LINE = 20  # 2号 (22 pt) in a 156 mm 版心: 442 pt / 22 pt ≈ 20 字
NARROW = (12, 15)  # narrower lines, so that titles break into three and four lines too

CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not beside this checkout")

# Realistic long titles of county reports (关于…的报告, …总结及…计划, 县人民政府关于…的汇报, …).
TITLES = [
    "某某县教育体育局2026年工作总结及2027年工作计划",
    "关于推进县域义务教育优质均衡发展工作情况的汇报",
    "县人民政府关于学前教育普及普惠县创建工作情况的汇报",
    "县人民政府关于推进县域义务教育优质均衡发展工作情况的汇报",
    "关于落实“双减”政策提升课后服务质量工作情况的报告",
    "某某县教育局关于2026年上半年工作总结及下半年工作计划的报告",
    "某某市某某区教育局2026年上半年工作总结及下半年工作计划",
    "某某县人民政府关于2026年县域义务教育优质均衡发展督导评估迎检准备工作情况的汇报",
    "关于印发《某某县教育高质量发展三年行动计划（2026—2028年）》的报告",
    "某某县投入1557.42万元改善农村薄弱学校办学条件工作情况的汇报",
    "县教育体育局关于2026年度全面从严治党主体责任落实情况的报告",
    "关于某某县2026年控辍保学和营养改善计划实施情况的报告",
    "某某县教育体育局关于2026—2027学年度普通高中多样化特色发展工作情况的汇报",
    "XX县教育局2026年工作总结及2027年工作打算",
    "某某县教育和体育局关于国家通用语言文字推广普及工作情况的自评报告",
    "某某县人民政府关于创建全国学前教育普及普惠县工作情况的汇报",
    "关于某某县教师队伍建设和“县管校聘”管理改革工作情况的汇报",
    "某某县教育体育局2026年上半年工作总结",
    "某某县人民政府办公室关于全县校园安全专项整治工作情况的报告",
    "关于加快推进某某县教育高质量发展的调研报告",
    "某某县2026年教育工作要点及重点任务分解情况的报告",
    "20__年某某县教育体育局工作总结及20__年工作计划",
    "关于铸牢中华民族共同体意识推进民族团结进步教育工作的汇报",
    "某某县教育体育局2026年工作总结及下一步工作计划",
    "会泽县教育体育局关于2026年义务教育阶段学校招生入学工作情况的报告",
    "乌拉特前旗教育局2026年工作总结及2027年工作计划",
    "云南省昆明市五华区教育体育局关于学前教育发展提升行动计划实施情况的汇报",
    "关于某某县第3届中小学生运动会筹备工作情况的报告",
    "县人民政府关于2026年度教育经费投入和使用管理情况的报告",
    "关于推进“五育并举”促进学生全面发展工作情况的汇报",
]

# Words and names that must never be split, whatever the segmenter says.
MUST_STAY_WHOLE = [
    "义务教育", "优质均衡", "工作总结", "工作计划", "工作汇报", "工作打算", "工作要点", "工作情况",
    "教育体育局", "教育和体育局", "教育局", "人民政府", "学前教育", "普及普惠县", "高质量发展", "双减", "县域",
    "某某县教育体育局", "某某县教育局", "某某县人民政府", "某某县人民政府办公室", "某某市某某区教育局",
    "XX县教育局", "会泽县教育体育局", "乌拉特前旗教育局", "云南省昆明市五华区教育体育局", "某某县教育和体育局",
    "2026年", "2027年", "20__年", "2026年度", "1557.42万元", "2026—2027学年度", "（2026—2028年）", "第3届",
    "控辍保学", "营养改善计划", "县管校聘", "五育并举", "“双减”", "“县管校聘”", "“五育并举”",
    "全面从严治党", "主体责任", "通用语言文字", "中华民族", "共同体意识", "自评报告", "调研报告",
    "普通高中", "多样化", "督导评估", "校园安全", "教育经费", "下一步", "上半年", "下半年",
]

CLOSING = set("，。、；：？！”’）》〉」』】〕…—%),.;:?!]")
OPENING = set("“‘（《〈「『【〔([")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def corpus_titles() -> list[str]:
    """The title of each report: the first non-empty line(s), page furniture and 篇N marks removed."""
    found = []
    for path in CORPUS_FILES:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines = [line for line in lines if not line.startswith("当前位置")]
        if not lines:
            continue
        first = lines[0]
        for length in range(min(60, len(first) // 2), 3, -1):  # a title pasted twice: “……汇报……汇报一、”
            if first[length:].startswith(first[:length]):
                first = first[:length]
                break
        candidates = [first] + [m.group(1) for line in lines if (m := re.match(r"(.+?)\s*篇\s*\d+$", line))]
        for candidate in candidates:
            if len(candidate) <= 60 and "。" not in candidate and not _NUMBERING.match(candidate):
                found.append(candidate)
    return sorted(set(found))


def corpus_headings() -> list[str]:
    """Heading-like lines of the corpus (short, no full stop): more real text to break at narrow widths."""
    found = set()
    for path in CORPUS_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if 6 <= len(line) <= 40 and "。" not in line and "当前位置" not in line:
                found.add(line)
    return sorted(found)


@pytest.fixture(scope="module")
def words():
    """jieba's own segmentation with the domain words added (built here, not taken from the module)."""
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word)
    return lambda text, width: _inside_both(text, width, tokenizer)


def _inside_both(text: str, width: float, tokenizer) -> set[int]:
    """Positions inside a word of either of jieba's segmentations (with and without HMM) that fits a line."""
    out: set[int] = set()
    for hmm in (False, True):
        at = 0
        for word in tokenizer.cut(text, HMM=hmm):
            if text_width(word) <= width:
                out.update(range(at + 1, at + len(word)))
            at += len(word)
    return out


def breaks_of(lines: list[str]) -> list[int]:
    out, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        out.append(at)
    return out


def split_units(text: str, width: float, cut: list[int]) -> list[str]:
    """The hand-written words, book titles, quotes and brackets that fit a line but `cut` splits."""
    spans = [m for word in MUST_STAY_WHOLE for m in re.finditer(re.escape(word), text)]
    spans += list(re.finditer(r"《[^》]*》|“[^”]*”|（[^）]*）", text))
    return [m.group() for m in spans if text_width(m.group()) <= width
            and [p for p in cut if m.start() < p < m.end()]]


def check(text: str, width: float, words_inside) -> list[str]:
    """break_title's lines for `text`, checked against every rule; returns them."""
    lines = break_title(text, width)
    assert "".join(lines) == text
    assert all(text_width(line) <= width for line in lines), lines
    assert break_title(text, width) == lines  # deterministic
    if text_width(text) <= width:
        assert lines == [text]
        return lines
    assert len(lines) >= max(2, math.ceil(text_width(text) / width))
    cut = breaks_of(lines)
    limit = int(width * 2)
    layout = title_module._Layout(text, limit)
    allowed = layout.breaks(title_module._Rules())
    if not set(cut) <= set(allowed):
        # a rule given up: only for a title that no layout can break within all of them
        assert not fits(layout, allowed, limit, 1), (lines, "a layout within the rules was possible")
        words_kept = layout.breaks(title_module._Rules(years=False, punctuation=False, units=False))
        assert not set(cut) & words_inside(text, width) or not fits(layout, words_kept, limit, 1), lines
        units_kept = layout.breaks(title_module._Rules(years=False, punctuation=False))
        assert not split_units(text, width, cut) or not fits(layout, units_kept, limit, 1), lines
        return lines
    # whole words: jieba's words (with the domain words), the hand-written list, brackets and quotes
    assert not set(cut) & words_inside(text, width), lines
    assert not split_units(text, width, cut), lines
    # the typographic rules; a short line, and so a lone 关于, only where no layout avoids one
    short = min(text_width(line) for line in lines) < title_module.MIN_LINE
    assert not short or not fits(layout, allowed, limit, 2 * title_module.MIN_LINE), (lines, "a short line")
    assert short or "关于" not in lines
    assert not [a + "/" + b for a, b in zip(lines, lines[1:]) if b[0] in CLOSING or a[-1] in OPENING], lines
    assert not [a for a, b in zip(lines, lines[1:]) if re.search(r"(?:[0-9_]年|半年)$", a) and b.startswith("工作")], lines
    assert_fewest_and_cheapest(layout, allowed, limit, lines, 1 if short else 2 * title_module.MIN_LINE)
    return lines


def fits(layout, allowed: list[int], limit: int, minimum: int) -> bool:
    """Whether any number of lines, each `minimum` to `limit` wide (in ½ 字), can be cut at `allowed`."""
    ends = [0, *allowed, len(layout.text)]
    reached = {0}
    for j in range(1, len(ends)):
        if any(minimum <= layout.width(ends[i], ends[j]) <= limit for i in reached):
            reached.add(j)
    return len(ends) - 1 in reached


def assert_fewest_and_cheapest(layout, allowed: list[int], limit: int, lines: list[str], minimum: int) -> None:
    """Against every layout at the allowed breaks: fewer lines never fit in a valid shape, two fewer never
    fit at all (the shape may cost one line); the shape holds if any layout of this many lines has it;
    and none of those is cheaper than the one chosen."""
    text = layout.text

    def layouts(n: int):
        if n < 1 or math.comb(len(allowed), n - 1) > 50000:
            return
        for cut in itertools.combinations(allowed, n - 1):
            bounds = [0, *cut, len(text)]
            widths = [layout.width(a, b) for a, b in zip(bounds, bounds[1:])]
            if max(widths) <= limit and min(widths) >= minimum:
                yield cut, widths

    n = len(lines)
    fewer = list(layouts(n - 1)) if n > 2 else []
    assert not [cut for cut, widths in fewer if shape_ok(widths)], (lines, "fewer lines fit in shape")
    assert n <= 3 or not list(layouts(n - 2)), (lines, "two lines fewer fit")
    shaped = {cut: widths for cut, widths in layouts(n) if shape_ok(widths)}
    if not shaped:  # no layout of n lines has the shape: then n must be the fewest without it
        assert not fewer, (lines, "fewer lines fit")
        return
    assert shape_ok([text_width(line) for line in lines]), lines

    def cost(cut, widths) -> int:
        total, previous, phase = sum(layout.cost(at) for at in cut), -1, 0
        for width in widths:
            step = title_module._step(phase, previous, width, None)
            assert step is not None
            phase, previous, total = step[0], width, total + step[1]
        return total

    chosen = tuple(breaks_of(lines))
    costs = {cut: cost(cut, widths) for cut, widths in shaped.items()}
    assert chosen in costs and costs[chosen] == min(costs.values()), lines


@pytest.mark.parametrize("width", [LINE, *NARROW])
@pytest.mark.parametrize("text", TITLES, ids=[f"title{i:02d}" for i in range(len(TITLES))])
def test_own_titles(text, width, words):
    check(text, width, words)


def test_own_titles_are_long():
    assert len(TITLES) >= 20 and len(set(TITLES)) == len(TITLES)
    assert sum(text_width(t) > LINE for t in TITLES) >= 20


@needs_corpus
def test_corpus_titles_are_found():
    assert {"全县义务教育均衡发展工作汇报", "教育体育局工作总结及下一步工作计划"} <= set(corpus_titles())


@needs_corpus
@pytest.mark.parametrize("width", [LINE, 14, 12, 10, 8])
def test_corpus_titles(width, words):
    for text in corpus_titles():
        lines = check(text, width, words)
        if width == LINE:
            assert lines == [text]  # every corpus title fits one 2号 line


@needs_corpus
@pytest.mark.parametrize("width", [12, 9])
def test_corpus_headings(width, words):
    for text in corpus_headings():
        check(text, width, words)


def test_the_two_failures_of_issue_10():
    # "…及2027年 / 工作计划": the year stays with what it qualifies, the organ name leads
    assert break_title("某某县教育体育局2026年工作总结及2027年工作计划", LINE) == [
        "某某县教育体育局", "2026年工作总结及2027年工作计划"]
    # "…义务教 / 育优质…": never inside a word
    lines = break_title("关于推进县域义务教育优质均衡发展工作情况的汇报", LINE)
    assert lines == ["关于推进县域义务教育", "优质均衡发展工作情况的汇报"]
    for text in TITLES:
        for width in (LINE, *NARROW, 10):
            lines = break_title(text, width)
            assert not [a for a, b in zip(lines, lines[1:]) if a.endswith("年") and b.startswith("工作")], lines


def test_short_titles_stay_on_one_line():
    for text in ["某某县教育体育局2026年工作总结", "全县义务教育均衡发展工作汇报", "关于“双减”工作的汇报", "工作总结"]:
        assert break_title(text, LINE) == [text]
    exactly = "某某县人民政府关于义务教育工作的汇报"  # 18 字
    assert break_title(exactly, 18) == [exactly]
    assert len(break_title(exactly, 17.5)) == 2
    assert break_title("", LINE) == [""]


def test_two_lines_prefer_the_upper_line_not_longer():
    """A reverse pyramid only when no upright layout about as balanced breaks at as good a place."""
    reversed_ = 0
    for text in TITLES:
        lines = break_title(text, LINE)
        if len(lines) != 2 or text_width(lines[0]) <= text_width(lines[1]):
            continue
        reversed_ += 1
        limit = 2 * LINE
        layout = title_module._Layout(text, limit)
        chosen = len(lines[0])
        imbalance = layout.width(0, chosen) - layout.width(chosen, len(text))
        for at in layout.breaks(title_module._Rules()):
            upper, lower = layout.width(0, at), layout.width(at, len(text))
            if upper <= lower <= limit and upper >= 2 * title_module.MIN_LINE:
                assert lower - upper > imbalance + 6 or layout.cost(at) > layout.cost(chosen), (lines, text[:at])
    assert reversed_ <= len(TITLES) // 4  # upright is the rule


def test_widths_and_shapes():
    assert text_width("2027年") == 3
    assert text_width("1557.42万元") == 5.5
    assert text_width("“双减”") == 4
    assert shape_ok([8, 15]) and shape_ok([15, 8]) and shape_ok([6, 10, 7]) and shape_ok([5, 5, 9, 12])
    assert shape_ok([12, 10, 10, 4]) and shape_ok([10])
    assert not shape_ok([10, 6, 10]) and not shape_ok([6, 10, 7, 9])
    with pytest.raises(ValueError):
        break_title("某某县教育体育局2026年工作总结", 0.5)


def test_unbreakable_text_still_fits():
    # a word or a book title wider than the line is broken, but every line fits
    for text, width in [("中华人民共和国义务教育法", 4), ("关于《某某县教育高质量发展三年行动计划》的报告", 8),
                        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 5), ("某某县工作总结", 1)]:
        lines = break_title(text, width)
        assert "".join(lines) == text and all(text_width(line) <= width for line in lines), lines


FRAGMENTS = ["某某县", "教育体育局", "人民政府", "关于", "2026年", "1557.42万元", "义务教育", "优质均衡", "发展",
             "工作总结", "及", "工作计划", "的", "汇报", "报告", "“双减”", "《某某县学前教育普及普惠实施方案》",
             "推进", "县域", "学前教育", "普及普惠", "情况", "高质量发展", "（2026—2028年）", "、", "和", "第3届"]


# Titles of up to ~50 字 at the widths a 2号/3号 title line has; far longer made-up titles at narrow
# widths can need a relaxed rule (see break_title), which test_every_width_from_8_to_26 covers on real ones.
@settings(max_examples=200, deadline=None, derandomize=True)  # the same examples on every run
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8), st.sampled_from([12, 16, 20, 26]))
def test_any_title_keeps_the_rules(words, parts, width):
    check("".join(parts), width, words)


def test_every_width_from_8_to_26(words):
    for text in TITLES:
        for width in range(16, 53):
            check(text, width / 2, words)


def test_import_does_not_load_jieba_and_results_do_not_vary_between_processes():
    code = """
import json, sys
import reporttool.render.title as t
assert "jieba" not in sys.modules, "imported with the module"
assert t.break_title("全县义务教育均衡发展工作汇报", 20) == ["全县义务教育均衡发展工作汇报"]
assert "jieba" not in sys.modules, "loaded for a title that fits"
out = [t.break_title(title, width) for title in json.loads(sys.stdin.read()) for width in (20, 12, 15)]
assert "jieba" in sys.modules
print(json.dumps(out, ensure_ascii=False))
"""
    result = subprocess.run([sys.executable, "-c", code], input=json.dumps(TITLES), capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [break_title(t, w) for t in TITLES for w in (20, 12, 15)]
