"""Each quality rule catches the bad card it exists for (CARD-QUALITY.md's bad examples)."""

from __future__ import annotations

from quizgen.cards.facts import find_facts, is_meaningful
from quizgen.cards.rules import card_flags, check_cards
from quizgen.model import Card, cloze


def card(kind="term", front="Pump: what is **Active Transport**?", back="Moves ions using ATP.", context="Pump"):
    return Card(kind, "1", ("Mechanism",), "term/x", 0, front, back, context)


def rules(c: Card) -> set[str]:
    return {f.rule for f in card_flags(c)}


def test_rules__clean_card_has_no_flags():
    assert rules(card()) == set()


def test_rules__whole_paragraph_back_is_too_long():
    back = "The sodium-potassium pump actively transports ions against their gradients. " * 5
    assert "too-long" in rules(card(back=back))


def test_rules__pronoun_without_referent_has_no_context():
    bad = card("cloze", front=f"{cloze(1, 'It')} brings in two potassium ions (K+).", back="")
    assert "no-context" in rules(bad)
    assert "no-context" in rules(card(context=""))


def test_rules__trivial_deletion_is_flagged():
    bad = card("cloze", front=f"The pump plays a {cloze(1, 'significant')} role in the potential.", back="")
    assert "deletion" in rules(bad)
    assert "deletion" in rules(card("cloze", front=f"The pump moves {cloze(1, 'the')} ions out.", back=""))


def test_rules__cloze_without_deletion_is_flagged():
    assert "deletion" in rules(card("cloze", front="No deletion in this sentence at all.", back=""))


def test_rules__deleting_more_than_half_is_flagged():
    bad = card("cloze", front=f"Pump: {cloze(1, 'actively transports sodium and potassium ions')}.", back="")
    assert "deletion" in rules(bad)


def test_rules__visible_answer_is_a_leak():
    bad = card("cloze", front=f"The {cloze(1, 'electrochemical gradient')} is an electrochemical gradient.", back="")
    assert "leak" in rules(bad)
    reverse = card("reverse", front="Which term is this? It actively transports ions.", back="**Active Transport**")
    assert "leak" in rules(reverse)


def test_rules__raw_markup_is_broken():
    assert "broken-markup" in rules(card(back="### Heading left in"))
    assert "broken-markup" in rules(card(back="Literal \\n left in"))
    assert "broken-markup" in rules(card(front="Unbalanced **bold?"))


def test_rules__math_and_code_are_not_markup_errors():
    assert rules(card(back=r"Use \(\frac{a}{b}\) and `x}}`.")) == set()


def test_rules__same_fact_twice_is_a_duplicate():
    a = card("cloze", front=f"Resting potential is {cloze(1, '-70 mV')} in neurons.", back="")
    b = card("cloze", front=f"Neurons rest near {cloze(1, '-70 mV')} at rest.", back="")
    flags = [f for _, fs in check_cards([a, b]) for f in fs]
    assert [f.rule for f in flags] == ["duplicate"]


def test_facts__numbers_with_units_counts_and_ranges():
    text = "Serum potassium is 3.5 to 5.0 mEq/L; every three sodium ions leave; -70 mV; pH 7.35 to 7.45."
    assert [f.text for f in find_facts(text)] == ["3.5 to 5.0 mEq/L", "three", "-70 mV", "7.35 to 7.45"]


def test_facts__nothing_inside_code_or_math():
    assert find_facts(r"Run `sleep 5 seconds` and \(x = 3 mV\).") == []


def test_facts__meaningful_answers():
    assert is_meaningful("-70 mV") and is_meaningful("Active Transport")
    assert not any(is_meaningful(w) for w in ("the", "it", "significant", "x", "", "..."))
