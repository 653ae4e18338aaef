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
from typing import Final, Literal

from ..text import STOPWORDS, VAGUE_WORDS, stem, words
from ..text_numbers import CARD_ONLY_UNITS, MINUS, NUMBER, protected_spans, unit_pattern

FactKind = Literal["number", "count", "keyword", "bold"]


@dataclass(frozen=True)
class Fact:
    start: int
    end: int
    text: str
    kind: FactKind

    def __init__(self, start: int, end: int, text: str, kind: FactKind) -> None:
        """Written out: compiled, a plain store per field (see model's classes)."""
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "kind", kind)


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
_COUNT_PATTERN = (
    r"(?<![\w.,-])(" + "|".join(NUMBER_WORDS) + r"|\d{1,2})(?![.,]\d)(?=\s+(?:[A-Za-z+-]+\s+){0,2}?[a-z]+s\b)"
)
_COUNT = re.compile(_COUNT_PATTERN, re.IGNORECASE)
# `_COUNT` for ASCII text lowercased: the same spans, as its words and letter classes are
# lowercase, in a third less time (IGNORECASE makes the engine fold every character).
_LOWERED_COUNT: Final = re.compile(_COUNT_PATTERN)
_DEFINITE_BEFORE = re.compile(r"\b(the|these|those|both|all)\s+$", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_DIGIT = re.compile(r"\d")
_DIGIT_RUN: Final = re.compile(r"\d+")
_SIGNS = MINUS + "–+"  # what may stand before the digits of `_NUM`
_NUMBER_WORD_IN = re.compile("|".join(NUMBER_WORDS))  # a substring test: may a count be here?
_NUMBER_WORD_LIST: Final = tuple(NUMBER_WORDS)  # what `_first_number_word` finds in place of it
_ASCII_DIGITS: Final = tuple("0123456789")


KeywordScans = tuple[tuple[str | None, str], ...]  # (lowercased if ASCII, keyword)


def find_facts(text: str, keywords: KeywordScans = ()) -> list[Fact]:
    """All non-overlapping facts in `text`, in order; numbers win over keywords
    (`keyword_scans` prepares the keywords once for many sentences)."""
    found = FactSpans(text)
    found.add_numbers()
    found.add_terms(keywords)
    return found.in_order()


class FactSpans:
    """The facts of one sentence, found in two steps: numbers and counts first, then
    bold and keywords, which only take what the numbers left. A caller that needs no
    term once a number is found (a cloze card) stops after the first step; what the
    steps find is what `find_facts` finds, step for step."""

    def __init__(self, text: str) -> None:
        self.text = text
        ascii = text.isascii()
        self.lowered = text.lower() if ascii else None
        self.first_digit = _first_digit(text, ascii)
        self.digits = self.first_digit >= 0
        self._taken: list[tuple[int, int]] | None = None  # code and math, then each fact found
        self.found: list[Fact] = []
        self._count_from: int | None = None  # where `_COUNT` may first match; -1: nowhere

    def may_hold(self, keywords: KeywordScans) -> bool:
        """`may_hold_facts`, with this sentence's lowercase and digit test reused."""
        if "**" in self.text or self.digits or self.lowered is None:
            return True
        lowered = self.lowered  # keywords first: substring tests, where a count needs a search
        return any(keyword is None or keyword in lowered for keyword, _ in keywords) or self.may_count()

    def may_hold_terms(self, keywords: KeywordScans, skipped: frozenset[str] = frozenset()) -> bool:
        """False only when `add_terms` surely finds no bold span and no keyword but the
        `skipped` ones (lowercased, ASCII), as no other keyword is there at all."""
        lowered = self.lowered
        if "**" in self.text or lowered is None:
            return True
        return any(keyword is None or (keyword not in skipped and keyword in lowered) for keyword, _ in keywords)

    def may_count(self) -> bool:
        """Whether `_COUNT` may match: a digit, a number word, or text beyond ASCII."""
        return self.count_from() >= 0

    def count_from(self) -> int:
        """Where `_COUNT` may match first: a count is a number word or a digit, so not
        before the first of either (beyond ASCII, any case-folded letter may start one);
        -1 when there is neither."""
        if self._count_from is None:
            lowered = self.lowered
            word = _first_number_word(lowered) if lowered is not None else -1
            if lowered is None:
                self._count_from = 0
            elif word >= 0 and self.digits:
                self._count_from = min(word, self.first_digit)
            else:
                self._count_from = word if word >= 0 else self.first_digit
        return self._count_from

    def taken(self) -> list[tuple[int, int]]:
        """The spans no new fact may overlap; looked for at the first fact, as most
        sentences are passed over before any is wanted."""
        if self._taken is None:
            self._taken = protected_spans(self.text)
        return self._taken

    def add(self, start: int, end: int, kind: FactKind) -> None:
        text, taken = self.text, self.taken()
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if end > start and all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            self.found.append(Fact(start, end, text[start:end], kind))

    def add_numbers(self) -> None:
        """Numbers with units, ranges, decimals, then counts ("two potassium ions")."""
        text, add = self.text, self.add
        if self.digits:  # most sentences hold no number: skip the three number scans
            starts = _number_starts(text)
            for pattern in (_NUMBER_FACT, _PLAIN_RANGE, _DECIMAL):
                for start, end in _spans_from(pattern, text, starts):
                    add(start, end, "number")
        if self.may_count():
            lowered = self.lowered
            if lowered is not None:
                counts = _LOWERED_COUNT.finditer(lowered, self.count_from())
            else:
                counts = _COUNT.finditer(text, self.count_from())
            for m in counts:
                if not _after_definite(text, m.start(1)):
                    add(m.start(1), m.end(1), "count")  # "the two points" were counted before

    def add_terms(self, keywords: KeywordScans) -> None:
        """Bold spans, then keywords (longest first), where no number stands."""
        text, lowered, add = self.text, self.lowered, self.add
        if "**" in text:
            for m in _BOLD.finditer(text):
                if is_meaningful(m.group(1)):
                    add(m.start(), m.end(), "bold")
        for lowered_keyword, keyword in keywords:
            if lowered is not None and lowered_keyword is not None:
                spans = keyword_spans(lowered, lowered_keyword)
            else:
                spans = [m.span() for m in _keyword_pattern(keyword).finditer(text)]
            for start, end in spans:
                add(start, end, "keyword")

    def in_order(self) -> list[Fact]:
        return sorted(self.found, key=_start)


def _start(fact: Fact) -> int:
    return fact.start


def _number_starts(text: str) -> list[int]:
    """Every place where a number fact may start, in order. Its digits begin a run of
    digits (the patterns look behind for a word character), a sign may stand just before
    them, and "between" and spaces before that. The patterns open with that look-behind,
    so the engine tried them at every position of the sentence."""
    starts: list[int] = []
    for run in _DIGIT_RUN.finditer(text):
        digit = run.start()
        sign = digit - 1 if digit > 0 and text[digit - 1] in _SIGNS else digit
        space = sign
        while space > 0 and text[space - 1].isspace():
            space -= 1
        if space < sign and space >= 7 and text.startswith("between", space - 7):
            starts.append(space - 7)
        if sign < digit:
            starts.append(sign)
        starts.append(digit)
    return starts


def _spans_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[tuple[int, int]]:
    """`pattern.finditer(text)` spans for a pattern that can only match at `starts`."""
    spans = []
    end = 0
    for start in starts:
        if start >= end:
            found = pattern.match(text, start)
            if found is not None:
                spans.append(found.span())
                end = found.end()
    return spans


def _first_number_word(lowered: str) -> int:
    """Where `_NUMBER_WORD_IN` first matches, or -1. (Most letters begin some number
    word, so the pattern was tried at most positions: five times slower.)"""
    return _first_of(lowered, _NUMBER_WORD_LIST)


def _first_digit(text: str, ascii: bool) -> int:
    """Where `_DIGIT` first matches, or -1. In ASCII text only the ten ASCII digits
    are digits, each found by memchr, where the pattern asks each character's category."""
    if ascii:
        return _first_of(text, _ASCII_DIGITS)
    digit = _DIGIT.search(text)
    return digit.start() if digit else -1


def _first_of(text: str, needles: tuple[str, ...]) -> int:
    """The first position where any of the needles starts, or -1: one `str.find` per
    needle, each only up to the best start so far."""
    first = len(text)
    for needle in needles:
        at = text.find(needle, 0, first + len(needle) - 1)
        if at != -1:
            first = at
    return first if first < len(text) else -1


def _after_definite(text: str, at: int) -> bool:
    """`_DEFINITE_BEFORE.search(text, 0, at)`, looking at the last word only: a match
    is that word and the spaces up to `at`, so it starts at most five characters before
    them (searching from 0 went over the whole sentence for each count)."""
    space = at
    while space > 0 and text[space - 1].isspace():
        space -= 1
    return space < at and _DEFINITE_BEFORE.search(text, max(space - 5, 0), at) is not None


def keyword_spans(lowered: str, keyword: str) -> list[tuple[int, int]]:
    """Where an ASCII keyword stands as a whole word in lowercased ASCII text: what
    `_keyword_pattern(keyword).finditer` finds, by `str.find`. Real documents bring
    keywords of their own, and compiling a pattern for each cost a third of their cards' time."""
    spans = []
    size = len(keyword)
    at = lowered.find(keyword) if size else -1
    while at != -1:
        end = at + size
        if (at == 0 or not _joins_word(lowered[at - 1])) and (end == len(lowered) or not _joins_word(lowered[end])):
            spans.append((at, end))
            at = lowered.find(keyword, end)
        else:
            at = lowered.find(keyword, at + 1)
    return spans


def _joins_word(char: str) -> bool:
    """`[\\w-]` for an ASCII character: a keyword next to it is part of a longer word."""
    return char.isalnum() or char in "_-"


def may_hold_facts(text: str, keywords: KeywordScans = ()) -> bool:
    """False only when `find_facts` surely finds nothing: no digit, count word, bold or
    keyword is there at all. Half of all sentences, for a few substring tests."""
    return FactSpans(text).may_hold(keywords)


@lru_cache(maxsize=64)
def keyword_scans(keywords: tuple[str, ...]) -> KeywordScans:
    """Longest first, keywords of one length in the document's order: (the keyword
    lowercased, None unless ASCII; the keyword). Not in a set's order, which changes
    with the hash seed from run to run: the first of two overlapping keywords wins.
    Cached: the points of a document share all but their own term."""
    ordered = sorted(dict.fromkeys(keywords), key=len, reverse=True)  # a stable sort: ties keep their order
    return tuple([(k.lower() if k.isascii() else None, k) for k in ordered])


@lru_cache(maxsize=1024)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """The keyword as a whole word, any case: for text or keywords beyond ASCII."""
    return re.compile(r"(?<![\w-])" + re.escape(keyword) + r"(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=8192)
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
