"""Build state: what each note said last time and the modification time it was given.

Anki (26.9, verified) updates an existing note on import only when the package's note
`mod` is strictly newer than the collection's. genanki stamps every note with the write
time, which is wrong both ways: two builds in one second update nothing, and every
rebuild overwrites notes a student edited even when nothing changed. So each note keeps
its previous mod while its content hash is unchanged, and a changed or new note gets
`max(now, previous + 1)`: always newer than any earlier build of it.

It also remembers each cloze note's deletion numbers (ids.stable_cloze_numbers), so a
card keeps asking for the item whose review history it holds.

Stored next to the decks as `.quizgen-state.json`, written atomically. Entries are never
dropped (a note that comes back must still move forward in time); a lost or corrupt file
only costs one round of "everything looks changed".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .files import write_text_atomic
from .ids import ClozeNumbers

STATE_FILE = ".quizgen-state.json"
STATE_VERSION = 1


class Stamp(NamedTuple):
    """A tuple, not a dataclass: a state holds one per note ever built (200,000+)."""

    hash: str
    mod: int
    scope: str = ""  # the document id space the note belongs to (for "no longer generated")


@dataclass(frozen=True)
class Stamped:
    mod: int
    status: str  # "new", "changed", "unchanged"


@dataclass
class BuildState:
    """Mutable while one build runs; loaded once, saved once after every deck is written."""

    notes: dict[str, Stamp] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # document id -> path that owns its GUIDs
    clozes: dict[str, ClozeNumbers] = field(default_factory=dict)  # cloze note GUID -> its numbering
    decks: dict[str, dict] = field(default_factory=dict)  # deck file name -> its inputs digest and result

    def stamp(self, key: str, content: str, now: int, scope: str = "") -> Stamped:
        """The mod for `key` with this content hash, recorded for the next build."""
        old = self.notes.get(key)
        if old is not None and old.hash == content:
            if old.scope != scope:
                self.notes[key] = Stamp(old.hash, old.mod, scope)
            return Stamped(old.mod, "unchanged")
        mod = now if old is None else max(now, old.mod + 1)
        self.notes[key] = Stamp(content, mod, scope)
        return Stamped(mod, "new" if old is None else "changed")


def load_state(out_dir: Path) -> BuildState:
    """The previous build's state, or an empty one when absent or unreadable."""
    path = out_dir / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION:
            return BuildState()
        make = Stamp._make
        notes = {k: make(v) for k, v in data.get("notes", {}).items()}
        if any(type(s.mod) is not int or type(s.hash) is not str for s in notes.values()):
            return BuildState()
        owners = {str(k): str(v) for k, v in data.get("owners", {}).items()}
        clozes = {k: ClozeNumbers(tuple((str(key), int(n)) for key, n in v[1]), int(v[0]))
                  for k, v in data.get("clozes", {}).items()}
        decks = {str(k): v for k, v in data.get("decks", {}).items() if isinstance(v, dict)}
        return BuildState(notes, owners, clozes, decks)
    except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
        return BuildState()


def save_state(out_dir: Path, state: BuildState) -> Path:
    path = out_dir / STATE_FILE
    data = {
        "version": STATE_VERSION,
        "owners": dict(sorted(state.owners.items())),
        "notes": dict(sorted(state.notes.items())),  # a Stamp is a tuple: written as [hash, mod, scope]
        "clozes": {k: [v.next, [list(item) for item in v.items]] for k, v in sorted(state.clozes.items())},
        "decks": dict(sorted(state.decks.items())),
    }
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path
