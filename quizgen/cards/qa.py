"""Term -> definition cards (and the optional reverse) from points with a bold lead term."""

from __future__ import annotations

import re
from typing import Final, Iterator

from ..model import Card, Document, Paragraph, Point, PointList
from ..text import IMPERATIVE_VERBS, capitalize_first, content_stems, sentences, word_count
from .context import ListSite, PromptPlaces, Where, context_line, is_fragment
from .base import make_card
from .keys import term_key

MAX_DEFINITION_WORDS = 40
_DEFINITION_OF = re.compile(r"^(?:(?:definition|meaning) of\s+(?:the\s+)?|step\s+\d+\s*[,:.-]\s*)", re.IGNORECASE)
_EXPLAIN_LEADS = re.compile(
    r"^(role|influence|importance|impact|effects?|use|uses|preservation|contribution|relationship|"
    r"significance|purpose|benefits?|advantages?|disadvantages?|limitations?|challenges?|"
    r"applications?|implications?|management|prevention|monitoring|assessment|treatment|"
    r"how|why|when|what)\b",
    re.IGNORECASE,
)

_SPACES: Final = re.compile(r"(\s+)")
_NOT_WORD: Final = re.compile(r"[^\w+-]")


def definition(point: Point) -> str | None:
    """The point's first statement (two when the first is very short), at most ~40 words."""
    parts = _statements(sentences(point_text(point)))
    text = next(parts, None)
    if text is None:
        return None
    words = word_count(text)
    if words < 8:
        second = next(parts, None)
        if second is not None and word_count(text + " " + second) <= MAX_DEFINITION_WORDS:
            text = text + " " + second
            words = word_count(text)
    return text if words <= MAX_DEFINITION_WORDS else None


def _statements(parts: tuple[str, ...]) -> Iterator[str]:
    """Sentences that are not lead-ins to what follows; lazily, as at most two are read."""
    return (s for s in parts if not s.rstrip().endswith(":"))


def point_text(point: Point) -> str:
    """The point's own text, or for a bare heading-like point its first child's text."""
    if point.text.strip() or not point.children:
        return point.text
    child = point.children[0]
    if isinstance(child, Paragraph):
        return child.text
    if isinstance(child, PointList) and child.points and not child.points[0].term:
        return child.points[0].text
    return ""


def term_question(term: str, where: Where | None) -> str:
    """"Mechanism of the sodium-potassium pump: what is **Active Transport**?" and variants.

    The place leads, followed by a colon: it reads right whatever the heading's grammar.
    """
    term = _DEFINITION_OF.sub("", term)
    term_words = term.split()
    first = term_words[0].lower() if term_words else ""
    if first in IMPERATIVE_VERBS:
        ask, mark = f"what does the step **{term}** involve", "?"
    elif _EXPLAIN_LEADS.match(term) or len(term_words) > 4 or (first.isalpha() and first.endswith("ing") and len(first) >= 5):
        ask, mark = f"explain **{term}**", "."
    else:
        ask, mark = f"what {'are' if _looks_plural(term) else 'is'} **{term}**", "?"
    if where is None:
        return capitalize_first(ask) + mark
    return f"{where.text}: {ask}{mark}"


def mask_term(text: str, term: str) -> str | None:
    """The definition with words sharing a stem with the term blanked, or None when
    that would blank most of it ("actively transports" goes for "Active Transport")."""
    term_stems = content_stems(term)
    masked, hidden, total = [], 0, 0
    for token in _SPACES.split(text):
        bare = _NOT_WORD.sub("", token)
        if bare and not token.isspace():
            total += 1
            if content_stems(bare) & term_stems:
                hidden += 1
                token = token.replace(bare, "\\_\\_\\_")
        masked.append(token)
    return "".join(masked) if hidden * 4 <= total else None


def names_its_term(term: str, text: str) -> bool:
    """A definition that never mentions its term is a label's note, not a definition:
    "**Open Command Prompt**: Navigate to the directory ..." makes no term card."""
    return bool(content_stems(term) & content_stems(text))


_HEAD_ENDS = re.compile(r"\s+(?:of|for|in|on|to|with)\s+")


def _looks_plural(term: str) -> bool:
    head_words = _HEAD_ENDS.split(term, maxsplit=1)[0].split()
    last = head_words[-1].lower() if head_words else ""
    if " and " in f" {term.lower()} ":
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "sis", "ics"))


def term_cards(doc: Document, site: ListSite, reverse: bool) -> Iterator[Card]:
    context = context_line(doc, site.section, site.parent_term)
    places: PromptPlaces | None = None  # made at the first point that needs one
    for point in site.points.points:
        if not point.term:
            continue
        back = definition(point)
        if back is None or not names_its_term(point.term, back) or is_fragment(back):
            continue
        if places is None:
            places = PromptPlaces(doc, site.section, site.parent_term)
        where = places.where(point.term)
        key = term_key(point.term)
        front = term_question(point.term, where)
        yield make_card(doc, "term", section=site.section, key=key, front=front, back=back, context=context)
        masked = mask_term(back, point.term) if reverse else None
        if masked is not None:
            front = f"Which term is described? {masked}"
            back_term = f"**{point.term}**"
            yield make_card(doc, "reverse", section=site.section, key=key, front=front, back=back_term, context=context)
