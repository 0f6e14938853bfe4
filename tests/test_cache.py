"""The result cache of `validate`: an unchanged draft is answered from it (bytes, configuration and
checker unchanged), anything changed is checked again, and a broken, shared or unwritable cache
never changes what is reported. Run as users run it: the command as a process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import EXAMPLES

INVALID = EXAMPLES / "invalid"


def validate(*args: str, cache: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reporttool", "validate", "-q", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "REPORTTOOL_CACHE_DIR": str(cache), **env})


def drafts(folder: Path, copies: int = 1) -> Path:
    for n in range(copies):
        target = folder / f"县{n}"
        target.mkdir(parents=True)
        for source in [*INVALID.glob("*.yaml"), EXAMPLES / "half-year.yaml", EXAMPLES / "annual-county.yaml"]:
            shutil.copy(source, target / source.name)
        text = (EXAMPLES / "half-year.yaml").read_text(encoding="utf-8")
        assert "\npreface:" not in text
        (target / "placeholder.yaml").write_text(
            text.replace("\nachievements:", "\npreface: |\n  全年招聘X名教师。\nachievements:", 1), encoding="utf-8")
    return folder


def entries(cache: Path) -> list[Path]:
    """The per-content entries (not the folder indexes, nor the segmenter's dictionary table)."""
    return sorted(p for p in cache.rglob("*") if p.is_file() and p.parent.name != "folders"
                  and not p.name.startswith("jieba-"))


def indexes(cache: Path) -> list[Path]:
    return sorted(cache.glob("v*/folders/*.json"))


def age(folder: Path, seconds: int = 60) -> None:
    """Make every draft last changed a minute ago: only such files are known by their stat."""
    for path in folder.rglob("*.yaml"):
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 10**9))


def plant(cache: Path, rule: str = "text/placeholder", message: str = "来自缓存") -> None:
    """Put a finding into every entry: seen in the output only if the entries are used."""
    for entry in entries(cache):
        found = json.loads(entry.read_text(encoding="utf-8"))
        found.append({"line": 1, "column": 1, "severity": "error", "rule": rule, "message": message, "hint": None,
                      "path": "", "source_line": None, "fatal_io": False, "node": [], "fields": []})
        entry.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")


def test_an_unchanged_draft_is_answered_from_the_cache_under_its_own_name(tmp_path):
    cache, folder = tmp_path / "cache", drafts(tmp_path / "草稿")
    first = validate(str(folder), cache=cache)
    count = len(list(folder.rglob("*.yaml")))
    assert len(entries(cache)) == count  # one entry per draft (the invalid ones too)
    plant(cache)
    again = validate(str(folder), cache=cache)
    assert again.returncode == first.returncode == 1
    assert again.stdout.count("来自缓存") == count
    assert f"{folder / '县0' / 'half-year.yaml'}:1:1: 错误 [text/placeholder] 来自缓存" in again.stdout
    # the same bytes under another name and place: answered, with that name
    moved = tmp_path / "别处" / "半年.yaml"
    moved.parent.mkdir()
    shutil.copy(folder / "县0" / "half-year.yaml", moved)
    assert f"{moved}:1:1: 错误 [text/placeholder] 来自缓存" in validate(str(moved), cache=cache).stdout
    # bypassed on request
    assert "来自缓存" not in validate("--no-cache", str(folder), cache=cache).stdout
    assert "来自缓存" not in validate(str(folder), cache=cache, REPORTTOOL_NO_CACHE="1").stdout
    assert validate("--no-cache", str(folder), cache=cache).stdout == first.stdout


def test_a_changed_draft_or_configuration_is_checked_again(tmp_path):
    cache, folder = tmp_path / "cache", drafts(tmp_path / "草稿")
    validate(str(folder), cache=cache)
    plant(cache)
    draft = folder / "县0" / "bad-date.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("2026-13-02", "2026-12-02"), encoding="utf-8")
    output = validate(str(folder), cache=cache).stdout
    assert f"{draft}:" not in output  # fixed: checked again, nothing left (no planted finding either)
    assert f"{folder / '县0' / 'typo-key.yaml'}:1:1: 错误 [text/placeholder] 来自缓存" in output
    # a project file now applies to every draft below it: all checked again, with it
    placeholder = f"{folder / '县0' / 'placeholder.yaml'}"
    assert "[text/placeholder] “X”是未填写的占位符" in output and placeholder in output
    (folder / "reporttool.toml").write_text('[rules]\n"text/placeholder" = "off"\n', encoding="utf-8")
    output = validate(str(folder), cache=cache).stdout
    assert "来自缓存" not in output and "占位符" not in output and "错误 [schema/" in output
    plant(cache, message="第二次")
    (folder / "reporttool.toml").write_text('[rules]\n"text/placeholder" = "error"\n', encoding="utf-8")
    output = validate(str(folder), cache=cache).stdout
    assert "第二次" not in output and "“X”是未填写的占位符" in output


def test_a_broken_or_unwritable_cache_changes_nothing(tmp_path):
    folder = drafts(tmp_path / "草稿")
    expected = validate("--no-cache", str(folder), cache=tmp_path / "unused")
    cache = tmp_path / "cache"
    validate(str(folder), cache=cache)
    for n, entry in enumerate(entries(cache)):  # half-written, foreign, empty
        entry.write_bytes([b'[{"line": 1, "col', b'{"a": 1}', b"", b"\xff\xfe"][n % 4])
    broken = validate(str(folder), cache=cache)
    assert (broken.returncode, broken.stdout, broken.stderr) == (expected.returncode, expected.stdout, "")
    blocked = tmp_path / "a-file"
    blocked.write_text("不是目录", encoding="utf-8")
    unwritable = validate(str(folder), cache=blocked / "cache")
    assert (unwritable.returncode, unwritable.stdout, unwritable.stderr) == (expected.returncode, expected.stdout, "")


def test_two_runs_at_once_share_one_cache_safely(tmp_path):
    folder = drafts(tmp_path / "草稿", copies=4)
    cache = tmp_path / "cache"
    expected = validate("--no-cache", str(folder), cache=tmp_path / "unused")
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: validate("-j", "2", str(folder), cache=cache), range(2)))
    assert [(r.returncode, r.stdout) for r in runs] == [(expected.returncode, expected.stdout)] * 2
    assert all(json.loads(entry.read_text(encoding="utf-8")) is not None for entry in entries(cache))
    assert not [p for p in cache.rglob("*.tmp")]
    assert validate(str(folder), cache=cache).stdout == expected.stdout


def test_the_api_uses_no_cache_unless_asked(tmp_path, own_cache):
    import reporttool

    folder = drafts(tmp_path / "草稿")
    plain = reporttool.check_files([folder], jobs=1)
    assert entries(own_cache) == []
    cached = reporttool.check_files([folder], jobs=1, cache=True)
    assert entries(own_cache) and [r.problems for r in cached.results] == [r.problems for r in plain.results]


def plant_index(cache: Path, message: str = "来自索引") -> None:
    """Put a finding into every file entry of every folder index: seen only if the index answers."""
    for index in indexes(cache):
        stored = json.loads(index.read_text(encoding="utf-8"))
        for entry in stored["files"].values():
            entry[2].append({"line": 1, "column": 1, "severity": "error", "rule": "text/placeholder",
                             "message": message, "hint": None, "path": "", "source_line": None, "fatal_io": False,
                             "node": [], "fields": []})
        index.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")


def test_a_rerun_in_the_same_checkout_answers_from_the_folder_index(tmp_path):
    cache, folder = tmp_path / "cache", drafts(tmp_path / "草稿", copies=2)
    age(folder)
    count = len(list(folder.rglob("*.yaml")))
    first = validate(str(folder), cache=cache)
    assert len(indexes(cache)) == 2  # one per folder of drafts
    assert sum(len(json.loads(i.read_text(encoding="utf-8"))["files"]) for i in indexes(cache)) == count
    plant_index(cache)
    for entry in entries(cache):  # the per-draft entries are not what answers
        entry.unlink()
    again = validate(str(folder), cache=cache)
    assert again.stdout.count("来自索引") == count
    assert set(again.stdout.splitlines()) >= set(first.stdout.splitlines())  # the real findings are there too
    # the project file changes: no answer from the index for that folder
    (folder / "县1" / "reporttool.toml").write_text('[rules]\n"text/placeholder" = "off"\n', encoding="utf-8")
    third = validate(str(folder), cache=cache)
    assert third.stdout.count("来自索引") == count // 2
    assert str(folder / "县1") not in "".join(line for line in third.stdout.splitlines() if "来自索引" in line)


def test_a_draft_changed_in_place_with_its_mtime_restored_is_checked_again(tmp_path):
    cache, folder = tmp_path / "cache", drafts(tmp_path / "草稿")
    age(folder)
    draft = folder / "县0" / "half-year.yaml"
    text = draft.read_text(encoding="utf-8")
    validate(str(folder), cache=cache)
    plant_index(cache)
    before = draft.stat()
    # the same size, the old mtime: only ctime tells the edit (as `touch -d` or a tar extraction would hide it)
    assert "\nachievements:" in text
    draft.write_text(text.replace("\nachievements:", "\nachievements;", 1), encoding="utf-8")
    os.utime(draft, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert draft.stat().st_size == before.st_size and draft.stat().st_mtime_ns == before.st_mtime_ns
    again = validate(str(folder), cache=cache)
    flagged = [line for line in again.stdout.splitlines() if "来自索引" in line]
    assert str(draft) not in "".join(flagged) and len(flagged) == len(list(folder.rglob("*.yaml"))) - 1
    assert f"{draft}:" in again.stdout  # the edit's damage is found


def test_a_draft_changed_moments_ago_is_not_known_by_its_stat_and_gone_drafts_are_forgotten(tmp_path):
    cache, folder = tmp_path / "cache", drafts(tmp_path / "草稿")
    validate(str(folder), cache=cache)  # the drafts were written just now: their stat may still change unseen
    assert all(not json.loads(i.read_text(encoding="utf-8"))["files"] for i in indexes(cache))
    age(folder)
    validate(str(folder), cache=cache)
    (index,) = indexes(cache)
    names = set(json.loads(index.read_text(encoding="utf-8"))["files"])
    assert names == {p.name for p in (folder / "县0").glob("*.yaml")}
    (folder / "县0" / "half-year.yaml").unlink()
    (folder / "县0" / "new.yaml").write_bytes((EXAMPLES / "half-year.yaml").read_bytes())
    age(folder)
    validate(str(folder), cache=cache)
    assert set(json.loads(index.read_text(encoding="utf-8"))["files"]) == names - {"half-year.yaml"} | {"new.yaml"}
