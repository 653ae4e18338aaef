"""Identities Anki keeps forever: note GUIDs, deck ids, note type ids.

Anki matches an imported note to the one in a student's collection by GUID alone, and
keeps the review history on that note's cards. So a GUID says where a card comes from,
never what it says: fixing a typo must update the note, not add a second one.

A GUID is built from (document id, kind, key, ordinal). The section heading path is
*not* part of it: headings get reworded and the card keys are already unique inside a
document (a term, a fact, a list's first term; see quizgen/cards/keys.py), so a reworded
heading updates its cards in place. The section path is used only to tell apart two
cards that would otherwise share coordinates; a collision that survives even that gets a
counter and is reported, never silently merged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

from genanki import guid_for

from ..model import Card

# ---------------------------------------------------------------- never change these
# Students' collections hold notes of these types. A new id or a renamed/reordered field
# makes Anki create a second note type and every re-import a pile of duplicates.
# Templates and CSS (templates.py) may change freely; ids, names and fields may not.
QA_MODEL_ID = 1607392319
QA_MODEL_NAME = "quizgen Q&A"
QA_FIELDS = ("Front", "Back", "Context", "Source")
CLOZE_MODEL_ID = 1607392320
CLOZE_MODEL_NAME = "quizgen Cloze"
CLOZE_FIELDS = ("Text", "Extra", "Context", "Source")
GUID_NAMESPACE = "quizgen"
# ---------------------------------------------------------------- end of never change

# Deck ids live in JavaScript in Anki's UI: stay below 2**53.
_DECK_ID_MIN, _DECK_ID_SPAN = 1 << 40, (1 << 52) - (1 << 40)


def note_guid(scope: str, kind: str, key: str, ordinal: int, *qualifiers: str) -> str:
    """Where a card comes from, never what it says. `scope` is the document id."""
    return guid_for(GUID_NAMESPACE, scope, kind, key, ordinal, *qualifiers)


def deck_id(name_key: str) -> int:
    """A stable deck id from a normalised name (a subject key, or subject key + document)."""
    digest = hashlib.sha256(("quizgen-deck:" + name_key).encode("utf-8")).digest()
    return _DECK_ID_MIN + int.from_bytes(digest[:8], "big") % _DECK_ID_SPAN


def content_hash(*parts: object) -> str:
    """Hash of what a note says (fields, tags, type): decides whether its mod moves."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class GuidClash:
    """Two cards with the same coordinates; `card` got a qualified GUID instead."""

    index: int  # position of the card in the list given to assign_guids
    card: Card
    how: str  # "section" or "counter"


@dataclass(frozen=True)
class GuidAssignment:
    guids: tuple[str, ...]  # one per card, in order
    clashes: tuple[GuidClash, ...]


def assign_guids(cards: Sequence[Card], scopes: Sequence[str]) -> GuidAssignment:
    """A distinct GUID per card; `scopes[i]` is the id space of card i's document."""
    used: set[str] = set()
    guids: list[str] = []
    clashes: list[GuidClash] = []
    for index, (card, scope) in enumerate(zip(cards, scopes, strict=True)):
        guid = note_guid(scope, card.kind, card.key, card.ordinal)
        if guid in used:
            guid = note_guid(scope, card.kind, card.key, card.ordinal, "section", *card.section)
            how = "section"
            counter = 1
            while guid in used:
                guid = note_guid(scope, card.kind, card.key, card.ordinal, "section", *card.section, str(counter))
                how, counter = "counter", counter + 1
            clashes.append(GuidClash(index, card, how))
        used.add(guid)
        guids.append(guid)
    return GuidAssignment(tuple(guids), tuple(clashes))

