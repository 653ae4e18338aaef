"""Cards -> rendered cards -> Anki notes, in two steps so the costly one can be cached.

`render_card` depends only on the card (and the site url): it runs in worker processes
and its result is cached per document. `note_from` needs what only the whole build
knows (the GUID, the deck, the previous cloze numbering) and is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Card
from . import ids
from .anki import ANKI_DELETION, FieldRenderer, NoteSpec, note_tags
from .render import finish_cloze



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


def render_card(card: Card, render: FieldRenderer) -> RenderedCard:
    front = render.inline(card.front, marks=True)
    back = render.inline(card.back) if card.back.strip() else ""
    context = render.inline(card.context) if card.context.strip() else ""
    source = render.source(card.source_title or card.doc_id, card.source_url)
    return RenderedCard(card.kind, card.key, card.ordinal, card.section, card.is_cloze,
                        (front, back, context, source), note_tags(card),
                        ids.note_guid(card.doc_id, card.kind, card.key, card.ordinal))


def note_from(
    card: RenderedCard, guid: str, deck: str, scope: str, previous: ids.ClozeNumbers | None = None
) -> tuple[NoteSpec | str, ids.ClozeNumbers | None]:
    """The note (or why Anki could not show it) and, for cloze, the numbering it used."""
    front, back, context, source = card.fields
    numbers = None
    if card.cloze:
        front, numbers = ids.stable_cloze_numbers(front, previous)
        front = finish_cloze(front)
        if not any(m.group(2).strip() for m in ANKI_DELETION.finditer(front)):
            return f"{card.kind} card {card.key!r} has no cloze deletion after rendering; skipped", None
    else:
        front = finish_cloze(front)
        if not front.strip() or not back.strip():
            side = "question" if not front.strip() else "answer"
            return f"{card.kind} card {card.key!r} has an empty {side} after rendering; skipped", None
    return NoteSpec(guid, card.cloze, (front, back, context, source), card.tags, deck, card.kind, scope), numbers
