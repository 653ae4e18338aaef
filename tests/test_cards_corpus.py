"""Over every real document: enough cards, none breaking a rule, same cards every time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import content_files, corpus_files, needs_corpus
from quizgen.cards.generate import generate_cards
from quizgen.cards.rules import check_cards
from quizgen.parse.document import read_document


def _assert_good(path: Path) -> None:
    doc = read_document(path)
    cards = generate_cards(doc)
    assert len(cards) >= 3, f"{path.name}: only {Counter(c.kind for c in cards)}"
    flagged = [(c.kind, c.front[:60], [f.rule for f in fs]) for c, fs in check_cards(cards) if fs]
    assert flagged == []
    coordinates = [(c.key, c.kind, c.ordinal) for c in cards]
    assert len(coordinates) == len(set(coordinates)), "two cards share one identity"


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.name)
def test_content__every_document_yields_good_cards(path: Path) -> None:
    _assert_good(path)


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus__every_document_yields_good_cards(path: Path) -> None:
    _assert_good(path)


def test_content__has_the_seed_and_at_least_ten_nursing_documents() -> None:
    docs = [read_document(p) for p in content_files()]
    assert "170601" in {d.id for d in docs}
    assert sum(d.subject_key == "nursing" for d in docs) >= 11
