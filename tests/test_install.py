"""A plain (non-editable) install finds its schema and templates from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import EXAMPLES, ROOT


def test_non_editable_install_runs_anywhere(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--target", str(target), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    package = target / "reporttool"
    assert (package / "schemas" / "work-report.schema.yaml").is_file()
    assert (package / "templates").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    schema = subprocess.run([sys.executable, "-m", "reporttool", "schema"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert schema.returncode == 0 and json.loads(schema.stdout)["title"] == "工作报告草稿"
    check = subprocess.run([sys.executable, "-c", "import reporttool, sys; print(reporttool.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert check.stdout.strip().startswith(str(target))
    drafts = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    result = subprocess.run([sys.executable, "-m", "reporttool", "validate", *drafts], cwd=elsewhere,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
