"""Cards -> Anki notes -> one .apkg per subject. The only module that imports genanki.

Two note types with fixed ids (ids.py); every field rendered and sanitised by render.py
(raw document text never reaches a field); GUIDs from coordinates; each note's `mod`
set from the build state so re-imports update what changed and nothing else.
"""

from __future__ import annotations

import gc
import itertools
import json
import re
import shutil
import sqlite3
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import genanki

from ..model import Card
from . import ids
from .files import atomic_output
from .render import FieldRenderer, absolute_url  # noqa: F401 - compiled in render.py; callers import them from here
from .templates import CLOZE_TEMPLATES, CSS, QA_TEMPLATES

QA_MODEL = genanki.Model(
    ids.QA_MODEL_ID,
    ids.QA_MODEL_NAME,
    fields=[{"name": name} for name in ids.QA_FIELDS],
    templates=QA_TEMPLATES,
    css=CSS,
)
CLOZE_MODEL = genanki.Model(
    ids.CLOZE_MODEL_ID,
    ids.CLOZE_MODEL_NAME,
    fields=[{"name": name} for name in ids.CLOZE_FIELDS],
    templates=CLOZE_TEMPLATES,
    css=CSS,
    model_type=genanki.Model.CLOZE,
)
MODELS = (QA_MODEL, CLOZE_MODEL)
# What a note type says; its mod moves (like a note's) only when this changes.
MODEL_HASHES = {m.model_id: ids.content_hash(m.name, m.fields, m.templates, m.css, m.model_type) for m in MODELS}

ANKI_DELETION = re.compile(r"\{\{c([1-9]\d*)::(.+?)\}\}", re.DOTALL)  # a rendered {{cN::...}}
_DELETION_NUMBER = re.compile(r"\{\{c([1-9]\d*)::(?:.+?)\}\}", re.DOTALL)  # ANKI_DELETION, its number only
# Deflate level of the .apkg (Anki reads any). For 35,000 notes (a 24 MB collection) level 1
# compresses in a third of level 6's time (0.2 s against 0.65 s) for a file 12% larger.
ZIP_LEVEL = 1


@dataclass(frozen=True)
class NoteSpec:
    """One note as it will be written: already rendered, tagged and placed."""

    guid: str
    cloze: bool
    fields: tuple[str, str, str, str]
    tags: tuple[str, ...]
    deck: str
    kind: str
    scope: str  # the document's id space (its id, or id@file when two files share one)
    known_hash: str | None = dataclass_field(default=None, compare=False, repr=False)  # made with the fields, in a worker

    def content_hash(self) -> str:
        return self.known_hash or self._content_hash

    @cached_property
    def _content_hash(self) -> str:  # asked for by the state and by the deck digest
        return ids.content_hash(self.cloze, self.fields, self.tags)

    @property
    def card_count(self) -> int:
        """Cards Anki makes: one per distinct deletion number for cloze, else one."""
        return len(set(_DELETION_NUMBER.findall(self.fields[0]))) if self.cloze else 1


@dataclass(frozen=True)
class DeckSpec:
    name: str
    deck_id: int


def make_note(card: Card, guid: str, deck: str, render: FieldRenderer, scope: str = "") -> NoteSpec | str:
    """The note for `card`, or the reason it cannot make a card Anki would show: the
    build's two steps (notes.render_card, then notes.note_from) in one call."""
    from .notes import note_from, render_card  # notes builds on this module

    note, _numbers = note_from(render_card(card, render), guid, deck, scope or card.doc_id)
    return note


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic GC off while building many small objects (genanki slows at 100k notes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_package(
    target: Path,
    decks: Sequence[DeckSpec],
    notes: Sequence[NoteSpec],
    mods: Sequence[int],
    *,
    now: int,
    model_mods: dict[int, int],
    id_source: Iterator[int],
) -> None:
    """Write `notes` (with their `mods`) into `decks` as one .apkg at `target`, atomically.

    genanki writes the collection (schema, col row, decks and note types JSON); the note
    and card rows are made here, the rows genanki 0.13.1 would write for these notes
    (tests/test_anki_rows.py compares the two), without a genanki object per note."""
    by_name = {d.name: genanki.Deck(d.deck_id, d.name) for d in decks}
    for model in MODELS:  # both note types in every package, so ids never depend on content
        next(iter(by_name.values())).add_model(model)
    with gc_paused():
        by_deck = _by_deck(decks, notes, mods)
        for name, deck in by_name.items():
            for model in _models_in_order_of_use(by_deck[name]):
                deck.add_model(model)  # as genanki's Deck.write_to_db does for its notes' models
        note_rows, card_rows = _rows(decks, by_deck, id_source)
        with atomic_output(target) as scratch:
            database = scratch / "collection.anki2"
            connection = sqlite3.connect(database)
            try:
                cursor = connection.cursor()
                cursor.execute("PRAGMA journal_mode = OFF")  # a scratch file: the zip is what is atomic
                cursor.execute("PRAGMA synchronous = OFF")
                genanki.Package(list(by_name.values())).write_to_db(cursor, now, id_source)  # decks hold no notes
                with _indexes_built_after(cursor, ("notes", "cards")):
                    cursor.executemany(_NOTES_INSERT, note_rows)
                    cursor.executemany(_CARDS_INSERT, card_rows)
                del note_rows, card_rows
                _set_model_mods(cursor, model_mods)
                connection.commit()
            finally:
                connection.close()
            _zip(database, scratch / "out")


def patch_package(target: Path, previous: Path, decks: Sequence[DeckSpec], remove: Iterable[str],
                  notes: Sequence[NoteSpec], mods: Sequence[int]) -> None:
    """`previous` (a package write_package or this wrote, for the same `decks` and note
    types) with the notes whose GUIDs are in `remove` taken out, with their cards, and
    `notes` (with their `mods`) put in, written atomically to `target`.

    A rebuild after an edit changes a few documents of a 34,000-note deck: their notes are
    replaced in the last package instead of every note being written again. New rows take
    ids after the highest in the package (Anki matches notes by GUID, not id)."""
    with gc_paused(), atomic_output(target) as scratch:
        database = scratch / "collection.anki2"
        with zipfile.ZipFile(previous) as archive, archive.open("collection.anki2") as packed, \
                open(database, "wb") as unpacked:
            shutil.copyfileobj(packed, unpacked, 1 << 20)
        connection = sqlite3.connect(database)
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode = OFF")  # a scratch file: the zip is what is atomic
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA secure_delete = ON")  # removed rows zeroed: they deflate to nothing
            cursor.execute("CREATE TEMP TABLE removed (guid TEXT PRIMARY KEY) WITHOUT ROWID")
            cursor.executemany("INSERT OR IGNORE INTO removed (guid) VALUES (?)", ((guid,) for guid in remove))
            cursor.execute("DELETE FROM cards WHERE nid IN (SELECT id FROM notes WHERE guid IN removed)")
            cursor.execute("DELETE FROM notes WHERE guid IN removed")
            (top,) = cursor.execute("SELECT max((SELECT ifnull(max(id), 0) FROM notes),"
                                    " (SELECT ifnull(max(id), 0) FROM cards))").fetchone()
            note_rows, card_rows = _rows(decks, _by_deck(decks, notes, mods), itertools.count(top + 1))
            cursor.executemany(_NOTES_INSERT, note_rows)
            cursor.executemany(_CARDS_INSERT, card_rows)
            connection.commit()
        finally:
            connection.close()
        _zip(database, scratch / "out")


def _by_deck(decks: Sequence[DeckSpec], notes: Sequence[NoteSpec], mods: Sequence[int]
             ) -> dict[str, list[tuple[NoteSpec, int]]]:
    by_deck: dict[str, list[tuple[NoteSpec, int]]] = {d.name: [] for d in decks}
    for spec, mod in zip(notes, mods, strict=True):
        by_deck[spec.deck].append((spec, mod))
    return by_deck


def _rows(decks: Sequence[DeckSpec], by_deck: dict[str, list[tuple[NoteSpec, int]]], id_source: Iterator[int]
          ) -> tuple[list[tuple], list[tuple]]:
    """Note and card rows in genanki's order: deck by deck (a name once), each in note order."""
    note_rows: list[tuple] = []
    card_rows: list[tuple] = []
    for name, deck_id in {d.name: d.deck_id for d in decks}.items():  # as write_package's genanki decks
        _note_and_card_rows(by_deck[name], deck_id, id_source, note_rows, card_rows)
    return note_rows, card_rows


def _zip(database: Path, out: Path) -> None:
    """The package: the same collection always gives the same bytes (entries carry a fixed
    time, not the scratch file's), so its SHA-256 says which package a build wrote."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        archive.writestr(_entry("collection.anki2"), database.read_bytes(), compresslevel=ZIP_LEVEL)
        archive.writestr(_entry("media"), "{}", compresslevel=ZIP_LEVEL)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16  # what writestr gives an entry named by a string
    return info


@contextmanager
def _indexes_built_after(cursor: sqlite3.Cursor, tables: tuple[str, ...]) -> Iterator[None]:
    """The indexes genanki's schema made on `tables`, dropped while the rows go in and made
    again from their own statements: one sort per index instead of an insert per row
    (a deck of 34,000 notes inserts in about half the time, into smaller index pages)."""
    marks = ",".join("?" * len(tables))
    indexes = cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                             f" AND tbl_name IN ({marks}) ORDER BY rowid", tables).fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        cursor.execute(sql)


# genanki 0.13.1's statements (note.py, card.py), with the values it writes alike for every
# row written into the statement instead of bound per row (13 of a card's 18 columns; same
# values, same types, the same database bytes):
#   notes: id, guid, mid, mod, usn -1, tags, flds, sfld, csum 0, flags 0, data ''
#   cards: id, nid, did, ord, mod, usn -1, then type, queue, due, ivl, factor, reps, lapses,
#          left, odue, odid, flags all 0, data ''
# The rows below follow its Note.write_to_db and Card.write_to_db for the other columns.
_NOTES_INSERT = "INSERT INTO notes VALUES(?,?,?,?,-1,?,?,?,0,0,'');"
_CARDS_INSERT = "INSERT INTO cards VALUES(?,?,?,?,?,-1,0,0,0,0,0,0,0,0,0,0,0,'');"
_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)  # genanki's, not ANKI_DELETION: c0, c01 differ


@dataclass(frozen=True)
class _NoteType:
    """What genanki reads from a model for every note, read once per model."""

    name: str
    model_id: int
    field_count: int
    sort_index: int
    cloze: bool
    cloze_fields: tuple[int, ...]  # the fields the first template clozes, in genanki's order (-1: none such)
    requirements: tuple[tuple[int, Callable[[Iterable[str]], bool], tuple[int, ...]], ...]  # model._req
    ords_by_filled: dict[tuple[bool, ...], tuple[int, ...]]  # front/back: card ords per non-empty fields
    ords_by_numbers: dict[tuple[str, ...], tuple[int, ...]]  # cloze: card ords per deletion numbers found


@cache
def _note_type(model: genanki.Model) -> _NoteType:
    cloze_fields: tuple[int, ...] = ()
    if model.model_type == genanki.Model.CLOZE:
        qfmt = model.templates[0]["qfmt"]
        names = set(re.findall(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}", qfmt) + re.findall("<%cloze:(.+?)%>", qfmt))
        first = {f["name"]: i for i, f in reversed(list(enumerate(model.fields)))}  # genanki takes the first
        cloze_fields = tuple(first.get(name, -1) for name in names)
    elif model.model_type != genanki.Model.FRONT_BACK:
        raise ValueError("Expected model_type CLOZE or FRONT_BACK")
    requirements = tuple((o, {"any": any, "all": all}[op], tuple(req)) for o, op, req in model._req)
    return _NoteType(model.name, model.model_id, len(model.fields), model.sort_field_index,
                     model.model_type == genanki.Model.CLOZE, cloze_fields, requirements, {}, {})


def _models_in_order_of_use(group: list[tuple[NoteSpec, int]]) -> list[genanki.Model]:
    first: dict[bool, genanki.Model] = {}
    for spec, _mod in group:
        if bool(spec.cloze) not in first:
            first[bool(spec.cloze)] = CLOZE_MODEL if spec.cloze else QA_MODEL
            if len(first) == 2:
                break
    return list(first.values())


def _note_and_card_rows(group: list[tuple[NoteSpec, int]], deck_id: int, id_source: Iterator[int],
                        note_rows: list[tuple], card_rows: list[tuple]) -> None:
    """genanki's rows for `group` in one deck, ids drawn as genanki draws them: a note's
    id, then its cards' ids in genanki's card order."""
    qa_type, cloze_type = _note_type(QA_MODEL), _note_type(CLOZE_MODEL)
    tag_strings: dict[tuple[str, ...], str] = {}
    valid_html: set[str] = set()  # fields already checked: a document's cards share their source and context
    take = id_source.__next__
    add_note, add_card = note_rows.append, card_rows.append
    for spec, mod in group:
        kind = cloze_type if spec.cloze else qa_type
        fields = spec.fields
        if len(fields) != kind.field_count:
            raise ValueError(f"note type {kind.name!r} has {kind.field_count} fields, note {spec.guid!r} "
                             f"has {len(fields)}")
        joined = "\x1f".join(fields)
        if "<" in joined:  # a third of the notes have no markup at all
            _check_html(fields, valid_html)
        tags = tag_strings.get(spec.tags)
        if tags is None:
            tags = tag_strings[spec.tags] = _tag_string(spec.tags)
        mod = int(mod)
        note_id = take()
        add_note((note_id, spec.guid if spec.guid is not None else genanki.guid_for(*fields), kind.model_id, mod,
                  tags, joined, fields[kind.sort_index]))
        for ord_ in _card_ords(kind, fields):
            add_card((take(), note_id, deck_id, ord_, mod))


def _check_html(fields: Sequence[str], valid: set[str]) -> None:
    """genanki's warning for fields with invalid HTML tags (an error under the test
    suite's filterwarnings); `valid` remembers the fields that passed."""
    for field in fields:
        if "<" in field and field not in valid:
            invalid = genanki.Note._find_invalid_html_tags_in_field(field)
            if invalid:
                warnings.warn("Field contained the following invalid HTML tags. Make sure you are calling "
                              "html.escape() if your field data isn't already HTML-encoded: " + " ".join(invalid),
                              stacklevel=3)
            else:
                valid.add(field)


def _tag_string(tags: tuple[str, ...]) -> str:
    """genanki's tags column: space-separated between spaces; a tag may not hold a space."""
    for one in tags:
        if " " in one:
            raise ValueError(f'Tag "{one}" contains a space; this is not allowed!')
    return " " + " ".join(tags) + " "


def _card_ords(kind: _NoteType, fields: Sequence[str]) -> Sequence[int]:
    """genanki's Note.cards, in its order."""
    if kind.cloze:
        if len(kind.cloze_fields) == 1 and kind.cloze_fields[0] >= 0:  # ours: one field clozes
            numbers = tuple(_CLOZE_NUMBER.findall(fields[kind.cloze_fields[0]]))
        else:
            numbers = tuple(m for index in kind.cloze_fields
                            for m in _CLOZE_NUMBER.findall(fields[index] if index >= 0 else ""))
        ords = kind.ords_by_numbers.get(numbers)
        if ords is None:
            ords = kind.ords_by_numbers[numbers] = _cloze_ords(numbers)
        return ords
    filled = tuple(map(bool, fields))
    ords_ = kind.ords_by_filled.get(filled)
    if ords_ is None:
        ords_ = kind.ords_by_filled[filled] = tuple(
            o for o, op, req in kind.requirements if op(fields[i] for i in req))  # type: ignore[operator]
    return ords_


def _cloze_ords(numbers: tuple[str, ...]) -> tuple[int, ...]:
    """The card ords of a cloze note whose fields hold deletions `numbers`, in the order
    genanki's set of them iterates (a set filled number by number, as genanki fills it).
    No deletion means no card: genanki's fallback (`card_ords == {}`) never fires."""
    ords: set[int] = set()
    ords.update(int(m) - 1 for m in numbers if int(m) > 0)
    return tuple(ords)


def _set_model_mods(cursor: sqlite3.Cursor, model_mods: dict[int, int]) -> None:
    """Note types, likewise: a new mod only when templates or CSS changed."""
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for model_id, model in models.items():
        model["mod"] = model_mods.get(int(model_id), model["mod"])
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))
