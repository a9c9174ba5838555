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
CORNER_AREA = (0.3, 0.25)  # ... first in its corners of this width and height (parts of the scan's)
# Fill thresholds: under EMPTY a bubble is empty; from CLEAR on it is a clear mark; between, a light
# or erased mark that a person must look at.
EMPTY = 0.12
CLEAR = 0.55
DPI = 200  # PDF scans are rendered at this resolution
MAX_SCAN_BYTES = 200_000_000


@dataclass
class Row:
    """One row of bubbles as read: the fill of each, and what it says."""

    question: int  # 0 for the student number
    name: str  # an event's letter, a student-number column's index, or ""
    values: list[str]
    fills: list[float]
    status: str = "blank"  # "ok", "blank", "double" (plain fills), "several", "light"
    value: str | None = None  # the bubbled value when "ok"
    marks: list[str] = field(default_factory=list)  # what each bubble holds: "mark", "trace", "empty", ...
    centres: list[tuple[float, float]] = field(default_factory=list)  # where its rings were found, mm


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


_OPEN: dict[str, Any] = {}  # the PDF a worker is reading, kept open from one page to the next


def _document(path: Path) -> Any:
    import pypdfium2 as pdfium

    key = str(path)
    if key not in _OPEN:
        for document in _OPEN.values():
            document.close()
        _OPEN.clear()
        _OPEN[key] = pdfium.PdfDocument(read_bytes(path, MAX_SCAN_BYTES))  # a regular file, bounded
    return _OPEN[key]


def close_documents() -> None:
    for document in _OPEN.values():
        document.close()
    _OPEN.clear()


def count_pages(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        return len(_document(path))
    return 1


def load_page(path: Path, index: int) -> np.ndarray | None:
    """Page `index` (from 1) of a scan file, grey, or None when it cannot be read. A PDF page that is
    one upright JPEG (what scanners write) is decoded as it is, at its own resolution; any other page
    is rendered at DPI."""
    if path.suffix.lower() != ".pdf":
        data = read_image(path, MAX_SCAN_BYTES)  # a regular file, its pixels counted from its header first
        return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    page = _document(path)[index - 1]
    try:
        width, height = page.get_size()
        check_page(width, height, path)  # before rendering: a huge page is gigabytes of pixels
        jpeg = _only_jpeg(page)
        if jpeg is not None:
            gray = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
            if gray is not None:
                return gray
        array = page.render(scale=DPI / 72, grayscale=True).to_numpy()
        return np.ascontiguousarray(array[:, :, 0] if array.ndim == 3 else array)
    finally:
        page.close()


def _only_jpeg(page: Any) -> bytes | None:
    """The JPEG data of a page that shows one image, upright and unturned, and nothing else."""
    import pypdfium2.raw as raw

    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != raw.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    matrix = image.get_matrix()
    if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0 or image.get_filters() != ["DCTDecode"]:
        return None
    return bytes(image.get_data(decode_simple=False))


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
    found = _markers(small, CORNER_AREA)  # where a scanner puts them: in the scan's corners
    if max(sum(1 for m in ids if m in found) for ids in MARKER_IDS.values()) < 3:
        found = _markers(small)  # a photo, the page small in it: the whole scan
    found = {m: c / scale for m, c in found.items()}
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


def _markers(small: np.ndarray, area: tuple[float, float] | None = None) -> dict[int, np.ndarray]:
    """The markers found in `small`, by id: their corners' pixels. With `area` (width, height as parts of
    the image's), only in the four corners of that size are they looked for."""
    if area is None:
        corners, ids, _ = _detector().detectMarkers(small)
        return {} if ids is None else {int(i): c.reshape(4, 2) for i, c in zip(ids.flatten(), corners)}
    h, w = small.shape[:2]
    cw, ch = int(w * area[0]), int(h * area[1])
    found: dict[int, np.ndarray] = {}
    for x, y in ((0, 0), (w - cw, 0), (w - cw, h - ch), (0, h - ch)):
        found.update({m: c + np.array([x, y], np.float32) for m, c in _markers(small[y:y + ch, x:x + cw]).items()})
    return found


def upright(gray: np.ndarray, homography: np.ndarray, size: tuple[float, float], px: float,
            origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """The part of the paper from `origin` (mm) of `size` (mm), resampled upright at `px` pixels a mm."""
    to_px = np.array([[px, 0, -origin[0] * px], [0, px, -origin[1] * px], [0, 0, 1]], dtype=np.float64)
    transform = to_px @ np.linalg.inv(homography)
    shape = (int(round(size[0] * px)), int(round(size[1] * px)))
    return cv2.warpPerspective(gray, transform, shape, flags=cv2.INTER_LINEAR, borderValue=255)


_QR: Any = None


def read_code(gray: np.ndarray, homography: np.ndarray, paper: str,
              with_corners: bool = False) -> tuple[dict[str, Any] | None, np.ndarray | None]:
    """The fields of the page's QR code, read from an upright crop of where it is printed, and (when
    `with_corners` is asked, or the code had to be looked for) the scan's pixels of the code's corners, or None.

    The code is first decoded where the homography puts it, without looking for it (a fifth of the
    time); looked for in the crop, then in its black and white, when that fails."""
    global _QR
    if _QR is None:
        _QR = cv2.QRCodeDetector()
    width, _ = PAPER_MM[paper]
    from generator.builders.quiz.answer_sheet import QR_SIZE

    x = width - INSET - MARKER - 3.0 - QR_SIZE
    margin = 4.0
    origin = (x - margin, INSET - margin)
    crop = upright(gray, homography, (QR_SIZE + 2 * margin, QR_SIZE + 2 * margin), QR_PX, origin)
    if not with_corners:
        near, far = margin * QR_PX, (margin + QR_SIZE) * QR_PX
        text = _QR.decode(crop, np.array([[[near, near], [far, near], [far, far], [near, far]]], np.float32))[0]
        if text and parse_payload(text) is not None:
            return parse_payload(text), None
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


# What is measured around each bubble, in mm from the centre of its printed ring (radius RADIUS, a
# 0.3 mm stroke): the inside, the ring itself with a little room, and a band just outside where a
# circled bubble's ring or a cross's arms land (its top, where the bubble's label is printed, is left out).
INSIDE = 0.8 * RADIUS
RING = (0.8 * RADIUS, 1.2 * RADIUS)
OUTSIDE = (1.25 * RADIUS, 1.9 * RADIUS)
SEARCH = 1.6  # a bubble's printed ring is looked for this far (mm) from where the layout puts it
INK = 0.5  # a pixel this dark (0 paper, 1 the markers' black) is ink or print
STRONG = 0.1  # inked part of the inside and ring beyond a blank bubble's: a tick, a cross, a crescent
TRACE = 0.06  # ... beyond a blank bubble's and its noise: something is there
AROUND = 0.15  # inked part of an eighth of the outside band: a pen line runs along it
RINGED = 6  # eighths (of 7 looked at) a line runs along: the bubble is circled
PART_RING = 3  # ... part of a circle: not blank
ARM = 0.08  # inked part of each diagonal eighth: a line crosses it (a cross over a fill: cancelled)
DIAGONALS = (1, 3, 5, 7)
EDGE = 0.45  # inked part of an eighth of the band just inside the ring: part of a mark is there
ERASED = 0.35  # a mark no darker than this inside, without pen strokes, beside one clear mark: rubbed out


@dataclass
class Ink:
    """How dark the page is against the paper around it, from 0 (paper) to 1 (the print's black).

    The paper's own level is found locally (a grey closing over 6 mm, wider than a filled bubble), so
    grey paper, light falling off across the page and a shadow do not read as ink. `half` is the whole
    page at half resolution (to find the rings), `full` at full resolution (to measure the bubbles).
    """

    page: np.ndarray  # the upright page, grey
    full: np.ndarray  # darkness at PX pixels a mm
    half: np.ndarray  # darkness at PX / 2 pixels a mm
    scale: float  # 1 / (1 - the print's black as a ratio to the paper)

    def around(self, points: np.ndarray, dy: np.ndarray, dx: np.ndarray) -> np.ndarray:
        """The darkness at each point (x, y in pixels of the full page) plus each offset: [point, offset].
        A point is kept far enough from the page's edge for all its offsets to be on the page."""
        h, w = self.full.shape
        ry, rx = int(np.abs(dy).max()), int(np.abs(dx).max())
        x = np.clip(points[:, 0], rx, w - 1 - rx)
        y = np.clip(points[:, 1], ry, h - 1 - ry)
        return self.full.ravel().take((y * w + x)[:, None] + (dy * w + dx)[None, :])


def _against(image: np.ndarray, paper: np.ndarray, scale: float) -> np.ndarray:
    """Darkness: (1 - image / paper) x scale, from 0 to 1 (the paper taken as at least 8)."""
    paper = np.maximum(paper, 8)
    dark = cv2.divide(cv2.subtract(paper, image), paper, scale=scale, dtype=cv2.CV_32F)
    return np.minimum(dark, 1.0, out=dark)


def darkness(page: np.ndarray) -> Ink:
    half = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    side = int(6 * PX / 2) | 1
    paper = cv2.morphologyEx(half, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    paper = cv2.blur(paper, (3, 3))
    full = cv2.resize(paper, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    sample = page[::3, ::3].astype(np.float32) / np.maximum(full[::3, ::3], 8).astype(np.float32)
    scale = 1.0 / max(1.0 - float(np.percentile(sample, 0.3)), 0.35)  # the print's black: the markers, the QR code
    return Ink(page, _against(page, full, scale), _against(half, paper, scale), scale)


def _patch(hi: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pixel offsets (dy, dx) within `hi` mm of a centre, their distance (mm) and eighth of the circle."""
    r = int(np.ceil(hi * PX))
    ys, xs = np.mgrid[-r:r + 1, -r:r + 1]
    dist = np.hypot(xs, ys) / PX
    keep = dist <= hi
    wedge = ((np.degrees(np.arctan2(ys, xs)) + 360 + 22.5) // 45).astype(int) % 8
    return ys[keep], xs[keep], dist[keep], wedge[keep]


_DY, _DX, _DIST, _WEDGE = _patch(OUTSIDE[1])
_TOP = 6  # the eighth above the bubble (image y grows downwards: -90 degrees), where its label is
_IN = _DIST <= INSIDE
_COVER = np.less_equal(_DIST, RING[1])
_OUT = np.greater_equal(_DIST, OUTSIDE[0]) & (_WEDGE != _TOP)
_BAND = (_DIST >= 0.45 * RADIUS) & (_DIST <= 0.85 * RADIUS)  # inside the ring: where a crescent shows


def _per_eighth(mask: np.ndarray) -> np.ndarray:
    """A matrix that turns inked pixels of `mask` into the inked part of each eighth of it."""
    wedges = _WEDGE[mask]
    matrix = np.zeros((len(wedges), 8), np.float32)
    matrix[np.arange(len(wedges)), wedges] = 1.0
    return matrix / np.maximum(matrix.sum(axis=0), 1.0)


def _weights() -> np.ndarray:
    """One matrix that turns a bubble's inked pixels into its cover (column 0), the inked part of each
    eighth of the band outside (1-8) and of the band inside the ring (9-16): one product for all."""
    weights = np.zeros((len(_DIST), 17), np.float32)
    weights[_COVER, 0] = 1.0 / _COVER.sum()
    weights[_OUT, 1:9] = _per_eighth(_OUT)
    weights[_BAND, 9:17] = _per_eighth(_BAND)
    return weights


_WEIGHTS = _weights()
_INSIDE = (_IN / _IN.sum()).astype(np.float32)


def _ring_kernel(px: float) -> np.ndarray:
    """A filter that answers most where a printed ring is centred: its ring less the band around it."""
    r = int(np.ceil((RADIUS + 0.9) * px))
    ys, xs = np.mgrid[-r:r + 1, -r:r + 1]
    dist = np.hypot(xs, ys) / px
    ring = (np.abs(dist - RADIUS) <= 0.3).astype(np.float32)
    band = ((dist >= RADIUS + 0.4) & (dist <= RADIUS + 0.9)).astype(np.float32)
    return ring / ring.sum() - band / band.sum()


_KERNEL = _ring_kernel(PX / 2)


@dataclass
class Bubble:
    """What is inside and around one bubble."""

    fill: float  # mean darkness inside (0 paper, 1 black)
    cover: float  # part of the inside and ring that is ink
    around: list[float]  # part of each eighth of the band outside that is ink (the top one left out: 0)
    edge: float = 0.0  # the most inked eighth of the band just inside the ring: a crescent, however thin


def measure(ink: Ink, centres: list[tuple[float, float]]) -> list[Bubble]:
    """Each bubble's fill, cover and the ink around it, centred at (x, y) mm."""
    if not centres:
        return []
    points = np.rint(np.array(centres, dtype=np.float32) * PX).astype(int)
    dark = ink.around(points, _DY, _DX)
    inside = (dark @ _INSIDE).round(3).tolist()
    parts = ((dark >= INK).astype(np.float32) @ _WEIGHTS).round(3)
    cover, around, edge = parts[:, 0].tolist(), parts[:, 1:9].tolist(), parts[:, 9:].max(axis=1).tolist()
    return [Bubble(f, c, a, e) for f, c, a, e in zip(inside, cover, around, edge)]


def find_rings(ink: Ink, rows: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Each row's bubbles moved onto their printed rings: one shift a row, the one within SEARCH mm where
    the rings answer most (a bowed page or a phone photo moves rows by a millimetre or more), found at
    half resolution, then nudged by up to a pixel of the full page.

    A row's answer to a shift is the ring filter's response summed over its bubbles; the filter is
    linear, so it is the filter applied once to the row's bubbles' windows summed (a window a bubble,
    as wide as the search and the filter), at the search's shifts only, not over the whole page."""
    if not rows:
        return []
    px = PX / 2
    step = int(SEARCH * px)
    side = 2 * step + 1
    r = _KERNEL.shape[0] // 2
    reach = step + r
    padded = cv2.copyMakeBorder(ink.half, reach, reach, reach, reach, cv2.BORDER_REFLECT_101)
    h, w = ink.half.shape
    centres = np.array([c for row in rows for c in row], dtype=np.float32)
    sizes = [len(row) for row in rows]
    starts = np.cumsum([0] + sizes[:-1])
    points = np.rint(centres * px).astype(int)
    xs = np.clip(points[:, 0], 0, w - 1)[:, None] + np.arange(2 * reach + 1)[None, :]  # in the padded page
    ys = np.clip(points[:, 1], 0, h - 1)[:, None] + np.arange(2 * reach + 1)[None, :]
    windows = np.add.reduceat(padded[ys[:, :, None], xs[:, None, :]], starts, axis=0)  # [row, y, x]
    size = 2 * reach + 1  # the rows' windows one under the other: the filter's answers inside each are its own
    response = cv2.filter2D(windows.reshape(len(rows) * size, size), cv2.CV_32F, _KERNEL).reshape(len(rows), size, size)
    shifts = np.abs(np.arange(-step, step + 1))
    penalty = 1e-4 * (shifts[:, None] + shifts[None, :])
    grid = response[:, r:r + side, r:r + side] - penalty  # [row, dy, dx]: a tie goes to the nearest
    best = grid.reshape(len(rows), -1).argmax(axis=1)
    j, i = best // side, best % side
    n = np.arange(len(rows))
    dx = (i - step + _vertex(grid, n, j, i, 0)) / px
    dy = (j - step + _vertex(grid, n, j, i, 1)) / px
    moved = centres + np.repeat(np.stack([dx, dy], axis=1), sizes, axis=0)
    return _refine(ink, moved, starts, sizes)


def _vertex(grid: np.ndarray, r: np.ndarray, j: np.ndarray, i: np.ndarray, axis: int) -> np.ndarray:
    """Where a parabola through the best score and its two neighbours along `axis` (0: dx, 1: dy) peaks."""
    side = grid.shape[1]
    at = i if axis == 0 else j
    inner = (at > 0) & (at < side - 1)
    lo, hi = np.clip(at - 1, 0, side - 1), np.clip(at + 1, 0, side - 1)
    if axis == 0:
        a, b, c = grid[r, j, lo], grid[r, j, i], grid[r, j, hi]
    else:
        a, b, c = grid[r, lo, i], grid[r, j, i], grid[r, hi, i]
    curve = a - 2 * b + c
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = np.where(inner & (curve < 0), (a - c) / (2 * curve), 0.0)
    return np.clip(vertex, -0.5, 0.5)


_RING = (np.abs(_DIST - RADIUS) <= 0.2)
_NUDGES = np.array([(dx, dy) for dy in (-1, 0, 1) for dx in (-1, 0, 1)])


def _refine(ink: Ink, centres: np.ndarray, starts: np.ndarray, sizes: list[int]) -> list[list[tuple[float, float]]]:
    """Each row nudged by at most a pixel of the full page to where its printed rings are darkest."""
    points = np.rint(centres * PX).astype(int)
    nudged = (points[None, :, :] + _NUDGES[:, None, :]).reshape(-1, 2)
    dark = ink.around(nudged, _DY[_RING], _DX[_RING]).reshape(len(_NUDGES), len(points), -1)
    score = np.add.reduceat(dark.mean(axis=2), starts, axis=1)  # [nudge, row]
    best = (score - 1e-4 * np.abs(_NUDGES).sum(axis=1)[:, None]).argmax(axis=0)
    firsts = points[starts]
    shift = (firsts + _NUDGES[best]) / PX - centres[starts]  # the row snapped to its first bubble's pixel, nudged
    moved = centres + np.repeat(shift, sizes, axis=0)
    return [[(float(x), float(y)) for x, y in moved[s:s + n]] for s, n in zip(starts, sizes)]


@dataclass
class Blank:
    """What a blank bubble of this page looks like: the print of its ring, the noise of the scan."""

    fill: float
    cover: float
    around: list[float]  # each eighth of the band outside
    spread: float  # of the fill of blank bubbles


def blank_levels(bubbles: list[Bubble]) -> Blank:
    """The page's own blank bubbles (most bubbles on a page are blank): their median fill, cover, around."""
    fill = np.array([b.fill for b in bubbles]) if bubbles else np.zeros(1)
    cover = np.array([b.cover for b in bubbles]) if bubbles else np.zeros(1)
    around = np.array([b.around for b in bubbles]) if bubbles else np.zeros((1, 8))
    low = fill <= np.median(fill)
    spread = float(np.median(np.abs(fill[low] - np.median(fill[low])))) * 1.5 + 0.01
    return Blank(float(np.median(fill)), float(np.median(cover)), [float(v) for v in np.median(around, axis=0)], spread)


def classify(row: Row, bubbles: list[Bubble], blank: Blank) -> Row:
    """What a row says, decided against its other bubbles and the page's blank ones.

    A bubble holds a *mark* when it is filled (CLEAR) or pen strokes cross it (a tick, a cross, a
    crescent, a scribble), or a line goes all round it (circled); a *cancelled* mark is a fill with a
    cross whose arms reach past the ring. A *trace* is anything else visibly there: a light or erased
    fill, part of a ring. One mark and no trace but erased ones: that mark ("ok"); no mark and no trace:
    "blank"; two or more plain fills and nothing else: "double" (the key's rule: no point); two marks
    otherwise (a tick or a cross beside a fill may be meant to cancel it): "several" (review); any other
    trace: "light" (review). A ring, a crescent or a tick is never read as blank.
    """
    kinds = [_kind(b, blank) for b in bubbles]
    marks = [v for v, k in zip(row.values, kinds) if k == "mark"]
    row.marks = kinds
    if len(marks) > 1:
        plain = _plain_fills([b for b, k in zip(bubbles, kinds) if k == "mark"], bubbles, blank)
        row.status = "double" if plain and "trace" not in kinds and "cancelled" not in kinds else "several"
        row.value = None
    elif "trace" in kinds or (not marks and ("erased" in kinds or "cancelled" in kinds)):
        row.status, row.value = "light", None
    elif marks:
        row.status, row.value = "ok", marks[0]
    else:
        row.status, row.value = "blank", None
    return row


def _plain_fills(marked: list[Bubble], row: list[Bubble], blank: Blank) -> bool:
    """Whether every marked bubble is filled and nothing more: no line round it, and no line across it
    that the row's other bubbles do not have too (what is printed around a bubble, such as the labels
    of the row below, is around each of them); a cross that may cancel a fill is not plain."""
    floor = [min(b.around[k] for b in row) for k in DIAGONALS]
    for b in marked:
        lines = sum(1 for a, a0 in zip(b.around, blank.around) if a - a0 >= AROUND)
        crossed = any(b.around[k] - low >= ARM / 2 for k, low in zip(DIAGONALS, floor))
        if b.fill - blank.fill < CLEAR or lines >= PART_RING or crossed:
            return False
    return True


def _kind(b: Bubble, blank: Blank) -> str:
    """One bubble: "mark", "cancelled", "erased" (a faint even grey), "trace" or "empty"."""
    fill = b.fill - blank.fill
    cover = b.cover - blank.cover
    around = [a - a0 for a, a0 in zip(b.around, blank.around)]
    lines = sum(1 for a in around if a >= AROUND)  # eighths of the band a line runs along
    if fill >= CLEAR and min(around[k] for k in DIAGONALS) >= ARM and lines < RINGED:
        return "cancelled"
    if fill >= CLEAR or cover >= STRONG or lines >= RINGED:
        return "mark"
    clean = cover < TRACE and lines < PART_RING and b.edge < EDGE and not (cover >= TRACE / 2 and b.edge >= EDGE / 2)
    if fill < max(EMPTY, 4 * blank.spread) and clean:
        return "empty"
    if fill <= ERASED and clean:
        return "erased"
    return "trace"


def read_stamp(gray: np.ndarray, homography: np.ndarray,
               keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
    """The page's code from its version stamp (the squares between the bottom markers), when it is one
    teacher file's page and no other's; None otherwise."""
    from generator.builders.quiz.answer_sheet import STAMP_CELL, stamp_bits, stamp_cells

    for paper in PAPER_MM:
        cells = stamp_cells(paper)
        x0, y0 = cells[0]
        size = (cells[-1][0] + STAMP_CELL - x0 + 2.0, STAMP_CELL + 2.0)
        strip = upright(gray, homography, size, PX, (x0 - 1.0, y0 - 1.0)).astype(np.float32)
        middle = int(round((1.0 + STAMP_CELL / 2) * PX))
        edge = int(0.7 * PX)  # the paper above and below the squares: a shadow or a stain darkens both alike
        values = []
        for x, _ in cells:
            at = int(round((x - x0 + 1.0 + STAMP_CELL / 2) * PX))
            around = max(float(np.median(strip[:edge, at - 5:at + 6])), float(np.median(strip[-edge:, at - 5:at + 6])))
            values.append(float(strip[middle - 2:middle + 3, at - 2:at + 3].mean()) / max(around, 8.0))
        low, high = min(values), max(values)
        if high - low < 0.25:
            continue
        bits = "".join("1" if v < (low + high) / 2 else "0" for v in values)
        found = [p["payload"] for _, data in keys.values() if data["paper"] == paper for p in data["pages"]
                 if stamp_bits(p["payload"]) == bits]
        if len(found) == 1:
            return parse_payload(found[0])
    return None


def named_code(decision: str, keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]],
               where: str) -> dict[str, Any]:
    """The code of the sheet a teacher's review decision names for a page it could not place: its
    version ("B", or "-" for a single version), then optionally its page ("p2") and its code ("Y3XI",
    as printed under the title); raises UsageError unless exactly one teacher file's page fits."""
    from generator.errors import UsageError

    words = decision.replace("/", " ").split()
    version = words[0].upper() if words else ""
    number = next((int(w[1:]) for w in words[1:] if w[:1].lower() == "p" and w[1:].isdigit()), 1)
    codes = [w for w in words[1:] if not (w[:1].lower() == "p" and w[1:].isdigit())]
    fits = [p["payload"] for (_, v, code), (_, data) in keys.items()
            if (v or "-") == version and (not codes or code in codes) for p in data["pages"] if p["page"] == number]
    if len(fits) != 1:
        raise UsageError(f"{where}: error: the decision {decision!r} names {len(fits)} sheets; give the version, "
                         "then p and the page if not 1, then the code printed under the title (e.g. 'B p1 Y3XI')")
    code = parse_payload(fits[0])
    assert code is not None
    return code


def read_page(source: str, scan: str, index: int, gray: np.ndarray | None,
              keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]],
              named: dict[str, Any] | None = None) -> Page:
    """Place one scanned page and read its bubbles, with the teacher files by (article, version, code);
    `named` is the code a teacher's review decision gives a page whose code cannot be read."""
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
        page.code = read_stamp(gray, homography, keys) or named
    if page.code is None:
        page.problem = "neither the code in the top right corner nor the version stamp at the bottom can be read"
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
    code, qr = read_code(gray, homography, paper, with_corners=len(fitted) < 16)
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
    ink = darkness(image)
    found = find_rings(ink, [centres for _, centres in printed])
    measured = measure(ink, [c for centres in found for c in centres])  # all bubbles in one vectorised pass
    blank = blank_levels(measured)
    at = 0
    for (row, _), centres in zip(printed, found):
        bubbles = measured[at:at + len(centres)]
        at += len(centres)
        row.fills = [b.fill for b in bubbles]
        row.centres = centres
        classify(row, bubbles, blank)
    page.rows = [row for row, _ in printed]
    doubtful = sum(1 for row in page.rows for k in row.marks if k == "trace")
    if doubtful > max(6, 0.25 * len(measured)):  # the bubbles are not where the page was placed
        page.problem = (f"{doubtful} of {len(measured)} bubbles hold part of a mark: the page is bent, cut or "
                        "not where its corners say; scan it again")
        page.rows = []
