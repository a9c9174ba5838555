"""Every marking rule the key prints is the one `quizgen mark` applies: each rule of the key (the
English text of each kind's `marking` in its registration and the total's rounding) has a test here that grades a sheet as read
(rows with their status, as generator/tools/mark/read.py gives them) and checks the points and the review list.
"""

from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")

from generator.errors import UsageError  # noqa: E402
from generator.kinds.registry import REGISTRY  # noqa: E402
from generator.tools.mark.bubbles import DIAGONALS, Bubble, Row  # noqa: E402
from generator.tools.mark.decide import Blank, classify  # noqa: E402
from generator.tools.mark.grade import grade, marks_csv  # noqa: E402
from generator.tools.mark.read import Page  # noqa: E402
from generator.tools.mark.rules import DOUBLE  # noqa: E402

SCAN = "scan.jpg"
KEY = "quiz-sheet.json"


def _question(number: int, kind: str, answer, points: int, rows: list[tuple[str, list[str]]], unit: int = 1) -> dict:
    return {"number": number, "kind": kind, "answer": answer, "points": points, "unit": unit, "page": 1,
            "rows": [{"name": name, "bubbles": [{"value": v} for v in values]} for name, values in rows]}


MCQ = _question(1, "mcq", "B", 2, [("", ["A", "B", "C", "D"])])
ATTRIBUTION = _question(2, "attribution", "A", 1, [("", ["A", "B", "C"])])
TRUE = _question(3, "truefalse", "T", 2, [("", ["T", "F"]), ("c", ["0", "1"])])
FALSE = _question(4, "truefalse", "F", 2, [("", ["T", "F"]), ("c", ["0", "1"])])
QA = _question(5, "qa", None, 3, [("", ["0", "1.5", "3"])])
CLOZE = _question(6, "cloze", None, 4, [("", ["0", "2", "4"])], unit=2)
ORDER = _question(7, "order", {"A": "1", "B": "2", "C": "3", "D": "4"}, 4,
                  [(e, ["1", "2", "3", "4"]) for e in "ABCD"])
QUESTIONS = [MCQ, ATTRIBUTION, TRUE, FALSE, QA, CLOZE, ORDER]
DATA = {"slug": "quiz", "title": "Quiz", "version": None, "code": "AB12", "total": 18, "questions": QUESTIONS}
# What a student who got everything right bubbled (the teacher's score rows bubbled in full).
RIGHT = {(1, ""): "B", (2, ""): "A", (3, ""): "T", (3, "c"): None, (4, ""): "F", (4, "c"): "1", (5, ""): "3",
         (6, ""): "4", **{(7, e): p for e, p in ORDER["answer"].items()}}


def _row(question: dict, name: str, value: str | None, status: str | None = None) -> Row:
    values = next(r for r in question["rows"] if r["name"] == name)["bubbles"]
    return Row(question["number"], name, [b["value"] for b in values], [], status or ("ok" if value else "blank"),
               value if status in (None, "ok") else None)


def _graded(changes: dict[tuple[int, str], tuple[str | None, str]] | None = None,
            decisions: dict[tuple[int, str], str] | None = None, number: str = "123456"):
    """The one student's sheet read as RIGHT with `changes` ((question, row): (value, status)), graded
    with the teacher's `decisions` ((question, row): decision)."""
    rows = [Row(0, str(i), [str(d) for d in range(10)], [], "ok", digit) for i, digit in enumerate(number)]
    for question in QUESTIONS:
        for layout_row in question["rows"]:
            key = (question["number"], layout_row["name"])
            value, status = (changes or {}).get(key, (RIGHT[key], None))  # type: ignore[arg-type]
            rows.append(_row(question, layout_row["name"], value, status))
    page = Page(f"{SCAN} page 1", SCAN, 1, code={"page": 1, "version": None}, key=KEY, rows=rows)
    given = {(SCAN, 1, str(q), r): d for (q, r), d in (decisions or {}).items()}
    (student,), reviews = grade([page], {KEY: DATA}, given)
    return student, [(r.question, r.row) for r in reviews if not r.decision]


def test_a_sheet_answered_right_earns_every_point_and_asks_nothing():
    student, reviews = _graded()
    assert student.scores == {1: 2, 2: 1, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4} and student.total == 18 and reviews == []


@pytest.mark.parametrize("question", [MCQ, ATTRIBUTION])
def test_the_right_letter_earns_its_points_and_two_letters_none(question):
    """The key: "{p} for the right letter; 0 if more than one letter is circled." Two plain fills are
    the rule's case, scored 0 without review; two marks of which one may cancel the other (a cross, a
    tick or a circle beside a fill: status "several") are a doubt for the teacher."""
    n = question["number"]
    wrong = next(v for v in question["rows"][0]["bubbles"] if v["value"] != question["answer"])["value"]
    assert _graded({(n, ""): (wrong, "ok")})[0].scores[n] == 0
    student, reviews = _graded({(n, ""): (None, "double")})
    assert student.scores[n] == 0 and student.answers[(n, "")] == DOUBLE and reviews == []
    student, reviews = _graded({(n, ""): (None, "several")})
    assert student.scores[n] is None and reviews == [(str(n), "")]
    student, _ = _graded({(n, ""): (None, "several")}, {(n, ""): question["answer"]})
    assert student.scores[n] == question["points"]
    student, _ = _graded({(n, ""): (None, "double")}, {(n, ""): question["answer"]})  # the teacher may overrule it
    assert student.scores[n] == question["points"]
    student, reviews = _graded({(n, ""): (None, "several")}, {(n, ""): "*"})  # or apply the rule: "*"
    assert student.scores[n] == 0 and reviews == []


def _bubble(fill: float, diagonals: float = 0.0, below: float = 0.0) -> Bubble:
    """A measured bubble: its fill, ink on the four diagonals past its ring (a cross's arms), and ink
    on the two lower diagonals only (the labels printed above the row below)."""
    around = [0.0] * 8
    for k in DIAGONALS:
        around[k] = diagonals + (below if k in (1, 3) else 0.0)
    return Bubble(fill, 0.8 if fill > 0.5 else 0.2, around, 1.0 if fill > 0.5 else 0.0)


def test_two_plain_fills_are_the_keys_case_and_a_fill_crossed_beside_a_fill_is_a_doubt():
    blank = Blank(0.02, 0.2, [0.0] * 8, 0.01)

    def status(*bubbles: Bubble) -> str:
        return classify(Row(1, "", list("ABCD")[:len(bubbles)], []), list(bubbles), blank).status

    assert status(_bubble(0.85), _bubble(0.02), _bubble(0.8)) == "double"
    assert status(_bubble(0.85, below=0.12), _bubble(0.9, below=0.11)) == "double"  # T and F over the ✎ row's labels
    assert status(_bubble(0.85, diagonals=0.06), _bubble(0.02), _bubble(0.8)) == "several"  # a short cross
    assert status(_bubble(0.85, diagonals=0.2), _bubble(0.8)) == "ok"  # crossed out past its ring: cancelled
    assert status(_bubble(0.85), _bubble(0.02), _bubble(0.45)) == "light"  # a fill beside a fainter one


def test_true_or_false_the_right_circle_and_the_correction_rule():
    """The key: "{p} for the right circle; a false statement also needs its correction ...: F circled
    without a correction earns half." The teacher bubbles ✓ (1) or ✗ (0) in the ✎ row of a false
    statement answered F; until then the question is in review, never guessed."""
    assert _graded({(3, ""): ("F", "ok")})[0].scores[3] == 0
    assert _graded({(4, ""): ("T", "ok")})[0].scores[4] == 0
    assert _graded({(4, "c"): ("0", "ok")})[0].scores[4] == 1
    student, reviews = _graded({(4, "c"): (None, "blank")})
    assert student.scores[4] is None and reviews == [("4", "c")]
    assert _graded({(4, "c"): (None, "blank")}, {(4, "c"): "✗"})[0].scores[4] == 1
    assert _graded({(4, "c"): (None, "blank")}, {(4, "c"): "½"})[0].scores[4] == 1  # ✗ earns half
    assert _graded({(4, "c"): (None, "blank")}, {(4, "c"): "✓"})[0].scores[4] == 2
    student, reviews = _graded({(3, ""): (None, "double"), (4, ""): (None, "double"), (4, "c"): (None, "blank")})
    assert student.scores[3] == student.scores[4] == 0 and reviews == []  # both circled: not the right circle


def test_the_true_or_false_rule_is_given_from_review_on_the_answer_row():
    """A doubtful T/F row is decided with its correction in one go: `½` (F without a right correction),
    `F✗` or `F✓`; `½` on a true statement, which has no half, is refused in one line."""
    doubt = {(4, ""): (None, "light"), (4, "c"): (None, "blank")}
    student, reviews = _graded(doubt)
    assert student.scores[4] is None and reviews == [("4", "")]
    for decision, points in (("½", 1), ("0.5", 1), ("F✗", 1), ("F ✓", 2), ("f1", 2), ("T", 0)):
        student, reviews = _graded(doubt, {(4, ""): decision})
        assert student.scores[4] == points and reviews == [], decision
    student, reviews = _graded(doubt, {(4, ""): "F"})
    assert student.scores[4] is None and reviews == [("4", "c")]  # F, with the correction still to score
    assert _graded(doubt, {(4, ""): "½", (4, "c"): "✓"})[0].scores[4] == 2  # the ✎ row's own decision wins
    with pytest.raises(UsageError, match="fits a false statement only"):
        _graded({(3, ""): (None, "light")}, {(3, ""): "½"})


def test_a_short_answer_earns_all_half_or_none_of_its_points():
    """The key: "{p} for an answer with the key's meaning ...; half for an answer that is partly right
    or too vague; 0 otherwise." The teacher bubbles 0, half or all; a score left blank or bubbled twice
    is asked, never taken as 0."""
    assert [_graded({(5, ""): (v, "ok")})[0].scores[5] for v in ("0", "1.5", "3")] == [0, 1.5, 3]
    for status in ("blank", "double"):
        student, reviews = _graded({(5, ""): (None, status)})
        assert student.scores[5] is None and reviews == [("5", "")]
    with pytest.raises(UsageError, match="none of 0, 1.5, 3"):  # two scores: the teacher's own, no rule
        _graded({(5, ""): (None, "double")}, {(5, ""): "*"})
    assert _graded({(5, ""): (None, "blank")}, {(5, ""): "1,5"})[0].scores[5] == 1.5


def test_a_cloze_earns_its_points_for_each_blank():
    """The key: "{p} for each blank: the key's words or words of the same meaning ...". The score row
    offers whole blanks' points (here 2 a blank)."""
    assert [_graded({(6, ""): (v, "ok")})[0].scores[6] for v in ("0", "2", "4")] == [0, 2, 4]
    with pytest.raises(UsageError, match="none of 0, 2, 4"):
        _graded({(6, ""): (None, "blank")}, {(6, ""): "3"})


def _tens_and_units(points: int, unit: int, tens: str | None, units: str | None,
                    decisions: dict[str, str] | None = None):
    """A cloze of `points` (`unit` a blank) scored in tens and units, as the answer sheet lays it out,
    read with the teacher's `tens` and `units`: the student's sheet and the review list, graded."""
    from generator.outputs.quiz.answer_sheet import MOST_SCORES, score_values

    assert len(score_values("cloze", points, unit)) > MOST_SCORES + 1  # the sheet has tens and units
    question = _question(1, "cloze", None, points, [("10s", [str(i) for i in range(points // 10 + 1)]),
                                                    ("1s", [str(i) for i in range(10)])], unit=unit)
    rows = [Row(0, str(i), [str(d) for d in range(10)], [], "ok", d) for i, d in enumerate("111111")]
    rows += [_row(question, "10s", tens), _row(question, "1s", units)]
    page = Page(f"{SCAN} page 1", SCAN, 1, code={"page": 1, "version": None}, key=KEY, rows=rows)
    data = {**DATA, "total": points, "questions": [question]}
    given = {(SCAN, 1, "1", row): d for row, d in (decisions or {}).items()}
    (student,), reviews = grade([page], {KEY: data}, given)
    return student, [(r.question, r.row, r.problem) for r in reviews if not r.decision]


def test_tens_and_units_the_key_cannot_give_are_reviewed_never_scored():
    """Above 13 scores the teacher bubbles tens and units: a score above the question's points, or not
    one the key's rule gives (here a whole number of blanks of 2 points), is a doubt for the teacher,
    never capped to the points nor taken as it reads."""
    for points, unit, tens, units, score in ((14, 1, "1", "4", 14), (14, 1, "0", "9", 9), (28, 2, "2", "8", 28),
                                             (28, 2, "1", "6", 16), (28, 2, "0", "0", 0)):
        student, reviews = _tens_and_units(points, unit, tens, units)
        assert (student.scores[1], reviews) == (score, [])
    for points, unit, tens, units, why in ((14, 1, "1", "9", "make 19, more than its 14 points"),
                                          (14, 1, "1", "5", "make 15, more than its 14 points"),
                                          (28, 2, "1", "7", "make 17, not a score the key gives (0, 2, 4, ..., 28)"),
                                          (28, 2, "2", "9", "make 29, more than its 28 points"),
                                          (28, 2, "0", "1", "make 1, not a score the key gives")):
        student, reviews = _tens_and_units(points, unit, tens, units)
        assert student.scores[1] is None and student.total == 0 and student.pending == 1
        (review,) = reviews
        assert review[:2] == ("1", "10s") and why in review[2] and "two digits" in review[2], review
        (row,) = csv.DictReader(io.StringIO(marks_csv([student]).decode("utf-8")))
        assert (row["Q1"], row["total"], row["to_review"]) == ("", "0", "1")


def test_tens_and_units_the_teacher_decides_are_checked_again():
    """On the tens row listed for review, two digits are the whole score (tens and units); one digit is
    the tens, and a line of its own for the units row its units. A score still impossible stays in review;
    a whole score the key does not give is refused in one line."""
    assert _tens_and_units(14, 1, "1", "9", {"10s": "14"})[0].scores[1] == 14
    assert _tens_and_units(14, 1, "1", "9", {"10s": "09"})[0].scores[1] == 9
    assert _tens_and_units(14, 1, "1", "9", {"10s": "0"})[0].scores[1] == 9
    assert _tens_and_units(14, 1, "1", "9", {"1s": "4"})[0].scores[1] == 14
    assert _tens_and_units(28, 2, "1", "7", {"10s": "18"})[0].scores[1] == 18
    assert _tens_and_units(28, 2, "1", "7", {"10s": "2", "1s": "0"})[0].scores[1] == 20
    student, reviews = _tens_and_units(28, 2, "1", "7", {"1s": "5"})
    assert student.scores[1] is None and [r[:2] for r in reviews] == [("1", "10s")]
    with pytest.raises(UsageError, match=r"the decision '17' \(the whole score\) is not one the key gives: 0, 2, 4, ..., 28"):
        _tens_and_units(28, 2, "1", "7", {"10s": "17"})
    with pytest.raises(UsageError, match="not one the key gives: 0, 1, 2, ..., 14"):
        _tens_and_units(14, 1, "1", "9", {"10s": "19"})


def test_a_chronology_earns_each_events_points_and_two_neighbours_swapped_lose_one():
    """The key: "{p} for each event given its right number; all right but two neighbours swapped: the
    full points less {p}." An event given two numbers (two plain fills) is not given its right one."""
    def score(places: str, changes: dict | None = None) -> float:
        rows = {(7, e): (p, "ok") for e, p in zip("ABCD", places)}
        return _graded({**rows, **(changes or {})})[0].scores[7]

    assert score("1234") == 4
    assert score("2134") == 3 and score("1243") == 3  # neighbours swapped
    assert score("3214") == 2  # not neighbours: the two in place
    assert score("2341") == 0
    assert score("1234", {(7, "D"): (None, "double")}) == 3
    assert score("1234", {(7, "D"): (None, "blank")}) == 3


def test_the_total_is_rounded_as_the_key_says():
    """The key: "Round a half point total up." marks.csv has the exact sum and the rounded total."""
    student, _ = _graded({(5, ""): ("1.5", "ok")})
    assert student.total == 16.5
    (row,) = csv.DictReader(io.StringIO(marks_csv([student]).decode("utf-8")))
    assert (row["points"], row["total"], row["out_of"]) == ("16.5", "17", "18")
    student, _ = _graded({(5, ""): ("1.5", "ok"), (4, "c"): ("0", "ok")})
    (row,) = csv.DictReader(io.StringIO(marks_csv([student]).decode("utf-8")))
    assert (row["points"], row["total"]) == ("15.5", "16")


def test_the_annotated_sheet_gives_the_total_marks_csv_gives():
    """The student's copy says the rounded total of marks.csv and the gradebooks, and the exact sum of
    the points drawn beside its questions only when the rounding changed it."""
    from generator.tools.mark.annotate import total_line

    student, _ = _graded({(5, ""): ("1.5", "ok")})
    (row,) = csv.DictReader(io.StringIO(marks_csv([student]).decode("utf-8")))
    assert row["total"] == "17"
    assert total_line(student) == "Student 123456  Total 17 / 18 (16.5 rounded)"
    student, _ = _graded({(5, ""): ("0", "ok")})
    assert total_line(student) == "Student 123456  Total 15 / 18"
    student, _ = _graded({(5, ""): ("1.5", "ok"), (1, ""): (None, "light")})
    assert total_line(student) == "Student 123456  Total 15 / 18 (14.5 rounded)  (1 to review)"


def test_two_numbers_in_a_student_number_column_are_asked():
    """The student number is no answer: the double rule does not apply to it."""
    rows = [Row(0, str(i), [str(d) for d in range(10)], [], "ok", d) for i, d in enumerate("1234")]
    rows[2] = Row(0, "2", [str(d) for d in range(10)], [], "double", None)
    page = Page(f"{SCAN} page 1", SCAN, 1, code={"page": 1, "version": None}, key=KEY, rows=rows)
    data = {**DATA, "questions": []}
    (student,), reviews = grade([page], {KEY: data}, {})
    assert student.number is None and [(r.question, r.problem) for r in reviews] == [
        ("student", "the student number cannot be read")]


def test_every_rule_the_key_prints_is_one_these_tests_check():
    """A rule changed or a kind added in the kinds' registrations (their `marking`) must come with its test here."""
    tested = {
        "mcq": "{p} for the right letter; 0 if more than one letter is circled.",
        "attribution": "{p} for the right letter; 0 if more than one letter is circled.",
        "truefalse": "{p} for the right circle; a false statement also needs its correction, saying what the "
                     "article says: F circled without a correction earns half.",
        "cloze": "{p} for each blank: the key's words or words of the same meaning; spelling does not count.",
        "qa": "{p} for an answer with the key's meaning in the student's own words; half for an answer that "
              "is partly right or too vague; 0 otherwise.",
        "order": "{p} for each event given its right number; all right but two neighbours swapped: "
                 "the full points less {p}.",
    }
    assert {name: REGISTRY[name].marking for name in REGISTRY} == tested
