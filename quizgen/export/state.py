"""Build state: what each note said last time and the modification time it was given.

Anki (26.9, verified) updates an existing note on import only when the package's note
`mod` is strictly newer than the collection's. genanki stamps every note with the write
time, which is wrong both ways: two builds in one second update nothing, and every
rebuild overwrites notes a student edited even when nothing changed. So each note keeps
its previous mod while its content hash is unchanged, and a changed or new note gets
`max(now, previous + 1)`: always newer than any earlier build of it.

It also remembers each cloze note's deletion numbers (ids.stable_cloze_numbers), so a
card keeps asking for the item whose review history it holds.

Stored next to the decks as `.quizgen-state.sqlite`, one row per entry. A rebuild after
editing one document changes a few dozen of 200,000+ notes, so a save writes only the
entries set since the load, in one transaction (rollback journal: a crash mid-save
leaves the previous state whole, and no -wal/-shm files next to the decks). The first
save, and any save over a file other than the one loaded (absent, corrupt, replaced),
writes a whole new file and swaps it in atomically. Entries are never dropped (a note
that comes back must still move forward in time); a lost or corrupt file only costs one
round of "everything looks changed". A `.quizgen-state.json` of earlier versions is read
when there is no database yet, and removed by the save that replaces it.
"""

from __future__ import annotations

import errno
import json
import operator
import secrets
import sqlite3
from collections import Counter
from contextlib import closing, suppress
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _json_string
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from .files import atomic_output
from .ids import ClozeNumbers

STATE_FILE = ".quizgen-state.sqlite"
STATE_VERSION = 2
LEGACY_STATE_FILE = ".quizgen-state.json"  # version 1: one JSON document, rewritten whole on every save
LEGACY_VERSION = 1

# Type checks run when a row is written (cheap), so a load can trust what it reads.
_TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID",
    "notes": "CREATE TABLE notes (key TEXT PRIMARY KEY, hash TEXT NOT NULL CHECK (typeof(hash) = 'text'),"
             " mod INTEGER NOT NULL CHECK (typeof(mod) = 'integer'), scope TEXT NOT NULL CHECK (typeof(scope) = 'text'))"
             " WITHOUT ROWID",
    "owners": "CREATE TABLE owners (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL CHECK (typeof(path) = 'text'))"
              " WITHOUT ROWID",
    # items: JSON [[deletion text key, number], ...]
    "clozes": "CREATE TABLE clozes (guid TEXT PRIMARY KEY, next INTEGER NOT NULL CHECK (typeof(next) = 'integer'),"
              " items TEXT NOT NULL CHECK (typeof(items) = 'text')) WITHOUT ROWID",
    "decks": "CREATE TABLE decks (name TEXT PRIMARY KEY, entry TEXT NOT NULL CHECK (typeof(entry) = 'text'))"
             " WITHOUT ROWID",  # entry: a JSON object
}
_SCHEMA = sorted(_TABLES.items())
_UPSERT = {
    "notes": "INSERT OR REPLACE INTO notes (key, hash, mod, scope) VALUES (?, ?, ?, ?)",
    "owners": "INSERT OR REPLACE INTO owners (doc_id, path) VALUES (?, ?)",
    "clozes": "INSERT OR REPLACE INTO clozes (guid, next, items) VALUES (?, ?, ?)",
    "decks": "INSERT OR REPLACE INTO decks (name, entry) VALUES (?, ?)",
}
_DELETE = {"notes": "DELETE FROM notes WHERE key = ?", "owners": "DELETE FROM owners WHERE doc_id = ?",
           "clozes": "DELETE FROM clozes WHERE guid = ?", "decks": "DELETE FROM decks WHERE name = ?"}
_ABSENT = object()


class Stamp(NamedTuple):
    """A tuple, not a dataclass: a state holds one per note ever built (200,000+)."""

    hash: str
    mod: int
    scope: str = ""  # the document id space the note belongs to (for "no longer generated")


@dataclass(frozen=True)
class Stamped:
    mod: int
    status: str  # "new", "changed", "unchanged"


class Tracked(dict):
    """A dict that remembers which keys were set to a new value or removed since its last save.

    Its values are immutable (Stamp, str, ClozeNumbers), so every change is an assignment:
    setting a key to an equal value (pipeline.resolve_ids sets every owner on every build)
    changes nothing and marks nothing. Loading fills it through dict's own methods.
    """

    __slots__ = ("changed",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changed: set = set()

    def __setitem__(self, key: Any, value: Any) -> None:
        old = dict.get(self, key, _ABSENT)
        if old is _ABSENT or old != value:  # `is` first: comparing with _ABSENT calls the value's __eq__
            dict.__setitem__(self, key, value)
            self.changed.add(key)

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, key)
        self.changed.add(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        other = args[0] if len(args) == 1 and not kwargs and type(args[0]) is dict else dict(*args, **kwargs)
        # What `self[key] = value` does for each key, in bulk: a deck's outcome brings
        # 10,000+ entries at a time (keys are distinct, so each is compared with its old value).
        get = dict.get
        new = {key: value for key, value in other.items()
               if (old := get(self, key, _ABSENT)) is _ABSENT or old != value}
        dict.update(self, new)
        self.changed.update(new)

    def __ior__(self, other: Any) -> Tracked:  # type: ignore[misc]  # dict's own returns a dict
        self.update(other)
        return self

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            self.changed.add(key)
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple:
        key, value = dict.popitem(self)
        self.changed.add(key)
        return key, value

    def clear(self) -> None:
        self.changed.update(self)
        dict.clear(self)


@dataclass
class BuildState:
    """Mutable while one build runs; loaded once, saved once after every deck is written."""

    notes: dict[str, Stamp] = field(default_factory=Tracked)
    owners: dict[str, str] = field(default_factory=Tracked)  # document id -> path that owns its GUIDs
    clozes: dict[str, ClozeNumbers] = field(default_factory=Tracked)  # cloze note GUID -> its numbering
    decks: dict[str, dict] = field(default_factory=dict)  # deck file name -> its inputs digest and result
    # The file these entries were loaded from or last saved to (its `token`), and each deck
    # entry as stored there: deck entries are mutable dicts, so they are compared, not tracked.
    _token: str | None = field(default=None, init=False, compare=False, repr=False)
    _stored_decks: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)
    # Loaded with `only_scopes`: the file holding the other scopes' notes, and the scopes read.
    _rest: Path | None = field(default=None, init=False, compare=False, repr=False)
    _scopes: set[str] = field(default_factory=set, init=False, compare=False, repr=False)

    def load_scopes(self, scopes: Iterable[str]) -> None:
        """Read the notes and cloze numbers of these id spaces (documents), when the state
        was loaded with `only_scopes`: a rebuild needs those of the decks it rewrites."""
        wanted = sorted(set(scopes) - self._scopes)
        if self._rest is None or not wanted:
            return
        self._scopes.update(wanted)
        try:
            found = _read_scopes(self._rest, self._token, wanted)
        except (sqlite3.Error, ValueError, TypeError):
            found = None
        if found is None:  # replaced or broken since the load: as if lost, "everything looks changed"
            self._rest = None
            return
        notes, clozes = found
        dict.update(self.notes, {k: v for k, v in notes.items() if k not in self.notes})  # not changes: as stored
        dict.update(self.clozes, {k: v for k, v in clozes.items() if k not in self.clozes})

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

    def stamp_many(self, entries: Iterable[tuple[str, str, str]], now: int) -> tuple[list[int], Counter[str]]:
        """`stamp` for each (key, content hash, scope) in order: their mods and how many are
        new, changed, unchanged. The same entries as one `stamp` per key, without a
        `Stamped` per note (a deck writer stamps every note of its deck)."""
        notes = self.notes
        get, make = notes.get, tuple.__new__
        fresh: dict[str, Stamp] = {}  # new keys, set together at the end
        mods: list[int] = []
        new = changed = unchanged = 0
        for key, content, scope in entries:
            old = fresh.get(key) or get(key)
            if old is None:
                fresh[key] = make(Stamp, (content, now, scope))
                mods.append(now)
                new += 1
            elif old.hash == content:
                if old.scope != scope:
                    self._set_stamp(fresh, key, make(Stamp, (old.hash, old.mod, scope)))
                mods.append(old.mod)
                unchanged += 1
            else:
                mod = max(now, old.mod + 1)
                self._set_stamp(fresh, key, make(Stamp, (content, mod, scope)))
                mods.append(mod)
                changed += 1
        notes.update(fresh)
        counts = {"new": new, "changed": changed, "unchanged": unchanged}
        return mods, Counter({status: count for status, count in counts.items() if count})

    def _set_stamp(self, fresh: dict[str, Stamp], key: str, stamp: Stamp) -> None:
        """A key stamped earlier in the same `stamp_many` stays with the new ones."""
        if key in fresh:
            fresh[key] = stamp
        else:
            self.notes[key] = stamp


# ---------------------------------------------------------------- loading


def load_state(out_dir: Path, *, only_scopes: bool = False) -> BuildState:
    """The previous build's state, or an empty one when absent or unreadable.

    With `only_scopes`, notes and cloze numbers stay in the file until
    `BuildState.load_scopes` asks for some documents' (all of them is 0.8 s at 200,000
    notes; a rebuild after one edit needs one deck's).
    """
    path = out_dir / STATE_FILE
    if not path.exists():
        return _load_legacy(out_dir / LEGACY_STATE_FILE)
    try:
        return _load(path, _mode(path), only_scopes)
    except (sqlite3.Error, ValueError, TypeError):
        return BuildState()


def _mode(path: Path) -> str:
    """Read-only, so a load never changes the file. But a save cut off by a crash leaves a
    journal of the pages it had overwritten, and only a writable connection may put them
    back (a read-only one refuses to read): then the load opens it for writing."""
    return "rw" if _journal(path).exists() else "ro"


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """mode "ro": cannot change the file; "rw": may, but never creates it."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True, isolation_level=None)


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _load(path: Path, mode: str, only_scopes: bool = False) -> BuildState:
    with closing(_connect(path, mode)) as connection:
        connection.execute("BEGIN")  # one snapshot for every table
        tables = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if tables.fetchall() != _SCHEMA:
            return BuildState()
        meta = dict(connection.execute("SELECT name, value FROM meta"))
        if meta.get("version") != STATE_VERSION or not isinstance(meta.get("token"), str):
            return BuildState()
        where = " WHERE n.scope = ''" if only_scopes else ""  # then only the note types' stamps
        notes = _notes_from(connection.execute(f"SELECT key, hash, mod, scope FROM notes n{where}"))
        owners = dict(connection.execute("SELECT doc_id, path FROM owners"))
        clozes = _clozes_from(connection.execute(
            f"SELECT guid, next, items FROM clozes JOIN notes n ON n.key = guid{where}" if only_scopes else
            "SELECT guid, next, items FROM clozes").fetchall())
        stored = dict(connection.execute("SELECT name, entry FROM decks"))
        decks = {name: json.loads(entry) for name, entry in stored.items()}
    if any(not isinstance(entry, dict) for entry in decks.values()):
        return BuildState()
    state = BuildState(Tracked(notes), Tracked(owners), Tracked(clozes), decks)
    state._token, state._stored_decks = meta["token"], stored
    if only_scopes:
        state._rest, state._scopes = path, {""}
    return state


def _notes_from(rows: Iterable[tuple]) -> dict[str, Stamp]:
    new = tuple.__new__  # Stamp(...) without its Python-level __new__ (200,000 calls)
    return {key: new(Stamp, (hash_, mod, scope)) for key, hash_, mod, scope in rows}


def _clozes_from(rows: list[tuple]) -> dict[str, ClozeNumbers]:
    items = json.loads("[" + ",".join([row[2] for row in rows]) + "]")  # one parse, not one per row
    if len(items) != len(rows):  # a row that was not one JSON value
        raise ValueError("a cloze row is not one JSON value")
    return {guid: ClozeNumbers(tuple(map(tuple, numbers)), next_) for (guid, next_, _), numbers in zip(rows, items)}


def _read_scopes(path: Path, token: str | None, scopes: list[str]
                 ) -> tuple[dict[str, Stamp], dict[str, ClozeNumbers]] | None:
    """The notes and cloze numbers of `scopes` in the file loaded as `token`; None if it is not that file."""
    with closing(_connect(path, _mode(path))) as connection:
        connection.execute("BEGIN")
        if connection.execute("SELECT value FROM meta WHERE name = 'token'").fetchone() != (token,):
            return None
        connection.execute("CREATE TEMP TABLE wanted (scope TEXT PRIMARY KEY) WITHOUT ROWID")
        connection.executemany("INSERT INTO wanted (scope) VALUES (?)", ((scope,) for scope in scopes))
        # One pass over the notes (a scan: nothing indexes scope), each with its cloze row
        # if it has one: a second scan, of the clozes, cost a third more.
        rows = connection.execute("SELECT key, hash, mod, n.scope, c.next, c.items FROM notes n"
                                  " JOIN wanted w ON w.scope = n.scope LEFT JOIN clozes c ON c.guid = n.key").fetchall()
        connection.execute("COMMIT")
    new = tuple.__new__
    notes = {key: new(Stamp, (hash_, mod, scope)) for key, hash_, mod, scope, _next, _items in rows}
    clozes = _clozes_from([(key, next_, items) for key, _h, _m, _s, next_, items in rows if next_ is not None])
    return notes, clozes


def _load_legacy(path: Path) -> BuildState:
    """A version 1 JSON state (as earlier versions wrote it), or an empty one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != LEGACY_VERSION:
            return BuildState()
        make = Stamp._make
        notes = {k: make(v) for k, v in data.get("notes", {}).items()}
        if any(type(s.mod) is not int or type(s.hash) is not str or type(s.scope) is not str for s in notes.values()):
            return BuildState()
        owners = {str(k): str(v) for k, v in data.get("owners", {}).items()}
        clozes = {k: ClozeNumbers(tuple((str(key), int(n)) for key, n in v[1]), int(v[0]))
                  for k, v in data.get("clozes", {}).items()}
        decks = {str(k): v for k, v in data.get("decks", {}).items() if isinstance(v, dict)}
        return BuildState(Tracked(notes), Tracked(owners), Tracked(clozes), decks)
    except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
        return BuildState()


# ---------------------------------------------------------------- saving


def save_state(out_dir: Path, state: BuildState) -> Path:
    """Write what changed since `state` was loaded (or everything), atomically.

    A failure leaves the previous state file as it was and raises OSError (sqlite's
    "disk full", "readonly database", ...); the state stays marked as unsaved.
    """
    path = out_dir / STATE_FILE
    decks = {name: _json(entry) for name, entry in state.decks.items()}
    try:
        if not _save_changes(path, state, decks):
            _load_the_rest(state)  # a whole new file must hold every entry, not only those read
            _save_all(path, state, decks)
            state._rest = None
    except sqlite3.OperationalError as error:
        raise OSError(errno.EIO, f"cannot save the build state: {error}", str(path)) from error
    for entries in (state.notes, state.owners, state.clozes):
        if isinstance(entries, Tracked):
            entries.changed.clear()
    state._stored_decks = decks
    with suppress(OSError):  # superseded (the database is read first); a leftover is harmless
        (out_dir / LEGACY_STATE_FILE).unlink(missing_ok=True)
    return path


def _load_the_rest(state: BuildState) -> None:
    """Every scope still in the file a state was loaded from with `only_scopes`."""
    if state._rest is None:
        return
    try:
        with closing(_connect(state._rest, _mode(state._rest))) as connection:
            scopes = [scope for (scope,) in connection.execute("SELECT DISTINCT scope FROM notes")]
    except sqlite3.Error:
        return  # gone or broken: what was not read is lost, as with a lost state file
    state.load_scopes(scopes)


def _save_changes(path: Path, state: BuildState, decks: dict[str, str]) -> bool:
    """Only the changed entries, into the file `state` came from; False when that file is not there."""
    entries = (state.notes, state.owners, state.clozes)
    if state._token is None or not all(type(e) is Tracked for e in entries) or not path.is_file():
        return False
    deck_names = {name for name, text in decks.items() if state._stored_decks.get(name) != text}
    deck_names.update(name for name in state._stored_decks if name not in decks)
    try:
        connection = _connect(path, "rw")
    except sqlite3.Error:
        return False
    with closing(connection):  # closing without COMMIT rolls back: the file keeps its previous state
        try:
            connection.execute("BEGIN IMMEDIATE")  # the write lock, before checking what is there
            token = connection.execute("SELECT value FROM meta WHERE name = 'token'").fetchone()
        except sqlite3.DatabaseError:  # not a database, wrong schema, locked: write a whole new file
            return False
        if token != (state._token,):
            return False
        changed = {"notes": state.notes.changed, "owners": state.owners.changed,  # type: ignore[attr-defined]
                   "clozes": state.clozes.changed, "decks": deck_names}  # type: ignore[attr-defined]
        if any(changed.values()):
            _write(connection, state, decks, changed)
        connection.execute("COMMIT")
    return True


def _save_all(path: Path, state: BuildState, decks: dict[str, str]) -> None:
    """A whole new file, built next to `path` and swapped in."""
    # A journal left by a save cut off on the file being replaced would be played back
    # onto the new one: remove it first (the old file is about to go anyway).
    _journal(path).unlink(missing_ok=True)
    token = secrets.token_hex(16)
    with atomic_output(path) as scratch:
        with closing(sqlite3.connect(scratch / "out", isolation_level=None)) as connection:
            connection.execute("PRAGMA journal_mode = OFF")  # a scratch file: the rename is what is atomic
            connection.execute("PRAGMA synchronous = OFF")  # atomic_output syncs the file before the rename
            connection.execute("BEGIN")
            for _name, sql in _SCHEMA:
                connection.execute(sql)
            connection.executemany("INSERT INTO meta (name, value) VALUES (?, ?)",
                                   [("version", STATE_VERSION), ("token", token)])
            _write(connection, state, decks, None)
            connection.execute("COMMIT")
    state._token = token


def _write(connection: sqlite3.Connection, state: BuildState, decks: dict[str, str],
           changed: dict[str, set] | None) -> None:
    """Upsert the entries named in `changed` (all of them when None), delete those no longer there."""
    notes, owners, clozes = state.notes, state.owners, state.clozes
    if changed is None:  # in key order (the tables' order: fast inserts); keys sort 6x faster than (key, value) pairs
        keys = sorted(notes)  # rows (key, hash, mod, scope) made in C: (key,) + its Stamp
        connection.executemany(_UPSERT["notes"], map(operator.add, zip(keys), map(notes.__getitem__, keys)))
        connection.executemany(_UPSERT["owners"], ((key, owners[key]) for key in sorted(owners)))
        connection.executemany(_UPSERT["clozes"], ((guid, clozes[guid].next, _items_json(clozes[guid].items))
                                                    for guid in sorted(clozes)))
        connection.executemany(_UPSERT["decks"], sorted(decks.items()))
        return
    connection.executemany(_UPSERT["notes"], ((key, *notes[key]) for key in _present(changed["notes"], notes)))
    connection.executemany(_UPSERT["owners"], ((key, owners[key]) for key in _present(changed["owners"], owners)))
    connection.executemany(_UPSERT["clozes"], ((guid, clozes[guid].next, _items_json(clozes[guid].items))
                                                for guid in _present(changed["clozes"], clozes)))
    connection.executemany(_UPSERT["decks"], ((name, decks[name]) for name in _present(changed["decks"], decks)))
    for table, entries in (("notes", notes), ("owners", owners), ("clozes", clozes), ("decks", decks)):
        connection.executemany(_DELETE[table], ((key,) for key in changed[table] if key not in entries))


def _present(keys: Iterable[str], entries: dict) -> list[str]:
    return sorted(key for key in keys if key in entries)


# One encoder: json.dumps with options makes a new one per call.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _items_json(items: tuple[tuple[str, int], ...]) -> str:
    """`_json(items)`, character for character, in two thirds of the time: 77,000 cloze
    notes on a first save, each a short list of (text key, number)."""
    return "[" + ",".join(["[" + _json_string(key) + "," + int.__repr__(number) + "]" for key, number in items]) + "]"
