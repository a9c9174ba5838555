"""A written answer scored in tens and units (more than 13 scores: here a cloze of 14 blanks, the QA's), on a
simulated sheet: built, printed by Chromium, bubbled by the teacher, scanned and marked. Tens and units
that make a score the key cannot give go to review, never scored."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest

pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")
pytest.importorskip("pypdfium2", reason="pypdfium2 is in the mark and test extras")

from mark_helpers import Filled, fill, render_pages, scan, write_review  # noqa: E402

from generator.tools.mark import mark  # noqa: E402

SLUG = "harbour-reopens"
ARTICLE = """---
title: "Harbour reopens after storm"
language: en
---
The harbour reopened on Monday after the storm. Alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa were the names of the sixteen boats that came back first.

The mayor said the repairs cost less than expected. Fishermen said the catch was poor.
"""
QUESTIONS = """questions:
  - id: boat-names
    kind: cloze
    tests: event
    text: "[[c1::Alpha]] [[c2::bravo]] [[c3::charlie]] [[c4::delta]] [[c5::echo]] [[c6::foxtrot]] [[c7::golf]] [[c8::hotel]] [[c9::india]] [[c10::juliet]] [[c11::kilo]] [[c12::lima]] [[c13::mike]] [[c14::november]] oscar papa were the names"
  - id: when-reopened
    kind: qa
    tests: event
    question: When did the harbour reopen?
    answer: On Monday
    passage: The harbour reopened on Monday after the storm
  - id: mayor-cost
    kind: truefalse
    tests: claim
    statement: According to the mayor, the repairs cost more than expected.
    answer: false
    correction: The mayor said they cost less than expected.
    passage: The mayor said the repairs cost less than expected
"""


@pytest.fixture(scope="module", params=["1", "2"], ids=["1-a-blank", "2-a-blank"])
def built(request, tmp_path_factory, browser):
    """The answer sheet of the 14-blank cloze (1 point a blank: 14 points; or 2: 28), printed as --pdf prints it."""
    from typer.testing import CliRunner

    from generator.cli import app
    from generator.outputs import Output
    from generator.outputs.pdf import print_with

    content = tmp_path_factory.mktemp("content")
    (content / SLUG).mkdir()
    (content / SLUG / "article.md").write_text(ARTICLE, encoding="utf-8")
    (content / SLUG / "questions.yaml").write_text(QUESTIONS, encoding="utf-8")
    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(app, ["build", str(content), "--out", str(out), "--only", "quiz", "--answer-sheet",
                                      "--points", f"cloze={request.param}", "--quiet"])
    assert result.exit_code == 0, result.output
    sheet = out / f"{SLUG}-sheet.html"
    (printed,) = print_with(browser, [Output(sheet.name, sheet.read_bytes(), True)])
    (out / printed.name).write_bytes(printed.data)
    return out, int(request.param)


def _marked(built, tmp_path, scores: dict[str, tuple[str, str]], decisions: dict[str, str] | None = None):
    """Each student's sheet with the cloze's tens and units bubbled (number: (tens, units)), marked; with
    `decisions` (number: decision on the cloze's review line), marked again with them."""
    out, _ = built
    layout = json.loads((out / f"{SLUG}-sheet.json").read_text(encoding="utf-8"))
    question = next(q for q in layout["questions"] if q["kind"] == "cloze")  # its 14 blanks
    assert [r["name"] for r in question["rows"]] == ["10s", "1s"]
    cloze = question["number"]
    rendered = render_pages((out / f"{SLUG}-sheet.pdf").read_bytes(), 200)
    rng = random.Random(3)
    folder = tmp_path / "scans"
    folder.mkdir()
    for number, (tens, units) in scores.items():
        student = Filled(number, "", marks={(cloze, "10s"): [(tens, "clear")], (cloze, "1s"): [(units, "clear")]})
        (page,) = fill(rendered, layout, student, 200, rng)
        (folder / f"{number}.jpg").write_bytes(scan(page, rng, quality=85))
    result = mark([folder], out, jobs=1)
    if decisions:  # the review file `mark` wrote, with the teacher's decisions in it, given back
        lines = list(csv.DictReader(io.StringIO(_output(result, "review.csv"))))
        for line in lines:
            if line["question"] == str(cloze):
                line["decision"] = decisions.get(line["student"], "")
        review = tmp_path / "review.csv"
        write_review(review, lines)
        result = mark([folder], out, review=review, jobs=1)
    marks = {row["student"]: row for row in csv.DictReader(io.StringIO(_output(result, "marks.csv")))}
    reviews = {(r.student, r.question, r.row): r.problem for r in result.reviews  # the others are left blank
               if r.question == str(cloze) and not r.decision}
    return marks, reviews, f"Q{cloze}", str(cloze)


def _output(result, name: str) -> str:
    return next(o for o in result.outputs if o.name == name).data.decode("utf-8")


def test_tens_and_units_beyond_the_points_or_off_the_rule_are_reviewed(built, tmp_path):
    _, unit = built
    if unit == 1:  # 14 points: 1 ten and 9 units read 19
        good = {"111110": ("1", "4", "14"), "111112": ("0", "9", "9")}
        bad = {"111111": ("1", "9", "make 19, more than its 14 points")}
    else:  # 28 points, 2 a blank: 17 is no whole number of blanks, 29 too many
        good = {"111110": ("2", "8", "28"), "111112": ("1", "6", "16")}
        bad = {"111111": ("1", "7", "make 17, not a score the key gives (0, 2, 4, ..., 28)"),
               "111113": ("2", "9", "make 29, more than its 28 points")}
    marks, reviews, column, cloze = _marked(built, tmp_path, {n: v[:2] for n, v in {**good, **bad}.items()})
    for number, (_, _, score) in good.items():
        assert marks[number][column] == score, marks[number]
    for number, (_, _, why) in bad.items():
        assert marks[number][column] == "", marks[number]  # not scored: no capped 14, no 17
        assert why in reviews[(number, cloze, "10s")]
    assert set(reviews) == {(n, cloze, "10s") for n in bad}


def test_the_score_decided_in_review_is_the_score(built, tmp_path):
    """The review line of impossible tens and units takes the whole score in two digits."""
    _, unit = built
    read, decided = (("1", "9"), {"111111": "09"}) if unit == 1 else (("1", "7"), {"111111": "18"})
    marks, reviews, column, _ = _marked(built, tmp_path, {"111111": read}, decided)
    assert marks["111111"][column] == str(int(decided["111111"])) and reviews == {}
