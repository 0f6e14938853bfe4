"""CI re-run speed: `reporttool validate DIR` over 1000 unchanged typical drafts, answered from the
cache, beside the least any re-run must do: a process that lists the same files and reads them.

    python bench/bench_cache.py [--files 1000] [--runs 5] [--cold]

The cache lives in a temporary directory (REPORTTOOL_CACHE_DIR); one run fills it first. Rounds
are interleaved (reporttool, reference, reporttool, …); figures are medians of whole processes.
--cold also times one run that checks every draft (--no-cache), for scale.
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

LIST_AND_READ = """
import os, sys
total = 0
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), "rb") as handle:
                total += len(handle.read())
print(total)
"""


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    reporttool = str(Path(sys.executable).parent / "reporttool")
    with tempfile.TemporaryDirectory() as work:
        drafts = Path(work) / "drafts"
        for n in range(args.files):
            folder = drafts / f"county{n // 100:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"draft{n:04d}.yaml").write_text(make_draft(seed=n), encoding="utf-8")
        env = {**os.environ, "REPORTTOOL_CACHE_DIR": str(Path(work) / "cache")}
        env.pop("REPORTTOOL_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules load from bytecode, not source
        validate = [reporttool, "validate", "-q", str(drafts)]
        first = timed(validate, env)  # fills the cache
        if args.cold:
            cold = timed([*validate, "--no-cache"], env)
        cached, reference = [], []
        for _ in range(args.runs):
            cached.append(timed(validate, env))
            reference.append(timed([sys.executable, "-c", LIST_AND_READ, str(drafts)], env))
        size = sum(p.stat().st_size for p in drafts.rglob("*.yaml")) / 1e6
    a, b = statistics.median(cached), statistics.median(reference)
    print(f"{args.files} unchanged drafts ({size:.0f} MB), medians of {args.runs} interleaved rounds "
          f"(load average {os.getloadavg()[0]:.2f}):")
    print(f"  first run (fills the cache):        {first:7.2f} s")
    if args.cold:
        print(f"  --no-cache (checks every draft):    {cold:7.2f} s")
    print(f"  re-run from the cache:              {a:7.3f} s")
    print(f"  list + read the files (reference):  {b:7.3f} s")
    print(f"  ratio: {a / b:.2f}x (issue 14 target: within 2x)")


if __name__ == "__main__":
    main()
