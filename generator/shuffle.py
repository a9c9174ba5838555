"""Deterministic shuffles: the same question always gets the same order in every build."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def rng(*key: str) -> random.Random:
    """A random generator seeded by text (string seeds are hashed with SHA-512: stable across runs)."""
    return random.Random("\x1f".join(key))


def shuffled(items: Sequence[T], *key: str, avoid_identity: bool = False) -> list[T]:
    """The items in an order fixed by `key`; with `avoid_identity`, never the given order."""
    result = list(items)
    r = rng(*key)
    r.shuffle(result)
    if avoid_identity and len(result) > 1 and result == list(items):
        result = result[1:] + result[:1]
    return result
