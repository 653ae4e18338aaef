"""Wrong options for an MCQ: sibling terms first, then the document's, then the subject's.

A distractor must be the same kind of thing as the key and about as long (a one-word
disease name among three-word procedures stands out), and must never be the key again
in other words: compared by stems, so "Hypokalemia" and "Signs of Hypokalemia" clash.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..text import plain_text, words
from .facts import TermPoint, norm_key, term_stems, usable_term

MAX_DISTANCE = 1.2  # beyond this a distractor looks nothing like the key
BANNED = re.compile(r"\b(all|none|both|neither) of (the|these) (above|options)\b|^(all|none|both|neither)$", re.I)


@dataclass(frozen=True)
class TermPool:
    """Every usable term of the documents in play, indexed for the three tiers."""

    by_group: dict[str, tuple[TermPoint, ...]]
    by_doc: dict[str, tuple[TermPoint, ...]]
    by_subject: dict[str, tuple[TermPoint, ...]]

    @classmethod
    def build(cls, points: list[TermPoint]) -> "TermPool":
        groups: dict[str, list[TermPoint]] = {}
        docs: dict[str, list[TermPoint]] = {}
        subjects: dict[str, list[TermPoint]] = {}
        for point in points:
            if usable_term(point.term):
                groups.setdefault(point.group, []).append(point)
                docs.setdefault(point.source.doc_id, []).append(point)
                subjects.setdefault(point.source.subject_key, []).append(point)

        def freeze(d: dict[str, list[TermPoint]]) -> dict[str, tuple[TermPoint, ...]]:
            return {k: tuple(v) for k, v in d.items()}

        return cls(freeze(groups), freeze(docs), freeze(subjects))

    def tiers(self, key: TermPoint) -> tuple[tuple[TermPoint, ...], ...]:
        return (
            self.by_group.get(key.group, ()),
            self.by_doc.get(key.source.doc_id, ()),
            self.by_subject.get(key.source.subject_key, ()),
        )


def _shape(term: str) -> tuple[bool, bool, bool]:
    """Kind markers that must agree: code, digits, an acronym."""
    plain = plain_text(term)
    return ("`" in term, any(c.isdigit() for c in plain), plain.isupper() and len(plain) <= 6)


def distance(key: str, other: str) -> float:
    """How different two terms look: length, word count, first word and ending."""
    a, b = plain_text(key), plain_text(other)
    wa, wb = words(a), words(b)
    d = abs(math.log(max(len(a), 1) / max(len(b), 1))) + 0.25 * abs(len(wa) - len(wb))
    if len(wa) > 1 and wa and wb and wa[0].lower() == wb[0].lower():
        d -= 0.2  # "Signs of X" with "Signs of Y"
    if wa and wb and wa[-1][-4:].lower() == wb[-1][-4:].lower():
        d -= 0.2  # "Hypokalemia" with "Hyponatremia"
    return d


def clashes(key: str, other: str) -> bool:
    """Same term in other words, or one containing the other."""
    a, b = term_stems(key), term_stems(other)
    return not a or not b or a <= b or b <= a or norm_key(key) == norm_key(other)


def choose_distractors(key: TermPoint, pool: TermPool, stem: str, count: int = 3) -> tuple[str, ...] | None:
    """`count` distractors for `key`, best first, or None when there are not enough good ones."""
    ranked: list[tuple[int, float, str, str]] = []
    seen: set[str] = set()
    for tier, candidates in enumerate(pool.tiers(key)):
        for other in candidates:
            norm = norm_key(other.term)
            if norm in seen or norm == norm_key(key.term):
                continue
            seen.add(norm)
            if not acceptable(key.term, other.term, stem):
                continue
            score = distance(key.term, other.term)
            if score <= MAX_DISTANCE:  # the nearest tier first, then the most alike
                ranked.append((tier, score, plain_text(other.term).lower(), other.term))
    ranked.sort()
    chosen: list[str] = []
    for _, _, _, term in ranked:
        if all(not clashes(term, c) for c in chosen):
            chosen.append(term)
        if len(chosen) == count:
            return tuple(chosen)
    return None


def acceptable(key: str, other: str, stem: str) -> bool:
    if BANNED.search(plain_text(other)) or clashes(key, other) or _shape(key) != _shape(other):
        return False
    lengths = sorted((len(plain_text(key)), len(plain_text(other))))
    if lengths[1] > 2.5 * max(lengths[0], 1):
        return False
    # Named in the stem: it would read as a hint, or as a second right answer.
    return not term_stems(other) <= {w for w in term_stems(plain_text(stem))}
