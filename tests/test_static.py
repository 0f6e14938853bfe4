"""Static checks are part of the test command: ruff's explicit rule set and mypy on the package."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    if found is None:
        found = str(__import__("pathlib").Path(sys.executable).with_name(name))
    return found


@pytest.mark.parametrize("command", [
    ["ruff", "check", "reporttool", "tests", "bench"],
    ["mypy"],  # files and strictness from [tool.mypy] in pyproject.toml
])
def test_static_check_is_clean(command):
    result = subprocess.run([_tool(command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
