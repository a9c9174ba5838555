"""How `quizgen mark` scores a kind's question from the values read in its answer-sheet rows.

A kind's registration holds one `Scoring` (`Kind.scoring`); by default the one of its `bubbles`:
a letter (one right value: all the points or none), true/false (the key's correction rule), a
chronology's events (a unit per event in its place, all but one unit for two neighbours swapped), or
a written answer (the score the teacher bubbles). `quizgen mark` (tools/mark/rules.py, grade.py,
analysis.py) asks the question's kind and names none.

Each method takes the question as the answer sheet's teacher file gives it (`kind`, `points`, `unit`,
`answer`, `choices`, `rows`) and the values read in its rows by row name ("" for a one-row question).
"""

from __future__ import annotations

from typing import Any

from generator.errors import UsageError

Question = dict[str, Any]  # one question of the answer sheet's teacher file (*-sheet.json)
Values = dict[str, "str | None"]  # the value read (or decided) in each of its rows, by row name

CORRECTION = "c"  # a true/false question's second row: the teacher's ✗ (no right correction) or ✓
HALF = ("½", "0.5", "0,5", "1/2")  # on a true/false row: F without a right correction, half the points


class Scoring:
    """A question answered in one row with one right value (a letter): all its points or none."""

    written = False  # the teacher bubbles a written answer's score: a blank row is never taken as 0

    def points(self, question: Question, values: Values) -> float:
        """The points the question earns from the values read in its rows."""
        return float(question["points"]) if values.get("") == question["answer"] else 0.0

    def students_row(self, question: Question, row: str) -> bool:
        """Whether the student answers the row (not the teacher, who bubbles a score or ✓ ✗)."""
        return not self.written

    def decided(self, question: Question, row: str, decision: str, where: str) -> tuple[str, dict[str, str]]:
        """A teacher's decision on a row as the row's own value to look up, and the values it gives the
        question's other rows (none here); raises UsageError when it cannot apply."""
        return decision, {}

    def to_review(self, question: Question, values: Values) -> tuple[str, str] | None:
        """A row left for the teacher although every row was read (its name, and what to do), or None."""
        return None

    def choices(self, question: Question) -> dict[str, str] | None:
        """The text of each value a student picks, for item analysis (None: no choices to count)."""
        return dict(question.get("choices") or {})


TENS, UNITS = "10s", "1s"  # a written answer's score rows when it has more than 13 scores (answer_sheet.py)


class Written(Scoring):
    """A written answer: the score the teacher bubbles (in tens and units above 12 points), one of its rule's scores."""

    written = True

    def points(self, question: Question, values: Values) -> float:
        """The score bubbled: one of `score_values` (`to_review` sends any other tens and units to review)."""
        if TENS in values:  # tens and units (more than 12 points)
            return 10 * float(values.get(TENS) or 0) + float(values.get(UNITS) or 0)
        return float(values.get("") or 0)

    def to_review(self, question: Question, values: Values) -> tuple[str, str] | None:
        """Tens and units that make a score the key's rule cannot give (more than the question's points, or
        not one of `score_values`): listed on the tens row, whose decision may be the whole score; nothing
        is capped or rounded to a score."""
        if TENS not in values or values.get(TENS) is None or values.get(UNITS) is None:
            return None
        score = 10 * float(values[TENS] or 0) + float(values[UNITS] or 0)
        allowed = self._allowed(question)
        if score in {float(v) for v in allowed}:
            return None
        why = f"more than its {question['points']} points" if score > question["points"] else \
            f"not a score the key gives ({_listed(allowed)})"
        return TENS, (f"tens {values[TENS]} and units {values[UNITS]} make {score:g}, {why}: give the right score "
                      "in two digits (07 for 7)")

    def decided(self, question: Question, row: str, decision: str, where: str) -> tuple[str, dict[str, str]]:
        """On the tens row, two digits or more are the whole score (`14`, `07`): its tens, and its units for
        the units row; one digit is the tens alone."""
        text = decision.strip()
        if row != TENS or len(text) < 2 or not text.isdigit():
            return decision, {}
        allowed = self._allowed(question)
        if str(int(text)) not in allowed:
            raise UsageError(f"{where}: error: the decision {decision!r} (the whole score) is not one the key gives: "
                             f"{_listed(allowed)}")
        return str(int(text) // 10), {UNITS: str(int(text) % 10)}

    def _allowed(self, question: Question) -> list[str]:
        return self.score_values(int(question["points"]), int(question.get("unit") or 1))

    def choices(self, question: Question) -> dict[str, str] | None:
        return None

    def score_values(self, points: int, unit: int) -> list[str]:
        """The scores the teacher can bubble on the answer sheet, as the key's rule gives them: here a
        whole number of units (a cloze: its blanks' points)."""
        return [str(k * unit) for k in range(points // max(unit, 1) + 1)]


class HalfOrAll(Written):
    """A written answer marked all, half or none of its points (a short answer: the key's rule)."""

    def score_values(self, points: int, unit: int) -> list[str]:
        return ["0", format(points / 2, "g"), str(points)]


def _listed(scores: list[str]) -> str:
    return ", ".join(scores) if len(scores) <= 6 else f"{', '.join(scores[:3])}, ..., {scores[-1]}"


UNSCORED_CORRECTION = "F is right: bubble ✓ if the correction on the quiz is right, ✗ if not (half the points)"


class TrueFalse(Scoring):
    """T or F, and for a false statement the key's rule: "F circled without a correction earns half";
    the teacher bubbles ✓ (right correction) or ✗ in the ✎ row."""

    def points(self, question: Question, values: Values) -> float:
        if values.get("") != question["answer"]:
            return 0.0
        if question["answer"] == "F" and CORRECTION in values:
            return float(question["points"]) if values[CORRECTION] == "1" else float(question["points"]) / 2
        return float(question["points"])

    def students_row(self, question: Question, row: str) -> bool:
        return row != CORRECTION

    def decided(self, question: Question, row: str, decision: str, where: str) -> tuple[str, dict[str, str]]:
        """On the answer row: `F✓` (F, corrected right: all the points), `F✗` or `½` (F without a right
        correction: half) set the ✎ row too; on the ✎ row `½` is ✗."""
        text = decision.replace(" ", "").upper()
        if row == CORRECTION:
            return ("0" if text in HALF else decision), {}
        if text in HALF:
            if question["answer"] != "F":
                raise UsageError(f"{where}: error: the decision {decision!r} (F without a right correction: half the "
                                 "points) fits a false statement only; this one is true: give T, F or '-'")
            return "F", {CORRECTION: "0"}
        if len(text) == 2 and text[0] == "F" and text[1] in "✓1✗0":
            return "F", {CORRECTION: "1" if text[1] in "✓1" else "0"}
        return decision, {}

    def to_review(self, question: Question, values: Values) -> tuple[str, str] | None:
        """A false statement answered F whose correction the teacher has not scored: never guessed."""
        if question["answer"] == "F" and values.get("") == "F" and CORRECTION in values and values[CORRECTION] is None:
            return CORRECTION, UNSCORED_CORRECTION
        return None

    def choices(self, question: Question) -> dict[str, str] | None:
        return {"T": "T", "F": "F"}


class Events(Scoring):
    """A chronology: one row an event, its place; a unit an event in its place, and all the points but
    one unit when exactly two neighbouring events are swapped."""

    def points(self, question: Question, values: Values) -> float:
        right: dict[str, str] = question["answer"]
        wrong = [name for name, place in right.items() if values.get(name) != place]
        unit = float(question["unit"])
        if not wrong:
            return float(question["points"])
        if len(wrong) == 2:
            a, b = wrong
            if values.get(a) == right[b] and values.get(b) == right[a] and abs(int(right[a]) - int(right[b])) == 1:
                return float(question["points"]) - unit  # two neighbours swapped
        return unit * (len(right) - len(wrong))

    def choices(self, question: Question) -> dict[str, str] | None:
        return None


BY_BUBBLES: dict[str, Scoring] = {"letter": Scoring(), "truefalse": TrueFalse(), "events": Events(), "score": Written()}


# The built-in kinds' scoring by name (kinds/__init__.py BUILT_IN), for `quizgen mark`, which scores a
# sheet without importing a kind: the registry imports every kind's model and schema, about 0.15 s of
# CPU a marking. Each built-in registration holds this very object (generator/kinds/registry.py checks
# it); a kind registered from outside quizgen is asked through the registry (tools/mark/rules.py).
BUILT_IN_SCORING: dict[str, Scoring] = {
    "qa": HalfOrAll(), "cloze": BY_BUBBLES["score"], "mcq": BY_BUBBLES["letter"],
    "truefalse": BY_BUBBLES["truefalse"], "order": BY_BUBBLES["events"], "attribution": BY_BUBBLES["letter"],
}
