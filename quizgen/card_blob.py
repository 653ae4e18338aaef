"""A document's rendered cards as bytes for the cache, and back (its head too: `seal`,
used by work.head_blob).

marshal, not JSON: a cold build writes 200,000 cards and a deck writer reads them all
back, and marshal does both in about half the time, in two thirds of the space. marshal
is not meant for damaged input, so every blob starts with a digest of the rest: a blob
that does not match it is never loaded, and one that does not hold card rows reads as
a cache miss too. Loading never runs code (marshal builds values, it calls nothing). marshal's
layout may change between Python versions, so the work fingerprint names the version
(work.WorkSettings.fingerprint).
"""

from __future__ import annotations

import hashlib
import marshal
from typing import Any

from .export.notes import FirstNote, RenderedCard

MARSHAL_VERSION = marshal.version
_DIGEST_SIZE = 16


def pack(cards: tuple[RenderedCard, ...]) -> bytes:
    return seal([(c.kind, c.key, c.ordinal, c.section, c.cloze, c.fields, c.tags, c.guid,
                  None if c.first is None else (c.first.front, c.first.numbering, c.first.next, c.first.content_hash))
                 for c in cards])


def seal(value: Any) -> bytes:
    """`value` (made of marshal's plain types) as a digest-checked blob for `unseal`."""
    body = marshal.dumps(value, MARSHAL_VERSION)
    return _digest(body) + body


def unseal(blob: object) -> Any:
    """What `seal` wrote, or None for anything else (damaged, another format, not bytes)."""
    if not isinstance(blob, bytes) or blob[:_DIGEST_SIZE] != _digest(blob[_DIGEST_SIZE:]):
        return None
    try:
        return marshal.loads(blob[_DIGEST_SIZE:])
    except (ValueError, TypeError, EOFError):
        return None


def unpack(blob: object) -> tuple[RenderedCard, ...] | None:
    """The cards `pack` wrote, or None for anything else (damaged, older format, not bytes).

    Past the digest the values are not type-checked one by one: only `pack` (or someone
    who can write the cache, and could as well write any card HTML into it) makes a
    blob that matches its digest."""
    rows = unseal(blob)
    if rows is None:
        return None
    try:
        return tuple(RenderedCard(k, key, o, s, c, f, t, g, None if first is None else FirstNote(*first))
                     for k, key, o, s, c, f, t, g, first in rows)
    except (ValueError, TypeError):
        return None


def _digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest()
