"""The deck writers' and the state save's fast paths give exactly what the plain ones give."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from quizgen.cache import WorkCache
from quizgen.card_blob import pack
from quizgen.export.notes import RenderedCard
from quizgen.export.state import BuildState, Stamp, Tracked
from quizgen.work import DocHead, Encoded


def _entries(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(key, content hash, scope), some keys repeated, some hashes and scopes changing."""
    keys = [f"g{i:03d}" for i in range(count // 2)]
    return [(rng.choice(keys), rng.choice(["h1", "h2", "h3"]), rng.choice(["", "d1", "d2"])) for _ in range(count)]


def _previous(rng: random.Random) -> BuildState:
    notes = Tracked({f"g{i:03d}": Stamp(rng.choice(["h1", "h2"]), rng.randrange(90, 110), rng.choice(["", "d1"]))
                     for i in range(0, 60, 2)})
    return BuildState(notes)


def test_stamp_many_is_one_stamp_per_entry() -> None:
    rng = random.Random(7)
    for _round in range(50):
        entries = _entries(rng, 80)
        seed = rng.random()
        plain, fast = _previous(random.Random(seed)), _previous(random.Random(seed))
        now = rng.choice([95, 100, 120])
        stamped = [plain.stamp(key, content, now, scope) for key, content, scope in entries]
        mods, status = fast.stamp_many(entries, now)
        assert mods == [s.mod for s in stamped]
        assert status == Counter(s.status for s in stamped)
        assert dict(status) == dict(Counter(s.status for s in stamped))  # no zero counts either
        assert dict(fast.notes) == dict(plain.notes)
        assert fast.notes.changed == plain.notes.changed  # type: ignore[attr-defined]


def test_tracked_update_marks_what_setting_one_by_one_marks() -> None:
    rng = random.Random(3)
    for _round in range(50):
        start = {f"k{i}": rng.randrange(3) for i in range(0, 20, 2)}
        other = {f"k{rng.randrange(30)}": rng.randrange(3) for _ in range(rng.randrange(12))}
        plain, fast = Tracked(start), Tracked(start)
        for key, value in other.items():
            plain[key] = value
        fast.update(other)
        assert dict(fast) == dict(plain) and fast.changed == plain.changed
    fast = Tracked({"a": 1})
    fast.update([("b", 2)], c=3)  # dict's other forms still work
    assert dict(fast) == {"a": 1, "b": 2, "c": 3} and fast.changed == {"b", "c"}


def _card(index: int) -> RenderedCard:
    return RenderedCard("definition", f"k{index}", 1, ("s",), False, (f"front {index}", "back", "", "src"),
                        ("t",), f"guid{index}")


def test_cache_cards_reads_many_paths_at_once_as_one_at_a_time(tmp_path: Path) -> None:
    cache = WorkCache(tmp_path)
    paths = [f"doc{i:04d}.md" for i in range(1234)]
    stored = {path: (_card(i),) for i, path in enumerate(paths) if i % 7}
    head = DocHead("id", "t", "s", "s", "p", None, "c")
    cache.put_many((path, "key", Encoded(head, ("definition",), "[]", pack(cards))) for path, cards in stored.items())
    asked = list(reversed(paths)) + ["absent.md"]
    found = cache.cards(asked)
    assert found == {path: stored[path] for path in asked if path in stored}
    assert list(found) == [path for path in asked if path in stored]
    for path in asked[::97]:  # one path at a time: the same
        assert cache.cards([path]) == ({path: stored[path]} if path in stored else {})
    cache.close()


def _rows(out: Path) -> dict[str, list[tuple]]:
    import sqlite3
    from contextlib import closing

    from quizgen.export.state import STATE_FILE

    with closing(sqlite3.connect(out / STATE_FILE)) as connection:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("notes", "owners", "clozes", "decks")}


def test_a_first_parallel_build_saves_the_state_a_single_writer_saves(tmp_path: Path) -> None:
    """Several deck writers hand their stamps back to the main process: the state they
    save is the one a single writer saves."""
    from quizgen.export import jobs
    from quizgen.pipeline import BuildOptions, build

    from quizgen.bench.synth import write_corpus

    src = tmp_path / "src"
    write_corpus(src, 40)
    saved = {}
    for name, threshold in (("one", 10**9), ("several", 0)):
        old = jobs.PARALLEL_WRITE_NOTES
        jobs.PARALLEL_WRITE_NOTES = threshold
        try:
            build([src], BuildOptions(out_dir=tmp_path / name, workers=2, now=1_750_000_000, cache=False))
        finally:
            jobs.PARALLEL_WRITE_NOTES = old
        saved[name] = _rows(tmp_path / name)
        assert not [p for p in (tmp_path / name).iterdir() if p.name.startswith(".quizgen-tmp-")]
    assert saved["several"]["notes"] and saved["several"] == saved["one"]


def test_card_count_counts_the_numbers_anki_deletion_finds() -> None:
    from quizgen.export.anki import ANKI_DELETION, NoteSpec

    rng = random.Random(11)
    pieces = ["{{c1::a}}", "{{c2::b\nc}}", "{{c01::x}}", "{{c0::y}}", "{{c12::}}", "{{c3::", "}}", "text ", "{{c2::z}}",
              "{{c1::{{c4::n}}}}", "\n"]
    for _ in range(500):
        front = "".join(rng.choice(pieces) for _ in range(rng.randrange(8)))
        note = NoteSpec("g", True, (front, "", "", ""), (), "D", "cloze", "s")
        assert note.card_count == len({number for number, _text in ANKI_DELETION.findall(front)})
