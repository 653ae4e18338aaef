"""Numbers with units, and the spans of a sentence where no number counts.

Cloze cards (`cards/facts.py`) and quiz items (`quiz/blanks.py`) both look for quantities
such as "-70 mV" or "3.5 to 5.0 mEq/L" in inline markdown. They want different things
from a match, so each builds its own pattern, but from the pieces here: one unit
vocabulary, one number piece, one protected-span scan.
"""

from __future__ import annotations

import re

from .text import CODE_OR_MATH

MINUS = "-\u2212"  # hyphen-minus and the true minus sign, both written before a value
NUMBER = r"\d+(?:\.\d+)?"  # "12", "3.5": unsigned, and always readable by Decimal

# The unit vocabulary, as regex pieces; escape a literal space ("\ "), as cards compile
# their pattern VERBOSE. Most units are known to both callers. Their lists grew apart,
# though, and a unit gained by either changes which numbers users are asked about (a quiz
# item on "0.3 volts", a card clozing "5 times"), so the units only one caller knows stay
# apart below: merging them is a behaviour change, not a refactor.
UNITS = (
    r"mEq/L", r"mmol/L", r"mg/dL", r"mg/kg", r"mL/kg", r"mL/hr", r"mmHg", r"bpm", r"mV", r"mcg",
    r"mg", r"kg", r"g", r"mL", r"ml", r"dL", r"L", r"IU", r"units?", r"cm", r"mm", r"m", r"km",
    r"nm", r"%", r"seconds?", r"minutes?", r"min", r"hours?", r"hrs?", r"days?", r"weeks?",
    r"months?", r"years?", r"ohms?", r"Ω", r"mA", r"Hz", r"kHz", r"MHz", r"GHz", r"GB", r"MB",
    r"KB", r"TB", r"bits?", r"bytes?", r"ms", r"V", r"A", r"W",
)  # fmt: skip
CARD_ONLY_UNITS = (
    r"g/dL", r"mcg/kg", r"mL/kg/hr", r"mL/min", r"L/min", r"mm\s?Hg", r"cm\s?H2O",
    r"beats\s+per\s+minute", r"breaths\s+per\s+minute", r"drops\s+per\s+minute", r"gtt/min",
    r"mOsm/kg", r"mOsm/L", r"kcal", r"cal", r"µm", r"μm", r"°\s?[CF]", r"percent",
    r"degrees(?:\s+(?:Celsius|Fahrenheit))?", r"lbs?", r"oz", r"inch(?:es)?", r"in\.", r"ft",
    r"feet", r"mins", r"volts?", r"amps?", r"amperes?", r"watts?", r"joules?", r"kΩ", r"MΩ",
    r"µF", r"μF", r"nF", r"pF", r"µA", r"mW", r"kW", r"ns", r"J", r"N", r"Pa", r"kPa", r"atm",
    r"mol", r"M",
)  # fmt: skip
# Quizzes take "mm Hg" and the like with one plain space only, and keep the single words a
# space-split list once left in ("beats", "Hg"): a quantity may end in one of them. ("per"
# alone was one too, which made "3 per day" ask about the quantity "3 per".)
QUIZ_ONLY_UNITS = (
    r"mcg/kg/min", r"mL/h", r"mEq", r"mmol", r"mm\ Hg", r"cm\ H2O", r"beats\ per\ minute",
    r"breaths\ per\ minute", r"beats", r"breaths", r"Hg", r"H2O", r"µV", r"µg",
    r"gauge", r"°C", r"°F", r"sec", r"s", r"times",
)  # fmt: skip


def unit_pattern(only: tuple[str, ...]) -> str:
    """`UNITS` and the caller's `only` units as one regex alternation (no group).

    Longest first, so that "mm Hg" wins over "mm" where both would match.
    """
    return "|".join(sorted(UNITS + only, key=len, reverse=True))


_PROTECTED = re.compile(CODE_OR_MATH.pattern + r"|\]\([^)]*\)", re.DOTALL)
_PROTECTED_WITH_LINK_TEXT = re.compile(CODE_OR_MATH.pattern + r"|\[[^\]]*\]\([^)]*\)", re.DOTALL)


def protected_spans(text: str, *, link_text: bool = False) -> list[tuple[int, int]]:
    """Spans of code, math and link targets: nothing inside them is a fact to ask about.

    With `link_text` the visible text of a link is protected too.
    """
    if "`" not in text and "\\" not in text and "](" not in text:
        return []  # no code, math or link: nothing to scan for
    pattern = _PROTECTED_WITH_LINK_TEXT if link_text else _PROTECTED
    return [m.span() for m in pattern.finditer(text)]
