"""The right choice is the longest by a clear margin: test-wise students pick the longest choice."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import with_choices
from generator.model import ArticleSet, Question

RULE = Rule("longest-answer", "Haladyna, Downing & Rodriguez 2002, rule 'keep the length of choices about equal'")
RATIO = 1.2  # longer than every wrong choice by a fifth ...
MARGIN = 10  # ... and by at least this many characters


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right, wrong in with_choices(found, 1):
        longest = max(map(len, wrong))
        if len(right) >= RATIO * longest and len(right) - longest >= MARGIN:
            shortest = min(map(len, wrong))
            others = f"{shortest}–{longest}" if shortest != longest else str(longest)
            yield q, f"the right choice is the longest by far ({len(right)} characters, the others {others})"
