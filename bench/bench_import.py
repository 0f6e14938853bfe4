"""Import time against the length of the text: one report of 4,000, 16,000 and 60,000 lines of
repeated clauses (the case that was quadratic), each `reporttool import` as a whole process.

    python bench/bench_import.py [--runs 3]

Beside each, interleaved: the same process on a 10-line report (the fixed cost: start-up and
jieba's dictionary), so the figures per 1,000 lines are the import's own. Linear: about the same
figure at every length. Medians.
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

LENGTHS = (4000, 16000, 60000)


def report(lines: int) -> str:
    out = ["某县教育局2026年工作总结"]
    for i in range(lines):
        if i % 50 == 0:
            out.append("一二三四五六七八九十"[(i // 50) % 10] + "、工作成效")
        out.append(f"全县共有小学{i % 90 + 10}所，在校学生{1000 + i}人，专任教师{200 + i % 300}名，投入资金{i % 97 + 3}万元。")
    return "\n".join(out)


def timed(source: Path, target: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reporttool", "import", str(source), "-o", str(target), "--force"],
                   check=True, capture_output=True, env=env, timeout=3600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    folder = Path(tempfile.mkdtemp())
    small = folder / "small.txt"
    small.write_text(report(10), encoding="utf-8")
    print(f"load average {os.getloadavg()[0]:.2f}")
    for lines in LENGTHS:
        source = folder / f"r{lines}.txt"
        source.write_text(report(lines), encoding="utf-8")
        whole, fixed = [], []
        for _ in range(args.runs):
            whole.append(timed(source, folder / "out.yaml", env))
            fixed.append(timed(small, folder / "small.yaml", env))
        w, f = statistics.median(whole), statistics.median(fixed)
        print(f"{lines:6d} lines ({source.stat().st_size / 1024 / 1024:.1f} MB): {w:6.2f} s, "
              f"fixed {f:.2f} s, {(w - f) / lines * 1000 * 1000:.0f} ms per 1,000 lines")


if __name__ == "__main__":
    main()
