"""Batch speed and memory: `reporttool validate DIR` over many drafts, beside a plain pool.

    python bench/bench_batch.py [--files 1000] [--runs 5] [--memory 1000,10000] [--naive]

- speed: `reporttool validate --no-cache -q DIR` (one process, workers = cores) beside a plain
  process pool of as many workers mapping reporttool's own per-draft check over the same files
  (what the batch adds: listing, ordering, crash isolation, the report). Rounds interleaved,
  medians of whole processes; issue 14's target: within 1.05x of the pool.
- memory: the peak RSS of the batch's parent process (the CLI, its output written to /dev/null)
  for --memory counts of small drafts with findings; target: the largest within 2x of the smallest.
- --naive also runs once a naive loop (ruamel round-trip load + jsonschema, one process), for scale.
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

POOL = """
import os, sys
from concurrent.futures import ProcessPoolExecutor
from reporttool.check.draft import check_path
paths = sorted(os.path.join(folder, name) for folder, _, names in os.walk(sys.argv[1])
               for name in names if name.endswith(".yaml"))
jobs = os.cpu_count()
with ProcessPoolExecutor(jobs) as pool:
    found = list(pool.map(check_path, paths, chunksize=max(1, min(32, len(paths) // (jobs * 8)))))
print(sum(len(problems) for problems in found))
"""

PARENT_PEAK = """
import resource, sys
from reporttool.cli import main
sys.stdout = open(os.devnull, "w")
try:
    main(["validate", "--no-cache", sys.argv[1]])
except SystemExit:
    pass
sys.stderr.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""

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


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env=ENV)
    return time.perf_counter() - start


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def write_drafts(folder: Path, count: int, **shape) -> None:
    for i in range(count):
        sub = folder / f"county{i % 20:02}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05}.yaml").write_text(make_draft(seed=i, **shape), encoding="utf-8")


def small_with_findings(seed: int) -> str:
    """A one-section draft with a placeholder and a half-width comma: two findings or more."""
    text = make_draft(seed=seed, sections=1, items_per_section=2, sentences=4)
    return text.replace("取得明显成效。", "取得明显成效,新增X所。", 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory", default="1000,10000")
    parser.add_argument("--naive", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    python = sys.executable
    try:
        drafts = tmp / "drafts"
        write_drafts(drafts, args.files)
        size = sum(p.stat().st_size for p in drafts.rglob("*.yaml")) / args.files
        ours, pool = [], []
        for _ in range(args.runs):
            ours.append(timed([python, "-m", "reporttool", "validate", "--no-cache", "-q", str(drafts)]))
            pool.append(timed([python, "-c", POOL, str(drafts)]))
        a, b = statistics.median(ours), statistics.median(pool)
        print(f"{args.files} drafts of {size / 1024:.0f} KB, {os.cpu_count()} cores, medians of {args.runs} "
              f"interleaved rounds (load average {os.getloadavg()[0]:.2f}):")
        print(f"  reporttool validate --no-cache DIR:       {a:6.1f} s")
        print(f"  plain pool over the per-draft check:      {b:6.1f} s")
        print(f"  ratio: {a / b:.3f}x (issue 14 target: within 1.05x)")
        if args.naive:
            naive = timed([python, "-c", NAIVE, str(drafts)])
            print(f"  naive loop (ruamel rt + jsonschema, one process): {naive:.1f} s ({naive / a:.1f}x reporttool)")
        shutil.rmtree(drafts)
        peaks = {}
        for count in [int(n) for n in args.memory.split(",")]:
            folder = tmp / f"small{count}"
            for i in range(count):
                sub = folder / f"county{i % 20:02}"
                sub.mkdir(parents=True, exist_ok=True)
                (sub / f"{i:05}.yaml").write_text(small_with_findings(i), encoding="utf-8")
            result = subprocess.run([python, "-c", "import os\n" + PARENT_PEAK, str(folder)], capture_output=True,
                                    text=True, env=ENV)
            peaks[count] = int(result.stderr.strip().splitlines()[-1]) / 1024
            shutil.rmtree(folder)
        first = min(peaks)
        print("peak RSS of the batch's parent (small drafts with findings, text report):")
        for count, mb in peaks.items():
            print(f"  {count:6} drafts: {mb:6.1f} MB ({mb / peaks[first]:.2f}x the {first})")
        print("  issue 14 target: the largest within 2x of the smallest")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
