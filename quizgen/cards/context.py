"""Where a piece of a document sits, said briefly enough to head a card reviewed out of order.

Every card carries a context line ("Sodium-potassium pump › Mechanism of the pump") and
phrases prompts with a topic ("... in the mechanism of the sodium-potassium pump?").
This module also walks a document's lists and paragraphs with their section paths.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterator

from ..model import Block, Document, Paragraph, PointList, Quote, Section
from ..text import capitalize_first as capitalize
from ..text import content_stems, escape_markdown, plain_text

# Headings that name no topic of their own: prompts use the document topic instead.
GENERIC_HEADINGS = frozenset(
    (
        "overview", "introduction", "definition", "definitions", "key concepts", "key points",
        "key features", "examples", "example", "usage", "usage context", "structure",
        "conclusion", "summary", "background", "details", "notes", "key characteristics",
        "characteristics", "features", "importance", "applications", "types", "components",
        "steps", "process", "basics", "explanation", "key differences", "differences",
        "comparison", "key aspects", "aspects", "considerations", "key considerations",
        "factors", "key factors", "main points", "understanding the basics", "how it works",
    )
)  # fmt: skip
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_NUMBERING = re.compile(r"^(?:step\s+)?\d+[.):]?\s+", re.IGNORECASE)
_GENERIC_LEAD = re.compile(
    r"^(?:key |main |important |core |common )?(?:features|points|concepts|aspects|components|"
    r"characteristics|principles|properties|types|examples|applications|benefits|advantages|"
    r"overview|introduction|basics|fundamentals)\s+(?:of|in|for|to)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ListSite:
    """A list of points and where it sits."""

    section: tuple[str, ...]  # heading path
    parent_term: str | None  # for a nested list: the term of the point holding it
    points: PointList
    index: int  # position among lists in the same section (stable ordinal)

    def __init__(self, section: tuple[str, ...], parent_term: str | None, points: PointList, index: int) -> None:
        """Written out: compiled, a plain store per field (see model's classes)."""
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "parent_term", parent_term)
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "index", index)


@dataclass(frozen=True)
class ParagraphSite:
    section: tuple[str, ...]
    text: str
    index: int


def is_generic(heading: str) -> bool:
    """Names no topic of its own ("Overview", "Key Points", "How It Works", a question)."""
    words = plain_text(heading).lower().strip(" :").split()
    if not words or words[0] in ("how", "what", "why", "when", "which", "where", "who"):
        return True
    return " ".join(words) in GENERIC_HEADINGS


_EXAMPLE_HEADING = re.compile(r"^(?:an?\s+)?(?:worked\s+|practical\s+|simple\s+)?examples?\b", re.IGNORECASE)
# A sentence opening with one of these lacks its subject ("Can run on top of YARN ...").
_FRAGMENT_OPENERS = frozenset(
    """can may might must uses typically usually often generally requires provides offers
    supports relies runs works stores handles includes allows enables is are has have was were
    does involves contains ideal suitable useful designed used known built based utilizes
    leverages employs enables facilitates ensures keeps helps""".split()
)


def is_example(heading: str) -> bool:
    return bool(_EXAMPLE_HEADING.match(tidy_heading(heading)))


_VERB_FIRST = re.compile(r"^(?:[A-Z][a-z]+ly\s+[a-z]+s|[A-Z][a-z]+s)\s+(?:a|an|the|its|their|on|to|for|with)\b")


def is_fragment(sentence: str) -> bool:
    """"Can run on YARN", "Utilizes an in-memory model": a verb with no subject."""
    plain = plain_text(sentence)
    words = plain.split()
    if not words:
        return False
    if words[0].lower() in _FRAGMENT_OPENERS and words[0][:1].isupper():
        return True
    return bool(_VERB_FIRST.match(plain))


def topic(doc: Document) -> str:
    """The document's subject in a few words: its first keyword if the answer uses it."""
    return _topic(doc.answer, doc.keywords, doc.title)


@lru_cache(maxsize=4096)
def _topic(answer: str, keywords: tuple[str, ...], title: str) -> str:
    lowered = answer.lower()
    for keyword in keywords[:3]:
        if 2 <= len(keyword) <= 60 and keyword.lower() in lowered:
            return keyword
    plain = plain_text(title)
    return plain if len(plain.split()) <= 8 else " ".join(plain.split()[:8]) + "…"


def phrase(heading: str) -> str:
    """"Mechanism of the Sodium-Potassium Pump" -> "the mechanism of the sodium-potassium pump"."""
    words = [_lower_title_word(word) for word in plain_text(heading).rstrip(" :").split()]
    text = " ".join(words)
    if _LEADING_ARTICLE.match(text) or (words and words[0].endswith("ing")):
        return text  # "reporting abnormal findings" takes no article
    return f"the {text}"


def _lower_title_word(word: str) -> str:
    """Lowercase Title-case words; keep acronyms and names with inner capitals (ATPase, pH)."""
    parts = word.strip("()[],.;:\"'").split("-")
    if all(p[:1].isupper() and p[1:].islower() or p.islower() or not p.isalpha() for p in parts if p):
        return word.lower()
    return word


@lru_cache(maxsize=4096)
def tidy_heading(heading: str) -> str:
    """"2. Data Storage:" -> "Data Storage": numbering and trailing colons are layout."""
    return _NUMBERING.sub("", plain_text(heading)).rstrip(" :")


def context_line(doc: Document, section: tuple[str, ...], parent_term: str | None = None) -> str:
    """"Topic › Section › Parent term", skipping parts the topic already says."""
    return _context_line(topic(doc), section[-1:], parent_term)


@lru_cache(maxsize=1024)
def _context_line(document_topic: str, heading: tuple[str, ...], parent_term: str | None) -> str:
    """Cached: every point of a list, and every card kind, asks for the same line."""
    head, topic_stems = _context_head(document_topic, heading)
    tidy = tidy_heading(parent_term) if parent_term else ""
    if tidy and not content_stems(tidy) <= topic_stems:
        return head + " › " + escape_markdown(tidy)
    return head


@lru_cache(maxsize=256)
def _context_head(document_topic: str, heading: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """The line up to its parent term, and the topic's stems: the points of one list
    each name their own term after the same head."""
    parts = [capitalize(document_topic)]
    topic_stems = content_stems(parts[0])
    for part in heading:
        tidy = tidy_heading(part) if part else ""
        if tidy and not content_stems(tidy) <= topic_stems:
            parts.append(tidy)
    return " › ".join(escape_markdown(p) for p in parts), topic_stems  # plain text, written as markdown


@dataclass(frozen=True)
class Where:
    """Where a prompt is set: a named place ("the mechanism of the pump") or the topic."""

    text: str
    is_topic: bool

    def __init__(self, text: str, is_topic: bool) -> None:
        """Written out: compiled, a plain store per field (see model's classes)."""
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "is_topic", is_topic)


def prompt_where(doc: Document, section: tuple[str, ...], parent_term: str | None, avoid: str) -> Where | None:
    """The most specific non-generic place name that does not give away `avoid`."""
    return PromptPlaces(doc, section, parent_term).where(avoid)


class PromptPlaces:
    """The places a prompt under one list may name, judged once for all its points:
    only whether a place gives away the point's own term differs from point to point."""

    def __init__(self, doc: Document, section: tuple[str, ...], parent_term: str | None) -> None:
        name = topic(doc)
        self.topic_stems = content_stems(name)
        self.topic_where = Where(escape_markdown(capitalize(name)), is_topic=True)
        # (stems of a named place, its Where; None where the topic already says it all)
        self.named: list[tuple[frozenset[str], Where | None]] = []
        places = ([parent_term] if parent_term else []) + ([section[-1]] if section else [])
        for candidate in places:
            place = _GENERIC_LEAD.sub("", tidy_heading(candidate or ""))
            if not place or is_generic(place):
                continue
            stems = content_stems(place)
            covered = stems <= self.topic_stems  # "Key Features of Computation Graphs" names nothing beyond the topic
            self.named.append((stems, None if covered else Where(escape_markdown(capitalize(place)), is_topic=False)))

    def where(self, avoid: str) -> Where | None:
        """The most specific place that does not give away `avoid`, else the topic if it does not."""
        avoid_stems = content_stems(avoid)
        for stems, where in self.named:
            if stems & avoid_stems:
                continue
            if where is None:
                break
            return where
        if not self.topic_stems & avoid_stems:
            return self.topic_where
        return None


# ---------------------------------------------------------------- walking a document


def walk_lists(doc: Document) -> Iterator[ListSite]:
    yield from _lists_in(doc.intro, (), None)
    for section in doc.sections:
        yield from _lists_in_section(section, ())


def _lists_in_section(section: Section, path: tuple[str, ...]) -> Iterator[ListSite]:
    here = path + (section.heading,)
    yield from _lists_in(section.blocks, here, None)
    for sub in section.subsections:
        yield from _lists_in_section(sub, here)


def _lists_in(blocks: tuple[Block, ...], path: tuple[str, ...], parent: str | None) -> Iterator[ListSite]:
    index = 0
    for block in blocks:
        if isinstance(block, PointList):
            yield ListSite(path, parent, block, index)
            index += 1
            for point in block.points:
                yield from _lists_in(point.children, path, point.term or parent)
        elif isinstance(block, Quote):
            yield from _lists_in(block.blocks, path, parent)


def walk_paragraphs(doc: Document) -> Iterator[ParagraphSite]:
    yield from _paragraphs_in(doc.intro, ())
    for section in doc.sections:
        yield from _paragraphs_in_section(section, ())


def _paragraphs_in_section(section: Section, path: tuple[str, ...]) -> Iterator[ParagraphSite]:
    here = path + (section.heading,)
    yield from _paragraphs_in(section.blocks, here)
    for sub in section.subsections:
        yield from _paragraphs_in_section(sub, here)


def _paragraphs_in(blocks: tuple[Block, ...], path: tuple[str, ...]) -> Iterator[ParagraphSite]:
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            yield ParagraphSite(path, block.text, index)
