"""Splitting simple text at `**` finds exactly the pieces the markup pattern finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.parse.simple_inline import MARKUP, is_simple, markup_parts
from test_simple_inline import inline_strings

PIECES = ["word", "Na+", "a", " ", "**", "**", "**", "`", "(", ")", ".", ":", "-", "é", "7", "*", "!", "?"]


def test_markup_parts__equal_the_pattern_on_every_document_string() -> None:
    simple = [s for s in inline_strings() if is_simple(s)]
    assert sum("**" in s for s in simple) > 100
    assert [s for s in simple if markup_parts(s) != MARKUP.split(s)] == []


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_markup_parts__equal_the_pattern_on_generated_simple_text(text: str) -> None:
    text = text.strip(" ")
    if is_simple(text):
        assert markup_parts(text) == MARKUP.split(text)
