"""`reporttool summary DIR` over many drafts, beside `reporttool validate --no-cache DIR` of the same
drafts (the single-draft cost, times the number of drafts, in the same worker pool).

    python bench/bench_summary.py [--files 1000] [--runs 3]

Issue 15: a province's 3,000 county drafts must stay within a few times the single-draft cost each.
Figures are medians of whole processes, rounds interleaved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_draft import make_draft  # noqa: E402

ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        drafts = Path(work) / "drafts"
        for i in range(args.files):
            folder = drafts / f"county{i % 20:02}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{i:04}.yaml").write_text(make_draft(seed=i), encoding="utf-8")
        reporttool = [sys.executable, "-m", "reporttool"]
        summary, validate = [], []
        for _ in range(args.runs):
            summary.append(timed([*reporttool, "summary", "--format", "csv", "-o", str(Path(work) / "s.csv"),
                                  str(drafts)]))
            validate.append(timed([*reporttool, "validate", "--no-cache", "-q", str(drafts)]))
        a, b = statistics.median(summary), statistics.median(validate)
    print(f"{args.files} typical drafts, {os.cpu_count()} cores, medians of {args.runs} interleaved rounds "
          f"(load average {os.getloadavg()[0]:.2f}):")
    print(f"  reporttool summary DIR (CSV):   {a:6.1f} s ({a / args.files * 1000:.1f} ms a draft)")
    print(f"  reporttool validate --no-cache: {b:6.1f} s ({b / args.files * 1000:.1f} ms a draft)")
    print(f"  ratio: {a / b:.2f}x the check of the same drafts")


if __name__ == "__main__":
    main()
