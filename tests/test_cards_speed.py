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
from quizgen.cards.context import context_line, walk_lists, walk_paragraphs
from quizgen.cards.facts import (
    _BOLD, _COUNT, _DECIMAL, _DEFINITE_BEFORE, _DIGIT, _NUMBER_FACT, _NUMBER_WORD_IN, _PLAIN_RANGE,
    Fact, FactKind, KeywordScans, _keyword_pattern, find_facts, is_meaningful, keyword_scans, keyword_spans,
)
from quizgen.cards.keys import fact_key
from quizgen.cards.rules import _shown_lines
from quizgen.model import Card, Document, Paragraph
from quizgen.parse.document import read_document
from quizgen.text import content_stems, sentences, stems_covered
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
]
SENTENCE_PIECES = st.sampled_from(PIECES)
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
