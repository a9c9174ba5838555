"""Word helpers the lint rules share (words are those of generator/checks/words.py, as the giveaway check has them: normalised, case folded)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from generator.checks.giveaways import STOP_WORDS, PerArticle, key_words, per_article, words
from generator.kinds.choices import right_choice, wrong_choices
from generator.model import ArticleSet, Attribution, MultipleChoice, Question

__all__ = ["STOP_WORDS", "words", "content_words", "with_choices", "stem", "NEGATIVES", "run", "key_run"]

NEGATIVES = frozenset(["not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "except", "cannot"])
_NT = re.compile(r"n[’']t\b", re.IGNORECASE)
_TOKEN = re.compile(r"[\w’']+")
# an ASCII text's tokens (as _TOKEN has them) that are one of NEGATIVES in any case: casefold is lower there
_ASCII_NEGATIVE = re.compile(r"(?<![\w'])(?:" + "|".join(sorted(NEGATIVES)) + r")(?![\w'])", re.IGNORECASE | re.ASCII)


@lru_cache(maxsize=4096)  # the choices and stems of an article: most choices are asked about by several rules
def content_words(text: str) -> frozenset[str]:
    """The words of a text that carry meaning: no function word, nothing of one letter."""
    return frozenset([w for w in words(text) if w not in STOP_WORDS and len(w) > 1])


@lru_cache(maxsize=4096)  # a choice is asked about by several rules and questions
def run(text: str) -> str:
    """A text's words as one string with a space at either end: whether it says a run of words is a substring test."""
    return " " + " ".join(words(text)) + " "


@lru_cache(maxsize=4096)
def key_run(text: str) -> str:
    """`run` of its key words (`key_words`: no function word at either end)."""
    return " " + " ".join(key_words(text)) + " "


def negatives(text: str) -> list[str]:
    """The negative words of a text, as written ("not", "never", "isn't" ...)."""
    # most texts are ASCII and hold no negative word and no apostrophe: a token of letters alone is
    # one of their `words` (known already: the giveaway check reads them), and "n't" needs an apostrophe
    if text.isascii() and "'" not in text and NEGATIVES.isdisjoint(words(text)):
        return []
    if text.isascii() and not _ASCII_NEGATIVE.search(text):
        found = []
    else:
        found = [m.group() for m in _TOKEN.finditer(text) if m.group().casefold() in NEGATIVES]
    return found + [m.group() for m in _NT.finditer(text)]


_SHOWN: PerArticle[list[tuple[Question, str, list[str]]]] = {}


def with_choices(found: ArticleSet, wrong: int = 0) -> Iterator[tuple[Question, str, list[str]]]:
    """(question, right choice, wrong choices shown) for each question with choices and at least
    `wrong` wrong ones, in the article's order (the lists are shared: not to be changed).

    The wrong ones are drawn once per article (an attribution's by a seeded shuffle), not once
    for every rule that asks.
    """
    for shown in per_article(_SHOWN, found, lambda: _shown(found)):
        if len(shown[2]) >= wrong:
            yield shown


def _shown(found: ArticleSet) -> list[tuple[Question, str, list[str]]]:
    return [(q, right_choice(q), list(wrong_choices(found, q)))
            for q in found.questions if isinstance(q, (MultipleChoice, Attribution))]


def stem(q: Question) -> str:
    """The question's stem as printed (an attribution's claim with its prompt)."""
    if isinstance(q, Attribution):
        return f"{q.question} {q.claim}"
    return str(getattr(q, "question", ""))
