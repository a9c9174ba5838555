"""Reading one scanned page of an answer sheet: where it is, which sheet it is, what is bubbled.

`place` finds the page in the scan and its code, the teacher file of that version
(`<slug>-sheet-A.json`) says where every bubble is, the page is resampled upright at `PX` pixels a
millimetre (only the part of it that is read and shown for review, when the scan is a JPEG that the
annotated sheet shows as it is), and `bubbles` reads every row of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from generator.outputs.sheet_code import PAPER_NAMES
from generator.tools.mark.bubbles import PX, Row, black_scale, darkness, find_rings, measure
from generator.tools.mark.decide import blank_levels, classify, kinds
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
    named: bool = False  # its code is the one a teacher's review decision names (its own could not be read)
    image: np.ndarray | None = field(default=None, repr=False)  # upright, PX a mm, grey: the page from `origin`
    origin: tuple[float, float] = (0.0, 0.0)  # mm: the point of the paper at the image's top left corner
    homography: np.ndarray | None = field(default=None, repr=False)  # the paper's mm to the scan's pixels
    jpeg: bytes | None = field(default=None, repr=False)  # the scan's JPEG, when it is one
    rows: list[Row] = field(default_factory=list)


# mm of paper kept around the bubbles in a cropped page: the ring search and the measures reach 6.4
# mm from a bubble's centre (SEARCH + OUTSIDE + a pixel), the paper's level is taken over 6 mm more
# (darkness), and a review crop shows 10 mm left of a row
ROOM = 10.0
STUDENT_BOX = (20.0, 25.0, 120.0, 115.0)  # mm: left, top, right, bottom of the name and number boxes (review.html)


def read_page(source: str, scan: str, index: int, gray: np.ndarray | None,
              keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]],
              named: dict[str, Any] | None = None, cropped: bool = False) -> Page:
    """Place one scanned page and read its bubbles, with the teacher files by (article, version, code);
    `named` is the code a teacher's review decision gives a page whose code cannot be read. With
    `cropped`, only the part of the page with the bubbles and the name box is resampled upright (for a
    JPEG scan: the annotated sheet shows the JPEG, not `page.image`)."""
    page = Page(source, scan, index)
    if gray is None:
        page.problem = "cannot read the image"
        return page
    placed = place(gray)
    if placed is None:
        page.problem = "no answer sheet found: fewer than three corner markers"
        return page
    paper, homography, page.code = placed
    if page.code is None:
        page.code = read_stamp(gray, homography, paper, keys)
    if page.code is None and named is not None:
        page.code, page.named = named, True
    if page.code is None:
        page.problem = "neither the code in the top right corner nor the version stamp at the bottom can be read"
        return page
    sheet = _sheet(page, page.code, paper, keys)
    if sheet is None:
        return page
    data, layout_page = sheet
    page.homography = homography
    printed = _printed_rows(data, layout_page, page.code["page"])
    size = (float(data["size"][0]), float(data["size"][1]))
    page.origin, part = _part(printed, size) if cropped else ((0.0, 0.0), size)
    page.image = upright(gray, homography, part, PX, page.origin)
    scale = black_scale(upright(gray, homography, size, PX / 3))  # the markers' and the code's black: the whole page
    _read_bubbles(page, page.image, printed, scale)
    return page


def _part(printed: list[tuple[Row, list[tuple[float, float]]]],
          size: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The origin and size (mm) of the part of a page of `size` that holds its bubbles, ROOM around
    them, and the name box; its corners on whole pixels of the whole page (an even number of them, so
    that half-resolution pixels fall where they fall on the whole page)."""
    points = [c for _, centres in printed for c in centres]
    if not points:
        return (0.0, 0.0), size
    xs, ys = [x for x, _ in points], [y for _, y in points]
    left, top = min(min(xs) - ROOM, STUDENT_BOX[0]), min(min(ys) - ROOM, STUDENT_BOX[1])
    right, bottom = max(max(xs) + ROOM, STUDENT_BOX[2]), max(max(ys) + ROOM, STUDENT_BOX[3])
    x0, y0 = max(0, int(left * PX) // 2 * 2), max(0, int(top * PX) // 2 * 2)
    x1 = min(int(round(size[0] * PX)), -(-int(right * PX + 1) // 2) * 2)
    y1 = min(int(round(size[1] * PX)), -(-int(bottom * PX + 1) // 2) * 2)
    return (x0 / PX, y0 / PX), ((x1 - x0) / PX, (y1 - y0) / PX)


def _sheet(page: Page, code: dict[str, Any], paper: str,
           keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The teacher file of the page's sheet and its layout of this page; None (with `page.problem`) when
    there is none, or when what the page shows (its paper, found from its markers; its number of pages,
    from its code) is not that teacher file's layout. Sets `page.key`."""
    found = keys.get((code["slug_hash"], code["version"], code["code"]))
    if found is None:
        version = f" version {code['version']}" if code["version"] else ""
        page.problem = (f"no teacher file in --key for this sheet ({version.strip() or 'single version'}, "
                        f"code {code['code']}){_other_codes(code, paper, keys)}")
        return None
    name, data = found
    differences = layout_differences(code, paper, data)
    if differences:
        page.problem = (f"the teacher file {name} is for another layout of this sheet: {'; '.join(differences)}; "
                        "mark the page with the teacher file of the build it was printed from")
        return None
    page.key = name
    layout_page = next(p for p in data["pages"] if p["page"] == code["page"])
    return data, layout_page


def layout_differences(code: dict[str, Any], paper: str, data: dict[str, Any]) -> list[str]:
    """What a page shows that a teacher file's layout does not have: its paper (from its markers), its
    number of pages and its page's number (from its code), as a teacher would say them."""
    differences = []
    if paper != data["paper"]:
        differences.append(f"printed on {PAPER_NAMES[paper]}, the teacher file is for {PAPER_NAMES.get(data['paper'], data['paper'])}")
    pages = len(data["pages"])
    if code["pages"] != pages:
        differences.append(f"printed as a sheet of {_pages(code['pages'])}, the teacher file's has {pages}")
    elif not any(p["page"] == code["page"] for p in data["pages"]):
        differences.append(f"printed as page {code['page']}, the teacher file's sheet has no page {code['page']}")
    return differences


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"


def _other_codes(code: dict[str, Any], paper: str,
                 keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]) -> str:
    """For a page without a teacher file: the teacher files in --key of the same article and version
    (built again since the page was printed), each with what differs that the page shows."""
    others = [(name, data) for (article, version, _), (name, data) in sorted(keys.items(), key=lambda k: k[1][0])
              if article == code["slug_hash"] and version == code["version"]]
    if not others:
        return ""
    said = []
    for name, data in others:
        differences = layout_differences(code, paper, data) or ["other questions, points or student digits"]
        said.append(f"{name}, code {data['code']} ({'; '.join(differences)})")
    return (f"; --key has {', '.join(said)}, from another build of this sheet: mark the page with the teacher "
            "file of the build it was printed from")


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


def _read_bubbles(page: Page, image: np.ndarray, printed: list[tuple[Row, list[tuple[float, float]]]],
                  scale: float) -> None:
    """Measure and classify every row into `page.rows`; none, with a problem, when the page looks misplaced.
    `image` shows the page from `page.origin`; the rows' centres are the paper's."""
    ox, oy = page.origin
    ink = darkness(image, [(x - ox, y - oy) for _, centres in printed for x, y in centres], scale)
    found = [[(x + ox, y + oy) for x, y in centres]
             for centres in find_rings(ink, [[(x - ox, y - oy) for x, y in centres] for _, centres in printed])]
    measures = measure(ink, [(x - ox, y - oy) for centres in found for x, y in centres])  # all bubbles at once
    blank = blank_levels(measures)
    held, fills = kinds(measures, blank), measures.fill.tolist()
    at = 0
    for (row, _), centres in zip(printed, found):
        end = at + len(centres)
        row.fills = fills[at:end]
        row.centres = centres
        # a row's bubbles themselves are looked at only when it holds two marks or more (`classify`)
        classify(row, measures.bubbles(at, end) if held[at:end].count("mark") > 1 else [], blank, held[at:end])
        at = end
    page.rows = [row for row, _ in printed]
    doubtful = sum(1 for row in page.rows for k in row.marks if k == "trace")
    if doubtful > max(6, 0.25 * len(fills)):  # the bubbles are not where the page was placed
        page.problem = (f"{doubtful} of {len(fills)} bubbles hold part of a mark: the page is bent, cut or "
                        "not where its corners say; scan it again")
        page.rows = []
