"""Faults: a writing command killed (SIGKILL) at a random moment leaves the target whole, the old
file or the new one, never a part; its mode is kept; and the temporary file the killed run leaves
is removed by the next run (its name says which process made it). Real processes, real files:
render, fmt, new and import, 50 trials each."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, process_state

TRIALS = 50
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and file modes: POSIX")


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "reporttool", *args]


def killed_at_random(argv: list[str], cwd: Path, span: float, rng: random.Random) -> None:
    """Start the command and kill it with SIGKILL somewhere in its first `span` seconds."""
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "CI": "1"})
    time.sleep(rng.uniform(0, span))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def duration(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - start


def trials(tmp_path: Path, name: str, argv: list[str], old: bytes | None, new: bytes, prepare=None) -> None:
    """Run the trials: before each the target holds `old` (None: absent) with mode 0640; after each it
    must be `old` or `new`, whole, with that mode; after a last complete run no temporary is left.
    The kills land within 1.2 times a timed run, a span widened while no run has finished (on a
    machine under load, all 50 kills once came before the rename)."""
    target = tmp_path / name
    rng = random.Random(name)
    if old is not None:  # timed on the old file, as the trials start from it
        target.write_bytes(old)
    span = duration(argv, tmp_path) * 1.2
    outcomes = set()
    for trial in range(TRIALS):
        if trial % 10 == 9 and "new" not in outcomes:  # the machine got slower than the timed run
            span *= 1.5
        if target.exists():
            target.unlink()
        if old is not None:
            target.write_bytes(old)
            target.chmod(0o640)
        if prepare:
            prepare()
        killed_at_random(argv, tmp_path, span, rng)
        if not target.exists():
            assert old is None
            outcomes.add("absent")
            continue
        data = target.read_bytes()
        assert data in (old, new), f"{name}: a part of a file ({len(data)} bytes)"
        outcomes.add("old" if data == old else "new")
        if old is not None:
            assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert len(outcomes) == 2, outcomes  # killed before and after the rename, both seen
    subprocess.run(argv, cwd=tmp_path, capture_output=True, timeout=120)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]
    assert not left, left


def test_render_killed_while_writing(tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_bytes((EXAMPLES / "annual-county.yaml").read_bytes())
    argv = command("render", "d.yaml", "-o", "r.docx", "--overwrite")
    subprocess.run(argv, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    new = (tmp_path / "r.docx").read_bytes()
    trials(tmp_path, "r.docx", argv, b"PK old document", new)


def test_fmt_killed_while_writing(tmp_path):
    original = (EXAMPLES / "half-year.yaml").read_text(encoding="utf-8")
    messy = original.replace("。", "。 ", 40).replace("：", ":", 0)
    target = tmp_path / "d.yaml"
    target.write_text(messy, encoding="utf-8")
    argv = command("fmt", "d.yaml")
    subprocess.run(argv, cwd=tmp_path, capture_output=True, timeout=120)
    new = target.read_bytes()
    assert new != messy.encode("utf-8")
    trials(tmp_path, "d.yaml", argv, messy.encode("utf-8"), new)


def test_new_killed_while_writing(tmp_path):
    argv = command("new", "--kind", "annual", "--issuer", "某县教育局", "--year", "2026", "-o", "n.yaml")
    subprocess.run(argv, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    new = (tmp_path / "n.yaml").read_bytes()
    (tmp_path / "n.yaml").unlink()
    trials(tmp_path, "n.yaml", argv, None, new)


def test_import_killed_while_writing(tmp_path):
    (tmp_path / "原文.txt").write_bytes((ROOT / "tests" / "fixtures" / "import-county-annual.txt").read_bytes())
    argv = command("import", "原文.txt", "-o", "i.yaml", "--force")
    subprocess.run(argv, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    new = (tmp_path / "i.yaml").read_bytes()
    trials(tmp_path, "i.yaml", argv, b"old: draft\n", new)


# --- a full disk -------------------------------------------------------------------------------
# Every writing command, its output on a file system with no space left: a Chinese message, exit 2,
# no traceback, the old file (where there was one) intact, no temporary left, nothing half-made
# that a re-run would then refuse (文件已存在). Two ways to fill the disk: a small tmpfs of the
# test's own (where the test may mount one: root on Linux), and a file-size limit (RLIMIT_FSIZE,
# every write past it fails as a full disk's would) that works for any user.

OLD = b"old file: must survive\n"


def _mount_tmpfs(where: Path) -> bool:
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def _fill(where: Path) -> None:
    with open(where / ".filler", "wb", buffering=0) as handle:  # unbuffered: nothing left to fail at close
        for size in (65536, 1):  # big blocks, then the last bytes one at a time
            try:
                while handle.write(b"\0" * size):
                    pass
            except OSError:
                pass


def _writers(tmp_path: Path, disk: Path) -> dict[str, tuple[list[str], str, bytes | None]]:
    """name → (argv, target inside `disk`, the target's old bytes or None)."""
    from test_fmt import MESSY

    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    draft = source / "县报告.yaml"
    draft.write_bytes((EXAMPLES / "annual-county.yaml").read_bytes())
    text = source / "报告.txt"
    text.write_bytes(sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))[0].read_bytes()
                     if (ROOT.parent / "shared" / "corpus").is_dir() else "一、工作成效\n全县有学校12所。\n".encode())
    writers = {
        "render": (command("render", str(draft), "-o", str(disk / "报告.docx"), "--overwrite"), "报告.docx", OLD),
        "fmt": (command("fmt", str(disk / "草稿.yaml")), "草稿.yaml", MESSY.encode()),
        "new": (command("new", "-o", str(disk / "新草稿.yaml"), "--kind", "annual", "--issuer", "某县教育局",
                        "--year", "2026"), "新草稿.yaml", None),
        "import": (command("import", str(text), "-o", str(disk / "导入.yaml")), "导入.yaml", None),
        "baseline": (command("baseline", str(draft), "-o", str(disk / "基线.json")), "基线.json", OLD),
        "summary": (command("summary", str(source), "-o", str(disk / "汇总.csv")), "汇总.csv", OLD),
        "summary-xlsx": (command("summary", str(source), "--format", "xlsx", "-o", str(disk / "汇总.xlsx")),
                         "汇总.xlsx", None),
        "schema": (command("schema", "-o", str(disk / "schema.json")), "schema.json", OLD),
    }
    if shutil.which("soffice"):
        writers["render-pdf"] = (command("render", str(draft), "-o", str(disk / "报告.pdf"), "--overwrite"),
                                 "报告.pdf", OLD)
    return writers


def _limited(limit: int):
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("how", ["tmpfs", "file-size limit"])
def test_every_writing_command_on_a_full_disk(tmp_path, how):
    disk = tmp_path / "disk"
    if how == "tmpfs":
        if not _mount_tmpfs(disk):
            pytest.skip("this process may not mount a tmpfs (the file-size limit variant runs instead)")
    else:
        disk.mkdir()
    try:
        writers = _writers(tmp_path, disk)
        for _, target, old in writers.values():
            if old is not None:
                (disk / target).write_bytes(old)
        if how == "tmpfs":
            _fill(disk)
        for name, (argv, target, old) in writers.items():
            # the limit lets the interpreter run (its own small writes) and stops any output file
            limit = {"preexec_fn": _limited(len(OLD) + 16)} if how != "tmpfs" else {}
            result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                                    env={**os.environ, "CI": "1", "REPORTTOOL_NO_CACHE": "1"}, **limit)
            shown = result.stdout + result.stderr
            assert result.returncode == 2, (name, shown)
            assert "Traceback" not in shown and "内部错误" not in shown, (name, shown)
            assert "无法写入" in shown or "磁盘空间不足" in shown or "文件过大" in shown, (name, shown)
            if old is None:
                assert not (disk / target).exists(), name  # not even an empty file
            else:
                assert (disk / target).read_bytes() == old, name
            left = [p.name for p in disk.iterdir() if p.name.endswith(".tmp")]
            assert not left, (name, left)
            if name == "fmt":
                assert "格式化了 1 个文件" not in shown and "格式化了 0 个文件" in shown, shown
        if how == "tmpfs":  # room again: every command now succeeds, none refuses a leftover
            (disk / ".filler").unlink()
            for name, (argv, target, _) in writers.items():
                if name == "render-pdf":
                    continue  # a second LibreOffice run proves nothing more
                result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
                assert result.returncode in (0, 1), (name, result.stdout + result.stderr)
                assert (disk / target).exists() and (disk / target).read_bytes() != OLD, name
    finally:
        if how == "tmpfs":
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# --- writers at once -----------------------------------------------------------------------------

CONTENTION_TRIALS = 20


def test_two_fmt_runs_at_once_and_an_editor_saving_during_fmt(tmp_path):
    """Two fmt processes on one file end with the formatted file (one wrote it; the other found it
    formatted, or refused because it changed under it); an editor's save while fmt runs, in place
    or by rename, is never overwritten by fmt's result of the text before it."""
    from test_fmt import CLEAN, MESSY

    draft = tmp_path / "草稿.yaml"
    draft.write_text(MESSY, encoding="utf-8")
    span = duration(command("fmt", str(draft)), tmp_path)
    rng = random.Random("contention")
    codes: set[int] = set()
    for _ in range(CONTENTION_TRIALS):
        draft.write_text(MESSY, encoding="utf-8")
        both = [subprocess.Popen(command("fmt", str(draft)), cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        for process in both:
            shown = process.communicate(timeout=120)[0]
            assert "Traceback" not in shown and "内部错误" not in shown, shown
            codes.add(process.returncode)
        assert draft.read_text(encoding="utf-8") == CLEAN
    assert codes <= {0, 2}, codes
    edit = MESSY.replace("某县教育局2026年工作总结", "某县教育局2026年工作总结（改）")
    for trial in range(CONTENTION_TRIALS):
        draft.write_text(MESSY, encoding="utf-8")
        process = subprocess.Popen(command("fmt", str(draft)), cwd=tmp_path, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        time.sleep(rng.uniform(0, span))
        if trial % 2:  # an editor that writes in place
            with open(draft, "r+", encoding="utf-8") as handle:
                handle.truncate(0)
                handle.write(edit)
        else:  # one that saves a new file over the old
            (tmp_path / "save.tmp~").write_text(edit, encoding="utf-8")
            os.replace(tmp_path / "save.tmp~", draft)
        shown = process.communicate(timeout=120)[0]
        assert "Traceback" not in shown, shown
        assert "（改）" in draft.read_text(encoding="utf-8"), (trial, shown)  # the edit, formatted or not


def test_a_folder_changing_under_a_parallel_validate(tmp_path):
    """validate -j 2 over 300 drafts while files are deleted, truncated and replaced: every file it
    listed is reported (a vanished one as unreadable), nothing crashes the batch, the JSON is whole."""
    import json
    import threading

    folder = tmp_path / "drafts"
    folder.mkdir()
    good = (EXAMPLES / "annual-county.yaml").read_bytes()
    names = [folder / f"县{i:03d}.yaml" for i in range(300)]
    for path in names:
        path.write_bytes(good)
    rng = random.Random("folder")
    stop = threading.Event()

    def change() -> None:
        while not stop.is_set():
            path = rng.choice(names)
            action = rng.choice(("delete", "truncate", "replace"))
            try:
                if action == "delete":
                    path.unlink(missing_ok=True)
                elif action == "truncate":
                    with open(path, "r+b") as handle:
                        handle.truncate(rng.randrange(1, len(good)))
                else:
                    path.with_suffix(".new").write_bytes(good.replace(b"2026", b"2025", 1))
                    os.replace(path.with_suffix(".new"), path)
            except OSError:
                pass
            time.sleep(0.001)

    changer = threading.Thread(target=change)
    changer.start()
    try:
        result = subprocess.run(command("validate", "-j", "2", "--no-cache", "--format", "json", str(folder)),
                                capture_output=True, text=True, timeout=600)
    finally:
        stop.set()
        changer.join()
    assert "Traceback" not in result.stderr and "内部错误" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode in (1, 2), result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["files"] >= 1
    rules = {p["rule"] for p in report["problems"]}
    assert not {rule for rule in rules if rule.startswith("internal/")}, rules


@pytest.mark.parametrize("to_group", [True, False], ids=["process-group", "parent-only"])
def test_ctrl_c_during_a_parallel_batch_always_ends_within_two_seconds(tmp_path, to_group):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it; or to the parent alone,
    as `kill -INT` does) at random moments of `validate -j 2`, from its start-up to its last chunks:
    15 trials, each ends with 已中断 and exit 130 within 2 s, never a traceback (one came from a
    Ctrl-C while the CLI was importing). The moments are spread over 80 % of an uninterrupted run,
    timed first: a machine twice as fast must not turn the trials into finished runs."""
    from bench.make_draft import make_draft

    text = make_draft()
    for i in range(120):  # ~1.5 s on two cores: 15 trials of each kind cost ~15 s
        (tmp_path / f"{i:04}.yaml").write_text(text, encoding="utf-8")
    argv = command("validate", "-j", "2", "--no-cache", str(tmp_path))
    started = time.monotonic()  # before our entry point's own handling starts, a Ctrl-C is Python's
    subprocess.run([sys.executable, "-c", "import reporttool.__main__"], cwd=ROOT, check=True, timeout=60)
    earliest = max(0.05, 2 * (time.monotonic() - started))
    started = time.monotonic()
    whole = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    span = 0.8 * (time.monotonic() - started)
    assert whole.returncode in (0, 1), whole.stderr
    rng = random.Random("ctrl-c")
    slowest = 0.0
    interrupted = 0
    for _ in range(15):
        process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        time.sleep(rng.uniform(earliest, max(span, earliest)))
        sent = time.monotonic()
        if to_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        err = process.communicate(timeout=30)[1]
        slowest = max(slowest, time.monotonic() - sent)
        if process.returncode in (0, 1):  # finished before the signal: nothing to interrupt
            continue
        assert process.returncode == 130 and "已中断" in err and "Traceback" not in err, (process.returncode, err)
        interrupted += 1
    assert interrupted >= 8, interrupted
    assert slowest < 2.0, slowest


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path(f"/proc/self/task/{threading.get_native_id()}/children").exists(),
                    reason="reads worker states from Linux /proc (children lists: CONFIG_PROC_CHILDREN)")
def test_ctrl_c_while_one_worker_waits_for_work_prints_no_traceback(tmp_path):
    """The worker that has nothing left to do waits in multiprocessing's queue: a Ctrl-C there
    printed that worker's KeyboardInterrupt traceback (seen in CI). One big draft keeps one worker
    busy while the other, done with seven small ones, waits; the Ctrl-C is sent in that state."""
    from bench.make_draft import make_draft

    (tmp_path / "0000.yaml").write_text(make_draft(sections=40, items_per_section=28), encoding="utf-8")
    for i in range(1, 8):
        (tmp_path / f"{i:04}.yaml").write_text(make_draft(seed=i), encoding="utf-8")
    for _ in range(3):
        process = subprocess.Popen(command("validate", "-j", "2", "--no-cache", str(tmp_path)), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        steady = 0
        while process.poll() is None and steady < 3:  # 3 looks in a row: one running, one waiting
            workers = _children(process.pid)
            steady = steady + 1 if len(workers) == 2 and sorted(map(process_state, workers)) == ["R", "S"] else 0
            time.sleep(0.005)
        assert steady == 3, "the run ended before one worker was seen waiting"
        os.killpg(process.pid, signal.SIGINT)
        err = process.communicate(timeout=30)[1]
        assert process.returncode == 130 and "已中断" in err and "Traceback" not in err, (process.returncode, err)
