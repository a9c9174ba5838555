"""Reading one scanned page of an answer sheet: where it is, which sheet it is, what is bubbled.

The four ArUco markers give the page's corners whatever its rotation (upside down included), scale
or perspective: a homography from their 16 corners maps the paper's millimetres onto the scan, and
the page is resampled upright at `PX` pixels a millimetre. The QR code then says which article,
version, code and page it is, and the teacher file of that version (`<slug>-sheet-A.json`) where
every bubble is. A bubble's fill is the mean darkness inside it, from 0 (paper) to 1 (the markers'
black), and is classed by `classify`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from generator.builders.quiz.answer_sheet import INSET, MARKER, MARKER_IDS, PAPER_MM, RADIUS, parse_payload
from generator.userfiles import check_page, read_bytes, read_image

PX = 5.0  # pixels a millimetre of the upright page
QR_PX = 6.0  # pixels a millimetre of the QR code's crop (a module is about 5)
DETECT_SIZE = 1000  # markers are looked for on a copy whose longer side is about this long
# Fill thresholds: under EMPTY a bubble is empty; from CLEAR on it is a clear mark; between, a light
# or erased mark that a person must look at.
EMPTY = 0.12
CLEAR = 0.55
INNER = 0.65  # the part of a bubble's radius that is read (its printed outline is left out)
DPI = 200  # PDF scans are rendered at this resolution
MAX_SCAN_BYTES = 200_000_000


@dataclass
class Row:
    """One row of bubbles as read: the fill of each, and what it says."""

    question: int  # 0 for the student number
    name: str  # an event's letter, a student-number column's index, or ""
    values: list[str]
    fills: list[float]
    status: str = "blank"  # "ok", "blank", "double", "light"
    value: str | None = None  # the bubbled value when "ok"


@dataclass
class Page:
    """One scanned page: where it came from and, when it was placed, its sheet and its rows."""

    source: str  # "scans.pdf page 3" or "img.jpg"
    scan: str  # the file
    index: int  # the page in the file, from 1
    problem: str | None = None  # why the page cannot be placed
    code: dict[str, Any] | None = None  # the QR code's fields
    key: str | None = None  # the teacher file it is marked with
    image: np.ndarray | None = field(default=None, repr=False)  # upright, PX a mm, grey
    rows: list[Row] = field(default_factory=list)


def count_pages(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(read_bytes(path, MAX_SCAN_BYTES))
        try:
            return len(document)
        finally:
            document.close()
    return 1


def load_page(path: Path, index: int) -> np.ndarray | None:
    """Page `index` (from 1) of a scan file, grey, or None when it cannot be read."""
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(read_bytes(path, MAX_SCAN_BYTES))
        try:
            page = document[index - 1]
            width, height = page.get_size()
            check_page(width, height, path)  # before rendering: a huge page is gigabytes of pixels
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            array = bitmap.to_numpy()
            return np.ascontiguousarray(array[:, :, 0] if array.ndim == 3 else array)
        finally:
            document.close()
    data = read_image(path, MAX_SCAN_BYTES)  # a regular file, its pixels counted from its header first
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)


_DETECTOR: Any = None


def _detector() -> Any:
    global _DETECTOR
    if _DETECTOR is None:
        dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
        parameters = cv2.aruco.DetectorParameters()
        parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
        # markers are about 30 pixels wide on the copy: two thresholding windows are enough
        parameters.adaptiveThreshWinSizeMin = 7
        parameters.adaptiveThreshWinSizeMax = 23
        parameters.adaptiveThreshWinSizeStep = 16
        _DETECTOR = cv2.aruco.ArucoDetector(dictionary, parameters)
    return _DETECTOR


def marker_corners_mm(paper: str) -> dict[int, np.ndarray]:
    """Each marker's four corners on the paper (top-left, top-right, bottom-right, bottom-left), in mm."""
    width, height = PAPER_MM[paper]
    tops = [(INSET, INSET), (width - INSET - MARKER, INSET), (width - INSET - MARKER, height - INSET - MARKER),
            (INSET, height - INSET - MARKER)]
    return {
        marker: np.array([(x, y), (x + MARKER, y), (x + MARKER, y + MARKER), (x, y + MARKER)], dtype=np.float32)
        for marker, (x, y) in zip(MARKER_IDS[paper], tops)
    }


def locate(gray: np.ndarray) -> tuple[str, np.ndarray, np.ndarray, np.ndarray] | None:
    """The paper size, the homography from the paper's mm to the scan's pixels, and the points
    (mm, pixels) it was fitted to; or None when fewer than three markers are found."""
    scale = min(1.0, DETECT_SIZE / max(gray.shape[:2]))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR) if scale < 1 else gray
    corners, ids, _ = _detector().detectMarkers(small)
    if ids is None:
        return None
    found = {int(i): c.reshape(4, 2) / scale for i, c in zip(ids.flatten(), corners)}
    for paper in PAPER_MM:
        mm = marker_corners_mm(paper)
        seen = [m for m in mm if m in found]
        if len(seen) >= 3:
            source = np.concatenate([mm[m] for m in seen])
            target = np.concatenate([found[m] for m in seen]).astype(np.float32)
            homography, _ = cv2.findHomography(source, target)
            if homography is not None:
                return paper, homography, source, target
    return None


def upright(gray: np.ndarray, homography: np.ndarray, size: tuple[float, float], px: float,
            origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """The part of the paper from `origin` (mm) of `size` (mm), resampled upright at `px` pixels a mm."""
    to_px = np.array([[px, 0, -origin[0] * px], [0, px, -origin[1] * px], [0, 0, 1]], dtype=np.float64)
    transform = to_px @ np.linalg.inv(homography)
    shape = (int(round(size[0] * px)), int(round(size[1] * px)))
    return cv2.warpPerspective(gray, transform, shape, flags=cv2.INTER_LINEAR, borderValue=255)


_QR: Any = None


def read_code(gray: np.ndarray, homography: np.ndarray, paper: str) -> tuple[dict[str, Any] | None, np.ndarray | None]:
    """The fields of the page's QR code, read from an upright crop of where it is printed, and
    the scan's pixels of the code's corners (or None) with their places in mm."""
    global _QR
    if _QR is None:
        _QR = cv2.QRCodeDetector()
    width, _ = PAPER_MM[paper]
    from generator.builders.quiz.answer_sheet import QR_SIZE

    x = width - INSET - MARKER - 3.0 - QR_SIZE
    margin = 4.0
    origin = (x - margin, INSET - margin)
    crop = upright(gray, homography, (QR_SIZE + 2 * margin, QR_SIZE + 2 * margin), QR_PX, origin)
    for attempt in (crop, cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]):
        text, points, _ = _QR.detectAndDecode(attempt)
        if text:
            corners = None
            if points is not None and points.size == 8:
                in_mm = points.reshape(4, 2).astype(np.float64) / QR_PX + np.array(origin)
                projected = cv2.perspectiveTransform(in_mm.reshape(-1, 1, 2), homography).reshape(4, 2)
                corners = projected.astype(np.float32)
            return parse_payload(text), corners
    return None, None


def qr_corners_mm(paper: str) -> np.ndarray:
    from generator.builders.quiz.answer_sheet import QR_SIZE

    x = PAPER_MM[paper][0] - INSET - MARKER - 3.0 - QR_SIZE
    return np.array([(x, INSET), (x + QR_SIZE, INSET), (x + QR_SIZE, INSET + QR_SIZE), (x, INSET + QR_SIZE)],
                    dtype=np.float32)


def levels(page: np.ndarray) -> tuple[float, float]:
    """The page's paper and darkest print, as grey levels: a fill is measured between the two."""
    small = page[::4, ::4]
    white = float(np.percentile(small, 90))
    black = float(np.percentile(small, 0.5))
    return white, min(black, white - 40)


def _disc(radius_px: float) -> tuple[np.ndarray, np.ndarray]:
    r = int(np.ceil(radius_px))
    ys, xs = np.mgrid[-r:r + 1, -r:r + 1]
    inside = xs ** 2 + ys ** 2 <= radius_px ** 2
    return ys[inside], xs[inside]


def fills(page: np.ndarray, centres: list[tuple[float, float]]) -> list[float]:
    """The mean darkness inside each bubble centred at (x, y) mm of the upright page: 0 paper, 1 black."""
    if not centres:
        return []
    white, black = levels(page)
    dy, dx = _disc(RADIUS * INNER * PX)
    points = np.array(centres, dtype=np.float32) * PX
    ys = np.clip(np.rint(points[:, 1])[:, None].astype(int) + dy[None, :], 0, page.shape[0] - 1)
    xs = np.clip(np.rint(points[:, 0])[:, None].astype(int) + dx[None, :], 0, page.shape[1] - 1)
    dark = np.clip((white - page[ys, xs].astype(np.float32)) / (white - black), 0.0, 1.0)
    return [round(float(v), 3) for v in dark.mean(axis=1)]


def classify(row: Row) -> Row:
    """What a row says: one clear mark ("ok"), none ("blank"), two or more ("double"), or a light one."""
    clear = [v for v, f in zip(row.values, row.fills) if f >= CLEAR]
    light = [v for v, f in zip(row.values, row.fills) if EMPTY <= f < CLEAR]
    if light:
        row.status, row.value = "light", None
    elif len(clear) > 1:
        row.status, row.value = "double", None
    elif clear:
        row.status, row.value = "ok", clear[0]
    else:
        row.status, row.value = "blank", None
    return row


def read_page(source: str, scan: str, index: int, gray: np.ndarray | None,
              keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]) -> Page:
    """Place one scanned page and read its bubbles, with the teacher files by (article, version, code)."""
    page = Page(source, scan, index)
    if gray is None:
        page.problem = "cannot read the image"
        return page
    placed = _place(gray)
    if placed is None:
        page.problem = "no answer sheet found: fewer than three corner markers"
        return page
    homography, page.code = placed
    if page.code is None:
        page.problem = "the code in the top right corner cannot be read"
        return page
    sheet = _sheet(page, page.code, keys)
    if sheet is None:
        return page
    data, layout_page = sheet
    page.image = upright(gray, homography, tuple(data["size"]), PX)
    _read_bubbles(page, page.image, _printed_rows(data, layout_page, page.code["page"]))
    return page


def _place(gray: np.ndarray) -> tuple[np.ndarray, dict[str, Any] | None] | None:
    """The homography from the paper's mm to the scan's pixels and the QR code's fields (None when
    unreadable); None when fewer than three markers are found."""
    located = locate(gray)
    if located is None:
        return None
    paper, homography, fitted, target = located
    code, qr = read_code(gray, homography, paper)
    if qr is not None and len(fitted) < 16:  # a marker is missing: the code's corners help place the page
        homography, _ = cv2.findHomography(np.concatenate([fitted, qr_corners_mm(paper)]),
                                           np.concatenate([target, qr]))
    return homography, code


def _sheet(page: Page, code: dict[str, Any],
           keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The teacher file of the page's sheet and its layout of this page; None (with `page.problem`) when
    there is none. Sets `page.key`."""
    found = keys.get((code["slug_hash"], code["version"], code["code"]))
    if found is None:
        version = f" version {code['version']}" if code["version"] else ""
        page.problem = f"no teacher file in --key for this sheet ({version.strip() or 'single version'}, code {code['code']})"
        return None
    page.key, data = found
    layout_page = next((p for p in data["pages"] if p["page"] == code["page"]), None)
    if layout_page is None:
        page.problem = f"the teacher file has no page {code['page']}"
        return None
    return data, layout_page


def _printed_rows(data: dict[str, Any], layout_page: dict[str, Any],
                  number: int) -> list[tuple[Row, list[tuple[float, float]]]]:
    """Every row of bubbles printed on page `number`, the student number's columns first, each with its
    bubbles' centres in mm (kept together so that fills and values cannot get out of step)."""
    rows = [(Row(0, str(column), [b["value"] for b in bubbles], []), _centres(bubbles))
            for column, bubbles in enumerate(layout_page["student"])]
    for question in data["questions"]:
        if question["page"] == number:
            rows += [(Row(question["number"], row["name"], [b["value"] for b in row["bubbles"]], []),
                      _centres(row["bubbles"])) for row in question["rows"]]
    return rows


def _centres(bubbles: list[dict[str, Any]]) -> list[tuple[float, float]]:
    return [(b["x"], b["y"]) for b in bubbles]


def _read_bubbles(page: Page, image: np.ndarray, printed: list[tuple[Row, list[tuple[float, float]]]]) -> None:
    """Measure and classify every row into `page.rows`; none, with a problem, when the page looks misplaced."""
    values = fills(image, [c for _, centres in printed for c in centres])  # all bubbles in one vectorised pass
    at = 0
    for row, centres in printed:
        row.fills = values[at:at + len(centres)]
        at += len(centres)
        classify(row)
    page.rows = [row for row, _ in printed]
    doubtful = sum(1 for f in values if EMPTY <= f < CLEAR)
    if doubtful > max(6, 0.25 * len(values)):  # the bubbles are not where the page was placed
        page.problem = (f"{doubtful} of {len(values)} bubbles are half filled: the page is bent, cut or "
                        "not where its corners say; scan it again")
        page.rows = []
