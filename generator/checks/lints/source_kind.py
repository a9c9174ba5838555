"""An attribution whose wrong choices, taken from the article's other sources, include one of the
same kind as the right source: "Some unnamed people" beside "Foreign sources", both unnamed, so
both are right in a sense."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.giveaways import words
from generator.checks.lints import Rule
from generator.kinds.choices import wrong_choices
from generator.model import ArticleSet, Attribution, Question

RULE = Rule("source-kind", "Haladyna, Downing & Rodriguez 2002, rule 'make sure that only one of these choices is the right answer'")
UNNAMED = frozenset(["unnamed", "anonymous", "unidentified", "sources", "source", "reports", "reportedly", "rumours", "rumors"])
VAGUE = frozenset([("some",), ("some", "people"), ("others",), ("many",), ("people",), ("observers",)])
AUTHOR = frozenset([("the", "author"), ("author",), ("the", "writer"), ("the", "article"), ("the", "reporter")])


def kind(source: str) -> str | None:
    """'unnamed', 'author' or None (a named person or group: any two of them are told apart)."""
    w = words(source)
    if w in AUTHOR:
        return "author"
    if w in VAGUE or UNNAMED & set(w):
        return "unnamed"
    return None


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        if not isinstance(q, Attribution) or not q.generated:
            continue
        mine = kind(q.source)
        if mine is None:
            continue
        same = next((w for w in wrong_choices(found, q) if kind(w) == mine), None)
        if same is not None:
            yield q, f"wrong choice \"{same}\" (taken from another question) is {mine} like the right one \"{q.source}\": both could be right"
