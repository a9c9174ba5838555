"""The annotated copy of a student's sheet: every mark circled right or wrong, the points, the total."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from generator.outputs.sheet_code import RADIUS
from generator.tools.mark.bubbles import PX
from generator.tools.mark.grade import Student, _fmt
from generator.tools.mark.pdf import POINTS, Drawing, jpeg_image, saved
from generator.tools.mark.read import Page
from generator.tools.mark.rules import rounded

GREEN = (0, 150, 0)
RED = (220, 0, 0)
ORANGE = (255, 140, 0)
BLUE = (0, 90, 200)
WHITE = (255, 255, 255)

CIRCLE = RADIUS + 0.9  # mm: just outside the printed bubble, so the mark stays visible
POINTS_SIZE = 12.0  # pt: a question's points
TOTAL_SIZE = 14.0  # pt: the student's total at the foot


def annotate(student: Student) -> bytes:
    """A PDF of the student's pages, upright, with the marking drawn on them in colour."""
    # pypdfium2 (the [mark] extra) writes the PDF
    import pypdfium2 as pdfium

    pages = sorted(student.pages, key=lambda p: p.code["page"] if p.code else 0)
    size = (float(student.data["size"][0]), float(student.data["size"][1]))
    pdf = pdfium.PdfDocument.new()
    try:
        for page in pages:
            sheet = pdf.new_page(size[0] * POINTS, size[1] * POINTS)
            drawing = Drawing(pdf, sheet, size[1])
            shown = _picture(drawing, page, size)
            for question in student.data["questions"]:
                if page.code is not None and question["page"] == page.code["page"]:
                    _draw_question(drawing, shown, student, question)
            drawing.draw_circles()
            _draw_total(drawing, shown, student)
            sheet.gen_content()
            sheet.close()
        return saved(pdf)
    finally:
        pdf.close()


Shown = Callable[[float, float], tuple[float, float]]  # a point of the paper (mm) to where it shows on the page


def _picture(drawing: Drawing, page: Page, size: tuple[float, float]) -> Shown:
    """Put the page's picture on the sheet: the scan's own JPEG when pdfium can embed it as it is (placed
    so that the paper stands upright; the paper's points show where the scan has them), else the
    upright page encoded."""
    embedded = jpeg_image(drawing.pdf, page.jpeg) if page.jpeg is not None and page.homography is not None else None
    if embedded is None:
        assert page.image is not None
        ok, jpeg = cv2.imencode(".jpg", page.image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        assert ok
        encoded = jpeg_image(drawing.pdf, jpeg.tobytes())
        assert encoded is not None
        height, width = page.image.shape[:2]  # the page from page.origin: all of it, or (a JPEG scan) its bubbles
        drawing.part(encoded[0], page.origin, (width / PX, height / PX))
        return lambda x, y: (x, y)
    assert page.homography is not None
    image, width, height = embedded
    # the affine map from the scan's pixels to the paper's mm nearest to the page's perspective one
    grid = np.array([(x, y) for x in np.linspace(0, size[0], 5) for y in np.linspace(0, size[1], 5)], np.float64)
    pixels = cv2.perspectiveTransform(grid.reshape(-1, 1, 2), page.homography).reshape(-1, 2)
    ok, affine = cv2.solve(np.hstack([pixels, np.ones((len(pixels), 1))]), grid, flags=cv2.DECOMP_SVD)
    (a, d), (b, e), (c, f) = affine
    k, top = POINTS, size[1] * POINTS
    drawing.image(image, (k * a * width, -k * d * width, -k * b * height, k * e * height, k * (b * height + c),
                          top - k * (e * height + f)))

    (h0, h1, h2), (h3, h4, h5), (h6, h7, h8) = page.homography.tolist()

    def shown(x: float, y: float) -> tuple[float, float]:
        w = h6 * x + h7 * y + h8
        u, v = (h0 * x + h1 * y + h2) / w, (h3 * x + h4 * y + h5) / w
        return a * u + b * v + c, d * u + e * v + f

    return shown


def _draw_question(drawing: Drawing, shown: Shown, student: Student, question: dict[str, Any]) -> None:
    number = question["number"]
    for row in question["rows"]:
        chosen = student.answers.get((number, row["name"]), "?")
        if chosen != "?":  # "?": not decided, under review: nothing to circle yet
            _circle_row(drawing, shown, row, chosen, _right(question, row["name"]))
    _draw_points(drawing, shown, question, student.scores.get(number))


def _circle_row(drawing: Drawing, shown: Shown, row: dict[str, Any], chosen: str | None, right: str | None) -> None:
    """Circle the value used in green (right) or red (wrong), and the right one in blue when it was not chosen."""
    for bubble in row["bubbles"]:
        if bubble["value"] == chosen:
            good = right is None or chosen == right  # a written answer's score row has no right value
            drawing.stroke(GREEN if good else RED, 0.6)
            drawing.circle(*shown(bubble["x"], bubble["y"]), CIRCLE)
        elif right is not None and bubble["value"] == right:
            drawing.stroke(BLUE, 0.4)
            drawing.circle(*shown(bubble["x"], bubble["y"]), CIRCLE)


def _draw_points(drawing: Drawing, shown: Shown, question: dict[str, Any], score: float | None) -> None:
    """The question's points after its last bubble, or "review" and an orange frame when it is not scored."""
    if score is None:
        last = question["rows"][-1]["bubbles"][-1]
        left, top, right, bottom = question["x"] - 1.0, question["y"] + 0.6, question["x"] + 46, last["y"] + RADIUS + 1
        drawing.stroke(ORANGE, 0.6)
        drawing.polygon([shown(left, top), shown(right, top), shown(right, bottom), shown(left, bottom)])
        label, colour = "review", ORANGE
    else:
        label, colour = _fmt(score), GREEN if score else RED
    end = max(b["x"] for r in question["rows"] for b in r["bubbles"])
    drawing.fill(colour)
    drawing.text(*shown(end + 4.5, question["rows"][0]["bubbles"][0]["y"] + 1.5), POINTS_SIZE, label)


def total_line(student: Student) -> str:
    """The line at the foot of the student's sheet: the total marks.csv and the gradebooks give (rounded
    as the key says), and the exact sum of the points drawn beside the questions when it differs, so that
    a student who adds them up sees where the half point went."""
    total = rounded(student.total)
    exact = "" if total == student.total else f" ({_fmt(student.total)} rounded)"
    text = f"Student {student.number or '?'}{'  ' + student.name if student.name else ''}  Total {total} / {student.data['total']}{exact}"
    if student.pending:
        text += f"  ({student.pending} to review)"
    return text


def _draw_total(drawing: Drawing, shown: Shown, student: Student) -> None:
    data = student.data
    text = total_line(student)
    # at the foot, between the lower markers, over the version stamp (white behind the words)
    x, y = shown(22, data["size"][1] - 12.5)
    drawing.fill(RED)
    drawing.text(x, y, TOTAL_SIZE, text, behind=WHITE)


def pdf_of(pages: list[tuple[bytes, list[float]]]) -> bytes:
    """A PDF with one JPEG (embedded as it is) filling each page of the size given in mm."""
    # pypdfium2 (the [mark] extra): only when the marked papers are written as a PDF
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    try:
        for jpeg, (width_mm, height_mm) in pages:
            page = pdf.new_page(width_mm * POINTS, height_mm * POINTS)
            embedded = jpeg_image(pdf, jpeg)
            assert embedded is not None, "not a JPEG pdfium can embed"
            Drawing(pdf, page, height_mm).whole_page(embedded[0], width_mm)
            page.gen_content()
        return saved(pdf)
    finally:
        pdf.close()


def _right(question: dict, row: str) -> str | None:
    answer = question["answer"]
    if isinstance(answer, dict):
        return answer.get(row)
    if row:  # a true/false question's ✎ row: the teacher's own ✓ or ✗, neither right nor wrong
        return None
    return answer


__all__ = ["annotate", "total_line"]
