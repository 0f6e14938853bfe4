"""A longer fuzz run, on demand (not in the test run): mutated drafts through validate, fmt and render.

    python bench/fuzz.py [--minutes 10] [--seed 1] [--out fuzz-findings]

Seeds are the bundled examples and the test fixtures. Each round takes one seed and makes a mutant:
hostile tokens inserted, spans deleted, lines doubled or swapped, line endings changed (LF, CRLF,
CR), re-encoded (UTF-8, with BOM, GB18030, UTF-16). Then, in turn:

- validate: check_bytes never raises and never reports internal/error; every problem has a place;
- fmt: a formatted text formats to itself (idempotent), keeps every comment, and loads to the same
  data except the documented normalisations (fix_prose on strings, trailing spaces);
- render: a mutant of a draft's prose that still checks without errors renders (render_bytes
  raises nothing but RenderError).

Findings are written to --out (the input and what went wrong); the summary gives inputs run per
phase, minutes and findings. Exit 1 when there are findings.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKENS = ["\t", "\n", "- ", ": ", "? ", "!", "!!", "&a ", "*a", "[", "]", "{", "}", ",", "#", "# 注释", "|", ">",
          '"', "'", "\\", "%YAML 1.1\n", "---\n", "...\n", "<<: ", "\ufeff", "\x00", "\x85", "\u2028", "\r",
          "\r\n", "　", "\u200b", "2026-13-45", "!!int x", "1e400", ".nan", "~", "中", "：", "&重点 ", "*重点", "@",
          "`", "1,200", "13。7", "１２", "（", "）", "【", "】", "{{", "}}", "9" * 400, "X", "20__", "____"]
# what a heading or title may hold and still check: no placeholders, references or control characters
PROSE = ["教育", "工作", "成效", "（县）", "。", "、", "“双减”", "《方案》", "\u202e", "\u200b", "😀", "𠀀", "A", "1", "%",
         "—", "…", "·", "&", "<w:t>", "]]>", "{%", "%}", "\\", "'", '"', " ", "　", "ﬁ", "\u0301"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]
NEWLINES = ["\n", "\r\n", "\r"]


def seeds() -> list[str]:
    paths = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "invalid").glob("*.yaml")) + \
        sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
    out = []
    for path in paths:
        try:
            out.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
    return out


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        at = rng.randrange(len(text) + 1)
        if kind < 0.45:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif kind < 0.6 and text:
            text = text[:at] + text[at + rng.randint(1, 40):]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if kind < 0.8:
                lines.insert(i, lines[j])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text.replace("\n", rng.choice(NEWLINES)) if rng.random() < 0.3 else text


def encoded(text: str, rng: random.Random) -> bytes:
    encoding = rng.choice(ENCODINGS) if rng.random() < 0.3 else "utf-8"
    return text.encode(encoding, errors="replace")


def comments(text: str) -> list[str]:
    """The comment texts of a YAML text, as fmt must keep them (their words, not their spacing)."""
    from reporttool.load.parse import load_text

    loaded = load_text(text, "c")
    if loaded.data is None:
        return []
    found = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("#") and len(stripped) > 1:
            found.append(stripped[1:].strip())
    return [c for c in found if c]


def same_data(before, after, fix) -> bool:
    """`after` is `before` with fmt's documented changes: strings through fix_prose (and the trailing
    spaces of their lines), everything else equal, the same keys in the same order."""
    if isinstance(before, dict):
        return isinstance(after, dict) and list(before) == list(after) and all(
            same_data(before[k], after[k], fix) for k in before)
    if isinstance(before, list):
        return isinstance(after, list) and len(before) == len(after) and all(
            same_data(b, a, fix) for b, a in zip(before, after))
    if isinstance(before, str):
        def norm(value: str) -> str:
            return "\n".join(line.rstrip() for line in fix(value).split("\n")).rstrip("\n")
        return isinstance(after, str) and norm(before) == norm(after)
    return before == after


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="fuzz-findings")
    args = parser.parse_args()
    from reporttool.author.fmt import fix_prose, format_text
    from reporttool.check.draft import check_bytes
    from reporttool.load.files import load_bytes
    from reporttool.problems import Severity
    from reporttool.render.document import RenderError, render_bytes

    rng = random.Random(args.seed)
    corpus = seeds()
    clean = [seed for seed in corpus  # the seeds that check without errors: their prose mutants render
             if not any(p.severity is Severity.ERROR for p in check_bytes(seed.encode(), "s.yaml"))]
    out = Path(args.out)
    counts = {"validate": 0, "fmt": 0, "fmt formatted": 0, "render": 0, "render rendered": 0}
    findings: list[tuple[str, str]] = []

    def found(phase: str, data: bytes, what: str) -> None:
        out.mkdir(parents=True, exist_ok=True)
        name = f"{phase}-{len(findings):04d}"
        (out / f"{name}.yaml").write_bytes(data)
        (out / f"{name}.txt").write_text(what, encoding="utf-8")
        findings.append((phase, what.splitlines()[0] if what else ""))

    start = time.monotonic()
    deadline = start + args.minutes * 60
    while time.monotonic() < deadline:
        seed = rng.choice(corpus)
        text = mutate(seed, rng)
        data = encoded(text, rng)
        counts["validate"] += 1
        try:
            problems = check_bytes(data, "f.yaml")
            bad = [p for p in problems if p.rule == "internal/error" or p.line < 0 or p.column < 0 or not p.message]
            if bad:
                found("validate", data, f"{bad[0].rule}: {bad[0].message}")
        except Exception:  # noqa: BLE001 - a finding, never a stop
            found("validate", data, traceback.format_exc())
        counts["fmt"] += 1
        try:
            once = format_text(text)
            if not once.refused and once.text != text:
                counts["fmt formatted"] += 1
                again = format_text(once.text)
                if again.text != once.text:
                    found("fmt", text.encode(), "not idempotent")
                # a "#" line inside a block scalar is prose: fmt's fixes apply to it
                lost = [c for c in comments(text) if c not in once.text and fix_prose(c) not in once.text]
                if lost:
                    found("fmt", text.encode(), f"comment lost: {lost[0]}")
                before = load_bytes(text.encode(), "f").data
                after = load_bytes(once.text.encode(), "f").data
                if before is not None and not same_data(before, after, fix_prose):
                    found("fmt", text.encode(), "data changed beyond the documented normalisations")
        except Exception:  # noqa: BLE001
            found("fmt", text.encode(), traceback.format_exc())
        if rng.random() < 0.15:  # rendering is ~50x slower than a check: a share of the rounds
            prose = _prose_mutant(rng.choice(clean), rng)
            if prose is None:
                continue
            counts["render"] += 1
            problems = check_bytes(prose, "r.yaml")
            if any(p.severity is Severity.ERROR for p in problems):
                continue
            counts["render rendered"] += 1
            try:
                render_bytes(prose, "r.yaml", place_record=False)
            except RenderError as exc:
                found("render", prose, f"RenderError on a draft with no errors: {exc}")
            except Exception:  # noqa: BLE001
                found("render", prose, traceback.format_exc())
    minutes = (time.monotonic() - start) / 60
    print(f"{minutes:.1f} minutes, seed {args.seed}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"findings: {len(findings)}" + (f" (in {out}/)" if findings else ""))
    for phase, what in findings[:20]:
        print(f"  {phase}: {what}")
    sys.exit(1 if findings else 0)


def _prose_mutant(seed: str, rng: random.Random) -> bytes | None:
    """The seed with one of its text values replaced by hostile prose, still valid YAML (quoted)."""
    import json

    lines = seed.split("\n")
    candidates = [i for i, line in enumerate(lines) if line.strip().startswith(("heading:", "- heading:", "title:"))]
    if not candidates:
        return None
    i = rng.choice(candidates)
    key, _, _ = lines[i].partition(":")
    junk = "".join(rng.choice(PROSE) for _ in range(rng.randint(1, 120)))
    lines[i] = f"{key}: {json.dumps(junk.replace(chr(0), ''), ensure_ascii=False)}"
    return "\n".join(lines).encode("utf-8")


if __name__ == "__main__":
    main()
