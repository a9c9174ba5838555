"""Item analysis and gradebooks of a small class, checked against numbers worked out by hand."""

from __future__ import annotations

import csv
import io

import pytest

from generator.tools.mark.analysis import analyse, gradebooks, items_csv, items_html
from generator.tools.mark.grade import Student

CHOICES = {"Paris": "right", "Lyon": "wrong", "Nice": "wrong"}


def _data(version: str, order: list[str]) -> dict:
    """A sheet of three one-point questions q1-q3, numbered in `order`; the choices lettered per version."""
    letters = "ABC" if version == "A" else "CAB"
    questions = []
    for number, qid in enumerate(order, start=1):
        choices = dict(zip(letters, CHOICES))
        right = next(letter for letter, text in choices.items() if text == "Paris")
        questions.append({"number": number, "id": qid, "kind": "mcq", "points": 1, "answer": right,
                          "choices": choices, "rows": [{"name": "", "bubbles": []}]})
    return {"version": version, "title": "Capitals", "total": 3, "questions": questions, "slug": "capitals", "code": "X"}


# scores by question id: the class worked out by hand below
CLASS = [("1001", "A", "Ada Lovelace", {"q1": 1, "q2": 1, "q3": 1}),
         ("1002", "B", "Ben Okafor", {"q1": 1, "q2": 1, "q3": 0}),
         ("1003", "A", "Chloé Dupont", {"q1": 1, "q2": 0, "q3": 0}),
         ("1004", "B", "Dan Wu", {"q1": 0, "q2": 1, "q3": 0}),
         ("1005", "A", "Eve Adams", {"q1": 0, "q2": 0, "q3": 0})]


def _class() -> list[Student]:
    students = []
    for number, version, name, scores in CLASS:
        data = _data(version, ["q1", "q2", "q3"] if version == "A" else ["q2", "q3", "q1"])
        student = Student(number, f"capitals-sheet-{version}.json", data, name=name, email=f"{number}@school.example")
        for q in data["questions"]:
            student.scores[q["number"]] = float(scores[q["id"]])
            text = "Paris" if scores[q["id"]] else "Lyon"  # every wrong answer picks Lyon: Nice is never picked
            student.answers[(q["number"], "")] = next(k for k, v in q["choices"].items() if v == text)
        students.append(student)
    return students


def test_item_statistics_match_a_hand_computation():
    items, reliability = analyse(_class())
    by_id = {i.id: i for i in items}
    # difficulty: the share of the class right
    assert by_id["q1"].difficulty == pytest.approx(0.6)
    assert by_id["q2"].difficulty == pytest.approx(0.6)
    assert by_id["q3"].difficulty == pytest.approx(0.2)
    # q1 against the rest of the total: x = 1 1 1 0 0, rest = 2 1 0 1 0:
    # sxy = 0.6, sxx = 1.2, syy = 2.8, r = 0.6 / sqrt(3.36)
    assert by_id["q1"].discrimination == pytest.approx(0.6 / 3.36 ** 0.5)
    # KR-20: k = 3, sum pq = .24 + .24 + .16 = .64, totals 3 2 1 1 0: variance 1.04
    assert reliability == pytest.approx(1.5 * (1 - 0.64 / 1.04))
    # the same question is followed across versions by its id, its choices by their text
    assert by_id["q1"].numbers == {"A": 1, "B": 3}
    assert by_id["q1"].choices == {"Paris": 3, "Lyon": 2, "Nice": 0}
    assert by_id["q1"].right == "Paris"
    assert "a distractor nobody picks: Nice" in by_id["q1"].flags
    rows = list(csv.DictReader(io.StringIO(items_csv(items, reliability).decode("utf-8"))))
    assert rows[0]["id"] == "q1" and rows[0]["difficulty"] == "0.60" and rows[0]["point_biserial"] == "0.33"
    assert rows[-1]["id"] == "KR-20" and rows[-1]["flags"] == "0.58"
    page = items_html(items, reliability, 5).decode("utf-8")
    assert "<svg" in page and "0.58" in page and "Nice" in page


def test_negative_discrimination_and_strong_students_missing_are_flagged():
    students = _class()
    for student in students:  # q3 now right only for the two weakest
        q3 = next(q for q in student.data["questions"] if q["id"] == "q3")
        student.scores[q3["number"]] = 1.0 if student.number in ("1004", "1005") else 0.0
    items, _ = analyse(students)
    q3 = next(i for i in items if i.id == "q3")
    assert q3.discrimination is not None and q3.discrimination < 0
    assert "negative discrimination" in q3.flags and "most strong students miss it" in q3.flags


def test_gradebooks_for_moodle_classroom_and_a_spreadsheet():
    students = _class()
    students[0].scores[1] = 0.5  # 2.5: the key rounds a half point up
    files = dict(gradebooks(students).files)
    moodle = list(csv.DictReader(io.StringIO(files["gradebook-moodle.csv"].decode("utf-8"))))
    assert moodle[0] == {"ID number": "1001", "Email address": "1001@school.example", "Full name": "Ada Lovelace",
                         "Capitals": "3"}
    classroom = list(csv.DictReader(io.StringIO(files["gradebook-classroom.csv"].decode("utf-8"))))
    assert classroom[2] == {"Last Name": "Dupont", "First Name": "Chloé", "Email Address": "1003@school.example",
                            "Capitals": "1"}
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (reading marks.xlsx back) is in the test extras")
    book = openpyxl.load_workbook(io.BytesIO(files["marks.xlsx"]))
    table = list(book["marks"].iter_rows(values_only=True))
    header = table[0]
    first = dict(zip(header, table[1]))
    assert first["student"] == "1001" and first["name"] == "Ada Lovelace" and first["total"] == 3
    assert first["points"] == 2.5 and first["Q1"] == 0.5


def test_a_spreadsheet_keeps_every_text_as_text():
    """A name from the roster that starts with "=" is a name in marks.xlsx, not a formula that a
    spreadsheet program would run; an address is not turned into a link; a student number keeps its zeros."""
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (reading marks.xlsx back) is in the test extras")
    students = _class()
    students[0].name = '=HYPERLINK("http://example.com","x")'
    students[1].name = "http://example.com"
    students[2].number = "000123"
    book = openpyxl.load_workbook(io.BytesIO(dict(gradebooks(students).files)["marks.xlsx"]))
    sheet = book["marks"]
    header = [c.value for c in sheet[1]]
    column = header.index("name") + 1
    cells = [sheet.cell(row=r, column=column) for r in (2, 3)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://example.com","x")', "http://example.com"]
    assert [c.data_type for c in cells] == ["s", "s"] and cells[1].hyperlink is None
    numbers = [sheet.cell(row=r, column=header.index("student") + 1).value for r in range(2, 5)]
    assert "000123" in numbers
