"""A student keeps one collection through three builds (v1, v2, v3) of two subjects.

test_reimport.py covers one document edited once. Here a whole series runs through one
real Anki collection, all three builds in the same second (the hardest case for note
mods): v1 is studied and the student tags and edits notes; v2 fixes a typo, adds, removes
and rewords; v3 only changes the subject's display case and moves a section. After
every import: no note twice, no review lost, no new note type, the student's own tag and
edit still there on notes quizgen did not change.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection
from ankitools import NoteRow, Snapshot, fresh_collection, import_apkg, package_notes, snapshot, study_all
from conftest import FIXTURES

from quizgen.export import ids
from quizgen.pipeline import BuildOptions, build

SERIES = FIXTURES / "series"
NOW = 1_750_000_000.0  # every build of the series: the same second
MY_TAG, MY_NOTE = "my-tag", " (my mnemonic: K+ lives inside)"

# v2: a typo fixed, a point added, a point removed, a heading reworded (all in 940001)
TYPO, FIXED = "usualy begins", "usually begins"
REMOVED = ("\\n\\n3. **Diarrhea**: Intestinal fluid is rich in potassium, and severe diarrhea can lower the serum "
           "level within 1 day.")
ANCHOR = "prominent U wave when the level falls below 3.0 mEq/L."
ADDED = ("\\n\\n- **Cardiac Arrhythmias**: Arrhythmias such as premature ventricular beats appear once the level drops "
         "below 2.5 mEq/L.")
OLD_HEADING, NEW_HEADING = "Signs of Low Potassium", "Clinical Signs of Hypokalemia"
# v3: the subject's display case, and 940002's second section moved first
MOVED = ("### Signs of Poor Perfusion\\n\\n- **Cool Extremities**: The hands and feet feel cool because blood is "
         "diverted to the vital organs.\\n\\n- **Low Urine Output**: Output below 30 mL per hour shows that the "
         "kidneys receive too little blood.\\n\\n")


def replace_once(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, (path.name, old)
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def edit_v2(docs: Path) -> None:
    replace_once(docs / "940001.md", (TYPO, FIXED), (REMOVED, ""), (ANCHOR, ANCHOR + ADDED),
                 (f"### {OLD_HEADING}", f"### {NEW_HEADING}"))


def edit_v3(docs: Path) -> None:
    for name in ("940001.md", "940002.md"):
        replace_once(docs / name, ("subject: Nursing\n", "subject: nursing\n"))
    replace_once(docs / "940002.md", (MOVED, ""))
    replace_once(docs / "940002.md", ("### Signs of Congestion", MOVED + "### Signs of Congestion"))


@dataclass(frozen=True)
class Version:
    decks: tuple[Path, ...]  # copies, as a student downloads them
    notes: dict[str, NoteRow]  # every note of this version's packages, by GUID
    retired: int
    changed: int


def build_version(docs: Path, out: Path, name: str, now: float = NOW) -> Version:
    report = build([docs], BuildOptions(out_dir=out, now=now))
    assert report.rejected == 0 and not report.problems, report.problems
    folder = out.parent / name
    folder.mkdir()
    decks = tuple(Path(shutil.copy(d.path, folder / d.path.name)) for d in report.decks)
    notes = {g: n for deck in decks for g, n in package_notes(deck).items()}
    return Version(decks, notes, report.retired, sum(d.changed for d in report.decks))


def import_all(col: Collection, version: Version) -> tuple[int, int]:
    """Import every deck of a version; (notes added, notes updated) by Anki's own log."""
    added = updated = 0
    for deck in version.decks:
        log = import_apkg(col, deck)
        assert not (log.conflicting or log.missing_notetype or log.missing_deck), log
        added, updated = added + len(log.new), updated + len(log.updated)
    return added, updated


def tag_value(note: NoteRow, prefix: str) -> str:
    return next(t for t in note.tags if t.startswith(prefix))


def term_of(note: NoteRow) -> str | None:
    match = re.search(r"what (?:is|are) <strong>(.*?)</strong>\?", note.fields[0])
    return match.group(1) if match else None


def content(notes: dict[str, NoteRow]) -> dict[str, tuple]:
    """What a package says about each note (its note ids follow build order: Anki matches by GUID)."""
    return {g: (n.mid, n.mod, n.fields, n.tags) for g, n in notes.items()}


def with_text(notes: dict[str, NoteRow], needle: str) -> set[str]:
    return {g for g, n in notes.items() if any(needle in f for f in n.fields)}


def revlog_ids(col: Collection) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for review_id, card_id in col.db.all("select id, cid from revlog"):
        out.setdefault(card_id, set()).add(review_id)
    return out


def assert_safe_import(col: Collection, before: Snapshot, reviews: dict[int, set[int]],
                       seen: dict[str, NoteRow], version: Version, mine: frozenset[str] = frozenset()) -> Snapshot:
    """The promises that hold after every import of the series."""
    after = snapshot(col)
    # nothing doubled: one note per GUID, and one note per (document, term) for term notes
    assert after.note_count == len(after.notes) == len(set(seen) | set(version.notes))
    terms = Counter((tag_value(n, "doc::"), term_of(n)) for n in after.notes.values() if "kind::term" in n.tags)
    assert [k for k, count in terms.items() if count > 1] == []
    texts = Counter((tag_value(n, "doc::"), tag_value(n, "kind::"), n.fields[0]) for n in after.notes.values())
    assert [k for k, count in texts.items() if count > 1] == []
    # the same two note types, never a third
    quizgen_types = {mid: t for mid, t in after.notetypes.items() if t[0].startswith("quizgen")}
    assert set(quizgen_types) == {ids.QA_MODEL_ID, ids.CLOZE_MODEL_ID}
    stock = {mid: t for mid, t in before.notetypes.items() if mid not in quizgen_types}
    assert after.notetypes == {**stock, **quizgen_types}  # Anki's stock types + our 2, before and after
    # no review lost: every card keeps every review row it had, and its scheduling
    now_reviews = revlog_ids(col)
    assert all(now_reviews.get(card, set()) >= rows for card, rows in reviews.items())
    assert sum(map(len, now_reviews.values())) >= sum(map(len, reviews.values()))
    assert {c: after.cards.get(c) for c in before.cards} == before.cards
    # every note of this version shows this version's text and tags, but for the student's
    # own edit and tag on the notes in `mine` (GUIDs); notes from before keep their ids
    for guid, note in version.notes.items():
        fields, tags = list(note.fields), set(note.tags)
        if guid in mine:
            fields[1], tags = fields[1] + MY_NOTE, tags | {MY_TAG}
        assert (list(after.notes[guid].fields), set(after.notes[guid].tags)) == (fields, tags), guid
    for guid, note in before.notes.items():
        assert after.notes[guid].id == note.id
    return after


def test_reimport_series__three_builds_in_one_second_keep_notes_history_and_own_edits(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out" / "decks"
    shutil.copytree(SERIES, docs)
    v1 = build_version(docs, out, "v1")
    edit_v2(docs)
    v2 = build_version(docs, out, "v2")
    edit_v3(docs)
    v3 = build_version(docs, out, "v3")
    assert [d.name for d in v1.decks] == [d.name for d in v3.decks] == ["nursing.apkg", "pharmacology.apkg"]

    with fresh_collection() as col:
        # ---- v1: import, study everything, then the student's own tag and edit
        empty = snapshot(col)
        assert import_all(col, v1) == (len(v1.notes), 0)
        assert study_all(col) == len(col.find_cards("")) > 0
        after_v1 = assert_safe_import(col, empty, {}, {}, v1)  # before the student's own edits
        mine = {col.find_notes('"tag:doc::940003" "Renin Suppression" tag:kind::term')[0],  # never changes
                col.find_notes('"tag:doc::940002" "Cool Extremities" tag:kind::term')[0]}  # its section moves in v3
        for note_id in mine:
            note = col.get_note(note_id)
            note.fields[1] += MY_NOTE
            note.add_tag(MY_TAG)
            col.update_note(note)
        my_guids = frozenset(col.get_note(note_id).guid for note_id in mine)
        before, reviews = snapshot(col), revlog_ids(col)
        assert sum(map(len, reviews.values())) == len(after_v1.cards)

        # ---- v2: typo fixed, point added, point removed, heading reworded
        added, updated = import_all(col, v2)
        after_v2 = assert_safe_import(col, before, reviews, v1.notes, v2, my_guids)
        changed = {g for g in set(v1.notes) & set(v2.notes) if v1.notes[g].fields != v2.notes[g].fields
                   or v1.notes[g].tags != v2.notes[g].tags}
        new, removed = set(v2.notes) - set(v1.notes), set(v1.notes) - set(v2.notes)
        assert (added, updated) == (len(new), len(changed)) and v2.changed == len(changed)
        # edited notes show the new text, in place: the typo, the reworded heading; the new point is new
        assert with_text(before.notes, TYPO) <= changed and not with_text(after_v2.notes, TYPO)
        assert with_text(after_v2.notes, FIXED) >= with_text(before.notes, TYPO)
        assert with_text(before.notes, OLD_HEADING) <= changed and not with_text(after_v2.notes, OLD_HEADING)
        assert with_text(after_v2.notes, NEW_HEADING) >= with_text(before.notes, OLD_HEADING)
        assert with_text(after_v2.notes, "Cardiac Arrhythmias") & new
        # the removed point's notes stay, as they were, with their history (Anki never deletes on import)
        assert removed and v2.retired == len(removed) and with_text(v1.notes, "Diarrhea") >= removed
        assert {g: after_v2.notes[g].fields for g in removed} == {g: before.notes[g].fields for g in removed}
        # the student's own tag and edit, on notes v2 did not change
        for note_id in mine:
            note = col.get_note(note_id)
            assert note.fields[1].endswith(MY_NOTE) and note.has_tag(MY_TAG), note.guid
            assert note.guid not in changed
        assert study_all(col) == len(set(after_v2.cards) - set(before.cards)) > 0
        before, reviews = snapshot(col), revlog_ids(col)

        # ---- v3: `Nursing` -> `nursing`, a section moved: the same notes, nothing to update
        decks_before = sorted(d.name for d in col.decks.all_names_and_ids())
        assert content(v3.notes) == content(v2.notes) and v3.changed == 0 and v3.retired == v2.retired
        assert import_all(col, v3) == (0, 0)
        after_v3 = assert_safe_import(col, before, reviews, {**v1.notes, **v2.notes}, v3, my_guids)
        assert after_v3.notes == before.notes
        assert sorted(d.name for d in col.decks.all_names_and_ids()) == decks_before  # no second "nursing" deck
        for note_id in mine:
            note = col.get_note(note_id)
            assert note.fields[1].endswith(MY_NOTE) and note.has_tag(MY_TAG), note.guid


@pytest.mark.parametrize("edit", ["typo", "heading"])
def test_reimport_series__a_changed_note_takes_the_new_text_and_the_packages_tags(tmp_path: Path, edit: str) -> None:
    """The student edits and tags a note, then a later build changes it: the build wins
    (Anki keeps whichever is newer) and Anki 26.9 replaces the note's tags with the
    package's, so the student's tag on *that* note is gone. The README states this limit;
    if Anki starts merging tags, this test fails and the README can say more."""
    docs, out = tmp_path / "docs", tmp_path / "out" / "decks"
    shutil.copytree(SERIES, docs)
    v1 = build_version(docs, out, "v1")
    needle, new = (TYPO, FIXED) if edit == "typo" else (OLD_HEADING, NEW_HEADING)
    with fresh_collection() as col:
        import_all(col, v1)
        guid = sorted(g for g in with_text(v1.notes, needle) if "kind::term" in v1.notes[g].tags)[0]
        note = col.get_note(col.db.scalar("select id from notes where guid = ?", guid))
        note.fields[1] += MY_NOTE
        note.add_tag(MY_TAG)
        col.update_note(note)
        edit_v2(docs)
        v2 = build_version(docs, out, "v2", now=time.time() + 1)  # built after the student's change
        import_all(col, v2)
        note = col.get_note(note.id)
        assert list(note.fields) == list(v2.notes[guid].fields)
        assert any(new in f for f in note.fields) and not any(needle in f for f in note.fields)
        assert sorted(note.tags) == sorted(v2.notes[guid].tags) and not note.has_tag(MY_TAG)


@pytest.mark.parametrize("edit, same_note", [
    (("**Renin Suppression**", "**Renin Inhibition**"), False),  # a renamed bold term is a new point to Anki
    (("id: 940003", "id: 940099"), False),  # a new document id: every note of it is new
    (("**Renin Suppression**", "**renin  suppression**"), True),  # capitals and spacing are not a rename
])
def test_reimport_series__renaming_a_term_or_a_document_id_makes_new_notes(tmp_path: Path, edit: tuple[str, str],
                                                                         same_note: bool) -> None:
    """The README's limits, as Anki sees them: the old note stays (with its history), a new one is added."""
    docs, out = tmp_path / "docs", tmp_path / "out" / "decks"
    shutil.copytree(SERIES, docs)
    v1 = build_version(docs, out, "v1")
    replace_once(docs / "940003.md", edit)
    v2 = build_version(docs, out, "v2")
    term = {g for g, n in v1.notes.items() if "kind::term" in n.tags and "<strong>Renin Suppression</strong>" in n.fields[0]}
    assert len(term) == 1
    with fresh_collection() as col:
        import_all(col, v1)
        study_all(col)
        before = snapshot(col)
        added, _ = import_all(col, v2)
        after = snapshot(col)
    assert (term <= set(v2.notes)) == same_note
    assert after.note_count == len(after.notes) == len(set(v1.notes) | set(v2.notes))
    assert {c: after.revlog.get(c) for c in before.revlog} == before.revlog
    if not same_note:  # the old note left as it was, a new one beside it
        assert added > 0
        assert all(after.notes[g].fields == before.notes[g].fields for g in term)
    # the build reports a renamed term's old note as no longer generated; the notes of a
    # document whose id changed are not counted (the build cannot tell the old id was this file)
    assert v2.retired == (1 if "**" in edit[0] and not same_note else 0)
