"""Shortcuts in hot helpers of card generation give exactly what the full computation gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CONTENT, corpus_files
from quizgen.cards.context import walk_lists, walk_paragraphs
from quizgen.cards.facts import _keyword_pattern, find_facts, keyword_scans, keyword_spans, may_hold_facts
from quizgen.parse.document import read_document
from quizgen.text import content_stems, joined_stems, sentences, stems_covered

# Words and every character that markup pairs or strips: code, math, links, emphasis.
PIECES = st.sampled_from(["pump", "Sodium", "ions", "the", " ", "`", "\\", "(", ")", "[", "]", "*", "**",
                          "_", "~", "$", "-70", "mV", "x_y", "\\(", "\\)", "](", "K+"])
TEXT = st.lists(PIECES, max_size=12).map("".join)


@settings(max_examples=800, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_joined_stems_equal_the_stems_of_the_join(parts: list[str]) -> None:
    assert joined_stems(*parts) == content_stems(" ".join(parts))


@settings(max_examples=800, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3), TEXT)
def test_stems_covered_equals_subset_of_the_join(parts: list[str], needed_text: str) -> None:
    needed = content_stems(needed_text)
    assert stems_covered(needed, *parts) == (needed <= content_stems(" ".join(parts)))


def test_markup_that_pairs_across_the_join_is_read_whole() -> None:
    # "[sodium" + " " + "pump](url)" is one link: its target is no word of the text.
    parts = ("[sodium", "pump](url)")
    assert "url" in content_stems(parts[1])
    assert "url" not in joined_stems(*parts)
    assert not stems_covered(frozenset({"url"}), *parts)


SENTENCE_PIECES = st.sampled_from(["The", " ", "pump", "moves", "three", "Two", "3", "-70 mV", "**", "ions",
                                   "Na+", "café", "sodium-potassium", "pump's", "`x`", ".", ","])


@settings(max_examples=800, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=14).map("".join),
       st.lists(st.sampled_from(["pump", "Sodium-Potassium Pump", "ions", "café", "moves three"]), max_size=3))
def test_may_hold_facts_is_false_only_when_there_are_none(text: str, keywords: list[str]) -> None:
    scans = keyword_scans(tuple(keywords))
    if not may_hold_facts(text, scans):
        assert find_facts(text, scans) == []


def test_may_hold_facts_skips_plain_sentences_on_real_documents() -> None:
    skipped = 0
    for path in sorted(CONTENT.glob("*.md")) + corpus_files():
        doc = read_document(path)
        scans = keyword_scans(doc.keywords)
        texts = [p.text for p in walk_paragraphs(doc)] + [p.text for s in walk_lists(doc) for p in s.points.points]
        for text in texts:
            for sentence in sentences(text):
                if not may_hold_facts(sentence, scans):
                    skipped += 1
                    assert find_facts(sentence, scans) == [], (path, sentence)
    assert skipped > 20  # the shortcut is taken, not just never wrong


ASCII_PIECES = st.sampled_from(["pump", "Pump", "pumps", "sodium-", "-pump", "_", " ", "a", "C++", "c", "++", ".",
                                "(", ")", "2", "x", "pu", "mp"])
ASCII_KEYWORDS = st.sampled_from(["pump", "PUMP", "c++", "C", "pu", "sodium-pump", "(x)", "2", "p", "mp pu", ""])


@settings(max_examples=1500, deadline=None)
@given(st.lists(ASCII_PIECES, max_size=12).map("".join), ASCII_KEYWORDS)
def test_keyword_spans_equal_the_whole_word_pattern(text: str, keyword: str) -> None:
    pattern = _keyword_pattern(keyword)
    expected = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    assert keyword_spans(text.lower(), keyword.lower()) == expected
