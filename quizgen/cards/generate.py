"""generate_cards(doc, options) -> tuple[Card, ...]: every card kind, ruled and deduplicated."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import CARD_KINDS, Card, Document


@dataclass(frozen=True)
class CardOptions:
    kinds: frozenset[str] = frozenset(k for k in CARD_KINDS if k != "reverse")
    max_per_document: int | None = None
    reverse: bool = False


def generate_cards(doc: Document, options: CardOptions = CardOptions()) -> tuple[Card, ...]:
    """Placeholder during development: replaced by the real generator (issue 4)."""
    cards = []
    for section in doc.sections:
        for block in section.blocks:
            for n, point in enumerate(getattr(block, "points", ())):
                if point.term:
                    cards.append(Card("term", doc.id, (section.heading,), point.term, 0,
                                      f"{section.heading}: what is **{point.term}**?", point.text,
                                      doc.title, doc.url, doc.title, doc.subject, doc.subject_key))
    return tuple(cards)
