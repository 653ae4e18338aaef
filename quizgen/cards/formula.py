"""Formula cards: a lead-in sentence ending in ':' followed by display math.

"The RBF kernel is mathematically defined as: $$K(x, x') = ...$$" becomes a Q&A card
whose back is the formula — the fact a student actually has to recall in a math-heavy
document, which sentence clozes cannot reach.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Block, Card, Document, MathBlock, Paragraph, PointList, Section
from ..text import capitalize_first, plain_text, sentences, word_count
from .base import make_card
from .context import context_line
from .keys import slug
from .rules import PRONOUN_START

_CONNECTIVE = re.compile(r"^(thus|so|then|therefore|hence|finally|now|here|similarly),?\s+", re.IGNORECASE)
_VAGUE_LEADIN = re.compile(r"\b(this|these|that|those|above|below|following|it)\b", re.IGNORECASE)
MIN_LEADIN_WORDS = 7  # "The result is given by" says too little to prompt a formula


def formula_cards(doc: Document) -> Iterator[Card]:
    yield from _in_blocks(doc, doc.intro, (), None)
    for section in doc.sections:
        yield from _in_section(doc, section, ())


def _in_section(doc: Document, section: Section, path: tuple[str, ...]) -> Iterator[Card]:
    here = path + (section.heading,)
    yield from _in_blocks(doc, section.blocks, here, None)
    for sub in section.subsections:
        yield from _in_section(doc, sub, here)


def _in_blocks(doc: Document, blocks: tuple[Block, ...], path: tuple[str, ...], term: str | None) -> Iterator[Card]:
    previous: str | None = None
    for block in blocks:
        if isinstance(block, MathBlock) and previous is not None:
            card = _card(doc, previous, block.tex, path, term)
            if card is not None:
                yield card
        if isinstance(block, PointList):
            for point in block.points:
                lead = point.text if point.children and isinstance(point.children[0], MathBlock) else None
                if lead:
                    card = _card(doc, lead, point.children[0].tex, path, point.term or term)  # type: ignore[union-attr]
                    if card is not None:
                        yield card
                yield from _in_blocks(doc, point.children, path, point.term or term)
        previous = block.text if isinstance(block, Paragraph) else None


def _card(doc: Document, lead_text: str, tex: str, path: tuple[str, ...], term: str | None) -> Card | None:
    parts = sentences(lead_text)
    if not parts or not parts[-1].rstrip().endswith(":"):
        return None
    lead = _CONNECTIVE.sub("", parts[-1].rstrip().rstrip(":").rstrip())
    plain = plain_text(lead)
    if word_count(lead) < MIN_LEADIN_WORDS or PRONOUN_START.match(plain) or _VAGUE_LEADIN.search(plain):
        return None
    front = capitalize_first(lead) + " …"
    back = f"\\[{tex}\\]"
    key = "formula/" + slug(lead)[:80]
    return make_card(doc, "formula", section=path, key=key, front=front, back=back, context=context_line(doc, path, term))
