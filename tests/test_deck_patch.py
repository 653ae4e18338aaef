"""A rebuild that patches the last package (deck_records, anki.patch_package) writes decks
with the same notes and cards, the same state and the same report as one that writes
every deck whole; and Anki imports the patched package like any other."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest

from ankitools import fresh_collection, import_apkg, snapshot
from conftest import CONTENT
from quizgen import deck_records
from quizgen.bench.synth import write_corpus
from quizgen.export import anki
from quizgen.export.state import STATE_FILE
from quizgen.pipeline import BuildOptions, BuildReport, build

NOW = 1_750_000_000


def package_content(path: Path) -> tuple[set, Counter]:
    """Notes (guid, note type, mod, tags, fields, sort field) and cards (note guid, deck,
    ord, mod): what Anki imports; ids and row order may differ between the two ways."""
    with zipfile.ZipFile(path) as archive, archive.open("collection.anki2") as raw:
        data = raw.read()
    scratch = path.with_name(path.name + ".anki2")
    scratch.write_bytes(data)
    try:
        with sqlite3.connect(scratch) as db:
            notes = set(db.execute("SELECT guid, mid, mod, tags, flds, sfld FROM notes"))
            cards = Counter(db.execute("SELECT n.guid, c.did, c.ord, c.mod FROM cards c JOIN notes n ON n.id = c.nid"))
            assert db.execute("SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)").fetchone() == (0,)
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return notes, cards
    finally:
        scratch.unlink()


def state_rows(out: Path) -> dict[str, list]:
    with sqlite3.connect(out / STATE_FILE) as db:
        return {"notes": db.execute("SELECT * FROM notes ORDER BY key").fetchall(),
                "clozes": db.execute("SELECT * FROM clozes ORDER BY guid").fetchall(),
                "owners": db.execute("SELECT * FROM owners ORDER BY doc_id").fetchall()}


def report_view(report: BuildReport) -> tuple:
    return (report.documents, report.retired, sorted(str(p) for p in report.problems),
            [(d.deck_name, d.notes, d.anki_cards, d.kinds, d.new, d.changed, d.unchanged) for d in report.decks])


def _edit(paths: list[Path]) -> None:
    text = paths[3].read_text(encoding="utf-8")
    paths[3].write_text(text.replace("**: ", "**: Notably, ", 2), encoding="utf-8")


def _remove(paths: list[Path]) -> None:
    paths[5].unlink()


def _add(paths: list[Path]) -> None:
    text = paths[2].read_text(encoding="utf-8")
    doc_id = text.split("\nid: ", 1)[1].split("\n", 1)[0].strip().strip("'\"")
    (paths[2].parent / "added.md").write_text(text.replace(doc_id, doc_id + "9", 1), encoding="utf-8")


def _move_subject(paths: list[Path]) -> None:
    text = paths[7].read_text(encoding="utf-8")
    subject = text.split("\nsubject: ", 1)[1].split("\n", 1)[0]
    others = {p.read_text(encoding="utf-8").split("\nsubject: ", 1)[1].split("\n", 1)[0] for p in paths} - {subject}
    paths[7].write_text(text.replace(f"\nsubject: {subject}\n", f"\nsubject: {sorted(others)[0]}\n", 1), encoding="utf-8")


@pytest.mark.parametrize("change", [_edit, _remove, _add, _move_subject], ids=lambda f: f.__name__.strip("_"))
def test_patched_rebuild__same_decks_state_and_report_as_writing_every_deck_whole(
        change: Callable[[list[Path]], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = write_corpus(tmp_path / "src", 60, seed=3, sources=(CONTENT,))
    build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "patched", now=NOW, workers=1))
    shutil.copytree(tmp_path / "patched", tmp_path / "whole")
    change(paths)

    patched_calls: list[Path] = []
    real_patch = anki.patch_package

    def counting(target: Path, *args: object) -> None:
        patched_calls.append(target)
        real_patch(target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(anki, "patch_package", counting)
    monkeypatch.setattr("quizgen.export.jobs.patch_package", counting)
    patched = build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "patched", now=NOW + 100, workers=1))
    assert patched_calls, "the rebuild should have patched a deck"
    monkeypatch.setattr(deck_records, "PATCH_SHARE", 10**9)  # never patch: every changed deck written whole
    whole = build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "whole", now=NOW + 100, workers=1))

    assert report_view(patched) == report_view(whole)
    names = sorted(p.name for p in (tmp_path / "whole").glob("*.apkg"))
    assert sorted(p.name for p in (tmp_path / "patched").glob("*.apkg")) == names
    for name in names:
        assert package_content(tmp_path / "patched" / name) == package_content(tmp_path / "whole" / name), name
    assert state_rows(tmp_path / "patched") == state_rows(tmp_path / "whole")


def test_patched_package__imports_into_anki_like_the_whole_one(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "src", 60, seed=4, sources=(CONTENT,))
    build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "out", now=NOW, workers=1))
    _edit(paths)
    report = build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "out", now=NOW + 100, workers=1))
    deck = next(d for d in report.decks if d.changed)
    with fresh_collection() as col:
        import_apkg(col, deck.path)
        seen = snapshot(col)
    assert seen.note_count == deck.notes == len(seen.notes)
    assert len(seen.cards) == deck.anki_cards


def test_a_package_changed_since_the_last_build__is_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = write_corpus(tmp_path / "src", 60, seed=5, sources=(CONTENT,))
    build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "out", now=NOW, workers=1))
    for package in (tmp_path / "out").glob("*.apkg"):  # same notes, other bytes: not the file the state knows
        with zipfile.ZipFile(package, "a") as archive:
            archive.writestr("extra", "x")
    _edit(paths)
    monkeypatch.setattr("quizgen.export.jobs.patch_package", lambda *args: pytest.fail("patched a foreign package"))
    report = build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / "out", now=NOW + 100, workers=1))
    assert any(d.changed for d in report.decks)


def test_doc_record__reads_back_what_it_wrote_and_refuses_anything_else() -> None:
    record = deck_records.DocRecord(("k", "s", "D"), 3, 4, (("cloze", 1), ("term", 2)), ("a warning",), 1)
    assert deck_records.DocRecord.from_json(record.to_json()) == record
    for bad in (None, [], "text", [["k", "s"], 3, 4, [], [], 1], [["k", "s", "D"], "3", 4, [], [], 1],
                [["k", "s", "D"], 3, 4, [["term", "2"]], [], 1], [["k", "s", "D"], 3, 4, [], "warn", 1]):
        assert deck_records.DocRecord.from_json(bad) is None, bad


def test_package__same_notes_same_bytes(tmp_path: Path) -> None:
    """A package's digest is what tells a later build it may patch it: equal builds
    write equal bytes (no file times in the zip)."""
    write_corpus(tmp_path / "src", 12, seed=6, sources=(CONTENT,))
    for out in ("a", "b"):
        build([tmp_path / "src"], BuildOptions(out_dir=tmp_path / out, now=NOW, workers=1))
    names = sorted(p.name for p in (tmp_path / "a").glob("*.apkg"))
    assert names and [(tmp_path / "a" / n).read_bytes() for n in names] == [(tmp_path / "b" / n).read_bytes() for n in names]
