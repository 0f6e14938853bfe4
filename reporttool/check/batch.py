"""Check many drafts: in worker processes, results in the order of the files, one crash isolated."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reporttool import messages
from reporttool.check.cache import FolderIndex
from reporttool.check.config import Config
from reporttool.check.draft import CheckResult, cached_problems, check_path, config_for
from reporttool.load.files import expand
from reporttool.problems import Problem, exit_code

if TYPE_CHECKING:
    from reporttool.check.baseline import Applied, Baseline

PARALLEL_FROM = 8  # fewer files are faster checked in this process than in new workers
ISOLATED_SECONDS = 120  # one draft checked alone after a crash: a hang ends here


@dataclass
class BatchResult:
    """What a batch run found: one result per draft, in order, and problems with the arguments."""

    files: list[str] = field(default_factory=list)  # every draft checked, in order
    results: list[CheckResult] = field(default_factory=list)  # one per file, in the same order
    unusable: list[Problem] = field(default_factory=list)  # arguments that name no usable draft
    seconds: float = 0.0
    baseline: Applied | None = None  # when a baseline was applied: what it hid, what no longer occurs
    stats: dict[str, os.stat_result] = field(default_factory=dict, repr=False)  # each listed draft's, for the cache

    def apply_baseline(self, baseline: Baseline) -> None:
        """Hide the findings the baseline settles (from the results, so counts and exit codes follow)."""
        from reporttool.check.baseline import apply

        self.baseline = apply(baseline, [p for r in self.results for p in r.problems], self.files)
        hidden = {id(p) for p, _ in self.baseline.settled}
        for result in self.results:
            result.problems = [p for p in result.problems if id(p) not in hidden]

    @property
    def problems(self) -> list[Problem]:
        return self.unusable + [p for result in self.results for p in result.problems]

    def exit_code(self, strict: bool = False) -> int:
        return exit_code(self.problems, strict)


TIME_LIMIT = 60.0  # seconds a file may take to check in a batch (a typical draft takes 0.03 s, 1 MB ~1 s)


class _OverBudget(BaseException):
    """Raised by the timer inside a check: a BaseException, so no `except Exception` of the check keeps it."""


def _check(args: tuple[str, Config | None, bool, str | None, float | None]) -> list[Problem]:
    global _busy
    if _interrupted:  # the rest of this worker's queue drains at once
        raise KeyboardInterrupt
    path, config, cache, previous, limit = args
    _busy = True
    try:
        return budgeted(path, config, cache, previous, limit)
    finally:
        _busy = False


# A pool worker's Ctrl-C state (see _worker_start): set only in worker processes.
_busy = False
_interrupted = False


def budgeted(path: str, config: Config | None, cache: bool, previous: str | None, limit: float | None) -> list[Problem]:
    """check_path within `limit` seconds (None: no limit): over it, the file is reported (io/timeout)
    and the batch goes on. A timer signal interrupts the check between two Python steps (POSIX, on
    a process's main thread: the workers and the CLI); elsewhere the file is checked unbounded."""
    import threading

    if limit is None or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return check_path(path, config=config, cache=cache, previous=previous)

    def expire(signum, frame) -> None:
        raise _OverBudget

    before = signal.getsignal(signal.SIGALRM)
    try:  # armed inside: a Ctrl-C between arming and the try would leave the timer running
        signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, limit)
        return check_path(path, config=config, cache=cache, previous=previous)
    except _OverBudget:
        return [messages.make("io/timeout", path, seconds=f"{limit:g}")]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def collect(paths: Iterable[str], only_drafts: bool = False) -> BatchResult:
    """The drafts the arguments name (directories searched), and problems with unusable ones;
    `only_drafts` leaves out YAML files that are no drafts (no schema_version, no modeline)."""
    from reporttool.load.files import looks_like_draft

    result = BatchResult()
    for path, unusable in expand(paths, result.stats):
        if unusable is not None:
            if not (only_drafts and all(p.rule == "io/no-drafts" for p in unusable)):
                result.unusable.extend(unusable)
        elif not only_drafts or looks_like_draft(path):
            result.files.append(path)
    return result


def run(paths: Iterable[str], config: Config | None = None, jobs: int | None = None,
        progress: Callable[[int], None] | None = None, collected: BatchResult | None = None,
        cache: bool = False, previous: str | None = None, time_limit: float | None = TIME_LIMIT) -> BatchResult:
    """Check every draft; `collected` is what collect() found when the caller needed it first.
    `time_limit`: seconds each file may take (io/timeout beyond them; None: no limit).
    `cache`: unchanged drafts are answered from the cache here, only the others go to workers.
    `previous`: last year's report each draft is compared with (no cache then: the key cannot hold it)."""
    cache = cache and previous is None
    start = time.perf_counter()
    result = collected if collected is not None else collect(paths)
    drafts = result.files
    jobs = max(1, jobs or os.cpu_count() or 1)
    indexes: dict[str, FolderIndex] = {}
    known, records = _cached(drafts, config, indexes, result.stats) if cache else (
        [None] * len(drafts), [None] * len(drafts))
    result.stats.clear()  # used: 10,000 stats held through the run were ~7 MB of the parent's peak
    todo = [path for path, hit in zip(drafts, known) if hit is None]
    if progress and len(todo) < len(drafts):
        progress(len(drafts) - len(todo))
    if jobs == 1 or len(todo) < PARALLEL_FROM:
        found = []
        for path in todo:
            found.append(budgeted(path, config, cache, previous, time_limit))
            if progress:
                progress(1)
    else:
        found = _parallel(todo, config, jobs, progress, cache, previous, time_limit)
    checked = iter(found)
    result.results = [CheckResult(path, hit if hit is not None else next(checked)) for path, hit in zip(drafts, known)]
    for record, checked_result in zip(records, result.results):
        # a file over the time limit was not checked: nothing to remember, the next run tries again
        if record is not None and not any(p.rule == "io/timeout" for p in checked_result.problems):
            index, base, info, applies = record
            index.put(base, info, applies, checked_result.problems)
    for index in indexes.values():
        index.save()
    result.seconds = time.perf_counter() - start
    return result


def _cached(drafts: list[str], config: Config | None, indexes: dict[str, FolderIndex],
            stats: dict[str, os.stat_result]) -> tuple[list[list[Problem] | None], list[tuple | None]]:
    """The cached findings of each unchanged draft (None: check it), and for each draft what its
    folder's index needs to remember the result (None: nothing to remember). A draft whose stat
    is in its folder's index is not even read; else it is read and found by content hash. The
    configuration is looked up once per folder. In this process, serially: reading and hashing
    cost less than starting workers, and threads were measured 1.16x slower."""
    configs: dict[str, Config | None] = {}

    def lookup(path: str) -> tuple[list[Problem] | None, tuple | None]:
        folder, base = os.path.split(os.path.abspath(path))
        applies = config
        if applies is None:
            if folder not in configs:
                found = config_for(path)
                configs[folder] = None if isinstance(found, Problem) else found
            applies = configs[folder]
            if applies is None:  # a broken project file: the check says so
                return None, None
        if folder not in indexes:
            indexes[folder] = FolderIndex(folder)
        index = indexes[folder]
        try:  # the listing's stat, milliseconds old: what a re-run costs is mostly stats
            info = stats.get(path) or os.stat(path)
        except OSError:  # the check says what is wrong
            return None, None
        hit = index.get(base, info, applies, path)
        if hit is not None:
            return hit, None
        hit, cacheable = cached_problems(path, applies)
        return hit, (index, base, info, applies) if cacheable else None

    found = [lookup(path) for path in drafts]
    return [hit for hit, _ in found], [record for _, record in found]


def _parallel(drafts: list[str], config: Config | None, jobs: int, progress, cache: bool = False,
              previous: str | None = None, time_limit: float | None = TIME_LIMIT) -> list[list[Problem]]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done: list[list[Problem]] = []
    chunk = max(1, min(32, len(drafts) // (jobs * 8)))
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start) as pool:
            try:
                with _interrupt_deferred():  # map starts the workers
                    answers = pool.map(_check, [(path, config, cache, previous, time_limit) for path in drafts],
                                       chunksize=chunk)
                for problems in answers:
                    done.append(problems)
                    if progress:
                        progress(1)
            except (KeyboardInterrupt, SystemExit):
                # a Ctrl-C (or SIGTERM) held back while the workers started lands before the answers
                # are read, so nothing has cancelled the queued chunks: the pool's exit, or Python's,
                # would wait for them all. wait=True here: the with's own shutdown would undo the cancel.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    except BrokenProcessPool:
        # A worker died (a parser crash) somewhere in the chunks in flight: check those one file
        # per process, so only the file that kills its process is reported; then go on in a pool.
        rest = drafts[len(done):]
        suspects, later = rest[:chunk * jobs * 2], rest[chunk * jobs * 2:]
        for path in suspects:
            done.append(_isolated(path, config, previous))  # not cached: a crash is checked again next time
            if progress:
                progress(1)
        if later:
            done.extend(_parallel(later, config, jobs, progress, cache, previous, time_limit))
    return done


def _isolated(path: str, config: Config | None, previous: str | None = None) -> list[Problem]:
    """Check one draft in a process of its own; its death or a hang becomes an io/crash problem."""
    import multiprocessing  # here: only a crash needs it

    receive, send = multiprocessing.Pipe(duplex=False)
    worker = multiprocessing.Process(target=_send_check, args=(send, path, config, previous), daemon=True)
    with _interrupt_deferred():
        worker.start()
    send.close()
    try:
        if receive.poll(ISOLATED_SECONDS):
            try:
                return receive.recv()
            except EOFError:  # the process died before it could answer
                pass
        else:
            worker.kill()
            worker.join()
            return [messages.make("io/crash", path, reason="检查超时")]
    finally:
        receive.close()
    worker.join()
    return [messages.make("io/crash", path, reason=f"进程异常退出（{worker.exitcode}）")]


_DEFERRED = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back while worker processes start: a child inherits the block until
    its own handler is in place, so no signal lands in multiprocessing's start-up code (which prints
    a traceback, or leaves a worker the pool does not know of). The parent gets them right after.
    (Inherited by fork, the start method here; forkserver's server, started inside, passes it on.)"""
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the caller's mask, restored as it was
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _worker_start() -> None:
    """A pool worker's Ctrl-C: inside a check it stops the check (the parent, interrupted too,
    says 已中断) and makes the worker's remaining queue fail fast; while the worker waits for work it
    is noted only. A KeyboardInterrupt there prints a traceback, and a worker that dies instead
    breaks the pool, whose clean-up trips over the futures map cancelled (Python 3.11)."""

    def interrupted(signum, frame) -> None:
        global _interrupted
        _interrupted = True
        if _busy:
            raise KeyboardInterrupt

    _take_signals(interrupted)


def _quiet_on_interrupt() -> None:
    """In an isolated check's process: Ctrl-C ends it silently, as a terminal's Ctrl-C ends a
    plain program; the parent, interrupted too, says 已中断."""
    _take_signals(signal.SIG_DFL)


def _take_signals(on_interrupt) -> None:
    """In a new worker: its Ctrl-C handler in place, then the signals _interrupt_deferred held back."""
    signal.signal(signal.SIGINT, on_interrupt)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _DEFERRED)


def _send_check(send, path: str, config: Config | None, previous: str | None = None) -> None:
    _quiet_on_interrupt()
    send.send(check_path(path, config=config, previous=previous))
    send.close()
