"""Reading the bubbles of an upright page: where each printed ring is, how much ink is in and around
it, and what each row of them says.

A bubble's fill is the mean darkness inside it, from 0 (paper) to 1 (the print's black), measured
against the paper around it; each row is decided by `decide.classify`, against its other bubbles and the
page's own blank ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from generator.outputs.sheet_code import RADIUS

PX = 5.0  # pixels a millimetre of the upright page
# Fill thresholds: under EMPTY a bubble is empty; from CLEAR on it is a clear mark; between, a light
# or erased mark that a person must look at.
EMPTY = 0.12
CLEAR = 0.55


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
        return patches(self.full, points, dy, dx)


def patches(image: np.ndarray, points: np.ndarray, dy: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """`image` at each point (x, y in pixels) plus each offset: [point, offset]; a point is kept far
    enough from the edge for all its offsets to be on `image`. The square windows around the points
    are copied out of a strided view of `image` first, then the offsets taken from them (a third of
    the time of taking each pixel by its index in the whole image)."""
    h, w = image.shape
    ry, rx = int(np.abs(dy).max()), int(np.abs(dx).max())
    x = np.clip(points[:, 0], rx, w - 1 - rx)
    y = np.clip(points[:, 1], ry, h - 1 - ry)
    squares = np.lib.stride_tricks.sliding_window_view(image, (2 * ry + 1, 2 * rx + 1))[y - ry, x - rx]
    squares = squares.reshape(len(points), -1)
    at = (dy + ry) * (2 * rx + 1) + (dx + rx)
    if len(at) == squares.shape[1] and (at == np.arange(len(at))).all():  # the whole square, in order
        return squares
    return squares.take(at, axis=1)


def _against(image: np.ndarray, paper: np.ndarray, scale: float, out: np.ndarray | None = None) -> np.ndarray:
    """Darkness: (1 - image / paper) x scale, from 0 to 1 (the paper taken as at least 8); written into
    `out` (float32, of image's shape; a part of a larger array) when it is given."""
    # OpenCV's max and min: the same values as numpy's, which take twice as long on these arrays
    paper = cv2.max(paper, 8)
    dark = cv2.divide(cv2.subtract(paper, image), paper, dst=out, scale=scale, dtype=cv2.CV_32F)
    return cv2.min(dark, 1.0, dst=dark)


def darkness(page: np.ndarray, centres: list[tuple[float, float]] | None = None, scale: float | None = None) -> Ink:
    """The page's darkness; at full resolution only around `centres` (mm) when they are given, as far as
    the ring search and the measures can look (the rest of `full` is left 0: nothing reads it). `scale`
    is the page's `black_scale`, measured on `page` when not given."""
    half = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    paper = _paper(half, PX / 2)
    full = cv2.resize(paper, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    if scale is None:
        sample = page[::3, ::3].astype(np.float32) / np.maximum(full[::3, ::3], 8).astype(np.float32)
        scale = _scale(sample)
    if not centres:
        return Ink(page, _against(page, full, scale), _against(half, paper, scale), scale)
    reach = SEARCH + OUTSIDE[1] + 1.0  # mm: a ring found this far, its patch, a pixel's nudge and rounding
    xs, ys = [x for x, _ in centres], [y for _, y in centres]
    x0, y0 = max(0, int((min(xs) - reach) * PX)), max(0, int((min(ys) - reach) * PX))
    x1, y1 = int((max(xs) + reach) * PX) + 1, int((max(ys) + reach) * PX) + 1
    dark = np.zeros(page.shape, np.float32)
    _against(page[y0:y1, x0:x1], full[y0:y1, x0:x1], scale, out=dark[y0:y1, x0:x1])  # in place: no copy
    return Ink(page, dark, _against(half, paper, scale), scale)


def _paper(image: np.ndarray, px: float) -> np.ndarray:
    """The paper's own level around each pixel of `image` (`px` pixels a mm): a grey closing over 6 mm,
    wider than a filled bubble, smoothed."""
    side = int(6 * px) | 1
    paper = cv2.morphologyEx(image, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    return cv2.blur(paper, (3, 3))


def _scale(sample: np.ndarray) -> float:
    """1 / (1 - the print's black as a ratio to the paper), from the darkest few pixels in a thousand of
    `sample` (each pixel's ratio to the paper): the markers', the QR code's."""
    return 1.0 / max(1.0 - _lowest(sample.ravel(), 0.003), 0.35)


def black_scale(small: np.ndarray) -> float:
    """The `scale` of a page from the whole of it upright at PX / 3 pixels a mm (a third of its pixels
    each way: the sample `darkness` takes of the whole page when it measures it itself)."""
    paper = _paper(small, PX / 3)
    return _scale(small.astype(np.float32) / cv2.max(paper, 8).astype(np.float32))


def _lowest(values: np.ndarray, part: float) -> float:
    """np.percentile(values, 100 * part), found among the values under 0.5 when enough of them are (the
    dark ones, a few in a hundred: a tenth of the time of sorting out all of them)."""
    at = part * (len(values) - 1)
    low = int(at)
    dark = values[values < 0.5]
    pool = dark if len(dark) > low + 1 else values
    chosen = np.partition(pool, (low, low + 1))[low:low + 2].astype(np.float64)
    return float(chosen[0] + (chosen[1] - chosen[0]) * (at - low))


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
_COVER = np.less_equal(_DIST, RING[1])


def _cells() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The patch's pixels sorted into cells that the measures are sums of (the inside ones first):
    0 the middle, 1-8 the inner band's eighths inside the ring, 9-16 the same band's eighths just
    outside INSIDE, 17 the ring, 18-25 the outside band's eighths; the pixels in no measure left out.
    Returns the order of the pixels kept, the cell of each (in that order) and where each cell starts."""
    low, high = _BAND_SPAN
    cell = np.full(len(_DIST), -1)
    cell[np.less(_DIST, low)] = 0
    inner = np.greater_equal(_DIST, low) & (_DIST <= INSIDE)
    cell[inner] = 1 + _WEDGE[inner]
    outer = (_DIST > INSIDE) & np.less_equal(_DIST, high)
    cell[outer] = 9 + _WEDGE[outer]
    cell[np.greater(_DIST, high) & _COVER] = 17
    out = np.greater_equal(_DIST, OUTSIDE[0])
    cell[out] = 18 + _WEDGE[out]
    order = np.argsort(cell, kind="stable")
    order = order[cell[order] >= 0]
    cells = cell[order]
    counts = np.bincount(cells, minlength=26)
    assert counts.all(), "every cell of a bubble's patch has pixels"
    return order, cells, np.concatenate([[0], np.cumsum(counts)[:-1]])


_BAND_SPAN = (0.45 * RADIUS, 0.85 * RADIUS)  # inside the ring: where a crescent shows
_ORDER, _CELL, _STARTS = _cells()
_MDY, _MDX = _DY[_ORDER], _DX[_ORDER]  # the measured pixels, cell by cell
_N_IN = int(np.count_nonzero(_CELL <= 8))  # the inside (INSIDE): cells 0-8, first
_N_COVER = float(np.count_nonzero(_CELL <= 17))
_N_CELL = np.bincount(_CELL, minlength=26).astype(np.float64)  # the pixels of each cell
_N_OUT = _N_CELL[18:].copy()
_N_OUT[_TOP] = np.inf  # the eighth above the bubble, where its label is printed: not looked at
_N_BAND = _N_CELL[1:9] + _N_CELL[9:17]


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


@dataclass
class Measures:
    """Every bubble of a page measured at once, one entry a bubble: what `Bubble` holds, as arrays."""

    fill: np.ndarray
    cover: np.ndarray
    around: np.ndarray  # [bubble, eighth]
    edge: np.ndarray

    def bubbles(self, start: int = 0, stop: int | None = None) -> list[Bubble]:
        """The bubbles from `start` to `stop` (all by default)."""
        part = slice(start, stop)
        return [Bubble(f, c, a, e) for f, c, a, e in zip(self.fill[part].tolist(), self.cover[part].tolist(),
                                                          self.around[part].tolist(), self.edge[part].tolist())]


def measure(ink: Ink, centres: list[tuple[float, float]]) -> Measures:
    """Each bubble's fill, cover and the ink around it, centred at (x, y) mm."""
    if not centres:
        return Measures(np.zeros(0), np.zeros(0), np.zeros((0, 8)), np.zeros(0))
    points = np.rint(np.array(centres, dtype=np.float32) * PX).astype(int)
    dark = ink.around(points, _MDY, _MDX)
    # sums over the patch's cells, not products with weights: a product goes to OpenBLAS (numpy's or
    # OpenCV's), whose threads then spin on the other core, twice the product's own CPU time
    inside = (dark[:, :_N_IN].sum(axis=1) / _N_IN).round(3)
    cells = np.add.reduceat((dark >= INK).astype(np.float32), _STARTS, axis=1)
    cover = (cells[:, :18].sum(axis=1) / _N_COVER).round(3)
    around = (cells[:, 18:] / _N_OUT).round(3)
    edge = ((cells[:, 1:9] + cells[:, 9:17]) / _N_BAND).round(3).max(axis=1)
    # each measure as it was rounded (in float32), then widened exactly to Python's floats
    return Measures(*(a.astype(np.float64) for a in (inside, cover, around, edge)))


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
    size = 2 * reach + 1
    # each bubble's window of the padded page, its top left corner where the bubble is on the page (copied
    # out of a strided view: a third of the time of taking each pixel by its index)
    gathered = np.lib.stride_tricks.sliding_window_view(padded, (size, size))[np.clip(points[:, 1], 0, h - 1),
                                                                             np.clip(points[:, 0], 0, w - 1)]
    windows = _by_row(gathered, starts, sizes)  # [row, y, x]
    # the rows' windows one under the other, the filter's answer only where it lies wholly inside one
    # (matchTemplate's correlation: the search's shifts, a third of what a filter over them all computes)
    response = cv2.matchTemplate(windows.reshape(len(rows) * size, size), _KERNEL, cv2.TM_CCORR)
    inside = (np.arange(len(rows)) * size)[:, None] + np.arange(side)[None, :]
    shifts = np.abs(np.arange(-step, step + 1))
    penalty = 1e-4 * (shifts[:, None] + shifts[None, :])
    grid = response[inside] - penalty  # [row, dy, dx]: a tie goes to the nearest
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


def _by_row(values: np.ndarray, starts: np.ndarray, sizes: list[int]) -> np.ndarray:
    """`values` (one a bubble, the rows' bubbles one after the other) summed by row: what
    np.add.reduceat(values, starts, axis=0) gives, the same additions in the same order, in a quarter
    of its time: the rows of one length (a page has a few: 2, 4, 10...) summed at once."""
    out = np.empty((len(sizes), *values.shape[1:]), values.dtype)
    lengths = np.array(sizes)
    for n in set(sizes):
        rows = np.flatnonzero(lengths == n)
        out[rows] = values[starts[rows][:, None] + np.arange(n)].sum(axis=1)  # [row, bubble, ...]: bubble by bubble
    return out


def _ring_offsets() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The offsets (dy, dx) of a square window around a centre that holds its printed ring nudged by a
    pixel, and where in the window the ring's pixels are at each nudge (_NUDGES): [nudge, pixel]."""
    reach = int(max(np.abs(_DY[_RING]).max(), np.abs(_DX[_RING]).max())) + 1
    side = 2 * reach + 1
    wy, wx = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    ring = (_DY[_RING] + reach) * side + (_DX[_RING] + reach)
    return wy.ravel(), wx.ravel(), np.array([ring + dy * side + dx for dx, dy in _NUDGES])


_WY, _WX, _RING_AT = _ring_offsets()


def _refine(ink: Ink, centres: np.ndarray, starts: np.ndarray, sizes: list[int]) -> list[list[tuple[float, float]]]:
    """Each row nudged by at most a pixel of the full page to where its printed rings are darkest: its
    bubbles' windows summed, then its rings' mean darkness in the sum at each nudge."""
    points = np.rint(centres * PX).astype(int)
    windows = _by_row(ink.around(points, _WY, _WX), starts, sizes)  # [row, window's pixel]
    score = windows[:, _RING_AT].mean(axis=2).T  # [nudge, row]
    best = (score - 1e-4 * np.abs(_NUDGES).sum(axis=1)[:, None]).argmax(axis=0)
    firsts = points[starts]
    shift = (firsts + _NUDGES[best]) / PX - centres[starts]  # the row snapped to its first bubble's pixel, nudged
    moved = (centres + np.repeat(shift, sizes, axis=0)).tolist()
    return [[(x, y) for x, y in moved[s:s + n]] for s, n in zip(starts.tolist(), sizes)]
