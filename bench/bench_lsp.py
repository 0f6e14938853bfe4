"""Editor latency: from a change sent to `reporttool lsp` to its diagnostics received, on a typical draft.

    python bench/bench_lsp.py [--runs 40]

Each round types one character into a paragraph (and the next round removes it), waits for the
diagnostics of that version, and measures the wall time. Beside it, interleaved, the same text is
checked in this process (check_bytes): the work the server cannot avoid. Figures are medians; the
ratio is what the protocol, the document sync and the conversion add.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.make_draft import make_draft  # noqa: E402
from lspclient import Client  # noqa: E402
from reporttool.check.draft import check_bytes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    text = make_draft()
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if "取得明显成效。" in line)
    column = lines[row].index("取得明显成效。")
    command = Path(sys.executable).parent / "reporttool"
    client = Client([str(command), "lsp", "--stdio"])
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    uri = (ROOT / "bench" / "典型草稿.yaml").as_uri()  # never written: the editor's buffer only
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    client.diagnostics_of(uri)
    served, direct = [], []
    current = text
    for version in range(2, args.runs + 2):
        at = {"line": row, "character": column}
        if version % 2 == 0:
            change = {"range": {"start": at, "end": at}, "text": "新"}
            current = current.replace("取得明显成效。", "新取得明显成效。", 1)
        else:
            change = {"range": {"start": at, "end": {"line": row, "character": column + 1}}, "text": ""}
            current = text
        start = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [change]})
        client.published_until(lambda p, v=version: p["uri"] == uri and p["version"] == v)
        served.append(time.perf_counter() - start)
        start = time.perf_counter()
        check_bytes(current.encode("utf-8"), "典型草稿.yaml")
        direct.append(time.perf_counter() - start)
    client.close()
    lsp_ms, check_ms = statistics.median(served) * 1000, statistics.median(direct) * 1000
    print(f"typical draft ({len(text.encode('utf-8')) // 1024} KB), {args.runs} changes, medians:")
    print(f"  change → diagnostics (reporttool lsp):  {lsp_ms:7.1f} ms   (max {max(served) * 1000:.1f} ms)")
    print(f"  check_bytes in-process (reference):    {check_ms:7.1f} ms")
    print(f"  ratio: {lsp_ms / check_ms:.2f}×")


if __name__ == "__main__":
    main()
