"""A choice "all of the above", "none of the above" or "both A and B": it tests reasoning about
choices, not the article, and shuffled choices have no "above" and other letters. The common
phrasings of the catalogued languages (en, fr, es, de, ru, he, ar) are looked for in every article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from generator.checks.lints import Rule
from generator.checks.lints.text import with_choices
from generator.model import ArticleSet, Question

RULE = Rule("all-none-of-the-above", "Haladyna, Downing & Rodriguez 2002, rules 'avoid all-of-the-above' and 'use none-of-the-above carefully'")
_ABOVE = re.compile(
    "|".join([
        r"\b(all|none|both|neither)\b.*\b(above|these|previous|options|answers|choices)\b",
        r"\b(toutes?|tous|aucune?|les deux)\b.*\b(ci-dessus|précèdent|précédentes?|réponses|propositions)\b",
        r"\b(todas?|todos|ninguna?|ninguno|ambas?|ambos)\b.*\b(anteriores|opciones|respuestas)\b",
        r"\b(alle|keine|beide)\b.*\b(oben|genannten|antworten|optionen)\b",
        r"\b(все|ничего|ни один|оба)\b.*(вышеперечисленн|выше|варианты|ответы)",
        r"(כל|אף|שתי).*(התשובות|לעיל|האפשרויות)",
        r"(جميع|كل|لا شيء|ولا).*(سبق|ما ذكر|الإجابات|الخيارات)",
    ]),
    re.IGNORECASE,
)
# What an ASCII choice that _ABOVE matches must hold, lowered (the first words of its ASCII
# phrasings): most choices hold none, and a few substring tests are much quicker than the pattern.
_ASCII_FIRST = ("all", "none", "both", "neither", "toute", "tous", "aucun", "les deux", "toda", "todo", "ningun",
                "amb", "keine", "beide")
_ANY_FIRST = re.compile("|".join(_ASCII_FIRST))  # one search for any of them anywhere
_LETTERS = re.compile(r"^\s*(?:[Bb]oth\s+)?[A-E]\s+(?:and|&)\s+[A-E]\b")  # "Both A and B", "A and C"


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q, right, wrong in with_choices(found):
        hit = next(filter(_refers, (right, *wrong)), None)  # (no generator a question: _refers is cached)
        if hit is not None:
            yield q, f"choice \"{hit}\" refers to the other choices"


@lru_cache(maxsize=4096)  # a choice is offered by several questions (an attribution's sources by most of them)
def _refers(choice: str) -> bool:
    """Whether a choice refers to the others."""
    return _above(choice) or _LETTERS.match(choice) is not None


def _above(choice: str) -> bool:
    """Whether _ABOVE finds a phrasing in the choice (an ASCII one without any of its first words cannot hold one)."""
    if choice.isascii() and _ANY_FIRST.search(choice.lower()) is None:
        return False
    return _ABOVE.search(choice) is not None
