"""The answer sheet: one layout description, in millimetres, that both prints the sheet and reads it.

`layout(sheet)` places every registration marker, the machine-readable code, the student-number
grid and every bubble on the page, in millimetres from the paper's top-left corner. The printed page
(`sheet.html.j2`) draws exactly those shapes with absolute positions in an SVG of the paper's size,
and the teacher file `<slug>-sheet[-A].json` carries the same description with the right answers, so
`quizgen mark` reads the bubbles where they were drawn; nothing is measured in the rendered HTML.

The four corners carry ArUco markers (dictionary 4x4_50: ids 0-3 on A4, 4-7 on Letter), which tell
which corner is which, so a page scanned upside down is found as well as one scanned upright.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any, cast

from generator.kinds.registry import REGISTRY
from generator.kinds.scoring import CORRECTION, TENS, UNITS, Written  # rows: a true/false's ✎, a score's 10s, 1s
from generator.outputs.quiz.sheet import Item, Sheet
from generator.outputs.sheet_code import (  # the geometry and code `quizgen mark` reads too
    ARUCO_BITS,
    FORMAT,
    INSET,
    MARKER,
    MARKER_IDS,
    PAPER_MM,
    QR_SIZE,
    RADIUS,
    STAMP_CELL,
    slug_hash,
    stamp_bits,
    stamp_cells,
)

PITCH = 6.5  # between bubbles in a row, and between rows
COLUMN = 46.0  # width of a column of questions
GAP = 4.0  # between columns
FIRST_BUBBLE = 12.0  # from a column's left edge to its first bubble's centre
STUDENT_TOP = 46.0  # the student-number label
DIGIT_PITCH = 5.4  # between the rows 0-9 of the student-number grid
# How each kind is answered on the sheet (its registration's `bubbles`): a letter, T or F, a number
# per event, or (written answers) a score the teacher bubbles.
MOST_SCORES = 12  # up to this many points, one bubble a score (0, ½, 1, 2, ...); beyond, tens and units


def payload(sheet: Sheet, page: int, pages: int) -> str:
    """What the page's QR code says: format, article, version, code, page and the seed (last: it may hold `;`)."""
    return f"QZ{FORMAT};{slug_hash(sheet.found.article.slug)};{sheet.version or '-'};{sheet.code};{page}/{pages};{sheet.options.seed}"


def score_values(kind: str, points: int, unit: int) -> list[str]:
    """The scores a teacher can bubble for a written answer, as the key's rule gives them (its kind's
    scoring says: a short answer 0, half or all its points; a cloze 0 or a whole number of blanks' points)."""
    return cast(Written, REGISTRY[kind].scoring).score_values(points, unit)  # written: the contract checks it


@dataclass
class _Block:
    item: Item
    kind: str
    rows: list[tuple[str, list[str]]]  # (row name: "" or an event's letter, the values of its bubbles)

    @property
    def header(self) -> bool:
        """Whether the number goes on a line of its own above named rows (events, tens and units)."""
        return bool(self.rows[0][0])

    @property
    def height(self) -> float:
        lines = sum(_lines(len(values)) for _, values in self.rows)
        return lines * PITCH + (PITCH * 0.6 if self.header else 0) + 1.0


def _per_line() -> int:
    return int((COLUMN - FIRST_BUBBLE) // PITCH) + 1


def _lines(n: int) -> int:
    return max(1, -(-n // _per_line()))


def _block(kind: str, item: Item) -> _Block:
    if REGISTRY[kind].bubbles == "letter":
        return _Block(item, kind, [("", [c.letter for c in item.choices])])
    if REGISTRY[kind].bubbles == "truefalse":  # the key: "F circled without a correction earns half"
        return _Block(item, kind, [("", ["T", "F"]), (CORRECTION, ["0", "1"])])
    if REGISTRY[kind].bubbles == "events":
        n = len(item.events)
        return _Block(item, kind, [(p.letter, [str(i) for i in range(1, n + 1)]) for p in item.events])
    values = score_values(kind, item.points, item.unit)
    if len(values) > MOST_SCORES + 1:  # tens and units: the score is 10 x tens + units
        return _Block(item, kind, [(TENS, [str(i) for i in range(item.points // 10 + 1)]),
                                   (UNITS, [str(i) for i in range(10)])])
    return _Block(item, kind, [("", values)])


def _answer(kind: str, item: Item) -> Any:
    if REGISTRY[kind].bubbles == "letter":
        right = item.right_choice
        return right.letter if right else None
    if REGISTRY[kind].bubbles == "truefalse":
        return "T" if getattr(item.question, "answer", False) else "F"
    if REGISTRY[kind].bubbles == "events":
        return {p.letter: str(p.position) for p in item.events}
    return None  # the teacher scores it


def _digits(sheet: Sheet, digits: int | None) -> int:
    """The sheet's student digits, which its code is made for; `digits`, when given, must be them."""
    if digits is not None and digits != sheet.options.student_digits:
        raise ValueError(f"the sheet's code is made for {sheet.options.student_digits} student digits, not {digits}")
    return sheet.options.student_digits


def layout(sheet: Sheet, digits: int | None = None) -> dict[str, Any]:
    """Where everything goes on every page of the answer sheet of `sheet`, in mm, with the answers.

    Its paper and student digits are the sheet's options' (`digits`, when given, must be the same):
    the sheet's code, which `quizgen mark` finds the teacher file by, is made from them
    (sheet_code.layout_terms). Any change here that moves a bubble raises sheet_code.LAYOUT."""
    digits = _digits(sheet, digits)
    width, height = PAPER_MM[sheet.paper]
    ids = MARKER_IDS[sheet.paper]
    corners = [(INSET, INSET), (width - INSET - MARKER, INSET), (width - INSET - MARKER, height - INSET - MARKER),
               (INSET, height - INSET - MARKER)]
    left = INSET + MARKER + 3.0
    bottom = height - INSET - MARKER - 3.0
    grid_right = left + 8.0 + digits * 6.0
    student_bottom = STUDENT_TOP + 10.0 + 10 * DIGIT_PITCH + 2.0
    count = max(1, int((width - 2 * left + GAP) // (COLUMN + GAP)))
    xs = [left + i * (COLUMN + GAP) for i in range(count)]

    def columns() -> list[tuple[float, float]]:
        # beside the student-number grid, columns start right under the header; under it, lower down
        return [(x, STUDENT_TOP if x >= grid_right + 3.0 else student_bottom) for x in xs]

    blocks = [_block(section.kind, item) for section in sheet.sections for item in section.items]
    pages: list[list[tuple[_Block, float, float]]] = [[]]
    cols = columns()
    col, y = 0, cols[0][1]
    for block in blocks:
        fits_somewhere = any(top + block.height <= bottom for _, top in cols)
        while y + block.height > bottom and (fits_somewhere or y > cols[col][1]):
            col += 1
            if col == len(cols):
                pages.append([])
                col = 0
            y = cols[col][1]
        pages[-1].append((block, cols[col][0], y))
        y += block.height
    total = len(pages)
    questions: list[dict[str, Any]] = []
    page_list: list[dict[str, Any]] = []
    for number, placed in enumerate(pages, start=1):
        student = [
            [{"value": str(d), "x": round(left + 8.0 + c * 6.0 + 3.0, 2),
              "y": round(STUDENT_TOP + 10.0 + d * DIGIT_PITCH + DIGIT_PITCH / 2, 2)} for d in range(10)]
            for c in range(digits)
        ]
        page_list.append({
            "page": number,
            "payload": payload(sheet, number, total),
            "qr": [round(width - INSET - MARKER - 3.0 - QR_SIZE, 2), INSET, QR_SIZE],
            "student": student,
            "questions": [b.item.number for b, _, _ in placed],
        })
        for block, x, top in placed:
            rows = []
            y = top + (PITCH * 0.6 if block.header else 0)
            for name, values in block.rows:
                bubbles = []
                for i, value in enumerate(values):
                    line, place = divmod(i, _per_line())
                    bubbles.append({"value": value, "x": round(x + FIRST_BUBBLE + place * PITCH, 2),
                                    "y": round(y + line * PITCH + PITCH * 0.62, 2)})
                rows.append({"name": name, "bubbles": bubbles})
                y += _lines(len(values)) * PITCH
            questions.append({
                "number": block.item.number, "kind": block.kind, "points": block.item.points,
                "unit": block.item.unit, "page": number, "x": round(x, 2), "y": round(top, 2),
                "answer": _answer(block.kind, block.item), "rows": rows,
                "id": block.item.question.id,  # the same question in every version: item analysis
                "choices": {c.letter: c.text for c in block.item.choices},
            })
    return {
        "format": FORMAT, "slug": sheet.found.article.slug, "slug_hash": slug_hash(sheet.found.article.slug),
        "title": sheet.title, "version": sheet.version, "seed": sheet.options.seed, "code": sheet.code,
        "paper": sheet.paper, "size": [width, height], "marker_ids": list(ids), "marker_size": MARKER,
        "markers": [[round(x, 2), round(y, 2)] for x, y in corners], "radius": RADIUS,
        "digits": digits, "total": sheet.total, "pages": page_list, "questions": questions,
    }


def name_direction(name: str) -> str:
    """"rtl" or "ltr": the direction of a student's name as HTML's `dir="auto"` finds it, by its first
    strongly directional character (Unicode's rule P2: Hebrew and Arabic letters are right to left;
    Arabic-Indic digits are not strong, so "٣ Ali" is left to right). SVG text has no `dir="auto"`."""
    for char in name:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def layout_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def marker_cells(marker_id: int) -> list[tuple[int, int]]:
    """The black cells (row, column) of a marker in its 6x6 grid, border included."""
    bits = ARUCO_BITS[marker_id]
    return [(r, c) for r in range(6) for c in range(6)
            if r in (0, 5) or c in (0, 5) or bits[r - 1][c - 1] == "1"]


def qr_cells(text: str) -> tuple[int, list[tuple[int, int]]]:
    """The QR code of `text`: its size in modules and its dark modules (row, column)."""
    # segno: only when a sheet's QR code is drawn, not for `quizgen mark`, which reads them
    import segno

    code = segno.make(text, error="m", micro=False)
    matrix = code.matrix
    return len(matrix), [(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v]


def _squares(cells: list[tuple[int, int]], x: float, y: float, size: float) -> str:
    """An SVG path of unit squares `size` wide, at (x, y) plus the cells' offsets."""
    return "".join(f"M{x + c * size:.3f} {y + r * size:.3f}h{size:.3f}v{size:.3f}h-{size:.3f}z" for r, c in cells)


def drawing(data: dict[str, Any]) -> list[dict[str, Any]]:
    """What each printed page draws, from the layout: marker and QR paths, bubbles with their labels."""
    cell = data["marker_size"] / 6
    marker_path = "".join(
        _squares(marker_cells(i), x, y, cell) for i, (x, y) in zip(data["marker_ids"], data["markers"])
    )
    result = []
    for page in data["pages"]:
        x, y, size = page["qr"]
        modules, dark = qr_cells(page["payload"])
        qr_path = _squares(dark, x, y, size / modules)
        on_page = [{**q, "right": max(b["x"] for row in q["rows"] for b in row["bubbles"]),
                    "bubbles": REGISTRY[q["kind"]].bubbles}  # how its rows are drawn (not in the sheet's JSON)
                   for q in data["questions"] if q["page"] == page["page"]]
        stamp = "".join(f"M{cx:.2f} {cy:.2f}h{STAMP_CELL}v{STAMP_CELL}h-{STAMP_CELL}z"
                        for (cx, cy), bit in zip(stamp_cells(data["paper"]), stamp_bits(page["payload"])) if bit == "1")
        result.append({"page": page, "markers": marker_path, "qr": qr_path, "stamp": stamp, "questions": on_page})
    return result
