"""The teacher's review decisions land only on the rows they were made for, and none is lost.

Real scans, marked twice through `quizgen mark` as a teacher would (sheets built and printed by
Chromium, filled and scanned as tests/mark_helpers.py does): scans given again in another order or
under another name, pages that are not sheets, a sheet scanned twice, a code typed in lower case, and
a second marking into the same --out without --review. Then the matching rules on pages as read.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from conftest import ROOT

cv2 = pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")
pytest.importorskip("pypdfium2", reason="pypdfium2 is in the mark and test extras")

from mark_helpers import fill, render_pages, scan, simulate, spoil_qr  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from generator.cli import app  # noqa: E402
from generator.errors import UsageError  # noqa: E402
from generator.tools.mark.bubbles import Row  # noqa: E402
from generator.tools.mark.grade import grade  # noqa: E402
from generator.tools.mark.read import Page  # noqa: E402
from generator.tools.mark.review import Decisions, named_code, read_decisions, report, review_csv  # noqa: E402

SLUG = "israels-hushed-military-ties-with-russia"
DPI = 200


@pytest.fixture(scope="module")
def built(tmp_path_factory, browser):
    """The bundled article's quiz in two versions with answer sheets, printed as `--pdf` prints them."""
    from generator.outputs import Output
    from generator.outputs.pdf import print_with

    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(app, ["build", str(ROOT / "questions"), "--out", str(out), "--only", "quiz",
                                      "--versions", "2", "--answer-sheet", "--quiet"])
    assert result.exit_code == 0, result.output
    sheets = [Output(p.name, p.read_bytes(), True) for p in sorted(out.glob(f"{SLUG}-sheet-*.html"))]
    for printed in print_with(browser, sheets):
        (out / printed.name).write_bytes(printed.data)
    return out


@pytest.fixture(scope="module")
def sheets(built):
    """Three students' one-page sheets as JPEG scans: 111111 and 222222 on version A, 333333 on B. Every
    row is filled clearly but 111111's question 1, a light mark the teacher must decide."""
    rng = random.Random(5)
    scans = {}
    for number, version in (("111111", "A"), ("222222", "A"), ("333333", "B")):
        layout = json.loads((built / f"{SLUG}-sheet-{version}.json").read_text(encoding="utf-8"))
        forced = {(q["number"], r["name"]): "clear" for q in layout["questions"] for r in q["rows"]}
        if number == "111111":
            forced[(1, "")] = "light"
        filled = simulate(number, layout, rng, forced)
        (page,) = fill(render_pages((built / f"{SLUG}-sheet-{version}.pdf").read_bytes(), DPI), layout, filled, DPI, rng)
        scans[number] = (scan(page, rng, quality=85, dpi=DPI), filled, layout, page)
    return scans


def _mark(*args: str):
    result = CliRunner().invoke(app, ["mark", *args, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return result


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, lines: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    return path


def _decide_q1(review: Path, scan_name: str, decision: str, out: Path) -> Path:
    """The review file with the decision typed on `scan_name`'s question 1 row (and nothing else)."""
    lines = _csv(review)
    line = next(r for r in lines if r["scan"].startswith(scan_name) and r["question"] == "1")
    line["decision"] = decision
    return _write(out, lines)


def _other_letter(filled) -> str:
    """A letter for 111111's question 1 that 222222 did not fill: were the decision used on 222222's
    sheet, its clearly read answer would change."""
    theirs = filled.intent[(1, "")]
    return next(v for v in "ABCD" if v != theirs)


def _pdf(path: Path, pages: list[bytes]) -> Path:
    from generator.tools.mark.annotate import pdf_of

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_of([(jpeg, [210.0, 297.0]) for jpeg in pages]))
    return path


def test_scans_given_again_in_another_order_keep_each_decision_off_other_sheets(built, sheets, tmp_path):
    """A class scanned again in another order: the decision made for page 1 (111111, version A) is not
    used on the sheet now on page 1 (222222, the same version): its clear answer stands, 111111's row
    is to review again, mark says so, and the decision stays in review.csv with why."""
    (one, _, _, _), (two, filled_two, _, _) = sheets["111111"], sheets["222222"]
    first = tmp_path / "first"
    _mark(str(_pdf(tmp_path / "1" / "class.pdf", [one, two])), "--key", str(built), "--out", str(first))
    letter = _other_letter(filled_two)
    review = _decide_q1(first / "review.csv", "class.pdf", letter, tmp_path / "review.csv")
    again = _pdf(tmp_path / "2" / "class.pdf", [two, one])  # the same sheets, the other way round
    plain = _mark(str(again), "--key", str(built), "--out", str(tmp_path / "plain"))
    result = _mark(str(again), "--key", str(built), "--out", str(tmp_path / "second"), "--review", str(review))
    assert (tmp_path / "second" / "marks.csv").read_bytes() == (tmp_path / "plain" / "marks.csv").read_bytes()
    assert f"1 decision of {review} was made for other sheets (the scans changed): not used" in result.output
    assert "1 item to review" in plain.output and "1 item to review" in result.output  # 111111's, again
    lines = _csv(tmp_path / "second" / "review.csv")
    assert any(r["page"] == "2" and r["question"] == "1" and r["student"] == "111111" and not r["decision"]
               for r in lines)
    kept = [r for r in lines if r["decision"]]
    assert [(r["page"], r["student"], r["question"], r["decision"]) for r in kept] == [("1", "111111", "1", letter)]
    assert kept[0]["problem"].startswith("not used: this row now holds student 222222, version A; it was: ")
    # given once more (as it is now), the kept line is still not used, and says so the same way
    third = _mark(str(again), "--key", str(built), "--out", str(tmp_path / "second"), "--review",
                  str(tmp_path / "second" / "review.csv"))
    assert "1 decision of" in third.output and _csv(tmp_path / "second" / "review.csv") == lines


def test_a_renamed_scan_keeps_its_decisions_visible(built, sheets, tmp_path):
    """A scan renamed (or left out) since the review: its decisions fit no row; mark counts them and
    says where they were, and the new review.csv keeps them, so the teacher can type them again."""
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "s1.jpg").write_bytes(sheets["111111"][0])
    (scans / "s2.jpg").write_bytes(sheets["222222"][0])
    first = tmp_path / "marks"
    _mark(str(scans), "--key", str(built), "--out", str(first))
    review = _decide_q1(first / "review.csv", "s1.jpg", "B", tmp_path / "review.csv")
    (scans / "s1.jpg").rename(scans / "s1-rescan.jpg")
    result = _mark(str(scans), "--key", str(built), "--out", str(first), "--review", str(review))
    assert f"1 decision of {review} is on no row of these scans (s1.jpg page 1; a scan renamed or left out?)" \
        in result.output
    lines = _csv(first / "review.csv")
    assert [(r["scan"], r["question"], r["decision"]) for r in lines if r["decision"]] == [("s1.jpg", "1", "B")]
    assert next(r for r in lines if r["decision"])["problem"].startswith("not used: no scan is named s1.jpg")
    assert any(r["scan"] == "s1-rescan.jpg" and r["question"] == "1" and not r["decision"] for r in lines)


def test_pages_that_are_not_sheets_and_a_sheet_scanned_twice_are_set_aside(built, sheets, tmp_path):
    """`-` (or none, blank) on a page's row: the page is not a sheet, set aside and said so; `-` on the
    student row of a sheet scanned twice sets that copy aside; both decisions stay in review.csv."""
    scans = tmp_path / "scans"
    scans.mkdir()
    cv2.imwrite(str(scans / "blank.png"), 255 * __import__("numpy").ones((1100, 800), dtype="uint8"))
    (scans / "notes.jpg").write_text("not an image", encoding="utf-8")
    (scans / "s1.jpg").write_bytes(sheets["222222"][0])
    (scans / "s1-again.jpg").write_bytes(sheets["222222"][0])
    out = tmp_path / "marks"
    _mark(str(scans), "--key", str(built), "--out", str(out))
    lines = _csv(out / "review.csv")
    pages = [r for r in lines if r["question"] == "page"]
    for line, word in zip(pages, ("-", "none")):
        line["decision"] = word
    copy = next(r for r in lines if r["scan"] == "s1-again.jpg" and r["question"] == "student")
    assert "is on 2 sheets" in copy["problem"]
    copy["decision"] = "-"
    review = _write(tmp_path / "review.csv", lines)
    result = _mark(str(scans), "--key", str(built), "--out", str(out), "--review", str(review))
    assert "set aside 3 pages as review decisions say (not marked): blank.png page 1, notes.jpg page 1, " \
        "s1-again.jpg page 1" in result.output
    assert "pages not placed" not in result.output  # nothing left to review
    assert all("if it is not a sheet, '-' sets it aside" in line["problem"] for line in pages)  # as each page said
    marks = _csv(out / "marks.csv")
    assert [(r["student"], r["scans"], r["to_review"]) for r in marks] == [("222222", "s1.jpg page 1", "0")]
    decided = {(r["scan"], r["question"]): r["decision"] for r in _csv(out / "review.csv") if r["decision"]}
    assert decided == {("blank.png", "page"): "-", ("notes.jpg", "page"): "none", ("s1-again.jpg", "student"): "-"}
    lines = _csv(out / "review.csv")
    next(r for r in lines if r["scan"] == "blank.png")["decision"] = "A"  # a version cannot place a blank page
    refused = CliRunner().invoke(app, ["mark", str(scans), "--key", str(built), "--out", str(out), "--review",
                                       str(_write(tmp_path / "bad.csv", lines))])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "bad.csv:2:1: error: the decision 'A' cannot place blank.png page 1: no answer sheet found" \
        in refused.output and "give '-' to set the page aside" in refused.output


def test_a_sheets_code_in_a_decision_is_read_in_any_case(built, sheets, tmp_path):
    """The code printed under the title is upper-case letters and digits: typed in lower case, it
    names the same sheet (as the version and the page do)."""
    _, _, layout, page = sheets["111111"]
    spoiled = page.copy()
    spoil_qr(spoiled, layout["pages"][0], DPI)
    px = DPI / 25.4
    cv2.rectangle(spoiled, (int(40 * px), int(280 * px)), (int(170 * px), int(286 * px)), 0, -1)  # the stamp
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "noqr.jpg").write_bytes(scan(spoiled, random.Random(4), quality=85, dpi=DPI))
    review = tmp_path / "review.csv"
    review.write_text(f"scan,page,question,row,decision\nnoqr.jpg,1,page,,a P1 {layout['code'].lower()}\n",
                      encoding="utf-8")
    result = _mark(str(scans), "--key", str(built), "--out", str(tmp_path / "marks"), "--review", str(review))
    marks = _csv(tmp_path / "marks" / "marks.csv")
    assert [(r["student"], r["version"], r["code"]) for r in marks] == [("111111", "A", layout["code"])], result.output


def test_marking_again_into_the_same_out_keeps_the_decisions_typed_there(built, sheets, tmp_path):
    """The teacher types decisions into --out's review.csv and marks again without --review: they are
    used (a line says so), and the new review.csv still holds them."""
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "s1.jpg").write_bytes(sheets["111111"][0])
    out = tmp_path / "marks"
    _mark(str(scans), "--key", str(built), "--out", str(out))
    assert _csv(out / "marks.csv")[0]["Q1"] == ""  # under review
    _, filled, layout, _ = sheets["111111"]
    meant = filled.intent[(1, "")]
    _decide_q1(out / "review.csv", "s1.jpg", meant.lower(), out / "review.csv")
    result = _mark(str(scans), "--key", str(built), "--out", str(out))
    assert f"read 1 decision from {out / 'review.csv'}, the last marking's review file (--review was not given" \
        in result.output
    question = next(q for q in layout["questions"] if q["number"] == 1)
    assert _csv(out / "marks.csv")[0]["Q1"] == str(question["points"] if meant == question["answer"] else 0)
    assert [r["decision"] for r in _csv(out / "review.csv") if r["decision"]] == [meant.lower()]
    broken = "scan,page,question,decision\ns1.jpg,1,1,B\n"  # its row column lost: refused, not replaced
    (out / "review.csv").write_text(broken, encoding="utf-8")
    refused = CliRunner().invoke(app, ["mark", str(scans), "--key", str(built), "--out", str(out)])
    assert refused.exit_code == 2 and "a review file needs the columns row" in refused.output
    assert "read because it is in --out and --review was not given: it holds decisions" in refused.output
    assert (out / "review.csv").read_text(encoding="utf-8") == broken
    (out / "review.csv").write_text("page,question,decision\n", encoding="utf-8")  # nothing typed: replaced
    _mark(str(scans), "--key", str(built), "--out", str(out))
    assert _csv(out / "review.csv")[0]["question"] == "1"


# The rules, on pages as read (no scan): a sheet of two questions, in versions A and B.

MCQ = {"number": 1, "kind": "mcq", "answer": "B", "points": 1, "unit": 1, "page": 1,
       "rows": [{"name": "", "bubbles": [{"value": v} for v in "ABCD"]}]}
KEYS = {f"k-{v}.json": {"slug": "quiz", "title": "Quiz", "version": v, "code": "AB12", "total": 1, "questions": [MCQ]}
        for v in "AB"}


def _page(scan_name: str, index: int, number: str, version: str = "A", status: str = "light",
          value: str | None = None) -> Page:
    rows = [Row(0, str(i), [str(d) for d in range(10)], [], "ok" if d != "?" else "light", None if d == "?" else d)
            for i, d in enumerate(number)]
    rows.append(Row(1, "", list("ABCD"), [], status, value))
    return Page(f"{scan_name} page {index}", scan_name, index, code={"page": 1, "version": version},
                key=f"k-{version}.json", rows=rows)


def _decisions(tmp_path: Path, text: str) -> Decisions:
    review = tmp_path / "review.csv"
    review.write_text("scan,page,student,version,question,row,problem,read,fills,decision\n" + text, encoding="utf-8")
    return read_decisions(review)


def test_a_decision_fits_the_number_as_read_or_decided_with_or_without_leading_zeros(tmp_path):
    """A spreadsheet drops the leading zeros of 012345; a row written before the sheet's number was
    decided carries the number as read (none, when it could not be read): both still fit."""
    given = _decisions(tmp_path, "s.jpg,1,12345,A,1,,light,B?,,b\n"  # 012345, as Excel saves it
                                 "t.jpg,1,,A,student,,the student number cannot be read,0?0001,,000042\n"
                                 "t.jpg,1,,A,1,,light,C?,,c\n")  # written before the number was decided
    students, reviews = grade([_page("s.jpg", 1, "012345"), _page("t.jpg", 1, "0?0001")], KEYS, given)
    assert {s.number: s.answers[(1, "")] for s in students} == {"012345": "B", "000042": "C"}
    assert report(given) == [] and not [r for r in reviews if not r.decision]


def test_a_decision_for_another_version_or_number_is_not_used(tmp_path):
    given = _decisions(tmp_path, "s.jpg,1,111111,B,1,,light,B?,,b\n"  # the row is on version A now
                                 "t.jpg,1,222222,A,1,,light,B?,,b\n"  # and holds 333333
                                 "u.jpg,1,,A,student,,cannot be read,44?444,,444444\n")  # now reads 555555
    pages = [_page("s.jpg", 1, "111111"), _page("t.jpg", 1, "333333"), _page("u.jpg", 1, "555555", status="ok",
                                                                            value="A")]
    students, reviews = grade(pages, KEYS, given)
    assert sorted(s.number for s in students) == ["111111", "333333", "555555"]
    assert all(s.scores[1] is None for s in students if s.number != "555555")
    kept = [r for r in reviews if r.kept]
    assert [(r.scan, r.problem.split(";")[0]) for r in kept] == [
        ("s.jpg", "not used: this row now holds student 111111, version A"),
        ("t.jpg", "not used: this row now holds student 333333, version A"),
        ("u.jpg", "not used: this page now reads 555555, version A")]
    assert report(given)[0].startswith("3 decisions of ") and "were made for other sheets" in report(given)[0]


def test_set_aside_words_and_what_a_missing_pages_row_accepts(tmp_path):
    """`-`, none, blank and empty set a page aside, in any case; a student row takes digits or `-`; a
    missing page's row takes no decision."""
    for word in ("-", "None", "BLANK", "empty"):
        aside: list[Page] = []
        given = _decisions(tmp_path, f"x.jpg,1,,,page,,page not placed,,,{word}\n")
        students, reviews = grade([Page("x.jpg page 1", "x.jpg", 1, problem="cannot read the image")], KEYS, given,
                                  aside)
        assert students == [] and [p.scan for p in aside] == ["x.jpg"] and reviews[0].decision == word
    with pytest.raises(UsageError, match=r"review.csv:2:1: error: 'x' is not a student number: give its digits, "
                                         "or '-' to set this sheet aside"):
        grade([_page("s.jpg", 1, "11?111")], KEYS, _decisions(tmp_path, "s.jpg,1,,A,student,,,11?111,,x\n"))
    two = {**KEYS["k-A.json"], "questions": [MCQ, {**MCQ, "number": 2, "page": 2}]}
    with pytest.raises(UsageError, match="a missing page's row takes no decision"):
        grade([_page("s.jpg", 1, "111111")], {"k-A.json": two},
              _decisions(tmp_path, "s.jpg,1,111111,A,page,2,page 2 of this student's sheet was not found,,,-\n"))


def test_a_later_line_for_the_same_row_replaces_an_earlier_one_and_says_so(tmp_path):
    given = _decisions(tmp_path, "s.jpg,1,,A,student,,the student number is the one given in review,111111,,999999\n"
                                 "s.jpg,1,999999,A,student,,999999 is not on the roster,111111,,123456\n"
                                 "s.jpg,1,999999,A,1,,light,B?,,c\n")  # written while it was 999999
    (student,), reviews = grade([_page("s.jpg", 1, "111111")], KEYS, given)
    assert student.number == "123456" and student.answers[(1, "")] == "C"
    assert report(given) == [f"1 decision of {tmp_path / 'review.csv'} was replaced by a later line for the same "
                             f"row ({tmp_path / 'review.csv'}:2:1): not used"]
    assert b"123456" in review_csv(reviews)


def test_a_decision_names_a_sheet_by_version_page_and_code_in_any_case():
    keys = {("h", v, c): (f"k-{v}.json", {"pages": [{"page": 1, "payload": f"QZ1;h;{v};{c};1/1;7"}]})
            for v, c in (("A", "3UOW"), ("B", "67XC"))}
    assert named_code("B p1 67xc", keys, "r.csv:2:1")["code"] == "67XC"
    assert named_code("b", keys, "r.csv:2:1")["version"] == "B"
    assert named_code("p1 3uow", keys, "r.csv:2:1")["version"] == "A"  # the code alone names the sheet
    with pytest.raises(UsageError, match="r.csv:2:1: error: the decision 'p1' names 2 sheets"):
        named_code("p1", keys, "r.csv:2:1")


def test_review_from_another_file_keeps_the_decisions_typed_in_outs_review_csv(tmp_path):
    """`--review other.csv --out marks`: the marking replaces marks/review.csv, so its decisions on rows
    other.csv leaves undecided are used too (a line says so: the new review.csv holds them); on a row the
    two files decide differently, other.csv's (the file named for this marking), and a line names both."""
    from generator.tools.mark.review import decisions_for

    header = "scan,page,student,version,question,row,problem,read,fills,decision\n"
    out = tmp_path / "marks"
    out.mkdir()
    (out / "review.csv").write_text(header + "s.jpg,1,111111,A,1,,light,B?,,B\ns.jpg,1,111111,A,2,,light,C?,,\n"
                                    "t.jpg,1,222222,A,1,,light,A?,,A\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text(header + "s.jpg,1,111111,A,1,,light,B?,,b\ns.jpg,1,111111,A,2,,light,C?,,C\n"
                     "t.jpg,1,222222,A,1,,light,A?,,\n", encoding="utf-8")
    decisions, lines = decisions_for(other, out)
    assert decisions.plain() == {("s.jpg", 1, "1", ""): "b", ("s.jpg", 1, "2", ""): "C", ("t.jpg", 1, "1", ""): "A"}
    assert lines == [f"used 1 decision of {out / 'review.csv'} on rows {other} leaves undecided (t.jpg page 1): this "
                     f"marking replaces {out / 'review.csv'}, and the new one holds it too (clear one there, then mark "
                     f"again with --review {out / 'review.csv'}, to drop it)"]
    assert decisions_for(out / "review.csv", out)[1] == []  # the same file: nothing to merge
    alone, lines = decisions_for(other, tmp_path / "nowhere")  # no review.csv in --out
    assert len(alone) == 2 and lines == []
    other.write_text(header + "s.jpg,1,111111,A,1,,light,B?,,D\n", encoding="utf-8")  # the teacher changed their mind
    decisions, lines = decisions_for(other, out)
    assert decisions.plain() == {("s.jpg", 1, "1", ""): "D", ("t.jpg", 1, "1", ""): "A"}
    assert lines[1] == (f"1 decision of {out / 'review.csv'} differs from {other}'s for the same row "
                        f"({out / 'review.csv'}:2:1 'B', {other}:2:1 'D'): {other}'s used, as --review names it")
