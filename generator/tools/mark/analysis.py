"""After marking: how each question worked (item analysis) and the marks in gradebook formats.

Item analysis follows each question by its id across versions (its number and its choices' letters
differ from one version to the next). For each question: how many students it was scored for, its
difficulty (the mean share of its points earned, 0 to 1), its discrimination (the point-biserial
correlation between the share earned and the rest of the student's points), how often each choice was
picked (by its text), and flags for questions to revise. The test's reliability is KR-20 over the
questions scored right (all points) or not, for the students with nothing left to review.
"""

from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.tools.mark.csvtext import safe_text
from generator.tools.mark.grade import MARKS_TEXT, Student, marks_table
from generator.tools.mark.roster import by_value, number_value
from generator.tools.mark.rules import rounded, scoring

STRONG = 0.27  # the top share of students by total: "most strong students miss it"
NONE = "(none)"


@dataclass
class Item:
    id: str
    kind: str
    points: float
    numbers: dict[str, int] = field(default_factory=dict)  # version: its number there
    shares: list[float] = field(default_factory=list)  # earned / points, one a student scored
    rests: list[float] = field(default_factory=list)  # the same students' other points
    choices: dict[str, int] = field(default_factory=dict)  # text: picked
    right: str | None = None
    difficulty: float | None = None
    discrimination: float | None = None
    strong: float | None = None  # difficulty among the strongest students
    flags: list[str] = field(default_factory=list)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return None if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def analyse(students: list[Student]) -> tuple[list[Item], float | None]:
    """Every question's statistics, in the order of the first version's sheet, and KR-20."""
    items: dict[str, Item] = {}
    ranked = sorted(students, key=lambda s: s.total, reverse=True)
    strong = {id(s) for s in ranked[:max(1, math.ceil(STRONG * len(ranked)))]}
    strong_shares: dict[str, list[float]] = {}
    for student in students:
        total = student.total  # a sum over the student's questions: once, not once a question
        for question in student.data["questions"]:
            qid = question.get("id") or f"Q{question['number']}"
            item = items.setdefault(qid, Item(qid, question["kind"], float(question["points"])))
            item.numbers[student.data["version"] or "-"] = question["number"]
            _count_choice(item, question, student)
            score = student.scores.get(question["number"])
            if score is None:
                continue
            share = score / item.points if item.points else 0.0
            item.shares.append(share)
            item.rests.append(total - score)
            if id(student) in strong:
                strong_shares.setdefault(qid, []).append(share)
    for item in items.values():
        _finish(item, strong_shares.get(item.id, []))
    return list(items.values()), kr20(students, list(items))


def _count_choice(item: Item, question: dict[str, Any], student: Student) -> None:
    """Count the choice the student's sheet gives (by its text), for lettered and true/false questions."""
    choices = scoring(question).choices(question)  # its kind says (kinds/scoring.py)
    if choices is None:
        return
    for text in choices.values():
        item.choices.setdefault(text, 0)
    item.right = choices.get(question["answer"], item.right)
    if (question["number"], "") not in student.answers:
        return  # under review: not counted
    value = student.answers[(question["number"], "")]
    text = choices.get(value, NONE) if value is not None else NONE
    item.choices[text] = item.choices.get(text, 0) + 1


def _finish(item: Item, strong: list[float]) -> None:
    if item.shares:
        item.difficulty = sum(item.shares) / len(item.shares)
    item.discrimination = _pearson(item.shares, item.rests)
    item.strong = sum(strong) / len(strong) if strong else None
    if item.discrimination is not None and item.discrimination < 0:
        item.flags.append("negative discrimination")
    unpicked = [t for t, n in item.choices.items() if n == 0 and t != item.right and t != NONE]
    if item.shares and unpicked:
        item.flags.append("a distractor nobody picks: " + " | ".join(unpicked))
    if item.strong is not None and item.strong < 0.5:
        item.flags.append("most strong students miss it")


def kr20(students: list[Student], ids: list[str]) -> float | None:
    """KR-20 of the questions scored right (all their points) or not, over the students who have every
    question scored; None when fewer than two questions or students, or no spread of totals."""
    rows = []
    for student in students:
        by_id = {q.get("id") or f"Q{q['number']}": q for q in student.data["questions"]}
        if set(by_id) != set(ids):
            continue
        scores = [student.scores.get(by_id[i]["number"]) for i in ids]
        if any(s is None for s in scores):
            continue
        rows.append([1.0 if s == by_id[i]["points"] else 0.0 for s, i in zip(scores, ids)])
    k, n = len(ids), len(rows)
    if k < 2 or n < 2:
        return None
    totals = [sum(r) for r in rows]
    mean = sum(totals) / n
    variance = sum((t - mean) ** 2 for t in totals) / n
    if variance == 0:
        return None
    pq = sum((p := sum(r[j] for r in rows) / n) * (1 - p) for j in range(k))
    return k / (k - 1) * (1 - pq / variance)


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def items_csv(items: list[Item], reliability: float | None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "kind", "numbers", "students", "difficulty", "point_biserial", "strong_difficulty",
                     "choices", "right", "flags"])
    for item in items:
        writer.writerow([item.id, item.kind, " ".join(f"{v}:{n}" for v, n in sorted(item.numbers.items())),
                         len(item.shares), _num(item.difficulty), _num(item.discrimination), _num(item.strong),
                         " | ".join(f"{t}={n}" for t, n in item.choices.items()), item.right or "",
                         "; ".join(item.flags)])
    writer.writerow(["KR-20", "", "", "", "", "", "", "", "", _num(reliability)])
    return out.getvalue().encode("utf-8")


def _bar(value: float | None, lo: float = 0.0, width: int = 120) -> str:
    """An inline SVG bar for a value between lo and 1 (a negative one drawn red, left of zero)."""
    if value is None:
        return ""
    zero = width * (-lo) / (1 - lo)
    end = zero + (width - zero) * value if value >= 0 else zero + zero * value / -lo if lo else zero
    x, w = (zero, end - zero) if value >= 0 else (end, zero - end)
    colour = "#c62828" if value < 0 else "#2e7d32"
    return (f'<svg width="{width}" height="12" role="img" aria-label="{value:.2f}"><rect x="0" y="0" width="{width}" '
            f'height="12" fill="#eee"/><rect x="{x:.1f}" y="0" width="{w:.1f}" height="12" fill="{colour}"/></svg>')


def items_html(items: list[Item], reliability: float | None, students: int) -> bytes:
    rows = []
    for item in items:
        total = sum(item.choices.values()) or 1
        choices = "".join(
            f"<div>{'<b>' if t == item.right else ''}{html.escape(t)}{'</b>' if t == item.right else ''} "
            f"{n} {_bar(n / total, width=80)}</div>" for t, n in item.choices.items())
        rows.append(
            f"<tr{' class=flag' if item.flags else ''}><td>{html.escape(item.id)}</td><td>{html.escape(item.kind)}</td>"
            f"<td>{html.escape(' '.join(f'{v}:{n}' for v, n in sorted(item.numbers.items())))}</td>"
            f"<td>{len(item.shares)}</td><td>{_num(item.difficulty)} {_bar(item.difficulty)}</td>"
            f"<td>{_num(item.discrimination)} {_bar(item.discrimination, lo=-1.0)}</td><td>{choices}</td>"
            f"<td>{html.escape('; '.join(item.flags))}</td></tr>")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="quizgen-audience" content="teacher">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Item analysis</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;margin:1rem}}td,th{{border-top:1px solid #ccc;padding:.3rem .5rem;
vertical-align:top;text-align:left}}tr.flag{{background:#fff3e0}}table{{border-collapse:collapse}}</style></head>
<body><h1>Item analysis</h1>
<p>{students} students · reliability (KR-20): <b>{_num(reliability)}</b> · difficulty: the share of the points
earned (1 = everyone right) · discrimination: point-biserial with the rest of the total (below 0: strong
students miss it more than weak ones) · the right choice in bold.</p>
<table><tr><th>question</th><th>kind</th><th>numbers</th><th>students</th><th>difficulty</th>
<th>discrimination</th><th>choices picked</th><th>flags</th></tr>
{''.join(rows)}
</table></body></html>
"""
    return page.encode("utf-8")


def _names(name: str) -> tuple[str, str]:
    """(first, last) of a roster name: "Smith, John" is last name Smith, first name John; a name without
    a comma ends with its last name ("Chloé Dupont"), a single word is a first name."""
    last, comma, first = name.partition(",")
    if comma:
        return first.strip(), last.strip()
    first, _, last = name.rpartition(" ")
    return (first, last) if first else (name, "")


@dataclass
class Gradebooks:
    """The gradebook files and marks.xlsx, and what mark's report says they leave out (a line each)."""

    files: list[tuple[str, bytes]]
    notes: list[str]


@dataclass
class _Row:
    """One student of the gradebooks: the ID the gradebook knows, and their sheets by quiz."""

    id: str
    name: str
    email: str
    sheets: dict[str, list[Student]] = field(default_factory=dict)


# why a sheet gives no grade, in the order mark's report lists them
NOT_READ = "whose student number was not read"
NOT_ON_ROSTER = "whose number is not on the roster"
PAGE_MISSING = "with a page missing"
TO_REVIEW = "with rows to review"
REPEATED = "whose number is on another sheet too"
SAME_ID = "whose ID is on another sheet of the same quiz"
REASONS = (NOT_READ, NOT_ON_ROSTER, PAGE_MISSING, TO_REVIEW, REPEATED, SAME_ID)
NOT_FINAL = "with a sheet not graded (above)"  # why a student has no row in the Moodle file
NOT_SAT = "with no sheet of every quiz of this marking (mark each quiz's scans on their own to import them)"


def _quizzes(students: list[Student]) -> dict[str, str]:
    """The column title of every quiz (an article: its sheets of every version) by its key, in the order
    of the titles: the quiz's title, with its slug when two quizzes of the batch have the same title."""
    titles = {_quiz(s): (s.data["title"], s.data["slug"]) for s in students}
    counts: dict[str, int] = {}
    for title, _ in titles.values():
        counts[title] = counts.get(title, 0) + 1
    named = {key: title if counts[title] == 1 else f"{title} ({slug})" for key, (title, slug) in titles.items()}
    if len(set(named.values())) < len(named):  # one article built twice, each with its own text
        named = {key: f"{title} ({slug} {key})" for key, (title, slug) in titles.items()}
    return dict(sorted(named.items(), key=lambda kv: kv[1]))


def _quiz(student: Student) -> str:
    return str(student.data.get("slug_hash") or student.data["slug"])


def _why_not_final(student: Student) -> str | None:
    """Why the sheet's total is not its grade yet (None when it is)."""
    if {q["page"] for q in student.data["questions"] if "page" in q} - {p.code["page"] for p in student.pages if p.code}:
        return PAGE_MISSING
    if any(v is None for v in student.scores.values()):
        return TO_REVIEW
    return REPEATED if student.repeated else None


def _rows(students: list[Student], roster: dict[str, dict[str, str]] | None,
          left: dict[str, list[str]]) -> list[_Row]:
    """The gradebooks' students, by the ID the roster gives (as the roster writes it) or, without one,
    the number bubbled; a sheet with neither goes into `left`."""
    on_roster = by_value(roster) if roster is not None else None  # as apply_roster matches
    rows: dict[str, _Row] = {}
    for s in students:
        ident = s.number if s.number is None or on_roster is None else on_roster.get(number_value(s.number))
        if ident is None:
            left[NOT_READ if s.number is None else NOT_ON_ROSTER].append(s.number or "?")
            continue
        row = rows.setdefault(ident, _Row(ident, s.name, s.email))
        row.sheets.setdefault(_quiz(s), []).append(s)
    return list(rows.values())


def _grade(row: _Row, quiz: str, left: dict[str, list[str]]) -> str:
    """The student's grade for one quiz: its sheet's total rounded as the key says; empty (no grade, not
    0) when they did not sit it, while the total is not final, or when their ID is on two sheets of the
    quiz (neither is taken)."""
    sheets = row.sheets.get(quiz, [])
    reasons = [_why_not_final(s) or (SAME_ID if len(sheets) > 1 else None) for s in sheets]
    for reason in reasons:
        if reason is not None:
            left[reason].append(row.id)
    return str(rounded(sheets[0].total)) if len(sheets) == 1 and reasons == [None] else ""


def gradebooks(students: list[Student], roster: dict[str, dict[str, str]] | None = None,
               missing: Sequence[tuple[str, str]] = ()) -> Gradebooks:
    """The grades for Moodle's grade import (by ID number, or email address) and in the columns of Google
    Classroom's grade export (email address, names, grades), a column a quiz; and marks.xlsx.

    A grade is a sheet's total rounded as the key says, and only a final one: a sheet with rows to
    review or a page missing gives no grade (not 0), and so does each of two sheets of one quiz with
    the same ID. The ID is the roster's number as the roster writes it (`--roster`), or the number
    bubbled; a sheet without one (not read, not on the roster) is left out, and so is, from the
    Classroom file, a student without an email address (Classroom matches students by email).

    Moodle's import takes an empty cell as "no grade" and clears the grade an item already has
    (grade/import/csv/classes/load_data.php, update_grade_item), and leaves a student with no row as
    they are: the Moodle file has a row only for a student with a grade in every quiz of it, so that it
    can be imported into an existing grade item again and again; mark's report says who is left out."""
    quizzes = _quizzes(students)
    left: dict[str, list[str]] = {reason: [] for reason in REASONS}
    rows = _rows(students, roster, left)
    titles = [safe_text(t) for t in quizzes.values()]
    moodle = io.StringIO()
    writer = csv.writer(moodle, lineterminator="\n")
    writer.writerow(["ID number", "Email address", "Full name", *titles])
    classroom = io.StringIO()
    writer2 = csv.writer(classroom, lineterminator="\n")
    writer2.writerow(["Last Name", "First Name", "Email Address", *titles])
    no_email = 0
    ungraded = {NOT_FINAL: 0, NOT_SAT: 0}  # the students the Moodle file leaves out, by why
    for row in rows:
        grades = [_grade(row, quiz, left) for quiz in quizzes]
        if all(grades):
            writer.writerow([safe_text(row.id), safe_text(row.email), safe_text(row.name), *grades])
        else:
            ungraded[NOT_FINAL if any(row.sheets.get(q) for q, g in zip(quizzes, grades) if not g) else NOT_SAT] += 1
        if not row.email:
            no_email += 1
            continue
        first, last = _names(row.name)
        writer2.writerow([safe_text(last), safe_text(first), safe_text(row.email), *grades])
    files = [("gradebook-moodle.csv", moodle.getvalue().encode("utf-8")),
             ("gradebook-classroom.csv", classroom.getvalue().encode("utf-8"))]
    spreadsheet = marks_xlsx(students, missing)
    if spreadsheet is not None:
        files.append(("marks.xlsx", spreadsheet))
    return Gradebooks(files, _notes(left, no_email, len(rows), roster is not None) + _moodle_note(ungraded, len(rows)))


def _moodle_note(ungraded: dict[str, int], rows: int) -> list[str]:
    """mark's report of the students the Moodle file leaves out, and why (none when it leaves out none)."""
    why = ", ".join(f"{n} {reason}" for reason, n in ungraded.items() if n)
    return [f"gradebook-moodle.csv leaves out {sum(ungraded.values())} of {rows} students, whose row would have an "
            f"empty cell (Moodle's import clears the grade an item already has for an empty cell): {why}"] if why else []


def _notes(left: dict[str, list[str]], no_email: int, rows: int, roster: bool) -> list[str]:
    """mark's report of what the gradebooks leave out, and why: a line each."""
    notes = []
    count = sum(len(ids) for ids in left.values())
    if count:
        why = ", ".join(f"{len(ids)} {reason}" + (f" ({', '.join(dict.fromkeys(ids))})" if reason == SAME_ID else "")
                        for reason, ids in left.items() if ids)
        notes.append(f"gradebooks: no grade for {count} sheet{'s' if count != 1 else ''} (no row in the Moodle file, "
                     f"an empty cell or no row in the Classroom file; never a 0): {why}; see review.csv")
    if no_email and not roster:  # then no student has one
        notes.append("gradebook-classroom.csv holds no student: Google Classroom matches students by email address, "
                     "and without --roster there is none (give a roster with an email column)")
    elif no_email:
        notes.append(f"gradebook-classroom.csv leaves out {no_email} of {rows} students: no email address on the "
                     "roster (Google Classroom matches students by email address)")
    return notes


def marks_xlsx(students: list[Student], missing: Sequence[tuple[str, str]] = ()) -> bytes | None:
    """marks.csv's table (its rows for the roster's students with no sheet too) as a spreadsheet, numbers as numbers, every text as text (a name that starts
    with "=" is not a formula, an address not a link); None without XlsxWriter (in the `mark` extra; an
    install made before it was there lacks it). XlsxWriter only writes, and imports in a tenth of the
    time openpyxl took (0.16 s of every marking: the tests read the file back with openpyxl)."""
    try:  # imported only here: only a marking writes a spreadsheet
        import xlsxwriter  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    sheet = book.add_worksheet("marks")
    rows = marks_table(students, missing)  # its texts as they are: XlsxWriter writes them as texts
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if not value:
                continue  # an empty cell, as marks.csv has nothing there (not an empty text)
            cell = value if rows[0][c] in MARKS_TEXT else _cell(value)  # a student number keeps its zeros
            if isinstance(cell, str):
                sheet.write_string(r, c, cell)
            else:
                sheet.write_number(r, c, cell)
    book.close()
    return out.getvalue()


def _cell(value: str) -> Any:
    """A number when the text is a finite one (a whole number without a point stays whole), else the text."""
    try:
        number = float(value)
    except ValueError:
        return value
    if not math.isfinite(number):
        return value
    return int(number) if number == int(number) and "." not in value else number



