"""Drawing the annotated sheets with pypdfium2: each page the scan's JPEG, embedded as it is, and vector marks.

The scan's own JPEG is placed by a matrix (so that the paper stands upright on the page) instead of
being decoded, resampled and encoded again; the marking is drawn over it as paths and text in
Helvetica Bold, one of the standard fonts every PDF reader has. pdfium writes the file (and, as it
always does, its creation date).
"""

from __future__ import annotations

import ctypes
import io
import unicodedata
from typing import Any

POINTS = 72 / 25.4  # PDF points a millimetre
BEZIER = 0.5523  # a quarter circle as one cubic curve: the control points at this part of the radius
FONT = b"Helvetica-Bold"

Matrix = tuple[float, float, float, float, float, float]


def jpeg_image(pdf: Any, jpeg: bytes) -> tuple[Any, int, int] | None:
    """(the image object, width, height) of `jpeg` embedded as it is in `pdf`; None when pdfium cannot read it."""
    import pypdfium2 as pdfium

    image = pdfium.PdfImage.new(pdf)
    try:
        image.load_jpeg(io.BytesIO(jpeg), inline=False)
        width, height = image.get_px_size()
    except pdfium.PdfiumError:
        width = height = 0
    if width and height:
        return image, width, height
    image.close()
    return None


def saved(pdf: Any) -> bytes:
    """The bytes of `pdf`, as pdfium writes it."""
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


class Drawing:
    """Marks on a page of `pdf` `height_mm` high, placed in millimetres from its top left."""

    def __init__(self, pdf: Any, page: Any, height_mm: float) -> None:
        import pypdfium2.raw as raw

        self.raw, self.pdf, self.page, self.height = raw, pdf, page, height_mm
        self._doc, self._page = pdf.raw, page.raw  # pdfium's own handles: each call skips the wrappers' lookup
        self.colour = (0, 0, 0)
        self.width = 1.0
        self.rings: dict[tuple[tuple[int, int, int], float], Any] = {}  # the circles of each stroke, one path

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        return x * POINTS, (self.height - y) * POINTS

    def image(self, image: Any, matrix: Matrix) -> None:
        """`image`'s unit square (its top row at y = 1) mapped onto the page by `matrix`, in points."""
        import pypdfium2 as pdfium

        image.set_matrix(pdfium.PdfMatrix(*matrix))
        self.page.insert_obj(image)

    def whole_page(self, image: Any, width_mm: float) -> None:
        """`image` over the whole page, `width_mm` wide (an upright page's picture)."""
        self.part(image, (0.0, 0.0), (width_mm, self.height))

    def part(self, image: Any, origin: tuple[float, float], size: tuple[float, float]) -> None:
        """`image` upright over the part of the page from `origin` (mm, its top left corner) of `size` (mm)."""
        self.image(image, (size[0] * POINTS, 0.0, 0.0, size[1] * POINTS, origin[0] * POINTS,
                           (self.height - origin[1] - size[1]) * POINTS))

    def stroke(self, colour: tuple[int, int, int], width_mm: float) -> None:
        self.colour, self.width = colour, width_mm * POINTS

    def fill(self, colour: tuple[int, int, int]) -> None:
        self.colour = colour

    def _path(self, path: Any, filled: bool, colour: tuple[int, int, int], width: float) -> None:
        raw = self.raw
        raw.FPDFPath_SetDrawMode(path, raw.FPDF_FILLMODE_WINDING if filled else raw.FPDF_FILLMODE_NONE, not filled)
        if filled:
            raw.FPDFPageObj_SetFillColor(path, *colour, 255)
        else:
            raw.FPDFPageObj_SetStrokeColor(path, *colour, 255)
            raw.FPDFPageObj_SetStrokeWidth(path, width)
        raw.FPDFPage_InsertObject(self._page, path)

    def circle(self, x: float, y: float, radius: float) -> None:
        """A circle in the current stroke; the circles of one stroke are one path, drawn by `draw_circles`."""
        raw = self.raw
        cx, cy = self._xy(x, y)
        r = radius * POINTS
        k = BEZIER * r
        path = self.rings.get((self.colour, self.width))
        if path is None:
            path = self.rings[self.colour, self.width] = raw.FPDFPageObj_CreateNewPath(cx + r, cy)
        else:
            raw.FPDFPath_MoveTo(path, cx + r, cy)
        raw.FPDFPath_BezierTo(path, cx + r, cy + k, cx + k, cy + r, cx, cy + r)
        raw.FPDFPath_BezierTo(path, cx - k, cy + r, cx - r, cy + k, cx - r, cy)
        raw.FPDFPath_BezierTo(path, cx - r, cy - k, cx - k, cy - r, cx, cy - r)
        raw.FPDFPath_BezierTo(path, cx + k, cy - r, cx + r, cy - k, cx + r, cy)
        raw.FPDFPath_Close(path)

    def draw_circles(self) -> None:
        """Put the circles drawn so far on the page, over what is there."""
        for (colour, width), path in self.rings.items():
            self._path(path, False, colour, width)
        self.rings = {}

    def polygon(self, points: list[tuple[float, float]], filled: bool = False) -> None:
        first, *rest = points
        path = self.raw.FPDFPageObj_CreateNewPath(*self._xy(*first))
        for point in rest:
            self.raw.FPDFPath_LineTo(path, *self._xy(*point))
        self.raw.FPDFPath_Close(path)
        self._path(path, filled, self.colour, self.width)

    def text(self, x: float, y: float, size_pt: float, words: str, behind: tuple[int, int, int] | None = None) -> None:
        """`words` in the current colour, its baseline starting at (x, y) mm, over a box of colour `behind`
        (as wide as pdfium measures the words) when given."""
        raw = self.raw
        label = raw.FPDFPageObj_NewTextObj(self._doc, FONT, size_pt)
        raw.FPDFText_SetText(label, _letters(words, raw))
        if behind is not None:  # the box first, so that the words are drawn over it
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            raw.FPDFPageObj_GetBounds(label, left, bottom, right, top)
            width = (right.value - min(left.value, 0.0)) / POINTS
            colour, self.colour = self.colour, behind
            height = size_pt * 0.75 / POINTS
            self.polygon([(x - 1, y - height - 1), (x + width + 1, y - height - 1), (x + width + 1, y + 1.5), (x - 1, y + 1.5)],
                         filled=True)
            self.colour = colour
        raw.FPDFPageObj_SetFillColor(label, *self.colour, 255)
        raw.FPDFPageObj_Transform(label, 1, 0, 0, 1, *self._xy(x, y))
        raw.FPDFPage_InsertObject(self._page, label)


_LETTERS: dict[str, Any] = {}  # the few labels every sheet repeats ("1", "0", "review"), made once


def _letters(words: str, raw: Any) -> Any:
    """`words` as pdfium takes a text: UTF-16 with a final NUL, as a pointer to its wide characters."""
    found = _LETTERS.get(words)
    if found is None:
        letters = (words if words.isascii() else _latin(words)).encode("utf-16-le") + b"\0\0"
        found = ctypes.cast(ctypes.c_char_p(letters), ctypes.POINTER(raw.FPDF_WCHAR))  # keeps `letters` alive
        if len(words) <= 8 and len(_LETTERS) < 256:
            _LETTERS[words] = found
    return found


def _latin(words: str) -> str:
    """`words` with each letter the font has not (it has Western European ones) written without its accents."""
    return "".join(c if c.encode("cp1252", "ignore") else unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
                   for c in words)
