"""The VS Code extension in editors/vscode: packaged as a .vsix by the real @vscode/vsce (npm), and its
code run under node, where it must start the installed `reporttool lsp` the way VS Code's language
client does and get the draft's problems back (VS Code itself cannot run here)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from reporttool.version import __version__

EXTENSION = ROOT / "editors" / "vscode"
VSCE = ROOT / ".ci" / "npm" / "node_modules" / ".bin" / "vsce"
COMMAND = Path(sys.executable).parent / "reporttool"


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    if found is None or not VSCE.exists() or not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs node, @vscode/vsce and the extension's packages: .ci/run installs them")
        pytest.skip("node, @vscode/vsce or editors/vscode/node_modules missing (.ci/run installs them with npm)")
    return found


def test_the_extension_packages_as_a_vsix(node, tmp_path):
    target = tmp_path / "reporttool.vsix"
    done = subprocess.run([str(VSCE), "package", "--allow-missing-repository", "-o", str(target)], cwd=EXTENSION,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(target) as vsix:
        names = set(vsix.namelist())
        manifest = json.loads(vsix.read("extension/package.json"))
        described = vsix.read("extension.vsixmanifest").decode("utf-8")
    assert {"extension/extension.js", "extension/readme.md", "extension/LICENSE.txt",
            "extension/node_modules/vscode-languageclient/lib/node/main.js"} <= names
    assert not [n for n in names if n.endswith(".vsix")]
    assert manifest["main"] == "./extension.js" and manifest["activationEvents"] == ["onLanguage:yaml"]
    assert manifest["version"] == __version__  # the extension is released with the tool it starts
    assert manifest["contributes"]["configuration"]["properties"]["reporttool.path"]["default"] == "reporttool"
    assert 'Id="reporttool"' in described and "工作总结" in described


def test_the_extension_starts_reporttool_lsp_and_gets_the_drafts_problems(node, tmp_path, invoke):
    draft = tmp_path / "草稿.yaml"
    text = (EXAMPLES / "half-year.yaml").read_text(encoding="utf-8")
    draft.write_text(text.replace("schema_version: 1\n", "schema_version: 1\n# 待补：X\n", 1)
                     .replace("\n  year:", "\n  yaer:", 1), encoding="utf-8")
    done = subprocess.run([node, str(ROOT / "tests" / "vscode_extension.js"), str(EXTENSION), str(COMMAND), str(draft)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    first, restarted, reconfigured = seen["clients"]
    assert first["server"] == {"command": str(COMMAND), "args": ["lsp"], "transport": 0}
    assert {"scheme": "file", "language": "yaml"} in first["documentSelector"]
    assert first["stopped"] and restarted["stopped"] and not reconfigured["stopped"]
    assert seen["commands"] == ["reporttool.restart"]
    assert len(seen["errors"]) == 1 and "无法启动 reporttool" in seen["errors"][0] and "reporttool.path" in seen["errors"][0]
    assert seen["args"] == ["lsp", "--stdio"] and seen["serverName"] == "reporttool" and seen["exitCode"] == 0
    expected = json.loads(invoke("validate", "--format", "json", str(draft)).output)["problems"]
    assert expected
    assert sorted((d["code"], d["range"]["start"]["line"] + 1) for d in seen["published"]["diagnostics"]) == \
        sorted((p["rule"], p["line"]) for p in expected)
