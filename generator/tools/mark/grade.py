"""Grading read pages with their version's key, and the review list of what is not guessed.

Pages are gathered into students by (article, version, code, student number); a page whose student
number cannot be read is a student of its own until the teacher gives the number in the review file.
A question is scored (by the key's rules, generator/tools/mark/rules.py) only when every row of it was read
clearly or the teacher decided it: a light or erased mark, two marks of which one may cancel the
other, or a written answer without a score bubbled is listed for review and left out of the total,
never guessed; two plain fills in a student's row are the key's case ("0 if more than one letter").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.outputs.sheet_keys import FOLDER as SHEET_KEYS
from generator.sources.userfiles import read_json
from generator.tools.mark.bubbles import Row
from generator.tools.mark.csvtext import safe_text
from generator.tools.mark.read import Page
from generator.tools.mark.review import Decision, Decisions, Review, Where, kept_rows
from generator.tools.mark.roster import NO_SHEET, by_value, number_value
from generator.tools.mark.rules import DOUBLE, decided, points, rounded, scoring, students_row, written


def load_keys(folder: Path) -> dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]:
    """Every answer-sheet teacher file in `folder`, by (article hash, version, code); two files of one
    (article, version, code) are refused, naming both: a page of that code could be read with either."""
    if not folder.is_dir():
        raise UsageError(f"--key {folder} is not a folder (give the build's output folder)")
    keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]] = {}
    current = sorted(folder.glob("*-sheet*.json"))
    # the teacher files of earlier codes that builds replaced, kept under their codes (outputs/sheet_keys.py):
    # used for a code the folder itself no longer has
    earlier = sorted((folder / SHEET_KEYS).glob("*-sheet*.json"))
    for path, kept in [*((p, False) for p in current), *((p, True) for p in earlier)]:
        try:
            data = read_json(path)
            ident = (data["slug_hash"], data["version"], data["code"])
        except UsageError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise UsageError(f"{path}: not an answer-sheet teacher file ({e})") from None
        if ident in keys and kept:
            continue  # a copy kept of a code the folder has: the folder's is used
        if ident in keys:
            version = f"version {ident[1]}" if ident[1] else "single version"
            raise UsageError(f"{path}: {keys[ident][0]} in the same --key folder is the teacher file of the "
                             f"same sheet ({version}, code {ident[2]}); a page of that code could be read with "
                             "either: keep one of them in --key")
        keys[ident] = (path.name, data)
    if not keys:
        raise UsageError(f"no answer-sheet teacher file (*-sheet.json) in {folder}: build with --answer-sheet")
    return keys


@dataclass
class Student:
    number: str | None
    key: str
    data: dict[str, Any]
    pages: list[Page] = field(default_factory=list)
    scores: dict[int, float | None] = field(default_factory=dict)  # question: points, None while in review
    answers: dict[tuple[int, str], str | None] = field(default_factory=dict)  # (question, row): value used
    repeated: bool = False  # its number is on another sheet too, or not on the roster: listed for review
    name: str = ""  # from the roster
    email: str = ""  # from the roster

    @property
    def total(self) -> float:
        return sum(v for v in self.scores.values() if v is not None)

    @property
    def pending(self) -> int:
        return sum(1 for v in self.scores.values() if v is None) + self.repeated


PROBLEMS = {
    "double": "two or more marks in a row",  # on a row the teacher bubbles: the key's rule is for students
    "several": "two or more marks in a row, not all plain fills (a tick, a cross or a circle may cancel one)",
    "light": "a light, erased, partial or cancelled mark",
}
UNSCORED = "no score bubbled for a written answer"


def grade(pages: list[Page], keys: dict[str, dict[str, Any]], decisions: Decisions | Mapping[Where, str],
          aside: list[Page] | None = None) -> tuple[list[Student], list[Review]]:
    """Students with their scores, and the review list: what is left to decide, what was decided, and
    the review file's decisions that fit no row now (kept at its end, saying why).

    `keys` are the teacher files by name. `aside` receives the pages a decision sets aside (`-` on a
    page's row, or on the student row of a sheet: every page of that sheet): they are not marked.
    """
    given = decisions if isinstance(decisions, Decisions) else Decisions.given(decisions)
    reviews: list[Review] = []
    set_aside = [] if aside is None else aside
    students = _gather(pages, keys, given, reviews, set_aside)
    _list_repeated_numbers(students, reviews)
    for student in students:
        _score(student, given, reviews)
    reviews += kept_rows(given, pages, set_aside)
    ordered = sorted(students, key=lambda s: (s.number is None, s.number or "", s.key))
    return ordered, reviews


def _gather(pages: list[Page], keys: dict[str, dict[str, Any]], decisions: Decisions, reviews: list[Review],
            aside: list[Page]) -> list[Student]:
    """The placed pages gathered into students; the pages a decision sets aside into `aside`."""
    students: dict[tuple, Student] = {}
    dropped: dict[tuple, None] = {}  # the sheets a decision on their student row sets aside, in order
    for page in pages:
        own = page.problem is None and page.code is not None and not page.named  # placed by its own code
        named = decisions.page(page.scan, page.index, f"version {page.code['version'] or '-'}" if own and page.code else None)
        if page.problem is not None or page.code is None or page.key is None:
            _not_placed(page, named, reviews, aside)
            continue
        if named is not None:  # placed by the teacher's decision: kept in the list with it
            reviews.append(Review(page.scan, page.index, "", page.code["version"] or "", "page", "",
                                  "the page's code could not be read: placed as the decision says", decision=named.value))
        number, dismissed = _student_number(page, page.code, decisions, reviews)
        # a number nobody can read makes the page a student of its own until the teacher gives it; a
        # page already there for this number is another student's sheet with the same number
        ident: tuple = (number, page.key, 0) if number is not None else ("?", page.scan, page.index)
        while ident in students and page.code["page"] in {p.code["page"] for p in students[ident].pages if p.code}:
            ident = (*ident[:2], ident[2] + 1)
        student = students.get(ident)
        if student is None:
            student = students[ident] = Student(number, page.key, keys[page.key])
        student.pages.append(page)
        if dismissed:
            dropped[ident] = None
    for ident in dropped:
        aside += students.pop(ident).pages
    return list(students.values())


def _not_placed(page: Page, decision: Decision | None, reviews: list[Review], aside: list[Page]) -> None:
    """A page not placed, listed for review; a decision on it can only set it aside (`-`): a version
    that names a sheet places the page before it is read, or is refused here."""
    hint = "; if it is a sheet, give its version as the decision (e.g. B, or B p2 Y3XI)" if page.code is None else ""
    reviews.append(Review(page.scan, page.index, "", "", "page", "",
                          f"page not placed: {page.problem}{hint}; if it is not a sheet, '-' sets it aside",
                          decision=decision.value if decision else ""))
    if decision is None:
        return
    if not decision.set_aside:
        raise UsageError(f"{decision.context(page.source)}: error: the decision {decision.value!r} cannot place "
                         f"{page.source}: {page.problem}; give '-' to set the page aside, or scan it again")
    aside.append(page)


def _student_number(page: Page, code: dict[str, Any], decisions: Decisions,
                    reviews: list[Review]) -> tuple[str | None, bool]:
    """The student number bubbled on a placed page, or the teacher's decision (None when neither gives
    it), and whether the decision sets the page's sheet aside."""
    shown = _bubbled_number(page)
    version = code["version"] or ""
    number: str | None = shown if "?" not in shown else None
    decisions.remember(page.scan, page.index, version, shown)
    decision = decisions.student(page.scan, page.index, version, shown)
    if decision is not None and not decision.set_aside:
        if not decision.value.isdigit():
            raise UsageError(f"{decision.context(f'the student number of {page.source}')}: error: {decision.value!r} "
                             "is not a student number: give its digits, or '-' to set this sheet aside")
        number = decision.value
    if decision is not None or "?" in shown:
        problem = "the student number cannot be read" if "?" in shown else (
            "set aside by the decision: this sheet is not marked" if decision and decision.set_aside
            else "the student number is the one given in review")
        reviews.append(Review(page.scan, page.index, number or "", version, "student", "", problem, shown,
                              decision=decision.value if decision else ""))
    return number, decision is not None and decision.set_aside


def _list_repeated_numbers(students: list[Student], reviews: list[Review]) -> None:
    """A student number on more than one sheet of one quiz (of any version): every such sheet is kept and
    listed, so the teacher gives each its right number; none is dropped or merged. Sheets of two quizzes
    (two articles marked in one batch) with one number are one student's two quizzes."""
    sheets: dict[tuple[str, str], list[Student]] = {}
    for student in students:
        if student.number is not None:
            sheets.setdefault((student.number, str(student.data.get("slug", ""))), []).append(student)
    for (number, _), same in sheets.items():
        if len(same) > 1:
            for student in same:
                page = student.pages[0]
                reviews.append(_review(student, page, "student", "",
                                       f"the student number {number} is on {len(same)} sheets: give this one's "
                                       "number, or '-' to set this sheet aside (a copy)", _bubbled_number(page)))
                student.repeated = True


def _bubbled_number(page: Page) -> str:
    """The student number as read, with "?" for every column that is not one clear mark."""
    return "".join(r.value if r.status == "ok" and r.value else "?" for r in page.rows if r.question == 0)


def _score(student: Student, decisions: Decisions, reviews: list[Review]) -> None:
    """Score every question of the student's sheet, listing in `reviews` what a person must decide."""
    rows = _rows_read(student)
    for question in student.data["questions"]:
        _score_question(student, question, rows, decisions, reviews)
    _list_missing_pages(student, decisions, reviews)


def _rows_read(student: Student) -> dict[tuple[int, str], tuple[Page, Row]]:
    """Every question row read on the student's pages, by (question, row), from the first page that has it."""
    rows: dict[tuple[int, str], tuple[Page, Row]] = {}
    for page in student.pages:
        for row in page.rows:
            if row.question:
                rows.setdefault((row.question, row.name), (page, row))
    return rows


def _score_question(student: Student, question: dict[str, Any], rows: dict[tuple[int, str], tuple[Page, Row]],
                    decisions: Decisions, reviews: list[Review]) -> None:
    """The question's points into `student.scores`, or None while a row of it is missing or under review."""
    number = question["number"]
    values: dict[str, str | None] = {}
    implied: dict[str, str] = {}  # rows the decision on another row of the question settled
    open_ = False
    seen_all = True
    for layout_row in question["rows"]:
        name = layout_row["name"]
        found = rows.get((number, name))
        if found is None:
            seen_all = False
            continue
        settled, value = (True, implied[name]) if name in implied and not _has_decision(student, found, number, decisions) \
            else _row_value(student, question, *found, decisions, reviews, implied)
        if not settled:
            open_ = True
            continue
        values[name] = student.answers[(number, name)] = value
    if not seen_all:
        student.scores[number] = None  # its page is missing: listed once per student below
        return
    left = None if open_ else scoring(question).to_review(question, values)
    if left is not None:  # a row the teacher must still score (a false statement's correction)
        name, problem = left
        reviews.append(_review(student, rows[(number, name)][0], str(number), name, problem))
        open_ = True
    student.scores[number] = None if open_ else points(question, values)


def _has_decision(student: Student, found: tuple[Page, Row], number: int, decisions: Decisions) -> bool:
    return _decision(student, *found, str(number), decisions) is not None


def _decision(student: Student, page: Page, row: Row, question: str, decisions: Decisions) -> Decision | None:
    """The teacher's decision on a row of the student's page, if it was made for this sheet."""
    return decisions.row((page.scan, page.index, question, row.name), student.data["version"] or "", student.number or "")


def _row_value(student: Student, question: dict[str, Any], page: Page, row: Row,
               decisions: Decisions, reviews: list[Review], implied: dict[str, str]) -> tuple[bool, str | None]:
    """Whether the row is settled, and the value it gives; a row a person must decide goes into `reviews`,
    and the values a decision gives the question's other rows into `implied`."""
    where = str(question["number"])
    decision = _decision(student, page, row, where, decisions)
    if decision is not None:  # kept in the review list with its decision, so the file can be given again
        value, others = decided(question, row, decision.value, decision.context(f"question {where} of {page.source}"))
        implied.update(others)
        reviews.append(_review(student, page, where, row.name, _problem(row, question), read=_shown(row),
                               fills=_fills(row), decision=decision.value))
        return True, value
    if row.status == "double" and students_row(question, row):
        return True, DOUBLE
    if row.status in PROBLEMS:
        reviews.append(_review(student, page, where, row.name, PROBLEMS[row.status], read=_shown(row),
                               fills=_fills(row)))
        return False, None
    if _unscored(row, question):
        reviews.append(_review(student, page, where, row.name, UNSCORED))
        return False, None
    return True, row.value


def _unscored(row: Row, question: dict[str, Any]) -> bool:
    """A written answer whose score the teacher has not bubbled: never taken as 0."""
    return row.status == "blank" and written(question["kind"])


def _problem(row: Row, question: dict[str, Any]) -> str:
    """Why a row a teacher decided was listed for review."""
    if row.status in PROBLEMS:
        return PROBLEMS[row.status]
    return UNSCORED if _unscored(row, question) else "decided by the teacher"


def _review(student: Student, page: Page, question: str, row: str, problem: str,
            read: str = "", fills: str = "", decision: str = "") -> Review:
    """A review line about one of the student's pages."""
    return Review(page.scan, page.index, student.number or "", student.data["version"] or "", question, row,
                  problem, read, fills, decision)


def _list_missing_pages(student: Student, decisions: Decisions, reviews: list[Review]) -> None:
    """A page of the student's sheet not among the scans: listed (its row is the page's number); its
    questions stay unscored, and no decision can change that."""
    data = student.data
    missing = sorted({q["page"] for q in data["questions"]} - {p.code["page"] for p in student.pages if p.code})
    first = student.pages[0]
    for page_number in missing:
        decision = decisions.row((first.scan, first.index, "page", str(page_number)), data["version"] or "",
                                 student.number or "")
        if decision is not None:
            raise UsageError(f"{decision.context(first.source)}: error: a missing page's row takes no decision "
                             f"(its questions are not scored until page {page_number} is scanned): clear it")
        reviews.append(_review(student, first, "page", str(page_number),
                               f"page {page_number} of this student's sheet was not found among the scans"))


def _fills(row: Row) -> str:
    return " ".join(f"{f:.2f}" for f in row.fills)


def _shown(row: Row) -> str:
    """The bubbles that hold something, as a person would say it: `B C?` (B a mark, C a trace),
    `C~` an erased-looking grey, `C/` a cancelled mark."""
    signs = {"mark": "", "trace": "?", "erased": "~", "cancelled": "/"}
    return " ".join(v + signs[k] for v, k in zip(row.values, row.marks) if k in signs)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


MARKS_TEXT = {"student", "name", "article", "version", "code", "scans"}  # marks.csv's columns of text


def marks_table(students: list[Student], missing: Sequence[tuple[str, str]] = ()) -> list[list[str]]:
    """marks.csv's rows, its header first: one a student: number, name (from the roster), article,
    version, code, the points of every question, their exact sum, the total rounded as the key says (a
    half point up), the maximum, what is left to review, and the scans it was read from; then a row for
    each student of the roster with no sheet (`missing`: number, name): no points and no total (not a 0:
    nothing was marked), and in the scans column why. marks.csv and marks.xlsx are this table."""
    most = max((len(s.data["questions"]) for s in students), default=0)
    rows = [["student", "name", "article", "version", "code", *[f"Q{i}" for i in range(1, most + 1)],
             "points", "total", "out_of", "to_review", "scans"]]
    for s in students:
        scores = [s.scores.get(q["number"]) for q in s.data["questions"]]
        cells = ["" if v is None else _fmt(v) for v in scores] + [""] * (most - len(scores))
        scans = " ".join(dict.fromkeys(p.source for p in s.pages))
        rows.append([s.number or "?", s.name, s.data["slug"], s.data["version"] or "", s.data["code"], *cells,
                     _fmt(s.total), str(rounded(s.total)), str(s.data["total"]), str(s.pending), scans])
    rows += [[number, name, *[""] * (len(rows[0]) - 3), NO_SHEET] for number, name in missing]
    return rows


def marks_csv(students: list[Student], missing: Sequence[tuple[str, str]] = ()) -> bytes:
    """marks_table as CSV, every text a spreadsheet shows as text (csvtext.py: `=1+1` is `'=1+1`)."""
    rows = marks_table(students, missing)
    text = [c in MARKS_TEXT for c in rows[0]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows([safe_text(v) if t else v for v, t in zip(row, text)] for row in rows[1:])
    return out.getvalue().encode("utf-8")


def apply_roster(students: list[Student], roster: dict[str, dict[str, str]], reviews: list[Review]) -> None:
    """Names from the roster; a number that is not on it is listed for review (its sheet is kept)."""
    written = by_value(roster)  # 815 is 000815 on the sheet
    for student in students:
        number = written.get(number_value(student.number)) if student.number is not None else None
        entry = roster[number] if number is not None else None
        if entry is not None:
            student.name = entry.get("name", "")
            student.email = entry.get("email", "")
        elif student.number is not None:
            reviews.append(_review(student, student.pages[0], "student", "",
                                   f"the student number {student.number} is not on the roster: give this sheet's number",
                                   _bubbled_number(student.pages[0])))
            student.repeated = True
