"""The render stage's third round of shortcuts gives exactly what the plain code gives:
GUIDs and content hashes are stored in students' collections forever."""

from __future__ import annotations

import dataclasses

import pytest

from genanki.util import BASE91_TABLE
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.export import ids, render
from quizgen.export.anki import FieldRenderer as FieldRendererFromAnki
from quizgen.export.notes import FirstNote, RenderedCard
from quizgen.export.render import FieldRenderer, render_inline
from quizgen.model import cloze

TEXT = st.text(max_size=30)


def genanki_base91(number: int) -> str:
    """genanki.guid_for's base 91, as it writes it (the oracle)."""
    digits = []
    while number > 0:
        digits.append(BASE91_TABLE[number % 91])
        number //= 91
    return "".join(reversed(digits))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.integers(0, 2**64 - 1), st.integers(0, 10**6), st.integers(2**62 - 10**4, 2**62 + 10**4)))
def test_base91__is_genanki_for_every_64_bit_number(number: int) -> None:
    assert ids._base91(number) == genanki_base91(number)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=5).map(tuple))
def test_tuple_repr__is_repr(values: tuple[str, ...]) -> None:
    assert ids._tuple_repr(values) == repr(values)


def test_note_content_hash__keeps_its_stored_values() -> None:
    """Values an earlier build stored: quotes, backslashes, newlines and non-ASCII text."""
    fields = ("It's \\(x\\) {{c1::a}}", 'say "hi"', "Topic › sub\n", "")
    assert ids.note_content_hash(True, fields, ("quizgen::a", "kind::cloze")) == "b9a17958c7b35267de5306e3dd5435dd"
    assert ids.note_content_hash(False, ("q", "a", "", "s"), ("one",)) == "02b8d6f8051fe2f032da140c2c167ec7"
    assert ids.note_content_hash(False, ("q", "a", "", "s"), ()) == ids.content_hash(False, ("q", "a", "", "s"), ())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["x", "**b**", "`c`", "{{c1::y}}", "$t$", cloze(2, "z"), " ", "<i>"]), max_size=6))
def test_field_renderer__renders_as_render_inline_with_and_without_marks(pieces: list[str]) -> None:
    markdown = " ".join(pieces)
    renderer = FieldRenderer()
    for _ in range(2):  # the second time from its cache: marked and finished apart
        assert renderer.inline(markdown, marks=True) == render_inline(markdown, marks=True)
        assert renderer.inline(markdown) == render_inline(markdown)


def test_field_renderer__is_still_anki_s() -> None:
    assert FieldRendererFromAnki is FieldRenderer
    assert render.absolute_url("/x", "https://a.example") == "https://a.example/x"


def test_source__escapes_what_would_start_a_block_and_links_absolute_urls() -> None:
    renderer = FieldRenderer("https://quicktakes.io")
    assert renderer.source("1. Fluids", None) == "1. Fluids"
    assert renderer.source("# Heading", None) == "# Heading"
    assert renderer.source("Fluids", "/learn/x") == (
        '<a href="https://quicktakes.io/learn/x" rel="noopener noreferrer">Fluids</a>')


# A value of each field's type (compiled classes check them), no two alike.
SAMPLES: dict[str, object] = {
    "kind": "cloze", "key": "k", "ordinal": 3, "section": ("S",), "cloze": True, "fields": ("a", "b", "c", "d"),
    "tags": ("t",), "guid": "g", "first": FirstNote("f", (), 1, "h"), "front": "front", "numbering": (("x", 1),),
    "next": 4, "content_hash": "hash", "items": (("y", 2),),
}  # fmt: skip


@pytest.mark.parametrize("cls", [RenderedCard, FirstNote, ids.ClozeNumbers])
def test_written_out_init__takes_the_fields_dataclass_would(cls: type) -> None:
    """The `__init__`s written out for speed take dataclass's arguments: the same names in
    the same order, the same defaults (`replace`, pickling and card_blob call them so)."""
    fields = dataclasses.fields(cls)
    values = {f.name: SAMPLES[f.name] for f in fields}
    assert [getattr(cls(**values), f.name) for f in fields] == list(values.values())
    assert [getattr(cls(*values.values()), f.name) for f in fields] == list(values.values())
    required = {f.name: values[f.name] for f in fields if f.default is dataclasses.MISSING}
    made = cls(**required)
    assert all(getattr(made, f.name) == f.default for f in fields if f.name not in required)


def test_written_out_init__sets_every_field_and_stays_frozen() -> None:
    first = FirstNote("f", (("x", 1),), 2, "h")
    card = RenderedCard("cloze", "k", 1, ("S",), True, ("a", "b", "c", "d"), ("t",), "g", first)
    assert [getattr(card, f.name) for f in dataclasses.fields(card)] == [
        "cloze", "k", 1, ("S",), True, ("a", "b", "c", "d"), ("t",), "g", first]
    assert dataclasses.replace(card, key="j") == RenderedCard("cloze", "j", 1, ("S",), True, ("a", "b", "c", "d"),
                                                              ("t",), "g", first)
    assert RenderedCard("q", "k", 0, (), False, ("a", "b", "c", "d"), (), "g").first is None
    assert ids.ClozeNumbers((("x", 1),), 2).next == 2
    try:
        card.key = "other"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("RenderedCard took an assignment")
