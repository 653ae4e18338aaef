"""One document's work: file bytes -> parsed -> cards -> rendered cards.

Pure and picklable, so it runs in worker processes and its result is cached by the
file's content (cache.py). Everything that needs the whole build (GUIDs, decks, the
previous build's state) happens afterwards in pipeline.py, on these small results.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass, field, fields

from . import __version__
from .card_blob import MARSHAL_VERSION, pack, seal, unseal
from .cards.generate import CardOptions, generate_cards
from .errors import QuizgenError
from .export.anki import FieldRenderer, gc_paused
from .export.notes import RenderedCard, render_card
from .model import Document, Problem
from .parse.document import decode_bytes, parse_document
from .sources import problem_from


WORK_FORMAT = 6  # bump whenever DocWork, RenderedCard or what fills them changes shape


@dataclass(frozen=True)
class DocHead:
    """What the build needs of a document once its cards exist."""

    id: str
    title: str
    subject: str
    subject_key: str
    path: str
    url: str | None
    content: str  # digest of what the document says, to spot exact copies


_HEAD_FIELDS = tuple(f.name for f in fields(DocHead))


@dataclass(frozen=True)
class DocWork:
    head: DocHead
    cards: tuple[RenderedCard, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(card.kind for card in self.cards)


@dataclass(frozen=True)
class DocRef:
    """A document in this build: its head, content key and card kinds; its cards are
    loaded from the cache only if its deck has to be written again."""

    head: DocHead
    key: str
    kinds: tuple[str, ...]
    cards: tuple[RenderedCard, ...] | None


@dataclass(frozen=True)
class WorkSettings:
    cards: CardOptions = field(default_factory=CardOptions)
    site_url: str | None = None

    def fingerprint(self) -> str:
        """Changes whenever a cached result could differ: settings, quizgen itself, or the
        Python that reads the marshal blobs (card_blob)."""
        text = (f"{__version__}|{WORK_FORMAT}|{sys.implementation.cache_tag}|{MARSHAL_VERSION}|{code_fingerprint()}"
                f"|{sorted(self.cards.kinds)}|{self.cards.max_per_document}|{self.cards.reverse}|{self.site_url}")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Encoded:
    """A document's work already encoded for the cache, so the main process only stores
    bytes and keeps the head: the cards stay in the cache until their deck is written."""

    head: DocHead
    kinds: tuple[str, ...]
    head_blob: bytes  # head_blob(head, kinds)
    cards_blob: bytes  # card_blob.pack


def encode(work: DocWork) -> Encoded:
    return Encoded(work.head, work.kinds, head_blob(work.head, work.kinds), pack(work.cards))


def head_blob(head: DocHead, kinds: tuple[str, ...]) -> bytes:
    """A sealed marshal blob (card_blob), not JSON: every rebuild reads all 10,000 heads
    back, and these read in half the time."""
    return seal((tuple(map(head.__getattribute__, _HEAD_FIELDS)), kinds))


def head_from_blob(blob: object) -> tuple[DocHead, tuple[str, ...]] | None:
    """What `head_blob` wrote, or None for anything else (damaged, another format: a miss)."""
    value = unseal(blob)
    try:
        head, kinds = value
        if type(head) is not tuple or type(kinds) is not tuple:
            return None
        return DocHead(*head), kinds
    except (ValueError, TypeError):
        return None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of quizgen's own source: any change to parsing, cards or rendering makes
    every cached result stale, without anyone having to remember to bump a number."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode("utf-8"))
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def head_of(doc: Document) -> DocHead:
    said = "\x1f".join((doc.title, doc.question, doc.subject_key, doc.answer, doc.url or ""))
    return DocHead(doc.id, doc.title, doc.subject, doc.subject_key, doc.path, doc.url,
                   hashlib.sha256(said.encode("utf-8")).hexdigest())


def do_document(path: str, data: bytes, settings: WorkSettings) -> DocWork | Problem:
    """Parse, generate and render one document; bad input becomes a Problem."""
    try:
        doc = parse_document(decode_bytes(data, path), path)
        cards = generate_cards(doc, settings.cards)
    except QuizgenError as error:
        return problem_from(error, path)
    render = FieldRenderer(settings.site_url)
    return DocWork(head_of(doc), tuple(render_card(card, render) for card in cards))


def do_batch(batch: list[tuple[str, bytes]], settings: WorkSettings,
             encoded: bool = False) -> list[DocWork | Encoded | Problem]:
    """A worker's share: several documents per round trip keeps pickling overhead low.
    With `encoded`, results come back ready for the cache (encoding is work too)."""
    with gc_paused():
        results = [do_document(path, data, settings) for path, data in batch]
        return [encode(r) if encoded and isinstance(r, DocWork) else r for r in results]
