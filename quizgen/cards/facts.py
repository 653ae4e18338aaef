"""Find the testable facts in a sentence of inline markdown: numbers with units, counts,
key terms, for cloze cards. The unit vocabulary, number piece and code/math spans are
shared with quiz items through `quizgen.text_numbers`.

A Fact is a span of the *markdown* string, so callers can cut it out or wrap it in a
cloze mark without losing formatting. Facts never fall inside code or math spans.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterable, Literal

from ..text import STOPWORDS, VAGUE_WORDS, stem, words
from ..text_numbers import CARD_ONLY_UNITS, MINUS, NUMBER, protected_spans, unit_pattern

FactKind = Literal["number", "count", "keyword", "bold"]


@dataclass(frozen=True)
class Fact:
    start: int
    end: int
    text: str
    kind: FactKind


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100,
}  # fmt: skip
# Fact spans may be thousands groups or dotted numbers ("1,000", "1.2.3"), kept whole so a
# card never clozes half of one; an en dash or plus sign may lead too.
_NUM = rf"[{MINUS}–+]?{NUMBER}(?:[.,]\d+)*"
_UNIT = rf"\s*(?:{unit_pattern(CARD_ONLY_UNITS)})(?![\w/])"
_NUMBER_FACT = re.compile(
    rf"(?<![\w.])(?:between\s+)?{_NUM}(?:{_UNIT})?\s*(?:to|-|–|—|and)\s*{_NUM}{_UNIT}"
    rf"|(?<![\w.]){_NUM}{_UNIT}",
    re.VERBOSE,
)
_DECIMAL = re.compile(r"(?<![\w.$\\/-])\d+\.\d+(?!\w|\.\d)")
_PLAIN_RANGE = re.compile(rf"(?<![\w.$\\]){_NUM}\s+(?:to|-|–)\s+{_NUM}(?!\w|\.\d)")
_COUNT = re.compile(
    r"(?<![\w.,-])(" + "|".join(NUMBER_WORDS) + r"|\d{1,2})(?![.,]\d)(?=\s+(?:[A-Za-z+-]+\s+){0,2}?[a-z]+s\b)",
    re.IGNORECASE,
)
_DEFINITE_BEFORE = re.compile(r"\b(the|these|those|both|all)\s+$", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_DIGIT = re.compile(r"\d")


def _free(span: tuple[int, int], blocked: Iterable[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in blocked)


def find_facts(text: str, keywords: Iterable[str] = ()) -> list[Fact]:
    """All non-overlapping facts in `text`, in order; numbers win over keywords."""
    blocked = protected_spans(text)
    found: list[Fact] = []

    def add(start: int, end: int, kind: FactKind) -> None:
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        span = (start, end)
        if end > start and _free(span, blocked) and _free(span, [(f.start, f.end) for f in found]):
            found.append(Fact(start, end, text[start:end], kind))

    lowered = text.lower() if text.isascii() else None
    digits = bool(_DIGIT.search(text))
    if digits:  # most sentences hold no number: skip the three number scans
        for pattern in (_NUMBER_FACT, _PLAIN_RANGE, _DECIMAL):
            for m in pattern.finditer(text):
                add(m.start(), m.end(), "number")
    if digits or lowered is None or any(word in lowered for word in NUMBER_WORDS):
        for m in _COUNT.finditer(text):
            if not _DEFINITE_BEFORE.search(text, 0, m.start(1)):
                add(m.start(1), m.end(1), "count")  # "the two points" were counted before
    if "**" in text:
        for m in _BOLD.finditer(text):
            if is_meaningful(m.group(1)):
                add(m.start(), m.end(), "bold")
    for keyword in _longest_first(tuple(keywords)):
        if lowered is not None and keyword.isascii() and keyword.lower() not in lowered:
            continue  # cannot match: the scan below is the costly part
        for m in _keyword_pattern(keyword).finditer(text):
            add(m.start(), m.end(), "keyword")
    return sorted(found, key=lambda f: f.start)


@lru_cache(maxsize=1024)
def _longest_first(keywords: tuple[str, ...]) -> list[str]:
    return sorted(set(keywords), key=len, reverse=True)


@lru_cache(maxsize=8192)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(keyword) + r"(?![\w-])", re.IGNORECASE)


def is_meaningful(answer: str) -> bool:
    """A deletion worth making: not a stopword, vague word, single letter or punctuation."""
    tokens = words(answer.replace("**", ""))
    if not tokens:
        return False
    content = [t for t in tokens if t.lower() not in STOPWORDS]
    if not content:
        return False
    if len(tokens) == 1:
        token = tokens[0]
        if len(token) == 1 and not token.isdigit():
            return False
        if token.lower() in VAGUE_WORDS:
            return False
    return True


def answer_stems(answer: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(answer) if w.lower() not in STOPWORDS)
