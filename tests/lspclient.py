"""A minimal Language Server Protocol client over stdio, for the editor tests: the real
yaml-language-server and `reporttool lsp` are driven with it as an editor drives them."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path


class Client:
    """A minimal LSP client over stdio: requests, notifications, and the diagnostics pushed."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.responses: dict[int, dict] = {}
        self.diagnostics: dict[str, list] = {}
        self.published: list[dict] = []  # every publishDiagnostics, in order (with its version)
        self.notifications: list[dict] = []  # other notifications (window/showMessage, …)
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            message = json.loads(stream.read(int(headers["content-length"])))
            with self.lock:
                if "id" in message and "method" not in message:
                    self.responses[message["id"]] = message
                elif message.get("method") == "textDocument/publishDiagnostics":
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self.published.append(message["params"])
                elif "method" in message and "id" not in message:
                    self.notifications.append(message)
                elif "id" in message:  # a request from the server (configuration, …): answer it
                    result = [{"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
                              ] * len(message["params"].get("items", [])) if message["method"] == \
                        "workspace/configuration" else None
                    self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
                self.lock.notify_all()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict, timeout: float = 60) -> dict:
        self.next_id += 1
        number = self.next_id
        self._send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        with self.lock:
            assert self.lock.wait_for(lambda: number in self.responses, timeout), method
            return self.responses.pop(number)

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_of(self, uri: str, timeout: float = 60) -> list:
        with self.lock:
            assert self.lock.wait_for(lambda: uri in self.diagnostics, timeout), uri
            return self.diagnostics.pop(uri)

    def published_until(self, done, timeout: float = 60) -> list[dict]:
        """Every publishDiagnostics so far, once one satisfies `done`."""
        with self.lock:
            assert self.lock.wait_for(lambda: any(done(p) for p in self.published), timeout)
            return list(self.published)

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self.process.kill()


def open_draft(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    return uri


def utf16_index(line: str, character: int) -> int:
    """A client position (UTF-16 code units, the protocol's default) as an index into `line`."""
    units = 0
    for index, ch in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def apply_edits(text: str, edits: list[dict]) -> str:
    """The text after a client applies TextEdits (UTF-16 positions, all against the same text)."""
    lines = text.splitlines(keepends=True) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict) -> int:
        if position["line"] >= len(lines):
            return len(text)
        return starts[position["line"]] + utf16_index(lines[position["line"]], position["character"])

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                       reverse=True):
        text = text[:offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]):]
    return text
