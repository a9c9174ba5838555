"""A choice "all of the above" or "none of the above": it tests reasoning about choices, not the
article, and shuffled choices have no "above"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.lints import Rule
from generator.lints.text import choices
from generator.model import ArticleSet, Question

RULE = Rule("all-none-of-the-above", "Haladyna, Downing & Rodriguez 2002, rules 'avoid all-of-the-above' and 'use none-of-the-above carefully'")
_ABOVE = re.compile(r"\b(all|none|both|neither)\b.*\b(above|these|previous)\b", re.IGNORECASE)


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        shown = choices(found, q)
        if shown is None:
            continue
        hit = next((c for c in (shown[0], *shown[1]) if _ABOVE.search(c)), None)
        if hit is not None:
            yield q, f"choice \"{hit}\" refers to the other choices"
