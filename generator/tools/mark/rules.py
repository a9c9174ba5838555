"""The key's marking rules as `quizgen mark` applies them: a question's points from what its rows say,
the total's rounding, and the value a teacher's review decision gives a row.

Every rule the key prints (builders/quiz/sheet.py MARKING, and "Round a half point total up") is here,
and tests/test_mark_rules.py checks each one through `grade`.
"""

from __future__ import annotations

import math
from typing import Any

from generator.errors import UsageError
from generator.kinds.registry import REGISTRY
from generator.outputs.quiz.answer_sheet import CORRECTION
from generator.tools.mark.bubbles import Row

BLANK_WORDS = {"-", "none", "blank", "empty"}
# Two or more plain fills in a row a student answers: the key's rule ("0 if more than one letter is
# circled"; not the right circle; not the event's right number) gives no point, without review.
DOUBLE = "*"
HALF = ("½", "0.5", "0,5", "1/2")  # on a true/false row: F without a right correction, half the points



def written(kind: str) -> bool:
    """Whether a kind is answered in writing (its registration says): the teacher bubbles its score."""
    registered = REGISTRY.get(kind)
    return registered is not None and registered.written


def decided(question: dict[str, Any], row: Row, decision: str, where: str) -> tuple[str | None, dict[str, str]]:
    """The value a teacher's decision gives a row, and the values it gives the question's other rows
    (a true/false answer decided with its correction: `F✓`, `F✗` or `½`); raises UsageError when it is
    not one of the row's values."""
    if decision.lower() in BLANK_WORDS:
        return None, {}
    if decision.strip() == DOUBLE and students_row(question, row):
        return DOUBLE, {}  # two marks: the key's rule
    if question["kind"] == "truefalse":
        decision, correction = _truefalse_decision(question, row, decision, where)
        if correction is not None:
            return "F", {CORRECTION: correction}
    wanted = decision.replace("½", "0.5").replace(",", ".").replace("✓", "1").replace("✗", "0").upper()
    for value in row.values:
        if value.upper() == wanted or (_number(value) is not None and _number(value) == _number(wanted)):
            return value, {}
    raise UsageError(f"{where}: error: the decision {decision!r} is none of {', '.join(row.values)} (or '-' for none)")


def _truefalse_decision(question: dict[str, Any], row: Row, decision: str, where: str) -> tuple[str, str | None]:
    """The key's correction rule given in review. On the answer row: `F✓` (F, corrected right: all the
    points), `F✗` or `½` (F without a right correction: half) set the ✎ row too; on the ✎ row `½` is ✗.
    Returns the decision for the row itself and the ✎ row's value (None when the decision gives none)."""
    text = decision.replace(" ", "").upper()
    if row.name == CORRECTION:
        return ("0" if text in HALF else decision), None
    if text in HALF:
        if question["answer"] != "F":
            raise UsageError(f"{where}: error: the decision {decision!r} (F without a right correction: half the "
                             "points) fits a false statement only; this one is true: give T, F or '-'")
        return "F", "0"
    if len(text) == 2 and text[0] == "F" and text[1] in "✓1✗0":
        return "F", "1" if text[1] in "✓1" else "0"
    return decision, None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def students_row(question: dict[str, Any], row: Row) -> bool:
    """Whether the student answers the row (not the teacher, who bubbles a written answer's score or ✓ ✗)."""
    return not written(question["kind"]) and not (question["kind"] == "truefalse" and row.name == CORRECTION)


def points(question: dict[str, Any], values: dict[str, str | None]) -> float:
    """The points a question earns from the values read in its rows."""
    kind = question["kind"]
    if written(kind):
        if "10s" in values:  # tens and units (more than 12 points)
            tens, units = values.get("10s"), values.get("1s")
            score = 10 * float(tens or 0) + float(units or 0)
        else:
            score = float(values.get("") or 0)
        return min(score, float(question["points"]))
    if kind == "order":
        right: dict[str, str] = question["answer"]
        wrong = [name for name, place in right.items() if values.get(name) != place]
        unit = float(question["unit"])
        if not wrong:
            return float(question["points"])
        if len(wrong) == 2:
            a, b = wrong
            va, vb = values.get(a), values.get(b)
            if va == right[b] and vb == right[a] and abs(int(right[a]) - int(right[b])) == 1:
                return float(question["points"]) - unit  # two neighbours swapped
        return unit * (len(right) - len(wrong))
    if values.get("") != question["answer"]:
        return 0.0
    if kind == "truefalse" and question["answer"] == "F" and CORRECTION in values:
        # the key: "F circled without a correction earns half"; the teacher bubbles ✓ for a right one
        return float(question["points"]) if values[CORRECTION] == "1" else float(question["points"]) / 2
    return float(question["points"])


def rounded(total: float) -> int:
    """A total as the key rounds it: a half point up."""
    return math.floor(total + 0.5)
