"""The deck writer's fast paths give what the plain code they replace gives."""

from __future__ import annotations

from collections import Counter

from quizgen.export import ids
from quizgen.export.anki import NoteSpec
from quizgen.export.state import BuildState, Stamp, Tracked
from quizgen.deck_records import deck_summary, doc_records
from quizgen.pipeline import deck_bookkeeping
from quizgen.work import DocHead, DocRef

_REF = DocRef(DocHead("d1", "Title", "Subject", "subject", "a.md", None, "digest"), "key", (), None)


def _fast(notes: list[NoteSpec], documents: int, state: BuildState) -> tuple[dict, dict, dict]:
    """make_deck's bookkeeping now: stamps and clozes by GUID, the summary from the document's record."""
    stamps, clozes = deck_bookkeeping([n.guid for n in notes], state)
    records = doc_records([_REF], {"a.md": ("key", "sc", "D")}, notes, [], {}) if notes else {}
    return deck_summary(records, documents), stamps, clozes


def _notes() -> list[NoteSpec]:
    notes = []
    for i in range(60):
        cloze = i % 3 == 0
        front = "{{c1::a}} {{c2::b}} {{c1::c}}" if cloze else f"q{i}"
        notes.append(NoteSpec(f"g{i % 50}", cloze, (front, "b", "", "s"), ("t",), "D",
                              ["cloze", "qa", "list"][i % 3], "sc"))
    return notes


def _plain(notes: list[NoteSpec], documents: int, state: BuildState) -> tuple[dict, dict, dict]:
    """make_deck's bookkeeping as it was: a set of GUIDs, a Counter, set.intersection."""
    summary = {"documents": documents, "notes": len(notes), "anki_cards": sum(n.card_count for n in notes),
               "kinds": sorted(Counter(n.kind for n in notes).items())}
    written = {n.guid for n in notes}
    return (summary, dict(zip(written, map(state.notes.__getitem__, written))),
            {g: state.clozes[g] for g in written.intersection(state.clozes)})


def test_deck_bookkeeping_matches_the_plain_passes() -> None:
    notes = _notes()  # repeated GUIDs too
    state = BuildState(Tracked({n.guid: Stamp(f"h{n.guid}", 7, "sc") for n in notes} | {"other": Stamp("x", 1, "sc")}),
                       Tracked(), Tracked({n.guid: ids.ClozeNumbers((("a", 1),), 2) for n in notes[::4]}
                                          | {"elsewhere": ids.ClozeNumbers((), 0)}), {})
    fast = _fast(notes, 3, state)
    plain = _plain(notes, 3, state)
    assert fast == plain
    assert list(fast[1]) == list(dict.fromkeys(n.guid for n in notes))  # note order
    assert fast[0]["anki_cards"] == sum(2 if n.cloze else 1 for n in notes)


def test_deck_bookkeeping_empty() -> None:
    assert _fast([], 0, BuildState()) == _plain([], 0, BuildState())
