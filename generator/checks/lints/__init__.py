"""Item-writing lints: flaws a test expert would point out in a question, as warnings.

Each rule is one small module in this package with a `RULE` (its name, the guideline it follows)
and a `check(found)` that yields (question, reason) for every question it flags. The registry
(registry.py) lists them and runs them; `allow: [rule-name]` on a question silences one rule for that question.
The rules are heuristics on words, not a grammar: each aims to flag the plain cases and stay
quiet on ordinary questions, and `allow:` is the author's answer when a flag is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.model import ArticleSet, Question


@dataclass(frozen=True)
class Rule:
    name: str
    guideline: str  # the guideline it follows, as the warning cites it


Check = Callable[[ArticleSet], Iterable[tuple[Question, str]]]

# the rule names, in the order the documentation lists them (validate.py checks `allow:` against these)
RULE_NAMES = (
    "longest-answer", "lone-shape", "overlapping-choices", "distractor-right-elsewhere", "all-none-of-the-above",
    "negative-stem", "truefalse-cue", "cloze-blank", "answer-in-question", "source-kind", "chronology-dates",
    "shortest-answer", "convergence", "same-choice", "overlapping-sources", "truefalse-balance",
)
