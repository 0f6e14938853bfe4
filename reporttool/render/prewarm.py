"""A second process that composes and writes the document while this one checks the draft.

Most of a render's own time is imports that do not depend on the draft: python-docx (with lxml)
~100 ms, its template document ~50 ms, Jinja ~40 ms. So the `render` command forks a helper first
thing; the helper imports them and builds a writer for the house style while the parent imports
the checker and reads the draft. As soon as the draft's model is built, the parent hands it over
with the house style and runs the rules; the helper composes and writes meanwhile. If the rules find errors, the
helper's work is thrown away. On two cores the halves overlap; the document is the same bytes.

Only the command-line process uses it (`ENABLED`, set by the entry point), on POSIX systems with two
cores or more, and only from a single-threaded process. Whatever goes wrong in the helper (it dies, a model does not pickle, a
template fails) makes the parent do that step in-process, as it always did, so errors are
reported the one usual way. The helper touches no file, prints nothing, ignores Ctrl-C (the parent
answers it) and ends when the parent's end of the pipe closes, a kill -9 of the parent included.
"""

from __future__ import annotations

import copy
import os
import pickle
import queue
import select
import signal
import struct
import sys
import threading
from typing import Any

ENABLED = False  # set by the entry point (reporttool/__main__): a library caller's process is not forked
WAIT_SECONDS = 120  # for an answer; a helper that takes longer is given up (the parent does the step)
_HEADER = struct.Struct("<Q")
_started: Helper | None = None  # started by the render command, claimed by api.render_file


class Helper:
    """The forked process, spoken to over two pipes (length-prefixed pickles both ways)."""

    def __init__(self, pid: int, requests: int, answers: Any) -> None:
        self.pid, self.requests, self.answers = pid, requests, answers

    @property
    def alive(self) -> bool:
        return self.answers is not None

    def send(self, message: tuple) -> bool:
        if not self.alive:
            return False
        try:
            payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(_HEADER.pack(len(payload)) + payload)
            while view:  # the helper reads in a thread of its own: this never waits on its imports
                view = view[os.write(self.requests, view):]
        except Exception:  # a dead helper (broken pipe), a model that does not pickle: do it here
            self.close()
            return False
        return True

    def receive(self) -> tuple | None:
        if not self.alive:
            return None
        try:
            ready, _, _ = select.select([self.answers], [], [], WAIT_SECONDS)
            if not ready:
                raise TimeoutError
            answer = _read_message(self.answers)
        except Exception:
            answer = None
        if not isinstance(answer, tuple) or answer[0] != "ok":
            self.close()
            return None
        return answer[1:]

    def compose(self, report: Any, template: str | None, indicators: bool, style: Any) -> bool:
        """Hand the model over (without the loaded text and positions: composing reads neither);
        `composed` gets the result."""
        model = copy.copy(report)
        model.loaded = None
        return self.send(("compose", model, template, indicators, style))

    def composed(self) -> tuple[list, bytes, list] | None:
        """(blocks, document, notes) of the handed-over model, or None (the caller composes)."""
        answer = self.receive()
        return None if answer is None else (answer[0], answer[1], answer[2])

    def write(self, style: Any, blocks: list, title: str, author: str, date: str | None) -> bytes | None:
        """The document's bytes, or None when the helper cannot give them (the caller writes)."""
        if not self.send(("write", style, blocks, title, author, date)):
            return None
        answer = self.receive()
        return answer[0] if answer is not None and isinstance(answer[0], bytes) else None

    def close(self) -> None:
        """Stop the helper now (it may be mid-import: nothing of it is needed any more)."""
        if self.answers is not None:
            for close in (lambda: os.close(self.requests), self.answers.close):
                try:
                    close()
                except OSError:
                    pass
            self.answers = None
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def early() -> None:
    """Start the helper at once: called by the entry point, before the CLI is even imported, when
    the command line is a render."""
    global ENABLED
    ENABLED = True
    start()


def start() -> None:
    """Fork the helper for `claim` to take (nothing where forking is not possible or not wanted);
    a helper already started (by `early`) is kept."""
    global _started
    if _started is None:
        _started = _fork()


def claim() -> Helper | None:
    """The started helper, now the caller's to close (None when there is none)."""
    global _started
    helper, _started = _started, None
    return helper


def discard() -> None:
    """Stop a helper nobody claimed (the command ended before it rendered)."""
    helper = claim()
    if helper is not None:
        helper.close()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the ones this process may run on (CI limits, taskset)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _fork() -> Helper | None:
    if not ENABLED or not hasattr(os, "fork") or sys.platform == "win32" or threading.active_count() > 1:
        return None
    if _cores() < 2:  # one core: the two halves would only take turns, plus the hand-over
        return None
    try:
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
    except OSError:
        return None
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is printed twice
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        pid = os.fork()
    except OSError:
        for fd in (request_read, request_write, answer_read, answer_write):
            os.close(fd)
        return None
    if pid == 0:  # the helper: never returns into the caller's code
        code = 1
        try:
            os.close(request_write)
            os.close(answer_read)
            _serve(request_read, os.fdopen(answer_write, "wb"))
            code = 0
        except BaseException:  # noqa: BLE001 - whatever happens here, the parent does the work
            pass
        finally:
            os._exit(code)
    os.close(request_read)
    os.close(answer_write)
    return Helper(pid, request_write, os.fdopen(answer_read, "rb"))


def _read_message(stream: Any) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError
    return pickle.loads(payload)


def _serve(requests: int, answers: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to answer
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler: no finally-blocks to run here
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # never read the terminal or print into the parent's output
        os.dup2(devnull, fd)
    inbox: queue.Queue = queue.Queue()

    def read() -> None:  # drains the pipe at once, so the parent's send never waits on the imports here
        stream = os.fdopen(requests, "rb")
        while True:
            try:
                inbox.put(_read_message(stream))
            except BaseException:  # noqa: BLE001 - EOF (the parent is done or gone) or garbage
                inbox.put(None)
                return

    threading.Thread(target=read, daemon=True).start()
    # the slow imports, done while the parent checks: python-docx, Jinja, the composing side
    import docx  # noqa: F401
    import jinja2.sandbox  # noqa: F401

    from reporttool.render import compose
    from reporttool.render.docx_writer import Writer

    def answer(message: tuple) -> tuple:
        if message[0] == "compose":
            _, report, template, indicators, style = message
            blocks = compose.compose(report, template, indicators, style=style)
            out = Writer(style)
            out.write(blocks)
            out.metadata(report.title.value, report.issuer.value if report.issuer else "", date=report.date)
            return ("ok", blocks, out.to_bytes(), compose.render_notes(report, indicators))
        _, style, blocks, title, author, date = message
        out = Writer(style)
        out.write(blocks)
        out.metadata(title, author, date=date)
        return ("ok", out.to_bytes())

    while (message := inbox.get()) is not None:
        try:
            reply = answer(message)
        except Exception as exc:  # noqa: BLE001 - the parent does this step itself and reports it
            reply = ("error", f"{type(exc).__name__}: {exc}")
        payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        answers.write(_HEADER.pack(len(payload)) + payload)
        answers.flush()
