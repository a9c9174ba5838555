"""The choices a multiple-choice or attribution question offers, shared by every output."""

from __future__ import annotations

from itertools import repeat

from generator.model import ArticleSet, Attribution, MultipleChoice
from generator.shuffle import shuffled

MAX_WRONG_CHOICES = 3  # when an attribution's wrong choices are the article's other sources


def right_choice(q: MultipleChoice | Attribution) -> str:
    return q.source if isinstance(q, Attribution) else q.answer


def wrong_choices(found: ArticleSet, q: MultipleChoice | Attribution) -> tuple[str, ...]:
    """The distractors to show: all that were written, or a fixed few of the article's other sources."""
    if isinstance(q, Attribution) and len(q.distractors) > MAX_WRONG_CHOICES:
        return tuple(shuffled(q.distractors, found.article.slug, q.id, "sources")[:MAX_WRONG_CHOICES])
    return q.distractors


def ordered_choices(found: ArticleSet, q: MultipleChoice | Attribution, *key: str) -> list[tuple[str, bool]]:
    """(text, is_right) for every choice, in an order fixed by the question and `key`."""
    items = [(right_choice(q), True), *zip(wrong_choices(found, q), repeat(False))]
    return shuffled(items, found.article.slug, q.id, "choices", *key)
