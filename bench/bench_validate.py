"""Time `validate` in-process on a typical draft, beside the naive baseline.

    python bench/bench_validate.py [--runs 30]

Beside it, run interleaved: the parse floor (libyaml's events for the same text, nothing built:
the least any YAML checker with positions must spend), and a naive baseline (ruamel.yaml
round-trip load + a reused jsonschema validator). Figures are medians.
"""

from __future__ import annotations

import argparse
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
    m = medians_ms({"full": lambda: check_bytes(data, "bench.yaml"),
                    "load": lambda: load_bytes(data, "bench.yaml"),
                    "schema": lambda: schema.check(loaded),
                    "rules": lambda: rules.run(model.build(loaded)),
                    "floor": floor, "baseline": baseline}, args.runs)
    full, load, base = m["full"], m["load"], m["baseline"]
    print(f"draft: {len(text)} characters ({chinese} Chinese), {metrics} metrics")
    print(f"reporttool validate (in-process): median {full:.1f} ms")
    print(f"  stages, medians measured alone:  load {load:.1f} ms, schema {m['schema']:.1f} ms, "
          f"model + rules {m['rules']:.1f} ms")
    print(f"baseline rt-load + jsonschema:    median {base:.1f} ms")
    print(f"ratio baseline / reporttool:      {base / full:.1f}x")
    print(f"parse floor (libyaml events):     median {m['floor']:.1f} ms")
    print(f"ratio reporttool / parse floor:   {full / m['floor']:.2f}x (issue 14 target: within 2x)")


if __name__ == "__main__":
    main()
