"""Hostile sources for `import`: each refused with a Chinese reason (exit 2) in bounded time and
memory before anything big is parsed, or imported without leaking anything (XXE); and the
importer's time is linear in the length of the text (it was quadratic in repeated clauses)."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLES
from reporttool.importer.names import Namer

PEAK = textwrap.dedent("""
    import resource, runpy, sys
    sys.argv = ["reporttool", *sys.argv[1:]]
    try:
        runpy.run_module("reporttool", run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    try:  # this process's own peak (ru_maxrss would carry over the forking parent's across exec)
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"PEAK {peak}", file=sys.stderr)
    sys.exit(code)
""")


def imported(tmp_path: Path, source: Path, timeout: int = 120) -> tuple[int, str, int]:
    """(exit code, what it printed, peak memory in MB) of `reporttool import source`."""
    result = subprocess.run([sys.executable, "-c", PEAK, "import", str(source), "-o", str(tmp_path / "out.yaml"),
                             "--force"], capture_output=True, text=True, timeout=timeout, cwd=tmp_path)
    shown, peak = result.stdout + result.stderr, 0
    for line in result.stderr.splitlines():
        if line.startswith("PEAK "):
            peak = int(line.split()[1])
    assert "Traceback" not in shown and "内部错误" not in shown, shown
    return result.returncode, shown, peak


@pytest.fixture(scope="module")
def real_docx(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("docx")
    subprocess.run([sys.executable, "-m", "reporttool", "render", str(EXAMPLES / "annual-county.yaml"), "-o",
                    str(folder / "real.docx")], check=True, capture_output=True, timeout=300)
    return (folder / "real.docx").read_bytes()


def repacked(real: bytes, target: Path, change, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """`real` with its word/document.xml changed by `change`, written to `target`."""
    with zipfile.ZipFile(io.BytesIO(real)) as source, zipfile.ZipFile(target, "w", method) as out:
        for name in source.namelist():
            data = source.read(name)
            out.writestr(name, change(data) if name == "word/document.xml" else data)
    return target


def test_not_a_zip_an_old_doc_a_truncated_zip_and_a_zip_of_something_else(tmp_path, real_docx):
    cases = {
        "text.docx": (b"just text, renamed", "不是 ZIP 格式"),
        "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Word 文档（.doc）"),
        "cut.docx": (real_docx[: len(real_docx) // 2], "文件不完整或已损坏"),
    }
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    cases["sheet.docx"] = (other.getvalue(), "没有正文")
    for name, (data, said) in cases.items():
        (tmp_path / name).write_bytes(data)
        code, shown, _ = imported(tmp_path, tmp_path / name)
        assert code == 2 and said in shown, (name, shown)
        assert not (tmp_path / "out.yaml").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, real_docx):
    """800 MB of XML packed into under 1 MB (ratio), and a part over the absolute limit stored
    unpacked: refused from the ZIP directory, before any of it is read (~40 MB)."""
    bomb = repacked(real_docx, tmp_path / "bomb.docx", lambda data: data.replace(
        b"<w:body>", b"<w:body>" + b" " * (800 * 1024 * 1024), 1))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    code, shown, peak = imported(tmp_path, bomb)
    assert code == 2 and "解压后有 800.0 MB" in shown and "未导入" in shown, shown
    assert peak < 150, peak  # before: 2.1 GB
    big = repacked(real_docx, tmp_path / "big.docx", lambda data: data.replace(
        b"<w:body>", b"<w:body>" + b" " * (70 * 1024 * 1024), 1), zipfile.ZIP_STORED)
    code, shown, peak = imported(tmp_path, big)
    assert code == 2 and "超过上限" in shown, shown
    assert peak < 150, peak


def test_entities_and_a_dtd_leak_nothing(tmp_path, real_docx):
    """XXE: an external entity naming a local file, an internal one, a DTD: the draft has neither the
    file's text nor the entity's (python-docx's parser resolves no entities)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-4711", encoding="utf-8")

    def hostile(data: bytes) -> bytes:
        declaration = data[: data.index(b"?>") + 2]
        data = data.replace(declaration, declaration + b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://'
                            + str(secret).encode() + b'"><!ENTITY y "INTERNAL-0815">]>', 1)
        return data.replace(b"<w:t>", b"<w:t>&x;&y;", 1)

    source = repacked(real_docx, tmp_path / "xxe.docx", hostile)
    assert b"DOCTYPE" in zipfile.ZipFile(source).read("word/document.xml")
    code, shown, _ = imported(tmp_path, source)
    if code == 0:
        draft = (tmp_path / "out.yaml").read_text(encoding="utf-8")
        assert "SECRET-4711" not in draft and "INTERNAL-0815" not in draft
        assert "全县" in draft  # the rest of the report came through
    else:
        assert code == 2 and "无法解析" in shown, shown


def test_deep_tables_many_paragraphs_and_pictures_only(tmp_path, real_docx):
    deep = repacked(real_docx, tmp_path / "deep.docx", lambda data: data.replace(b"<w:body>", b"<w:body>" + (
        b"<w:tbl><w:tr><w:tc>" * 3000 + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" + b"</w:tc></w:tr></w:tbl>" * 3000), 1))
    code, shown, _ = imported(tmp_path, deep)
    assert code == 2 and "无法解析" in shown, shown
    many = repacked(real_docx, tmp_path / "many.docx", lambda data: data.replace(b"<w:body>", b"<w:body>" + b"".join(
        f"<w:p><w:r><w:t>全县共有小学{i}所。</w:t></w:r></w:p>".encode() for i in range(100_000)), 1))
    code, shown, peak = imported(tmp_path, many, timeout=300)
    assert code == 0 and (tmp_path / "out.yaml").exists(), shown
    assert peak < 600, peak
    document = Document()
    document.add_picture(io.BytesIO(_png()))
    document.save(tmp_path / "picture.docx")
    code, shown, _ = imported(tmp_path, tmp_path / "picture.docx")
    assert code == 2 and "没有文字" in shown, shown


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_hostile_text_files(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # 50 MB without writing them (a sparse file)
        handle.truncate(50 * 1024 * 1024)
    code, shown, peak = imported(tmp_path, huge)
    assert code == 2 and "文件过大" in shown and "上限" in shown, shown
    assert peak < 150, peak
    (tmp_path / "picture.txt").write_bytes(_png())
    code, shown, _ = imported(tmp_path, tmp_path / "picture.txt")
    assert code == 2 and "不是文本文件" in shown, shown
    (tmp_path / "mixed.txt").write_bytes("某县教育局2026年工作总结\n".encode() + "全县共有小学45所。\n".encode("gbk")
                                         + "在校学生1200人。\n".encode())
    code, shown, _ = imported(tmp_path, tmp_path / "mixed.txt")
    assert code == 2 and "混用了 GBK 与 UTF-8" in shown, shown


def test_repeated_clauses_are_named_in_linear_time():
    """The k-th figure named 在校学生 was numbered by trying （2）…（k）: 16,000 lines took minutes."""
    namer = Namer()
    names = [namer.unique("在校学生") for _ in range(30_000)]
    assert names[:3] == ["在校学生", "在校学生（2）", "在校学生（3）"] and names[-1] == "在校学生（30000）"
    assert len(set(names)) == len(names)
    namer.used.add("专任教师（2）")  # a name written that way in the text is never given twice
    assert [namer.unique("专任教师") for _ in range(3)] == ["专任教师", "专任教师（3）", "专任教师（4）"]


@pytest.mark.parametrize("count", [16_000, 60_000])
def test_a_long_report_of_repeated_clauses_imports(tmp_path, count):
    """16,000 and 60,000 lines of repeated clauses in one report (before the fix 16,000 took 403 s,
    and 60,000 would take over an hour: quadratic; now ~12 s and ~40 s, jieba's load included):
    finished well inside the timeout, every figure named once."""
    lines = ["某县教育局2026年工作总结"]
    for i in range(count):
        if i % 50 == 0:
            lines.append("一二三四五六七八九十"[(i // 50) % 10] + "、工作成效")
        lines.append(f"全县共有小学{i % 90 + 10}所，在校学生{1000 + i}人，专任教师{200 + i % 300}名。")
    source = tmp_path / "long.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    code, shown, _ = imported(tmp_path, source, timeout=300)
    assert code == 0, shown
    draft = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert f"在校学生（{count}）" in draft
