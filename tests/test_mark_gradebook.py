"""The gradebook files of a small class marked as `quizgen mark` marks it (pages as read, graded, named
by a roster), safe to import into Moodle or Google Classroom: a column a quiz, only final grades, the
roster's IDs, names split as Classroom wants them, and mark's report of what they leave out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")

from typer.testing import CliRunner  # noqa: E402

from generator.tools.mark import Marked  # noqa: E402
from generator.tools.mark.analysis import gradebooks  # noqa: E402
from generator.tools.mark.bubbles import Row  # noqa: E402
from generator.tools.mark.grade import Student, apply_roster, grade  # noqa: E402
from generator.tools.mark.read import Page  # noqa: E402
from generator.tools.mark.roster import read_roster  # noqa: E402


def _mcq(number: int, page: int) -> dict:
    return {"number": number, "id": f"q{number}", "kind": "mcq", "answer": "B", "points": 1, "unit": 1, "page": page,
            "rows": [{"name": "", "bubbles": [{"value": v} for v in "ABCD"]}]}


# two quizzes in one batch: an article on two pages, and another article's version A on one
HARBOUR = {"slug": "harbour-reopens", "slug_hash": "c587447c", "title": "Quiz: Harbour reopens after storm",
           "version": None, "code": "MBWP", "total": 3, "questions": [_mcq(1, 1), _mcq(2, 1), _mcq(3, 2)]}
CAPITALS = {"slug": "capitals", "slug_hash": "0a1b2c3d", "title": "Capitals", "version": "A", "code": "CAPA",
            "total": 2, "questions": [_mcq(1, 1), _mcq(2, 1)]}
KEYS = {"harbour-reopens-sheet.json": HARBOUR, "capitals-sheet-A.json": CAPITALS}
ROSTER = """number,name,email
26992,"Lee, Ann",ann@school.example
37141,Bob Ray,bob@school.example
41891,=1+1,eq@school.example
52364,+SUM(1;2),sum@school.example
63837,Chloé Dupont,
74310,@Dan Wu,dan@school.example
85000,Eve Adams,eve@school.example
96000,"Okafor, Ben",ben@school.example
"""


def _page(scan: str, number: str, quiz: dict, page: int, answers: str) -> Page:
    """One page as read: the number bubbled (`?` a column not read) and the letters of its questions in
    order (`?` a light mark, for review)."""
    rows = [Row(0, str(i), list("0123456789"), [], "ok" if d != "?" else "blank", d if d != "?" else None)
            for i, d in enumerate(number)]
    questions = [q for q in quiz["questions"] if q["page"] == page]
    for question, letter in zip(questions, answers, strict=True):
        rows.append(Row(question["number"], "", list("ABCD"), [], "light" if letter == "?" else "ok",
                        None if letter == "?" else letter))
    key = next(name for name, data in KEYS.items() if data is quiz)
    return Page(f"{scan} page 1", scan, 1, code={"page": page, "version": quiz["version"]}, key=key, rows=rows)


def _class() -> list[Page]:
    return [
        _page("h1.jpg", "026992", HARBOUR, 1, "BB"), _page("h2.jpg", "026992", HARBOUR, 2, "B"),  # 3 of 3
        _page("h3.jpg", "037141", HARBOUR, 1, "BA"), _page("h4.jpg", "037141", HARBOUR, 2, "B"),  # 2
        _page("h5.jpg", "041891", HARBOUR, 1, "BB"),  # its page 2 is missing
        _page("c1.jpg", "052364", CAPITALS, 1, "B?"),  # a light mark to review
        _page("c2.jpg", "063837", CAPITALS, 1, "BB"),  # 2
        _page("c3.jpg", "074310", CAPITALS, 1, "BA"),  # 1
        _page("h6.jpg", "085000", HARBOUR, 1, "BB"), _page("h7.jpg", "085000", HARBOUR, 2, "B"),
        _page("h8.jpg", "085000", HARBOUR, 1, "AA"), _page("h9.jpg", "085000", HARBOUR, 2, "A"),  # bubbled twice
        _page("c4.jpg", "096000", CAPITALS, 1, "BB"),  # 2, and a sheet of 8 digits that the roster
        _page("c5.jpg", "00096000", CAPITALS, 1, "AA"),  # matches to the same student: 0
        _page("c6.jpg", "099999", CAPITALS, 1, "BB"),  # not on the roster
        _page("c7.jpg", "1?3456", CAPITALS, 1, "BB"),  # its number not read
    ]


def _marked(tmp_path: Path, roster: str | None = ROSTER) -> tuple[list[Student], dict[str, dict[str, str]] | None]:
    students, reviews = grade(_class(), KEYS, {})
    class_list = None
    if roster is not None:
        (tmp_path / "class.csv").write_text(roster, encoding="utf-8")
        class_list = read_roster(tmp_path / "class.csv")
        apply_roster(students, class_list, reviews)
    return students, class_list


def _read(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name].decode("utf-8"))))


HARBOUR_COLUMN, CAPITALS_COLUMN = "Quiz: Harbour reopens after storm", "Capitals"


def test_each_quiz_has_its_own_column_and_only_final_grades_of_one_sheet_are_given(tmp_path):
    students, roster = _marked(tmp_path)
    books = gradebooks(students, roster)
    classroom = {r["Email Address"]: r for r in _read(dict(books.files), "gradebook-classroom.csv")}
    # a column a quiz, named by its title; a student has grades only in the quizzes they sat
    assert list(next(iter(classroom.values()))) == ["Last Name", "First Name", "Email Address", CAPITALS_COLUMN,
                                                    HARBOUR_COLUMN]
    grades = {i.split("@")[0]: (r[HARBOUR_COLUMN], r[CAPITALS_COLUMN]) for i, r in classroom.items()}
    assert grades == {
        "ann": ("3", ""), "bob": ("2", ""), "dan": ("", "1"),
        "eq": ("", ""),  # a page missing: no grade, not the first page's 2
        "sum": ("", ""),  # a row to review: no grade, not the 1 scored so far
        "eve": ("", ""),  # the number bubbled on two sheets (3 and 0): neither
        "ben": ("", ""),  # two sheets the roster gives one student (2 and 0): neither
    }  # and no row for a number not on the roster (Moodle's import stops at an unknown ID) or not read
    assert books.notes[0] == (
        "gradebooks: no grade for 8 sheets (no row in the Moodle file, an empty cell or no row in the Classroom file; "
        "never a 0): 1 whose student number was not read, 1 whose number is not on the roster, 1 with a page missing, "
        "1 with rows to review, 2 whose number is on another sheet too, 2 whose ID is on another sheet of the same "
        "quiz (96000); see review.csv")


def test_the_moodle_file_has_no_empty_cell_which_would_clear_a_grade_moodle_has(tmp_path):
    """Moodle's import takes an empty cell as "no grade" and clears the grade an existing grade item
    already has (grade/import/csv/classes/load_data.php); a student with no row is left as they are.
    So a student whose grade is not final, or who sat only one quiz of the marking, has no row, and
    mark's report says how many and why."""
    students, roster = _marked(tmp_path)
    books = gradebooks(students, roster)
    text = dict(books.files)["gradebook-moodle.csv"].decode("utf-8")
    assert text == f"ID number,Email address,Full name,{CAPITALS_COLUMN},{HARBOUR_COLUMN}\n"  # nobody sat both
    assert books.notes[-1] == (
        "gradebook-moodle.csv leaves out 8 of 8 students, whose row would have an empty cell (Moodle's import clears "
        "the grade an item already has for an empty cell): 4 with a sheet not graded (above), 4 with no sheet of "
        "every quiz of this marking (mark each quiz's scans on their own to import them)")
    one_quiz = [p for p in _class() if p.key == "capitals-sheet-A.json"]
    students, reviews = grade(one_quiz, KEYS, {})
    apply_roster(students, roster, reviews)
    books = gradebooks(students, roster)
    moodle = _read(dict(books.files), "gradebook-moodle.csv")
    assert [(r["ID number"], r[CAPITALS_COLUMN]) for r in moodle] == [("63837", "2"), ("74310", "1")]
    assert all(r[CAPITALS_COLUMN] for r in moodle)  # no empty grade
    assert books.notes[-1].startswith("gradebook-moodle.csv leaves out 2 of 4 students, whose row would have an "
                                      "empty cell") and books.notes[-1].endswith(": 2 with a sheet not graded (above)")


def test_the_id_is_the_rosters_number_as_the_roster_writes_it(tmp_path):
    """The sheet's boxes hold 026992 for the roster's 26992: Moodle matches the ID number exactly."""
    pages = [p for p in _class() if p.key == "harbour-reopens-sheet.json"] + [_page("c9.jpg", "099999", HARBOUR, 1, "BB"),
                                                                                 _page("c9.jpg", "099999", HARBOUR, 2, "B")]
    students, reviews = grade(pages, KEYS, {})
    (tmp_path / "class.csv").write_text(ROSTER, encoding="utf-8")
    roster = read_roster(tmp_path / "class.csv")
    apply_roster(students, roster, reviews)
    ids = [r["ID number"] for r in _read(dict(gradebooks(students, roster).files), "gradebook-moodle.csv")]
    assert ids == ["26992", "37141"]  # not 026992
    students, _ = grade(pages, KEYS, {})  # without a roster: the number as bubbled
    ids = [r["ID number"] for r in _read(dict(gradebooks(students).files), "gradebook-moodle.csv")]
    assert ids == ["026992", "037141", "099999"]


def test_classroom_rows_are_students_with_an_email_and_last_first_names_split_at_the_comma(tmp_path):
    students, roster = _marked(tmp_path)
    books = gradebooks(students, roster)
    classroom = {r["Email Address"]: r for r in _read(dict(books.files), "gradebook-classroom.csv")}
    assert classroom["ann@school.example"] == {"Last Name": "Lee", "First Name": "Ann",
                                               "Email Address": "ann@school.example", CAPITALS_COLUMN: "",
                                               HARBOUR_COLUMN: "3"}
    assert (classroom["ben@school.example"]["Last Name"], classroom["ben@school.example"]["First Name"]) == \
        ("Okafor", "Ben")
    assert (classroom["bob@school.example"]["Last Name"], classroom["bob@school.example"]["First Name"]) == \
        ("Ray", "Bob")  # no comma: the last word
    assert "" not in classroom  # Chloé Dupont has no email: Classroom could not match her
    assert books.notes[1] == ("gradebook-classroom.csv leaves out 1 of 8 students: no email address on the roster "
                              "(Google Classroom matches students by email address)")


def test_without_a_roster_the_classroom_file_holds_no_student_and_says_why(tmp_path):
    students, _ = _marked(tmp_path, roster=None)
    books = gradebooks(students)
    assert dict(books.files)["gradebook-classroom.csv"].decode("utf-8") == \
        f"Last Name,First Name,Email Address,{CAPITALS_COLUMN},{HARBOUR_COLUMN}\n"
    assert books.notes[-2] == ("gradebook-classroom.csv holds no student: Google Classroom matches students by "
                               "email address, and without --roster there is none (give a roster with an email "
                               "column)")


def test_mark_says_what_the_gradebooks_leave_out(tmp_path, monkeypatch):
    from generator.cli import app

    students, roster = _marked(tmp_path)
    notes = gradebooks(students, roster).notes
    monkeypatch.setattr("generator.tools.mark.mark", lambda *a, **k: Marked([], students, [], [], notes))
    (tmp_path / "key").mkdir()
    result = CliRunner().invoke(app, ["mark", str(tmp_path / "scan.jpg"), "--key", str(tmp_path / "key"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(notes) == 3 and result.output.splitlines()[-3:] == notes  # a line each, after what was marked


def test_a_student_who_sat_two_quizzes_of_the_batch_is_graded_in_both(tmp_path):
    """One number on a sheet of each of two quizzes is one student's two quizzes, not a number on two
    sheets: both were listed for review, and neither graded."""
    pages = [_page("h1.jpg", "026992", HARBOUR, 1, "BB"), _page("h2.jpg", "026992", HARBOUR, 2, "B"),
             _page("c1.jpg", "026992", CAPITALS, 1, "BA")]
    students, reviews = grade(pages, KEYS, {})
    assert [(s.data["slug"], s.repeated) for s in students] in (
        [("capitals", False), ("harbour-reopens", False)], [("harbour-reopens", False), ("capitals", False)])
    assert not [r for r in reviews if r.question == "student"]
    moodle = _read(dict(gradebooks(students, None).files), "gradebook-moodle.csv")
    assert [(r["ID number"], r[HARBOUR_COLUMN], r[CAPITALS_COLUMN]) for r in moodle] == [("026992", "3", "1")]


def test_marks_csv_and_marks_xlsx_hold_the_same_rows_the_roster_students_without_a_sheet_too(tmp_path):
    """With --roster, a student of it with no sheet has a row without a total at the end of marks.csv;
    marks.xlsx is the same table: the same students in the same order, texts as texts (a name that
    starts with "=" written as text in both, after an apostrophe in the CSV file)."""
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (reading marks.xlsx back) is in the test extras")
    from generator.tools.mark.csvtext import plain_text
    from generator.tools.mark.grade import marks_csv
    from generator.tools.mark.roster import NO_SHEET, absent

    students, roster = _marked(tmp_path, ROSTER + "11111,Zed Away,zed@school.example\n22222,=2+2,\n")
    assert roster is not None
    missing = absent(students, roster)
    assert missing == [("11111", "Zed Away"), ("22222", "=2+2")]
    marks = list(csv.reader(io.StringIO(marks_csv(students, missing).decode("utf-8"))))
    sheet = openpyxl.load_workbook(io.BytesIO(dict(gradebooks(students, roster, missing).files)["marks.xlsx"]))["marks"]
    table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert table[0] == marks[0]
    assert [(plain_text(r[0]), plain_text(r[1])) for r in marks[1:]] == [(r[0], r[1]) for r in table[1:]]
    assert [r[1] for r in table[-2:]] == ["Zed Away", "=2+2"] and [r[-1] for r in table[-2:]] == [NO_SHEET] * 2
    assert marks[-1][1] == "'=2+2"  # never a formula in the CSV file either
    total = marks[0].index("total")
    assert [r[total] for r in table[-2:]] == ["", ""] and [r[total] for r in marks[-2:]] == ["", ""]
