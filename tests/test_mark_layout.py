"""A sheet is marked only with the teacher file of its own layout.

The sheet's code changes with anything that moves a bubble (paper, student digits, points, the
questions), except for the default layout, whose codes stay what they were; `quizgen mark` also checks
what a page shows (its paper, from its markers; its number of pages, from its code) against the teacher
file its code names. Two sheets of the mini article, in the default layout, drawn from their layout (no
browser) and scanned, are marked against teacher files of other layouts: no page is marked, each is
listed with what differs.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from conftest import ROOT

cv2 = pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")
np = pytest.importorskip("numpy")

from mark_helpers import draw_mark, scan  # noqa: E402

from generator.errors import UsageError  # noqa: E402
from generator.outputs.sheet_code import PAPER_MM, stamp_bits, stamp_cells  # noqa: E402

DPI = 150
SLUG = "israels-hushed-military-ties-with-russia"


def _build(found, folder: Path, **options) -> dict:
    """The mini article's quiz with an answer sheet in `folder`; its teacher file's layout."""
    from generator.outputs import BuildOptions
    from generator.outputs.quiz import QuizBuilder
    from generator.outputs.quiz_options import QuizOptions

    quiz = QuizOptions(answer_sheet=True, **options)
    folder.mkdir()
    for output in QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(quiz,))):
        if output.name.endswith(".json"):
            (folder / output.name).write_bytes(output.data)
    return json.loads((folder / f"{found.article.slug}-sheet.json").read_text(encoding="utf-8"))


def _draw(data: dict, page: dict) -> np.ndarray:
    """A printed page of the sheet as its layout places it: markers, QR code, version stamp, rings."""
    from generator.outputs.quiz.answer_sheet import marker_cells, qr_cells

    px = DPI / 25.4
    width, height = PAPER_MM[data["paper"]]
    image = np.full((int(round(height * px)), int(round(width * px))), 255, np.uint8)

    def square(x: float, y: float, side: float) -> None:
        cv2.rectangle(image, (int(round(x * px)), int(round(y * px))),
                      (int(round((x + side) * px)) - 1, int(round((y + side) * px)) - 1), 0, -1)

    cell = data["marker_size"] / 6
    for marker, (x, y) in zip(data["marker_ids"], data["markers"]):
        for r, c in marker_cells(marker):
            square(x + c * cell, y + r * cell, cell)
    x, y, size = page["qr"]
    modules, dark = qr_cells(page["payload"])
    for r, c in dark:
        square(x + c * size / modules, y + r * size / modules, size / modules)
    for (sx, sy), bit in zip(stamp_cells(data["paper"]), stamp_bits(page["payload"])):
        if bit == "1":
            square(sx, sy, 2.4)
    bubbles = [b for column in page["student"] for b in column]
    bubbles += [b for q in data["questions"] if q["page"] == page["page"] for row in q["rows"] for b in row["bubbles"]]
    for b in bubbles:
        cv2.circle(image, (int(round(b["x"] * px)), int(round(b["y"] * px))), int(round(data["radius"] * px)), 0,
                   max(1, int(round(0.3 * px))), cv2.LINE_AA)
    return image


def _scans(data: dict, folder: Path, numbers: tuple[str, ...]) -> Path:
    """One scanned sheet a student number, its first answer of every row bubbled."""
    rng = random.Random(7)
    folder.mkdir()
    (page,) = data["pages"]
    for number in numbers:
        image = _draw(data, page)
        for column, digit in zip(page["student"], number):
            draw_mark(image, column[int(digit)]["x"], column[int(digit)]["y"], DPI, "clear", rng)
        for q in data["questions"]:
            for row in q["rows"]:
                draw_mark(image, row["bubbles"][0]["x"], row["bubbles"][0]["y"], DPI, "clear", rng)
        (folder / f"sheet-{number}.jpg").write_bytes(scan(image, rng, quality=85, dpi=DPI))
    return folder


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Two students' sheets of the default layout (A4, 6 digits), scanned; the teacher files they were
    printed with, in `default/`."""
    from conftest import FIXTURES

    from generator.sources.load import load_library

    (found,) = load_library(FIXTURES).sets
    tmp = tmp_path_factory.mktemp("layout")
    data = _build(found, tmp / "default")
    assert data["paper"] == "a4" and len(data["pages"]) == 1
    return found, data, _scans(data, tmp / "scans", ("123456", "654321")), tmp


def _unplaced(result) -> list[str]:
    assert result.students == [] and result.unplaced == len(result.pages) == 2
    lines = [r.problem for r in result.reviews if r.question == "page"]
    assert len(lines) == 2
    return lines


def test_the_default_layouts_teacher_files_mark_the_sheets(printed):
    from generator.tools.mark import mark

    found, data, scans, tmp = printed
    result = mark([scans], tmp / "default", jobs=1)
    assert result.unplaced == 0 and sorted(s.number for s in result.students) == ["123456", "654321"]


@pytest.mark.parametrize("options, said", [
    ({"paper": "letter"}, "printed on A4, the teacher file is for Letter"),
    ({"student_digits": 8}, "other questions, points or student digits"),
    ({"points": (("qa", 12),)}, "other questions, points or student digits"),  # the score rows change
])
def test_a_sheet_is_not_marked_with_a_teacher_file_of_another_layout(printed, options, said):
    """Built again with another paper, student digits or points: another code, and no page is marked;
    each is listed naming the teacher file in --key and what differs."""
    from generator.tools.mark import mark

    found, data, scans, tmp = printed
    folder = tmp / "-".join(f"{k}" for k in options)
    other = _build(found, folder, **options)
    assert other["code"] != data["code"]
    for line in _unplaced(mark([scans], folder, jobs=1)):
        assert f"no teacher file in --key for this sheet (single version, code {data['code']})" in line
        assert f"; --key has {found.article.slug}-sheet.json, code {other['code']} ({said}), from another build" in line
        assert line.endswith("mark the page with the teacher file of the build it was printed from; "
                             "if it is not a sheet, '-' sets it aside")


def test_a_teacher_file_of_the_same_code_but_another_paper_is_refused(printed, monkeypatch):
    """Teacher files built before the layout was folded into the code carry the default layout's code
    for another paper: the page's markers say it is not their layout."""
    from generator.outputs.quiz import sheet as sheet_module
    from generator.tools.mark import mark

    found, data, scans, tmp = printed
    monkeypatch.setattr(sheet_module, "layout_terms", lambda paper, digits: ())  # as quizgen made codes before
    stale = _build(found, tmp / "old-letter", paper="letter")
    assert stale["code"] == data["code"]
    for line in _unplaced(mark([scans], tmp / "old-letter", jobs=1)):
        assert line == (f"page not placed: the teacher file {found.article.slug}-sheet.json is for another layout "
                        "of this sheet: printed on A4, the teacher file is for Letter; mark the page with the "
                        "teacher file of the build it was printed from; if it is not a sheet, '-' sets it aside")


@pytest.mark.parametrize("options, said", [
    ({"paper": "letter"}, ["printed on A4, the teacher file is for Letter",
                           "printed as a sheet of 1 page, the teacher file's has 2"]),
    ({"student_digits": 8}, ["printed as a sheet of 1 page, the teacher file's has 2"]),  # the tester's case
])
def test_what_a_page_shows_is_checked_against_the_teacher_file(monkeypatch, options, said):
    """The bundled article's sheet, one A4 page in the default layout, against teacher files of the same
    code (made as before the layout was in the code) on two pages: its paper and its page count differ."""
    from generator.checks.selection import assemble
    from generator.outputs.quiz import sheet as sheet_module
    from generator.outputs.quiz.answer_sheet import layout
    from generator.outputs.quiz.sheet import build_sheet
    from generator.outputs.quiz_options import QuizOptions
    from generator.outputs.sheet_code import parse_payload
    from generator.sources.load import load_article_set
    from generator.tools.mark.read import layout_differences

    found = load_article_set(ROOT / "questions" / SLUG)
    monkeypatch.setattr(sheet_module, "layout_terms", lambda paper, digits: ())
    quiz, other = QuizOptions(versions=3, answer_sheet=True), QuizOptions(versions=3, answer_sheet=True, **options)
    printed = layout(build_sheet(found, assemble(found, quiz).questions, quiz, "A"))
    stale = layout(build_sheet(found, assemble(found, other).questions, other, "A"))
    code = parse_payload(printed["pages"][0]["payload"])
    assert code is not None and code["code"] == stale["code"] and len(printed["pages"]) == 1
    assert layout_differences(code, "a4", stale) == said
    assert layout_differences(code, "a4", printed) == []
    assert layout_differences({**code, "page": 2, "pages": 2}, "a4", printed) == [
        "printed as a sheet of 2 pages, the teacher file's has 1"]


def test_the_default_layouts_codes_are_those_printed_before(mini_library):
    """Sheets printed before the layout was folded into the code still mark with a teacher file built
    again from the same questions: the default layout's codes have not changed (the bundled article,
    seed 1, three versions, as `quizgen build --versions 3 --answer-sheet` prints them, and alone)."""
    from generator.checks.selection import assemble
    from generator.outputs.quiz.answer_sheet import layout
    from generator.outputs.quiz.sheet import build_sheet
    from generator.outputs.quiz_options import QuizOptions
    from generator.sources.load import load_article_set

    found = load_article_set(ROOT / "questions" / SLUG)
    codes = {}
    for sheet_options in (QuizOptions(versions=3, answer_sheet=True), QuizOptions(versions=3)):
        questions = assemble(found, sheet_options).questions
        codes[sheet_options.answer_sheet] = [build_sheet(found, questions, sheet_options, v).code for v in "ABC"]
    # (3UOW, 67XC, A3GW and V76Y until an attribution's generated wrong choices were put in alphabetical
    # order, which changed five questions' choices: a change of what students read changes the code, and
    # the build keeps the replaced teacher files in sheet-keys/, so the papers printed before still mark)
    assert codes == {True: ["FG62", "6E6L", "T2HI"], False: ["FG62", "6E6L", "T2HI"]}
    one = QuizOptions(answer_sheet=True)
    sheet = build_sheet(found, assemble(found, one).questions, one, None)
    assert sheet.code == "QCCT"
    # the default geometry (sheet_code.LAYOUT 1): a change that moves a bubble must raise LAYOUT
    data = layout(sheet)
    where = [(q["number"], q["page"], r["name"], b["value"], b["x"], b["y"])
             for q in data["questions"] for r in q["rows"] for b in r["bubbles"]]
    where += [(0, p["page"], c, b["value"], b["x"], b["y"]) for p in data["pages"] for c, col in enumerate(p["student"])
              for b in col]
    assert len(where) == 306 and hashlib.sha256(repr(where).encode()).hexdigest()[:16] == "08dfaa4a72bf735f"


def test_other_layouts_have_other_codes(mini_library):
    """Each of paper, student digits and points gives another code; without an answer sheet the paper
    and digits change nothing (no bubble is printed)."""
    from generator.checks.selection import assemble
    from generator.outputs.quiz.sheet import build_sheet
    from generator.outputs.quiz_options import QuizOptions

    (found,) = mini_library.sets

    def code(**options) -> str:
        quiz = QuizOptions(**options)
        return build_sheet(found, assemble(found, quiz).questions, quiz, None).code

    default = code(answer_sheet=True)
    others = [code(answer_sheet=True, paper="letter"), code(answer_sheet=True, student_digits=8),
              code(answer_sheet=True, student_digits=8, paper="letter"), code(answer_sheet=True, points=(("qa", 3),))]
    assert len({default, *others}) == 5
    assert code(paper="letter") == code(student_digits=8) == code() == default


def test_two_teacher_files_of_one_sheet_in_key_are_refused_naming_both(printed, tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app
    from generator.tools.mark.grade import load_keys

    found, data, scans, tmp = printed
    key = tmp_path / "key"
    key.mkdir()
    name = f"{found.article.slug}-sheet.json"
    text = (tmp / "default" / name).read_bytes()
    (key / name).write_bytes(text)
    (key / f"{found.article.slug}-sheet-copy.json").write_bytes(text)
    with pytest.raises(UsageError) as raised:
        load_keys(key)
    message = str(raised.value)
    assert name in message and f"{found.article.slug}-sheet-copy.json" in message
    assert f"single version, code {data['code']}" in message
    result = CliRunner().invoke(app, ["mark", str(scans), "--key", str(key), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and f"{found.article.slug}-sheet-copy.json" in result.output
    assert not (tmp_path / "out").exists()
