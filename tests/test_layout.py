"""The package is laid out by step of the data flow, and no step reaches forward in it."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "reporttool"
STEPS = ["load", "model", "check", "render", "author", "importer"]  # DESIGN.md §2, in flow order
BASE = {"problems", "messages", "atomic", "resources", "kinds", "version", "usercache"}  # cross-cutting: import no step
ENTRIES = {"__init__", "__main__", "api", "cli", "lsp"}  # the public API, the command and the editor server use every step


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "reporttool":
                yield from (f"reporttool.{alias.name}" for alias in node.names)
            elif node.module.startswith("reporttool."):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("reporttool."))


def _place(module: str) -> str:
    return module.split(".")[1]


def test_every_module_sits_in_a_step_or_is_named_cross_cutting():
    for path in PACKAGE.rglob("*.py"):
        top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert top in STEPS or top in BASE or top in ENTRIES, f"{path}: not in a step folder"


def test_no_module_imports_from_a_later_step():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        place = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if place in ENTRIES:
            continue
        for module in _imports(path):
            target = _place(module)
            if target == "__version__":
                continue
            if place in BASE:
                ok = target in BASE
            else:
                ok = target in BASE or (target in STEPS and STEPS.index(target) <= STEPS.index(place))
            if not ok:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)
