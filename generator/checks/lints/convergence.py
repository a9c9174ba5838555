"""Convergence: every wrong choice shares a content word that the right one lacks ("Israeli
jets", "Israeli drones", "Israeli ships" against "Russian radar"), so the odd one out is the answer."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import content_words, with_choices
from generator.model import ArticleSet, Question

RULE = Rule("convergence", "Haladyna, Downing & Rodriguez 2002, rule 'make all distractors plausible' (the convergence strategy of test-wise students)")


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right, wrong in with_choices(found, 2):
        shared = frozenset.intersection(*[content_words(w) for w in wrong]) - content_words(right)
        if shared:
            word = sorted(shared)[0]
            yield q, f"every wrong choice says \"{word}\" and the right one does not: the odd one out is the answer"
