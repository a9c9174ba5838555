"""Deterministic shuffles: the same question always gets the same order in every build.

A shuffle depends only on the number of items and the key (Python's `shuffle` swaps by position),
so the permutation is computed once per (size, key) and shared: the Anki deck, the study page,
the quiz and the giveaway check ask for the same choices of the same question. Seeding a generator
from text (SHA-512, then 624 words of state) costs more than the shuffle itself.
"""

from __future__ import annotations

import _random
import random
import threading
from collections.abc import Sequence
from functools import lru_cache
from hashlib import sha512
from typing import TypeVar

T = TypeVar("T")
DEFAULT_SEED = "1"  # a quiz's seed when none is given (--seed): its draw and every shuffle depend on it
_SEED_INT = _random.Random.seed  # the C seed of an int, which Random.seed ends with


def rng(*key: str) -> random.Random:
    """A random generator seeded by text (string seeds are hashed with SHA-512: stable across runs)."""
    return random.Random("\x1f".join(key))


# One generator a thread for every permutation, reseeded: a Random made per key cost as much as its seeding.
_LOCAL = threading.local()


def _generator() -> random.Random:
    made: random.Random | None = getattr(_LOCAL, "generator", None)
    if made is None:
        _LOCAL.generator = made = random.Random()
    return made


@lru_cache(maxsize=1 << 16)
def permutation(size: int, key: tuple[str, ...]) -> tuple[int, ...]:
    """The order `shuffled` puts `size` items in for `key`, as their positions: what `rng(*key).shuffle`
    does to them, written out (tests/test_shuffle.py compares them for many keys and sizes).

    Random.seed turns a text into the int of its UTF-8 bytes followed by their SHA-512 (version 2), and
    shuffle swaps each position from the last down with one below it drawn as _randbelow draws it
    (getrandbits of the bound's bit length, again while too large); here without the Python calls
    of Random.__init__, seed, shuffle and _randbelow for every key."""
    order = list(range(size))
    if size < 2:
        return tuple(order)
    seed = "\x1f".join(key).encode()
    generator = _generator()
    _SEED_INT(generator, int.from_bytes(seed + sha512(seed).digest(), "big"))
    bits = generator.getrandbits
    for i in range(size - 1, 0, -1):
        n = i + 1
        k = n.bit_length()
        j = bits(k)
        while j >= n:
            j = bits(k)
        order[i], order[j] = order[j], order[i]
    return tuple(order)


def shuffled(items: Sequence[T], *key: str, avoid_identity: bool = False) -> list[T]:
    """The items in an order fixed by `key`; with `avoid_identity`, never the given order."""
    given = list(items)
    result = list(map(given.__getitem__, permutation(len(given), key)))
    if avoid_identity and len(result) > 1 and result == given:
        result = result[1:] + result[:1]
    return result
