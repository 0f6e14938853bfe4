"""The loader: every odd input ends as a located Chinese problem, never a traceback or a hang."""

from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal

from conftest import VALID_DRAFT, only, problems_of
from reporttool.load.files import load_bytes
from reporttool.load.parse import load_text


def rules(problems):
    """Rule ids of the loader's problems (schema errors of the toy drafts left out)."""
    return [p.rule for p in problems if not p.rule.startswith("schema/")]


# --- encodings -----------------------------------------------------------------------------


def test_utf8_with_bom_is_accepted_silently_and_positions_unchanged():
    problems = problems_of(b"\xef\xbb\xbf" + VALID_DRAFT.encode())
    assert problems == []
    bad = problems_of(b"\xef\xbb\xbf" + VALID_DRAFT.replace("year: 2026", "year: 二〇二六").encode())
    assert (bad[0].line, bad[0].column) == (5, 9)


def test_gb18030_is_decoded_with_a_warning_naming_the_encoding():
    problems = problems_of(VALID_DRAFT.replace("示例县", "𠮷县").encode("gb18030"))
    assert [(p.rule, p.severity.value) for p in problems] == [("encoding/legacy", "warning")]
    assert "GB18030" in problems[0].message
    loaded = load_bytes(VALID_DRAFT.replace("示例县", "𠮷县").encode("gb18030"), "d.yaml")
    assert loaded.data["meta"]["issuer"] == "𠮷县教育局"


def test_utf16_with_bom_is_decoded_with_a_warning():
    for encoding in ("utf-16", "utf-16-be"):
        data = VALID_DRAFT.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        problems = problems_of(data)
        assert rules(problems) == ["encoding/legacy"]
        assert "UTF-16" in problems[0].message


def test_utf16_without_bom_is_an_error_not_mojibake():
    problems = problems_of(VALID_DRAFT.encode("utf-16-le"))
    assert rules(problems) == ["encoding/binary"]
    assert "UTF-16" in problems[0].message


def test_undecodable_byte_is_reported_at_its_line_and_column():
    data = VALID_DRAFT.encode().replace("示例县教育局\n".encode(), "示例".encode() + b"ab\xffcd\n", 1)
    problems = problems_of(data)
    p = only(problems, "encoding/invalid")[0]
    assert (p.line, p.column) == (4, 15)
    assert "0xFF" in p.message


def test_gbk_line_pasted_into_utf8_file_is_mixed_encoding_error():
    data = VALID_DRAFT.encode() + "closing: 混合编码的结尾\n".encode("gbk")
    p = only(problems_of(data), "encoding/mixed")[0]
    assert p.line == 13 and "GBK 的行：13" in p.message


def test_binary_files_are_named():
    assert "PNG" in only(problems_of(b"\x89PNG\r\n\x1a\n\x00\x00"), "encoding/binary")[0].message
    assert "Word" in only(problems_of(b"PK\x03\x04rest"), "encoding/binary")[0].message


# --- YAML structure --------------------------------------------------------------------------


def test_duplicate_key_names_both_lines():
    text = VALID_DRAFT.replace("  year: 2026\n", "  title: 乙\n  year: 2026\n")
    p = only(problems_of(text), "yaml/duplicate-key")[0]
    assert (p.line, p.column) == (5, 3)
    assert "“title”" in p.message and "第3行第3列" in p.message


def test_tab_indentation_points_at_the_tab_and_shows_the_line():
    p = only(problems_of("meta:\n\ttitle: 甲\n"), "yaml/tab")[0]
    assert (p.line, p.column) == (2, 1)
    assert p.source_line == "\ttitle: 甲"
    assert "制表符" in p.message


def test_tab_as_separator_gets_the_same_verdict_as_indentation():
    for text in ("a:\t1\n", "a: 1\t# c\n"):
        assert rules(problems_of(text)) == ["yaml/tab"], text


def test_tab_inside_block_scalar_and_comment_is_allowed():
    text = VALID_DRAFT.replace("全县中考", "全县\t中考") + "# 备注\t说明\n"
    assert problems_of(text) == []


def test_bad_indentation_is_a_chinese_syntax_error_with_caret_line():
    p = only(problems_of("meta:\n  title: 甲\n issuer: 乙\n"), "yaml/syntax")[0]
    assert p.line == 3 and p.source_line == " issuer: 乙"
    assert p.message.startswith("YAML 语法错误：")
    assert p.message.isascii() is False


def test_fullwidth_colon_is_reported_on_its_own_line():
    p = only(problems_of("meta:\n  title：某县\n  issuer: 乙\n"), "yaml/syntax")[0]
    assert (p.line, p.column) == (2, 8)
    assert "全角冒号" in p.message


def test_empty_and_comment_only_files():
    for text in ("", "\n\n", "   \n", "# 只有注释\n", "---\n"):
        assert rules(problems_of(text)) == ["yaml/empty"], repr(text)


def test_several_documents_in_one_file():
    p = only(problems_of("a: 1\n---\nb: 2\n"), "yaml/multi-doc")[0]
    assert p.line == 2


def test_top_level_must_be_a_mapping():
    for text, word in (("- 1\n", "列表"), ("只是一句话\n", "一段文字"), ("42\n", "一段文字")):
        p = only(problems_of(text), "yaml/root")[0]
        assert word in p.message


def test_alias_bomb_is_rejected_fast():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("top: *a8")
    start = time.perf_counter()
    problems = problems_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    anchor = only(problems, "yaml/anchor")[0]
    assert (anchor.line, anchor.column) == (1, 5)
    assert only(problems, "yaml/alias")


def test_anchor_and_self_alias_are_rejected_never_silently_null():
    for text in ("a: &x 1\n", "b: &t true\n", "a: &a [1, *a]\n", "a: &a {k: 1, self: *a}\n", "&r\nx: 1\nme: *r\n"):
        assert "yaml/anchor" in rules(problems_of(text)), text


def test_merge_key_alias_is_rejected():
    assert "yaml/alias" in rules(problems_of("a: &x {k: 1}\nb:\n  <<: *x\n"))


def test_explicit_tags_are_rejected_without_crash():
    for tag in ("!!int abc", "!!bool maybe", "!!omap x", "!!set x", "!!binary \"%%%\"",
                "!!python/object/apply:os.system [\"echo x\"]", "!custom 1"):
        p = only(problems_of(f"a: {tag}\n"), "yaml/tag")[0]
        assert (p.line, p.column) == (1, 4)


def test_directives_other_than_yaml_12_are_errors():
    assert rules(problems_of("%YAML 1.1\n---\na: yes\n")) == ["yaml/directive"]
    assert rules(problems_of("%YAML 1.3\n---\na: 1\n")) == ["yaml/directive"]
    assert "yaml/directive" in rules(problems_of("%TAG ! tag:x,2000:\n---\na: !x 1\n"))


def test_control_and_line_break_characters_are_located():
    p = only(problems_of("a: 正文\x07x\n"), "yaml/control-char")[0]
    assert (p.line, p.column) == (1, 6) and "U+0007" in p.message
    p = only(problems_of("a: 1\n# 注释\u2028y\n"), "yaml/line-break-char")[0]
    assert (p.line, p.column) == (2, 5)


def test_keys_must_be_text():
    for text, kind in (("2026: x\n", "数字"), ("true: x\n", "布尔"), ("null: x\n", "空值"), ("[1, 2]: x\n", "复合")):
        p = only(problems_of(text), "yaml/key-type")[0]
        assert kind in p.message, text


def test_invisible_character_in_key_is_named():
    p = only(problems_of("meta:\n  title\u200b: 甲\n"), "yaml/invisible-char")[0]
    assert "U+200B" in p.message and "⟨U+200B⟩" in p.message


def test_unusable_numbers():
    for text in ("a: .nan\n", "a: .inf\n", "a: -.inf\n", "a: " + "1" * 4400 + "\n"):
        assert rules(problems_of(text)) == ["yaml/number"], text[:20]


def test_nesting_limit_pure_and_block():
    start = time.perf_counter()
    for text in ("a: " + "[" * 100 + "]" * 100, "a: " + "[" * 1_000_000, "a:\n" + "- " * 100_000 + "x",
                 "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v: 1\n"):
        assert rules(problems_of(text)) == ["yaml/depth"], text[:30]
    assert time.perf_counter() - start < 10


def test_flow_nesting_of_any_size_is_refused_at_the_depth_limit():
    # Each of these hung validate for minutes when deep flow input went to the pure parser.
    for text in ("a: " + "{" * 20000 + "}" * 20000, "meta:\n  title: " + "{" * 2000 + "}" * 2000,
                 "a:\n  " + "[" * 100_000 + "]" * 100_000 + ": x", "a: [" + "[1, " * 300_000):
        assert "yaml/depth" in rules(problems_of(text)), text[:30]


def test_many_flow_collections_at_a_safe_depth_load_with_positions():
    text = "x:\n" + "".join(f"  - [{i}, 2, 3]\n" for i in range(20000))
    loaded = load_bytes(text.encode(), "d.yaml")
    assert loaded.problems == [] and len(loaded.data["x"]) == 20000 and loaded.data["x"][-1] == [19999, 2, 3]
    assert loaded.pos(("x", 19999, 0)).line == 20001


def test_nesting_that_crashes_libyaml_leaves_the_process_alive(tmp_path):
    draft = tmp_path / "deep.yaml"
    draft.write_text("a: " + "[" * 30000 + "]" * 30000)
    other = tmp_path / "other.yaml"
    other.write_text("a:\n" + "- " * 50000 + "x")
    result = subprocess.run([sys.executable, "-m", "reporttool", "validate", str(draft), str(other)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.count("[yaml/depth]") == 2


def test_file_size_limit(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (2 * 1024 * 1024) + b"\n")
    from reporttool.check.draft import check_path

    start = time.perf_counter()
    p = only(check_path(str(big)), "io/too-large")[0]
    assert time.perf_counter() - start < 5
    assert "上限 2.0 MB" in p.message


# --- values -----------------------------------------------------------------------------------


def test_dates_stay_text_and_numbers_keep_their_precision():
    loaded = load_text("d: 2026-11-22\nr: 97.50\nn: 12\ns: '010'\nb: yes\n", "d.yaml")
    assert loaded.data == {"d": "2026-11-22", "r": Decimal("97.50"), "n": 12, "s": "010", "b": "yes"}
    assert str(loaded.data["r"]) == "97.50"
    assert loaded.positions[("r",)].raw == "97.50"
    assert Decimal("1.1") + Decimal("2.2") == load_text("x: 3.3\n", "d").data["x"]


def test_comment_swallowing_prose_is_a_warning_at_the_hash():
    text = VALID_DRAFT.replace("heading: 教育质量稳步提升", "heading: 改造 3 #宿舍楼")
    p = only(problems_of(text), "yaml/comment-swallowed")[0]
    assert p.severity.value == "warning"
    assert (p.line, p.column) == (10, 21)
    assert "#宿舍楼" in p.message


def test_crlf_positions_match_the_editor():
    text = VALID_DRAFT.replace("year: 2026", "year: 甲").replace("\n", "\r\n")
    p = only(problems_of(text), "schema/type")[0]
    assert (p.line, p.column) == (5, 9)


def test_escaped_control_characters_are_caught_too():
    p = only(problems_of(VALID_DRAFT.replace("title: 示例县教育局2026年工作总结", 'title: "示例\\u0007县"')),
             "yaml/control-char")[0]
    assert (p.line, p.column) == (3, 10) and "U+0007" in p.message
    assert "yaml/control-char" in rules(problems_of('"\\u000b键": 1\n'))


def test_line_index_answers_like_the_one_off_helpers():
    from reporttool.load.parse import LineIndex, line_col, line_text

    texts = ["", "a", "\n", "a\n", "ab\ncd", "ab\r\ncd\r\n", "\n\n甲乙\n", "x\ny\n\nz", "末行\r"]
    for text in texts:
        lines = LineIndex(text)
        for index in range(len(text) + 2):
            assert lines.line_col(index) == line_col(text, index), (text, index)
        for line in range(-1, text.count("\n") + 4):
            assert lines.line_text(line) == line_text(text, line), (text, line)
    assert line_col("ab\n甲乙丙", 5) == (2, 3)  # columns count characters


def test_many_findings_in_one_file_are_each_located_on_their_own_line():
    # One line index per file serves every lookup (tabs, directives) instead of a rescan each.
    text = "".join(f"k{i}: 1\t\n" for i in range(2000))
    tabs = [p for p in load_text(text, "t.yaml").problems if p.rule == "yaml/tab"]
    assert [(p.line, p.column, p.source_line) for p in tabs] == [(i + 1, 5 + len(str(i)), f"k{i}: 1\t")
                                                                 for i in range(2000)]
    text = "".join(f"%TAG{i} x\n" for i in range(300)) + "---\na: 1\n"
    directives = [p for p in load_text(text, "t.yaml").problems if p.rule == "yaml/directive"]
    assert [(p.line, p.source_line) for p in directives] == [(i + 1, f"%TAG{i} x") for i in range(300)]


def test_prose_full_of_brackets_still_validates():
    prose = "（见附件[1]{2}）" * 2000 + "]" * 500 + "{" * 500
    text = ("schema_version: 1\nmeta:\n  title: \"" + "[" * 90 + "{" * 90 + "\"\n  issuer: 示例县教育局\n  year: 2026\n"
            "  kind: special\n  date: 2026-12-02\nachievements:\n  sections:\n    - heading: 工作\n      text: |\n        "
            + prose + "\n")
    assert [p for p in problems_of(text) if p.rule.startswith(("yaml/", "schema/"))] == []


def test_the_installed_loader_is_the_c_backed_one():
    from reporttool.load import parse

    assert parse._c_composer is not None  # ruamel.yaml.clib: without it every draft takes the slow pure parser


DEEP = {  # the flow nesting the depth limit refuses, of every size and bracket kind, closed or not
    f"{kind} {n}{' closed' if closed else ''}": "a: " + opener * (n // len(opener)) + (
        "".join({"{": "}", "[": "]"}[c] for c in reversed(opener)) * (n // len(opener)) if closed else "")
    for n in (1000, 20000, 50000) for kind, opener in (("brace", "{"), ("bracket", "["), ("mixed", "{[")) for closed in (False, True)
}
AS_TEXT = {  # the same characters where they are text: never nesting, never refused
    "double-quoted": 'a: "' + "{[" * 25000 + '"\n',
    "single-quoted": "a: '" + "[{" * 25000 + "'\n",
    "block literal": "a: |\n  " + "{" * 50000 + "\n",
    "folded": "a: >\n  " + "[" * 50000 + "\n",
    "plain after text": "a: x" + "{" * 50000 + "\n",
    "comment": "a: 1  # " + "{" * 50000 + "\n",
}


def test_deep_flow_nesting_of_every_kind_is_refused_and_brackets_in_text_are_text(tmp_path):
    """Each file is answered (one validate process for all 24, bounded by the timeout: the old
    loader took minutes on one of them) with yaml/depth for nesting and no loader problem for text."""
    for name, text in {**DEEP, **AS_TEXT}.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "reporttool", "validate", "--no-cache", "--format", "json",
                             str(tmp_path)], capture_output=True, text=True, timeout=120)
    import json

    report = json.loads(result.stdout)
    assert report["summary"]["files"] == len(DEEP) + len(AS_TEXT)
    found: dict[str, set[str]] = {name: set() for name in {**DEEP, **AS_TEXT}}
    for problem in report["problems"]:
        found[problem["file"].rsplit("/", 1)[-1][:-5]].add(problem["rule"])
    for name in DEEP:
        assert "yaml/depth" in found[name], name
    for name in AS_TEXT:
        assert not {rule for rule in found[name] if rule.startswith("yaml/")}, (name, found[name])
    for name, text in AS_TEXT.items():  # and the text is the value, whole
        value = load_bytes(text.encode(), "d.yaml").data["a"]
        assert value == 1 if name == "comment" else value.count("{") + value.count("[") == 50000, name


def test_prose_full_of_brackets_validates():
    text = VALID_DRAFT.replace("全县中考平均分比上年明显提高。",
                               "【重点】全县（含{城区}、[乡镇]）中考平均分比上年明显提高〔见附件〕。" * 400)
    assert [p for p in problems_of(text) if p.rule.startswith("yaml/")] == []


def test_a_character_cut_short_is_said_as_such_not_as_gbk():
    """A UTF-8 draft with one character cut (a copy or a truncated file) is not GBK: the message
    names the place and the bytes left; a GBK draft is still read as GBK."""
    for text in (b"schema_version: 1\nmeta:\n  title: \xe6\x9f\x90\xe5\x8e\xbf\xe6\x95\n",  # cut at the line end
                 b"schema_version: 1\nmeta:\n  title: \xe6\x9f\x90\xe5\x8e\xbf\xe6\x95\xe6\x95\x99\n"):  # mid-line
        found = only(problems_of(text), "encoding/invalid")
        assert (found[0].line, found[0].column) == (3, 12)
        assert "不完整的字" in found[0].message and "0xE6 0x95" in found[0].message
        assert not [p for p in problems_of(text) if p.rule in ("encoding/legacy", "encoding/mixed")]
    gbk = "schema_version: 1\nmeta:\n  title: 某县教育局工作总结\n".encode("gbk")
    assert [p.rule for p in problems_of(gbk) if p.rule.startswith("encoding/")] == ["encoding/legacy"]


def test_a_bom_inside_the_file_is_named_where_it_is():
    """Two files pasted together leave a BOM mid-file: said as a BOM at its line and column, not as
    bad indentation (the leading BOM of a file is its encoding mark and no problem)."""
    for text, where in (("schema_version: 1\n\ufeffmeta:\n  title: x\n", (2, 1)),
                        ("schema_version: 1\nmeta:\n\ufeff  title: x\n", (3, 1)),
                        ("schema_version: 1\nmeta:\n  title: 某\ufeff县\n", (3, 11))):
        found = problems_of(text)
        assert [(p.line, p.column) for p in found if p.rule == "yaml/stray-bom"] == [where], found
        assert not [p for p in found if p.rule == "yaml/syntax"]
    assert not [p for p in problems_of(b"\xef\xbb\xbf" + VALID_DRAFT.encode()) if p.rule.startswith("yaml/")]
