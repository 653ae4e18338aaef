"""What the rebuild's faster paths read and write: files not read again while their
metadata is unchanged, cached heads (sealed marshal, not JSON) and decks whose indexes
are made after their rows, with the same contents as before."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from dataclasses import asdict
from pathlib import Path

import pytest
from genanki.apkg_schema import APKG_SCHEMA

from quizgen import card_blob, compute
from quizgen.bench.synth import write_corpus
from quizgen.cache import CACHE_DIR, CACHE_FILE, WorkCache
from quizgen.pipeline import BuildOptions, build
from quizgen.work import DocHead, head_blob, head_from_blob

from test_build_parallel_cache import all_decks

NOW = 1_750_000_000
HEAD = DocHead("d1", "Title", "Subject", "subject", "/x/d1.md", None, "c0ffee")
KINDS = ("gist", "list", "cloze")


def test_head_blob__round_trips() -> None:
    assert head_from_blob(head_blob(HEAD, KINDS)) == (HEAD, KINDS)
    with_url = DocHead("d2", "T", "S", "s", "/x/d2.md", "https://e.org/d2", "beef")
    assert head_from_blob(head_blob(with_url, ())) == (with_url, ())


def test_head_from_blob__damaged_older_or_other_values_are_misses() -> None:
    blob = head_blob(HEAD, KINDS)
    for at in (0, len(blob) // 2, len(blob) - 1):
        damaged = bytearray(blob)
        damaged[at] ^= 0x01
        assert head_from_blob(bytes(damaged)) is None
    older = json.dumps([asdict(HEAD), list(KINDS)])  # WORK_FORMAT 5 stored JSON text
    assert head_from_blob(older) is None and head_from_blob(older.encode("utf-8")) is None
    assert head_from_blob(None) is None and head_from_blob(b"") is None
    for shape in ((tuple(asdict(HEAD).values())[:-1], KINDS), (tuple(asdict(HEAD).values()), list(KINDS)),
                  ("abcdefg", KINDS), 7, [1, 2, 3]):
        assert head_from_blob(card_blob.seal(shape)) is None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rebuild-corpus")
    write_corpus(folder, 10, seed=11)
    return folder


@pytest.fixture
def docs(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(corpus, folder)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents read, in order, with no wait for their timestamps to age (RACY_NS)."""
    monkeypatch.setattr(compute, "RACY_NS", 0)
    read: list[str] = []
    real = Path.read_bytes

    def reading(self: Path) -> bytes:
        if self.suffix == ".md":
            read.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", reading)
    return read


def test_rebuild__reads_only_the_files_changed_since_they_were_read(docs: Path, tmp_path: Path,
                                                                    reads: list[str]) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    assert len(reads) == 10
    shutil.copytree(out, fresh)  # the same state, to build again without the cache
    edited, same_size = sorted(docs.glob("*.md"))[2:4]
    edited.write_text(edited.read_text() + "\nOne more line.\n")
    before = same_size.stat()
    text = same_size.read_text()
    same_size.write_text(text.replace("a", "e", 1))  # same size, and its mtime set back: its ctime moved
    os.utime(same_size, ns=(before.st_atime_ns, before.st_mtime_ns))
    reads.clear()
    build([docs], BuildOptions(out_dir=out, now=NOW + 100, workers=1))
    assert sorted(reads) == sorted([edited.name, same_size.name])
    build([docs], BuildOptions(out_dir=fresh, now=NOW + 100, workers=1, cache=False))
    assert all_decks(out) == all_decks(fresh)


def test_rebuild__a_file_changed_just_before_a_build_is_read_again(docs: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Its timestamps may not show a second change made within their granularity: no
    metadata is kept for it, so the next build reads it (and keeps it then)."""
    out = tmp_path / "out"
    build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:
        assert db.execute("SELECT count(*), count(seen) FROM work").fetchone() == (10, 0)
    monkeypatch.setattr(compute, "RACY_NS", 0)  # as if they had aged
    build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:
        assert db.execute("SELECT count(*), count(seen) FROM work").fetchone() == (10, 10)  # read again, kept


def test_rebuild__a_cache_of_the_earlier_layout_is_started_again(docs: Path, tmp_path: Path, reads: list[str]) -> None:
    out = tmp_path / "out"
    (out / CACHE_DIR).mkdir(parents=True)
    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:
        db.execute("CREATE TABLE work (path TEXT PRIMARY KEY, key TEXT, head BLOB, cards BLOB)")
    build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    reads.clear()
    build([docs], BuildOptions(out_dir=out, now=NOW, workers=1))
    assert reads == []


def test_build__a_damaged_head_is_computed_again(docs: Path, tmp_path: Path, reads: list[str]) -> None:
    """...its file read again, though unchanged."""
    corpus = docs
    out = tmp_path / "out"
    first = build([corpus], BuildOptions(out_dir=out, now=NOW, workers=1))
    before = all_decks(out)
    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:
        path, blob = db.execute("SELECT path, head FROM work ORDER BY path LIMIT 1").fetchone()
        db.execute("UPDATE work SET head = ? WHERE path = ?", (blob[:-1] + bytes([blob[-1] ^ 0xFF]), path))
        keys = dict(db.execute("SELECT path, key FROM work").fetchall())
    cache = WorkCache(out)
    try:
        assert set(cache.heads(keys)) == set(keys) - {path}  # the damaged one only is a miss
    finally:
        cache.close()
    reads.clear()
    again = build([corpus], BuildOptions(out_dir=out, now=NOW, workers=1))
    assert reads == [Path(path).name]
    assert again.problems == first.problems
    assert all_decks(out) == before


def test_write__a_deck_has_genanki_s_indexes(corpus: Path, tmp_path: Path) -> None:
    """Dropped while the rows go in, made again: the same definitions, and they index every row."""
    out = tmp_path / "out"
    build([corpus], BuildOptions(out_dir=out, now=NOW, workers=1))
    reference = sqlite3.connect(":memory:")
    reference.executescript(APKG_SCHEMA)
    expected = reference.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
                                 ).fetchall()
    for deck in sorted(out.glob("*.apkg")):
        database = tmp_path / (deck.stem + ".anki2")
        with zipfile.ZipFile(deck) as archive:
            database.write_bytes(archive.read("collection.anki2"))
        with sqlite3.connect(database) as db:
            indexes = db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            assert indexes.fetchall() == expected
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # every index holds every row
            assert db.execute("SELECT count(*) FROM cards INDEXED BY ix_cards_nid WHERE nid > 0").fetchone()[0] > 0
