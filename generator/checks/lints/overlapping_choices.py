"""Choices that overlap (one says all another says, and more), or a right choice that alone
repeats a word of the stem (a "clang" association)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import content_words, key_run, stem, with_choices
from generator.model import ArticleSet, Question

RULE = Rule("overlapping-choices", "Haladyna, Downing & Rodriguez 2002, rules 'keep choices independent; choices should not be overlapping' and 'avoid clues: choices resembling words in the stem'")


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right, wrong in with_choices(found):
        texts = [right, *wrong]
        sets = [content_words(t) for t in texts]
        runs = [key_run(t) for t in texts]
        # a run found once in them all is in no other (most questions): no pair to look for
        joined = "\n".join(runs)
        overlap = None if sum(map(joined.count, runs)) == len(runs) else next(
            ((a, b) for i, a in enumerate(texts) for j, b in enumerate(texts)
             if i != j and sets[i] and runs[i] != runs[j] and runs[i] in runs[j]),
            None,
        )
        if overlap:
            yield q, f"choice \"{overlap[0]}\" is contained in choice \"{overlap[1]}\": the two overlap"
            continue
        stem_words = content_words(stem(q))
        echoed = sorted(sets[0] & stem_words)
        if echoed and not any(s & stem_words for s in sets[1:]):
            yield q, f"only the right choice repeats a word of the stem (\"{echoed[0]}\")"

