"""The renderer's fast path for simple inline text gives exactly what mistune + nh3 give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import content_files, corpus_files
from quizgen.cards.generate import generate_cards
from quizgen.export import render
from quizgen.parse.document import read_document


def slow(markdown: str) -> str:
    """The full path: mistune, unwrap the paragraph, sanitise, neutralise braces."""
    out = render._MARKDOWN(markdown.strip()).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return render.neutralize_braces(render.sanitize(out))


def fast(markdown: str) -> str:
    return render.neutralize_braces(render._render_simple(markdown.strip()))


def card_strings() -> list[str]:
    strings: set[str] = set()
    for path in content_files() + corpus_files():
        for card in generate_cards(read_document(path)):
            strings.update((card.front, card.back, card.context, card.source_title))
    return sorted(s for s in strings if render.is_simple(s.strip()))


def test_fast_path__covers_most_card_text_and_matches_mistune() -> None:
    simple = card_strings()
    assert len(simple) > 100
    assert [s for s in simple if fast(s) != slow(s)] == []


@pytest.mark.parametrize("text", ['Say "bake" now', "**Na+** is `x_y`", "K+ and Na+", "{{c1::x}} and }}", "pH 7.35-7.45"])
def test_fast_path__examples_take_it_and_match(text: str) -> None:
    assert render.is_simple(text)
    assert fast(text) == slow(text)


@pytest.mark.parametrize("text", ["a & b", "1. item", "0)", "- x", "# h", "a_b", "\\(x\\)", "[l](u)", "<b>"])
def test_fast_path__markup_goes_the_full_way(text: str) -> None:
    assert not render.is_simple(text)


PIECES = ["word", "Na+", "a", " ", " ", "**", "**", "`", "(", ")", ".", ",", ":", "-", "'", '"', "\u00e9", "7",
          "*", "=", "+", "!", "?", "{", "}", "#", ">", "|", "~", "1.", "<", "&"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_fast_path__generated_delimiter_soup_matches_mistune(text: str) -> None:
    if render.is_simple(text.strip()):
        assert fast(text) == slow(text)
