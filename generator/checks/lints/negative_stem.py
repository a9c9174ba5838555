"""A stem asked in the negative ("Which did NOT ...") without the negative word in capitals:
readers miss an unstressed "not" and answer the opposite question.

A negative that is the content, not the asking, is left alone: "not to" of a promise or a decision
("What did Putin promise not to supply?"), and a negative inside a quotation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import negatives, stem
from generator.model import ArticleSet, Question

RULE = Rule("negative-stem", "Haladyna, Downing & Rodriguez 2002, rule 'word the stem positively; if a negative is used, capitalise it and set it in bold'")


_CONTENT = re.compile(r"\bnot\s+to\b|\bnever\s+to\b|[\"“«][^\"”»]*[\"”»]", re.IGNORECASE)


def _asking(text: str) -> str:
    """The stem without the negatives that are its content: "not to ..." and quotations."""
    return _CONTENT.sub(" ", text)


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        text = stem(q) if q.kind != "attribution" else str(getattr(q, "question", ""))
        if not text:
            continue
        if not negatives(text):  # most stems: taking out "not to" and quotations leaves none either
            continue
        quiet = [w for w in negatives(_asking(text)) if not w.isupper()]
        if quiet:
            yield q, f"the stem asks in the negative (\"{quiet[0]}\") without stressing it; ask positively or write {quiet[0].upper()}"
