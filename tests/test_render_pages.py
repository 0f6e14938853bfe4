"""Pagination as a proof-reader checks it, on LibreOffice's PDF of real rendered documents.

GB/T 9704 7.3.5.5: 署名 and 成文日期 never stand on a page without 正文 (nor does 附件说明); no
blank page; 7.3.7: an attachment page has 附件N on line 1, a blank line 2 and its title on line 3.
Checked on the bundled examples, a long generated draft, and drafts whose 正文 ends on every line
of a page followed by a long 附件说明.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from pdfpages import MM, lines, to_pdf, words  # skips the module without LibreOffice

PITCH = 579 / 20  # points: one grid line
FOLIO = re.compile(r"^—\d+—$")

META = """schema_version: 1
meta:
  title: 示例县教育局关于全县义务教育薄弱环节改善与能力提升工作情况的报告
  issuer: 示例县教育局
  recipient: 县人民政府
  year: 2026
  kind: special
  date: 2026-12-02
"""
LINE = "全县教育系统认真落实各项工作部署，"  # 17 字 + “，”: one line of a body paragraph
ATTACHMENTS = [  # long names wrap; the fourth has a title only (listed, never a page)
    ("全县义务教育薄弱环节改善与能力提升项目资金安排明细表", "按乡镇列出各项目的资金安排。"),
    ("全县中小学校舍维修改造项目清单", "按学校列出维修改造内容。"),
    ("全县农村学校教师周转宿舍建设项目进度表", "按项目列出建设进度。"),
    ("全县中小学校安全隐患排查整改台账", None),
    ("全县义务教育阶段学校办学条件达标情况统计表及说明", "按学校列出各项指标的达标情况。"),
    ("全县教育信息化设备配备清单", "按学校列出设备配备情况。"),
]


def draft(lead_lines: int, attachments=ATTACHMENTS) -> str:
    """A report whose 正文 ends `lead_lines` lines further down the page than with 0."""
    preface = "".join(f"  {LINE}第{n}段。\n" for n in range(1, lead_lines + 1)) or f"  {LINE}现将有关情况报告如下。\n"
    section = "        " + LINE * 8 + "取得明显成效。\n"
    out = META + "preface: |\n" + preface + "achievements:\n  sections:\n"
    for heading in ("强化统筹规划", "加大经费投入", "狠抓项目落实"):
        out += f"    - heading: {heading}\n      text: |\n{section}"
    out += "closing: |\n  下一步，我局将继续狠抓落实，推动薄弱环节改善工作取得更大成效。特此报告。\n"
    out += "attachments:\n"
    for title, text in attachments:
        out += f"  - title: {title}\n"
        if text:
            out += f"    text: |\n      {text}\n"
    return out


def render_pdf(text: str, folder: Path, *, indicators: bool = False) -> Path:
    from reporttool.api import render_text

    folder.mkdir(parents=True, exist_ok=True)
    docx = folder / "report.docx"
    render_text(text, output=docx, indicators=indicators, overwrite=True)
    return to_pdf(docx)


def page_lines(pdf: Path) -> dict[int, list[tuple[float, str]]]:
    """Each page's printed lines (baseline, text without spaces), the folio left out."""
    found = words(pdf)
    pages: dict[int, list[tuple[float, str]]] = {}
    for page in sorted({w["page"] for w in found}):
        rows = lines([w for w in found if w["page"] == page])
        pages[page] = [(y, text.replace(" ", "")) for y, _, _, text in rows
                       if not FOLIO.match(text.replace(" ", ""))]
    return pages


def tail_text(text: str) -> str:
    """附件说明, 署名 and 成文日期 of a draft, as LibreOffice prints them (spaces dropped)."""
    from reporttool.load.files import load_bytes
    from reporttool.model import report as model
    from reporttool.render import compose

    blocks = compose.compose(model.build(load_bytes(text.encode("utf-8"), "d.yaml")))
    tail = [b.text for b in blocks if b.style in ("attachment_note", "signature", "date")]
    return re.sub(r"\s", "", "".join(tail))


def check_pages(pdf: Path, text: str) -> list[str]:
    """What a proof-reader would reject on these pages (an empty list when none)."""
    pages = page_lines(pdf)
    tail = tail_text(text)
    faults = []
    for page, rows in pages.items():
        if not rows:
            faults.append(f"第{page}页是空白页")
            continue
        kinds = [t in tail for _, t in rows]
        if any(kinds) and all(kinds):
            faults.append(f"第{page}页只有署名、日期或附件说明：{[t for _, t in rows]}")
        first_y, first = rows[0]
        if re.fullmatch(r"附件\d*", first):  # an attachment page: its title on line 3
            if len(rows) < 2:
                faults.append(f"第{page}页（{first}）没有附件标题")
            elif not 1.5 * PITCH < rows[1][0] - first_y < 2.5 * PITCH:
                faults.append(f"第{page}页（{first}）的标题不在第3行（与附件标识相距{rows[1][0] - first_y:.1f}磅）")
    return faults


def convert_all(jobs: dict[str, tuple[str, bool]], tmp: Path) -> dict[str, Path]:
    """name → PDF, converted side by side (each LibreOffice run has its own profile folder)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(render_pdf, text, tmp / name, indicators=flag)
                   for name, (text, flag) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sweep")
    jobs = {f"lead{n:02d}": (draft(n), False) for n in range(22)}
    return {name: (jobs[name][0], pdf) for name, pdf in convert_all(jobs, tmp).items()}


def test_signature_never_stands_without_body_text_wherever_the_body_ends(sweep):
    """正文 ending on each of the 22 lines of a page, then a 5-item 附件说明 and the signature."""
    for name, (text, pdf) in sorted(sweep.items()):
        assert check_pages(pdf, text) == [], name
        pages = page_lines(pdf)
        tail = tail_text(text)
        signature_page = next(page for page, rows in pages.items() if any(t == "示例县教育局" for _, t in rows))
        rows = pages[signature_page]
        last_body = max(i for i, (_, t) in enumerate(rows) if t not in tail)
        assert rows[last_body][1].endswith("特此报告。"), (name, rows[last_body])
    assert len(sweep) == 22


def test_title_only_attachment_is_listed_and_gets_no_page(sweep):
    text, pdf = sweep["lead00"]
    pages = page_lines(pdf)
    headings = [rows[0][1] for rows in pages.values() if re.fullmatch(r"附件\d+", rows[0][1])]
    assert headings == ["附件1", "附件2", "附件3", "附件5", "附件6"]  # 附件4 has a title only
    printed = "".join(t for rows in pages.values() for _, t in rows)
    assert "4.全县中小学校安全隐患排查整改台账" in printed


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.make_draft import make_draft

    tmp = tmp_path_factory.mktemp("examples")
    jobs = {path.stem: (path.read_text(encoding="utf-8"), False) for path in sorted(EXAMPLES.glob("*.yaml"))}
    jobs["annual-indicators"] = ((EXAMPLES / "annual-county.yaml").read_text(encoding="utf-8"), True)
    jobs["long"] = (make_draft(sections=4, items_per_section=3), False)
    return {name: (jobs[name][0], pdf) for name, pdf in convert_all(jobs, tmp).items()}


@pytest.mark.parametrize("name", ["annual-county", "annual-indicators", "special-balanced-education", "half-year",
                                  "long"])
def test_examples_and_a_long_draft_pass_the_proof_reader(examples, name):
    text, pdf = examples[name]
    assert check_pages(pdf, text) == []


def test_the_annual_indicators_attachment_is_one_page_not_two(examples):
    for name in ("annual-county", "annual-indicators"):
        pages = page_lines(examples[name][1])
        firsts = [rows[0][1] for rows in pages.values()]
        assert firsts.count("附件") == 1 and "附件2" not in firsts, name
        attachment = next(rows for rows in pages.values() if rows[0][1] == "附件")
        assert attachment[1][1] == "2026年教育事业主要指标一览表"
        assert any(t.startswith("本科上线人数1487人") for _, t in attachment)


def test_hanging_indent_lines_a_wrapped_name_up_under_its_first_character(sweep):
    """附件说明 (7.3.4): a wrapped long name continues under the name's first character, not at the
    margin, and the items have no blank line between them."""
    text, pdf = sweep["lead00"]
    found = words(pdf)
    rows = []
    for page in sorted({w["page"] for w in found}):
        rows += [(page, *row) for row in lines([w for w in found if w["page"] == page])]
    first = next(i for i, row in enumerate(rows) if row[4].startswith("附件："))
    note_rows = rows[first:first + 9]
    margin, char = 28 * MM, 16  # the text block's left edge; one 字 of 3号
    assert abs(note_rows[0][2] - (margin + 2 * char)) < 2  # 附件： indented two 字
    # “附件：1.” is 3.75 字 wide: the name starts at the tab stop, 6 字 in, and so does its second line
    wrapped = note_rows[1]
    assert not re.match(r"\d+\.", wrapped[4]) and wrapped[4] in tail_text(text), wrapped
    assert abs(wrapped[2] - (margin + 6 * char)) < 2, wrapped
    second = next(row for row in note_rows if row[4].startswith("2."))
    assert abs(second[2] - (margin + 5 * char)) < 2  # numbers in a column under “1.”
    assert abs((second[1] - wrapped[1]) - PITCH) < 1  # no blank line between items
