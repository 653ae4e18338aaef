"""Choose n items from the pool: balanced across kinds, documents and true/false answers.

No two chosen items rest on the same fact (see `basis`), so one item never gives away
another's answer. All choices go through the `rng` passed in, never the global one.
"""

from __future__ import annotations

import random
from typing import Sequence

from .items import ITEM_KINDS, QuizItem, TrueFalse

PICK_ORDER = ("match", "mcq", "fill", "tf")  # the pickiest first: matching uses many facts


def select_items(pool: Sequence[QuizItem], count: int, kinds: Sequence[str], rng: random.Random) -> tuple[QuizItem, ...]:
    """Up to `count` items of `kinds`, as even as the pool allows, in canonical order."""
    wanted = [k for k in ITEM_KINDS if k in kinds]
    streams = {kind: _Stream([i for i in pool if i.kind == kind], rng, kind == "tf") for kind in wanted}
    used: set[str] = set()
    chosen: dict[str, list[QuizItem]] = {kind: [] for kind in wanted}
    quotas = _split(count, wanted)
    while True:
        progress = True
        turn_order = sorted(wanted, key=PICK_ORDER.index)
        while progress:  # one item per kind per round, so no kind uses up the shared facts
            progress = False
            for kind in turn_order:
                if len(chosen[kind]) >= quotas[kind]:
                    continue
                item = streams[kind].take(used, chosen[kind])
                if item is not None:
                    chosen[kind].append(item)
                    used.update(item.basis)
                    progress = True
        short = count - sum(len(v) for v in chosen.values())
        open_kinds = [k for k in wanted if not streams[k].empty and len(chosen[k]) >= quotas[k]]
        if short <= 0 or not open_kinds:
            break
        for open_kind, extra in _split(short, open_kinds).items():
            quotas[open_kind] = len(chosen[open_kind]) + extra
    order = {kind: n for n, kind in enumerate(ITEM_KINDS)}
    picked = [i for kind in wanted for i in chosen[kind]]
    return tuple(sorted(picked, key=lambda i: (order[i.kind], i.source.doc_id, i.id)))


def _split(count: int, kinds: Sequence[str]) -> dict[str, int]:
    base, extra = divmod(count, max(len(kinds), 1))
    return {kind: base + (1 if n < extra else 0) for n, kind in enumerate(kinds)}


class _Stream:
    """Candidates of one kind, dealt round-robin across documents in a seeded order."""

    def __init__(self, items: list[QuizItem], rng: random.Random, balance_truth: bool = False) -> None:
        by_doc: dict[str, list[QuizItem]] = {}
        for item in sorted(items, key=lambda i: i.id):
            by_doc.setdefault(item.source.doc_id, []).append(item)
        self.docs = sorted(by_doc)
        rng.shuffle(self.docs)
        for doc in self.docs:
            rng.shuffle(by_doc[doc])
        self.by_doc = by_doc
        self.turn = 0
        self.balance_truth = balance_truth
        self.truth_first = rng.random() < 0.5

    @property
    def empty(self) -> bool:
        return not any(self.by_doc.values())

    def take(self, used: set[str], so_far: list[QuizItem]) -> QuizItem | None:
        """The next usable item, from the next document in turn; balanced true/false."""
        want_truth, balanced = None, False
        if self.balance_truth:
            trues = sum(1 for i in so_far if isinstance(i, TrueFalse) and i.truth)
            falses = len(so_far) - trues
            want_truth = self.truth_first if trues == falses else trues < falses
            balanced = trues == falses  # then either answer keeps |true - false| <= 1
        # Strict passes take only the wanted answer; once the counts differ, only it will do.
        passes = (False,) if want_truth is None else (True, False) if balanced else (True,)
        for strict in passes:
            for step in range(len(self.docs)):
                doc = self.docs[(self.turn + step) % len(self.docs)]
                for n, item in enumerate(self.by_doc[doc]):
                    if used.intersection(item.basis):
                        continue
                    if strict and isinstance(item, TrueFalse) and item.truth != want_truth:
                        continue
                    del self.by_doc[doc][n]
                    self.turn = (self.turn + step + 1) % len(self.docs)
                    return item
        for doc in self.docs:  # nothing usable is left: drop what conflicts
            self.by_doc[doc] = [i for i in self.by_doc[doc] if not used.intersection(i.basis)]
        return None
