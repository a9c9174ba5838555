"""Every text cell of the CSV files `quizgen mark` writes is safe to open in a spreadsheet program, and
review.csv reads back as it was written."""

from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")

from generator.tools.mark.analysis import gradebooks  # noqa: E402
from generator.tools.mark.csvtext import plain_text, safe_text  # noqa: E402
from generator.tools.mark.grade import Student, marks_csv  # noqa: E402
from generator.tools.mark.review import Review, read_decisions, review_csv  # noqa: E402


def _class() -> list[Student]:
    data = {"slug": "capitals", "title": "Capitals", "version": "A", "code": "CAPA", "total": 1,
            "questions": [{"number": 1, "kind": "mcq", "answer": "B", "points": 1, "rows": []}]}
    students = []
    for number, name in (("41891", "=1+1"), ("52364", "+SUM(1;2)"), ("74310", "@Dan Wu"), ("85000", "Eve Adams")):
        student = Student(number, "capitals-sheet-A.json", data, name=name, email=f"{number}@school.example")
        student.scores[1] = 1.0
        students.append(student)
    return students


def test_text_cells_a_spreadsheet_would_run_are_written_as_text():
    """A roster name "=1+1", "+SUM(1;2)" or "@Dan Wu" is written '=1+1 (a spreadsheet shows the text, runs
    nothing) in marks.csv and both gradebooks; numbers are left as numbers; marks.xlsx keeps the name."""
    students = _class()
    books = dict(gradebooks(students).files)
    marks = marks_csv(students).decode("utf-8")
    for text in (marks, books["gradebook-moodle.csv"].decode("utf-8"), books["gradebook-classroom.csv"].decode("utf-8")):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert "'=1+1" in cells and "'+SUM(1;2)" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and len(c) > 1)]
    assert "'@Dan Wu" in marks
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (reading marks.xlsx back) is in the test extras")
    sheet = openpyxl.load_workbook(io.BytesIO(books["marks.xlsx"]))["marks"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=1+1" in names and "+SUM(1;2)" in names and "@Dan Wu" in names


def test_review_csv_is_safe_in_a_spreadsheet_and_reads_back_as_it_was(tmp_path):
    """A scan named "=x.jpg" is written '=x.jpg; `--review` reads the file back with the decisions keyed by
    the scan's real name; the decision "-" (none) stays "-"."""
    reviews = [Review("=x.jpg", 1, "123456", "", "1", "", "a light, erased, partial or cancelled mark", "B?",
                      "0.31", "-"),
               Review("@y.jpg", 2, "123456", "", "2", "", "two or more marks in a row", "A B", "0.9 0.9", "*"),
               Review("z.jpg", 1, "", "", "student", "", "the student number cannot be read", "12?456", "", "")]
    text = review_csv(reviews).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'=x.jpg" and rows[2][0] == "'@y.jpg" and rows[1][-1] == "-" and rows[1][8] == "0.31"
    (tmp_path / "review.csv").write_text(text, encoding="utf-8")
    assert read_decisions(tmp_path / "review.csv").plain() == {("=x.jpg", 1, "1", ""): "-", ("@y.jpg", 2, "2", ""): "*"}


@pytest.mark.parametrize("text", ["=1+1", "+SUM(1;2)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1",
                                  "'=1", "''@x", "Ann", "'Ann", "-", "=", "-1.5", "+3", "", "O'Brien"])
def test_the_apostrophe_is_added_only_where_needed_and_taken_off_exactly(text):
    safe = safe_text(text)
    assert plain_text(safe) == text
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r") or len(text) < 2 or text in ("-1.5", "+3")
    assert safe == text or safe == "'" + text
