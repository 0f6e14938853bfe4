"""The real renderer: rendered drafts converted to PDF by LibreOffice, then measured.

Skipped only when `soffice` is absent outside CI (.ci/run installs LibreOffice).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from pdfpages import A4, MM, lines, to_pdf, words  # noqa: F401 (skips the module without LibreOffice)


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
    _, _, pdf = long_pdf
    all_words = words(pdf)
    last = max(w["page"] for w in all_words)
    for page in range(2, last):  # every page between the first and the last is full
        text_lines = body_lines(all_words, page)
        assert len(text_lines) == 22, (page, [t for *_, t in text_lines])
        pure = [t for *_, t in text_lines if re.fullmatch(r"[\u4e00-\u9fff，。、；：“”]+", t)]
        assert pure and max(len(t) for t in pure) == 28, pure
        pitch = (text_lines[-1][0] - text_lines[0][0]) / 21
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
    assert pdf_text(pdf) == expected  # nothing lost, nothing duplicated, nothing added
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
