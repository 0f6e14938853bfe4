"""The real renderer: rendered drafts converted to PDF by LibreOffice, then measured.

Skipped only when `soffice` is absent outside CI (.ci/run installs LibreOffice).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from pdfpages import A4, MM, ink_box, lines, to_pdf, words  # noqa: F401 (skips the module without LibreOffice)

TEXT_BOTTOM_MM = 37 + 225  # the bottom of the 225 mm text block, from the top of the page
FOLIO = re.compile(r"^—\d+—$")
FIRST_BASELINE = 134  # pt from the top: the baseline of a 3号 line on the first grid line


def render(invoke, draft: Path, tmp_path: Path) -> Path:
    out = tmp_path / (draft.stem + ".docx")
    result = invoke("render", str(draft), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    import sys

    sys.path.insert(0, str(ROOT))
    from click.testing import CliRunner

    from bench.make_draft import make_draft
    from reporttool.cli import cli

    tmp = tmp_path_factory.mktemp("long")
    draft = tmp / "long.yaml"
    draft.write_text(make_draft(sections=3, items_per_section=3), encoding="utf-8")
    out = tmp / "long.docx"
    result = CliRunner().invoke(cli, ["render", str(draft), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return draft, out, to_pdf(out)


def body_lines(all_words, page):
    page_words = [w for w in all_words if w["page"] == page]
    bottom_of_text = page_words[0]["height"] - 35 * MM
    return [line for line in lines(page_words) if line[0] <= bottom_of_text + 2]


def test_pages_are_a4(long_pdf):
    _, _, pdf = long_pdf
    all_words = words(pdf)
    pages = {w["page"]: (w["width"], w["height"]) for w in all_words}
    assert len(pages) >= 5
    for size in pages.values():
        assert abs(size[0] - A4[0]) < 1 and abs(size[1] - A4[1]) < 1


def test_a_full_body_page_holds_22_lines_of_28_characters(long_pdf):
    _, docx, pdf = long_pdf
    all_words = words(pdf)
    last = max(w["page"] for w in all_words)
    keeps = keep_starts(docx)
    for page in range(2, last):  # every page between the first and the last is full …
        text_lines = body_lines(all_words, page)
        nxt = [t for *_, t in body_lines(all_words, page + 1)]
        # … unless the next page starts with a block kept with what follows it (see short_page_allowed)
        if not short_page_allowed(len(text_lines), nxt, keeps):
            assert len(text_lines) == 22, (page, [t for *_, t in text_lines])
        pure = [t for *_, t in text_lines if re.fullmatch(r"[\u4e00-\u9fff，。、；：“”]+", t)]
        assert pure and max(len(t) for t in pure) == 28, pure
        pitch = (text_lines[-1][0] - text_lines[0][0]) / (len(text_lines) - 1)
        assert 28.8 <= pitch <= 29.1, pitch  # 579 twips = 28.95 pt


def test_page_numbers_at_the_bottom_on_alternating_sides(long_pdf):
    _, _, pdf = long_pdf
    all_words = words(pdf)
    for page in sorted({w["page"] for w in all_words}):
        page_words = [w for w in all_words if w["page"] == page]
        y, left, right, text = lines(page_words)[-1]
        width, height = page_words[0]["width"], page_words[0]["height"]
        assert text.replace(" ", "") == f"—{page}—", (page, text)
        text_bottom = height - 35 * MM
        assert text_bottom + 5 * MM < y < text_bottom + 20 * MM  # 7 mm below the text block
        char = 16
        if page % 2:  # odd: right, one character in from the text block's right edge
            assert abs((width - 26 * MM - char) - right) < 6, (page, right)
        else:
            assert abs((28 * MM + char) - left) < 6, (page, left)


def normalise(text: str) -> str:
    return re.sub(r"\s", "", text)


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return normalise(re.sub(r"—\s*\d+\s*—", "", text))


@pytest.mark.parametrize("name", ["annual-county.yaml", "special-balanced-education.yaml", "half-year.yaml"])
def test_pdf_text_is_the_draft_text_in_order(invoke, tmp_path, name):
    from reporttool.load.files import load_bytes
    from reporttool.model import report as model
    from reporttool.render import compose

    draft = EXAMPLES / name
    pdf = to_pdf(render(invoke, draft, tmp_path))
    report = model.build(load_bytes(draft.read_bytes(), name))
    blocks = compose.compose(report)
    expected = normalise("".join(block.text for block in blocks))
    printed = pdf_text(pdf)
    cells = normalise("".join(cell for block in blocks if block.rows for row in block.rows for cell in row))
    if not cells:
        assert printed == expected  # nothing lost, nothing duplicated, nothing added
    else:  # a table: pdftotext reads it column by column, so its characters are compared as a multiset
        before = normalise("".join(b.text for b in blocks[:next(i for i, b in enumerate(blocks) if b.rows)]))
        assert printed.startswith(before)
        assert Counter(printed) == Counter(expected + cells)
    # and every paragraph the writer wrote is there, in the draft's order
    position = 0
    index = compose.references.Index(report)
    for text in report.texts:
        if text.role in ("issuer", "signature", "period"):  # metadata: the signature closes the document
            continue
        for paragraph in compose.paragraphs(text):
            piece = normalise(compose.expand_references(paragraph, index)).rstrip("。；")
            found = expected.find(piece, position)
            assert found >= 0, piece
            position = found


# --- pagination, tables, folio and date on LibreOffice's pages ------------------------------------
def paragraphs_of(docx: Path) -> list[tuple[str, str, bool]]:
    """(text without spaces, style name, kept with the next block) of every body paragraph."""
    from docx import Document
    from docx.oxml.ns import qn

    out = []
    for p in Document(docx).paragraphs:
        style = p.style.element.pPr
        keep = p._p.pPr is not None and p._p.pPr.find(qn("w:keepNext")) is not None
        keep = keep or (style is not None and style.find(qn("w:keepNext")) is not None)
        out.append((normalise(p.text), p.style.name, keep))
    return out


HEADINGS = {"一级标题", "二级标题", "三级标题", "四级标题", "公文标题", "附件标识"}


def keep_starts(docx: Path) -> dict[str, str]:
    """First characters of each paragraph kept with its next one → its style."""
    return {text: style for text, style, keep in paragraphs_of(docx) if keep and text}


def short_page_allowed(count: int, next_lines: list[str], keeps: dict[str, str]) -> bool:
    """A page may end early only where a keep pushed the next page's first block over.

    A heading pushed over (it never ends a page) costs its own lines: at most 3. The closing block
    (the last lines of 正文, 附件说明, 署名, 日期: GB/T 9704 7.3.5.5) moves whole, so only the page
    before the one holding the 成文日期 may end earlier for it.
    """
    if not next_lines:
        return False
    first = normalise(next_lines[0])
    dated = any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", normalise(t)) for t in next_lines)
    for text, style in keeps.items():
        if text.startswith(first):
            return count >= 22 - 3 if style in HEADINGS else dated
    return False


def render_to(folder: Path, text: str, **options) -> Path:
    from reporttool.api import render_text

    folder.mkdir(parents=True, exist_ok=True)
    docx = folder / "report.docx"
    render_text(text, output=docx, overwrite=True, **options)
    return docx


def long_draft(**sizes) -> str:
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.make_draft import make_draft

    return make_draft(**sizes)


def wrapping_table_docx(folder: Path) -> Path:
    """A table written by the writer itself: 60 rows of two to three lines each, over several pages."""
    from reporttool.render import house_style
    from reporttool.render.compose import Block
    from reporttool.render.docx_writer import Writer

    folder.mkdir(parents=True, exist_ok=True)
    rows = [["项目名称", "金额", "说明"]]
    for n in range(60):
        rows.append([f"第{n + 1:02d}号项目" + "学校校舍改造与设备购置" * (1 + n % 3), f"{n * 37 + 5}万元",
                     "按计划推进，年底前完成验收" * (1 + n % 2)])
    writer = Writer(house_style.load())
    writer.write([Block("title", [("项目表", None)], keep_with_next=True), Block("table", rows=rows)])
    writer.metadata("项目表", "示例县教育局")
    docx = folder / "table.docx"
    writer.save(docx)
    return docx


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """name → (docx, pdf): the examples, long drafts and long tables, converted side by side."""
    tmp = tmp_path_factory.mktemp("pages")
    jobs = {path.stem: (lambda path=path: render_to(tmp / path.stem, path.read_text(encoding="utf-8")))
            for path in sorted(EXAMPLES.glob("*.yaml"))}
    annual = (EXAMPLES / "annual-county.yaml").read_text(encoding="utf-8")
    jobs["annual-indicators"] = lambda: render_to(tmp / "annual-indicators", annual, indicators=True)
    jobs["long"] = lambda: render_to(tmp / "long", long_draft(sections=4, items_per_section=3))
    # ~80 metrics: the 主要指标一览表 runs over several pages
    jobs["long-table"] = lambda: render_to(tmp / "long-table", long_draft(sections=4, items_per_section=5,
                                                                           sentences=4), indicators=True)
    jobs["wrapping-table"] = lambda: wrapping_table_docx(tmp / "wrapping-table")

    def convert(make):
        docx = make()
        return docx, to_pdf(docx)

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(convert, make) for name, make in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def pages_of(pdf: Path) -> dict[int, list[tuple[float, float, float, str]]]:
    """Each page's text lines inside the text block (the folio left out), spaces dropped."""
    found = words(pdf)
    out: dict[int, list[tuple[float, float, float, str]]] = {}
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True).stdout).group(1))
    for page in range(1, pages + 1):
        rows = lines([w for w in found if w["page"] == page])
        out[page] = [(y, x0, x1, normalise(t)) for y, x0, x1, t in rows if not FOLIO.match(normalise(t))]
    return out


NAMES = ["annual-county", "annual-indicators", "special-balanced-education", "half-year", "long", "long-table"]


@pytest.mark.parametrize("name", NAMES + ["wrapping-table"])
def test_no_blank_page(pdfs, name):
    _, pdf = pdfs[name]
    assert [page for page, rows in pages_of(pdf).items() if not rows] == []


@pytest.mark.parametrize("name", NAMES)
def test_no_page_ends_with_a_heading(pdfs, name):
    docx, pdf = pdfs[name]
    headings = [text for text, style, _ in paragraphs_of(docx) if style in HEADINGS]
    for page, rows in pages_of(pdf).items():
        last = rows[-1][3]
        assert not any(h.startswith(last) for h in headings if len(last) >= 2), (name, page, last)


@pytest.mark.parametrize("name", NAMES)
def test_every_full_body_page_holds_22_lines(pdfs, name):
    docx, pdf = pdfs[name]
    pages = pages_of(pdf)
    keeps = keep_starts(docx)
    body = []  # the pages of the main text: up to the one with the 成文日期
    for page, rows in pages.items():
        body.append(page)
        if any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t) for *_, t in rows):
            break
    for page in body[:-1]:
        count = grid_lines_used(pages[page])
        if not short_page_allowed(count, [t for *_, t in pages[page + 1]], keeps):
            assert count == 22, (name, page, count, pages[page][-1][3], pages[page + 1][0][3])


def grid_lines_used(rows) -> int:
    """How many of the 22 grid lines a page fills, blank ones (a title's space after) included:
    the line of its last baseline, counted from the first grid line's (134 pt)."""
    return round((rows[-1][0] - FIRST_BASELINE) / (579 / 20)) + 1


def table_pages(pdf: Path, header: str) -> list[list[str]]:
    return [[t for *_, t in rows] for rows in pages_of(pdf).values() if any(t == header for *_, t in rows)]


def test_a_long_table_repeats_its_header_on_every_page(pdfs):
    docx, pdf = pdfs["long-table"]
    pages = pages_of(pdf)
    header = "指标数值比上年或目标"
    first = next(page for page, rows in pages.items() if any(t == header for *_, t in rows))
    table = [pages[page] for page in range(first, max(pages) + 1)]
    assert len(table) >= 3  # the table does run over pages
    for rows in table[1:]:
        assert rows[0][3] == header, rows[0]  # the first line of every continued page
    expected = [f"指标{s}-{i}-{m}" for s in range(1, 5) for i in range(1, 6) for m in range(1, 5)]
    printed = [name for rows in table for *_, t in rows for name in expected if t.startswith(name)]
    assert printed == expected  # 80 metrics, each once, in order


def test_no_table_row_is_split_across_pages(pdfs):
    """Each row of the wrapping table (two or three lines a cell) lies on one page."""
    _, pdf = pdfs["wrapping-table"]
    found = words(pdf)
    margin = 28 * MM
    first_column: dict[int, str] = {}
    for page in sorted({w["page"] for w in found}):
        cells = sorted((w for w in found if w["page"] == page and w["x0"] < margin + 60 * MM / 2
                        and w["y1"] < (TEXT_BOTTOM_MM + 2) * MM), key=lambda w: (round(w["y1"]), w["x0"]))
        first_column[page] = "".join(w["text"] for w in cells)
    assert len(first_column) >= 3
    for n in range(60):
        name = f"第{n + 1:02d}号项目" + "学校校舍改造与设备购置" * (1 + n % 3)
        holding = [page for page, text in first_column.items() if name in text]
        assert len(holding) == 1, (name, holding)
    for page, text in first_column.items():
        assert text.startswith("项目名称"), page  # and the header on top of each page


@pytest.mark.parametrize("name", ["long", "annual-indicators", "long-table"])
def test_folio_dash_is_7_mm_below_the_text_block(pdfs, name):
    """GB/T 9704 7.5: 一字线上距版心下边缘 7 mm, measured on the dash's ink, not its line box."""
    _, pdf = pdfs[name]
    found = words(pdf)
    pages = sorted({w["page"] for w in found})
    for page in pages:
        dashes = [w for w in found if w["page"] == page and w["text"].startswith("—") and w["y0"] > 250 * MM]
        assert len(dashes) == 2, (page, dashes)  # — 1 —
        for dash in dashes:
            ink = ink_box(pdf, page, (dash["x0"] - 1, dash["y0"] - 1, dash["x1"] + 1, dash["y1"] + 1))
            assert ink is not None
            below = ink[1] / MM - TEXT_BOTTOM_MM
            assert abs(below - 7) <= 1, (page, below)
            assert ink[3] - ink[1] < 2 and ink[2] - ink[0] > 10  # a dash: thin and one em wide


def signature_and_date(pdf: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """(left, right) in pt of the 署名 and 成文日期 lines."""
    for rows in pages_of(pdf).values():
        for i, (_, x0, x1, text) in enumerate(rows):
            if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text):
                return (rows[i - 1][1], rows[i - 1][2]), (x0, x1)
    raise AssertionError("no 成文日期")


def word_width(text: str, size_pt: float = 16, spacing_pt: float = -0.25) -> float:
    return sum((0.5 if ch.isascii() else 1) * size_pt + spacing_pt for ch in text)


def test_date_offset_in_libreoffice_differs_from_two_characters_only_by_its_autospace(pdfs):
    """LibreOffice 7.4's DOCX import ignores w:autoSpaceDE/w:autoSpaceDN (writerfilter DomainMapper:
    `case LN_CT_PPrBase_autoSpaceDE: break;`), so it keeps its default Asian/Western spacing
    (text-autospace: ideograph-alpha) and widens 2026年12月2日 at each of its 5 digit/汉字 joins.
    The date is right-aligned at its indent, so it starts that much further left: about 1 字 in
    LibreOffice, 0 in Word (which honours autoSpaceDE=0). Take the widening off and the date starts
    2 字 right of the 署名's first character, as in Word."""
    _, pdf = pdfs["annual-county"]
    (sig_left, _), (date_left, date_right) = signature_and_date(pdf)
    offset = (date_left - sig_left) / 16
    widening = (date_right - date_left - word_width("2026年12月2日")) / 16
    assert 0.5 < widening < 1.5, widening  # the autospace: ≈ 3 pt at each of 5 joins
    assert abs(offset + widening - 2) <= 0.25, (offset, widening)


def test_date_offset_is_two_characters_with_libreoffice_autospace_off(pdfs, tmp_path):
    """The same document through LibreOffice with text-autospace off (ODT, where it can be set)."""
    import shutil

    docx, _ = pdfs["annual-county"]
    work = tmp_path / "odt"
    work.mkdir()
    source = work / "report.docx"
    shutil.copy(docx, source)
    profile = work / "lo-profile"
    soffice = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to"]
    where = ["--outdir", str(work)]
    subprocess.run(soffice + ["odt"] + where + [str(source)], check=True, capture_output=True, timeout=240)
    odt = work / "report.odt"
    patched = work / "patched.odt"
    with zipfile.ZipFile(odt) as archive, zipfile.ZipFile(patched, "w") as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename in ("styles.xml", "content.xml"):
                data = data.replace(b'text-autospace="ideograph-alpha"', b'text-autospace="none"')
            compress = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            out.writestr(info, data, compress_type=compress)
    subprocess.run(soffice + ["pdf"] + where + [str(patched)], check=True, capture_output=True, timeout=240)
    (sig_left, _), (date_left, date_right) = signature_and_date(work / "patched.pdf")
    assert abs((date_left - sig_left) / 16 - 2) <= 0.5
    assert abs((date_right - date_left) - word_width("2026年12月2日")) < 4  # Word's width, to a few pt


LONG_TITLES = ["县人民政府关于推进县域义务教育优质均衡发展工作情况的汇报",
               "示例县教育体育局2026年工作总结及2027年工作计划",
               "关于2026年度全面从严治党主体责任落实情况和学前教育普及普惠县创建工作的报告"]


def test_printed_title_lines_are_whole_words(tmp_path):
    from conftest import VALID_DRAFT
    from reporttool.render.title import segment

    for n, title in enumerate(LONG_TITLES):
        docx = render_to(tmp_path / str(n), VALID_DRAFT.replace("示例县教育局2026年工作总结", title))
        page = [w for w in words(to_pdf(docx)) if w["page"] == 1]
        printed = []
        for _, _, _, text in lines(page):
            printed.append(normalise(text))
            if "".join(printed) == title:
                break
        assert "".join(printed) == title and len(printed) >= 2, printed  # broken over lines, nothing lost
        cuts = {sum(len(line) for line in printed[:i]) for i in range(1, len(printed))}
        at = 0
        for word in segment(title):
            assert not any(at < cut < at + len(word) for cut in cuts), (word, printed)
            at += len(word)
