"""generate_cards(doc, options) -> tuple[Card, ...]: every card kind, ruled and deduplicated.

Candidates from each kind are judged by `rules.card_flags`; a flagged candidate is
dropped (fewer, sharper cards), then repeats of the same fact are removed. Order is the
document's order, so the same input always gives the same cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from ..model import CARD_KINDS, Card, Document, by_fields
from .cloze import cloze_cards
from .context import walk_lists
from .formula import formula_cards
from .gist import gist_cards
from .list_cloze import list_cloze_cards, section_cards
from .qa import term_cards
from .rules import Flag, SeenFacts, card_flags

DEFAULT_KINDS = frozenset({"term", "cloze", "list", "gist", "formula"})


@dataclass(frozen=True)
class CardOptions:
    kinds: frozenset[str] = DEFAULT_KINDS
    max_per_document: int | None = None
    reverse: bool = False

    def wants(self, kind: str) -> bool:
        return kind in self.kinds or (kind == "reverse" and self.reverse)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@dataclass(frozen=True)
class Generated:
    cards: tuple[Card, ...]
    rejected: tuple[tuple[Card, tuple[Flag, ...]], ...] = field(default=())


def candidates(doc: Document, options: CardOptions) -> Iterator[Card]:
    if options.wants("gist"):
        yield from gist_cards(doc)
    for site in walk_lists(doc):
        if options.wants("list"):
            yield from list_cloze_cards(doc, site)
        if options.wants("section"):
            yield from section_cards(doc, site)
        if options.wants("term") or options.wants("reverse"):
            for card in term_cards(doc, site, reverse=options.wants("reverse")):
                if options.wants(card.kind):
                    yield card
    if options.wants("formula"):
        yield from formula_cards(doc)
    if options.wants("cloze"):
        yield from cloze_cards(doc)


def generate(doc: Document, options: CardOptions = CardOptions()) -> Generated:
    kept: list[Card] = []
    rejected: list[tuple[Card, tuple[Flag, ...]]] = []
    seen = SeenFacts()
    ordinals: dict[tuple[str, str], int] = {}
    for card in candidates(doc, options):
        flags = card_flags(card)
        if not flags and seen.earlier_copy(card, len(kept)) is not None:
            flags = (Flag("duplicate", "repeats an earlier card"),)
        if flags:
            rejected.append((card, flags))
            continue
        slot = (card.key, card.kind)
        ordinal = ordinals.get(slot, -1) + 1
        ordinals[slot] = ordinal
        kept.append(replace(card, ordinal=ordinal) if ordinal else card)
    if options.max_per_document is not None:
        kept = kept[: options.max_per_document]
    return Generated(tuple(kept), tuple(rejected))


def generate_cards(doc: Document, options: CardOptions = CardOptions()) -> tuple[Card, ...]:
    return generate(doc, options).cards


__all__ = ["CARD_KINDS", "DEFAULT_KINDS", "CardOptions", "Generated", "generate", "generate_cards"]
