"""A plain (non-editable) install finds its schema and templates from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import EXAMPLES, ROOT


def test_non_editable_install_runs_anywhere(tmp_path):
    import shutil

    # Build from a copy of the sources only: a stale build/ or *.egg-info left by a development
    # install would lend the wheel files that the package configuration forgot.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", ".venv", ".git", "__pycache__", ".pytest_cache", ".hypothesis"))
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    package = target / "reporttool"
    assert (package / "schemas" / "work-report.schema.yaml").is_file()
    assert (package / "templates").is_dir()
    # Every package of the source tree is in the install.
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "reporttool").rglob("__init__.py")}
    assert all((target / name / "__init__.py").is_file() for name in packages), packages
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # -S: no site hooks, so a development (editable) install cannot lend missing modules; the
    # dependencies come from site-packages on the path, reporttool only from the install.
    import sysconfig

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"],
                                                         sysconfig.get_paths()["platlib"]])}
    schema = subprocess.run([sys.executable, "-S", "-m", "reporttool", "schema"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert schema.returncode == 0 and json.loads(schema.stdout)["title"] == "工作报告草稿"
    check = subprocess.run([sys.executable, "-S", "-c", "import reporttool, sys; print(reporttool.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert check.stdout.strip().startswith(str(target))
    drafts = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    result = subprocess.run([sys.executable, "-S", "-m", "reporttool", "validate", *drafts], cwd=elsewhere,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    out = elsewhere / "r.docx"
    render = subprocess.run([sys.executable, "-S", "-m", "reporttool", "render", drafts[0], "-o", str(out)],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert render.returncode == 0 and out.is_file(), render.stdout + render.stderr
