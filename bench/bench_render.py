"""Time `reporttool render` on a ~30-page draft: the whole CLI process, and each stage in-process.

    python bench/bench_render.py [--runs 7]

Figures are medians. The baseline is the same process doing only `--version` (interpreter and
click start-up), so the ratio shows what rendering adds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_draft import make_draft  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    draft = tmp / "draft.yaml"
    # 10 sections × 4 items of ~17 sentences: about 30 pages at 22 × 28 characters a page
    draft.write_text(make_draft(sections=10, items_per_section=4, sentences=17), encoding="utf-8")
    out = tmp / "draft.docx"
    command = [sys.executable, "-m", "reporttool", "render", str(draft), "-o", str(out), "--overwrite"]
    subprocess.run(command, check=True, capture_output=True)
    if shutil.which("soffice"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp), str(out)], check=True, capture_output=True, timeout=300)
        info = subprocess.run(["pdfinfo", str(tmp / "draft.pdf")], capture_output=True, text=True).stdout
        pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages"))
    else:
        pages = "?"
    whole = median_ms(lambda: subprocess.run(command, check=True, capture_output=True), args.runs)
    start_up = median_ms(lambda: subprocess.run([sys.executable, "-m", "reporttool", "--version"], check=True,
                                                capture_output=True), args.runs)

    from reporttool.check.draft import check_bytes
    from reporttool.load.files import load_bytes
    from reporttool.model import report as model
    from reporttool.render import compose, house_style
    from reporttool.render.docx_writer import Writer

    data = draft.read_bytes()
    style = house_style.load()
    report = model.build(load_bytes(data, "d"))
    blocks = compose.compose(report)

    def write():
        writer = Writer(style)
        writer.write(blocks)
        writer.save(out)

    stages = {
        "load + validate": median_ms(lambda: check_bytes(data, "d"), args.runs),
        "model + compose": median_ms(lambda: compose.compose(model.build(load_bytes(data, "d"))), args.runs),
        "house style": median_ms(lambda: house_style.load(), args.runs),
        "docx write + save": median_ms(write, args.runs),
    }
    total = sum(stages.values())
    print(f"draft: {len(data) // 1024} KB, {len(blocks)} paragraphs, {pages} pages (LibreOffice)")
    print(f"reporttool render, whole CLI process: median {whole:.0f} ms")
    print(f"baseline `reporttool --version` process: median {start_up:.0f} ms "
          f"(render adds {whole - start_up:.0f} ms, ratio {whole / start_up:.1f}x)")
    for name, ms in stages.items():
        print(f"  {name:<18} {ms:6.1f} ms  {ms / total:5.1%} of in-process work")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
