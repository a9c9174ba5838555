"""What a lint rule is (its name and the guideline it follows, the shape of its check), and the rules'
names, which validate.py checks `allow:` against without importing the rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.model import ArticleSet, Question


@dataclass(frozen=True)
class Rule:
    name: str
    guideline: str  # the guideline it follows, as the warning cites it


# the rule names, in the order the documentation lists them (lints/__init__.py runs them in this order)
RULE_NAMES = (
    "longest-answer", "lone-shape", "overlapping-choices", "distractor-right-elsewhere", "all-none-of-the-above",
    "negative-stem", "truefalse-cue", "cloze-blank", "answer-in-question", "source-kind", "chronology-dates",
    "shortest-answer", "convergence", "same-choice", "overlapping-sources", "truefalse-balance",
)

Check = Callable[[ArticleSet], Iterable[tuple[Question, str]]]
