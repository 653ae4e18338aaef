"""Card-generation shortcuts give exactly what the plain computation gives: each test
holds a fast path equal to the slower code it replaced, kept here as the reference."""

from __future__ import annotations

import re
from typing import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CONTENT, corpus_files
from quizgen.cards import cloze
from quizgen.cards.base import make_card
from quizgen.cards.context import (
    _GENERIC_LEAD, PromptPlaces, Where, capitalize, context_line, escape_markdown, is_generic, tidy_heading, topic,
    walk_lists, walk_paragraphs,
)
from quizgen.cards.facts import (
    _BOLD, _COUNT, _DECIMAL, _DEFINITE_BEFORE, _DIGIT, _NUMBER_FACT, _NUMBER_WORD_IN, _PLAIN_RANGE,
    Fact, FactKind, FactSpans, KeywordScans, _keyword_pattern, find_facts, is_meaningful, keyword_scans, keyword_spans,
)
from quizgen.cards.keys import fact_key
from quizgen.cards.rules import _shown_lines
from quizgen.cards.qa import MAX_DEFINITION_WORDS, definition, point_text
from quizgen.model import Card, Document, Paragraph, Point
from quizgen.parse.document import read_document
from quizgen.text import _PAIRS_ACROSS_JOIN, content_stems, join_is_exact, sentences, stems_covered, word_count
from quizgen.text_numbers import protected_spans


def reference_find_facts(text: str, keywords: KeywordScans = ()) -> list[Fact]:
    """`find_facts` as one function, before it was cut into steps."""
    taken = protected_spans(text)
    found: list[Fact] = []

    def add(start: int, end: int, kind: FactKind) -> None:
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if end > start and all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            found.append(Fact(start, end, text[start:end], kind))

    lowered = text.lower() if text.isascii() else None
    digits = bool(_DIGIT.search(text))
    if digits:
        for pattern in (_NUMBER_FACT, _PLAIN_RANGE, _DECIMAL):
            for m in pattern.finditer(text):
                add(m.start(), m.end(), "number")
    if digits or lowered is None or _NUMBER_WORD_IN.search(lowered):
        for m in _COUNT.finditer(text):
            if not _DEFINITE_BEFORE.search(text, 0, m.start(1)):
                add(m.start(1), m.end(1), "count")
    if "**" in text:
        for m in _BOLD.finditer(text):
            if is_meaningful(m.group(1)):
                add(m.start(), m.end(), "bold")
    for lowered_keyword, keyword in keywords:
        if lowered is not None and lowered_keyword is not None:
            spans = keyword_spans(lowered, lowered_keyword)
        else:
            spans = [m.span() for m in _keyword_pattern(keyword).finditer(text)]
        for start, end in spans:
            add(start, end, "keyword")
    return sorted(found, key=lambda f: f.start)


def reference_block_cards(doc: Document, section: tuple[str, ...], context: str, text: str,
                          keywords: list[str], term: str | None) -> Iterator[Card]:
    """`cloze._block_cards` judging every fact of every sentence, numbers and terms alike."""
    referent = cloze._referent(text, doc)
    term_used = False
    scans = keyword_scans((*keywords, term) if term else tuple(keywords))
    for position, sentence in enumerate(sentences(text)):
        if position and referent:
            sentence = cloze._resolve_pronouns(sentence, referent)
        if not reference_find_facts(sentence, scans) or not cloze._usable(sentence):  # no fact, no card
            continue
        facts = [f for f in reference_find_facts(sentence, scans) if cloze._deletable(f, sentence, context)]
        numbers = cloze._primary_numbers([f for f in facts if f.kind in ("number", "count")], sentence)
        if numbers:
            chosen = numbers
        elif not term_used and facts:
            chosen = [max(facts, key=lambda f: (f.kind == "keyword", len(f.text)))]
            term_used = True
        else:
            continue
        front = cloze._with_deletions(sentence, chosen)
        yield make_card(doc, "cloze", section=section, key=fact_key([f.text for f in chosen]), front=front,
                        back="", context=context)


def real_documents() -> list[Document]:
    return [read_document(path) for path in sorted(CONTENT.glob("*.md")) + corpus_files()]


PIECES = [
    "The", " ", "pump", "moves", "three", "Two", "two", "3", "-70 mV", "**", "ions", "Na+", "café", "(", ")",
    "sodium-potassium", "pump's", "`x`", ".", ",", "5 to 10 days", "1.5", "between 2 and 4 mg", "the two",
    "Pump", "HIT", "(HIT)", "2 inches (5 cm)", "In", "**pump**", "**three**", "50%", "about",
    "between", "Between", "\t", "\u2212", "–", "+", "-", "eleven", "ONE", "tWo", "\u212a", "twenty", "9", "mg",
]
SENTENCE_PIECES = st.sampled_from(PIECES)
TEXTS = st.lists(SENTENCE_PIECES, max_size=8).map("".join)
KEYWORDS = st.lists(st.sampled_from(["pump", "Sodium-Potassium Pump", "ions", "café", "moves three", "HIT",
                                     "two", "Na+", "three ions"]), max_size=4)


@settings(max_examples=1500, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=16).map("".join), KEYWORDS)
def test_find_facts_in_steps_equals_one_pass(text: str, keywords: list[str]) -> None:
    scans = keyword_scans(tuple(keywords))
    assert find_facts(text, scans) == reference_find_facts(text, scans)


def test_cloze_cards_judging_terms_only_without_numbers_equal_judging_all() -> None:
    docs = real_documents()
    made = 0
    for doc in docs:
        keywords = cloze._keywords(doc)
        blocks = [(site.section, p.term, t) for site in walk_lists(doc) for p in site.points.points
                  for t in [p.text] + [c.text for c in p.children if isinstance(c, Paragraph)]]
        blocks += [(para.section, None, para.text) for para in walk_paragraphs(doc)]
        for section, term, text in blocks:
            context = context_line(doc, section, term)
            fast = list(cloze._block_cards(doc, section, context, text, keywords, term))
            assert fast == list(reference_block_cards(doc, section, context, text, keywords, term))
            made += len(fast)
    assert made > 50


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["\n", "\n- ", "`", "\\", "[", "](", "_"]), max_size=16)
       .map("".join), st.sampled_from(["Topic", "Topic › x\\_y", "`code`", "a [link](u)"]),
       st.lists(st.sampled_from(["pump", "ions", "two", "x", "link", "code", "u", "3"]), max_size=2))
def test_stems_of_shown_lines_equal_the_stems_of_the_text(shown: str, context: str, needed_words: list[str]) -> None:
    needed = content_stems(" ".join(needed_words))
    assert stems_covered(needed, *_shown_lines(shown, context)) == stems_covered(needed, shown, context)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["`", "\\", "[", "]"]), max_size=6).map("".join), st.lists(TEXTS, max_size=3))
def test_join_is_exact_tests_the_characters_that_pair(first: str, more: list[str]) -> None:
    parts = (first, *more)
    assert join_is_exact(parts) == (not any(_PAIRS_ACROSS_JOIN.search(part) for part in parts))


def reference_prompt_where(doc: Document, section: tuple[str, ...], parent_term: str | None, avoid: str) -> Where | None:
    """`prompt_where` judging every place again for each point."""
    avoid_stems = content_stems(avoid)
    places = ([parent_term] if parent_term else []) + ([section[-1]] if section else [])
    for candidate in places:
        place = _GENERIC_LEAD.sub("", tidy_heading(candidate or ""))
        if not place or is_generic(place) or content_stems(place) & avoid_stems:
            continue
        if content_stems(place) <= content_stems(topic(doc)):
            break
        return Where(escape_markdown(capitalize(place)), is_topic=False)
    name = topic(doc)
    if not content_stems(name) & avoid_stems:
        return Where(escape_markdown(capitalize(name)), is_topic=True)
    return None


def reference_context_line(doc: Document, section: tuple[str, ...], parent_term: str | None = None) -> str:
    """`context_line` in one piece, before its head was shared by a list's points."""
    parts = [capitalize(topic(doc))]
    for part in section[-1:] + ((parent_term,) if parent_term else ()):
        tidy = tidy_heading(part) if part else ""
        if tidy and not content_stems(tidy) <= content_stems(parts[0]):
            parts.append(tidy)
    return " › ".join(escape_markdown(p) for p in parts)


def reference_definition(point: Point) -> str | None:
    """`definition` reading every sentence of the point."""
    parts = [s for s in sentences(point_text(point)) if not s.rstrip().endswith(":")]
    if not parts:
        return None
    text = parts[0]
    if word_count(text) < 8 and len(parts) > 1 and word_count(text + " " + parts[1]) <= MAX_DEFINITION_WORDS:
        text = text + " " + parts[1]
    return text if word_count(text) <= MAX_DEFINITION_WORDS else None


HEADINGS = st.sampled_from(["Overview", "Key Features of Pumps", "2. Sodium Pump:", "The Pump", "Ions", "x_y",
                            "How It Works", "Mechanism of the Sodium-Potassium Pump", "", "Pump *ions*"])


@settings(max_examples=500, deadline=None)
@given(HEADINGS, HEADINGS, st.one_of(st.none(), HEADINGS), st.lists(HEADINGS, max_size=2), HEADINGS)
def test_places_and_context_lines_equal_the_point_by_point_ones(
        title: str, heading: str, parent: str | None, keywords: list[str], avoid: str) -> None:
    doc = Document(id="d", title=title or "T", question="Q?", subject="S", subject_key="s", path="p",
                   answer=" ".join(keywords), keywords=tuple(keywords))
    section = (heading,) if heading else ()
    assert PromptPlaces(doc, section, parent).where(avoid) == reference_prompt_where(doc, section, parent, avoid)
    assert context_line(doc, section, parent) == reference_context_line(doc, section, parent)


def test_definitions_and_places_on_real_documents() -> None:
    for doc in real_documents():
        for site in walk_lists(doc):
            assert context_line(doc, site.section, site.parent_term) == reference_context_line(
                doc, site.section, site.parent_term)
            places = PromptPlaces(doc, site.section, site.parent_term)
            for point in site.points.points:
                assert definition(point) == reference_definition(point)
                assert context_line(doc, site.section, point.term) == reference_context_line(doc, site.section, point.term)
                if point.term:
                    assert places.where(point.term) == reference_prompt_where(
                        doc, site.section, site.parent_term, point.term)


CONTEXTS = st.lists(st.sampled_from(["Pump", " › ", "Sodium-Potassium Pump", "ions", "HIT", "`", "\\", "[", "]",
                                     "(", ")", "](u)", "two", "Na+", "_", "*"]), max_size=6).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=16).map("".join), KEYWORDS, CONTEXTS)
def test_keywords_the_context_shows_are_never_deleted(sentence: str, keywords: list[str], context: str) -> None:
    scans = keyword_scans(tuple(keywords))
    shown = cloze._shown_keywords(scans, context)
    found = FactSpans(sentence)
    facts = find_facts(sentence, scans)
    for fact in facts:
        if cloze._shown_fact(fact, found, shown):
            assert not cloze._deletable(fact, sentence, context)
    if not found.may_hold_terms(scans, shown):
        assert all(cloze._shown_fact(f, found, shown) for f in facts if f.kind in ("keyword", "bold"))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["then", "the", "n", "these", "those", "as follows", "below", "above", "you",
                                 " can", "the following", "x", " "]), max_size=8).map("".join))
def test_dependent_words_by_substring_equal_the_pattern(lower: str) -> None:
    assert cloze._has_dependent_word(lower) == bool(cloze._DEPENDENT_WORD_IN.search(lower))
