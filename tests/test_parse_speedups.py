"""The shortcuts in document parsing (clean's printable check, decode_newlines' prose path,
field lines looked up only for errors, anchors found from composed nodes) change no result."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.errors import DocumentError
from quizgen.parse import document, escapes, frontmatter
from quizgen.parse.document import clean, parse_document


def test_clean__every_character_it_removes_or_replaces_is_unprintable() -> None:
    taken = re.compile(f"{document._UNSAFE_CHARS.pattern}|{document._OTHER_BREAKS.pattern}")
    assert [hex(c) for c in range(0x110000) if taken.match(chr(c)) and chr(c).isprintable()] == []


@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", "\t", "\r", "\x1f", "\x85", "\u2028", "\ue000", "\xa0", "é"])))
def test_clean__equals_the_full_substitution(text: str) -> None:
    slow = document._UNSAFE_CHARS.sub("", document._OTHER_BREAKS.sub(lambda m: "\n" if m.group(0)[0] == "\r" else " ", text))
    assert clean(text) == slow


PIECES = ["\\n", "\\nabla", "\\neq x", "\\nu", "\\\\", "\\(", "\\)", "$", "$$", "`", "```", "a", " ", "\n", "n", "x\\ny"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_decode_newlines__prose_path_equals_the_full_pass(raw: str) -> None:
    assert escapes.decode_newlines(raw) == escapes._Decoder(raw).run()


@pytest.mark.parametrize("raw", ["one\\ntwo\\n\\nthree", "grad \\nabla f\\nnext", "C:\\\\new\\nline", "a\\nb `c\\nd`"])
def test_decode_newlines__examples(raw: str) -> None:
    assert escapes.decode_newlines(raw) == escapes._Decoder(raw).run()


def test_field_lines__still_name_the_line_of_a_bad_field() -> None:
    text = "---\nquestion: Why?\nsubject:\n  - a list\nanswer: Because.\n---\n"
    with pytest.raises(DocumentError) as error:
        parse_document(text, "x.md")
    assert error.value.line == 3


# ---------------------------------------------------------------- anchors found from nodes

def _scan_first(yaml_text: str) -> object:
    """What load_yaml did before: scan every token for anchors, then load."""
    try:
        if frontmatter.may_alias(yaml_text):
            frontmatter._refuse_aliases(yaml_text, "x.md")
        return yaml.load(yaml_text, Loader=frontmatter._Loader)  # noqa: S506 - a safe loader
    except DocumentError as error:
        return (error.message, error.line)
    except (yaml.YAMLError, frontmatter._DuplicateKey) as error:
        return type(error).__name__


def _now(yaml_text: str) -> object:
    try:
        return frontmatter.load_yaml(yaml_text, "x.md")
    except DocumentError as error:
        if error.message.startswith(("YAML anchors", "front matter")):
            return (error.message, error.line)
        return _scan_first(yaml_text)  # the same YAML error, worded by load_yaml


YAML_PIECES = [
    "a: ", "b: ", "- ", "  ", "\n", "&x ", "*x", "!!str ", "[1, ", "]", "{k: ", "}", "**bold** ", ">-\n  ", "|\n  ",
    "\"q *x\" ", "'s &x' ", "é😀 ", "text ", "# &x comment\n", "? ", ": ",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=16).map("".join))
def test_load_yaml__refuses_exactly_what_a_token_scan_refuses(yaml_text: str) -> None:
    old = _scan_first(yaml_text)
    if isinstance(old, tuple) or isinstance(old, dict):
        assert _now(yaml_text) == old


@pytest.mark.parametrize("yaml_text", [
    "a: \"é€😀\"\nb: &x [1, *x]\n", "a: !!str &x v\nb: *x\n", "a:\n  - b: &x\n  - c\n", "a: >-\n  é😀 **x**\nb: &y v\n",
    "a: [&x 1]\n", "a: {k: &x v}\n", "&x a: b\n", "a: b\nc: *x\n",
])  # fmt: skip
def test_load_yaml__anchors_and_aliases_anywhere_are_refused(yaml_text: str) -> None:
    with pytest.raises(DocumentError, match="YAML anchors and aliases are not allowed"):
        frontmatter.load_yaml(yaml_text, "x.md")


VALUE_PIECES = ["a: ", "b: ", "- ", "  ", "\n", "5 ", "2024-01-01 ", "true ", "!!str 5 ", "'q' ", "\"d\" ", "~ ", "[1, x]",
                "{k: v}", ">-\n  t ", "|\n  u ", "é ", "1.5e3 ", "0x1F "]  # fmt: skip


def _result(yaml_text: str, loader: type) -> object:
    try:
        return yaml.load(yaml_text, Loader=loader)  # noqa: S506 - safe loaders
    except (yaml.YAMLError, frontmatter._DuplicateKey) as error:
        return type(error).__name__


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(VALUE_PIECES), max_size=14).map("".join))
def test_loader__builds_what_the_safe_loader_builds(yaml_text: str) -> None:
    stock = _result(yaml_text, frontmatter._SafeLoader)
    assert _result(yaml_text, frontmatter._Loader) in (stock, "_DuplicateKey")  # a key given twice: ours to refuse
