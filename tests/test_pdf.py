"""render --pdf: LibreOffice's PDF in free faces of the right classes where the official ones are
missing (every Linux box and CI), read back from the PDF itself (pdffonts), and the warning that
lists the substitutions made. The .docx keeps the official names."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from pdfpages import SOFFICE  # noqa: F401 (skips the module without LibreOffice)
from reporttool.render import house_style
from reporttool.render import pdf as pdf_step

CORPUS = ROOT.parent / "shared" / "corpus"
STYLE = house_style.load()
# the faces this machine must have for the map to be tested (.ci/run installs them)
NEEDED = {"FandolFang", "FandolKai", "FandolHei", "FandolSong", "Liberation Serif"}


def _installed() -> set[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FONTCONFIG_FILE=str(pdf_step._config(Path(tmp), STYLE, [])))
        return pdf_step.installed_families(env) or set()


INSTALLED = _installed()
if not NEEDED <= INSTALLED:
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs the free faces {sorted(NEEDED - INSTALLED)}: .ci/run installs them")
    pytest.skip(f"free faces not installed: {sorted(NEEDED - INSTALLED)}", allow_module_level=True)


def pdf_fonts(pdf: Path) -> set[str]:
    """The base names of the fonts embedded in a PDF (ABCDEF+FandolFang-Regular → FandolFang-Regular)."""
    listed = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listed.splitlines()[2:] if line.strip()}


# the PostScript names each free face embeds as
EMBEDDED = {"FandolFang": {"FandolFang-Regular"}, "FandolKai": {"FandolKai-Regular"},
            "FandolHei": {"FandolHei-Regular"}, "FandolSong": {"FandolSong-Regular"},
            "Liberation Serif": {"LiberationSerif"}}


def expected_fonts(substituted: dict[str, str]) -> set[str]:
    out = set()
    for face in substituted.values():
        bold = "（粗体）" in face
        face = face.replace("（粗体）", "")
        out |= {name.replace("-Regular", "-Bold") if bold else name for name in EMBEDDED[face]}
    return out


def substitutions_said(output: str) -> dict[str, str]:
    """official → face, as the warning of `render --pdf` lists them."""
    match = re.search(r"\[pdf/font-substituted\] PDF 中用免费字体代替了本机没有的公文字体：(.+)$", output, re.M)
    assert match, output
    return dict(pair.split("→") for pair in match.group(1).split("、"))


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_pdf_embeds_the_mapped_free_faces_and_the_warning_lists_them(invoke, tmp_path, example):
    out = tmp_path / "report.docx"
    result = invoke("render", str(EXAMPLES / example), "-o", str(out), "--pdf")
    assert result.exit_code == 0, result.output
    said = substitutions_said(result.output)
    # each official face the house style names, none installed here, is replaced by its class's face
    assert said == {"仿宋_GB2312": "FandolFang", "方正小标宋简体": "FandolSong（粗体）", "黑体": "FandolHei",
                    "楷体_GB2312": "FandolKai", "Times New Roman": "Liberation Serif", "宋体": "FandolSong"}
    fonts = pdf_fonts(out.with_suffix(".pdf"))
    assert fonts <= expected_fonts(said), fonts  # nothing else: no Japanese variant, no DejaVu Sans
    assert "FandolFang-Regular" in fonts and "FandolSong-Bold" in fonts and "FandolHei-Regular" in fonts
    assert not [f for f in fonts if re.search("jp|JP|DejaVu|TC|HK", f)]
    with zipfile.ZipFile(out) as docx:  # the .docx keeps the official names for Word
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="方正小标宋简体"' in styles
    assert "Fandol" not in styles


def _corpus_characters() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
    if CORPUS.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(CORPUS.glob("*.txt"))]
    chars = {c for text in texts for c in text if ord(c) > 0x2E80 and c not in "【】\ufffd"}
    return "".join(sorted(chars))


def test_every_character_of_the_examples_and_the_corpus_is_printed_in_its_mapped_face(invoke, tmp_path):
    """A draft that prints every CJK character of the examples and of ../shared/corpus in the
    title (小标宋), the headings (黑体, 楷体) and the body (仿宋): no other face reaches the PDF, so
    no glyph fell back to a face of another class or a Japanese variant."""
    chars = _corpus_characters()
    assert len(chars) > 800
    chunks = [chars[i:i + 60] for i in range(0, len(chars), 60)]
    sections = "".join(f"    - heading: {json(chunk[:20])}\n      text: {json(chunk)}\n" for chunk in chunks)
    draft = tmp_path / "chars.yaml"
    draft.write_text(
        "schema_version: 1\nmeta:\n  title: " + json(chars[:40]) + "\n  issuer: 示例县教育局\n  year: 2026\n"
        "  kind: special\n  date: 2026-12-02\nachievements:\n  heading: " + json(chars[40:70]) +
        "\n  sections:\n" + sections, encoding="utf-8")
    out = tmp_path / "chars.pdf"
    result = invoke("render", str(draft), "-o", str(out), "--allow-errors")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "chars.docx").exists()  # -o *.pdf writes the PDF alone
    fonts = pdf_fonts(out)
    assert fonts <= {"FandolFang-Regular", "FandolKai-Regular", "FandolHei-Regular", "FandolSong-Regular",
                     "FandolSong-Bold", "LiberationSerif"}, fonts
    assert {"FandolFang-Regular", "FandolKai-Regular", "FandolHei-Regular", "FandolSong-Bold"} <= fonts


def json(text: str) -> str:
    import json as _json

    return _json.dumps(text, ensure_ascii=False)


def test_a_face_with_no_installed_substitute_is_named_with_the_package_to_install(invoke, tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("pdf:\n  substitutes:\n    楷体_GB2312: {faces: [FandolKai-Missing, AR PL UKai Nowhere]}\n",
                     encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = invoke("render", str(EXAMPLES / "annual-county.yaml"), "-o", str(out), "--style", str(style))
    assert result.exit_code == 0, result.output
    assert "[pdf/font-missing] 本机没有“楷体_GB2312”，也没有版式中为它列出的替代字体（FandolKai-Missing、AR PL UKai Nowhere）" \
        in result.output
    assert "apt-get install fonts-arphic-ukai texlive-lang-chinese" in result.output
    assert "楷体_GB2312→" not in result.output  # not said to be substituted: it was not
    assert out.exists()


def test_without_libreoffice_the_message_names_the_package_and_nothing_is_written(tmp_path):
    """As a subprocess with a PATH that has Python but no soffice: exit 2, no .docx without its PDF."""
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("fc-list",):
        if shutil.which(tool):
            (bare / tool).symlink_to(shutil.which(tool))
    out = tmp_path / "r.docx"
    env = dict(os.environ, PATH=str(bare))
    run = subprocess.run([sys.executable, "-m", "reporttool", "render", str(EXAMPLES / "annual-county.yaml"),
                          "-o", str(out), "--pdf"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "没有找到 LibreOffice" in run.stderr and "apt-get install libreoffice-writer-nogui" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists() and not out.with_suffix(".pdf").exists()


def test_an_existing_pdf_is_kept_without_overwrite(invoke, tmp_path):
    out = tmp_path / "r.docx"
    out.with_suffix(".pdf").write_bytes(b"old")
    result = invoke("render", str(EXAMPLES / "half-year.yaml"), "-o", str(out), "--pdf")
    assert result.exit_code == 2 and "输出文件已存在" in result.output
    assert out.with_suffix(".pdf").read_bytes() == b"old" and not out.exists()
    result = invoke("render", str(EXAMPLES / "half-year.yaml"), "-o", str(out), "--pdf", "--overwrite")
    assert result.exit_code == 0, result.output
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF") and out.exists()


def test_the_api_returns_the_pdf_and_its_warnings(tmp_path):
    import reporttool

    result = reporttool.render_file(EXAMPLES / "half-year.yaml", tmp_path / "h.pdf")
    assert result.output is None and result.pdf_output == str(tmp_path / "h.pdf")
    assert result.pdf is not None and result.pdf.startswith(b"%PDF")
    assert [p.rule for p in result.problems] == ["pdf/font-substituted"]
    data, notes = reporttool.to_pdf(result.docx)
    assert data.startswith(b"%PDF") and [p.rule for p in notes] == ["pdf/font-substituted"]
