"""Written-out `__init__`s (model, cards; for compiled speed) take exactly the dataclass's fields."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from quizgen.cards.context import ListSite, Where
from quizgen.cards.facts import Fact
from quizgen.model import Card, Paragraph, Point, PointList, Section

# One argument per field, in field order, each distinct from the others of its type, so
# a store into the wrong attribute shows (compiled classes also check the types).
SAMPLES: dict[type, tuple[object, ...]] = {
    Paragraph: ("a paragraph",),
    Point: ("Term", "what it says", (Paragraph("child"),)),
    PointList: (True, (Point(None, "one"),), 3),
    Section: ("Heading", 2, (Paragraph("block"),), (Section("Sub", 3),)),
    Card: ("cloze", "doc-1", ("A", "B"), "key", 4, "front", "back", "context", "https://example.org/x",
           "source title", "Subject", "subject", ("tag-1",)),
    ListSite: (("A", "B"), "Term", PointList(False, (Point("T", "x"),)), 2),
    Where: ("the mechanism of the pump", True),
    Fact: (3, 9, "5 mmHg", "number"),
}


def _field_default(f: dataclasses.Field) -> object:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return inspect.Parameter.empty


@pytest.mark.parametrize("cls", SAMPLES, ids=lambda c: c.__name__)
def test_init__has_the_fields_in_order_with_their_defaults(cls: type) -> None:
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]  # without self
    if [p.kind for p in parameters] == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]:
        pytest.skip("compiled: the signature is not introspectable (the pure-Python run checks it)")
    assert [p.name for p in parameters] == [f.name for f in dataclasses.fields(cls)]
    assert [p.default for p in parameters] == [_field_default(f) for f in dataclasses.fields(cls)]


@pytest.mark.parametrize("cls", SAMPLES, ids=lambda c: c.__name__)
def test_init__sets_every_field_and_stays_frozen(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    values = list(SAMPLES[cls])
    made = cls(*values)
    assert [getattr(made, name) for name in names] == values
    assert made == cls(**dict(zip(names, values)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, names[0], values[0])


@pytest.mark.parametrize("cls", SAMPLES, ids=lambda c: c.__name__)
def test_init__defaults_are_the_fields_defaults(cls: type) -> None:
    required = [f for f in dataclasses.fields(cls) if _field_default(f) is inspect.Parameter.empty]
    made = cls(*SAMPLES[cls][: len(required)])
    for f in dataclasses.fields(cls)[len(required):]:
        assert getattr(made, f.name) == _field_default(f)


def test_replace__goes_through_the_written_out_init() -> None:
    card = Card("term", "d", ("s",), "k", 0, "front", "back", "ctx")
    assert dataclasses.replace(card, ordinal=2) == Card("term", "d", ("s",), "k", 2, "front", "back", "ctx")
