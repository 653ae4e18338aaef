"""The build state on disk (export/state.py): a SQLite file that a save updates in place,
writing only the entries that changed, in one transaction; replaced whole when it is
missing, corrupt or not the one loaded; migrated from the JSON file of earlier versions.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen.export import ids
from quizgen.export import state as state_module
from quizgen.export.state import LEGACY_STATE_FILE, STATE_FILE, STATE_VERSION, BuildState, Stamp, load_state, save_state

ROOT = Path(__file__).resolve().parent.parent


def sample(notes: int = 50) -> BuildState:
    state = BuildState()
    for i in range(notes):
        state.stamp(f"g{i:05d}", f"{i:064x}", 1_750_000_000 + i, f"91{i % 7:04d}")
    state.stamp("model:1", "m" * 64, 1_700_000_000)  # no scope
    state.owners.update({"910000": "/x/a.md", "910001": "/x/ünï code.md"})
    state.clozes["g00001"] = ids.ClozeNumbers((("a", 1), ("c", 3)), 4)
    state.clozes["g00002"] = ids.ClozeNumbers((('quote " and \\ and ]', 2),), 3)
    state.clozes["g00003"] = ids.ClozeNumbers((), 1)
    state.decks["nursing.apkg"] = {"input": "abc", "result": {"notes": 3, "kinds": [["term", 3]]}, "retired": 0,
                                   "warnings": [["/x/a.md", "ünï"]]}
    return state


def tamper(out: Path, sql: str, *args: object) -> None:
    """Change the file behind the state's back (without changing which file it is)."""
    connection = sqlite3.connect(out / STATE_FILE)
    with connection:
        connection.execute(sql, args)
    connection.close()


def listing(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


# ---------------------------------------------------------------- round trip


def test_state__round_trips_every_kind_of_entry(tmp_path: Path) -> None:
    state = sample()
    assert save_state(tmp_path, state) == tmp_path / STATE_FILE
    loaded = load_state(tmp_path)
    assert loaded == state
    assert type(loaded.notes["g00003"]) is Stamp and loaded.notes["model:1"] == Stamp("m" * 64, 1_700_000_000, "")
    numbers = loaded.clozes["g00001"]
    assert type(numbers) is ids.ClozeNumbers and numbers.items == (("a", 1), ("c", 3)) and type(numbers.items[0]) is tuple
    assert loaded.clozes["g00003"] == ids.ClozeNumbers((), 1)
    assert listing(tmp_path) == [STATE_FILE]  # no journal, -wal, -shm or temp file


def test_state__an_output_folder_name_that_means_something_in_a_uri(tmp_path: Path) -> None:
    out = tmp_path / "a b?mode=memory#c%41 ünï"  # the file is opened by URI (read-only): quoted
    out.mkdir()
    save_state(out, sample())
    state = load_state(out)
    assert state == sample()
    state.stamp("g00001", "changed", 1_800_000_000)
    save_state(out, state)
    assert load_state(out) == state
    assert listing(out) == [STATE_FILE] and listing(tmp_path) == [out.name]


def test_state__an_empty_state_round_trips(tmp_path: Path) -> None:
    save_state(tmp_path, BuildState())
    assert load_state(tmp_path) == BuildState()


def test_state__a_missing_file_is_an_empty_state(tmp_path: Path) -> None:
    assert load_state(tmp_path) == BuildState()
    assert listing(tmp_path) == []  # loading creates nothing


def test_state__loading_does_not_touch_the_file(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    path = tmp_path / STATE_FILE
    before = path.read_bytes(), path.stat().st_mtime_ns
    load_state(tmp_path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert listing(tmp_path) == [STATE_FILE]


def test_state__saving_what_was_loaded_unchanged_writes_nothing(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    path = tmp_path / STATE_FILE
    before = path.read_bytes(), path.stat().st_mtime_ns
    state = load_state(tmp_path)
    state.stamp("g00004", f"{4:064x}", 1_800_000_000, "910004")  # same hash and scope: unchanged
    state.owners["910000"] = "/x/" + "a.md"  # an equal value, as resolve_ids sets every owner every build
    state.clozes["g00001"] = ids.ClozeNumbers((("a", 1), ("c", 3)), 4)
    state.decks["nursing.apkg"] = json.loads(json.dumps(state.decks["nursing.apkg"]))
    save_state(tmp_path, state)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# ---------------------------------------------------------------- only what changed


def test_state__a_save_writes_only_the_entries_that_changed(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    state = load_state(tmp_path)
    # Entries the build does not touch are not rewritten: change them in the file behind
    # the state's back, and the save leaves them as they are in the file.
    tamper(tmp_path, "UPDATE notes SET mod = 1 WHERE key IN ('g00010', 'g00011')")
    tamper(tmp_path, "UPDATE owners SET path = 'tampered' WHERE doc_id = '910000'")
    tamper(tmp_path, "UPDATE clozes SET next = 99 WHERE guid = 'g00002'")

    assert state.stamp("g00011", "new hash", 1_800_000_000, "910004").status == "changed"
    assert state.stamp("g00012", f"{12:064x}", 1_800_000_000, "other scope").status == "unchanged"  # scope moved
    assert state.stamp("fresh", "h", 1_800_000_000, "910009").status == "new"
    state.owners["910000"] = "/x/a.md"  # the value it was loaded with: not a change
    state.owners["910002"] = "/x/b.md"
    state.clozes["g00001"] = ids.ClozeNumbers((("a", 1), ("b", 4), ("c", 3)), 5)
    state.decks["nursing.apkg"]["retired"] = 2  # changed in place: deck entries are compared, not tracked
    state.decks["pharmacology.apkg"] = {"input": "x"}
    save_state(tmp_path, state)

    again = load_state(tmp_path)
    assert again.notes["g00010"].mod == 1  # untouched: not rewritten
    assert again.notes["g00011"] == Stamp("new hash", 1_800_000_000, "910004")
    assert again.notes["g00012"] == Stamp(f"{12:064x}", 1_750_000_012, "other scope")
    assert again.notes["fresh"] == Stamp("h", 1_800_000_000, "910009")
    assert again.owners == {"910000": "tampered", "910001": "/x/ünï code.md", "910002": "/x/b.md"}
    assert again.clozes["g00002"].next == 99
    assert again.clozes["g00001"] == ids.ClozeNumbers((("a", 1), ("b", 4), ("c", 3)), 5)
    assert again.decks["nursing.apkg"]["retired"] == 2 and again.decks["pharmacology.apkg"] == {"input": "x"}
    assert listing(tmp_path) == [STATE_FILE]


def test_state__saving_twice_writes_the_second_round_of_changes(tmp_path: Path) -> None:
    state = sample()
    save_state(tmp_path, state)  # a new state: written whole
    state.stamp("g00001", "second", 1_800_000_000)
    save_state(tmp_path, state)
    tamper(tmp_path, "UPDATE notes SET mod = 1 WHERE key = 'g00001'")
    state.stamp("g00002", "third", 1_800_000_000)
    save_state(tmp_path, state)  # only g00002 now: g00001 was saved already
    loaded = load_state(tmp_path)
    assert loaded.notes["g00001"].mod == 1 and loaded.notes["g00002"].hash == "third"


def test_state__a_removed_entry_is_removed_from_the_file(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    state = load_state(tmp_path)
    del state.notes["g00001"]
    state.owners.pop("910001")
    state.clozes.pop("g00002")
    del state.decks["nursing.apkg"]
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state


def test_state__a_file_replaced_since_the_load_is_written_whole(tmp_path: Path) -> None:
    """Two builds of one folder: the later save must not patch the other build's file."""
    save_state(tmp_path, sample())
    first = load_state(tmp_path)
    other = sample(notes=5)
    other.stamp("other", "h", 1)
    (tmp_path / STATE_FILE).unlink()
    save_state(tmp_path, other)  # a different file now
    first.stamp("g00001", "changed", 1_800_000_000)
    save_state(tmp_path, first)
    assert load_state(tmp_path) == first


def test_state__a_state_not_loaded_from_the_file_replaces_it(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    fresh = BuildState()
    fresh.stamp("only", "h", 5)
    save_state(tmp_path, fresh)
    assert load_state(tmp_path) == fresh


def test_state__a_wrongly_typed_value_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    before = (tmp_path / STATE_FILE).read_bytes()
    state = load_state(tmp_path)
    state.notes["bad"] = Stamp("h", "not a number", "s")  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        save_state(tmp_path, state)
    assert (tmp_path / STATE_FILE).read_bytes() == before


# ---------------------------------------------------------------- corrupt or foreign files


def foreign_schema(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute("INSERT INTO notes VALUES ('g', 'h')")
    connection.commit()
    connection.close()


def other_version(path: Path) -> None:
    save_state(path.parent, sample())
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE meta SET value = ? WHERE name = 'version'", (STATE_VERSION + 1,))
    connection.close()


def truncated(path: Path) -> None:
    save_state(path.parent, sample(notes=3000))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def bad_cloze_items(path: Path) -> None:
    save_state(path.parent, sample())
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("""UPDATE clozes SET items = '[["a",1]],[["b",2]]' WHERE guid = 'g00001'""")
    connection.close()


@pytest.mark.parametrize("corrupt", [
    lambda p: p.write_bytes(b""),
    lambda p: p.write_text("{not json", encoding="utf-8"),
    lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(4000)),
    foreign_schema, other_version, truncated, bad_cloze_items,
], ids=["empty", "text", "garbage-after-header", "foreign-schema", "other-version", "truncated", "bad-cloze-items"])
def test_state__an_unreadable_file_is_an_empty_state_and_the_next_save_replaces_it(tmp_path: Path, corrupt) -> None:
    path = tmp_path / STATE_FILE
    corrupt(path)
    assert load_state(tmp_path) == BuildState()
    state = load_state(tmp_path)
    state.stamp("g", "h", 7, "910001")
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state
    assert listing(tmp_path) == [STATE_FILE]


# ---------------------------------------------------------------- migration from JSON


def legacy_json(state: BuildState) -> str:
    """The file as version 1 (`.quizgen-state.json`) wrote it."""
    data = {
        "version": 1,
        "owners": dict(sorted(state.owners.items())),
        "notes": dict(sorted(state.notes.items())),
        "clozes": {k: [v.next, [list(item) for item in v.items]] for k, v in sorted(state.clozes.items())},
        "decks": dict(sorted(state.decks.items())),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_state__a_json_state_of_earlier_versions_is_loaded_then_replaced(tmp_path: Path) -> None:
    state = sample()
    (tmp_path / LEGACY_STATE_FILE).write_text(legacy_json(state), encoding="utf-8")
    loaded = load_state(tmp_path)
    assert loaded == state
    assert listing(tmp_path) == [LEGACY_STATE_FILE]  # loading converts nothing yet
    loaded.stamp("g00001", "changed", 1_800_000_000)
    save_state(tmp_path, loaded)
    assert listing(tmp_path) == [STATE_FILE]  # the database written, then the JSON file removed
    assert load_state(tmp_path) == loaded


def test_state__a_corrupt_json_state_is_empty_and_replaced(tmp_path: Path) -> None:
    (tmp_path / LEGACY_STATE_FILE).write_text('{"version": 1, "notes": {"g": ["h", "7"]}}', encoding="utf-8")
    assert load_state(tmp_path) == BuildState()  # a mod that is not a number: as version 1 did
    save_state(tmp_path, BuildState())
    assert listing(tmp_path) == [STATE_FILE]


def test_state__the_database_wins_over_a_leftover_json_state(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    (tmp_path / LEGACY_STATE_FILE).write_text(legacy_json(sample(notes=2)), encoding="utf-8")
    assert load_state(tmp_path) == sample()


# ---------------------------------------------------------------- a save that fails half way

# Runs in a child process (or here): makes every state connection spill pages to the
# file early and then fail (or the process die) as soon as a transaction has written
# into the database file itself, so the previous state is partly overwritten.
FAIL_MID_SAVE = textwrap.dedent("""
    import os, sqlite3
    def fail_mid_save(path, die):
        real, before = sqlite3.connect, path.read_bytes()
        def connect(*args, **kwargs):
            connection = real(*args, **kwargs)
            connection.execute("PRAGMA cache_size = 10")
            def check():
                if connection.in_transaction and path.read_bytes() != before:
                    if die:
                        os._exit(3)
                    return 1  # interrupts the statement: sqlite3.OperationalError
                return 0
            connection.set_progress_handler(check, 500)
            return connection
        sqlite3.connect = connect
        return real
""")


def changed_a_lot(state: BuildState) -> None:
    for i in range(0, 3000, 2):
        state.stamp(f"g{i:05d}", "changed", 1_800_000_000)
    state.owners["910000"] = "/y/moved.md"


def test_state__a_save_that_fails_half_way_leaves_the_previous_state(tmp_path: Path) -> None:
    save_state(tmp_path, sample(notes=3000))
    path = tmp_path / STATE_FILE
    before = path.read_bytes()
    state = load_state(tmp_path)
    changed_a_lot(state)
    scope: dict = {}
    exec(FAIL_MID_SAVE, scope)
    real = scope["fail_mid_save"](path, False)
    try:
        with pytest.raises(OSError, match="cannot save the build state: interrupted"):
            save_state(tmp_path, state)
    finally:
        sqlite3.connect = real
    assert path.read_bytes() == before  # rolled back
    assert listing(tmp_path) == [STATE_FILE]
    assert load_state(tmp_path) == sample(notes=3000)
    save_state(tmp_path, state)  # the changes are still pending: the next save writes them
    assert load_state(tmp_path) == state


def test_state__a_crash_half_way_through_a_save_leaves_the_previous_state(tmp_path: Path) -> None:
    save_state(tmp_path, sample(notes=3000))
    path = tmp_path / STATE_FILE
    before = path.read_bytes()
    child = FAIL_MID_SAVE + textwrap.dedent(f"""
        from pathlib import Path
        from quizgen.export.state import load_state, save_state
        import test_state_store
        out = Path({str(tmp_path)!r})
        state = load_state(out)
        test_state_store.changed_a_lot(state)
        fail_mid_save(out / {STATE_FILE!r}, True)
        save_state(out, state)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    result = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr  # died mid-save
    assert path.read_bytes() != before  # the previous state partly overwritten...
    assert listing(tmp_path) == [STATE_FILE, STATE_FILE + "-journal"]  # ...and its pages in the journal
    assert load_state(tmp_path) == sample(notes=3000)  # put back
    assert listing(tmp_path) == [STATE_FILE]
    state = load_state(tmp_path)
    changed_a_lot(state)
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state


# ---------------------------------------------------------------- loading only some scopes


def test_only_scopes__notes_and_clozes_come_when_their_scope_is_asked_for(tmp_path: Path) -> None:
    full = sample()
    save_state(tmp_path, full)
    state = load_state(tmp_path, only_scopes=True)
    assert dict(state.notes) == {"model:1": full.notes["model:1"]} and dict(state.clozes) == {}
    assert (state.owners, state.decks) == (full.owners, full.decks)
    state.load_scopes(["910001", "910002"])
    assert dict(state.notes) == {k: v for k, v in full.notes.items() if v.scope in ("", "910001", "910002")}
    assert dict(state.clozes) == {k: v for k, v in full.clozes.items() if full.notes[k].scope in ("910001", "910002")}
    state.load_scopes(s.scope for s in full.notes.values())
    assert state == full and not state.notes.changed and not state.clozes.changed  # read, not changed


def test_only_scopes__a_save_writes_what_changed_and_keeps_what_was_never_read(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    before = (tmp_path / STATE_FILE).read_bytes()
    state = load_state(tmp_path, only_scopes=True)
    state.load_scopes(["910001"])
    save_state(tmp_path, state)
    assert (tmp_path / STATE_FILE).read_bytes() == before  # nothing changed: nothing written
    state.stamp("g00001", "edited", 1_800_000_000, "910001")
    save_state(tmp_path, state)
    expected = sample()
    expected.stamp("g00001", "edited", 1_800_000_000, "910001")
    assert load_state(tmp_path) == expected


def test_only_scopes__a_whole_new_file_still_holds_every_entry(tmp_path: Path) -> None:
    """When the in-place save cannot run (here: another process holds the write lock),
    the whole-file save first reads the scopes that were never asked for."""
    save_state(tmp_path, sample())
    state = load_state(tmp_path, only_scopes=True)
    state.load_scopes(["910003"])
    state.stamp("g00003", "edited", 1_800_000_000, "910003")
    other = sqlite3.connect(tmp_path / STATE_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        save_state(tmp_path, state)
    finally:
        other.execute("ROLLBACK")
        other.close()
    expected = sample()
    expected.stamp("g00003", "edited", 1_800_000_000, "910003")
    assert load_state(tmp_path) == expected


def test_only_scopes__a_file_replaced_meanwhile_counts_as_lost_not_mixed(tmp_path: Path) -> None:
    save_state(tmp_path, sample())
    state = load_state(tmp_path, only_scopes=True)
    (tmp_path / STATE_FILE).unlink()
    save_state(tmp_path, BuildState())  # another file now, with another token
    state.load_scopes(["910001"])
    assert dict(state.notes) == {"model:1": sample().notes["model:1"]}  # nothing read from a stranger


@given(st.lists(st.tuples(st.text(), st.integers(min_value=0, max_value=10**6)), max_size=6))
def test_items_json__is_the_json_encoders_text(items: list[tuple[str, int]]) -> None:
    """The cloze numbering is written by hand for speed; it must be what json writes."""
    assert state_module._items_json(tuple(items)) == state_module._json(tuple(items))
