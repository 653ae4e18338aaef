"""Overlapping list clozes: a list of 2-8 named points becomes one note, one deletion per
item, so each card hides one item while the others stay visible (the set is learned)."""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Card, Document, cloze
from ..text import IMPERATIVE_VERBS, capitalize_first, content_stems, escape_markdown, joined_stems
from .context import ListSite, context_line, is_example, is_generic, tidy_heading, topic
from .base import make_card
from .keys import list_key

MIN_ITEMS, MAX_ITEMS = 2, 8


def named_terms(site: ListSite) -> list[str] | None:
    """The list's terms when (nearly) every item has one; else None."""
    points = site.points.points
    terms = [p.term for p in points if p.term]
    if not MIN_ITEMS <= len(points) <= MAX_ITEMS or len(terms) < max(MIN_ITEMS, len(points) - 1):
        return None
    return terms


def list_title(doc: Document, site: ListSite, terms: list[str]) -> str | None:
    """What the list enumerates, e.g. "Mechanism of the Sodium-Potassium Pump".

    Under a generic heading only a list of steps says something ("Bisection method:
    steps"); a generic list of aspects ("SQL: key points") teaches nothing worth a card.
    """
    for candidate in (site.parent_term, site.section[-1] if site.section else None):
        if candidate and not is_generic(candidate):
            return escape_markdown(tidy_heading(candidate))
    asked = _question_subject(doc.question)
    if asked and site.index == 0 and len(site.section) <= 1 and site.parent_term is None:
        return escape_markdown(asked)  # "What are the methods for X?" names the list under a bare heading
    steps = sum(1 for t in terms if t.split() and t.split()[0].lower() in IMPERATIVE_VERBS)
    if site.points.ordered and steps * 2 > len(terms):
        return escape_markdown(f"{capitalize_first(topic(doc))}: steps")
    return None


_WHAT_ARE = re.compile(r"^(?:what|which)\s+(?:are|were)\s+(?:the\s+|some\s+)?(.+?)\s*\?$", re.IGNORECASE)


def _question_subject(question: str) -> str | None:
    """"What are the methods for customizing tick labels?" -> "Methods for customizing tick labels"."""
    match = _WHAT_ARE.match(question.strip())
    if not match or " and " in match.group(1) or len(match.group(1).split()) > 10:
        return None
    return capitalize_first(match.group(1))


def titled_list(doc: Document, site: ListSite) -> tuple[list[str], str, str] | None:
    """(terms, title, context line) of a list worth a card, else None."""
    if site.section and is_example(site.section[-1]):
        return None  # a worked example's steps are that example's, not facts to learn
    terms = named_terms(site)
    title = list_title(doc, site, terms) if terms is not None else None
    if terms is None or title is None:
        return None
    return terms, title, context_line(doc, site.section[:-1]) if site.section else context_line(doc, ())


def list_cloze_cards(doc: Document, site: ListSite) -> Iterator[Card]:
    found = titled_list(doc, site)
    if found is None:
        return
    terms, title, context = found
    shown = joined_stems(title, context)
    hideable = [bool(content_stems(t)) and not content_stems(t) <= shown for t in terms]
    if sum(hideable) < MIN_ITEMS:
        return
    ordered = site.points.ordered
    order_note = ", in order" if ordered else ""
    lines = [f"**{title}** ({len(terms)} items{order_note}):", ""]
    number = 0
    for index, (term, hide) in enumerate(zip(terms, hideable), 1):
        if hide:
            number += 1
        item = cloze(number, term) if hide else term
        lines.append(f"{index}. {item}" if ordered else f"- {item}")
    key = list_key(site.section, terms[0], site.index)
    yield make_card(doc, "list", section=site.section, key=key, front="\n".join(lines), back="", context=context)


def section_cards(doc: Document, site: ListSite) -> Iterator[Card]:
    """"Name the N points of <title>" -> the terms in order (a Q&A twin of the list cloze)."""
    found = titled_list(doc, site)
    if found is None:
        return
    terms, title, context = found
    ordered = site.points.ordered
    front = f"Name the {len(terms)} points of **{title}**" + (", in order." if ordered else ".")
    back = "\n".join(f"{i}. {t}" if ordered else f"- {t}" for i, t in enumerate(terms, 1))
    key = list_key(site.section, terms[0], site.index)
    yield make_card(doc, "section", section=site.section, key=key, front=front, back=back, context=context)
