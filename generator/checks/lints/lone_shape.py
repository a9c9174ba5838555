"""The right choice is the only one of its grammatical shape: every wrong choice opens (or ends)
with one word, the right one does not ("It kept silent", "It threatened ..." against "With only ...")."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import with_choices, words
from generator.model import ArticleSet, Question

RULE = Rule("lone-shape", "Haladyna, Downing & Rodriguez 2002, rule 'keep choices homogeneous in content and grammatical structure'")


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right_choice, wrong_choices in with_choices(found, 2):
        right, wrong = words(right_choice), [words(w) for w in wrong_choices]
        if not right or not all(wrong):
            continue
        for end, where in ((0, "opens"), (-1, "ends")):
            shared = {w[end] for w in wrong}
            if len(shared) == 1 and right[end] not in shared:
                word = shared.pop()
                yield q, f"every wrong choice {where} with \"{word}\", the right one with \"{right[end]}\": its shape singles it out"
                break
