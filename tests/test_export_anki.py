"""The Anki exporter: ids, files, state, fields, and every deck checked in real Anki."""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from ankitools import card_defects, fresh_collection, import_apkg, render_all, snapshot
from conftest import CONTENT, FIXTURES, SHARED_CORPUS, content_files, needs_corpus

from quizgen.export import anki as anki_export
from quizgen.export import files, ids
from quizgen.export.anki import DeckSpec, FieldRenderer, absolute_url, make_note, write_package
from quizgen.export.state import STATE_FILE, BuildState, Stamped, load_state, save_state
from quizgen.model import Card, cloze
from quizgen.cache import CACHE_DIR, CACHE_FILE
from quizgen.export import render as render_module
from quizgen.pipeline import BuildOptions, build
from quizgen.cards.generate import generate_cards
from quizgen.export.notes import note_from, render_card
from quizgen.parse.document import read_document

BUILD = FIXTURES / "build"
NOW = 1_750_000_000.0


def card(**changes: object) -> Card:
    base = dict(kind="term", doc_id="910001", section=("Signs",), key="term/tachycardia", ordinal=0,
                front="Signs: what is **Tachycardia**?", back="A heart rate above 100.", context="Fluid balance",
                source_title="Fluids", subject="Nursing", subject_key="nursing")
    base.update(changes)
    return Card(**base)  # type: ignore[arg-type]


def import_clean(path: Path) -> list[str]:
    """Import one deck into a fresh collection; every defect of every card, as text."""
    with fresh_collection() as col:
        log = import_apkg(col, path)
        problems = [f"{path.name}: import log {name}" for name in ("conflicting", "missing_notetype", "missing_deck",
                                                                    "empty_first_field") if len(getattr(log, name))]
        if log.found_notes != len(log.new) or log.found_notes == 0:
            problems.append(f"{path.name}: {log.found_notes} notes in package, {len(log.new)} imported")
        for rendered in render_all(col):
            problems += [f"{path.name} card {rendered.card_id} ({rendered.notetype}): {d}" for d in card_defects(rendered)]
        if col.find_notes("") and col.db.scalar("select count() from notes where id not in (select nid from cards)"):
            problems.append(f"{path.name}: notes without cards")
        return problems


# ---------------------------------------------------------------- identities


def test_ids__note_types_are_fixed_forever() -> None:
    # If this fails, a student's next import creates new note types and duplicates every note.
    assert (ids.QA_MODEL_ID, ids.QA_MODEL_NAME, ids.QA_FIELDS) == (1607392319, "quizgen Q&A", ("Front", "Back", "Context", "Source"))
    assert (ids.CLOZE_MODEL_ID, ids.CLOZE_MODEL_NAME, ids.CLOZE_FIELDS) == (1607392320, "quizgen Cloze", ("Text", "Extra", "Context", "Source"))
    assert anki_export.CLOZE_MODEL.model_type == anki_export.CLOZE_MODEL.CLOZE
    assert [f["name"] for f in anki_export.QA_MODEL.fields] == list(ids.QA_FIELDS)


def test_note_guid__comes_from_coordinates_not_text() -> None:
    guid = ids.note_guid("910001", "term", "term/tachycardia", 0)
    assert guid == ids.note_guid("910001", "term", "term/tachycardia", 0)
    assert len({guid, ids.note_guid("910002", "term", "term/tachycardia", 0), ids.note_guid("910001", "reverse", "term/tachycardia", 0),
                ids.note_guid("910001", "term", "term/bradycardia", 0), ids.note_guid("910001", "term", "term/tachycardia", 1)}) == 5
    typo, fixed = card(back="A heart rate abov 100."), card(back="A heart rate above 100.", section=("Reworded heading",))
    assert ids.assign_guids([typo], ["910001"]).guids == ids.assign_guids([fixed], ["910001"]).guids


def test_assign_guids__same_coordinates_are_kept_apart_and_reported() -> None:
    cards = [card(section=("A",)), card(section=("B",)), card(section=("B",))]
    result = ids.assign_guids(cards, ["910001"] * 3)
    assert len(set(result.guids)) == 3
    assert [(c.index, c.how) for c in result.clashes] == [(1, "section"), (2, "counter")]
    assert result.guids[0] == ids.note_guid("910001", "term", "term/tachycardia", 0)


def test_deck_id__stable_per_subject_and_in_javascript_range() -> None:
    assert ids.deck_id("nursing") == ids.deck_id("nursing") != ids.deck_id("pharmacology")
    assert 1 << 40 <= ids.deck_id("nursing") < 1 << 53


def test_stable_cloze_numbers__a_deletion_keeps_its_number_across_edits() -> None:
    def numbered(*items: str) -> str:
        return " ".join(cloze(i, text) for i, text in enumerate(items, 1))

    def numbers(front: str) -> list[tuple[int, str]]:
        return [(int(n), t) for n, t in re.findall("\ue000(\\d+)\ue001(.*?)\ue002", front)]

    front, v1 = ids.stable_cloze_numbers(numbered("A", "B", "C"), None)
    assert numbers(front) == [(1, "A"), (2, "B"), (3, "C")]
    front, v2 = ids.stable_cloze_numbers(numbered("A", "C"), v1)  # B removed: C stays 3
    assert numbers(front) == [(1, "A"), (3, "C")]
    front, v3 = ids.stable_cloze_numbers(numbered("A", "C.", "D"), v2)  # C reworded in place, D new
    assert numbers(front) == [(1, "A"), (3, "C."), (4, "D")]
    front, v4 = ids.stable_cloze_numbers(numbered("X", "A", "C.", "D"), v3)  # inserted first: a new number
    assert numbers(front) == [(5, "X"), (1, "A"), (3, "C."), (4, "D")]
    front, _ = ids.stable_cloze_numbers(numbered("A", "C.", "D"), ids.ClozeNumbers(v4.items[1:], 3))
    assert numbers(front) == [(1, "A"), (3, "C."), (4, "D")]  # never a number at or below one in use


def test_stable_cloze_numbers__a_text_deleted_twice_keeps_both_numbers() -> None:
    # both "two"s once took the last number seen for "two": every build renumbered the note
    front = f"{cloze(1, 'two')} sodium ions out, {cloze(2, 'two')} potassium ions in"
    first, v1 = ids.stable_cloze_numbers(front, None)
    again, v2 = ids.stable_cloze_numbers(front, v1)
    assert (again, v2) == (first, v1)
    drifted = ids.ClozeNumbers((("two", 3), ("two", 4)), 5)  # a state an older build left
    settled, v3 = ids.stable_cloze_numbers(front, drifted)
    assert ids.stable_cloze_numbers(front, v3) == (settled, v3)


# ---------------------------------------------------------------- files


@pytest.mark.parametrize("subject, expected", [("../../x", "x"), ("Computer Science", "computer-science"),
                                                ("/etc/passwd", "etc-passwd"), ("..", "deck"), ("CON", "con-deck"),
                                                ("Pédiatrie", "pediatrie"), ("a\\b:c", "a-b-c")])
def test_slug__is_a_plain_name(subject: str, expected: str) -> None:
    assert files.slug(subject) == expected


def test_safe_join__refuses_names_outside_the_folder(tmp_path: Path) -> None:
    assert files.safe_join(tmp_path, "x.apkg") == tmp_path / "x.apkg"
    for name in ("../x.apkg", "a/../../x", "..", "/tmp/x"):
        with pytest.raises(Exception, match="outside the output folder"):
            files.safe_join(tmp_path, name)


def test_unique_file_names__clashing_slugs_get_a_hash() -> None:
    names = files.unique_file_names(["c++", "c", "nursing"], ".apkg")
    assert names["nursing"] == "nursing.apkg"
    assert names["c"] != names["c++"] and names["c"].startswith("c-") and names["c"].endswith(".apkg")


# ---------------------------------------------------------------- state


def test_state__unchanged_keeps_its_mod_changed_moves_past_it() -> None:
    state = BuildState()
    assert state.stamp("g", "h1", 100).mod == 100
    assert state.stamp("g", "h1", 500) == Stamped(100, "unchanged")
    assert state.stamp("g", "h2", 100) == Stamped(101, "changed")  # same second: still newer
    assert state.stamp("g", "h3", 900) == Stamped(900, "changed")


def test_state__round_trips_and_a_corrupt_file_starts_fresh(tmp_path: Path) -> None:
    state = BuildState()
    state.stamp("g", "h", 7, "910001")
    state.owners["910001"] = "/x/a.md"
    state.clozes["g"] = ids.ClozeNumbers((("a", 1), ("c", 3)), 4)
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    assert load_state(tmp_path) == BuildState()


# ---------------------------------------------------------------- fields


@pytest.mark.parametrize("url, site, expected", [
    ("https://example.org/a", None, "https://example.org/a"),
    ("/learn/nursing/q", None, None),
    ("/learn/nursing/q", "https://quicktakes.io", "https://quicktakes.io/learn/nursing/q"),
    ("learn/q", "https://x.org/site/", "https://x.org/site/learn/q"),
    ("javascript:alert(1)", "https://x.org", None),
    (None, "https://x.org", None),
])
def test_absolute_url__links_only_http(url: str | None, site: str | None, expected: str | None) -> None:
    assert absolute_url(url, site) == expected


def test_source_field__a_link_only_when_absolute() -> None:
    assert FieldRenderer().source("Fluids & *you*", "/learn/x") == "Fluids &amp; *you*"
    linked = FieldRenderer("https://quicktakes.io").source("1. Fluids", "/learn/x")
    assert linked.startswith('<a href="https://quicktakes.io/learn/x"') and ">1. Fluids</a>" in linked


def test_make_note__tags_have_no_spaces_and_say_where_from() -> None:
    note = make_note(card(tags=("needs review", "pharm")), "guid", "Nursing", FieldRenderer())
    assert not isinstance(note, str)
    assert note.tags == ("quizgen::nursing", "doc::910001", "section::signs", "kind::term", "needs-review", "pharm")
    assert all(" " not in t for t in note.tags)


def test_make_note__cloze_without_deletions_is_skipped_with_a_reason() -> None:
    assert "no cloze deletion" in str(make_note(card(kind="cloze", front="Nothing hidden"), "g", "N", FieldRenderer()))
    assert "empty answer" in str(make_note(card(back="  "), "g", "N", FieldRenderer()))


def active_markup(html: str) -> list[str]:
    """Tags or attributes that would run or fetch something (escaped text is fine)."""
    pattern = r"<\s*(script|img|iframe|object)\b|<[^>]*\son\w+\s*=|<[^>]*href\s*=\s*[\"']?\s*javascript:"
    return [m.group(0) for m in re.finditer(pattern, html, re.IGNORECASE)]


HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
           "literal {{c1::x}} and a stray }} here")


def test_write_package__hostile_text_renders_inert_in_anki(tmp_path: Path) -> None:
    cards = [card(front="What is " + HOSTILE + "?", back=HOSTILE, context=HOSTILE, source_title="<b>t</b> {{c1::t}}",
                  source_url="javascript:alert(1)"),
             card(kind="cloze", key="fact/x", front=HOSTILE + " and " + cloze(1, "the real deletion"), back=HOSTILE)]
    render = FieldRenderer()
    notes = [make_note(c, f"g{i}", "Nursing", render) for i, c in enumerate(cards)]
    target = tmp_path / "hostile.apkg"
    write_package(target, [DeckSpec("Nursing", ids.deck_id("nursing"))], notes, [int(NOW)] * 2,  # type: ignore[arg-type]
                  now=int(NOW), model_mods={}, id_source=iter(range(10**12, 10**12 + 100)))
    with fresh_collection() as col:
        import_apkg(col, target)
        rendered = render_all(col)
    assert len(rendered) == 2  # the literal {{c1::x}} made no extra cloze card
    for r in rendered:
        for html in (r.question_html, r.answer_html):
            assert active_markup(html) == []
        assert "{{c1::x}}" in r.answer.replace("\u200b", "")  # shown as typed (a zero-width space splits {{)
    cloze_card = next(r for r in rendered if r.notetype == "quizgen Cloze")
    assert "the real deletion" not in cloze_card.question and "the real deletion" in cloze_card.answer


# ---------------------------------------------------------------- writing safely


def test_write__failure_mid_write_keeps_the_previous_deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "decks"
    build([BUILD / "reimport"], BuildOptions(out_dir=out, now=NOW))
    deck, state = out / "nursing.apkg", out / STATE_FILE
    before = deck.read_bytes(), state.read_bytes()

    def broken_writestr(self, *args, **kwargs):  # the zip is half written when this fails
        raise OSError("disk full")

    monkeypatch.setattr(anki_export.zipfile.ZipFile, "writestr", broken_writestr)
    with pytest.raises(OSError, match="disk full"):
        build([BUILD / "reimport", BUILD / "subjects"], BuildOptions(out_dir=out, now=NOW + 60))
    assert (deck.read_bytes(), state.read_bytes()) == before
    assert sorted(p.name for p in out.iterdir()) == [CACHE_DIR, STATE_FILE, "nursing.apkg"]  # no temp or partial files


def test_build__leaves_nothing_in_the_system_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    report = build([BUILD / "reimport"], BuildOptions(out_dir=tmp_path / "decks", now=NOW))
    assert report.decks and list(system_tmp.iterdir()) == []
    assert not [p for p in (tmp_path / "decks").iterdir() if p.name.startswith(files.TEMP_PREFIX)]


def test_build__cyclic_gc_is_restored(tmp_path: Path) -> None:
    assert gc.isenabled()
    build([BUILD / "reimport"], BuildOptions(out_dir=tmp_path, now=NOW))
    assert gc.isenabled()


def test_build__renders_each_distinct_markdown_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()
    real = render_module._MARKDOWN

    def counting(markdown: str) -> str:
        calls[markdown] += 1
        return real(markdown)

    render_module._render_marked.cache_clear()
    monkeypatch.setattr(render_module, "_MARKDOWN", counting)
    build([BUILD / "subjects", BUILD / "reimport"], BuildOptions(out_dir=tmp_path, now=NOW, workers=1))
    assert calls and max(calls.values()) == 1


# ---------------------------------------------------------------- whole builds in real Anki


def built_decks(paths: list[Path], out: Path, **options: object) -> list[Path]:
    report = build(paths, BuildOptions(out_dir=out, now=NOW, **options))  # type: ignore[arg-type]
    assert report.rejected == 0, report.problems
    return [d.path for d in report.decks]


def test_build__content_decks_import_and_render_clean(tmp_path: Path) -> None:
    source = CONTENT if content_files() else BUILD / "reimport"
    decks = built_decks([source], tmp_path)
    assert decks
    assert [p for deck in decks for p in import_clean(deck)] == []


@needs_corpus
def test_build__corpus_decks_import_and_render_clean(tmp_path: Path) -> None:
    decks = built_decks([SHARED_CORPUS], tmp_path, site_url="https://quicktakes.io")
    assert len(decks) > 1
    assert [p for deck in decks for p in import_clean(deck)] == []


@needs_corpus
def test_build__all_corpus_decks_fit_in_one_collection(tmp_path: Path) -> None:
    report = build([SHARED_CORPUS], BuildOptions(out_dir=tmp_path, now=NOW))
    with fresh_collection() as col:
        for deck in report.decks:
            import_apkg(col, deck.path)
        shot = snapshot(col)
    assert shot.note_count == len(shot.notes) == sum(d.notes for d in report.decks)
    assert len(shot.cards) == sum(d.anki_cards for d in report.decks)


def test_build__subject_case_variants_make_one_deck(tmp_path: Path) -> None:
    report = build([BUILD / "subjects"], BuildOptions(out_dir=tmp_path, now=NOW))
    assert [(d.deck_name, d.path.name, d.documents) for d in report.decks] == [("Pharmacology", "pharmacology.apkg", 4)]
    with fresh_collection() as col:
        import_apkg(col, report.decks[0].path)
        assert {r.deck for r in render_all(col)} == {"Pharmacology"}


def test_build__a_subject_like_a_path_stays_inside_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "a" / "decks"
    report = build([BUILD / "traversal"], BuildOptions(out_dir=out, now=NOW))
    assert [d.path for d in report.decks] == [out / "x.apkg"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [STATE_FILE, CACHE_FILE, "x.apkg"]
    assert report.decks[0].deck_name == "../../x"  # shown as written; only the file name is a slug


def test_build__two_files_with_one_id_keep_both_and_warn(tmp_path: Path) -> None:
    report = build([BUILD / "dup-id"], BuildOptions(out_dir=tmp_path, now=NOW))
    messages = [(Path(p.path).name, p.severity, p.message) for p in report.problems]
    assert [(n, s) for n, s, _ in messages] == [("same-as-first.md", "warning"), ("second.md", "warning")]
    assert "also used by" in messages[1][2] and "built once" in messages[0][2]
    assert report.documents == 2 and report.rejected == 0
    with fresh_collection() as col:
        import_apkg(col, report.decks[0].path)
        shot = snapshot(col)
    assert shot.note_count == len(shot.notes) == report.decks[0].notes
    texts = " ".join(f for n in shot.notes.values() for f in n.fields)
    assert "drug a" in texts and "drug b" in texts
    again = build([BUILD / "dup-id"], BuildOptions(out_dir=tmp_path, now=NOW))
    assert again.decks[0].unchanged == again.decks[0].notes  # the same file keeps the plain id


def test_build__hostile_document_renders_inert(tmp_path: Path) -> None:
    report = build([BUILD / "hostile"], BuildOptions(out_dir=tmp_path, now=NOW))
    assert report.decks
    with fresh_collection() as col:
        import_apkg(col, report.decks[0].path)
        rendered = render_all(col)
    assert rendered
    for r in rendered:
        assert card_defects(r) == []
        assert active_markup(r.question_html) == active_markup(r.answer_html) == []
        assert "<a " not in r.answer_html.split('class="qg-source"')[-1]  # javascript: url -> plain text source


def test_build__prefix_and_subdecks_name_decks(tmp_path: Path) -> None:
    report = build([BUILD / "subjects"], BuildOptions(out_dir=tmp_path, now=NOW, deck_prefix="QuickTakes::", subdecks=True))
    with fresh_collection() as col:
        import_apkg(col, report.decks[0].path)
        decks = {r.deck for r in render_all(col)}
    assert decks == {f"QuickTakes::Pharmacology::Which nursing checks come before giving drug {x}?" for x in "abcd"}


def test_build__default_output_is_decks_in_the_working_folder(tmp_path: Path) -> None:
    # the default output folder is relative to the working directory, never the package
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        report = build([BUILD / "reimport"], BuildOptions(now=NOW))
    finally:
        os.chdir(cwd)
    assert report.decks[0].path == Path("decks") / "nursing.apkg"
    assert (tmp_path / "decks" / "nursing.apkg").is_file()


def test_note_from__the_worker_made_first_note_equals_making_it_again() -> None:
    # a deck writer copies FirstNote when no earlier numbering differs: it must be what it would make
    render = FieldRenderer()
    checked = 0
    for path in sorted(CONTENT.glob("*.md")):
        for card in generate_cards(read_document(path)):
            rendered = render_card(card, render)
            plain = dataclasses.replace(rendered, first=None)
            _, first_numbers = note_from(plain, "g", "Deck", "scope")
            earlier = [None, first_numbers]
            if first_numbers is not None:  # an older build's numbers for the same texts, and a next above them
                earlier.append(ids.ClozeNumbers(tuple((k, n + 3) for k, n in first_numbers.items), 9))
                earlier.append(ids.ClozeNumbers(first_numbers.items, first_numbers.next + 5))
            for previous in earlier:
                quick, quick_numbers = note_from(rendered, "g", "Deck", "scope", previous)
                slow, slow_numbers = note_from(plain, "g", "Deck", "scope", previous)
                assert (quick, quick_numbers) == (slow, slow_numbers)
                assert quick.content_hash() == slow.content_hash()
                checked += 1
    assert checked > 300
