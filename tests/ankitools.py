"""Real Anki for tests: import an .apkg into a fresh collection, render, study, snapshot.

Uses the `anki` package (the Rust backend Anki desktop runs), never a re-implementation,
with the import options a fresh Anki profile presets in its import dialog.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import anki.collection  # noqa: F401  (before anki.scheduler: circular import otherwise)
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.scheduler.v3 import CardAnswer


@contextmanager
def fresh_collection() -> Iterator[Collection]:
    with tempfile.TemporaryDirectory(prefix="quizgen-anki-") as folder:
        col = Collection(os.path.join(folder, "collection.anki2"))
        try:
            yield col
        finally:
            col.close()


def import_apkg(col: Collection, path: Path | str):
    """Import like a student: the preset options (update notes/note types if newer)."""
    options = col._backend.get_import_anki_package_presets()
    response = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(Path(path).resolve()), options=options))
    col.models._clear_cache()  # the Python-side cache does not see backend-side changes
    return response.log


# ---------------------------------------------------------------- rendering


class _Text(HTMLParser):
    """Visible text: block tags become newlines, <style>/<script> content is dropped,
    and (with skip_code) code is dropped too, since `**` or `\\n` in code is fine."""

    BLOCKS = {"br", "div", "hr", "li", "ol", "p", "pre", "table", "tr", "td", "th", "ul", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self, skip_code: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_code = skip_code
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "script") or (self.skip_code and tag in ("pre", "code")):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") or (self.skip_code and tag in ("pre", "code")):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str, *, skip_code: bool = False) -> str:
    parser = _Text(skip_code)
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).replace("\xa0", " ").split("\n"))
    return "\n".join(line for line in lines if line)


_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_ANSWER_SPLIT = re.compile(r"<hr id=answer>", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    card_id: int
    note_id: int
    guid: str
    ord: int
    deck: str
    notetype: str
    question_html: str
    answer_html: str
    is_empty: bool

    @property
    def question(self) -> str:
        return visible_text(self.question_html)

    @property
    def answer(self) -> str:
        return visible_text(self.answer_html)

    @property
    def answer_only(self) -> str:
        """What the back shows below `<hr id=answer>`."""
        parts = _ANSWER_SPLIT.split(self.answer_html, maxsplit=1)
        return visible_text(parts[1]) if len(parts) == 2 else ""


def render_all(col: Collection) -> list[Rendered]:
    out = []
    rows = col.db.all("select c.id, c.nid, c.ord, c.did, n.guid, n.mid from cards c join notes n on n.id = c.nid order by c.id")
    for card_id, note_id, ord_, deck_id, guid, mid in rows:
        card = col.get_card(card_id)
        output = card.render_output(reload=True)
        empty = col._backend.render_existing_card(card_id=card_id, browser=False, partial_render=True).is_empty
        out.append(Rendered(card_id, note_id, guid, ord_, col.decks.name(deck_id), col.models.get(mid)["name"],
                            output.question_text, output.answer_text, empty))
    return out


def card_defects(card: Rendered) -> list[str]:
    """What a student must never see: the checks anki_check.py makes, as plain assertions."""
    found = []
    if card.is_empty or not card.question.strip():
        found.append("empty front")
    for side, html in (("question", card.question_html), ("answer", card.answer_html)):
        if re.search(r"<\s*script", html, re.IGNORECASE):
            found.append(f"<script in {side}")
        text = _MATH.sub(" ", visible_text(html, skip_code=True))
        for token in ("{{", "}}", "**", "\\n"):
            if token in text:
                found.append(f"{token!r} in {side}: {text[:120]!r}")
        if re.search(r"(?m)^\s*#{1,6}\s+\S", text):
            found.append(f"markdown heading in {side}")
    if not card.answer_only.strip() or card.answer_only.strip() == card.question.strip():
        found.append("back adds nothing to the front")
    return found


# ---------------------------------------------------------------- studying


def study_all(col: Collection) -> int:
    """Answer every card once through the v3 scheduler queue ("Easy": straight to review,
    so no card comes back today). Returns how many were answered."""
    for conf in col.decks.all_config():
        # 9999 is Anki's ceiling: a larger limit is silently refused and the default 20 stays
        conf["new"]["perDay"] = conf["rev"]["perDay"] = 9999
        conf["new"]["bury"] = conf["rev"]["bury"] = False
        col.decks.update_config(conf)
        assert col.decks.get_config(conf["id"])["new"]["perDay"] == 9999
    answered: set[int] = set()
    for deck_id in sorted(set(col.db.list("select distinct did from cards"))):
        col.decks.select(deck_id)
        while True:
            queued = col.sched.get_queued_cards(fetch_limit=1)
            if not queued.cards:
                break
            top = queued.cards[0]
            if top.card.id in answered:
                raise AssertionError(f"card {top.card.id} came back after Easy")
            card = col.get_card(top.card.id)
            card.start_timer()
            col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.EASY))
            answered.add(card.id)
    return len(answered)


# ---------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class NoteRow:
    id: int
    mid: int
    mod: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    notes: dict[str, NoteRow]  # by GUID
    note_count: int  # rows, so duplicate GUIDs show up as a mismatch
    cards: dict[int, tuple]  # id -> (nid, ord, type, queue, due, ivl, reps, lapses)
    revlog: dict[int, int]  # card id -> review rows
    notetypes: dict[int, tuple[str, tuple[str, ...]]]


def snapshot(col: Collection) -> Snapshot:
    notes = {}
    rows = col.db.all("select id, guid, mid, mod, flds, tags from notes")
    for nid, guid, mid, mod, flds, tags in rows:
        notes[guid] = NoteRow(nid, mid, mod, tuple(flds.split("\x1f")), tuple(tags.split()))
    cards = {row[0]: tuple(row[1:]) for row in col.db.all("select id, nid, ord, type, queue, due, ivl, reps, lapses from cards")}
    revlog = dict(col.db.all("select cid, count() from revlog group by cid"))
    notetypes = {}
    for entry in col.models.all_names_and_ids():
        model = col.models.get(entry.id)
        notetypes[entry.id] = (model["name"], tuple(f["name"] for f in model["flds"]))
    return Snapshot(notes, len(rows), cards, revlog, notetypes)


def package_notes(path: Path | str) -> dict[str, NoteRow]:
    """The notes inside an .apkg, by GUID, read with Anki itself (a fresh import)."""
    with fresh_collection() as col:
        import_apkg(col, path)
        return snapshot(col).notes
