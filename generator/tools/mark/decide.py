"""What each bubble and each row of an upright page says, decided from the measures of `bubbles`:
against the row's other bubbles and the page's own blank ones (`Blank`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.tools.mark.bubbles import (
    ARM,
    AROUND,
    CLEAR,
    DIAGONALS,
    EDGE,
    EMPTY,
    ERASED,
    PART_RING,
    RINGED,
    STRONG,
    TRACE,
    Bubble,
    Measures,
    Row,
)


@dataclass
class Blank:
    """What a blank bubble of this page looks like: the print of its ring, the noise of the scan."""

    fill: float
    cover: float
    around: list[float]  # each eighth of the band outside
    spread: float  # of the fill of blank bubbles


def blank_levels(measures: Measures) -> Blank:
    """The page's own blank bubbles (most bubbles on a page are blank): their median fill, cover, around."""
    empty = not len(measures.fill)
    fill = np.zeros(1) if empty else measures.fill
    cover = np.zeros(1) if empty else measures.cover
    around = np.zeros((1, 8)) if empty else measures.around
    low = fill <= np.median(fill)
    spread = float(np.median(np.abs(fill[low] - np.median(fill[low])))) * 1.5 + 0.01
    return Blank(float(np.median(fill)), float(np.median(cover)), [float(v) for v in np.median(around, axis=0)], spread)


def kinds(measures: Measures, blank: Blank) -> list[str]:
    """What each bubble holds, as `_kind` says (the same sums and comparisons, in the same floats, on all
    the page's bubbles at once: a sixth of the time of asking bubble by bubble)."""
    fill = measures.fill - blank.fill
    cover = measures.cover - blank.cover
    around = measures.around - np.array(blank.around)
    edge = measures.edge
    lines = (around >= AROUND).sum(axis=1)
    mark = (fill >= CLEAR) | (cover >= STRONG) | (lines >= RINGED)
    cancelled = (fill >= CLEAR) & (around[:, DIAGONALS] >= ARM).all(axis=1) & (lines < RINGED)
    clean = (cover < TRACE) & (lines < PART_RING) & (edge < EDGE) & ~((cover >= TRACE / 2) & (edge >= EDGE / 2))
    empty = (fill < max(EMPTY, 4 * blank.spread)) & clean
    erased = (fill <= ERASED) & clean
    held = np.select([cancelled, mark, empty, erased], ["cancelled", "mark", "empty", "erased"], "trace")
    return held.tolist()


def classify(row: Row, bubbles: list[Bubble], blank: Blank, held: list[str] | None = None) -> Row:
    """What a row says, decided against its other bubbles and the page's blank ones.

    A bubble holds a *mark* when it is filled (CLEAR) or pen strokes cross it (a tick, a cross, a
    crescent, a scribble), or a line goes all round it (circled); a *cancelled* mark is a fill with a
    cross whose arms reach past the ring. A *trace* is anything else visibly there: a light or erased
    fill, part of a ring. One mark and no trace but erased ones: that mark ("ok"); no mark and no trace:
    "blank"; two or more plain fills and nothing else: "double" (the key's rule: no point); two marks
    otherwise (a tick or a cross beside a fill may be meant to cancel it): "several" (review); any other
    trace: "light" (review). A ring, a crescent or a tick is never read as blank. `held`: what each
    bubble holds, when it is known (`kinds`); `bubbles` are then looked at only in a row of two marks or more.
    """
    kinds = [_kind(b, blank) for b in bubbles] if held is None else held
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
