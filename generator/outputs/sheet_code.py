"""The answer sheet's printed geometry and its code, shared by the builder (quiz/answer_sheet.py, which
lays the sheet out) and `quizgen mark` (which reads it): kept out of the quiz builder's package so
that marking does not import the builder (its selection and giveaway checks, about 0.1 s a run).
"""

from __future__ import annotations

import hashlib
from typing import Any

FORMAT = 1
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}  # as a teacher says them
MARKER_IDS = {"a4": (0, 1, 2, 3), "letter": (4, 5, 6, 7)}  # top-left, top-right, bottom-right, bottom-left
# The bits of ArUco dictionary 4x4_50's markers 0-7 (1 = black), inside their one-cell black border.
ARUCO_BITS = {
    0: ("0100", "1010", "1100", "1101"),
    1: ("1111", "0000", "0110", "0101"),
    2: ("1100", "1100", "1101", "0010"),
    3: ("0110", "0110", "1011", "1001"),
    4: ("1010", "1011", "0110", "0001"),
    5: ("1000", "0110", "0011", "0010"),
    6: ("0110", "0001", "1101", "0001"),
    7: ("0011", "1011", "0000", "1101"),
}
MARKER = 9.0  # side of a marker, border included
INSET = 9.0  # from the paper's edge to a marker
QR_SIZE = 24.0
RADIUS = 2.0  # of a bubble


DEFAULT_PAPER = "a4"
DEFAULT_DIGITS = 6  # of the student number
# The revision of the answer sheet's geometry (generator/outputs/quiz/answer_sheet.py: its constants
# and how it sets each kind's rows): raise it with any change that moves a bubble, so that every
# sheet's code changes with it (tests/test_mark_layout.py pins the bundled article's default layout).
LAYOUT = 1


def layout_terms(paper: str, digits: int) -> tuple[tuple[str, int, str, int], ...]:
    """What a sheet's code folds in, beside its questions, about where its answer sheet's bubbles are:
    the paper (which also decides the number of pages), the student number's digits and the geometry's
    revision. Nothing for the default layout (A4, 6 digits, revision 1), so that the code of a sheet in
    the default layout stays the code it had before the layout was folded in: sheets printed then are
    still marked with a teacher file built again from the same questions. Everything else that moves
    a bubble (the questions, their order, kinds, choices, events, blanks and points) is in the code
    already (`Sheet.code`)."""
    if (paper, digits, LAYOUT) == (DEFAULT_PAPER, DEFAULT_DIGITS, 1):
        return ()
    return (("answer sheet", LAYOUT, paper, digits),)


def slug_hash(slug: str) -> str:
    return hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8]


STAMP_BITS = 20  # the version stamp along the bottom edge: read when the QR code is not
STAMP_CELL = 2.4  # mm, a square, with STAMP_GAP between
STAMP_GAP = 1.0


def stamp_bits(payload_text: str) -> str:
    """The page's version stamp, as bits: a hash of its code's article, version, code and page (not the
    seed), so a page whose QR code is struck through or stained is still matched to its teacher file."""
    head = ";".join(payload_text.split(";", 5)[:5])
    digest = int.from_bytes(hashlib.sha256(head.encode("utf-8")).digest()[:4], "big")
    return format(digest % (1 << STAMP_BITS), f"0{STAMP_BITS}b")


def stamp_cells(paper: str) -> list[tuple[float, float]]:
    """The top-left corner (mm) of each of the stamp's squares, centred between the bottom markers."""
    width, height = PAPER_MM[paper]
    span = STAMP_BITS * (STAMP_CELL + STAMP_GAP) - STAMP_GAP
    x0, y0 = (width - span) / 2, height - INSET - MARKER / 2 - STAMP_CELL / 2
    return [(round(x0 + i * (STAMP_CELL + STAMP_GAP), 2), round(y0, 2)) for i in range(STAMP_BITS)]


def parse_payload(text: str) -> dict[str, Any] | None:
    """The fields of a page's code, or None when it is not one of ours."""
    parts = text.split(";", 5)
    if len(parts) != 6 or parts[0] != f"QZ{FORMAT}" or "/" not in parts[4]:
        return None
    page, _, pages = parts[4].partition("/")
    if not (page.isdigit() and pages.isdigit()):
        return None
    return {"slug_hash": parts[1], "version": None if parts[2] == "-" else parts[2], "code": parts[3],
            "page": int(page), "pages": int(pages), "seed": parts[5]}
