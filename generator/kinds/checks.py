"""Checks more than one kind makes of its entry (the rest of checking is generator/checks/validate.py)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from generator.checks.anchor import normalise
from generator.kinds.contract import Checker


@lru_cache(maxsize=4096)  # an attribution's sources are compared again for every question of the article
def same_key(text: str) -> str:
    """What two choices or sources are compared by: the same words, whatever the case or quotes."""
    return normalise(text).casefold()


def distinct_choices(c: Checker, entry: Any, right: str, wrong: list[str], right_key: str) -> None:
    """The right choice is not among the wrong ones, and no wrong choice is listed twice."""
    seen: dict[str, int | None] = {same_key(right): None}
    for i, d in enumerate(wrong):
        key = same_key(d)
        if key in seen:
            earlier = seen[key]
            what = f"the '{right_key}'" if earlier is None else f"distractor {earlier + 1}"
            c.fail(entry, ("distractors", i), f"distractor {i + 1} \"{d}\" is the same as {what}; every choice must differ")
        else:
            seen[key] = i
