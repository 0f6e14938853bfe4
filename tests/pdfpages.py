"""Shared by the tests that measure LibreOffice's PDF of a rendered document (the real renderer).

Importing this skips the calling test module when `soffice` is absent outside CI (.ci/run installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")
if SOFFICE is None or shutil.which("pdftotext") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs LibreOffice and poppler-utils: .ci/run installs them")
    pytest.skip("LibreOffice (soffice) or poppler-utils not installed", allow_module_level=True)

A4 = (595.3, 841.9)
MM = 72 / 25.4


def to_pdf(docx: Path) -> Path:
    """The PDF a user's `render --pdf` makes of `docx`: the house style's free faces where the
    official ones are missing, so the layout is measured in faces of the right classes."""
    from reporttool.api import to_pdf as convert

    data, _ = convert(docx.read_bytes())
    pdf = docx.with_suffix(".pdf")
    pdf.write_bytes(data)
    return pdf


def words(pdf: Path) -> list[dict]:
    """Every word with its page and box, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    out = []
    for page_number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width, height = map(float, re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page):
            out.append({"page": page_number, "x0": float(x0), "y0": float(y0), "x1": float(x1),
                        "y1": float(y1), "text": text, "width": width, "height": height})
    return out


def lines(page_words: list[dict]) -> list[tuple[float, float, float, str]]:
    """(baseline, left, right, text) for each printed line of a page."""
    rows: dict[int, list[dict]] = {}
    for w in page_words:
        rows.setdefault(round(w["y1"]), []).append(w)
    out = []
    for y in sorted(rows):
        row = sorted(rows[y], key=lambda w: w["x0"])
        out.append((y, row[0]["x0"], row[-1]["x1"], "".join(w["text"] for w in row)))
    return out


def ink_box(pdf: Path, page: int, box: tuple[float, float, float, float], dpi: int = 600,
            threshold: int = 128) -> tuple[float, float, float, float] | None:
    """The bounding box (x0, y0, x1, y1 in pt, from the page's top left) of the dark pixels inside `box`.

    pdftotext gives a word's line box (the font's ascent to descent); a glyph's own position (the
    folio dash) needs the ink: the box is rasterised with pdftoppm and scanned.
    """
    x0, y0, x1, y1 = box
    scale = dpi / 72
    left, top = int(x0 * scale), int(y0 * scale)
    width, height = max(1, int((x1 - x0) * scale)), max(1, int((y1 - y0) * scale))
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                           "-x", str(left), "-y", str(top), "-W", str(width), "-H", str(height), str(pdf)],
                          check=True, capture_output=True).stdout
    # binary PGM: "P5" width height maxval, each separated by one whitespace, then the pixels
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header, data[:20]
    w, h = int(header.group(1)), int(header.group(2))
    pixels = data[header.end():]
    rows = [r for r in range(h) if min(pixels[r * w:(r + 1) * w]) < threshold]
    if not rows:
        return None
    cols = [c for c in range(w) if any(pixels[r * w + c] < threshold for r in rows)]
    return (x0 + cols[0] / scale, y0 + rows[0] / scale, x0 + (cols[-1] + 1) / scale, y0 + (rows[-1] + 1) / scale)


def red_box(pdf: Path, page: int, box: tuple[float, float, float, float], dpi: int = 300):
    """The bounding box (pt, from the page's top left) of the red pixels inside `box` (the
    发文机关标志 and the red rule), or None: read as colour from pdftoppm's PPM."""
    x0, y0, x1, y1 = box
    scale = dpi / 72
    left, top = int(x0 * scale), int(y0 * scale)
    width, height = max(1, int((x1 - x0) * scale)), max(1, int((y1 - y0) * scale))
    data = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", str(left),
                           "-y", str(top), "-W", str(width), "-H", str(height), str(pdf)],
                          check=True, capture_output=True).stdout
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header, data[:20]
    w, h = int(header.group(1)), int(header.group(2))
    pixels = data[header.end():]
    red = [(i % w, i // w) for i in range(w * h)
           if pixels[3 * i] > 180 and pixels[3 * i + 1] < 100 and pixels[3 * i + 2] < 100]
    if not red:
        return None
    xs, ys = [x for x, _ in red], [y for _, y in red]
    return (x0 + min(xs) / scale, y0 + min(ys) / scale, x0 + (max(xs) + 1) / scale, y0 + (max(ys) + 1) / scale)
