"""Blanks and changes inside sentences: mask a term, find a quantity, alter a number.

All of these work on inline markdown and leave math and code spans alone: a key hidden
inside `\\(..\\)` cannot be masked cleanly, so such a sentence is refused instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..text import STOPWORDS, WORD, plain_text, stem
from ..text_numbers import MINUS, NUMBER, QUIZ_ONLY_UNITS, protected_spans, unit_pattern
from .facts import term_stems
from .items import BLANK

MAX_RUNS = 2  # more blanks than this and a stem reads like a puzzle, not a question

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()
UNIT_NAMES = {"mV": "millivolts", "ms": "milliseconds", "%": "percent", "bpm": "beats per minute",
              "mL": "milliliters", "mg": "milligrams", "kg": "kilograms", "°C": "degrees Celsius",
              "°F": "degrees Fahrenheit", "mmHg": "mm Hg", "mm Hg": "mmHg", "hr": "hour", "h": "hour"}
_NUM = rf"[{MINUS}]?{NUMBER}"
_QUANTITY = re.compile(
    rf"(?<![\w.\-\u2212/^])(?<!\d,)(?P<value>{_NUM}(?![,.]\d)(?:\s?(?:-|\u2013|to)\s?{_NUM})?)"
    rf"(?:(?P<space>\s?)(?P<unit>{unit_pattern(QUIZ_ONLY_UNITS)}))?(?![\w/])"
    rf"|\b(?P<word>{'|'.join(NUMBER_WORDS[2:])})\b(?=\s+[a-z])",
    re.IGNORECASE,
)
_LABEL_BEFORE = re.compile(r"(?:step|stage|type|phase|class|grade|level|part|figure|fig\.|chapter|section|"
                           r"version|lead|ipv|day|no\.|#)\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- masking


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def token_stems(token: str) -> set[str]:
    found = {stem(token)}
    found.update(stem(part) for part in re.split(r"[-/]", token) if len(part) > 1)
    return found


def leaks(key: str, text: str) -> bool:
    """Whether `text` gives away `key`: any of its content stems shows in the text."""
    key_stems = term_stems(key)
    return any(token_stems(w) & key_stems for w in WORD.findall(plain_text(text)) if w.lower() not in STOPWORDS)


def _joins(gap: str) -> bool:
    """Masked words separated only by spaces, dashes or stopwords make one blank."""
    return all(w.lower() in STOPWORDS for w in re.findall(r"[A-Za-z']+", gap)) and not re.search(r"[,;:.()]", gap)


def mask(text: str, key: str, *, max_runs: int = MAX_RUNS) -> str | None:
    """`text` with every word sharing a stem with `key` blanked; None when that spoils it.

    Adjacent masked words ("actively transports") become one blank. Refused when a key word
    sits in math or code, when more than `max_runs` blanks are needed, or when the blanks
    would swallow two fifths of the sentence.
    """
    key_stems = term_stems(key)
    spans = protected_spans(text, link_text=True)
    tokens = [m for m in WORD.finditer(text) if m.group(0).lower() not in STOPWORDS]
    hits = [m for m in tokens if token_stems(m.group(0)) & key_stems]
    if not hits:
        return text
    if any(_inside(m.start(), spans) for m in hits) or 5 * len(hits) > 2 * len(tokens):
        return None
    runs: list[list[int]] = []
    for m in hits:
        if runs and _joins(text[runs[-1][1]:m.start()]):
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    if len(runs) > max_runs:
        return None
    out, last = [], 0
    for start, end in runs:
        out += [text[last:start], BLANK]
        last = end
    out.append(text[last:])
    masked = "".join(out)
    return None if leaks(key, masked) else masked


# ---------------------------------------------------------------- quantities


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str  # as written: "-70 mV", "3.5 to 5.0 mEq/L", "three"
    value: str  # the number part: "-70", "3.5 to 5.0", "three"
    unit: str  # "" when none
    space: str


def quantities(text: str, *, need_unit: bool = False) -> list[Quantity]:
    """Numbers worth asking about: with a unit, or counting a following noun.

    Years, list labels ("Step 2", "Type 1"), identifiers ("IPv4") and anything in math
    or code are not quantities.
    """
    spans = protected_spans(text, link_text=True)
    found = []
    for m in _QUANTITY.finditer(text):
        if _inside(m.start(), spans) or _LABEL_BEFORE.search(text[: m.start()]):
            continue
        if m.group("word"):
            if not need_unit:
                found.append(Quantity(m.start(), m.end(), m.group(0), m.group(0), "", ""))
            continue
        value, unit = m.group("value"), m.group("unit") or ""
        bare = value.lstrip("-\u2212")
        if not unit and re.search(r"\bpH\s*(?:of\s*|is\s*|below\s*|above\s*)?$", text[: m.start()]):
            pass  # "pH 7.35": the unit comes first
        elif not unit:
            following = re.match(r"\s+([a-z]+)", text[m.end():])
            if need_unit or not following or following.group(1) in STOPWORDS or "." in bare:
                continue
            if re.fullmatch(r"(1[5-9]|20)\d\d", bare):
                continue  # a year
        found.append(Quantity(m.start(), m.end(), m.group(0), value, unit, m.group("space") or ""))
    return found


def changed_number(q: Quantity) -> str | None:
    """The quantity with its number moved to a plausible wrong value ("-70 mV" -> "-90 mV")."""
    if q.value.lower() in NUMBER_WORDS:
        n = NUMBER_WORDS.index(q.value.lower())
        new = NUMBER_WORDS[n + 1] if n + 1 < len(NUMBER_WORDS) else NUMBER_WORDS[n - 2]
        return (new.capitalize() if q.value[0].isupper() else new) + q.text[len(q.value):]
    parts = re.split(r"(?<=\d)(\s?(?:-|\u2013|to)\s?)(?=[-\u2212]?\d)", q.value)
    numbers = parts[::2]
    width = Decimal(numbers[-1].replace("\u2212", "-")) - Decimal(numbers[0].replace("\u2212", "-"))
    step = width if len(numbers) == 2 and width > 0 else _step(numbers[-1])
    cap = Decimal(100) if q.unit == "%" else None
    moved = []
    for number in numbers:
        wrong = _move(number, step, cap)
        if wrong is None:
            return None
        moved.append(wrong)
    value = "".join(moved[i // 2] if i % 2 == 0 else parts[i] for i in range(len(parts)))
    return value + q.text[len(q.value):]


def _step(number: str) -> Decimal:
    digits = number.lstrip("-\u2212")
    if "." in digits:
        decimals = len(digits.split(".")[1])
        return Decimal(2) * Decimal(10) ** (-decimals) * (10 if decimals >= 2 else 1)
    if len(digits) == 1:
        return Decimal(1)
    return Decimal(2) * Decimal(10) ** (1 if len(digits) == 2 else len(digits) - 2)


def _move(number: str, step: Decimal, cap: Decimal | None) -> str | None:
    minus = number[:1] if number[:1] in "-\u2212" else ""
    magnitude = Decimal(number.lstrip("-\u2212"))
    new = magnitude + step
    if cap is not None and new > cap:
        new = magnitude - step
        if new < 0:
            return None
    decimals = len(number.split(".")[1]) if "." in number else 0
    return minus + (f"{new:.{decimals}f}")


# ---------------------------------------------------------------- accepted answers


def number_variants(q: Quantity) -> tuple[str, ...]:
    """Ways a student may write a quantity: minus signs, spacing, unit names, digits."""
    if q.value.lower() in NUMBER_WORDS:
        n = NUMBER_WORDS.index(q.value.lower())
        return _unique([q.value, q.value.lower(), str(n)])
    values = {q.value, q.value.replace("\u2212", "-"), q.value.replace("-", "\u2212", 1) if q.value.startswith("-") else q.value}
    ranged = re.split(r"(?<=\d)\s?(?:-|\u2013|to)\s?(?=[-\u2212]?\d)", q.value)
    if len(ranged) == 2:
        a, b = ranged
        values |= {f"{a}-{b}", f"{a}\u2013{b}", f"{a} to {b}", f"{a} - {b}"}
    out = [q.text]
    for value in sorted(values):
        if not q.unit:
            out.append(value)
            continue
        out.append(f"{value} {q.unit}")
        if not (q.unit.isalpha() and len(q.unit) > 3):  # "-70mV" yes, "10seconds" no
            out.append(f"{value}{q.unit}")
        if q.unit in UNIT_NAMES:
            out.append(f"{value} {UNIT_NAMES[q.unit]}")
    return _unique(out)


def term_variants(answer: str, term: str | None = None) -> tuple[str, ...]:
    """Ways to write a term: as in the sentence, as the term, lower case, hyphens or spaces."""
    base = [plain_text(answer)] + ([plain_text(term)] if term else [])
    out = []
    for text in base:
        for form in (text, text.lower()):
            out += [form, form.replace("-", " "), re.sub(r"\s*/\s*", "/", form)]
    return _unique(out)


def _unique(texts: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in texts:
        text = " ".join(text.split())
        if text and text not in seen:
            seen[text] = None
    return tuple(seen)
