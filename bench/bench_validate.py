"""Time `validate` in-process on a typical draft, beside the parse it is measured against.

    python bench/bench_validate.py [--runs 30]

Beside it, run interleaved:
- the bare C-parser parse of the same bytes: PyYAML's CSafeLoader (libyaml parses and composes,
  the data is built): what loading the draft with a C parser costs before any checking; issue 14's
  target is the whole check (positions, schema, model, every rule) within 2x of it;
- the event floor: libyaml's events for the same text, nothing built;
- a naive baseline: ruamel.yaml round-trip load + a reused jsonschema validator.
Then the scaling: drafts of 1, 2, 4 and 10 times the typical size, checked whole, in ms per 100 KB
(linear: the same figure for every size). Figures are medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_draft import make_draft  # noqa: E402
from reporttool.check import rules, schema  # noqa: E402
from reporttool.check.draft import check_bytes  # noqa: E402
from reporttool.load.files import load_bytes  # noqa: E402
from reporttool.model import report as model  # noqa: E402


def medians_ms(fns: dict, runs: int) -> dict:
    """Run the candidates interleaved, so machine noise hits all of them alike."""
    for fn in fns.values():
        fn()  # warm caches (schema, validators)
    times = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    text = make_draft()
    data = text.encode("utf-8")
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    metrics = text.count("{name:")
    problems = check_bytes(data, "bench.yaml")
    assert not [p for p in problems if p.severity.value == "error"], problems[:3]

    from ruamel.yaml import YAML

    validator = schema.validator()

    def baseline():
        validator.is_valid(YAML().load(text))

    from ruamel.yaml.cyaml import CParser

    def floor():
        parser = CParser(text)
        while parser.check_event():
            parser.get_event()

    loaded = load_bytes(data, "bench.yaml")
    candidates = {"full": lambda: check_bytes(data, "bench.yaml"),
                  "load": lambda: load_bytes(data, "bench.yaml"),
                  "schema": lambda: schema.check(loaded),
                  "rules": lambda: rules.run(model.build(loaded)),
                  "floor": floor, "baseline": baseline}
    try:
        import yaml  # type: ignore[import-untyped]  # PyYAML: the reference parse, where installed (pre-commit brings it)

        candidates["c-parse"] = lambda: yaml.load(text, Loader=yaml.CSafeLoader)
    except (ImportError, AttributeError):
        pass
    m = medians_ms(candidates, args.runs)
    full, load, base = m["full"], m["load"], m["baseline"]
    print(f"draft: {len(text)} characters ({chinese} Chinese), {metrics} metrics")
    print(f"reporttool validate (in-process): median {full:.1f} ms")
    print(f"  stages, medians measured alone:  load {load:.1f} ms, schema {m['schema']:.1f} ms, "
          f"model + rules {m['rules']:.1f} ms")
    print(f"baseline rt-load + jsonschema:    median {base:.1f} ms")
    print(f"ratio baseline / reporttool:      {base / full:.1f}x")
    print(f"event floor (libyaml events):     median {m['floor']:.1f} ms  (reporttool {full / m['floor']:.2f}x)")
    if "c-parse" in m:
        print(f"C-parser parse (PyYAML CSafeLoader): median {m['c-parse']:.1f} ms")
        print(f"ratio reporttool / C-parser parse: {full / m['c-parse']:.2f}x (issue 14 target: within 2x)")
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("scaling (whole check, in-process):")
    base = None
    for times in (1, 2, 4, 10):
        big = make_draft(sections=10 * times).encode("utf-8")
        ms = medians_ms({"check": lambda big=big: check_bytes(big, "bench.yaml")}, max(3, args.runs // times))["check"]
        per = ms / (len(big) / 100_000)
        base = base or per
        print(f"  {len(big) / 1e6:5.2f} MB: {ms:7.1f} ms, {per:5.1f} ms per 100 KB ({per / base:.2f}x the typical)")


if __name__ == "__main__":
    main()
