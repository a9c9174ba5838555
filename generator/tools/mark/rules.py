"""The key's marking rules as `quizgen mark` applies them: a question's points from what its rows say,
the total's rounding, and the value a teacher's review decision gives a row.

Every rule the key prints (each kind's `marking`, and "Round a half point total up") is applied here or
by the question's kind (its registration's `scoring`, generator/kinds/scoring.py), and
tests/test_mark_rules.py checks each one through `grade`.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from generator.errors import UsageError
from generator.kinds.scoring import BUILT_IN_SCORING, BY_BUBBLES, Scoring
from generator.tools.mark.bubbles import Row

BLANK_WORDS = {"-", "none", "blank", "empty"}
# Two or more plain fills in a row a student answers: the key's rule ("0 if more than one letter is
# circled"; not the right circle; not the event's right number) gives no point, without review.
DOUBLE = "*"


def scoring(question: dict[str, Any]) -> Scoring:
    """How the question's kind is scored (its registration's `scoring`; a one-answer question's for a
    kind not registered in this run)."""
    kind = question["kind"]
    if kind in BUILT_IN_SCORING and "generator.kinds.registry" not in sys.modules:
        # A built-in kind's registration, without importing the kinds (every kind's model and schema:
        # about 0.15 s of CPU a marking): with no registry loaded, no kind was registered or replaced.
        return BUILT_IN_SCORING[kind]
    from generator.kinds.registry import REGISTRY  # a kind from outside quizgen is registered there

    registered = REGISTRY.get(kind)
    return registered.scoring if registered is not None else BY_BUBBLES["letter"]


def written(kind: str) -> bool:
    """Whether a kind is answered in writing (its registration says): the teacher bubbles its score."""
    return scoring({"kind": kind}).written


def decided(question: dict[str, Any], row: Row, decision: str, where: str) -> tuple[str | None, dict[str, str]]:
    """The value a teacher's decision gives a row, and the values it gives the question's other rows
    (a true/false answer decided with its correction: `F✓`, `F✗` or `½`, kinds/scoring.py); raises
    UsageError when it is not one of the row's values."""
    if decision.lower() in BLANK_WORDS:
        return None, {}
    if decision.strip() == DOUBLE and students_row(question, row):
        return DOUBLE, {}  # two marks: the key's rule
    decision, others = scoring(question).decided(question, row.name, decision, where)
    if others:
        return decision, others
    wanted = decision.replace("½", "0.5").replace(",", ".").replace("✓", "1").replace("✗", "0").upper()
    for value in row.values:
        if value.upper() == wanted or (_number(value) is not None and _number(value) == _number(wanted)):
            return value, {}
    raise UsageError(f"{where}: error: the decision {decision!r} is none of {', '.join(row.values)} (or '-' for none)")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def students_row(question: dict[str, Any], row: Row) -> bool:
    """Whether the student answers the row (not the teacher, who bubbles a written answer's score or ✓ ✗)."""
    return scoring(question).students_row(question, row.name)


def points(question: dict[str, Any], values: dict[str, str | None]) -> float:
    """The points a question earns from the values read in its rows (its kind's scoring)."""
    return scoring(question).points(question, values)


def rounded(total: float) -> int:
    """A total as the key rounds it: a half point up."""
    return math.floor(total + 0.5)
