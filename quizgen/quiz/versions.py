"""Seeded shuffles of one item set: item order within each part, and option order."""

from __future__ import annotations

import dataclasses
import random
from typing import Sequence

from .items import ITEM_KINDS, Matching, MultipleChoice, QuizItem, QuizVersion


def make_versions(items: Sequence[QuizItem], *, count: int, seed: int, set_name: str, title: str) -> tuple[QuizVersion, ...]:
    """`count` versions of the same items; version v always shuffles with Random("seed:v")."""
    return tuple(
        QuizVersion(set_name, title, v, seed, shuffle_items(items, random.Random(f"{seed}:v{v}")))
        for v in range(1, count + 1)
    )


def shuffle_items(items: Sequence[QuizItem], rng: random.Random) -> tuple[QuizItem, ...]:
    """Parts stay in kind order (printed sheets group them); everything inside is shuffled."""
    out: list[QuizItem] = []
    for kind in ITEM_KINDS:
        part = sorted((i for i in items if i.kind == kind), key=lambda i: i.id)
        rng.shuffle(part)
        out += [shuffle_options(item, rng) for item in part]
    return tuple(out)


def shuffle_options(item: QuizItem, rng: random.Random) -> QuizItem:
    if isinstance(item, MultipleChoice):
        order = list(range(len(item.options)))
        rng.shuffle(order)
        return dataclasses.replace(item, options=tuple(item.options[i] for i in order), key=order.index(item.key))
    if isinstance(item, Matching):
        pairs = list(item.pairs)
        rng.shuffle(pairs)
        choices = list(item.choices)
        for _ in range(5):  # letters in the same order as the prompts would be a free ride
            rng.shuffle(choices)
            if choices != [t for _, t in pairs]:
                break
        return dataclasses.replace(item, pairs=tuple(pairs), choices=tuple(choices))
    return item
