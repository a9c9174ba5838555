"""How wide a line of text is on the answer sheet, estimated: SVG text cannot shrink or cut itself
to fit, so a pre-printed name (`--roster`) is sized, and the quiz's title cut, from an estimate.

Apart from the quiz's package, which quiz_options (the class list's check) cannot import without a cycle."""

from __future__ import annotations

import unicodedata

from generator.outputs.sheet_code import INSET, MARKER, PAPER_MM, QR_SIZE

# A pre-printed name (`--roster`) is drawn in bold Arial (Liberation Sans), at most NAME_SIZE mm high,
# in the name box less NAME_PAD mm each side. SVG text cannot shrink itself to fit, so its width is
# estimated from its characters, from above (bold Arial's widest letters of each class: W and M,
# capitals, the rest), and the size chosen so that it fits; a clip to the box guards the QR code.
NAME_SIZE = 4.2
NAME_SMALLEST = 2.2  # mm: the smallest size a name is printed at, still read at arm's length
NAME_PAD = 3.0
_WIDE = frozenset("MWmwЖШЩЮЫжшщюыМШ@%")


def name_box(paper: str) -> tuple[float, float]:
    """(left, width) of the name box of a named sheet on `paper`, in mm: from after the top-left
    marker to 5 mm before the QR code."""
    width = PAPER_MM[paper][0]
    left = INSET + MARKER + 3.0
    qr_left = width - INSET - MARKER - 3.0 - QR_SIZE
    return left, round(qr_left - left - 5.0, 2)


def name_ems(name: str) -> float:
    """The width of `name` in bold Arial, in ems, estimated from above: no letter is wider than its
    class's widest (a combining accent takes no room, a Chinese character a whole em)."""
    total = 0.0
    for char in unicodedata.normalize("NFD", name):  # a letter and its accents apart: Ẅ is as wide as W
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F") or char in _WIDE:
            total += 1.0
        elif char.isspace():
            total += 0.3
        elif char.isupper():
            total += 0.8
        else:
            total += 0.65
    return total


def name_size(name: str, paper: str) -> float:
    """The font size (mm) a pre-printed name is drawn at on `paper`: NAME_SIZE, or smaller so that it
    fits its box (never below NAME_SMALLEST: quiz_options refuses a name that does not fit then)."""
    room = name_box(paper)[1] - 2 * NAME_PAD
    ems = name_ems(name)
    return NAME_SIZE if ems * NAME_SIZE <= room else max(NAME_SMALLEST, round(room / ems - 0.05, 1))


def name_fits(name: str, paper: str) -> bool:
    """Whether `name` fits its box on `paper` at NAME_SMALLEST or larger."""
    return name_ems(name) * NAME_SMALLEST <= name_box(paper)[1] - 2 * NAME_PAD


def fit_line(text: str, room: float, size: float) -> str:
    """`text` as it fits `room` mm at `size` mm (name_ems' estimate), else cut at a word where it can
    and ended by "…": the sheet's title, which runs towards the QR code."""
    if name_ems(text) * size <= room:
        return text
    cut = text
    while cut and name_ems(cut + "…") * size > room:
        cut = cut[:-1]
    words = cut.rsplit(" ", 1)[0] if " " in cut[len(cut) // 2:] else cut  # a whole word, unless it is too long
    return words.rstrip(" ,:;-·") + "…"
