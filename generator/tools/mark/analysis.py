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
from dataclasses import dataclass, field
from typing import Any

from generator.tools.mark.csvtext import safe_text
from generator.tools.mark.grade import MARKS_TEXT, Student, marks_table
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


def _names(student: Student) -> tuple[str, str]:
    first, _, last = student.name.rpartition(" ")
    return (first, last) if first else (student.name, "")


def gradebooks(students: list[Student], title: str) -> list[tuple[str, bytes]]:
    """The total of each student for Moodle's grade import (by ID number, or email address) and in the
    columns of Google Classroom's grade export (email address, names, grade), and as `.xlsx`."""
    moodle = io.StringIO()
    writer = csv.writer(moodle, lineterminator="\n")
    writer.writerow(["ID number", "Email address", "Full name", safe_text(title)])
    classroom = io.StringIO()
    writer2 = csv.writer(classroom, lineterminator="\n")
    writer2.writerow(["Last Name", "First Name", "Email Address", safe_text(title)])
    for s in students:
        if s.number is None:
            continue
        writer.writerow([s.number, safe_text(s.email), safe_text(s.name), rounded(s.total)])
        first, last = _names(s)
        writer2.writerow([safe_text(last), safe_text(first), safe_text(s.email), rounded(s.total)])
    files = [("gradebook-moodle.csv", moodle.getvalue().encode("utf-8")),
             ("gradebook-classroom.csv", classroom.getvalue().encode("utf-8"))]
    spreadsheet = marks_xlsx(students)
    if spreadsheet is not None:
        files.append(("marks.xlsx", spreadsheet))
    return files


def marks_xlsx(students: list[Student]) -> bytes | None:
    """marks.csv's table as a spreadsheet, numbers as numbers, every text as text (a name that starts
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
    rows = marks_table(students)  # its texts as they are: XlsxWriter writes them as texts
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



