"""The right choice is the shortest by a clear margin: the mirror of `longest-answer` (a terse right
answer among padded wrong ones stands out as much)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import with_choices
from generator.model import ArticleSet, Question

RULE = Rule("shortest-answer", "Haladyna, Downing & Rodriguez 2002, rule 'keep the length of choices about equal'")
RATIO = 2.0  # every wrong choice at least twice as long ...
MARGIN = 10  # ... and longer by at least this many characters


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right, wrong in with_choices(found, 2):
        shortest = min(map(len, wrong))
        if shortest >= RATIO * len(right) and shortest - len(right) >= MARGIN:
            longest = max(map(len, wrong))
            others = f"{shortest}–{longest}" if shortest != longest else str(longest)
            yield q, f"the right choice is the shortest by far ({len(right)} characters, the others {others})"
