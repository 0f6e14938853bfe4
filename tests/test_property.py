"""Whatever the bytes, validation returns problems; it never raises and never hangs."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID_DRAFT
from reporttool.check.draft import check_bytes
from reporttool.cli import cli

TOKENS = ["\t", "\n", "- ", ": ", "? ", "!", "!!", "&a ", "*a", "[", "]", "{", "}", ",", "#", "|", ">", '"', "'",
          "\\", "%YAML 1.1\n", "%TAG ! x\n", "---\n", "...\n", "<<: ", "\ufeff", "\x00", "\x85", "\u2028",
          "2026-13-45", "!!int x", "!!bool maybe", '"\\U00110000"', "9" * 4400, "1e400", ".nan", "~", "中",
          "：", "\r", "\r\n", "　", "\u200b", "&重点 ", "*重点", "@", "`", "1,200", "13。7"]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(data: bytes) -> None:
    problems = check_bytes(data, "f.yaml")
    assert not [p for p in problems if p.rule == "internal/error"]
    for p in problems:
        assert p.line >= 0 and p.column >= 0
        assert p.message


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    assert_clean(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text(text):
    assert_clean(text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(VALID_DRAFT)), st.sampled_from(TOKENS), st.integers(0, 3)),
                max_size=6))
def test_mutated_drafts(edits):
    text = VALID_DRAFT
    for position, token, delete in edits:
        position = min(position, len(text))
        text = text[:position] + token + text[position + delete:]
    assert_clean(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_cli_exit_codes_are_0_1_or_2(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("p") / "f.yaml"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1, 2)


_SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85\ufeff"),
                     min_size=1, max_size=200)


@SETTINGS
@given(texts=st.lists(_SAFE_TEXT, min_size=3, max_size=3), name=_SAFE_TEXT, value=_SAFE_TEXT,
       number=st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1e9, max_value=1e9))
def test_rules_never_raise_on_schema_valid_drafts(texts, name, value, number):
    """Arbitrary prose, metric names and short-form values reach the model and every rule."""
    import json

    from conftest import VALID_META

    q = json.dumps  # a JSON string is a valid double-quoted YAML scalar
    draft = VALID_META + (
        "achievements:\n  sections:\n"
        f"    - heading: {q(texts[0])}\n      text: {q(texts[1] + '【' + name + '】')}\n"
        f"      metrics:\n        - {{{q(name)}: {q(value)}}}\n"
        f"        - {{name: {q(name + '2')}, value: {number}, unit: 人, previous: {number}, change: 1,"
        f" parts: [{q(name)}], rate: {{numerator: {q(name)}, denominator: {q(name + '2')}}}}}\n"
        f"plans:\n  items:\n    - text: {q(texts[2])}\n      targets:\n        - {{{q(name)}: {q(value)}}}\n")
    assert_clean(draft.encode("utf-8"))
