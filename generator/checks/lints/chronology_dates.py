"""A chronology whose events' own dates say another order than the one given as right: the key
and the article disagree, and the learner who trusts the article is marked wrong."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from generator.checks import date_order
from generator.checks.lints import Rule
from generator.model import ArticleSet, Chronology, Question

RULE = Rule("chronology-dates", "Haladyna, Downing & Rodriguez 2002, rule 'make sure that only one of these choices is the right answer'")


# a date read once per text: the events of an article's chronologies repeat their dates (a Date is a tuple, never changed)
_parse = lru_cache(maxsize=4096)(date_order.parse)


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    language = found.article.meta.language
    for q in found.questions:
        if not isinstance(q, Chronology):
            continue
        dated = [(i, e.when, _parse(e.when, language)) for i, e in enumerate(q.events) if e.when]
        clash = next(
            ((a, b) for k, a in enumerate(dated) for b in dated[k + 1:]
             if a[2] is not None and b[2] is not None and date_order.compare(a[2], b[2]) == 1),
            None,
        )
        if clash is not None:
            (i, when_a, _), (j, when_b, _) = clash
            yield q, (f"event {j + 1} is dated \"{when_b}\", before event {i + 1}'s \"{when_a}\", yet comes after it "
                      "in the order given; put the events in the order of their dates, or correct a date")
