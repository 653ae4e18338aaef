"""What each document put into its subject's deck, kept in the deck's state entry.

A rebuild after an edit changes a few documents of a deck of 34,000 notes. With these
records it replaces those documents' notes in the last package (export.anki.patch_package)
and reads the others' counts and warnings back, instead of making and writing every note
again. A patch is only made on the very package the last build wrote (its SHA-256), for
the same decks, note types and deck format (`frame`); anything else is written whole.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .export.anki import NoteSpec
from .model import Problem
from .work import DocRef

DocInputs = tuple[str, str, str]  # a document's content key, scope (id space) and deck name: its notes follow
PATCH_SHARE = 4  # patch when at most a quarter of a deck's documents changed or left; else write it whole


@dataclass(frozen=True)
class DocRecord:
    inputs: DocInputs
    notes: int
    anki_cards: int
    kinds: tuple[tuple[str, int], ...]
    warnings: tuple[str, ...]
    retired: int  # notes of earlier builds of the document no longer generated

    def to_json(self) -> list:
        return [list(self.inputs), self.notes, self.anki_cards, [list(k) for k in self.kinds], list(self.warnings),
                self.retired]

    @classmethod
    def from_json(cls, value: object) -> DocRecord | None:
        """None for anything but what `to_json` writes (a damaged state: no patch, a whole deck)."""
        parts: Any = value
        try:
            (key, scope, deck), notes, anki_cards, kinds, warnings, retired = parts
            pairs = tuple((kind, count) for kind, count in kinds)
        except (TypeError, ValueError):
            return None
        texts = (key, scope, deck, *(kind for kind, _ in pairs), *(warnings if isinstance(warnings, list) else [0]))
        numbers = (notes, anki_cards, retired, *(count for _, count in pairs))
        if not all(type(t) is str for t in texts) or not all(type(n) is int for n in numbers):
            return None
        return cls((key, scope, deck), notes, anki_cards, pairs, tuple(warnings), retired)


def doc_records(refs: Sequence[DocRef], inputs: dict[str, DocInputs], notes: Sequence[NoteSpec],
                problems: Sequence[Problem], retired: dict[str, int]) -> dict[str, DocRecord]:
    """path -> record for `refs`, from the notes and warnings made for them (in their order).
    `retired` is per scope."""
    path_of = {inputs[r.head.path][1]: r.head.path for r in refs}
    made: dict[str, list[NoteSpec]] = {r.head.path: [] for r in refs}
    for note in notes:
        made[path_of[note.scope]].append(note)
    warned: dict[str, list[str]] = {r.head.path: [] for r in refs}
    for problem in problems:
        warned[problem.path].append(problem.message)
    return {path: DocRecord(inputs[path], len(own), sum(n.card_count for n in own),
                            tuple(sorted(Counter(n.kind for n in own).items())), tuple(warned[path]),
                            retired.get(inputs[path][1], 0))
            for path, own in made.items()}


def deck_summary(records: dict[str, DocRecord], documents: int) -> dict:
    kinds: Counter[str] = Counter()
    for record in records.values():
        kinds.update(dict(record.kinds))
    return {"documents": documents, "notes": sum(r.notes for r in records.values()),
            "anki_cards": sum(r.anki_cards for r in records.values()), "kinds": sorted(kinds.items())}


def record_problems(records: dict[str, DocRecord]) -> list[Problem]:
    return [Problem(path, message, severity="warning") for path, record in records.items() for message in record.warnings]


@dataclass(frozen=True)
class DeckPatch:
    changed: tuple[DocRef, ...]  # documents whose notes are made again
    kept: dict[str, DocRecord]  # the others: their notes stay in the package as they are
    old_scopes: tuple[str, ...]  # id spaces whose notes leave the package: changed and removed documents, as last built


def plan_patch(saved: dict | None, target: Path, group: Sequence[DocRef], inputs: dict[str, DocInputs],
               frame: str) -> DeckPatch | None:
    """How to patch the last package into this build's, or None to write it whole."""
    if not isinstance(saved, dict) or saved.get("frame") != frame or not isinstance(saved.get("docs"), dict):
        return None
    parsed = {str(path): DocRecord.from_json(value) for path, value in saved["docs"].items()}
    records = {path: record for path, record in parsed.items() if record is not None}
    if len(records) != len(parsed):
        return None
    changed = tuple(r for r in group if (old := records.get(r.head.path)) is None or old.inputs != inputs[r.head.path])
    gone = {r.head.path for r in changed} | (records.keys() - {r.head.path for r in group})  # changed or removed
    if len(gone) > len(group) // PATCH_SHARE:
        return None
    if package_digest(target) != saved.get("package"):  # last: reads the file
        return None
    kept = {r.head.path: records[r.head.path] for r in group if r.head.path not in gone}
    old_scopes = tuple(records[path].inputs[1] for path in sorted(gone) if path in records)
    return DeckPatch(changed, kept, old_scopes)


def package_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
