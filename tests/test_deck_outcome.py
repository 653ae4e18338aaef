"""A deck writer's outcome crosses back to the main process as columns (pipeline.DeckOutcome)."""

from __future__ import annotations

import pickle
from collections import Counter

from quizgen.export.ids import ClozeNumbers
from quizgen.export.state import Stamp
from quizgen.model import Problem
from quizgen.pipeline import DeckOutcome


def test_outcome__pickles_to_an_equal_outcome_with_the_same_types() -> None:
    stamps = {f"g{i}": Stamp(f"h{i}", 1_750_000_000 + i, f"doc-{i % 3}") for i in range(50)}
    clozes = {"g1": ClozeNumbers((("a", 1), ("b c", 2)), 3), "g7": ClozeNumbers((), 1)}
    outcome = DeckOutcome({"notes": 50}, [Problem("a.md", "warned", severity="warning")], stamps, clozes,
                          Counter(new=40, changed=10), 2, {"a.md": [["k", "s", "D"], 50, 50, [["term", 50]], [], 0]},
                          "f" * 64)
    back = pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == outcome
    assert list(back.stamps) == list(stamps)  # the order the deck's notes were stamped in
    assert all(type(s) is Stamp for s in back.stamps.values())
    assert all(type(c) is ClozeNumbers for c in back.clozes.values())


def test_empty_outcome__round_trips() -> None:
    outcome = DeckOutcome(None, [], {}, {}, Counter(), 0, {}, "")
    assert pickle.loads(pickle.dumps(outcome)) == outcome
