"""The parser's fast path for simple inline text gives exactly mistune's tokens."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import content_files, corpus_files, stock_markdown
from quizgen.parse import markdown
from quizgen.parse.answer import parse_answer
from quizgen.parse.document import read_document
from quizgen.parse.simple_inline import is_simple, simple_tokens

_FULL = stock_markdown()


def full_tokens(text: str) -> list[dict]:
    return _FULL.inline(text, {})


def inline_strings() -> list[str]:
    """Every string the block parser hands to the inline parser, over all documents."""
    seen: list[str] = []
    spy = markdown._InlineParser.__call__

    def record(self, s, env):  # type: ignore[no-untyped-def]
        seen.append(s)
        return spy(self, s, env)

    markdown._InlineParser.__call__ = record  # type: ignore[method-assign]
    try:
        for path in content_files() + corpus_files():
            read_document(path)
    finally:
        markdown._InlineParser.__call__ = spy  # type: ignore[method-assign]
    return sorted(set(seen))


def test_fast_tokens__equal_mistune_on_every_document_string() -> None:
    strings = inline_strings()
    simple = [s for s in strings if is_simple(s)]
    assert len(simple) > 0.5 * len(strings)  # the fast path is the common path
    assert [s for s in simple if simple_tokens(s) != full_tokens(s)] == []


@pytest.mark.parametrize("text", [
    "The **Sodium-Potassium Pump** moves `3 Na+` out.", "a**b**c", "x ` a ` y", "` `",
    "pH 7.35-7.45 (normal)", "**Na+/K+ ATPase**: the pump", "It's 100% \"safe\"", "état **très** bien",
])  # fmt: skip
def test_fast_tokens__examples_take_it_and_match(text: str) -> None:
    assert is_simple(text)
    assert simple_tokens(text) == full_tokens(text)


@pytest.mark.parametrize("text", [
    "**(foo)**bar", "**foo.**bar", "foo**.bar**", "**a****b**", "** a**", "`a``b`", "``a``",
    "a & b", "a_b", "\\(x\\)", "$x$", "[l](u)", "<b>", "~~x~~", "a\nb", "1. item", "- x", "# h",
])  # fmt: skip
def test_fast_tokens__anything_ambiguous_goes_the_full_way(text: str) -> None:
    assert not is_simple(text)


PIECES = ["word", "Na+", "a", " ", " ", "**", "**", "`", "(", ")", ".", ",", ":", "-", "'", '"', "é", "7", "*", "=", "!", "°", "?", "/", "%"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_fast_tokens__generated_delimiter_soup_matches_mistune(text: str) -> None:
    text = text.strip(" ")
    if is_simple(text):
        assert simple_tokens(text) == full_tokens(text)


def test_parse_answer__same_model_with_and_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [read_document(path).answer for path in content_files()[:6]]
    fast = [parse_answer(a) for a in answers]
    monkeypatch.setattr(markdown, "_AST", _FULL)
    assert [parse_answer(a) for a in answers] == fast
