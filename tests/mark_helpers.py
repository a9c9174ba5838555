"""Filling printed answer sheets as students would, and scanning them as an office scanner would.

A sheet's PDF page is rendered with pypdfium2, marks are drawn with OpenCV where the sheet's layout
puts the bubbles (pen marks, light pencil, erased marks with a new one beside), then the page is
"scanned": turned, scaled, shifted, skewed, noised, blurred and saved as a poor JPEG.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import cv2
import numpy as np
import pypdfium2 as pdfium

from generator.builders.quiz.answer_sheet import RADIUS


def render_pages(pdf: bytes, dpi: int) -> list[np.ndarray]:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            array = page.render(scale=dpi / 72, grayscale=True).to_numpy()
            pages.append(np.ascontiguousarray(array[:, :, 0] if array.ndim == 3 else array))
        return pages
    finally:
        document.close()


@dataclass
class Filled:
    """What a simulated student did, and what a correct marker must conclude."""

    student: str
    version: str
    marks: dict[tuple[int, str], list[tuple[str, str]]] = field(default_factory=dict)  # (q, row): [(value, style)]
    expected_review: set[tuple[int, str]] = field(default_factory=set)  # rows a person must decide
    expected_values: dict[tuple[int, str], str | None] = field(default_factory=dict)  # clear rows: value read
    total: float = 0.0  # of the questions scored without review
    scores: dict[int, float | None] = field(default_factory=dict)  # None: under review
    intent: dict[tuple[int, str], str | None] = field(default_factory=dict)  # what the teacher will decide
    full: dict[int, float] = field(default_factory=dict)  # the points once every doubt is decided
    files: list[str] = field(default_factory=list)  # the scans of the sheet
    unreadable: bool = False  # the student number is bubbled so that nobody can read it


def draw_mark(image: np.ndarray, x_mm: float, y_mm: float, dpi: int, style: str, rng: random.Random) -> None:
    px = dpi / 25.4
    cx = (x_mm + rng.uniform(-0.25, 0.25)) * px
    cy = (y_mm + rng.uniform(-0.25, 0.25)) * px
    centre = (int(round(cx)), int(round(cy)))
    if style == "clear":  # a pen or dark pencil, nearly filling the bubble
        radius = int(round(RADIUS * rng.uniform(0.8, 0.95) * px))
        cv2.circle(image, centre, radius, rng.randint(15, 70), -1, cv2.LINE_AA)
    elif style == "light":  # a hard pencil, pressed lightly
        radius = int(round(RADIUS * rng.uniform(0.8, 0.9) * px))
        cv2.circle(image, centre, radius, rng.randint(145, 160), -1, cv2.LINE_AA)
    elif style == "erased":  # what a rubber leaves of a mark
        radius = int(round(RADIUS * rng.uniform(0.8, 0.9) * px))
        cv2.circle(image, centre, radius, rng.randint(190, 200), -1, cv2.LINE_AA)
    else:
        raise ValueError(style)


def fill(pages: list[np.ndarray], layout: dict, filled: Filled, dpi: int, rng: random.Random) -> list[np.ndarray]:
    """The sheet's pages with the student's marks and number drawn on them."""
    result = [p.copy() for p in pages]
    for page_number, image in enumerate(result, start=1):
        page = layout["pages"][page_number - 1]
        for column, digit in zip(page["student"], filled.student):
            if digit != "?":
                bubble = column[int(digit)]
                draw_mark(image, bubble["x"], bubble["y"], dpi, "clear", rng)
        for question in layout["questions"]:
            if question["page"] != page_number:
                continue
            for row in question["rows"]:
                for value, style in filled.marks.get((question["number"], row["name"]), []):
                    bubble = next(b for b in row["bubbles"] if b["value"] == value)
                    draw_mark(image, bubble["x"], bubble["y"], dpi, style, rng)
    return result


def scan(image: np.ndarray, rng: random.Random, upside_down: bool = False, quality: int = 40) -> bytes:
    """The page as a poor scanner or phone app gives it: a JPEG, turned, scaled, shifted, skewed, noisy, blurred."""
    pad = int(0.06 * image.shape[1])  # the scanner's glass is larger than the sheet
    image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=215)
    h, w = image.shape
    angle = rng.uniform(-5, 5)
    scale = rng.uniform(0.97, 1.03)
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    rotation[0, 2] += rng.uniform(-0.02, 0.02) * w  # a shift
    rotation[1, 2] += rng.uniform(-0.02, 0.02) * h
    affine = np.vstack([rotation, [0, 0, 1]])
    skew = np.array([[1, 0, 0], [0, 1, 0], [rng.uniform(-3e-5, 3e-5), rng.uniform(-3e-5, 3e-5), 1]])
    centre = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]])
    back = np.array([[1, 0, w / 2], [0, 1, h / 2], [0, 0, 1]])
    transform = back @ skew @ centre @ affine
    out = cv2.warpPerspective(image, transform, (w, h), flags=cv2.INTER_LINEAR, borderValue=215)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.0))
    out = cv2.convertScaleAbs(out, alpha=rng.uniform(0.9, 1.0))  # a greyer paper
    cv2.setRNGSeed(rng.randint(0, 2**31))
    noise = np.empty(out.shape, np.int16)
    cv2.randn(noise, 0, 7)
    out = cv2.add(out, noise, dtype=cv2.CV_8U)  # saturating at 0 and 255
    if upside_down:
        out = cv2.rotate(out, cv2.ROTATE_180)
    ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()
