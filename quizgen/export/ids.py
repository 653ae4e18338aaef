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
from typing import Any, Final, Protocol, Sequence

from genanki.util import BASE91_TABLE

from ..model import CLOZE_MARK, by_fields, cloze

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
    if qualifiers:
        return guid_for(GUID_NAMESPACE, scope, kind, key, ordinal, *qualifiers)
    # what guid_for joins, written out: every card of a build asks for one
    return _guid_of(f"{GUID_NAMESPACE}__{scope}__{kind}__{key}__{ordinal}")


_BASE91: Final = "".join(BASE91_TABLE)
_BASE91_PAIRS: Final = tuple(high + low for high in _BASE91 for low in _BASE91)  # [h * 91 + l]: two digits
_PAIR: Final = 91 * 91
_BIG: Final = 1 << 62  # mypyc keeps smaller ints as machine words: a 64-bit hash is not one


def guid_for(*values: object) -> str:
    """genanki.guid_for, character for character (GUIDs are forever), a third of the time:
    the first 8 bytes of SHA-256 of the values joined by "__", in Anki's base 91."""
    return _guid_of("__".join(map(str, values)))


def _guid_of(joined: str) -> str:
    """The first 8 bytes of SHA-256 in base 91, most significant digit first and without
    leading zeros, as genanki writes it."""
    return _base91(int.from_bytes(hashlib.sha256(joined.encode("utf-8")).digest()[:8], "big"))


def _base91(number: int) -> str:
    """genanki's base 91 of a 64-bit number, two digits at a time."""
    out = ""
    if number >= _BIG:  # one step in arbitrary-precision ints; compiled, the rest are machine words
        out = _BASE91_PAIRS[number % _PAIR]
        number //= _PAIR
    while number >= _PAIR:
        out = _BASE91_PAIRS[number % _PAIR] + out
        number //= _PAIR
    if number >= 91:
        return _BASE91_PAIRS[number] + out
    return _BASE91[number] + out if number else out


def deck_id(name_key: str) -> int:
    """A stable deck id from a normalised name (a subject key, or subject key + document)."""
    digest = hashlib.sha256(("quizgen-deck:" + name_key).encode("utf-8")).digest()
    return _DECK_ID_MIN + int.from_bytes(digest[:8], "big") % _DECK_ID_SPAN


def content_hash(*parts: object) -> str:
    """Hash of what a note says (fields, tags, type): decides whether its mod moves."""
    said = "".join(repr(part) + "\x1f" for part in parts)  # one update: the same bytes as one per part
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:32]


def note_content_hash(cloze: bool, fields: tuple[str, str, str, str], tags: tuple[str, ...]) -> str:
    """`content_hash(cloze, fields, tags)`, the hash every note gets, written out."""
    front, back, context, source = fields  # repr(fields) written out: tuple repr is slow, str.format more so
    said = "".join([repr(cloze), "\x1f(", repr(front), ", ", repr(back), ", ", repr(context), ", ", repr(source),
                    ")\x1f", _tuple_repr(tags), "\x1f"])
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:32]


def _tuple_repr(values: tuple[str, ...]) -> str:
    """`repr(values)` for a tuple of strings, without tuple repr's recursion guard (a fifth
    less time, compiled)."""
    if len(values) == 1:
        return repr(values)  # "('x',)"
    return "(" + ", ".join([repr(value) for value in values]) + ")"


class Placed(Protocol):
    """Where a card comes from: what its GUID is made of (a Card, or a worker's rendered card)."""

    @property
    def kind(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def ordinal(self) -> int: ...
    @property
    def section(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class GuidClash:
    """Two cards with the same coordinates; `card` got a qualified GUID instead."""

    index: int  # position of the card in the list given to assign_guids
    card: Placed
    how: str  # "section" or "counter"


@dataclass(frozen=True)
class GuidAssignment:
    guids: tuple[str, ...]  # one per card, in order
    clashes: tuple[GuidClash, ...]


def assign_guids(cards: Sequence[Placed], scopes: Sequence[str],
                 known: Sequence[str | None] | None = None) -> GuidAssignment:
    """A distinct GUID per card; `scopes[i]` is the id space of card i's document.
    `known[i]`, when given, is card i's plain GUID already computed (by a worker)."""
    used: set[str] = set()
    guids: list[str] = []
    clashes: list[GuidClash] = []
    for index, (card, scope) in enumerate(zip(cards, scopes, strict=True)):
        guid = (known[index] if known else None) or note_guid(scope, card.kind, card.key, card.ordinal)
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



# ---------------------------------------------------------------- cloze numbers
# A cloze note's card N is "deletion N": its review history belongs to that number. If
# a list loses its 2nd item and the rest are renumbered 1, 2, the history of item 3
# moves to a card asking for something else. So a deletion keeps its number from the
# previous build (matched by its text, else by position when the item at that position
# was reworded), and a new deletion gets a number never used before in that note.



@dataclass(frozen=True)
class ClozeNumbers:
    """The numbering a cloze note got: (deletion text key, number) in order, and the next free number."""

    items: tuple[tuple[str, int], ...]
    next: int

    def __init__(self, items: tuple[tuple[str, int], ...], next: int) -> None:
        """What dataclass would write, written out (see notes.RenderedCard.__init__)."""
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "next", next)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


def _text_key(markdown: str) -> str:
    return " ".join(markdown.split()).casefold()


def stable_cloze_numbers(front: str, previous: ClozeNumbers | None) -> tuple[str, ClozeNumbers]:
    """`front` with its deletions renumbered to match `previous` (see above)."""
    current: dict[int, str] = {}  # generator's number -> text key, first occurrence, in order
    for number, text in CLOZE_MARK.findall(front):
        current.setdefault(int(number), _text_key(text))
    if previous is None:  # a first build: every deletion keeps the generator's number
        return front, ClozeNumbers(tuple((key, n) for n, key in current.items()), max([1, *(n + 1 for n in current)]))
    mapping = _match_numbers(list(current.items()), previous)
    next_free = max([previous.next, *(n + 1 for n in mapping.values())])
    if all(original == number for original, number in mapping.items()):
        renumbered = front  # a first build, or nothing moved: most notes
    else:
        renumbered = CLOZE_MARK.sub(lambda m: cloze(mapping[int(m.group(1))], m.group(2)), front)
    return renumbered, ClozeNumbers(tuple((key, mapping[n]) for n, key in current.items()), next_free)


def _match_numbers(current: list[tuple[int, str]], previous: ClozeNumbers) -> dict[int, int]:
    by_text: dict[str, list[int]] = {}  # a text deleted twice had two numbers: in order
    for key, number in previous.items:
        by_text.setdefault(key, []).append(number)
    keys_now = {key for _, key in current}
    mapping: dict[int, int] = {}
    used: set[int] = set()

    def keep(original: int, number: int) -> None:
        mapping[original] = number
        used.add(number)

    for original, key in current:  # 1. the same text keeps its number
        kept = next((n for n in by_text.get(key, ()) if n not in used), None)
        if kept is not None:
            keep(original, kept)
    for position, (original, _key) in enumerate(current):  # 2. a reworded item, same place
        if original in mapping or position >= len(previous.items):
            continue
        old_key, number = previous.items[position]
        if old_key not in keys_now and number not in used:
            keep(original, number)
    next_free = max([previous.next, *(n + 1 for n in used)])
    for original, _key in current:  # 3. anything else is new
        if original not in mapping:
            mapping[original], next_free = next_free, next_free + 1
    return mapping


# ---------------------------------------------------------------- lists that lost their key
# A list note is known by its first item (cards/keys.py). When that item is removed, the
# list would come back as a new note and its history stay behind on the old one. So a
# list whose GUID is new adopts the GUID of a list note of the same document that this
# build no longer makes and that held at least half of the same items.

def deletion_keys(front: str) -> set[str]:
    return {_text_key(m.group(2)) for m in CLOZE_MARK.finditer(front)}


def adopt_list_guid(front: str, scope: str, candidates: dict[str, tuple[str, ClozeNumbers]]) -> str | None:
    """`candidates`: GUID -> (scope, numbering) of cloze notes no longer generated."""
    keys = deletion_keys(front)
    best, best_shared = None, 1
    for guid, (owner, numbers) in sorted(candidates.items()):
        if owner != scope:
            continue
        old = {key for key, _ in numbers.items}
        shared = len(keys & old)
        if shared > best_shared and shared * 2 >= len(old):
            best, best_shared = guid, shared
    return best
