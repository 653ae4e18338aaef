"""write_package makes the note and card rows itself: they must be exactly the rows
genanki 0.13.1 writes for the same notes (the reference below is what write_package did
before, a genanki Note per note), ids drawn from the id source in the same order."""

from __future__ import annotations

import itertools
import sqlite3
import warnings
import zipfile
from pathlib import Path
from typing import Iterator, Sequence

import genanki
import pytest
from conftest import CONTENT, SHARED_CORPUS, needs_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.export import anki as anki_export
from quizgen.export import ids, jobs
from quizgen.export.anki import CLOZE_MODEL, MODELS, QA_MODEL, DeckSpec, NoteSpec, write_package
from quizgen.pipeline import BuildOptions, build

NOW = 1_750_000_000
MODEL_MODS = {ids.QA_MODEL_ID: 1_700_000_001, ids.CLOZE_MODEL_ID: 1_700_000_002}
TABLES = ("col", "notes", "cards", "revlog", "graves")


# ---------------------------------------------------------------- the reference: genanki's own writing


class _StampedNote(genanki.Note):
    def __init__(self, mod: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor, timestamp, deck_id, id_gen) -> None:  # type: ignore[no-untyped-def]
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def write_with_genanki(database: Path, decks: Sequence[DeckSpec], notes: Sequence[NoteSpec], mods: Sequence[int], *,
                       now: int, model_mods: dict[int, int], id_source: Iterator[int]) -> None:
    """The collection a genanki Note per note gives (one INSERT per row, genanki's cursor)."""
    by_name = {d.name: genanki.Deck(d.deck_id, d.name) for d in decks}
    for model in MODELS:
        next(iter(by_name.values())).add_model(model)
    for spec, mod in zip(notes, mods, strict=True):
        model = CLOZE_MODEL if spec.cloze else QA_MODEL
        by_name[spec.deck].add_note(_StampedNote(mod, model=model, fields=list(spec.fields), tags=list(spec.tags),
                                                 guid=spec.guid))
    connection = sqlite3.connect(database)
    try:
        cursor = connection.cursor()
        genanki.Package(list(by_name.values())).write_to_db(cursor, now, id_source)
        anki_export._set_model_mods(cursor, model_mods)
        connection.commit()
    finally:
        connection.close()


def tables(database: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(database)
    try:
        rows = {t: connection.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
        rows["schema"] = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        rows["sfld types"] = connection.execute("SELECT id, typeof(sfld) FROM notes ORDER BY id").fetchall()
        return rows
    finally:
        connection.close()


def assert_same_rows(tmp_path: Path, decks: Sequence[DeckSpec], notes: Sequence[NoteSpec], mods: Sequence[int],
                     first_id: int = 1_750_000_000_000) -> dict[str, list[tuple]]:
    old_ids, new_ids = itertools.count(first_id), itertools.count(first_id)
    with warnings.catch_warnings(record=True) as old_warnings:
        warnings.simplefilter("always")
        write_with_genanki(tmp_path / "old.anki2", decks, notes, mods, now=NOW, model_mods=MODEL_MODS, id_source=old_ids)
    with warnings.catch_warnings(record=True) as new_warnings:
        warnings.simplefilter("always")
        write_package(tmp_path / "new.apkg", decks, notes, mods, now=NOW, model_mods=MODEL_MODS, id_source=new_ids)
    with zipfile.ZipFile(tmp_path / "new.apkg") as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        (tmp_path / "new.anki2").write_bytes(archive.read("collection.anki2"))
    old, new = tables(tmp_path / "old.anki2"), tables(tmp_path / "new.anki2")
    for table in old:
        assert len(new[table]) == len(old[table]), table
        for old_row, new_row in zip(old[table], new[table]):
            assert new_row == old_row, table
    assert next(new_ids) == next(old_ids)  # as many ids drawn
    assert [str(w.message) for w in new_warnings] == [str(w.message) for w in old_warnings]
    return new


# ---------------------------------------------------------------- notes made to cover what genanki decides


def qa(guid: str, front: str, back: str = "b", context: str = "", source: str = "", *, deck: str = "Nursing",
       tags: tuple[str, ...] = ("quizgen::nursing", "kind::term")) -> NoteSpec:
    return NoteSpec(guid, False, (front, back, context, source), tags, deck, "term", "910001")


def cz(guid: str, text: str, extra: str = "", context: str = "c", source: str = "", *, deck: str = "Nursing",
       tags: tuple[str, ...] = ("quizgen::nursing", "kind::cloze")) -> NoteSpec:
    return NoteSpec(guid, True, (text, extra, context, source), tags, deck, "cloze", "910001")


DECKS = (DeckSpec("Nursing", ids.deck_id("nursing")), DeckSpec("Nursing::Fluids", ids.deck_id("nursing/fluids")),
         DeckSpec("Nursing::Ünïcode 心臓", ids.deck_id("nursing/unicode")))

MIXED = [
    qa("g-plain", "<p>What is <strong>tachycardia</strong>?</p>", "<p>A heart rate above 100.</p>",
       "Signs", '<a href="https://example.org/x">Fluids</a>'),
    cz("g-cloze-two-decks-later", "{{c1::Sodium}} in, {{c2::potassium}} out", deck="Nursing::Fluids"),  # cloze first
    qa("g-fluids", "QA after a cloze in this deck", deck="Nursing::Fluids"),
    qa("g-no-context", "Front only", "Back", "", ""),
    qa("g-no-back", "Front", "", "ctx", "src"),
    qa("g-context-only", "", "Back", "Context makes the card", "src"),  # `any` of Front, Context
    qa("g-no-card", "", "Back without a front", "", "src"),  # neither: genanki writes the note, no card
    qa("g-numeric-sort", "42", "the answer"),  # sfld is an integer column: "42" is stored as 42
    qa("g-float-sort", "3.50", "x"),
    cz("g-order", "{{c3::three}} {{c1::one}} {{c2::two}} {{c1::one again}}"),
    cz("g-wide", "{{c41::forty-one}} {{c9::nine}} {{c1::one}} {{c17::seventeen}} {{c33::x}}"),  # set order != sorted
    cz("g-zero", "{{c0::not a card}} {{c01::leading zero}} {{c2::two}}"),
    cz("g-none", "no deletion at all: genanki writes no card"),
    cz("g-multiline", "<ol>\n<li>{{c1::first\nline}}</li>\n<li>{{c2::second}}</li>\n</ol>", "extra <em>x</em>"),
    cz("g-unicode", "Das {{c1::Herz}} — 心臓 {{c2::ハート}} ❤️ مرحبا", "Ünïcode", "Kontext", "Quelle",
       deck="Nursing::Ünïcode 心臓", tags=("quizgen::pflege", "doc::ä-ö", "section::ß", "日本語")),
    qa("g-emoji", "😀 e\u0301 combining", "ok", deck="Nursing::Ünïcode 心臓", tags=()),
    qa("g-escaped", "a &lt;b&gt; literal {{c1::x}} and a stray }}", "&amp;", "&quot;q&quot;"),
    cz("g-braces", "{{c1::a {b} c}} and {{c2::}} empty and {{c3::d}}"),
    qa("g-ctrl", "tab\tnew\nline", "\x1e record separator", deck="Nursing::Fluids"),
]


def test_rows__a_mix_of_notes_in_three_decks(tmp_path: Path) -> None:
    mods = [1_700_000_000 + i * 7 for i in range(len(MIXED))]
    rows = assert_same_rows(tmp_path, DECKS, MIXED, mods)
    assert len(rows["notes"]) == len(MIXED)
    by_guid = {note[1]: note for note in rows["notes"]}
    ords = {guid: [c[3] for c in rows["cards"] if c[1] == note[0]] for guid, note in by_guid.items()}
    assert ords["g-no-card"] == [] and ords["g-none"] == []
    assert ords["g-zero"] == [0, 1]  # c0 makes no card; c01 is card 1's, like c1
    assert ords["g-wide"] != sorted(ords["g-wide"])  # genanki's set order, kept
    assert by_guid["g-numeric-sort"][7] == 42


def test_rows__one_deck_only_qa_and_the_same_deck_twice(tmp_path: Path) -> None:
    only_qa = [n for n in MIXED if not n.cloze and n.deck == "Nursing"]
    assert_same_rows(tmp_path, DECKS[:1], only_qa, [NOW] * len(only_qa))
    # two DeckSpecs of one name: the last one's id, the first one's place, as genanki's dict has it
    twice = (DECKS[0], DECKS[1], DeckSpec("Nursing", 1 << 45))
    (tmp_path / "twice").mkdir()
    in_two = [n for n in MIXED if n.deck in ("Nursing", "Nursing::Fluids")]
    assert_same_rows(tmp_path / "twice", twice, in_two, [NOW] * len(in_two))


def test_rows__a_deck_without_notes_and_notes_in_a_later_deck_only(tmp_path: Path) -> None:
    later = [n for n in MIXED if n.deck == "Nursing::Fluids"]
    assert_same_rows(tmp_path, DECKS, later, list(range(len(later))))


def test_rows__bad_tags_and_bad_html_as_genanki_has_them(tmp_path: Path) -> None:
    spaced = [qa("g1", "f", tags=("a tag",))]
    with pytest.raises(ValueError, match="contains a space"):
        write_with_genanki(tmp_path / "old.anki2", DECKS, spaced, [NOW], now=NOW, model_mods={},
                           id_source=itertools.count(1))
    with pytest.raises(ValueError, match="contains a space"):
        write_package(tmp_path / "new.apkg", DECKS, spaced, [NOW], now=NOW, model_mods={}, id_source=itertools.count(1))
    # an invalid tag: genanki warns (an error under this suite's filterwarnings), so does write_package
    invalid = [qa("g2", "a < b > c <!-- fine --> <p>fine</p>", "x <not a tag> <<", "1 <= 2 >= 0")]
    rows = assert_same_rows(tmp_path, DECKS, invalid, [NOW])
    assert len(rows["notes"]) == 1
    with pytest.warns(UserWarning, match="invalid HTML tags"):
        write_package(tmp_path / "again.apkg", DECKS, invalid, [NOW], now=NOW, model_mods={},
                      id_source=itertools.count(1))


# ---------------------------------------------------------------- any notes (hypothesis)

FIELD = st.text(alphabet=st.sampled_from(list("ab c1{}:<>/p\n\x1f&é心😀")), max_size=30) | st.sampled_from(
    ["", "{{c1::x}}", "{{c2::y}} {{c1::x}}", "{{c10::z}}{{c3::w}}", "{{c0::n}}", "<b>b</b>", "7"])
NOTE = st.builds(
    lambda guid, cloze, fields, tags, deck: NoteSpec(guid, cloze, fields, tags, deck, "k", "s"),
    st.text(alphabet="abcdefgh0123456789!#$%&", min_size=1, max_size=10),
    st.booleans(),
    st.tuples(FIELD, FIELD, FIELD, FIELD),
    st.lists(st.text(alphabet="ab:-_é", min_size=1, max_size=6), max_size=3).map(tuple),
    st.sampled_from([d.name for d in DECKS]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(notes=st.lists(NOTE, min_size=1, max_size=25, unique_by=lambda n: n.guid),
       mods=st.lists(st.integers(min_value=0, max_value=2**40), min_size=25, max_size=25),
       first_id=st.integers(min_value=1, max_value=2**50))
def test_rows__any_notes(tmp_path_factory: pytest.TempPathFactory, notes: list[NoteSpec], mods: list[int],
                         first_id: int) -> None:
    assert_same_rows(tmp_path_factory.mktemp("rows"), DECKS, notes, mods[: len(notes)], first_id)


# ---------------------------------------------------------------- notes a real build makes


def built_jobs(source: Path, out: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> list[tuple]:
    """write_package's arguments for each deck of a build of `source`."""
    seen: list[tuple] = []
    real = jobs.write_package

    def spy(target, decks, notes, mods, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((tuple(decks), list(notes), list(mods), kwargs["now"], kwargs["model_mods"]))
        return real(target, decks, notes, mods, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(jobs, "write_package", spy)
        build([source], BuildOptions(out_dir=out, now=float(NOW), workers=1, cache=False, **options))  # type: ignore[arg-type]
    assert seen
    return seen


@pytest.mark.parametrize("subdecks", [False, True], ids=["one deck", "subdecks"])
def test_rows__the_notes_of_a_build_of_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subdecks: bool) -> None:
    for i, (decks, notes, mods, now, model_mods) in enumerate(built_jobs(CONTENT, tmp_path / "out", monkeypatch,
                                                                         subdecks=subdecks)):
        (tmp_path / str(i)).mkdir()
        assert now == NOW
        rows = assert_same_rows(tmp_path / str(i), decks, notes, mods)
        assert len(rows["cards"]) == sum(n.card_count for n in notes)  # what the build reports


@needs_corpus
def test_rows__the_notes_of_a_build_of_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i, (decks, notes, mods, _now, _mods) in enumerate(built_jobs(SHARED_CORPUS, tmp_path / "out", monkeypatch,
                                                                     subdecks=True)):
        (tmp_path / str(i)).mkdir()
        assert_same_rows(tmp_path / str(i), decks, notes, mods, first_id=NOW * 1000 + i * 10_000_000)
