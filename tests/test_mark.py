"""`quizgen mark` on 60 simulated students: sheets built with --versions 3 --answer-sheet, printed by
Chromium, filled by drawing on the rendered pages, scanned badly at 150, 200 and 300 dpi, read back.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys

import pytest
from conftest import ROOT

cv2 = pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")
pytest.importorskip("pypdfium2", reason="pypdfium2 is in the mark and test extras")

from mark_helpers import FAULTS, READ, Filled, fill, judge, read_value, render_pages, scan, simulate, write_review  # noqa: E402

from generator.tools.mark import mark  # noqa: E402

SLUG = "israels-hushed-military-ties-with-russia"
STUDENTS = 60
DPIS = (150, 200, 300)


@pytest.fixture(scope="module")
def built(tmp_path_factory, browser):
    """The bundled article's quiz in three versions with answer sheets, built by `quizgen build` and
    printed as `--pdf` prints them (the session's Chromium: Playwright's sync API cannot nest)."""
    from typer.testing import CliRunner

    from generator.cli import app
    from generator.outputs import Output
    from generator.outputs.pdf import print_with

    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(app, [
        "build", str(ROOT / "questions"), "--out", str(out), "--only", "quiz", "--versions", "3",
        "--answer-sheet", "--quiet",
    ])
    assert result.exit_code == 0, result.output
    sheets = [Output(p.name, p.read_bytes(), True) for p in sorted(out.glob(f"{SLUG}-sheet-*.html"))]
    assert len(sheets) == 3
    for printed in print_with(browser, sheets):
        (out / printed.name).write_bytes(printed.data)
    return out


def make_student(i: int, layout: dict, rng: random.Random) -> Filled:
    number = f"{(104729 * (i + 3)) % 1000000:06d}"
    return simulate(number, layout, rng)


@pytest.fixture(scope="module")
def classroom(built, tmp_path_factory):
    """60 students' sheets scanned to JPEG, spread over three versions and three resolutions."""
    folder = tmp_path_factory.mktemp("scans")
    rng = random.Random(19)
    layouts = {v: json.loads((built / f"{SLUG}-sheet-{v}.json").read_text(encoding="utf-8")) for v in "ABC"}
    rendered = {(v, dpi): render_pages((built / f"{SLUG}-sheet-{v}.pdf").read_bytes(), dpi)
                for v in "ABC" for dpi in DPIS}
    students = []
    for i in range(STUDENTS):
        version = "ABC"[i % 3]
        dpi = DPIS[i * len(DPIS) // STUDENTS]
        layout = layouts[version]
        filled = make_student(i, layout, rng)
        if i in (5, 41):  # a student number that cannot be read: a column left blank, or two digits in one
            filled.unreadable = True
            drawn = filled.student[:2] + "?" + filled.student[3:]
        else:
            filled.unreadable = False
            drawn = filled.student
        student = Filled(drawn, version, marks=filled.marks)
        pages = fill(rendered[(version, dpi)], layout, student, dpi, rng)
        if i == 41:
            from mark_helpers import draw_mark

            column = layout["pages"][0]["student"][2]
            draw_mark(pages[0], column[1]["x"], column[1]["y"], dpi, "clear", rng)
            draw_mark(pages[0], column[7]["x"], column[7]["y"], dpi, "clear", rng)
        faults = (FAULTS[i % len(FAULTS)],) if i % 3 == 1 else ()
        for p, image in enumerate(pages, start=1):
            name = folder / f"scan-{i:02d}-{p}.jpg"
            name.write_bytes(scan(image, rng, upside_down=i % 7 == 3, faults=faults, dpi=dpi))
            filled.files.append(name.name)
        students.append(filled)
    return folder, students, layouts


def _rows_by_student(result) -> dict[str, dict]:
    return {s.number: s for s in result.students if s.number}


def test_every_clear_mark_is_read_and_every_doubt_is_left_to_review(built, classroom):
    folder, students, layouts = classroom
    result = mark([folder], built, jobs=2)
    judged = judge(result, students)
    assert judged.wrong == [] and judged.missed == []
    for style in ("ring", "crescent", "tick", "cross", "erased+clear", "cancel+clear", "pencil", "scribble",
                  "clear+clear"):
        rows, right, reviewed = judged.by_style[style]
        assert rows and right + reviewed == rows, style  # never read as anything else, nor as blank
    assert judged.by_style["ring"][1] and judged.by_style["erased+clear"][1]  # and read, not just reviewed
    assert judged.by_style["clear+clear"][1]  # two plain fills: the key's rule, no point, no review
    assert result.unplaced == 0
    assert sum(1 for p in result.pages if p.code) == STUDENTS
    graded = _rows_by_student(result)
    reviews = {(r.scan, r.question, r.row) for r in result.reviews if not r.decision}
    by_file = {f: s for s in students for f in s.files}
    for page in result.pages:
        filled = by_file[page.scan]
        if filled.unreadable:
            assert (page.scan, "student", "") in reviews
            continue
        number = "".join(r.value or "?" for r in page.rows if r.question == 0)
        assert number == filled.student, page.source
        for row in page.rows:
            key = (row.question, row.name)
            if row.question == 0:
                continue
            asked = (page.scan, str(row.question), row.name) in reviews or \
                (row.name == "c" and (page.scan, str(row.question), "") in reviews)  # the ✎ row: once T/F is read
            if asked:
                continue
            if key in filled.expected_review:  # only a lone light mark dark enough to be one may be read, as meant
                assert filled.marks[key] == [(filled.intent[key], "light")], (page.source, key, row)
                assert row.status == "ok" and row.value == filled.intent[key], (page.source, key, row)
            else:
                assert row.status in READ and read_value(row) == filled.expected_values[key], (page.source, key, row)
    read = [s for s in students if not s.unreadable]
    assert sorted(graded) == sorted(s.student for s in read)
    for filled in read:
        student = graded[filled.student]
        assert student.data["version"] == filled.version
        expected = {n: filled.full[n] if v is None else v for n, v in filled.scores.items()}  # a light mark read
        for n, points in student.scores.items():  # a question is scored as the key says, or left to review
            assert points is None or points == expected[n], (filled.student, n)
        assert student.total == sum(v for n, v in expected.items() if student.scores[n] is not None and v)
    # marks.csv: one row a student, the same totals; the review list as written
    outputs = {o.name: o.data for o in result.outputs}
    rows = list(csv.DictReader(io.StringIO(outputs["marks.csv"].decode("utf-8"))))
    assert len(rows) == STUDENTS
    totals = {r["student"]: float(r["points"]) for r in rows if r["student"] != "?"}
    assert totals == {s.student: graded[s.student].total for s in read}
    assert all(int(r["total"]) == int(float(r["points"]) + 0.5) for r in rows)  # a half point rounded up
    assert sum(1 for n in outputs if n.endswith(".pdf")) == STUDENTS
    first = next(s for s in read)
    assert outputs[f"sheet-{first.student}-{SLUG}-{first.version}.pdf"].startswith(b"%PDF")


def test_the_teachers_decisions_complete_the_marks(built, classroom, tmp_path):
    folder, students, layouts = classroom
    chosen = students[:12] + [students[41]]
    subset = tmp_path / "subset"
    subset.mkdir()
    for s in chosen:
        for f in s.files:
            (subset / f).write_bytes((folder / f).read_bytes())
    first = mark([subset], built, jobs=2)
    by_file = {f: s for s in chosen for f in s.files}
    lines = list(csv.DictReader(io.StringIO(next(o.data for o in first.outputs if o.name == "review.csv").decode())))
    assert lines, "the sheets have doubtful marks to review"
    for line in lines:
        filled = by_file[line["scan"]]
        if line["question"] == "student":
            line["decision"] = filled.student
        else:
            intent = filled.intent[(int(line["question"]), line["row"])]
            line["decision"] = intent if intent is not None else "-"
    review = tmp_path / "review.csv"
    write_review(review, lines)
    second = mark([subset], built, review=review, jobs=1)
    assert second.to_review == 0
    graded = _rows_by_student(second)
    assert sorted(graded) == sorted(s.student for s in chosen)
    for filled in chosen:
        assert graded[filled.student].total == sum(filled.full.values()), filled.student
        assert graded[filled.student].pending == 0


def test_a_pdf_of_several_sheets_in_shuffled_order(built, classroom, tmp_path):
    from generator.tools.mark.annotate import pdf_of

    folder, students, layouts = classroom
    rng = random.Random(7)
    chosen = [s for s in students if not s.unreadable][::4]
    files = [f for s in chosen for f in s.files]
    rng.shuffle(files)
    pdf = tmp_path / "class.pdf"  # as a scanner writes it: one JPEG a page, A4
    pdf.write_bytes(pdf_of([((folder / f).read_bytes(), [210.0, 297.0]) for f in files]))
    result = mark([pdf], built, jobs=2)
    assert result.unplaced == 0 and len(result.pages) == len(files)
    graded = _rows_by_student(result)
    assert sorted(graded) == sorted(s.student for s in chosen)
    for filled in chosen:
        for n, points in graded[filled.student].scores.items():  # a lone light mark may be read, as meant
            assert points is None or points == (filled.full[n] if filled.scores[n] is None else filled.scores[n])


def test_the_annotated_sheet_shows_the_scan_upright_with_each_answer_circled_where_it_is(built, classroom, tmp_path):
    """The annotated PDF shows the student's own scan (its JPEG as it is, upside down or not, or the
    upright page of a PNG or a rendered PDF page) upright on the paper, the used bubble of each scored
    row circled in green (right) or red (wrong) right over it."""
    import pypdfium2 as pdfium

    from generator.outputs.sheet_code import INSET, MARKER, QR_SIZE

    folder, students, layouts = classroom
    upside_down, upright = students[3], students[1]  # 3: scanned upside down
    as_png = tmp_path / "scan-png.png"  # a PNG: no JPEG to show as it is
    cv2.imwrite(str(as_png), cv2.imread(str(folder / upright.files[0]), cv2.IMREAD_GRAYSCALE))
    sheets = {}
    for filled, scan_file in ((upside_down, folder / upside_down.files[0]), (upright, as_png)):
        result = mark([scan_file], built, jobs=1)
        [student] = result.students
        pdfs = [o.data for o in result.outputs if o.name.endswith(".pdf")]
        assert len(pdfs) == 1
        sheets[filled.student] = (student, pdfs[0], layouts[filled.version])
    assert b"/DCTDecode" in sheets[upside_down.student][1]
    px = 4.0  # pixels a mm of the rendering
    for student, data, layout in sheets.values():
        document = pdfium.PdfDocument(data)
        image = document[0].render(scale=px * 25.4 / 72).to_numpy()[:, :, :3].astype(int)  # B, G, R
        document.close()

        def mean(x0: float, y0: float, x1: float, y1: float, image=image) -> float:
            return float(image[int(y0 * px):int(y1 * px), int(x0 * px):int(x1 * px)].mean())

        width, height = layout["size"]
        qr_left = width - INSET - MARKER - 3.0 - QR_SIZE
        assert mean(qr_left, INSET, qr_left + QR_SIZE, INSET + QR_SIZE) < 200  # the QR code at the top right
        assert mean(width - qr_left - QR_SIZE, height - INSET - QR_SIZE, width - qr_left, height - INSET) > 200
        circled = 0
        for question in layout["questions"]:
            row = question["rows"][0]
            chosen = student.answers.get((question["number"], row["name"]))
            bubble = next((b for b in row["bubbles"] if b["value"] == chosen), None)
            if question["kind"] != "mcq" or bubble is None:  # nothing used (blank, two fills) or in review
                continue
            x, y = int(round(bubble["x"] * px)), int(round(bubble["y"] * px))
            ring = image[y - 16:y + 17, x - 16:x + 17]
            colour = (1, 2) if chosen == question["answer"] else (2, 1)  # green over red, or red over green
            strong = (ring[:, :, colour[0]] > ring[:, :, colour[1]] + 80) & (ring[:, :, 0] < 100)
            assert strong.sum() >= 20, (student.number, question["number"])
            circled += 1
        assert circled >= 5


def test_a_jpeg_scan_is_straightened_only_where_it_is_read_and_reads_as_the_whole_page(built, classroom):
    """A JPEG scan (shown as it is on the annotated sheet) is resampled upright only around its bubbles
    and name box: each row reads as on the whole upright page, and the review page's crops show the same
    pixels of the paper."""
    from generator.tools.mark.grade import load_keys
    from generator.tools.mark.read import STUDENT_BOX, read_page
    from generator.tools.mark.scans import load_page

    folder, students, _ = classroom
    keys = load_keys(built)
    for filled in (students[1], students[3], students[4], students[40]):  # a fault, upside down, 150 and 300 dpi
        gray, jpeg = load_page(folder / filled.files[0], 1)
        assert jpeg is not None
        whole = read_page("scan", filled.files[0], 1, gray, keys)
        part = read_page("scan", filled.files[0], 1, gray, keys, cropped=True)
        assert whole.problem is None and part.problem is None
        assert whole.image is not None and part.image is not None
        assert whole.origin == (0.0, 0.0) and part.origin > (0.0, 0.0)
        assert part.image.size < 0.7 * whole.image.size
        for a, b in zip(whole.rows, part.rows, strict=True):
            assert (a.question, a.name, a.status, a.value) == (b.question, b.name, b.status, b.value)
            assert max(abs(x - y) for x, y in zip(a.fills, b.fills, strict=True)) < 0.03
            assert max(abs(p - q) for c, d in zip(a.centres, b.centres) for p, q in zip(c, d)) < 0.25
        left, top, right, bottom = (round(v * 5) for v in STUDENT_BOX)  # PX: 5 pixels a mm
        ox, oy = (round(v * 5) for v in part.origin)
        shown = part.image[top - oy:bottom - oy, left - ox:right - ox].astype(int)
        assert shown.shape == (bottom - top, right - left)
        assert abs(shown - whole.image[top:bottom, left:right]).max() <= 1


def test_mark_imports_no_quiz_builder_and_no_kind(built, classroom, tmp_path):
    """`quizgen mark` reads the sheet's geometry and code from outputs/sheet_code.py: it imports neither
    the quiz builder's package nor its selection and giveaway checks (about 0.1 s of every run); it
    scores the built-in kinds with kinds/scoring.py's table, without the registry that imports every
    kind's module, model and schema (about 0.15 s); and no pydantic at all (Typer 0.29 and later build a
    pydantic TypeAdapter for every option: 0.14 s of every run, so quizgen asks for a Typer below 0.29)."""
    import subprocess
    import sys

    folder, students, _ = classroom
    run = ("import atexit, json, sys\n"
           "atexit.register(lambda: open(sys.argv[1], 'w').write(json.dumps(sorted(sys.modules))))\n"
           "from generator.cli import main\n"
           "main(sys.argv[2:])\n")
    names = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", run, str(names), "mark", "--key", str(built), "--jobs", "1",
                           str(folder / students[0].files[0]), "--out", str(tmp_path / "marks")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(names.read_text(encoding="utf-8")))
    assert "generator.outputs.sheet_code" in modules and "generator.tools.mark.annotate" in modules  # it did mark
    assert "generator.kinds.scoring" in modules  # it did score
    unwanted = ("generator.outputs.quiz", "generator.checks.selection", "generator.checks.giveaways",
                "generator.kinds.registry", "generator.kinds.contract", "generator.kinds.qa", "generator.model",
                "generator.sources.schema", "pydantic")
    assert sorted(m for m in modules if m.startswith(unwanted)) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts the process's threads in /proc")
def test_mark_reads_in_one_thread(built, classroom, tmp_path):
    """`quizgen mark --jobs 1` reads and writes in its one thread: neither OpenCV's pool nor the threads of
    numpy's OpenBLAS, which started a thread a core and spun waiting for work (about 0.1 s of CPU a marking)."""
    import subprocess

    folder, students, _ = classroom
    run = ("import atexit, os, sys\n"
           "atexit.register(lambda: open(sys.argv[1], 'w').write(str(len(os.listdir('/proc/self/task')))))\n"
           "from generator.cli import main\n"
           "main(sys.argv[2:])\n")
    count = tmp_path / "threads.txt"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", run, str(count), "mark", "--key", str(built), "--jobs", "1",
                           str(folder / students[0].files[0]), "--out", str(tmp_path / "marks")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert count.read_text(encoding="utf-8") == "1"


def test_a_picture_of_part_of_the_page_is_drawn_where_that_part_is():
    """The annotated sheet of a straightened part of a page (a JPEG scan pdfium cannot embed as it is)
    shows that part at its own place on the paper, nothing around it."""
    import numpy as np
    import pypdfium2 as pdfium

    from generator.tools.mark.pdf import POINTS, Drawing, jpeg_image, saved

    ok, jpeg = cv2.imencode(".jpg", np.zeros((100, 150), np.uint8))  # black, 30 x 20 mm at 5 pixels a mm
    assert ok
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(210 * POINTS, 297 * POINTS)
    embedded = jpeg_image(pdf, jpeg.tobytes())
    assert embedded is not None
    Drawing(pdf, page, 297.0).part(embedded[0], (50.0, 100.0), (30.0, 20.0))
    page.gen_content()
    data = saved(pdf)
    pdf.close()
    document = pdfium.PdfDocument(data)
    px = 2.0  # pixels a mm of the rendering
    rendered = document[0].render(scale=px * 25.4 / 72, grayscale=True).to_numpy()
    document.close()
    shown = rendered if rendered.ndim == 2 else rendered[:, :, 0]

    def mean(x0: float, y0: float, x1: float, y1: float) -> float:
        return float(shown[int(y0 * px):int(y1 * px), int(x0 * px):int(x1 * px)].mean())

    assert mean(51, 101, 79, 119) < 40  # the picture, where its part of the paper is
    for around in ((50, 95, 80, 99), (50, 121, 80, 125), (45, 100, 49, 120), (81, 100, 85, 120)):
        assert mean(*around) > 215, around


def test_a_pages_bubbles_read_at_once_say_what_each_says_alone():
    """`kinds` (all of a page's bubbles at once, on arrays) gives each bubble the kind `_kind` gives it
    alone, at and around every threshold; `patches` takes the pixels that indexing the page takes;
    `_by_row` (the rows of one length summed at once) gives each row's sum to the bit, as row by row."""
    import numpy as np

    from generator.tools.mark import bubbles as b
    from generator.tools.mark import decide

    rng = np.random.default_rng(24)
    edges = [0.0, b.TRACE / 2, b.TRACE, b.STRONG, b.EMPTY, b.ERASED, b.CLEAR, b.ARM, b.AROUND, b.EDGE / 2, b.EDGE, 1.0]
    n = 4000
    level = np.array([0.02, 0.2] + [0.01] * 8)  # a blank bubble: fill, cover, around

    def values(count: int) -> np.ndarray:  # at a threshold (above a blank bubble), a hair from it, or anywhere
        at = rng.choice(edges, count) + rng.choice([0.0, 0.0, -1e-3, 1e-3], count)
        return np.where(rng.random(count) < 0.5, at, rng.random(count) * rng.choice([0.1, 0.4, 1.0], count)).round(3)

    measures = b.Measures(values(n) + level[0], values(n) + level[1], values(8 * n).reshape(n, 8) + level[2:],
                          values(n))
    blank = decide.Blank(float(level[0]), float(level[1]), level[2:].tolist(), 0.01)
    alone = [decide._kind(bubble, blank) for bubble in measures.bubbles()]
    assert decide.kinds(measures, blank) == alone
    assert {"mark", "cancelled", "erased", "trace", "empty"} <= set(alone)

    page = rng.random((60, 50), dtype=np.float32)
    points = rng.integers(-5, 60, (30, 2))
    for dy, dx in ((b._MDY, b._MDX), (b._WY, b._WX)):
        ry, rx = int(np.abs(dy).max()), int(np.abs(dx).max())
        x, y = np.clip(points[:, 0], rx, 49 - rx), np.clip(points[:, 1], ry, 59 - ry)
        assert np.array_equal(b.patches(page, points, dy, dx), page[y[:, None] + dy[None, :], x[:, None] + dx[None, :]])

    sizes = [int(k) for k in rng.integers(1, 12, 80)]
    starts = np.cumsum([0] + sizes[:-1])
    windows = (rng.standard_normal((sum(sizes), 17, 17)) * 100).astype(np.float32)
    by_row = np.stack([windows[s:s + k].sum(axis=0) for s, k in zip(starts.tolist(), sizes)])
    assert b._by_row(windows, starts, sizes).tobytes() == by_row.tobytes()


def test_a_page_it_cannot_place_is_listed(built, tmp_path):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), (255 * __import__("numpy").ones((800, 600), dtype="uint8")))
    result = mark([blank], built, jobs=1)
    assert result.students == []
    assert [(r.question, r.problem.split(":")[0]) for r in result.reviews] == [("page", "page not placed")]


def test_teacher_file_holds_the_keys_answers(built):
    from generator.checks.selection import assemble
    from generator.outputs.quiz.sheet import build_sheet
    from generator.outputs.quiz_options import QuizOptions
    from generator.sources.load import load_article_set

    found = load_article_set(ROOT / "questions" / SLUG)
    options = QuizOptions(versions=3, answer_sheet=True)
    questions = assemble(found, options).questions
    for version in "ABC":
        sheet = build_sheet(found, questions, options, version)
        data = json.loads((built / f"{SLUG}-sheet-{version}.json").read_text(encoding="utf-8"))
        assert data["code"] == sheet.code and data["version"] == version
        items = {i.number: (s.kind, i) for s in sheet.sections for i in s.items}
        for q in data["questions"]:
            kind, item = items[q["number"]]
            assert q["kind"] == kind and q["points"] == item.points
            if kind in ("mcq", "attribution"):
                assert q["answer"] == item.right_choice.letter
            elif kind == "order":
                assert q["answer"] == {p.letter: str(p.position) for p in item.events}


def test_mark_command_writes_marks_review_and_annotated_sheets(built, classroom, tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app

    folder, students, _ = classroom
    scans = [str(folder / f) for f in students[0].files + students[1].files]
    out = tmp_path / "marks"
    result = CliRunner().invoke(app, ["mark", *scans, "--key", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "marked 2 students from 2 pages" in result.output
    assert {p.name for p in out.iterdir()} >= {"marks.csv", "review.csv"}
    missing = CliRunner().invoke(app, ["mark", *scans, "--key", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2  # a usage error: the option names no folder
    assert "is not a folder" in missing.output
    import numpy as np

    blank = tmp_path / "blank.png"  # a page with no sheet on it: nobody marked, no annotated PDF promised
    assert cv2.imwrite(str(blank), np.full((400, 300), 255, np.uint8))
    nobody = CliRunner().invoke(app, ["mark", str(blank), "--key", str(built), "--out", str(tmp_path / "none")])
    assert nobody.exit_code == 0, nobody.output
    assert "marked no students from 1 page" in nobody.output and "annotated PDF" not in nobody.output.splitlines()[0]


def test_marking_again_removes_only_the_annotated_sheets_the_last_marking_wrote(built, classroom, tmp_path):
    """A teacher marks a class, then marks it again without one student's scan (or with a number
    corrected in review): that student's old annotated sheet must not stay in --out to be handed
    back; the teacher's own files there stay."""
    from typer.testing import CliRunner

    from generator.cli import app

    folder, students, _ = classroom
    first, second = (str(folder / f) for f in students[0].files), (str(folder / f) for f in students[1].files)
    first, second = list(first), list(second)
    out = tmp_path / "marks"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "sheet-000000-mine.pdf").write_bytes(b"%PDF mine")  # looks like ours, but the teacher's
    assert CliRunner().invoke(app, ["mark", *first, *second, "--key", str(built), "--out", str(out)]).exit_code == 0
    sheets = sorted(p.name for p in out.glob("sheet-*.pdf") if p.name != "sheet-000000-mine.pdf")
    assert len(sheets) == 2
    again = CliRunner().invoke(app, ["mark", *second, "--key", str(built), "--out", str(out)])
    assert again.exit_code == 0, again.output
    left = sorted(p.name for p in out.glob("sheet-*.pdf") if p.name != "sheet-000000-mine.pdf")
    assert len(left) == 1 and left[0] in sheets
    gone = next(n for n in sheets if n not in left)
    assert f"removed 1 annotated PDF of the last marking that this one did not write: {gone}" in again.output
    assert (out / "notes.txt").read_text() == "mine" and (out / "sheet-000000-mine.pdf").exists()
    third = CliRunner().invoke(app, ["mark", *second, "--key", str(built), "--out", str(out)])
    assert "removed" not in third.output and len(list(out.glob("sheet-*.pdf"))) == 2


def test_sheet_json_is_a_teacher_file():
    from generator.outputs.quiz import is_teacher_file

    assert is_teacher_file("a-sheet.json") and is_teacher_file("a-sheet-B.json")
    assert not is_teacher_file("a-sheet.html") and not is_teacher_file("a-sheet-B.pdf")


def test_every_question_kind_has_its_row_of_bubbles(built):
    data = json.loads((built / f"{SLUG}-sheet-A.json").read_text(encoding="utf-8"))
    kinds = {q["kind"]: q for q in data["questions"]}
    assert [b["value"] for b in kinds["truefalse"]["rows"][0]["bubbles"]] == ["T", "F"]
    assert [b["value"] for b in kinds["qa"]["rows"][0]["bubbles"]] == ["0", "1", "2"]
    order = kinds["order"]
    assert [r["name"] for r in order["rows"]] == sorted(order["answer"])
    assert all(len(r["bubbles"]) == len(order["rows"]) for r in order["rows"])
    assert len(data["pages"][0]["student"]) == 6
    _no_overlap(data)

def test_the_appended_key_layout_prints_the_sheet_after_the_questions(mini_library):
    from generator.outputs import BuildOptions
    from generator.outputs.index import links
    from generator.outputs.quiz import QuizBuilder
    from generator.outputs.quiz_options import QuizOptions

    (found,) = mini_library.sets
    options = BuildOptions(timestamp=0, settings=(QuizOptions(answer_sheet=True, append_key=True, student_digits=8),))
    outputs = {o.name: o for o in QuizBuilder().build(found, options)}
    slug = found.article.slug
    both = outputs[f"{slug}-quiz-key.html"].data.decode("utf-8")
    assert both.index('<main class="quiz">') < both.index('class="answer-sheet"') < both.index('class="key"')
    assert 'class="answer-sheet"' not in outputs[f"{slug}-quiz.html"].data.decode("utf-8")
    assert outputs[f"{slug}-sheet.html"].printable and not outputs[f"{slug}-sheet.json"].printable
    data = json.loads(outputs[f"{slug}-sheet.json"].data)
    assert len(data["pages"][0]["student"]) == 8
    assert data["pages"][0]["payload"].startswith(f"QZ1;{data['slug_hash']};-;{data['code']};1/1;")
    names = set(outputs)
    assert [link.href for link in links(slug, names)] == [f"{slug}-quiz.html", f"{slug}-sheet.html"]
    assert f"{slug}-sheet.json" not in [link.href for link in links(slug, names, teacher=True)]


def _no_overlap(data: dict) -> None:
    import itertools

    width, height = data["size"]
    for page in data["pages"]:
        centres = [(b["x"], b["y"]) for q in data["questions"] if q["page"] == page["page"]
                   for r in q["rows"] for b in r["bubbles"]]
        centres += [(b["x"], b["y"]) for column in page["student"] for b in column]
        for (x1, y1), (x2, y2) in itertools.combinations(centres, 2):
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (2 * data["radius"] + 0.8) ** 2
        assert all(15 < x < width - 15 and 40 < y < height - 20 for x, y in centres)


def test_a_sheet_on_two_letter_pages_is_marked_whole_or_sent_to_review(browser, tmp_path):
    """Letter paper, 10-digit student numbers and short answers worth 12 points: two pages."""
    from generator.outputs import BuildOptions
    from generator.outputs.pdf import print_with
    from generator.outputs.quiz import QuizBuilder
    from generator.outputs.quiz_options import QuizOptions
    from generator.sources.load import load_article_set

    found = load_article_set(ROOT / "questions" / SLUG)
    quiz = QuizOptions(paper="letter", points=(("qa", 12),), student_digits=10, answer_sheet=True)
    outputs = QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(quiz,)))
    key = tmp_path / "key"
    key.mkdir()
    for o in outputs:
        if o.name.endswith(".json"):
            (key / o.name).write_bytes(o.data)
    (pdf,) = print_with(browser, [o for o in outputs if o.name.endswith("-sheet.html")])
    data = json.loads((key / f"{SLUG}-sheet.json").read_text(encoding="utf-8"))
    assert len(data["pages"]) == 2 and data["paper"] == "letter"
    assert [b["value"] for b in next(q for q in data["questions"] if q["kind"] == "qa")["rows"][0]["bubbles"]][-1] == "12"
    _no_overlap(data)
    rng = random.Random(2)
    filled = make_student(0, data, rng)
    filled = Filled("0123456789", "", marks=filled.marks, scores=filled.scores, total=filled.total)
    pages = fill(render_pages(pdf.data, 150), data, filled, 150, rng)
    scans = tmp_path / "scans"
    scans.mkdir()
    for p, image in enumerate(pages, start=1):
        (scans / f"p{p}.jpg").write_bytes(scan(image, rng, upside_down=p == 2))
    (student,) = mark([scans], key, jobs=1).students
    assert student.number == "0123456789" and student.scores == filled.scores and student.total == filled.total
    (scans / "p2.jpg").unlink()
    result = mark([scans], key, jobs=1)
    (student,) = result.students
    on_second = {q["number"] for q in data["questions"] if q["page"] == 2}
    assert {n for n, v in student.scores.items() if v is None} >= on_second
    assert any("page 2 of this student's sheet was not found" in r.problem for r in result.reviews)


def _sheet_json(found, points) -> dict:
    from generator.outputs import BuildOptions
    from generator.outputs.quiz import QuizBuilder
    from generator.outputs.quiz_options import QuizOptions

    quiz = QuizOptions(answer_sheet=True, points=points)
    outputs = {o.name: o for o in QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(quiz,)))}
    assert b'class="answer-sheet"' in outputs[f"{found.article.slug}-sheet.html"].data
    return json.loads(outputs[f"{found.article.slug}-sheet.json"].data)


def test_scores_over_twelve_points_are_bubbled_in_tens_and_units(mini_library):
    from generator.tools.mark.rules import points

    (found,) = mini_library.sets
    data = _sheet_json(found, (("cloze", 7),))
    cloze = next(q for q in data["questions"] if q["kind"] == "cloze")
    blanks = cloze["points"] // 7
    if blanks + 1 > 13:  # more scores than fit: tens and units
        assert [r["name"] for r in cloze["rows"]] == ["10s", "1s"]
        assert points(cloze, {"10s": "1", "1s": "4"}) == 14
    else:  # one bubble a whole number of blanks
        assert [b["value"] for b in cloze["rows"][0]["bubbles"]] == [str(7 * k) for k in range(blanks + 1)]
    _no_overlap(data)


def test_score_rows_follow_the_keys_rubric_for_any_points(mini_library):
    """The key: a short answer earns all, half or none of its points; a cloze its points per blank."""
    from generator.tools.mark.rules import points

    (found,) = mini_library.sets
    for qa_points in (1, 2, 3, 35):
        data = _sheet_json(found, (("qa", qa_points), ("cloze", 2)))
        qa = next(q for q in data["questions"] if q["kind"] == "qa")
        assert [b["value"] for b in qa["rows"][0]["bubbles"]] == ["0", f"{qa_points / 2:g}", str(qa_points)]
        assert points(qa, {"": f"{qa_points / 2:g}"}) == qa_points / 2
        cloze = next(q for q in data["questions"] if q["kind"] == "cloze")
        values = [b["value"] for b in cloze["rows"][0]["bubbles"]]
        assert values == [str(2 * k) for k in range(len(values))] and int(values[-1]) == cloze["points"]
        _no_overlap(data)


def test_true_false_follows_the_keys_correction_rule(mini_library):
    """The key: "F circled without a correction earns half": the teacher bubbles ✓ or ✗ for it."""
    from generator.tools.mark.rules import points

    (found,) = mini_library.sets
    data = _sheet_json(found, (("truefalse", 2),))
    tf = next(q for q in data["questions"] if q["kind"] == "truefalse")
    assert [(r["name"], [b["value"] for b in r["bubbles"]]) for r in tf["rows"]] == [("", ["T", "F"]), ("c", ["0", "1"])]
    false = {**tf, "answer": "F"}
    assert points(false, {"": "F", "c": "1"}) == 2
    assert points(false, {"": "F", "c": "0"}) == 1
    assert points(false, {"": "T", "c": None}) == 0
    true = {**tf, "answer": "T"}
    assert points(true, {"": "T", "c": None}) == 2 and points(true, {"": "F", "c": "1"}) == 0


def test_the_key_prints_the_rules_mark_applies(built):
    key = (built / f"{SLUG}-key-A.html").read_text(encoding="utf-8")
    for rule in ("F circled without a correction earns half", "half for an answer that is partly right",
                 "two neighbours swapped", "Round a half point total up"):
        assert rule in key


def test_a_wrong_decision_or_a_missing_library_is_one_clear_line(built, classroom, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from generator.cli import app

    folder, students, _ = classroom
    scan_file = str(folder / students[0].files[0])
    review = tmp_path / "review.csv"
    review.write_text("scan,page,student,version,question,row,problem,read,fills,decision\n"
                      f"{students[0].files[0]},1,{students[0].student},A,1,,two or more marks in a row,A B,,Q\n",
                      encoding="utf-8")  # made for this sheet: its number and version
    result = CliRunner().invoke(app, ["mark", scan_file, "--key", str(built), "--review", str(review),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "the decision 'Q' is none of" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing written
    monkeypatch.setitem(__import__("sys").modules, "cv2", None)
    result = CliRunner().invoke(app, ["mark", scan_file, "--key", str(built)])
    assert result.exit_code == 2
    assert "pip install -e '.[mark]' in the quizgen folder" in result.output


def test_two_sheets_with_the_same_number_are_both_kept_and_listed(built, classroom, tmp_path):
    """Same version or not, no sheet is merged into another or dropped: each is its own row of
    marks.csv and each asks the teacher for its number."""
    folder, students, _ = classroom
    a, b = students[0], students[1]
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "first.jpg").write_bytes((folder / a.files[0]).read_bytes())
    (scans / "again.jpg").write_bytes((folder / a.files[0]).read_bytes())  # the same number and version
    (scans / "other.jpg").write_bytes((folder / b.files[0]).read_bytes())
    result = mark([scans], built, jobs=1)
    assert [s.number for s in result.students].count(a.student) == 2
    repeated = {r.scan for r in result.reviews if r.question == "student" and "is on 2 sheets" in r.problem}
    assert repeated == {"first.jpg", "again.jpg"}
    rows = list(csv.DictReader(io.StringIO(next(o.data for o in result.outputs if o.name == "marks.csv").decode())))
    assert len(rows) == 3 and all(int(r["to_review"]) >= 1 for r in rows if r["student"] == a.student)


def test_a_roster_names_students_and_sends_unknown_or_repeated_numbers_to_review(built, classroom, tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app

    folder, students, _ = classroom
    a, b, c = students[0], students[1], students[2]
    scans = tmp_path / "scans"
    scans.mkdir()
    for name, filled in (("a.jpg", a), ("again.jpg", a), ("b.jpg", b), ("c.jpg", c)):
        (scans / name).write_bytes((folder / filled.files[0]).read_bytes())
    roster = tmp_path / "class.csv"
    roster.write_text(f"number,name,email\n{a.student},Zoë Ávila,z@example.org\n{b.student},Ben Okafor,\n",
                      encoding="utf-8")
    out = tmp_path / "marks"
    result = CliRunner().invoke(app, ["mark", str(scans), "--key", str(built), "--out", str(out),
                                      "--roster", str(roster), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "marks.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 4  # no sheet dropped
    names = {r["scans"]: (r["student"], r["name"]) for r in rows}
    assert names["b.jpg page 1"] == (b.student, "Ben Okafor")
    assert names["a.jpg page 1"] == names["again.jpg page 1"] == (a.student, "Zoë Ávila")
    review = list(csv.DictReader(io.StringIO((out / "review.csv").read_text(encoding="utf-8"))))
    asked = {r["scan"]: r["problem"] for r in review if r["question"] == "student"}
    assert "is on 2 sheets" in asked["a.jpg"] and "is on 2 sheets" in asked["again.jpg"]
    assert "not on the roster" in asked["c.jpg"] and "b.jpg" not in asked
    bad = tmp_path / "bad.csv"
    bad.write_text("number,name\n12a,X\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["mark", str(scans), "--key", str(built), "--roster", str(bad)])
    assert refused.exit_code == 2 and "bad.csv:2:1: error: the student number must be digits" in refused.output
    assert refused.output.startswith(str(bad)), "the line says where, once: no 'quizgen: error:' before it"


def test_students_of_the_roster_without_a_sheet_are_reported_and_not_graded(built, classroom, tmp_path):
    """A sheet the scanner skipped (one page a sheet: nothing else shows it): mark's report names the
    student, marks.csv has their row without a total, and no gradebook gives them a grade."""
    from typer.testing import CliRunner

    from generator.cli import app

    folder, students, _ = classroom
    a, b, c = students[0], students[1], students[2]
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "a.jpg").write_bytes((folder / a.files[0]).read_bytes())
    roster = tmp_path / "class.csv"
    roster.write_text(f"number,name,email\n{a.student},Zoë Ávila,z@example.org\n{b.student},Ben Okafor,b@example.org\n"
                      f"{c.student.lstrip('0') or '0'},Chloé Dupont,c@example.org\n", encoding="utf-8")
    out = tmp_path / "marks"
    result = CliRunner().invoke(app, ["mark", str(scans), "--key", str(built), "--out", str(out),
                                      "--roster", str(roster), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (f"2 students of the roster have no sheet with their number among the scans: {b.student} Ben Okafor, "
            f"{c.student.lstrip('0') or '0'} Chloé Dupont (rows without a total at the end of") in result.output
    rows = list(csv.DictReader(io.StringIO((out / "marks.csv").read_text(encoding="utf-8"))))
    assert [(r["name"], r["total"], r["scans"]) for r in rows] == [
        ("Zoë Ávila", rows[0]["total"], "a.jpg page 1"), ("Ben Okafor", "", "no sheet with this number among the scans"),
        ("Chloé Dupont", "", "no sheet with this number among the scans")]
    assert rows[0]["total"] != ""
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (reading marks.xlsx back) is in the test extras")
    sheet = openpyxl.load_workbook(out / "marks.xlsx")["marks"]  # the same rows as marks.csv, in the same order
    assert [(r[1], r[-1]) for r in sheet.iter_rows(min_row=2, values_only=True)] == [(r["name"], r["scans"]) for r in rows]
    for gradebook in ("gradebook-moodle.csv", "gradebook-classroom.csv"):
        graded = (out / gradebook).read_text(encoding="utf-8")
        assert "b@example.org" not in graded and "c@example.org" not in graded
        # the Moodle file has a row only for a final grade (Moodle clears a grade for an empty cell)
        assert ("z@example.org" in graded) == (gradebook == "gradebook-classroom.csv" or rows[0]["to_review"] == "0")


def test_review_page_shows_each_doubt_and_saves_the_decisions_mark_reads(built, classroom, browser, tmp_path):
    """review.html: a crop of every doubtful row; decisions typed from the keyboard (Enter: next) and
    saved as the review.csv that `mark --review` completes the marks with."""
    from generator.tools.mark import write_marked

    folder, students, _ = classroom
    chosen = students[:6]
    subset = tmp_path / "subset"
    subset.mkdir()
    for s in chosen:
        for f in s.files:
            (subset / f).write_bytes((folder / f).read_bytes())
    out = tmp_path / "marks"
    first = mark([subset], built, jobs=1)
    write_marked(out, first.outputs)
    by_file = {f: s for s in chosen for f in s.files}
    pending = [r for r in first.reviews if not r.decision]
    assert pending, "the sheets have doubtful rows"
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto((out / "review.html").as_uri())
        assert page.locator("tr img").count() == len(pending)  # a crop of every row
        numbers = page.locator("img.number")  # the name and number boxes: shown large enough to read
        assert numbers.count() == sum(1 for r in pending if r.question == "student")
        for i in range(numbers.count()):
            shown = numbers.nth(i).evaluate("img => [img.clientWidth, img.naturalWidth]")
            assert shown[0] >= min(shown[1], 400), shown
        assert page.evaluate("document.activeElement.dataset.n") == "0"  # the first box has the focus
        for r in pending:
            filled = by_file[r.scan]
            if r.question == "student":
                answer = filled.student
            else:
                intent = filled.intent[(int(r.question), r.row)]
                answer = intent if intent is not None else "-"
            page.keyboard.type(answer)
            page.keyboard.press("Enter")
        with page.expect_download() as download:
            page.click("#save")
        saved = tmp_path / "review.csv"
        download.value.save_as(saved)
    finally:
        page.close()
    second = mark([subset], built, review=saved, jobs=1)
    assert second.to_review == 0
    graded = _rows_by_student(second)
    for filled in chosen:
        assert graded[filled.student].total == sum(filled.full.values()), filled.student


def test_the_sheets_teacher_file_stays_with_the_teacher(tmp_path):
    """The sheet JSON holds every answer: a teacher file by name, never linked from the students' index
    (the blank sheet is), and `serve` without --teacher refuses it."""
    import shutil

    from conftest import FIXTURES, build_files

    from generator.outputs.quiz import is_teacher_file
    from generator.outputs.quiz_options import QuizOptions
    from generator.tools.serve import Site

    shutil.copytree(FIXTURES / "mini", tmp_path / "content" / "mini")
    out = tmp_path / "decks"
    files = build_files(tmp_path / "content", out, only=["quiz", "study", "index"], options=(QuizOptions(answer_sheet=True),))
    assert "mini-sheet.json" in files and is_teacher_file("mini-sheet.json")
    assert b"mini-sheet.json" not in files["index.html"] and b"mini-sheet.html" in files["index.html"]
    answer = Site(out).answer("/mini-sheet.json")
    assert int(answer.status) == 403
    assert Site(out, teacher=True).answer("/mini-sheet.json").body == files["mini-sheet.json"]


def test_a_roster_build_prints_named_sheets_that_mark_reads_with_names(browser, tmp_path):
    """`build --answer-sheet --roster`: one sheet a student, versions in turn down the list, the name
    printed and the number pre-filled; `mark --roster` reads the number and writes the name."""
    import shutil

    from conftest import FIXTURES
    from typer.testing import CliRunner

    from generator.cli import app
    from generator.outputs import Output
    from generator.outputs.pdf import print_with

    shutil.copytree(FIXTURES / "mini", tmp_path / "content" / "mini")
    roster = tmp_path / "class.csv"
    roster.write_text("number,name\n4711,Zoë Ávila\n815,Ben Okafor\n99,Chloé Dupont\n", encoding="utf-8")
    out = tmp_path / "decks"
    built = CliRunner().invoke(app, ["build", str(tmp_path / "content"), "--out", str(out), "--only", "quiz",
                                     "--versions", "2", "--answer-sheet", "--roster", str(roster), "--quiet"])
    assert built.exit_code == 0, built.output
    named = {v: (out / f"mini-sheet-{v}-named.html").read_text(encoding="utf-8") for v in "AB"}
    assert "Zoë Ávila" in named["A"] and "Chloé Dupont" in named["A"] and "Ben Okafor" in named["B"]
    assert named["A"].count('class="answer-sheet"') == 2 and named["B"].count('class="answer-sheet"') == 1
    printed = print_with(browser, [Output("mini-sheet-A-named.html", named["A"].encode("utf-8"), True)])
    scans = tmp_path / "scans"
    scans.mkdir()
    for n, image in enumerate(render_pages(printed[0].data, 200)):
        (scans / f"page-{n}.jpg").write_bytes(scan(image, random.Random(n), quality=80))
    result = mark([scans], out, roster=roster, jobs=1)
    assert sorted((s.number, s.name) for s in result.students) == [("000099", "Chloé Dupont"), ("004711", "Zoë Ávila")]
    assert not [r for r in result.reviews if r.question == "student"]
    refused = CliRunner().invoke(app, ["build", str(tmp_path / "content"), "--out", str(out), "--only", "quiz",
                                       "--roster", str(roster)])
    assert refused.exit_code == 2 and "give --answer-sheet too" in refused.output


def test_a_struck_qr_code_is_read_from_the_stamp_or_placed_by_a_decision(built, classroom, tmp_path):
    """A pen stroke over the QR code: the version stamp between the bottom markers places the page, even
    under a shadow across it; with the stamp covered too, the page is listed and the teacher's decision
    naming the version places it."""
    from mark_helpers import spoil_qr

    _, students, layouts = classroom
    filled = students[0]
    layout = layouts[filled.version]
    pages = fill(render_pages((built / f"{SLUG}-sheet-{filled.version}.pdf").read_bytes(), 200), layout, filled, 200,
                 random.Random(3))
    spoil_qr(pages[0], layout["pages"][0], 200)
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "qr.jpg").write_bytes(scan(pages[0], random.Random(4), quality=80))
    (scans / "shaded.jpg").write_bytes(scan(pages[0], random.Random(0), quality=80, faults=("shadow",)))
    covered = pages[0].copy()
    px = 200 / 25.4
    cv2.rectangle(covered, (int(40 * px), int(280 * px)), (int(170 * px), int(286 * px)), 0, -1)  # the stamp, inked over
    (scans / "both.jpg").write_bytes(scan(covered, random.Random(5), quality=80))
    first = mark([scans], built, jobs=1)
    placed = {p.scan: p for p in first.pages}
    for name in ("qr.jpg", "shaded.jpg"):
        assert placed[name].problem is None and placed[name].code["version"] == filled.version, name
    assert placed["both.jpg"].problem is not None
    line = next(r for r in first.reviews if r.scan == "both.jpg")
    assert line.question == "page" and "give its version as the decision" in line.problem
    review = tmp_path / "review.csv"
    review.write_text(f"scan,page,question,row,decision\nboth.jpg,1,page,,{filled.version} {layout['code']}\n",
                      encoding="utf-8")
    second = mark([scans], built, review=review, jobs=1)
    assert all(p.problem is None for p in second.pages)
    twice = [s for s in second.students if s.number == filled.student]
    assert len(twice) == 3  # the same sheet three times: all kept (and listed), read alike
    for other in twice[1:]:
        for n, points in twice[0].scores.items():
            assert points is None or other.scores[n] is None or points == other.scores[n]


def _descendants(pid: int) -> list[int]:
    """The processes started by `pid` and by those (Linux: /proc/PID/task/*/children)."""
    import os

    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                children = []
            found += children
            todo += children
    return found


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="finds the workers through /proc (Linux)")
@pytest.mark.parametrize("started", [2, 4], ids=["pool-starting", "workers-reading"])
def test_ctrl_c_while_mark_reads_real_scans_is_one_line_exit_130_and_nothing_half_written(built, classroom, tmp_path, started):
    """Ctrl-C (SIGINT to the whole foreground process group, as a terminal sends it) as the pool
    reading the class's scans starts (its first two processes: the resource tracker and the fork
    server) and once two workers read: the earlier marking in --out stays as it was."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder, students, _ = classroom
    out = tmp_path / "marks"
    out.mkdir()
    earlier = {"marks.csv": b"number,total\n123456,7\n", "review.csv": b"page,question,decision\n"}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    scans = [str(folder / f) for s in students for f in s.files]
    with open(tmp_path / "stderr", "w+b") as stderr:
        run = subprocess.Popen([sys.executable, "-m", "generator", "mark", *scans, "--key", str(built), "--out", str(out),
                                "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 120
        while len(_descendants(run.pid)) < started and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)  # polling for the workers, not a delay: the signal comes as soon as they run
        assert run.poll() is None, "mark ended before its workers were seen"
        os.killpg(run.pid, signal.SIGINT)
        code = run.wait(timeout=60)
        stderr.seek(0)
        err = stderr.read().decode(errors="replace")
    assert code == 130, err
    assert err.splitlines() == ["quizgen: interrupted; no output was changed."], err
    assert "Traceback" not in err and "leaked semaphore" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier  # no staging folder, no half file
