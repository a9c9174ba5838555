"""Placing a scanned page: where the paper is in the scan, and which sheet it is.

The four ArUco markers give the page's corners whatever its rotation (upside down included), scale
or perspective: a homography from their 16 corners maps the paper's millimetres onto the scan. The
QR code then says which article, version, code and page it is; when it cannot be read, the version
stamp along the bottom edge, or the teacher's review decision, says it.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from generator.outputs.sheet_code import (
    INSET,
    MARKER,
    MARKER_IDS,
    PAPER_MM,
    QR_SIZE,
    STAMP_CELL,
    parse_payload,
    stamp_bits,
    stamp_cells,
)
from generator.tools.mark.bubbles import PX

QR_PX = 6.0  # pixels a millimetre of the QR code's crop (a module is about 5)
DETECT_SIZE = 1000  # markers are looked for on a copy as if the scan's longer side were this long
CORNER_AREA = (0.3, 0.25)  # ... first in its corners of this width and height (parts of the scan's)


_DETECTORS: dict[bool, Any] = {}


def _detector(quick: bool = False) -> Any:
    """The marker detector; `quick`, one thresholding window (a half of the time) instead of two."""
    if quick not in _DETECTORS:
        dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
        parameters = cv2.aruco.DetectorParameters()
        parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
        # markers are about 30 pixels wide on the copy: two thresholding windows are enough, and the
        # wider one alone finds them on a scan (finding the same corners, but in 3 of 240 bench markers)
        parameters.adaptiveThreshWinSizeMin = 23 if quick else 7
        parameters.adaptiveThreshWinSizeMax = 23
        parameters.adaptiveThreshWinSizeStep = 16
        _DETECTORS[quick] = cv2.aruco.ArucoDetector(dictionary, parameters)
    return _DETECTORS[quick]


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
    found = _in_corners(gray, scale, CORNER_AREA, quick=True)  # where a scanner puts them: in the scan's corners
    if max(sum(1 for m in ids if m in found) for ids in MARKER_IDS.values()) < 4:
        found = _in_corners(gray, scale, CORNER_AREA)  # a marker missed: both thresholding windows
    if max(sum(1 for m in ids if m in found) for ids in MARKER_IDS.values()) < 3:  # a photo, the page small in it
        small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR) if scale < 1 else gray
        found = {m: c / scale for m, c in _markers(small).items()}  # the whole scan
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


def _in_corners(gray: np.ndarray, scale: float, area: tuple[float, float], quick: bool = False) -> dict[int, np.ndarray]:
    """The markers found in the four corners (of `area`: width, height as parts of the whole) of a copy of
    `gray` `scale` times its size, by id: their corners' pixels in `gray`. Only the corners of the copy
    are made, each pixel where the whole copy has it (a bilinear sample, as a resize takes it)."""
    if scale >= 1:
        h, w = gray.shape[:2]
    else:
        w, h = int(round(gray.shape[1] * scale)), int(round(gray.shape[0] * scale))
    cw, ch = int(w * area[0]), int(h * area[1])
    found: dict[int, np.ndarray] = {}
    for x, y in ((0, 0), (w - cw, 0), (w - cw, h - ch), (0, h - ch)):
        if scale >= 1:
            small = gray[y:y + ch, x:x + cw]
        else:  # the copy's pixel (u, v) is the scan's ((x + u + 0.5) / scale - 0.5, ...), as cv2.resize samples it
            to_scan = np.array([[1 / scale, 0, (x + 0.5) / scale - 0.5], [0, 1 / scale, (y + 0.5) / scale - 0.5]])
            small = cv2.warpAffine(gray, to_scan, (cw, ch), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                   borderMode=cv2.BORDER_REPLICATE)
        found.update({m: (c + np.array([x, y], np.float32)) / min(scale, 1.0) for m, c in _markers(small, quick).items()})
    return found


def _markers(small: np.ndarray, quick: bool = False) -> dict[int, np.ndarray]:
    """The markers found in `small`, by id: their corners' pixels; `quick`: see `_detector`."""
    corners, ids, _ = _detector(quick).detectMarkers(small)
    return {} if ids is None else {int(i): c.reshape(4, 2) for i, c in zip(ids.flatten(), corners)}


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
    x = PAPER_MM[paper][0] - INSET - MARKER - 3.0 - QR_SIZE
    return np.array([(x, INSET), (x + QR_SIZE, INSET), (x + QR_SIZE, INSET + QR_SIZE), (x, INSET + QR_SIZE)],
                    dtype=np.float32)


def place(gray: np.ndarray) -> tuple[str, np.ndarray, dict[str, Any] | None] | None:
    """The paper its markers say ("a4" or "letter"), the homography from the paper's mm to the scan's
    pixels and the QR code's fields (None when unreadable); None when fewer than three markers are found."""
    located = locate(gray)
    if located is None:
        return None
    paper, homography, fitted, target = located
    code, qr = read_code(gray, homography, paper, with_corners=len(fitted) < 16)
    if qr is not None and len(fitted) < 16:  # a marker is missing: the code's corners help place the page
        homography, _ = cv2.findHomography(np.concatenate([fitted, qr_corners_mm(paper)]),
                                           np.concatenate([target, qr]))
    return paper, homography, code


def read_stamp(gray: np.ndarray, homography: np.ndarray, paper: str,
               keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
    """The page's code from its version stamp (the squares between the bottom markers of its `paper`),
    when it is one teacher file's page and no other's (a teacher file of any paper: the page is then
    checked against its layout); None otherwise."""
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
        return None
    bits = "".join("1" if v < (low + high) / 2 else "0" for v in values)
    found = [p["payload"] for _, data in keys.values() for p in data["pages"] if stamp_bits(p["payload"]) == bits]
    return parse_payload(found[0]) if len(found) == 1 else None

