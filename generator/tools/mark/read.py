"""Reading one scanned page of an answer sheet: where it is, which sheet it is, what is bubbled.

`place` finds the page in the scan and its code, the teacher file of that version
(`<slug>-sheet-A.json`) says where every bubble is, the page is resampled upright at `PX` pixels a
millimetre, and `bubbles` reads every row of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from generator.tools.mark.bubbles import PX, Row, blank_levels, classify, darkness, find_rings, measure
from generator.tools.mark.place import place, read_stamp, upright


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
    homography: np.ndarray | None = field(default=None, repr=False)  # the paper's mm to the scan's pixels
    jpeg: bytes | None = field(default=None, repr=False)  # the scan's JPEG, when it is one
    rows: list[Row] = field(default_factory=list)


def read_page(source: str, scan: str, index: int, gray: np.ndarray | None,
              keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]],
              named: dict[str, Any] | None = None) -> Page:
    """Place one scanned page and read its bubbles, with the teacher files by (article, version, code);
    `named` is the code a teacher's review decision gives a page whose code cannot be read."""
    page = Page(source, scan, index)
    if gray is None:
        page.problem = "cannot read the image"
        return page
    placed = place(gray)
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
    page.homography = homography
    page.image = upright(gray, homography, tuple(data["size"]), PX)
    _read_bubbles(page, page.image, _printed_rows(data, layout_page, page.code["page"]))
    return page


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
    ink = darkness(image, [c for _, centres in printed for c in centres])
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
