"""The annotated copy of a student's sheet: every mark circled right or wrong, the points, the total."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import cv2
import numpy as np

from generator.outputs.quiz.answer_sheet import RADIUS
from generator.tools.mark.bubbles import PX
from generator.tools.mark.grade import Student, _fmt
from generator.tools.mark.read import Page

GREEN = (0, 150, 0)
RED = (0, 0, 220)
ORANGE = (0, 140, 255)
BLUE = (200, 90, 0)


CIRCLE = int(round((RADIUS + 0.9) * PX))  # just outside the printed bubble, so the mark stays visible


def _at(x: float, y: float) -> tuple[int, int]:
    return int(round(x * PX)), int(round(y * PX))


def annotate(student: Student) -> bytes:
    """A PDF of the student's pages, upright, with the marking drawn on them in colour."""
    pages = sorted(student.pages, key=lambda p: p.code["page"] if p.code else 0)
    return pdf_of([(_annotated_page(student, page), student.data["size"]) for page in pages])


def _annotated_page(student: Student, page: Page) -> bytes:
    """The page as a JPEG with every question's marking and the student's total drawn on it."""
    assert page.image is not None and page.code is not None
    canvas = cv2.cvtColor(page.image, cv2.COLOR_GRAY2BGR)
    for question in student.data["questions"]:
        if question["page"] == page.code["page"]:
            _draw_question(canvas, student, question)
    _draw_total(canvas, student)
    ok, jpeg = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return jpeg.tobytes()


def _draw_question(canvas: np.ndarray, student: Student, question: dict[str, Any]) -> None:
    number = question["number"]
    for row in question["rows"]:
        chosen = student.answers.get((number, row["name"]), "?")
        if chosen != "?":  # "?": not decided, under review: nothing to circle yet
            _circle_row(canvas, row, chosen, _right(question, row["name"]))
    _draw_points(canvas, question, student.scores.get(number))


def _circle_row(canvas: np.ndarray, row: dict[str, Any], chosen: str | None, right: str | None) -> None:
    """Circle the value used in green (right) or red (wrong), and the right one in blue when it was not chosen."""
    for bubble in row["bubbles"]:
        centre = _at(bubble["x"], bubble["y"])
        if bubble["value"] == chosen:
            good = right is None or chosen == right  # a written answer's score row has no right value
            cv2.circle(canvas, centre, CIRCLE, GREEN if good else RED, 3, cv2.LINE_AA)
        elif right is not None and bubble["value"] == right:
            cv2.circle(canvas, centre, CIRCLE, BLUE, 2, cv2.LINE_AA)


def _draw_points(canvas: np.ndarray, question: dict[str, Any], score: float | None) -> None:
    """The question's points after its last bubble, or "review" and an orange frame when it is not scored."""
    if score is None:
        last = question["rows"][-1]["bubbles"][-1]
        x, y = _at(question["x"] - 1.0, question["y"] + 1.0)
        cv2.rectangle(canvas, (x, y - 2), _at(question["x"] + 46, last["y"] + RADIUS + 1), ORANGE, 3)
        label, colour = "review", ORANGE
    else:
        label, colour = _fmt(score), GREEN if score else RED
    end = max(b["x"] for r in question["rows"] for b in r["bubbles"])
    cv2.putText(canvas, label, _at(end + 4.5, question["rows"][0]["bubbles"][0]["y"] + 1.5),
                cv2.FONT_HERSHEY_SIMPLEX, 0.9, colour, 2, cv2.LINE_AA)


def _draw_total(canvas: np.ndarray, student: Student) -> None:
    data = student.data
    name = unicodedata.normalize("NFKD", student.name).encode("ascii", "ignore").decode()  # the font is ASCII
    text = f"Student {student.number or '?'}{'  ' + name if name else ''}  Total {_fmt(student.total)} / {data['total']}"
    if student.pending:
        text += f"  ({student.pending} to review)"
    # at the foot, between the lower markers, over the version stamp (white behind the words)
    at = _at(22, data["size"][1] - 12.5)
    (width, height), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
    cv2.rectangle(canvas, (at[0] - 4, at[1] - height - 6), (at[0] + width + 4, at[1] + 8), (255, 255, 255), -1)
    cv2.putText(canvas, text, at, cv2.FONT_HERSHEY_SIMPLEX, 1.2, RED, 3, cv2.LINE_AA)


def pdf_of(pages: list[tuple[bytes, list[float]]]) -> bytes:
    """A PDF with one JPEG (embedded as it is) filling each page of the size given in mm."""
    # pypdfium2 (the [mark] extra): only when the marked papers are written as a PDF
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    try:
        for jpeg, (width_mm, height_mm) in pages:
            width, height = width_mm / 25.4 * 72, height_mm / 25.4 * 72
            page = document.new_page(width, height)
            image = pdfium.PdfImage.new(document)
            image.load_jpeg(io.BytesIO(jpeg), inline=True)
            image.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(image)
            page.gen_content()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def _right(question: dict, row: str) -> str | None:
    answer = question["answer"]
    if isinstance(answer, dict):
        return answer.get(row)
    if row:  # a true/false question's ✎ row: the teacher's own ✓ or ✗, neither right nor wrong
        return None
    return answer


__all__ = ["annotate"]
