"""The seed document (content/170601.md, the sodium-potassium pump) yields the cards that
../shared/CARD-QUALITY.md holds up as good."""

from __future__ import annotations

import pytest

from conftest import CONTENT
from quizgen.cards.generate import CardOptions, generate_cards
from quizgen.cards.rules import deletions, without_deletion
from quizgen.model import Card
from quizgen.parse.document import read_document
from quizgen.text import plain_text, word_count

SEED = CONTENT / "170601.md"
MECHANISM = "Mechanism of the Sodium-Potassium Pump"
TERMS = ["Active Transport", "Ion Concentration Gradients", "Electrochemical Gradient"]


@pytest.fixture(scope="module")
def cards() -> tuple[Card, ...]:
    return generate_cards(read_document(SEED))


def answers(card: Card) -> list[str]:
    return [plain_text(a) for _, a in deletions(card.front)]


def test_seed__cloze_hides_resting_potential_value(cards):
    hits = [c for c in cards if c.kind == "cloze" and "-70 mV" in answers(c)]
    assert len(hits) == 1
    assert "resting membrane potential" in without_deletion(hits[0].front)


def test_seed__three_out_two_in_exchange_is_one_note_with_two_deletions(cards):
    exchange = [c for c in cards if c.kind == "cloze" and answers(c) == ["three", "two"]]
    assert len(exchange) == 1
    text = plain_text(without_deletion(exchange[0].front, -1))
    assert "sodium ions" in text and "potassium ions" in text
    assert not text.lower().startswith("it ")


def test_seed__term_card_for_every_mechanism_point(cards):
    term_cards = [c for c in cards if c.kind == "term" and c.section == (MECHANISM,)]
    assert [c.key for c in term_cards] == ["term/active-transport", "term/ion-concentration-gradients",
                                           "term/electrochemical-gradient"]  # fmt: skip
    for card, term in zip(term_cards, TERMS):
        assert f"**{term}**" in card.front
        assert MECHANISM.lower() in card.front.lower()
        assert 0 < word_count(card.back) <= 40


def test_seed__list_cloze_over_mechanism_terms_in_order(cards):
    lists = [c for c in cards if c.kind == "list" and c.section == (MECHANISM,)]
    assert len(lists) == 1
    assert deletions(lists[0].front) == ((1, TERMS[0]), (2, TERMS[1]), (3, TERMS[2]))
    assert MECHANISM in lists[0].front


def test_seed__gist_answers_the_question_briefly(cards):
    gist = [c for c in cards if c.kind == "gist"]
    assert len(gist) == 1
    assert gist[0].front.startswith("Explain how the sodium-potassium pump contributes")
    assert 10 < word_count(gist[0].back) < 60
    assert not gist[0].back.lower().startswith("in summary")


def test_seed__every_card_has_a_context_line_naming_the_topic(cards):
    assert all(c.context.startswith("Sodium-potassium pump") for c in cards)


def test_seed__generation_is_deterministic():
    doc = read_document(SEED)
    assert generate_cards(doc) == generate_cards(read_document(SEED))


def test_options__kinds_filter_and_limit():
    doc = read_document(SEED)
    only_terms = generate_cards(doc, CardOptions(kinds=frozenset({"term"})))
    assert {c.kind for c in only_terms} == {"term"}
    assert len(generate_cards(doc, CardOptions(max_per_document=3))) == 3


def test_options__reverse_cards_only_where_the_definition_does_not_name_the_term():
    doc = read_document(SEED)
    reverse = [c for c in generate_cards(doc, CardOptions(reverse=True)) if c.kind == "reverse"]
    assert reverse, "the seed has terms whose definitions do not repeat them"
    for c in reverse:
        assert "actively transports" not in c.front.lower()  # stem-level: "actively" leaks "Active"
        assert c.back.strip("*") in TERMS + ["Preservation of Resting Potential", "Influence on Action Potentials"]
