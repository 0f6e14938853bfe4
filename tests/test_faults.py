"""Faults: a writing command killed (SIGKILL) at a random moment leaves the target whole, the old
file or the new one, never a part; its mode is kept; and the temporary file the killed run leaves
is removed by the next run (its name says which process made it). Real processes, real files:
render, fmt, new and import, 50 trials each."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

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
    must be `old` or `new`, whole, with that mode; after a last complete run no temporary is left."""
    target = tmp_path / name
    rng = random.Random(name)
    if old is not None:  # timed on the old file, as the trials start from it
        target.write_bytes(old)
    span = duration(argv, tmp_path) * 1.2
    outcomes = set()
    for _ in range(TRIALS):
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
