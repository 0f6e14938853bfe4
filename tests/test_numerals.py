"""Chinese numerals for every count a schema-valid draft can hold, checked against a table built
here another way (from spelled-out digits), and in rendered documents (一是 and （一） forms)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from conftest import VALID_META
from reporttool.model.numerals import chinese_number, chinese_numeral

ONES = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]


def reference(n: int) -> str:
    """1–999 as written in 公文 ordinals: 十一 (not 一十一), 一百一十, 一百零五, 二百."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if not hundreds:
        if tens == 0:
            return ONES[ones]
        return ("" if tens == 1 else ONES[tens]) + "十" + ONES[ones]
    head = ONES[hundreds] + "百"
    if rest == 0:
        return head
    if tens == 0:
        return head + "零" + ONES[ones]
    return head + ONES[tens] + "十" + ONES[ones]


SPOT = {1: "一", 10: "十", 11: "十一", 20: "二十", 99: "九十九", 100: "一百", 101: "一百零一", 110: "一百一十",
        111: "一百一十一", 119: "一百一十九", 120: "一百二十", 200: "二百", 205: "二百零五", 300: "三百",
        1000: "一千", 1001: "一千零一", 1010: "一千零一十", 1100: "一千一百", 2000: "二千",
        10000: "一万", 10500: "一万零五百", 15000: "一万五千", 100000: "十万"}


def test_the_reference_table_agrees_with_the_spot_values():
    assert all(reference(n) == text for n, text in SPOT.items() if n < 1000)


@pytest.mark.parametrize("n", range(1, 301))
def test_numerals_1_to_300_match_the_reference_and_read_back(n):
    assert chinese_numeral(n) == reference(n)
    assert chinese_number(chinese_numeral(n)) == n


def test_larger_counts_and_reading():
    for n, text in SPOT.items():
        assert chinese_numeral(n) == text and chinese_number(text) == n
    assert chinese_number("一二") is None and chinese_number("") is None and chinese_number("是") is None
    with pytest.raises(ValueError):
        chinese_numeral(0)


def render(text: str) -> Document:
    from reporttool.api import render_text

    return Document(io.BytesIO(render_text(text).docx))


def test_110_items_run_in_render_as_one_paragraph_numbered_to_一百一十是():
    items = "".join(f"        - text: |\n            完成第{n}项工作任务。\n" for n in range(1, 111))
    doc = render(VALID_META + "achievements:\n  sections:\n    - heading: 重点工作\n      items:\n" + items)
    joined = next(p.text for p in doc.paragraphs if p.text.startswith("一是"))
    pieces = joined.rstrip("。").split("；")
    assert len(pieces) == 110
    for n, piece in enumerate(pieces, start=1):
        assert piece == f"{reference(n)}是完成第{n}项工作任务", piece
    assert pieces[99].startswith("一百是") and pieces[109].startswith("一百一十是")


def test_100_sections_and_200_problems_number_to_一百_and_二百():
    sections = "".join(f"    - heading: 第{n}节标题\n      text: |\n        正文。\n" for n in range(1, 101))
    problems = "".join(f"    - heading: 问题{n}\n      text: |\n        内容。\n" for n in range(1, 201))
    doc = render(VALID_META + "achievements:\n  sections:\n" + sections + "problems:\n  items:\n" + problems)
    headings = [p.text for p in doc.paragraphs if p.style.name == "二级标题"]
    assert headings == [f"（{reference(n)}）第{n}节标题" for n in range(1, 101)]
    assert "（十十）" not in "".join(headings)
    runs = [p.runs[0].text for p in doc.paragraphs if p.text.startswith("（") and p.style.name == "公文正文"]
    assert runs == [f"（{reference(n)}）问题{n}。" for n in range(1, 201)]


def test_500_items_numbered_render_1_to_500():
    items = "".join(f"        - text: |\n            第{n}项。\n" for n in range(1, 501))
    doc = render(VALID_META + "achievements:\n  sections:\n    - heading: 重点工作\n      item_numbering: numbered\n"
                 "      items:\n" + items)
    numbered = [p.text for p in doc.paragraphs if p.style.name == "公文正文"]
    assert numbered == [f"{n}.第{n}项。" for n in range(1, 501)]
