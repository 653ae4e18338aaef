"""A document as quiz material: its termed points and its sentences, each with coordinates.

Coordinates (`doc|section path|p3|s0`) name where a fact sits, so two items built on the
same fact can be kept out of one set (a true/false item would give away an MCQ's key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..model import Block, Document, Paragraph, Point, PointList, Quote, Section
from ..text import STOPWORDS, VAGUE_WORDS, content_stems, drop_summary_lead, plain_text, sentences, stem, words
from .items import Source

GENERIC_WORDS = frozenset(
    """example examples note notes summary conclusion overview introduction definition
    step steps stage phase part option method approach tip tips case advantage advantages
    disadvantage disadvantages pro pros con cons benefit benefits limitation limitations
    key point points other others safety measures considerations strategies guidelines
    principles management precautions concepts components features characteristics basics
    importance applications uses factors""".split()
)
_LABEL = re.compile(r"^(step|example|case|phase|stage|part|option|method|approach|tip|level|type)\s*\d+\b", re.I)
ANAPHORA = frozenset("this these that those it its they their such here there another you".split())


@dataclass(frozen=True)
class TermPoint:
    """A point with a bold term: the stuff of MCQ, true/false and matching items."""

    term: str  # markdown
    text: str  # markdown after the colon
    sentence: str  # first sentence of `text`
    source: Source
    coord: str  # the point
    group: str  # its point list: siblings share it

    @property
    def term_key(self) -> str:
        return f"{self.source.doc_id}|term|{norm_key(self.term)}"


@dataclass(frozen=True)
class Sentence:
    text: str  # markdown
    source: Source
    coord: str
    term: str | None = None  # the point's term when the sentence sits in a point
    index: int = 0  # position in its point or paragraph


@dataclass(frozen=True)
class Material:
    document: Document
    points: tuple[TermPoint, ...]
    sentences: tuple[Sentence, ...]


def norm_key(text: str) -> str:
    """Case-, spacing- and inflection-insensitive form of a term, for duplicate checks."""
    return " ".join(sorted(term_stems(text)))


def term_stems(text: str) -> frozenset[str]:
    """Content stems of a term, plus the parts of hyphenated or slashed words."""
    found = set(content_stems(text))
    for word in words(plain_text(text)):
        for part in re.split(r"[-/]", word):
            if len(part) > 1 and part.lower() not in STOPWORDS:
                found.add(stem(part))
    return frozenset(found)


def usable_term(term: str) -> bool:
    """A term worth asking about: short, specific, not a label such as "Step 1"."""
    plain = plain_text(term).strip()
    tokens = words(plain)
    if not 2 <= len(plain) <= 60 or not tokens or len(tokens) > 7 or plain.endswith("?"):
        return False
    if _LABEL.match(plain):
        return False
    meaningful = [w for w in tokens if w.lower() not in STOPWORDS | VAGUE_WORDS | GENERIC_WORDS]
    return bool(meaningful) and bool(content_stems(plain))


def usable_sentence(sentence: str, *, low: int = 5, high: int = 40) -> bool:
    plain = plain_text(sentence)
    count = len(plain.split())
    return low <= count <= high and not plain.rstrip().endswith((":", "?")) and plain[:1].isalnum()


_CONNECTIVE = re.compile(
    r"^(in other words|for example|for instance|however|similarly|additionally|also|thus|therefore|"
    r"finally|then|next|instead|otherwise|conversely|in contrast|as a result|moreover|furthermore|"
    r"in this case|in addition)\b", re.I)


def standalone(sentence: str, *, subject_it: bool = False) -> bool:
    """Makes sense without the sentence before it ("This process...", "However, ..." do not).

    `subject_it`: a point's first sentence may open with "It": it means the term.
    """
    plain = plain_text(sentence)
    first = words(plain)[:1]
    if not first or _CONNECTIVE.match(plain):
        return False
    return first[0].lower() not in ANAPHORA or (subject_it and first[0].lower() in ("it", "its"))


def gather(document: Document) -> Material:
    """Every termed point and every sentence of a document, in reading order."""
    points: list[TermPoint] = []
    found: list[Sentence] = []
    base = Source(document.id, document.title, (), document.subject, document.subject_key, document.url)

    def source_for(path: tuple[str, ...]) -> Source:
        return Source(base.doc_id, base.doc_title, path, base.subject, base.subject_key, base.url)

    def walk_blocks(blocks: tuple[Block, ...], path: tuple[str, ...], where: str) -> None:
        for b, block in enumerate(blocks):
            here = f"{where}|b{b}"
            if isinstance(block, Paragraph):
                add_sentences(block.text, source_for(path), here, None)
            elif isinstance(block, PointList):
                for p, point in enumerate(block.points):
                    walk_point(point, path, f"{here}|p{p}", here)
            elif isinstance(block, Quote):
                walk_blocks(block.blocks, path, here)

    def walk_point(point: Point, path: tuple[str, ...], coord: str, group: str) -> None:
        source = source_for(path)
        if point.term and point.text.strip():
            split = sentences(point.text)
            points.append(TermPoint(point.term, point.text, split[0] if split else "", source, coord, group))
        add_sentences(point.text, source, coord, point.term)
        walk_blocks(point.children, path, coord)

    def add_sentences(text: str, source: Source, coord: str, term: str | None) -> None:
        for i, sentence in enumerate(sentences(text)):
            found.append(Sentence(sentence, source, f"{coord}|s{i}", term, i))

    def walk_section(section: Section, path: tuple[str, ...]) -> None:
        here = path + (plain_text(section.heading).rstrip(" :"),)  # "For macOS:" -> "For macOS"
        walk_blocks(section.blocks, here, f"{document.id}|{'/'.join(here)}")
        for sub in section.subsections:
            walk_section(sub, here)

    walk_blocks(document.intro, (), f"{document.id}|")
    for section in document.sections:
        walk_section(section, ())
    if document.summary:
        add_sentences(drop_summary_lead(document.summary), base, f"{document.id}|summary", None)
    return Material(document, tuple(points), tuple(found))


def iter_groups(points: tuple[TermPoint, ...]) -> Iterator[tuple[str, list[TermPoint]]]:
    """Sibling points, list by list, in reading order."""
    groups: dict[str, list[TermPoint]] = {}
    for point in points:
        groups.setdefault(point.group, []).append(point)
    yield from groups.items()
