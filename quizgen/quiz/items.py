"""Quiz items: frozen dataclasses, one per item kind, plus the versions that hold them.

Text fields hold inline markdown, like the document model; exporters render it. A blank to
fill is the private-use mark `BLANK`, so a literal "___" in a document never becomes one and
each format draws it its own way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import ClassVar, Literal, Union

ItemKind = Literal["mcq", "tf", "match", "fill"]
ITEM_KINDS: tuple[ItemKind, ...] = ("mcq", "tf", "match", "fill")
KIND_NAMES: dict[str, str] = {
    "mcq": "Multiple choice",
    "tf": "True or false",
    "match": "Matching",
    "fill": "Fill in the blank",
}
BLANK = "\ue020"  # one blank; exporters draw it as "_____" or a ruled line


@dataclass(frozen=True)
class Source:
    """Where an item comes from, shown with the answer key."""

    doc_id: str
    doc_title: str
    section: tuple[str, ...]  # heading path; () for the introduction or summary
    subject: str = ""
    subject_key: str = ""
    url: str | None = None

    @property
    def section_title(self) -> str:
        return " › ".join(self.section) if self.section else "Introduction"


@dataclass(frozen=True)
class MultipleChoice:
    """Single best answer: `options[key]` is right, the others are distractors."""

    id: str
    stem: str
    options: tuple[str, ...]
    key: int
    explanation: str
    source: Source
    basis: tuple[str, ...] = ()  # coordinates of the facts used: one fact, one item
    kind: ClassVar[ItemKind] = "mcq"

    @property
    def answer(self) -> str:
        return self.options[self.key]


@dataclass(frozen=True)
class TrueFalse:
    """A statement; when false, `correction` is the true statement it was made from."""

    id: str
    statement: str
    truth: bool
    explanation: str
    source: Source
    correction: str = ""
    basis: tuple[str, ...] = ()
    kind: ClassVar[ItemKind] = "tf"

    @property
    def answer(self) -> str:
        return "True" if self.truth else "False"


@dataclass(frozen=True)
class Matching:
    """Definitions (prompts) to match with terms; `choices` is the terms in display order."""

    id: str
    prompt: str
    pairs: tuple[tuple[str, str], ...]  # (definition, term), in display order
    choices: tuple[str, ...]
    explanation: str
    source: Source
    basis: tuple[str, ...] = ()
    kind: ClassVar[ItemKind] = "match"

    @property
    def answer(self) -> str:
        return "; ".join(f"{n}–{self.letter(term)}" for n, (_, term) in enumerate(self.pairs, 1))

    def letter(self, term: str) -> str:
        return chr(ord("A") + self.choices.index(term))


@dataclass(frozen=True)
class FillIn:
    """Short answer: `text` holds one BLANK; any of `accepted` is right (case-insensitive)."""

    id: str
    text: str
    answer: str
    accepted: tuple[str, ...]
    explanation: str
    source: Source
    basis: tuple[str, ...] = ()
    kind: ClassVar[ItemKind] = "fill"


QuizItem = Union[MultipleChoice, TrueFalse, Matching, FillIn]


@dataclass(frozen=True)
class QuizVersion:
    """One shuffle of a set: the same items as every other version, in its own order."""

    set_name: str
    title: str
    number: int
    seed: int
    items: tuple[QuizItem, ...]

    @property
    def file_stem(self) -> str:
        return f"{self.set_name}-v{self.number}"

    def by_kind(self) -> list[tuple[str, list[tuple[int, QuizItem]]]]:
        """Items grouped into parts by kind, numbered through the whole version."""
        parts: dict[str, list[tuple[int, QuizItem]]] = {}
        for number, item in enumerate(self.items, 1):
            parts.setdefault(item.kind, []).append((number, item))
        return [(kind, parts[kind]) for kind in ITEM_KINDS if kind in parts]


def item_id(kind: str, *coordinates: str) -> str:
    """An id from where the item comes from, never from what it says."""
    digest = hashlib.sha1("\x1f".join((kind,) + coordinates).encode("utf-8")).hexdigest()
    return f"{kind}-{digest[:10]}"
