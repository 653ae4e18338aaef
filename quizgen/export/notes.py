"""Cards -> rendered cards -> Anki notes, in two steps so the costly one can be cached.

`render_card` depends only on the card (and the site url): it runs in worker processes
and its result is cached per document. `note_from` needs what only the whole build
knows (the GUID, the deck, the previous cloze numbering). The note a card makes when no
earlier build numbered it differently (`FirstNote`) is made in the worker too, so a
deck writer mostly copies: a rebuild rewrites whole decks of unchanged notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Card, by_fields
from . import ids
from .anki import ANKI_DELETION, NoteSpec
from .render import FieldRenderer, finish_cloze
from .tags import note_tags


@dataclass(frozen=True)
class FirstNote:
    """The finished front, cloze numbering and content hash of a card's note when no
    earlier numbering differs from the card's own (a first build, or an unchanged note)."""

    front: str
    numbering: tuple[tuple[str, int], ...]
    next: int
    content_hash: str

    def __init__(self, front: str, numbering: tuple[tuple[str, int], ...], next: int, content_hash: str) -> None:
        """What dataclass would write, written out (see `RenderedCard.__init__`)."""
        object.__setattr__(self, "front", front)
        object.__setattr__(self, "numbering", numbering)
        object.__setattr__(self, "next", next)
        object.__setattr__(self, "content_hash", content_hash)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@dataclass(frozen=True)
class RenderedCard:
    """A card's identity and its fields as sanitised HTML (cloze deletions still marked)."""

    kind: str
    key: str
    ordinal: int
    section: tuple[str, ...]
    cloze: bool
    fields: tuple[str, str, str, str]  # Front/Text, Back/Extra, Context, Source
    tags: tuple[str, ...]
    guid: str  # the plain GUID in its document's own id space (ids.note_guid)
    first: FirstNote | None = None  # None: Anki could not show it (note_from says why)

    def __init__(self, kind: str, key: str, ordinal: int, section: tuple[str, ...], cloze: bool,
                 fields: tuple[str, str, str, str], tags: tuple[str, ...], guid: str,
                 first: FirstNote | None = None) -> None:
        """What dataclass would write, written out: compiled, each `object.__setattr__`
        with a literal name is a plain store, where dataclass's own `__init__` runs as
        Python (one RenderedCard per card of a build)."""
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "ordinal", ordinal)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "cloze", cloze)
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "guid", guid)
        object.__setattr__(self, "first", first)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


def render_card(card: Card, render: FieldRenderer) -> RenderedCard:
    front = render.inline(card.front, marks=True)
    back = render.inline(card.back) if card.back.strip() else ""
    context = render.inline(card.context) if card.context.strip() else ""
    source = render.source(card.source_title or card.doc_id, card.source_url)
    fields = (front, back, context, source)
    cloze = card.is_cloze
    tags = note_tags(card)
    made = _finished(card.kind, card.key, cloze, fields, None)
    first = None
    if not isinstance(made, str):  # built here, not `replace`d in: one RenderedCard per card
        finished, numbers = made
        first = FirstNote(finished[0], numbers.items if numbers else (), numbers.next if numbers else 0,
                          ids.note_content_hash(cloze, finished, tags))
    return RenderedCard(card.kind, card.key, card.ordinal, card.section, cloze, fields, tags,
                        ids.note_guid(card.doc_id, card.kind, card.key, card.ordinal), first)


def note_from(
    card: RenderedCard, guid: str, deck: str, scope: str, previous: ids.ClozeNumbers | None = None
) -> tuple[NoteSpec | str, ids.ClozeNumbers | None]:
    """The note (or why Anki could not show it) and, for cloze, the numbering it used."""
    first = card.first
    if first is not None and (previous is None or previous.items == first.numbering):
        # what `_finished` makes: the same deletions keep the same numbers (every attribute
        # read once, the fields tuple built whole: this runs once per note of a deck)
        cloze = card.cloze
        numbers = ids.ClozeNumbers(first.numbering, max(first.next, previous.next if previous else 0)) if cloze else None
        _front, back, context, source = card.fields
        return NoteSpec(guid, cloze, (first.front, back, context, source), card.tags, deck, card.kind, scope,
                        first.content_hash), numbers
    made = _finished(card.kind, card.key, card.cloze, card.fields, previous)
    if isinstance(made, str):
        return made, None
    fields, numbers = made
    return NoteSpec(guid, card.cloze, fields, card.tags, deck, card.kind, scope), numbers


def _finished(kind: str, key: str, cloze: bool, fields: tuple[str, str, str, str], previous: ids.ClozeNumbers | None
              ) -> tuple[tuple[str, str, str, str], ids.ClozeNumbers | None] | str:
    """The note's final fields and cloze numbering, or why Anki could not show it. Takes
    a card's parts, so `render_card` needs no RenderedCard first."""
    front, back, context, source = fields
    numbers = None
    if cloze:
        front, numbers = ids.stable_cloze_numbers(front, previous)
        front = finish_cloze(front)
        if not any(m.group(2).strip() for m in ANKI_DELETION.finditer(front)):
            return f"{kind} card {key!r} has no cloze deletion after rendering; skipped"
    else:
        front = finish_cloze(front)
        if not front.strip() or not back.strip():
            side = "question" if not front.strip() else "answer"
            return f"{kind} card {key!r} has an empty {side} after rendering; skipped"
    return (front, back, context, source), numbers
