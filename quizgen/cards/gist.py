"""Document question -> its gist: the summary's point in a sentence or two, never the
whole answer (a student should be able to say it back in ten seconds)."""

from __future__ import annotations

import re
from typing import Final, Iterator

from ..model import Card, Document, Paragraph
from ..text import content_stems, drop_summary_lead, escape_markdown, sentences, word_count
from .base import make_card
from .context import capitalize, context_line, walk_lists

MAX_GIST_WORDS = 60
_HERE = re.compile(r"^(here|below|the following)\b", re.IGNORECASE)
# "... several best practices can be implemented" announces content instead of giving it.
_ANNOUNCES_PATTERN = (
    r"\b(below|the following|follow (?:the|these)|as follows)\b"
    r"|\b(several|various|a number of|many|some|different)\s+(?:\w+\s+){0,2}?"
    r"(steps|ways|methods|practices|strategies|components|factors|techniques|approaches|"
    r"configurations|considerations|options)\b"
)
_ANNOUNCES = re.compile(_ANNOUNCES_PATTERN, re.IGNORECASE)
# `_ANNOUNCES` for lowercased ASCII text (its words are lowercase): the same matches,
# without IGNORECASE folding each character as the engine goes.
_LOWERED_ANNOUNCES: Final = re.compile(_ANNOUNCES_PATTERN)


def gist_text(doc: Document) -> str | None:
    """The summary's first sentence (two if the first is short); else the intro's point."""
    lead = _statements(drop_summary_lead(doc.summary)) if doc.summary else []
    if not lead:
        first = next((b for b in doc.intro if isinstance(b, Paragraph)), None)
        lead = _statements(first.text) if first else []
    chosen: list[str] = []
    for sentence in lead:
        if chosen and (word_count(chosen[0]) >= 15 or word_count(" ".join(chosen + [sentence])) > MAX_GIST_WORDS):
            break
        if word_count(sentence) <= MAX_GIST_WORDS:
            chosen.append(sentence)
    terms = _first_named_list(doc)
    says_little = len(content_stems(" ".join(chosen)) - content_stems(doc.question)) < 5
    if terms and (not chosen or says_little or word_count(" ".join(chosen)) < 12):
        if says_little:
            chosen = []
        chosen.append("Key points: " + ", ".join(terms) + ".")
    return capitalize(" ".join(chosen)) if chosen else None


def _statements(text: str) -> list[str]:
    """Sentences that say something: no lead-ins ending in ':' or "Here is ..." openers."""
    return [
        s for s in sentences(text)
        if not s.rstrip().endswith(":") and not _HERE.match(s) and not _announces(s)
    ]  # fmt: skip


def _announces(sentence: str) -> bool:
    """`_ANNOUNCES.search(sentence)`, on the lowercased sentence where that is the same."""
    if sentence.isascii():
        return _LOWERED_ANNOUNCES.search(sentence.lower()) is not None
    return _ANNOUNCES.search(sentence) is not None


def _first_named_list(doc: Document) -> list[str] | None:
    for site in walk_lists(doc):
        terms = [p.term for p in site.points.points if p.term]
        if len(terms) >= 2 and word_count(", ".join(terms)) <= MAX_GIST_WORDS // 2:
            return terms
    return None


def gist_cards(doc: Document) -> Iterator[Card]:
    back = gist_text(doc)
    if back is None:
        return
    front = escape_markdown(doc.question)
    yield make_card(doc, "gist", section=(), key="gist", front=front, back=back, context=context_line(doc, ()))
