"""Check many drafts: in worker processes, results in the order of the files, one crash isolated."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reporttool import messages
from reporttool.problems import Problem
from reporttool.load.files import expand
from reporttool.check.draft import check_path

PARALLEL_FROM = 8  # fewer files are faster checked in this process than in new workers


@dataclass
class BatchResult:
    """What a batch run found."""

    files: list[str] = field(default_factory=list)  # every draft checked, in order
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def _check(args) -> list[Problem]:
    path, config = args
    return check_path(path, config=config)


def collect(paths) -> BatchResult:
    """The drafts the arguments name (directories searched), and problems with unusable ones."""
    result = BatchResult()
    for path, unusable in expand(paths):
        if unusable is not None:
            result.problems.extend(unusable)
        else:
            result.files.append(path)
    return result


def run(paths, config=None, jobs: int | None = None,
        progress: Callable[[int], None] | None = None, collected: BatchResult | None = None) -> BatchResult:
    """Check every draft; `collected` is what collect() found when the caller needed it first."""
    start = time.perf_counter()
    result = collected if collected is not None else collect(paths)
    drafts = result.files
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(drafts) < PARALLEL_FROM:
        for path in drafts:
            result.problems.extend(check_path(path, config=config))
            if progress:
                progress(1)
    else:
        result.problems.extend(_parallel(drafts, config, jobs, progress))
    result.seconds = time.perf_counter() - start
    return result


def _parallel(drafts: list[str], config, jobs: int, progress) -> list[Problem]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done: list[list[Problem]] = []
    chunk = max(1, min(32, len(drafts) // (jobs * 8)))
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for problems in pool.map(_check, [(path, config) for path in drafts], chunksize=chunk):
                done.append(problems)
                if progress:
                    progress(1)
    except BrokenProcessPool:
        # A worker died (a parser crash): check what is left one file per process, so only the
        # file that kills its process is reported, and all the others are still checked.
        for path in drafts[len(done):]:
            done.append(_isolated(path))
            if progress:
                progress(1)
    return [p for problems in done for p in problems]


def _isolated(path: str) -> list[Problem]:
    import json

    command = [sys.executable, "-m", "reporttool", "validate", "--format", "json", "-j", "1", path]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return [messages.make("io/crash", path, reason="检查超时")]
    if completed.returncode not in (0, 1, 2):
        return [messages.make("io/crash", path, reason=f"进程异常退出（{completed.returncode}）")]
    from reporttool.problems import Severity

    out = []
    for item in json.loads(completed.stdout)["problems"]:
        out.append(Problem(item["file"], item["line"], item["column"], Severity(item["severity"]), item["rule"],
                           item["message"], item["hint"], item["path"],
                           fatal_io=messages.RULES[item["rule"]].fatal_io))
    return out
