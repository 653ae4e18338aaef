"""The data every stage hands the next: frozen dataclasses and tuples only.

Text fields hold *inline markdown* (bold, code, math as `$..$` / `\\(..\\)`), with the
answer's literal "\\n" already decoded. Rendering to HTML happens only in `export/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Literal, Union

# ---------------------------------------------------------------- pickling


def by_fields(value: Any) -> tuple[Any, tuple[Any, ...]]:
    """`__reduce__` for a frozen dataclass that crosses processes: rebuilt through its
    constructor. Compiled by mypyc (setup.py), such a class would otherwise be unpickled
    attribute by attribute, which its frozen `__setattr__` refuses."""
    return type(value), tuple(getattr(value, f.name) for f in fields(value))


# ---------------------------------------------------------------- answer structure
#
# The classes built for every point and card write their `__init__` out, with
# `object.__setattr__` and literal names: compiled, each is a plain store, where the
# `__init__` dataclass generates runs as interpreted Python (4 µs for a Card). dataclass
# keeps a class's own `__init__`; eq, repr, hash, replace and pickling are unchanged, and
# tests/test_model_inits.py holds each signature to the class's fields.


@dataclass(frozen=True)
class Paragraph:
    text: str

    def __init__(self, text: str) -> None:
        object.__setattr__(self, "text", text)


@dataclass(frozen=True)
class CodeBlock:
    code: str
    language: str = ""


@dataclass(frozen=True)
class MathBlock:
    """Display math, TeX without delimiters."""

    tex: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Point:
    """One list item. `term` is the bold lead (`**Active Transport**:`), else None."""

    term: str | None
    text: str
    children: tuple["Block", ...] = ()

    def __init__(self, term: str | None, text: str, children: tuple["Block", ...] = ()) -> None:
        object.__setattr__(self, "term", term)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "children", children)


@dataclass(frozen=True)
class PointList:
    ordered: bool
    points: tuple[Point, ...]
    start: int = 1

    def __init__(self, ordered: bool, points: tuple[Point, ...], start: int = 1) -> None:
        object.__setattr__(self, "ordered", ordered)
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "start", start)


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]


Block = Union[Paragraph, CodeBlock, MathBlock, Table, PointList, Quote]


@dataclass(frozen=True)
class Section:
    heading: str
    level: int
    blocks: tuple[Block, ...] = ()
    subsections: tuple["Section", ...] = ()

    def __init__(self, heading: str, level: int, blocks: tuple[Block, ...] = (),
                 subsections: tuple["Section", ...] = ()) -> None:
        object.__setattr__(self, "heading", heading)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "blocks", blocks)
        object.__setattr__(self, "subsections", subsections)


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    question: str
    subject: str  # display form, as written
    subject_key: str  # normalised for grouping: case, spacing
    path: str
    answer: str  # decoded markdown, the source of everything below
    intro: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    summary: str | None = None  # the closing "In summary, ..." paragraph
    keywords: tuple[str, ...] = ()
    url: str | None = None
    date: str | None = None
    description: str | None = None


# ---------------------------------------------------------------- cards

CardKind = Literal["term", "reverse", "cloze", "list", "gist", "section", "formula"]
CLOZE_KINDS: frozenset[str] = frozenset({"cloze", "list"})
CARD_KINDS: tuple[str, ...] = ("term", "reverse", "cloze", "list", "gist", "section", "formula")

# Cloze deletions travel through markdown rendering as private-use characters, so a
# literal "{{c1::x}}" typed in a document can never be mistaken for one of ours.
CLOZE_OPEN = "\ue000"  # followed by the deletion number, then CLOZE_MID
CLOZE_MID = "\ue001"
CLOZE_CLOSE = "\ue002"
PRIVATE_MARKS = CLOZE_OPEN + CLOZE_MID + CLOZE_CLOSE


def cloze(number: int, text: str) -> str:
    """Mark `text` as deletion `number` (rendered as `{{cN::text}}` by the exporter)."""
    return f"{CLOZE_OPEN}{number}{CLOZE_MID}{text}{CLOZE_CLOSE}"


def cloze_mark_pattern(number: str = r"(\d+)") -> re.Pattern[str]:
    """A deletion mark as written by `cloze`: group 1 its number (unless `number` is one
    literal number), the last group its text."""
    return re.compile(re.escape(CLOZE_OPEN) + number + re.escape(CLOZE_MID) + "(.*?)" + re.escape(CLOZE_CLOSE),
                      re.DOTALL)


CLOZE_MARK = cloze_mark_pattern()


@dataclass(frozen=True)
class Card:
    """One note to be. Cloze kinds keep their deletions marked with `cloze()` in `front`."""

    kind: CardKind
    doc_id: str
    section: tuple[str, ...]  # heading path, () for the intro / whole document
    key: str  # stable coordinate inside the section: point term, "intro", "p3", ...
    ordinal: int  # several cards of one kind at one key: 0, 1, ...
    front: str  # markdown; for cloze kinds the text with deletions
    back: str  # markdown; for cloze kinds the Extra field
    context: str  # short topic line shown above the prompt
    source_url: str | None = None
    source_title: str = ""
    subject: str = ""
    subject_key: str = ""
    tags: tuple[str, ...] = field(default=())

    def __init__(self, kind: CardKind, doc_id: str, section: tuple[str, ...], key: str, ordinal: int, front: str,
                 back: str, context: str, source_url: str | None = None, source_title: str = "", subject: str = "",
                 subject_key: str = "", tags: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "doc_id", doc_id)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "ordinal", ordinal)
        object.__setattr__(self, "front", front)
        object.__setattr__(self, "back", back)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "source_url", source_url)
        object.__setattr__(self, "source_title", source_title)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "subject_key", subject_key)
        object.__setattr__(self, "tags", tags)

    @property
    def is_cloze(self) -> bool:
        return self.kind in CLOZE_KINDS

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """A rejected file or a warning, kept as a value so nothing is dropped silently."""

    path: str
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)
