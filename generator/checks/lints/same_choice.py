"""A wrong choice equal to the right one (or to another wrong one) but for case and punctuation:
"Tel Aviv." and "Tel Aviv" print as two choices and are one. (The same words in another case are
an error already, validate.py; this is what is left: a full stop, a comma, a quote.)"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.giveaways import words
from generator.checks.lints import Rule
from generator.checks.lints.text import with_choices
from generator.model import ArticleSet, Question

RULE = Rule("same-choice", "Haladyna, Downing & Rodriguez 2002, rule 'make sure that only one of these choices is the right answer'")


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right, wrong in with_choices(found):
        seen: dict[tuple[str, ...], str] = {}
        for text in (right, *wrong):
            key = words(text)
            if key and key in seen and seen[key] != text:
                yield q, f"choices \"{seen[key]}\" and \"{text}\" differ only in case or punctuation: they are one choice"
                break
            seen.setdefault(key, text)
