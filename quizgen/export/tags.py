"""A note's Anki tags: its subject, document, section and kind, then the document's own.

Compiled (setup.py): every card of a build gets its tags here, and most cards are a
new (section, kind) pair, so the cache below mostly misses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from ..model import Card
from .files import slug

_TAG_UNSAFE: Final = re.compile(r"[^\w.+\-:]+")


def tag(text: str) -> str:
    """`text` as one Anki tag: no spaces (they separate tags) or other unsafe characters."""
    return _TAG_UNSAFE.sub("-", text).strip("-") or "x"


def note_tags(card: Card) -> tuple[str, ...]:
    section = card.section[-1] if card.section else None
    return _tags(card.subject_key or card.subject, card.doc_id, section, card.kind, card.tags)


@lru_cache(maxsize=4096)
def _tags(subject: str, doc_id: str, section: str | None, kind: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    """Cached: a document's cards share all but their section and kind (200,000 cards
    on a big build, a few distinct tag sets per document)."""
    base = [f"quizgen::{slug(subject, fallback='general')}", f"doc::{tag(doc_id)}",
            f"section::{slug(section, fallback='x') if section is not None else 'intro'}", f"kind::{kind}"]
    return tuple(dict.fromkeys(base + [tag(t) for t in extra if t.strip()]))
