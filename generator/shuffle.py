"""Deterministic shuffles: the same question always gets the same order in every build.

A shuffle depends only on the number of items and the key (Python's `shuffle` swaps by position),
so the permutation is computed once per (size, key) and shared: the Anki deck, the study page,
the quiz and the giveaway check ask for the same choices of the same question. Seeding a generator
from text (SHA-512, then 624 words of state) costs more than the shuffle itself.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")


def rng(*key: str) -> random.Random:
    """A random generator seeded by text (string seeds are hashed with SHA-512: stable across runs)."""
    return random.Random("\x1f".join(key))


@lru_cache(maxsize=1 << 16)
def permutation(size: int, key: tuple[str, ...]) -> tuple[int, ...]:
    """The order `shuffled` puts `size` items in for `key`, as their positions."""
    order = list(range(size))
    rng(*key).shuffle(order)
    return tuple(order)


def shuffled(items: Sequence[T], *key: str, avoid_identity: bool = False) -> list[T]:
    """The items in an order fixed by `key`; with `avoid_identity`, never the given order."""
    given = list(items)
    result = [given[i] for i in permutation(len(given), key)]
    if avoid_identity and len(result) > 1 and result == given:
        result = result[1:] + result[:1]
    return result
