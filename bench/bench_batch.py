"""Batch speed: `reporttool validate DIR` on 1000 typical drafts, beside two baselines.

    python bench/bench_batch.py [--files 1000] [--runs 3]

- reporttool: one `reporttool validate DIR` process (workers = cores);
- naive loop: one process, ruamel round-trip load + a reused jsonschema validator per file
  (schema only: no rules, no positions); run once, it takes minutes;
- process per file: `reporttool validate FILE` started once per draft, timed on a sample of 40
  files and scaled to the whole set (stated as such).
Also: `reporttool fmt --check` on one typical draft, as a whole process.
Figures are medians of --runs runs.
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

NAIVE = """
import sys, pathlib, json
from ruamel.yaml import YAML
from jsonschema import Draft202012Validator
from reporttool.check import schema
validator = Draft202012Validator(schema.load_schema())
bad = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    data = YAML().load(path.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))
    bad += not validator.is_valid(data)
print(bad)
"""


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    drafts = tmp / "drafts"
    for i in range(args.files):
        folder = drafts / f"county{i % 20:02}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:04}.yaml").write_text(make_draft(seed=i), encoding="utf-8")
    size = sum(p.stat().st_size for p in drafts.rglob("*.yaml")) / args.files
    python = sys.executable
    ours = timed([python, "-m", "reporttool", "validate", "-q", str(drafts)], args.runs)
    naive = timed([python, "-c", NAIVE, str(drafts)], 1)  # minutes per run: once is enough to compare
    sample = sorted(drafts.rglob("*.yaml"))[:40]
    start = time.perf_counter()
    for path in sample:
        subprocess.run([python, "-m", "reporttool", "validate", "-q", str(path)], capture_output=True)
    per_process = (time.perf_counter() - start) / len(sample) * args.files
    fmt = timed([python, "-m", "reporttool", "fmt", "--check", str(sample[0])], max(5, args.runs))
    print(f"{args.files} drafts of {size / 1024:.0f} KB each")
    print(f"reporttool validate DIR (one process, workers = cores): median {ours:.1f} s")
    print(f"naive loop (ruamel rt + jsonschema, one process):       median {naive:.1f} s  "
          f"({naive / ours:.1f}x reporttool)")
    print(f"one reporttool process per file (40 timed, scaled):     {per_process:.1f} s  "
          f"({per_process / ours:.1f}x reporttool)")
    print(f"reporttool fmt --check on one draft (whole process):    median {fmt * 1000:.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
