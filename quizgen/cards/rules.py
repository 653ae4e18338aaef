"""The card quality rules of ../shared/CARD-QUALITY.md, as code.

`card_flags(card)` judges one card on its own fields; `duplicate_flags(cards)` judges a
set. The generator drops candidates that fail; `quizgen check` reports on any cards.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ..model import CLOZE_MARK, CLOZE_OPEN, Card, cloze_mark_pattern
from ..text import CODE_OR_MATH, content_stems, join_is_exact, joined_stems, plain_text, stems_covered, word_count
from .facts import is_meaningful

MAX_BACK_WORDS = {"term": 40, "reverse": 12, "gist": 60}
PRONOUN_START = re.compile(r"^(it|this|these|they|those|that|its|their|he|she|such|here)\b", re.IGNORECASE)
# Braces typed by an author are shown as text by the renderer (never Anki syntax), so
# only markdown that failed to parse counts here.
_RAW_MARKUP = re.compile(r"^\s{0,3}#{1,6}\s|\\n", re.MULTILINE)
RULES = ("empty", "broken-markup", "too-long", "no-context", "leak", "deletion", "duplicate")


@dataclass(frozen=True)
class Flag:
    rule: str
    reason: str


@lru_cache(maxsize=256)
def deletions(text: str) -> tuple[tuple[int, str], ...]:
    """(cloze number, deleted markdown) pairs, in order. Cached: each rule asks again."""
    return tuple((int(m.group(1)), m.group(2)) for m in CLOZE_MARK.finditer(text))


@lru_cache(maxsize=4096)
def without_deletion(text: str, number: int | None = None) -> str:
    """The text a reviewer sees for card `number`: that deletion hidden, others shown.
    (None hides every deletion; a number that is not there shows them all.)"""
    if CLOZE_OPEN not in text:
        return text
    if number is None:
        return CLOZE_MARK.sub("", text)
    return CLOZE_MARK.sub(r"\2", _deletion_numbered(number).sub("", text))


@lru_cache(maxsize=64)
def _deletion_numbered(number: int) -> re.Pattern[str]:
    return cloze_mark_pattern(str(number))


def card_flags(card: Card) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    front, back = plain_text(without_deletion(card.front, -1) if card.is_cloze else card.front), plain_text(card.back)
    if not front.strip():
        flags.append(Flag("empty", "empty front"))
    if not card.is_cloze and not back.strip():
        flags.append(Flag("empty", "empty back"))
    flags += _markup_flags(card)
    limit = MAX_BACK_WORDS.get(card.kind)
    if limit is not None and word_count(card.back) > limit:
        flags.append(Flag("too-long", f"back has {word_count(card.back)} words (max {limit})"))
    if not card.context.strip():
        flags.append(Flag("no-context", "no context line"))
    if PRONOUN_START.match(front):
        flags.append(Flag("no-context", f"starts with a pronoun: {front.split()[0]!r}"))
    flags += _leak_flags(card)
    if card.is_cloze:
        flags += _deletion_flags(card)
    return tuple(flags)


def _markup_flags(card: Card) -> list[Flag]:
    flags = []
    for name, text in (("front", card.front), ("back", card.back), ("context", card.context)):
        problem = _markup_problem(text)
        if problem:
            flags.append(Flag("broken-markup", f"{problem} in {name}"))
    return flags


@lru_cache(maxsize=1024)
def _markup_problem(text: str) -> str | None:
    """Cached: a context line is judged once for all of its cards."""
    prose = CODE_OR_MATH.sub("", text) if "`" in text or "\\" in text else text
    if ("#" in prose or "\\n" in prose) and _RAW_MARKUP.search(prose):
        return "raw markup"
    if prose.replace("\\*", "").count("**") % 2:
        return "unbalanced **"
    return None


def _leak_flags(card: Card) -> list[Flag]:
    if card.kind == "reverse":
        term_stems = content_stems(card.back)
        if term_stems and term_stems & joined_stems(card.front, card.context):
            return [Flag("leak", "the term appears in the prompt")]
    if card.kind in ("cloze", "list"):
        for number, answer in deletions(card.front):
            hidden = content_stems(answer)
            if hidden and stems_covered(hidden, *_shown_lines(without_deletion(card.front, number), card.context)):
                return [Flag("leak", f"c{number} {plain_text(answer)!r} is visible elsewhere")]
    if card.kind == "section":
        terms = [line for line in card.back.split("\n") if line.strip()]
        prompt = joined_stems(card.front, card.context)
        if any(content_stems(t) and content_stems(t) <= prompt for t in terms):
            return [Flag("leak", "a listed term appears in the prompt")]
    return []


def _shown_lines(shown: str, context: str) -> tuple[str, ...]:
    """`(shown, context)`, with `shown` cut into its lines where that keeps the same
    stems. A list note shows every item but one: its lines' stems are cached, where
    the text as a whole is new for each deletion. Without code, math or links (which
    may run across a line), no markup, word or space run crosses a newline, so the
    stems of the lines are the stems of the text."""
    if "\n" in shown and join_is_exact((shown, context)):
        return (*shown.split("\n"), context)
    return (shown, context)


def _deletion_flags(card: Card) -> list[Flag]:
    found = deletions(card.front)
    if not found:
        return [Flag("deletion", "cloze note without a deletion (Anki makes no card)")]
    flags = []
    total = len(plain_text(without_deletion(card.front, -1)))
    by_number: dict[int, list[str]] = defaultdict(list)
    for number, answer in found:
        by_number[number].append(answer)
        if not plain_text(answer).strip():
            flags.append(Flag("deletion", f"c{number} deletes nothing"))
        elif not is_meaningful(plain_text(answer)):
            flags.append(Flag("deletion", f"c{number} deletes a trivial word {plain_text(answer)!r}"))
    for number, answers in by_number.items():
        hidden = sum(len(plain_text(a)) for a in answers)
        if total and hidden * 2 > total:
            flags.append(Flag("deletion", f"c{number} hides more than half of the text"))
    return flags


def fingerprint(card: Card) -> str:
    """Cards that test the same thing share a fingerprint."""
    if card.is_cloze:
        answers = sorted(" ".join(plain_text(a).lower().split()) for _, a in deletions(card.front))
        return f"{card.kind}|{card.doc_id}|" + "|".join(answers)
    if card.kind in ("term", "reverse"):  # the same term defined twice is one fact to learn
        return f"{card.kind}|{card.doc_id}|{card.key}"
    return f"{card.kind}|{card.doc_id}|" + " ".join(plain_text(card.front).lower().split())


class SeenFacts:
    """Same fact from two places -> one card. A distinctive answer ("-70 mV", a key term)
    is the fact; a bare count ("two") is only the same fact in a similar sentence."""

    def __init__(self) -> None:
        self.by_print: dict[str, list[tuple[int, str]]] = {}

    def earlier_copy(self, card: Card, index: int) -> int | None:
        """Index of an earlier card this one repeats; else remember it and return None."""
        earlier = self.by_print.setdefault(fingerprint(card), [])
        if earlier:  # the words are compared only for cards that test the same thing
            distinctive = not card.is_cloze or all(len(plain_text(a)) >= 4 for _, a in deletions(card.front))
            for other_index, other_front in earlier:
                if distinctive or _similar(_shown_stems(card.front), _shown_stems(other_front)):
                    return other_index
        earlier.append((index, card.front))
        return None


def _shown_stems(front: str) -> frozenset[str]:
    return content_stems(without_deletion(front, -1))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a | b) and len(a & b) / len(a | b) >= 0.5


def duplicate_flags(cards: Sequence[Card]) -> dict[int, Flag]:
    """Index of each card that repeats an earlier one -> its flag."""
    seen = SeenFacts()
    flags: dict[int, Flag] = {}
    for index, card in enumerate(cards):
        earlier = seen.earlier_copy(card, index)
        if earlier is not None:
            flags[index] = Flag("duplicate", f"same fact as card {earlier + 1}")
    return flags


def check_cards(cards: Iterable[Card]) -> list[tuple[Card, tuple[Flag, ...]]]:
    """Every card with its flags (empty tuple when clean)."""
    cards = list(cards)
    dupes = duplicate_flags(cards)
    return [(c, card_flags(c) + ((dupes[i],) if i in dupes else ())) for i, c in enumerate(cards)]
