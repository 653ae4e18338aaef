"""The fast paths give the same decks as the plain one: a process pool, the per-document
cache and skipping unchanged decks change how long a build takes, never what it writes."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizgen.bench.synth import write_corpus
from quizgen.cache import CACHE_DIR, CACHE_FILE
from quizgen.compute import POOL_THRESHOLD
from quizgen.export import jobs
from quizgen.export.state import load_state
from quizgen import pipeline
from quizgen.pipeline import BuildOptions, build

NOW = 1_750_000_000


def deck_rows(path: Path) -> list[tuple]:
    """Every note in a package as (guid, mod, fields, tags), read from its collection."""
    with zipfile.ZipFile(path) as archive, archive.open("collection.anki2") as raw:
        data = raw.read()
    scratch = path.with_suffix(".anki2")
    scratch.write_bytes(data)
    try:
        with sqlite3.connect(scratch) as db:
            return sorted(db.execute("SELECT guid, mod, flds, tags FROM notes").fetchall())
    finally:
        scratch.unlink()


def all_decks(out: Path) -> dict[str, list[tuple]]:
    return {p.name: deck_rows(p) for p in sorted(out.glob("*.apkg"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    write_corpus(folder, POOL_THRESHOLD + 40, seed=3)
    return folder


def test_pool_and_cache__same_notes_guids_fields_as_serial_without_cache(corpus: Path, tmp_path: Path) -> None:
    serial = build([corpus], BuildOptions(out_dir=tmp_path / "serial", now=NOW, workers=1, cache=False))
    pooled = build([corpus], BuildOptions(out_dir=tmp_path / "pooled", now=NOW, workers=2, cache=True))
    cached = build([corpus], BuildOptions(out_dir=tmp_path / "pooled", now=NOW, workers=2, cache=True))
    assert serial.problems == pooled.problems == cached.problems == ()
    expected = all_decks(tmp_path / "serial")
    assert len(expected) >= 3 and sum(map(len, expected.values())) > 500
    assert all_decks(tmp_path / "pooled") == expected
    assert [d.notes for d in cached.decks] == [d.notes for d in serial.decks]
    assert (tmp_path / "pooled" / CACHE_DIR / CACHE_FILE).is_file()


def test_deck_writer_processes__same_decks_state_and_report_as_in_process(corpus: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each deck's notes are made, stamped and written in a writer process when the build
    is big; forced here, the decks, the saved state and the report must not change, on a
    first build and on a rebuild after an edit."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus.glob("*.md")):
        (docs / path.name).write_bytes(path.read_bytes())

    pids = tmp_path / "pids"
    make_notes = pipeline.make_notes

    def in_which_process(*args, **kwargs):  # type: ignore[no-untyped-def]
        with pids.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return make_notes(*args, **kwargs)

    def both(now: int) -> tuple:
        with monkeypatch.context() as patch:
            patch.setattr(jobs, "PARALLEL_WRITE_NOTES", 10**9)
            inline = build([docs], BuildOptions(out_dir=tmp_path / "inline", now=now, workers=2))
        with monkeypatch.context() as patch:
            patch.setattr(jobs, "PARALLEL_WRITE_NOTES", 0)
            patch.setattr(pipeline, "make_notes", in_which_process)  # looked up in the writer, not pickled
            forked = build([docs], BuildOptions(out_dir=tmp_path / "forked", now=now, workers=2))
        return inline, forked

    for now in (NOW, NOW + 5):
        inline, forked = both(now)
        assert all_decks(tmp_path / "forked") == all_decks(tmp_path / "inline")
        assert [dataclasses.replace(d, path=None) for d in forked.decks] == \
               [dataclasses.replace(d, path=None) for d in inline.decks]
        assert (forked.problems, forked.retired) == (inline.problems, inline.retired)
        a, b = load_state(tmp_path / "inline"), load_state(tmp_path / "forked")
        assert (dict(a.notes), dict(a.clozes), dict(a.decks)) == (dict(b.notes), dict(b.clozes), dict(b.decks))
        for edited in sorted(docs.glob("*.md"))[5:7]:  # two subjects: two decks to rewrite
            edited.write_text(edited.read_text(encoding="utf-8").replace("**: ", "**: Notably, ", 1), encoding="utf-8")
    assert sum(1 for d in forked.decks if d.changed) == 2  # the rebuild rewrote two decks
    assert {int(pid) for pid in pids.read_text().split()} - {os.getpid()}  # in writer processes


def test_rebuild__unchanged_decks_are_not_rewritten_and_an_edit_rewrites_one(corpus: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus.glob("*.md"))[:30]:
        (docs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    first = build([docs], BuildOptions(out_dir=out, now=NOW))
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.glob("*.apkg")}
    again = build([docs], BuildOptions(out_dir=out, now=NOW + 5))
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.glob("*.apkg")} == before
    assert [(d.notes, d.unchanged) for d in again.decks] == [(d.notes, d.notes) for d in first.decks]

    edited = sorted(docs.glob("*.md"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("question: >-\n    ", "question: >-\n    Edited: ", 1), encoding="utf-8")
    third = build([docs], BuildOptions(out_dir=out, now=NOW + 10))
    rewritten = {p.name for p in out.glob("*.apkg") if p.read_bytes() != before[p.name][1]}
    assert len(rewritten) == 1
    assert sum(d.changed for d in third.decks) >= 1

    fresh = build([docs], BuildOptions(out_dir=tmp_path / "fresh", now=NOW + 10, cache=False))
    for name in before:  # what the cache and the skips produced is what a clean build gives, mods aside
        strip = lambda rows: [(g, f, t) for g, _m, f, t in rows]  # noqa: E731
        assert strip(deck_rows(out / name)) == strip(deck_rows(tmp_path / "fresh" / name))
    assert fresh.problems == third.problems


def test_cache__a_corrupt_cache_is_rebuilt_not_fatal(corpus: Path, tmp_path: Path) -> None:
    docs = sorted(corpus.glob("*.md"))[:5]
    out = tmp_path / "out"
    build(docs, BuildOptions(out_dir=out, now=NOW))
    (out / CACHE_DIR / CACHE_FILE).write_bytes(b"not a database")
    report = build(docs, BuildOptions(out_dir=out, now=NOW))
    assert report.problems == () and report.decks
    assert set(load_state(out).decks) == {d.path.name for d in report.decks}


def test_list_note__keeps_its_guid_when_its_first_item_is_removed(tmp_path: Path) -> None:
    """The list cloze is known by its first item; losing that item must not orphan the
    note (and its review history): the new list adopts the old note's GUID."""
    seed = (Path(__file__).parent.parent / "content" / "900008.md").read_text(encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "900008.md").write_text(seed, encoding="utf-8")
    out = tmp_path / "out"
    build([docs], BuildOptions(out_dir=out, now=NOW))
    lists_before = {g: f for g, _m, f, t in deck_rows(out / "nursing.apkg") if "kind::list" in t}
    first_point = seed.index("1. **Hemostasis**")
    end = seed.index("\\n\\n2. ", first_point)
    (docs / "900008.md").write_text(seed[:first_point] + seed[end + 4 :], encoding="utf-8")
    build([docs], BuildOptions(out_dir=out, now=NOW))
    lists_after = {g: f for g, _m, f, t in deck_rows(out / "nursing.apkg") if "kind::list" in t}
    assert set(lists_after) == set(lists_before)
    changed = [g for g in lists_after if lists_after[g] != lists_before[g]]
    assert len(changed) == 1 and "Hemostasis" not in lists_after[changed[0]]
    assert "{{c2::" in lists_after[changed[0]] and "{{c1::" not in lists_after[changed[0]]  # items keep numbers


def test_rebuild__reading_only_the_rewritten_decks_state_changes_nothing(corpus: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A build reads the notes of the decks it rewrites only (only_scopes); the decks and
    the saved state must be what reading the whole state gives."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(corpus.glob("*.md"))[:40]:
        (docs / path.name).write_bytes(path.read_bytes())
    for out in ("lazy", "eager"):
        build([docs], BuildOptions(out_dir=tmp_path / out, now=NOW))
    edited = sorted(docs.glob("*.md"))[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("**: ", "**: Notably, ", 1), encoding="utf-8")
    lazy = build([docs], BuildOptions(out_dir=tmp_path / "lazy", now=NOW + 5))
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "load_state", lambda out, only_scopes=False: load_state(out))
        eager = build([docs], BuildOptions(out_dir=tmp_path / "eager", now=NOW + 5))
    assert sum(d.changed for d in lazy.decks) >= 1
    assert [dataclasses.replace(d, path=None) for d in lazy.decks] == [dataclasses.replace(d, path=None) for d in eager.decks]
    assert all_decks(tmp_path / "lazy") == all_decks(tmp_path / "eager")
    assert load_state(tmp_path / "lazy") == load_state(tmp_path / "eager")
