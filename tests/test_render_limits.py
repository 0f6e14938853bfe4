"""Drafts at the schema's limits render (issue 16: a schema-valid section of 110 items crashed render).

Each limit is read from the schema itself, so a limit raised there is tested at its new value: the
most sections, items, sub-items, metrics, attachments, problems and plans, the longest text,
heading and title, the most title lines. Each draft must be schema-valid and render to a document
holding what it says (rule findings such as repeated wording are allowed: --allow-errors).
"""

from __future__ import annotations

import io

import pytest
from docx import Document

from conftest import VALID_META
from reporttool.check.draft import check_bytes
from reporttool.check.schema import flat_schema
from reporttool.render.document import render_bytes

SCHEMA = flat_schema("work-report")
PROPS = SCHEMA["properties"]
SECTION = PROPS["achievements"]["properties"]["sections"]["items"]["properties"]
ITEM = SECTION["items"]["items"]["properties"]
LIMITS = {
    "sections": PROPS["achievements"]["properties"]["sections"]["maxItems"],
    "items": SECTION["items"]["maxItems"],
    "subitems": ITEM["items"]["maxItems"],
    "metrics": SECTION["metrics"]["maxItems"],
    "text": SECTION["text"]["maxLength"],
    "heading": SECTION["heading"]["maxLength"],
    "title": PROPS["meta"]["properties"]["title"]["maxLength"],
    "title_lines": PROPS["meta"]["properties"]["title_lines"]["maxItems"],
    "attachments": PROPS["attachments"]["maxItems"],
    "problems": PROPS["problems"]["properties"]["items"]["maxItems"],
    "plans": PROPS["plans"]["properties"]["items"]["maxItems"],
}
SENTENCE = "全县教育系统扎实推进各项工作，办学条件持续改善。"


def prose(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length - 1] + "。"


def section(heading: str = "教育质量稳步提升", body: str = "") -> str:
    return f"    - heading: {heading}\n      text: |\n        {body or SENTENCE}\n"


def draft(achievements: str = "", *, meta: str = VALID_META, tail: str = "") -> str:
    return meta + "achievements:\n  sections:\n" + (achievements or section()) + tail


def cases() -> dict[str, tuple[str, str]]:
    """name → (draft, a text the document must hold)."""
    n = LIMITS
    items = "      items:\n" + "".join(f"        - text: 第{i}项工作按期完成。\n" for i in range(n["items"]))
    sub = "".join(f"            - text: 第{i}个子项已完成。\n" for i in range(n["subitems"]))
    metrics = "      metrics:\n" + "".join(f"        - 指标{i}: {i + 1}所\n" for i in range(n["metrics"]))
    title = ("某县教育体育局" + "关于义务教育优质均衡发展" * 20)[: n["title"] - 4] + "工作总结"
    lines_meta = VALID_META + "  title_lines:\n" + "".join(
        f'    - "{part}"\n' for part in _split("示例县教育局2026年工作总结", n["title_lines"]))
    attachments = "attachments:\n" + "".join(
        f"  - title: 附件{i}的标题\n    text: |\n      {SENTENCE}\n" for i in range(n["attachments"]))
    problems = "problems:\n  items:\n" + "".join(f"    - text: 第{i}个问题有待解决。\n" for i in range(n["problems"]))
    plans = "plans:\n  items:\n" + "".join(f"    - text: 第{i}项计划明年完成。\n" for i in range(n["plans"]))
    return {
        "sections": (draft("".join(section(f"第{i}节工作") for i in range(n["sections"]))),
                     f"第{n['sections'] - 1}节工作"),
        "items": (draft(section() + items), f"第{n['items'] - 1}项工作"),
        "subitems": (draft(section() + "      items:\n        - text: 总的一项。\n          items:\n" + sub),
                     f"第{n['subitems'] - 1}个子项"),
        "metrics": (draft(section() + metrics), SENTENCE[:8]),
        "text": (draft(section(body=prose(n["text"] - 1))), "办学条件持续改善"),  # the block's newline counts
        "heading": (draft(section(heading=("教育质量" * 60)[: n["heading"]])), "教育质量教育质量"),
        "title": (draft(meta=VALID_META.replace("示例县教育局2026年工作总结", title)), "某县教育体育局"),
        "title_lines": (draft(meta=lines_meta), "示例县"),
        "attachments": (draft(tail=attachments), f"附件{n['attachments'] - 1}的标题"),
        "problems": (draft(tail=problems), f"第{n['problems'] - 1}个问题"),
        "plans": (draft(tail=plans), f"第{n['plans'] - 1}项计划"),
    }


def _split(text: str, parts: int) -> list[str]:
    size = -(-len(text) // parts)
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    while len(pieces) < parts:  # more lines than the text has room for: single characters
        longest = max(range(len(pieces)), key=lambda i: len(pieces[i]))
        piece = pieces.pop(longest)
        pieces[longest:longest] = [piece[:1], piece[1:]]
    return pieces


CASES = cases()


@pytest.mark.parametrize("name", list(CASES))
def test_a_draft_at_the_schema_limit_renders(name):
    text, expected = CASES[name]
    data = text.encode("utf-8")
    problems = check_bytes(data, "d.yaml")
    assert not [p for p in problems if p.rule.startswith(("schema/", "yaml/", "internal/"))], \
        [(p.rule, p.message) for p in problems if p.rule.startswith(("schema/", "yaml/", "internal/"))][:3]
    rendered = render_bytes(data, "d.yaml", allow_errors=True, place_record=False)
    document = Document(io.BytesIO(rendered.docx))
    body = "\n".join(p.text for p in document.paragraphs)
    assert expected in body.replace("\n", ""), name


def test_one_more_than_each_limit_is_refused_by_the_schema():
    """The limits tested above are the schema's own: one over is a schema error, not a crash later."""
    over = draft("".join(section(f"第{i}节工作") for i in range(LIMITS["sections"] + 1)))
    assert [p for p in check_bytes(over.encode(), "d.yaml") if p.rule.startswith("schema/")]
