"""Cards -> Anki notes -> one .apkg per subject. The only module that imports genanki.

Two note types with fixed ids (ids.py); every field rendered and sanitised by render.py
(raw document text never reaches a field); GUIDs from coordinates; each note's `mod`
set from the build state so re-imports update what changed and nothing else.
"""

from __future__ import annotations

import gc
import json
import re
import sqlite3
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator, Sequence
from urllib.parse import quote, urlsplit

import genanki

from ..model import Card
from ..text import escape_markdown
from . import ids
from .files import atomic_output, slug
from .render import render_inline
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
_TAG_UNSAFE = re.compile(r"[^\w.+\-:]+")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([#>+\-=|])")
# Kept as they are in a link target; anything else (`<`, `>`, `"`, spaces, backslashes,
# braces, non-ASCII) is percent-encoded, so no url can end the markdown link early and
# leave its `[title](<...>)` on the card as raw text.
_HREF_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


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

    def content_hash(self) -> str:
        return self._content_hash

    @cached_property
    def _content_hash(self) -> str:  # asked for by the state and by the deck digest
        return ids.content_hash(self.cloze, self.fields, self.tags)

    @property
    def card_count(self) -> int:
        """Cards Anki makes: one per distinct deletion number for cloze, else one."""
        return len({m.group(1) for m in ANKI_DELETION.finditer(self.fields[0])}) if self.cloze else 1


@dataclass(frozen=True)
class DeckSpec:
    name: str
    deck_id: int


class FieldRenderer:
    """Renders each distinct markdown string once per build (contexts and sources repeat)."""

    def __init__(self, site_url: str | None = None) -> None:
        self.site_url = site_url
        self._inline: dict[tuple[str, bool], str] = {}
        self._sources: dict[tuple[str, str | None], str] = {}

    def inline(self, markdown: str, marks: bool = False) -> str:
        out = self._inline.get((markdown, marks))
        if out is None:
            out = self._inline[(markdown, marks)] = render_inline(markdown, marks=marks)
        return out

    def source(self, title: str, url: str | None) -> str:
        """The document title, a link only when the url is (or can be made) absolute."""
        cache_key = (title, url)
        out = self._sources.get(cache_key)
        if out is None:
            href = absolute_url(url, self.site_url)
            text = escape_markdown(title)
            text = _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text, count=1)
            link = "[" + text + "](<" + quote(href, safe=_HREF_SAFE) + ">)" if href else text
            out = self._sources[cache_key] = self.inline(link)
        return out


def absolute_url(url: str | None, site_url: str | None) -> str | None:
    """`url` when it is http(s) already, else joined to `site_url` when one is given."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if parts.scheme or not site_url:
        return None  # "javascript:", "mailto:" or relative without a base: plain text
    joined = site_url.rstrip("/") + "/" + url.lstrip("/")
    base = urlsplit(joined)
    return joined if base.scheme in ("http", "https") and base.netloc else None


def tag(text: str) -> str:
    return _TAG_UNSAFE.sub("-", text).strip("-") or "x"


def note_tags(card: Card) -> tuple[str, ...]:
    section = slug(card.section[-1], fallback="x") if card.section else "intro"
    base = [f"quizgen::{slug(card.subject_key or card.subject, fallback='general')}",
            f"doc::{tag(card.doc_id)}", f"section::{section}", f"kind::{card.kind}"]
    extra = [tag(t) for t in card.tags if t.strip()]
    return tuple(dict.fromkeys(base + extra))


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
    """Write `notes` (with their `mods`) into `decks` as one .apkg at `target`, atomically."""
    by_name = {d.name: genanki.Deck(d.deck_id, d.name) for d in decks}
    for model in MODELS:  # both note types in every package, so ids never depend on content
        next(iter(by_name.values())).add_model(model)
    with gc_paused():
        for spec, mod in zip(notes, mods, strict=True):
            model = CLOZE_MODEL if spec.cloze else QA_MODEL
            note = _StampedNote(mod, model=model, fields=list(spec.fields), tags=list(spec.tags), guid=spec.guid)
            by_name[spec.deck].add_note(note)
        with atomic_output(target) as scratch:
            database = scratch / "collection.anki2"
            connection = sqlite3.connect(database)
            try:
                cursor = connection.cursor()
                cursor.execute("PRAGMA journal_mode = OFF")  # a scratch file: the zip is what is atomic
                cursor.execute("PRAGMA synchronous = OFF")
                batched = _BatchedInserts(cursor)
                genanki.Package(list(by_name.values())).write_to_db(batched, now, id_source)
                batched.flush()
                _set_model_mods(cursor, model_mods)
                connection.commit()
            finally:
                connection.close()
            with zipfile.ZipFile(scratch / "out", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(database, "collection.anki2")
                archive.writestr("media", "{}")


class _BatchedInserts:
    """A cursor for genanki that collects its one-row note and card INSERTs and writes
    them with executemany: same rows, a fraction of the time for 30,000+ notes. genanki
    gives every row its id, so `lastrowid` is that id, as SQLite would report it."""

    _TABLES = {"INSERT INTO notes VALUES": "notes", "INSERT INTO cards VALUES": "cards"}

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor
        self.rows: dict[str, list[tuple]] = {"notes": [], "cards": []}
        self.sql: dict[str, str] = {}
        self.lastrowid: int | None = None

    def execute(self, sql: str, params: tuple = ()) -> object:
        for prefix, table in self._TABLES.items():
            if sql.startswith(prefix):
                self.sql[table] = sql
                self.rows[table].append(params)
                self.lastrowid = params[0]
                return self
        self.flush()
        return self.cursor.execute(sql, params)

    def executescript(self, script: str) -> object:
        self.flush()
        return self.cursor.executescript(script)

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.cursor.executemany(self.sql[table], rows)
                rows.clear()


class _StampedNote(genanki.Note):
    """genanki stamps a note (and its cards) with the write time; ours carry the build
    state's mod instead (state.py), the one thing Anki compares on re-import."""

    def __init__(self, mod: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, deck_id: int, id_gen: Iterator[int]) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def _set_model_mods(cursor: sqlite3.Cursor, model_mods: dict[int, int]) -> None:
    """Note types, likewise: a new mod only when templates or CSS changed."""
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for model_id, model in models.items():
        model["mod"] = model_mods.get(int(model_id), model["mod"])
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))
