"""The render command's forked writer (render/prewarm.py): same bytes, a fallback, no stray process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, process_state

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked (POSIX)")

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
# a process that rendered the example in-process (`plain`) and then started and claimed a helper
STARTED = "; ".join([
    "from reporttool.render import prewarm", "from reporttool.render.document import render_bytes",
    f"data = open({str(EXAMPLES / 'annual-county.yaml')!r}, 'rb').read()",
    "plain = render_bytes(data, 'a.yaml', place_record=False).docx",
    "prewarm.ENABLED = True", "prewarm.start()", "helper = prewarm.claim()"])


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=180, env=ENV)


@pytest.mark.parametrize("name", ["annual-county.yaml", "formal-report.yaml"])
def test_the_render_process_writes_what_the_in_process_render_writes(invoke, tmp_path, monkeypatch, name):
    """The CLI process (helper on) and CliRunner (helper off: a library caller's process) agree byte
    for byte, 版记 placement included (formal-report has one: a second write when it moves)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    invoke("render", str(EXAMPLES / name), "-o", str(tmp_path / "in.docx"))
    process = subprocess.run([sys.executable, "-m", "reporttool", "render", str(EXAMPLES / name),
                              "-o", str(tmp_path / "out.docx")], capture_output=True, text=True, timeout=300, env=ENV)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "out.docx").read_bytes() == (tmp_path / "in.docx").read_bytes()


def test_the_helper_composes_and_writes_the_document(tmp_path):
    """With the parent's own composing and writing broken after the fork, the document still comes
    out: the helper made it, and it is the document an ordinary render makes."""
    result = _python(f"""
        {STARTED}
        assert helper is not None and prewarm.claim() is None
        import reporttool.render.compose as compose
        import reporttool.render.docx_writer as writer
        writer.Writer = compose.compose = None  # any in-process compose or write now fails
        served = render_bytes(data, 'a.yaml', place_record=False, helper=helper).docx
        helper.close()
        print(served == plain, len(served) > 10000)
    """, tmp_path)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_a_dead_helper_leaves_the_writing_to_the_parent(tmp_path):
    result = _python(f"""
        import os, signal
        {STARTED}
        os.kill(helper.pid, signal.SIGKILL)
        served = render_bytes(data, 'a.yaml', place_record=False, helper=helper).docx
        print(served == plain, not helper.alive)
        helper.close()
    """, tmp_path)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_a_draft_with_errors_stops_the_helper(tmp_path):
    result = _python(f"""
        import os
        from reporttool.render import prewarm
        from reporttool.render.document import RenderError
        from reporttool import api
        prewarm.ENABLED = True
        prewarm.start()  # as the render command does, then render_file claims it
        pids = [prewarm._started.pid]
        try:
            api.render_file({str(EXAMPLES / 'invalid' / 'bad-date.yaml')!r}, 'x.docx')
        except RenderError as exc:
            print(exc.code)
        try:
            os.kill(pids[0], 0)
            print('alive')
        except ProcessLookupError:
            print('gone')
    """, tmp_path)
    assert result.stdout.split() == ["1", "gone"], result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_library_process_is_not_forked():
    from reporttool.render import prewarm

    prewarm.start()
    assert prewarm.ENABLED is False and prewarm.claim() is None


def _alive_with(marker: str) -> list[int]:
    """Processes (not zombies) whose command line names `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline and process_state(entry) not in ("Z", "?"):
            found.append(int(entry))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_the_helper_ends_with_its_parent(tmp_path, how):
    """kill -9 of render (or Ctrl-C to its process group) while the helper lives: it is gone soon after."""
    draft = tmp_path / "marker-draft.yaml"
    draft.write_bytes((EXAMPLES / "annual-county.yaml").read_bytes())
    process = subprocess.Popen([sys.executable, "-m", "reporttool", "render", str(draft), "-o",
                                str(tmp_path / "out.docx")], cwd=tmp_path, env=ENV, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(_alive_with(str(draft))) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    if process.poll() is not None:
        pytest.skip("the render ended before its helper was seen")  # a very fast machine: nothing to kill
    if how == signal.SIGKILL:
        process.kill()
    else:
        os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive_with(str(draft)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _alive_with(str(draft)) == []
    assert not any(p.name.startswith(".out.docx") for p in tmp_path.iterdir())


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="sets the CPU affinity")
def test_no_helper_on_one_core(tmp_path):
    """On one core the two halves would only take turns: the render stays in one process."""
    result = _python("""
        import os
        from reporttool.render import prewarm
        prewarm.ENABLED = True
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        prewarm.start()
        print(prewarm.claim() is None)
    """, tmp_path)
    assert result.stdout.split() == ["True"], result.stderr
