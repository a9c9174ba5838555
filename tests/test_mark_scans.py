"""Which files `quizgen mark` reads as scans, and every page of each: a multi-page TIFF (what office
scanners write for a class), a folder's images under any name OpenCV reads them by (.jfif, .jpe, .gif),
a word for each file of a folder it does not read, and never the annotated PDFs of its own last marking.
"""

from __future__ import annotations

import json
import random

import pytest
from conftest import ROOT

cv2 = pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")
pytest.importorskip("pypdfium2", reason="pypdfium2 is in the mark and test extras")

import numpy as np  # noqa: E402
from mark_helpers import fill, render_pages, scan, simulate  # noqa: E402

from generator.errors import UsageError  # noqa: E402
from generator.sources.userfiles import IMAGE_FORMATS, IMAGE_NAMES, read_image, tiff_pages  # noqa: E402
from generator.tools.mark import RECORD, _scan_files, mark  # noqa: E402
from generator.tools.mark.scans import close_documents, count_pages, load_page  # noqa: E402

SLUG = "israels-hushed-military-ties-with-russia"
DPI = 150


def _pages(count: int, size: tuple[int, int] = (120, 90)) -> list[np.ndarray]:
    """`count` grey pages, each of its own shade and size."""
    return [np.full((size[0] + 10 * i, size[1] + 5 * i), 40 + 60 * i, np.uint8) for i in range(count)]


def _tiff(pages: list[np.ndarray]) -> bytes:
    ok, data = cv2.imencodemulti(".tif", pages)
    assert ok
    return data.tobytes()


# -- a multi-page TIFF -------------------------------------------------------------------------------

def test_every_page_of_a_tiff_is_counted_bounded_and_read(tmp_path):
    pages = _pages(3)
    path = tmp_path / "class.tif"
    path.write_bytes(_tiff(pages))
    assert tiff_pages(path.read_bytes()) == [(p.shape[1], p.shape[0]) for p in pages]
    try:
        assert count_pages(path) == 3
        for index, page in enumerate(pages, start=1):
            gray, jpeg = load_page(path, index)
            assert jpeg is None and gray is not None and np.array_equal(gray, page)
    finally:
        close_documents()
    # each page's pixels are counted before anything is decoded, not only the first page's
    small, large = np.zeros((10, 10), np.uint8), np.zeros((100, 100), np.uint8)
    path.write_bytes(_tiff([small, large]))
    with pytest.raises(UsageError, match=r"class\.tif: page 2 is 100 × 100 pixels; the limit is 1,000 pixels"):
        read_image(path, max_pixels=1_000)


def _next_page(data: bytearray, offset: int) -> None:
    """The first page's directory pointed at `offset` as the next page's."""
    first = int.from_bytes(data[4:8], "little")
    count = int.from_bytes(data[first:first + 2], "little")
    data[first + 2 + 12 * count:first + 6 + 12 * count] = offset.to_bytes(4, "little")


def test_a_tiff_whose_directories_loop_is_read_once(tmp_path):
    data = bytearray(_tiff(_pages(1)))
    _next_page(data, int.from_bytes(data[4:8], "little"))  # the next page: itself
    assert tiff_pages(bytes(data)) == [(90, 120)]
    assert tiff_pages(b"\xff\xd8\xff\xe0" + bytes(data[4:])) == []  # a JPEG named .tif: not a TIFF's pages


def test_a_damaged_tiff_page_is_said_not_read_and_never_decoded(tmp_path):
    data = bytearray(_tiff(_pages(3)))
    _next_page(data, len(data) + 100)  # page 2's directory is past the end of the file: page 3 is lost with it
    path = tmp_path / "class.tif"
    path.write_bytes(bytes(data))
    assert tiff_pages(bytes(data)) == [(90, 120), None]
    try:
        assert count_pages(path) == 2
        assert load_page(path, 1)[0] is not None
        with pytest.raises(UsageError, match=r"class\.tif: page 2 cannot be read: its TIFF directory is damaged"):
            load_page(path, 2)
    finally:
        close_documents()


# -- what a folder holds -----------------------------------------------------------------------------

def test_a_folder_reads_every_image_name_and_says_what_it_does_not_read(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    ok, jpeg = cv2.imencode(".jpg", _pages(1)[0])
    readable = ["a.jfif", "b.JPE", "c.gif", "d.dib", "e.jpg", "f.tiff", "g.pdf", "h.webp"]
    for name in readable:
        (folder / name).write_bytes(jpeg.tobytes())  # a scan is read by what it holds; listed by its name
    told = ["IMG_0001.HEIC", "class-b/", "photo.avif", "scan.docx"]
    for name in told:
        (folder / name.rstrip("/")).mkdir() if name.endswith("/") else (folder / name).write_bytes(b"x")
    quiet = [".DS_Store", "Thumbs.db", "marks.csv", "review.html", "roster.xlsx", "notes.txt", "key.json"]
    for name in quiet:
        (folder / name).write_bytes(b"x")
    (folder / "marks").mkdir()  # an earlier marking's --out, inside the folder: a result, not forgotten scans
    (folder / "marks" / RECORD).write_text("")
    files, notes = _scan_files([folder])
    assert sorted(p.name for p in files) == sorted(readable)
    assert notes == [f"{folder}: 4 not read, neither a PDF nor a {IMAGE_NAMES} image by its name, or a subfolder "
                     f"(give it on its own): {', '.join(told)}"]
    # one list of formats: the names a folder is read by, and the message that names what quizgen reads
    assert {s for suffixes in IMAGE_FORMATS.values() for s in suffixes} >= {".jfif", ".jpe", ".gif", ".tif"}
    assert IMAGE_NAMES == "PNG, JPEG, TIFF, BMP, GIF or WebP"
    with pytest.raises(UsageError, match=rf"is not an image quizgen can read \({IMAGE_NAMES}\)"):
        read_image(folder / "scan.docx")


def test_many_files_not_read_are_counted_and_the_first_named(tmp_path):
    for i in range(8):
        (tmp_path / f"IMG_{i}.heic").write_bytes(b"x")
    with pytest.raises(UsageError) as error:
        _scan_files([tmp_path])
    assert str(error.value) == (
        f"no scan to mark: give PDF or image files (or folders of them); {tmp_path}: 8 not read, neither a PDF nor "
        f"a {IMAGE_NAMES} image by its name: IMG_0.heic, IMG_1.heic, IMG_2.heic, IMG_3.heic, IMG_4.heic and 3 more")


def test_the_annotated_pdfs_a_marking_wrote_among_the_scans_are_left_out_and_said(tmp_path):
    (tmp_path / "scan-1.jpg").write_bytes(b"x")
    for name in ("sheet-000001-quiz-A.pdf", "sheet-000002-quiz-B.pdf", "sheet-000003-quiz.pdf"):
        (tmp_path / name).write_bytes(b"%PDF")
    (tmp_path / RECORD).write_text("sheet-000001-quiz-A.pdf\nsheet-000002-quiz-B.pdf\n")
    note = f"{tmp_path}: left out 2 annotated PDFs that the last marking wrote there (listed in its {RECORD}): " \
           "results, not scans"
    files, notes = _scan_files([tmp_path])
    assert [p.name for p in files] == ["scan-1.jpg", "sheet-000003-quiz.pdf"]  # not in the record: the teacher's
    assert notes == [note]
    given = sorted(p for p in tmp_path.iterdir() if not p.name.startswith("."))  # `quizgen mark scans/*`
    files, notes = _scan_files(given)
    assert [p.name for p in files] == ["scan-1.jpg", "sheet-000003-quiz.pdf"] and notes == [note]


# -- marking real sheets -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sheets(tmp_path_factory, browser):
    """Version A of the bundled article's answer sheet, printed as `--pdf` prints it, filled by three
    students and scanned: (the build's folder, the students' numbers, their scanned pages, grey)."""
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
    sheet = out / f"{SLUG}-sheet-A.html"
    for printed in print_with(browser, [Output(sheet.name, sheet.read_bytes(), True)]):
        (out / printed.name).write_bytes(printed.data)
    layout = json.loads((out / f"{SLUG}-sheet-A.json").read_text(encoding="utf-8"))
    rendered = render_pages((out / f"{SLUG}-sheet-A.pdf").read_bytes(), DPI)
    assert len(rendered) == 1  # one page a student
    rng = random.Random(9)
    numbers, scans = [], []
    for i in range(3):
        filled = simulate(f"{314159 + 1111 * i:06d}", layout, rng)
        page = fill(rendered, layout, filled, DPI, rng)[0]
        scans.append(cv2.imdecode(np.frombuffer(scan(page, rng, dpi=DPI), np.uint8), cv2.IMREAD_GRAYSCALE))
        numbers.append(filled.student)
    return out, numbers, scans


def test_a_three_page_tiff_marks_three_students(sheets, tmp_path):
    built, numbers, scans = sheets
    path = tmp_path / "class.tif"
    path.write_bytes(_tiff(scans))
    result = mark([path], built, jobs=1)
    assert [(s.number, [p.source for p in s.pages]) for s in result.students] == [
        (number, [f"class.tif page {i}"]) for i, number in enumerate(numbers, start=1)]
    assert [p.source for p in result.pages] == ["class.tif page 1", "class.tif page 2", "class.tif page 3"]


def test_a_folder_of_jfif_jpe_and_gif_scans_is_read_whole_and_a_heic_named(sheets, tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app

    built, numbers, scans = sheets
    folder = tmp_path / "phone"
    folder.mkdir()
    for (name, ending), image in zip((("IMG_0001", ".jfif"), ("IMG_0002", ".jpe"), ("IMG_0003", ".gif")), scans):
        ok, data = cv2.imencode(".gif" if ending == ".gif" else ".jpg", cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
        assert ok
        (folder / f"{name}{ending}").write_bytes(data.tobytes())
    (folder / "IMG_0004.HEIC").write_bytes(b"\0\0\0\x18ftypheic")  # what an iPhone sends: OpenCV cannot read it
    out = tmp_path / "marks"
    result = CliRunner().invoke(app, ["mark", str(folder), "--key", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "marked 3 students from 3 pages" in result.output
    assert f"{folder}: 1 not read, neither a PDF nor a {IMAGE_NAMES} image by its name: IMG_0004.HEIC" \
        in result.output.splitlines()
    with open(out / "marks.csv", encoding="utf-8") as marks:
        rows = marks.read().splitlines()[1:]
    assert sorted(row.split(",")[0] for row in rows) == sorted(numbers)


def test_marking_into_the_scans_folder_twice_never_reads_its_own_annotated_pdfs(sheets, tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app

    built, numbers, scans = sheets
    folder = tmp_path / "class"
    folder.mkdir()
    for i, image in enumerate(scans):
        cv2.imwrite(str(folder / f"scan-{i}.jpg"), image)
    runs = [CliRunner().invoke(app, ["mark", str(folder), "--key", str(built), "--out", str(folder)])
            for _ in range(2)]
    assert all(run.exit_code == 0 for run in runs), [run.output for run in runs]
    assert "marked 3 students from 3 pages" in runs[0].output and "left out" not in runs[0].output
    assert "marked 3 students from 3 pages" in runs[1].output
    assert f"{folder}: left out 3 annotated PDFs that the last marking wrote there (listed in its {RECORD}): " \
           "results, not scans" in runs[1].output.splitlines()
    assert "removed" not in runs[1].output  # the same three sheets, written again under the same names
    assert len(list(folder.glob("sheet-*.pdf"))) == 3


def test_two_scans_of_one_name_are_refused_naming_both(sheets, tmp_path):
    """The review list names a page by its file's name: two folders' `scan.jpg` would share decisions."""
    from generator.errors import UsageError

    built, _, scans = sheets
    for folder in ("monday", "tuesday"):
        (tmp_path / folder).mkdir()
        assert cv2.imwrite(str(tmp_path / folder / "scan.jpg"), scans[0])
    with pytest.raises(UsageError) as refused:
        mark([tmp_path / "monday", tmp_path / "tuesday"], built, jobs=1)
    assert str(refused.value) == (f"two scans have the same file name: {tmp_path / 'monday' / 'scan.jpg'} and "
                                  f"{tmp_path / 'tuesday' / 'scan.jpg'}; the review list names scans by file name: "
                                  "rename one, or mark the folders one at a time")


def test_a_scans_format_is_told_by_its_first_bytes_not_its_name(tmp_path):
    """Scanners write a multi-page TIFF, or a PDF, named .jpg: every page of it is read, not page 1 only."""
    import pypdfium2 as pdfium

    from generator.tools.mark.scans import kind

    pages = _pages(3)
    tiff = tmp_path / "class.jpg"
    tiff.write_bytes(_tiff(pages))
    pdf = pdfium.PdfDocument.new()
    for _ in range(2):
        pdf.new_page(595, 842)
    named_png = tmp_path / "class.png"
    pdf.save(str(named_png))
    pdf.close()
    ok, jpeg = cv2.imencode(".jpg", pages[0])
    named_tif = tmp_path / "photo.tif"
    named_tif.write_bytes(jpeg.tobytes())
    assert [kind(p) for p in (tiff, named_png, named_tif)] == ["tiff", "pdf", "image"]
    try:
        assert [count_pages(p) for p in (tiff, named_png, named_tif)] == [3, 2, 1]
        for index, page in enumerate(pages, start=1):
            gray, _ = load_page(tiff, index)
            assert gray is not None and np.array_equal(gray, page)
        gray, _ = load_page(named_png, 2)
        assert gray is not None and gray.shape == (round(842 * 200 / 72), round(595 * 200 / 72))
        gray, data = load_page(named_tif, 1)
        assert gray is not None and data == jpeg.tobytes()
    finally:
        close_documents()
    assert kind(tmp_path / "gone.pdf") == "pdf" and kind(tmp_path / "gone.tiff") == "tiff"  # by name: said when read


def test_a_gif_that_this_opencv_cannot_read_is_refused_in_one_line(tmp_path, monkeypatch):
    """OpenCV reads GIF from 4.12 (pyproject asks for 4.8 or later): with an older one, a GIF scan is
    refused in one line that says what to do, before any page is read, not listed as a page not placed."""
    from generator.tools.mark import scans

    folder = tmp_path / "phone"
    folder.mkdir()
    (folder / "IMG_0003.gif").write_bytes(scans._GIF)
    assert scans.kind(folder / "IMG_0003.gif") == "gif"
    if cv2.imdecode(np.frombuffer(scans._GIF, np.uint8), cv2.IMREAD_GRAYSCALE) is not None:
        assert scans.reads_gif() and count_pages(folder / "IMG_0003.gif") == 1  # an OpenCV that reads GIF
    monkeypatch.setattr(scans, "reads_gif", lambda: False)  # an older one
    from generator.tools.mark import _tasks

    with pytest.raises(UsageError) as refused:
        _tasks([folder / "IMG_0003.gif"])
    assert str(refused.value) == (
        f"{folder / 'IMG_0003.gif'}: is a GIF image, which this OpenCV ({cv2.__version__}) cannot read (OpenCV reads GIF "
        "from 4.12): pip install -U opencv-python-headless, or save the scans as PNG or JPEG")
