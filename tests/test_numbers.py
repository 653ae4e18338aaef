"""Numbers with units: the shared pieces in quizgen.text_numbers, seen through both callers.

Cloze cards find number facts (`find_facts`), quiz items find quantities (`quantities`);
both must agree on the plain cases below and keep numbers in code or math alone.
"""

from __future__ import annotations

import pytest

from quizgen.cards.facts import find_facts
from quizgen.quiz.blanks import quantities
from quizgen.text_numbers import CARD_ONLY_UNITS, QUIZ_ONLY_UNITS, UNITS, protected_spans


def _number_facts(text: str) -> list[str]:
    return [f.text for f in find_facts(text) if f.kind == "number"]


@pytest.mark.parametrize(
    ("sentence", "quantity", "value", "unit"),
    [
        ("The resting potential is -70 mV inside the cell.", "-70 mV", "-70", "mV"),
        ("Normal potassium is 3.5 to 5.0 mEq/L in adults.", "3.5 to 5.0 mEq/L", "3.5 to 5.0", "mEq/L"),
        ("Normal sodium is 135-145 mEq/L in adults.", "135-145 mEq/L", "135-145", "mEq/L"),
        ("Body temperature averages 98.6 °F orally.", "98.6 °F", "98.6", "°F"),
    ],
)
def test_numbers__card_fact_and_quiz_quantity_agree(sentence, quantity, value, unit):
    assert _number_facts(sentence) == [quantity]
    [q] = quantities(sentence, need_unit=True)
    assert (q.text, q.value, q.unit) == (quantity, value, unit)
    assert sentence[q.start:q.end] == quantity


@pytest.mark.parametrize(
    "sentence",
    [
        "Set the dose with `dose = 5 mg` in the config.",
        "The membrane sits at \\(-70 mV\\) at rest.",
        "Display math \\[E = 12 V\\] shows the supply.",
    ],
)
def test_numbers__code_and_math_hold_no_numbers(sentence):
    assert _number_facts(sentence) == []
    assert quantities(sentence) == []


def test_numbers__label_and_year_are_not_quantities():
    assert quantities("Step 2 requires the nurse to check the chart.") == []
    assert quantities("In 1998 researchers measured the change.") == []
    assert [q.text for q in quantities("Step 2 takes 5 minutes to finish.")] == ["5 minutes"]


def test_numbers__link_text_is_protected_only_when_asked():
    text = "See [5 mg dose](https://example.org/10mg) and `x`."
    target = (text.index("]("), text.index(")") + 1)
    link = (text.index("["), text.index(")") + 1)
    code = (text.index("`"), text.rindex("`") + 1)
    assert protected_spans(text) == [target, code]
    assert protected_spans(text, link_text=True) == [link, code]
    assert protected_spans("No code here: 5 mg.") == []
    assert _number_facts(text) == ["5 mg"]  # cards may cloze a number in link text
    assert quantities(text) == []  # quizzes leave the whole link alone


def test_numbers__one_vocabulary_with_named_differences():
    every = UNITS + CARD_ONLY_UNITS + QUIZ_ONLY_UNITS
    assert len(set(every)) == len(every)  # each unit is written down once
    # a kept difference, pinned so that merging it is a deliberate change
    assert _number_facts("The junction drops 0.3 volts when forward biased.") == ["0.3 volts"]
    assert quantities("The junction drops 0.3 volts when forward biased.", need_unit=True) == []


@pytest.mark.parametrize("text", ["Give 1,000 mg daily.", "About 3,500 kcal per pound.", "A 1,5 mg dose."])
def test_quantities__a_number_with_a_thousands_or_decimal_comma_is_not_cut_in_half(text: str) -> None:
    # "1,000 mg" once gave the quantity "000 mg": an item asking about a number never written
    assert [q.text for q in quantities(text)] == []


def test_quantities__per_alone_is_no_unit() -> None:
    # "3 per day" once gave the quantity "3 per": a value with half a rate as its unit
    assert quantities("Take 3 per day with food.") == []
    assert [q.text for q in quantities("A rate of 72 beats per minute is normal.")] == ["72 beats per minute"]
