"""The annotated copy of a student's sheet: every mark circled right or wrong, the points, the total."""

from __future__ import annotations

import io

import cv2

from generator.builders.quiz.answer_sheet import RADIUS
from generator.mark.grade import Student, _fmt
from generator.mark.read import PX

GREEN = (0, 150, 0)
RED = (0, 0, 220)
ORANGE = (0, 140, 255)
BLUE = (200, 90, 0)


def _at(x: float, y: float) -> tuple[int, int]:
    return int(round(x * PX)), int(round(y * PX))


def annotate(student: Student) -> bytes:
    """A PDF of the student's pages, upright, with the marking drawn on them in colour."""
    data = student.data
    questions = {q["number"]: q for q in data["questions"]}
    images = []
    radius = int(round((RADIUS + 0.9) * PX))
    for page in sorted(student.pages, key=lambda p: p.code["page"] if p.code else 0):
        assert page.image is not None and page.code is not None
        canvas = cv2.cvtColor(page.image, cv2.COLOR_GRAY2BGR)
        for number, question in questions.items():
            if question["page"] != page.code["page"]:
                continue
            score = student.scores.get(number)
            for row in question["rows"]:
                chosen = student.answers.get((number, row["name"]), "?")  # "?": not decided, under review
                for bubble in row["bubbles"]:
                    centre = _at(bubble["x"], bubble["y"])
                    if chosen == "?":
                        continue
                    right = _right(question, row["name"])
                    if bubble["value"] == chosen:
                        good = right is None or chosen == right
                        cv2.circle(canvas, centre, radius, GREEN if good else RED, 3, cv2.LINE_AA)
                    elif right is not None and bubble["value"] == right:
                        cv2.circle(canvas, centre, radius, BLUE, 2, cv2.LINE_AA)
            x, y = _at(question["x"] - 1.0, question["y"] + 1.0)
            if score is None:
                last = question["rows"][-1]["bubbles"][-1]
                cv2.rectangle(canvas, (x, y - 2), _at(question["x"] + 46, last["y"] + RADIUS + 1), ORANGE, 3)
                label = "review"
            else:
                label = _fmt(score)
            end = max(b["x"] for r in question["rows"] for b in r["bubbles"])
            cv2.putText(canvas, label, _at(end + 4.5, question["rows"][0]["bubbles"][0]["y"] + 1.5),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.9, ORANGE if score is None else (GREEN if score else RED), 2,
                        cv2.LINE_AA)
        number = student.number or "?"
        text = f"Student {number}  Total {_fmt(student.total)} / {data['total']}"
        if student.pending:
            text += f"  ({student.pending} to review)"
        # at the foot, between the lower markers, where nothing is printed
        cv2.putText(canvas, text, _at(22, data["size"][1] - 12.5), cv2.FONT_HERSHEY_SIMPLEX, 1.2, RED, 3, cv2.LINE_AA)
        ok, jpeg = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 80])
        assert ok
        images.append((jpeg.tobytes(), data["size"]))
    return pdf_of(images)


def pdf_of(pages: list[tuple[bytes, list[float]]]) -> bytes:
    """A PDF with one JPEG (embedded as it is) filling each page of the size given in mm."""
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
    return answer


__all__ = ["annotate"]
