from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reporttool.check.draft import check_bytes
from reporttool.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

VALID_META = """schema_version: 1
meta:
  title: 示例县教育局2026年工作总结
  issuer: 示例县教育局
  year: 2026
  kind: special
  date: 2026-12-02
"""
VALID_DRAFT = VALID_META + """achievements:
  sections:
    - heading: 教育质量稳步提升
      text: |
        全县中考平均分比上年明显提高。
"""


def process_state(pid: int | str) -> str:
    """A Linux process's state from /proc (R running, S sleeping, Z zombie), "?" when it is gone."""
    try:  # the field after the command's ")": the command itself may hold spaces and parentheses
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "?"


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory, monkeypatch):
    """Each test its own result cache (validate uses one by default): never the user's, never shared."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("REPORTTOOL_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPORTTOOL_NO_CACHE", raising=False)
    return folder


def problems_of(text: str | bytes, name: str = "d.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return check_bytes(data, name)


def only(problems, rule: str):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} in {[(p.rule, p.message) for p in problems]}"
    return found


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def invoke(runner):
    def run(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)
    return run
