"""Time `reporttool render` on a ~30-page draft: the whole CLI process, and each stage in-process.

    python bench/bench_render.py [--runs 7]

Beside the render process, interleaved: `reporttool validate --no-cache` of the same draft as a
process (issue 14's target: render within 1.5x of it) and `reporttool --version` (start-up).
Then the scaling: rendering in-process drafts of 15 to 240 pages, with the cost of each added page
(linear: about the same figure between every two lengths). Figures are medians.
"""

from __future__ import annotations

import argparse
import os
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
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    validate = [sys.executable, "-m", "reporttool", "validate", "--no-cache", str(draft)]
    version = [sys.executable, "-m", "reporttool", "--version"]
    times: dict[str, list[float]] = {"render": [], "validate": [], "version": []}
    for _ in range(args.runs):  # interleaved, so machine noise hits all three alike
        for name, cmd in (("render", command), ("validate", validate), ("version", version)):
            start = time.perf_counter()
            subprocess.run(cmd, check=False, capture_output=True, env=env)
            times[name].append(time.perf_counter() - start)
    whole, checked, start_up = (statistics.median(times[k]) * 1000 for k in ("render", "validate", "version"))

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
    print(f"reporttool render, whole CLI process: median {whole:.0f} ms (load average {os.getloadavg()[0]:.2f})")
    print(f"reporttool validate --no-cache, same draft: median {checked:.0f} ms")
    print(f"ratio render / validate: {whole / checked:.2f}x (issue 14 target: within 1.5x)")
    print(f"`reporttool --version` process: median {start_up:.0f} ms (render adds {whole - start_up:.0f} ms)")
    for name, ms in stages.items():
        print(f"  {name:<18} {ms:6.1f} ms  {ms / total:5.1%} of in-process work")
    print("scaling (render in-process: check, compose, write; ms per page added from the size before):")
    from reporttool.render.document import render_bytes

    previous = None
    for sections in (5, 10, 20, 40, 80):  # ~3 pages a section
        sized = make_draft(sections=sections, items_per_section=4, sentences=17).encode("utf-8")
        ms = median_ms(lambda sized=sized: render_bytes(sized, "d.yaml"), max(3, args.runs // 2))
        added = f", {(ms - previous[1]) / (3 * (sections - previous[0])):4.2f} ms per added page" if previous else ""
        print(f"  {len(sized) // 1024:5} KB, ~{3 * sections:3} pages: {ms:6.0f} ms{added}")
        previous = (sections, ms)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
