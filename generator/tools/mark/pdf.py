"""A small PDF writer for the annotated sheets: each page one JPEG, embedded as it is, and vector marks.

The scan's own JPEG is placed by a matrix (so that the paper stands upright on the page) instead of
being decoded, resampled and encoded again; the marking is drawn over it as lines and text in
Helvetica Bold, the one font every PDF reader has. The file has no date in it: the same marking
gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

POINTS = 72 / 25.4  # PDF points a millimetre
BEZIER = 0.5523  # a quarter circle as one cubic curve: the control points at this part of the radius
_CIRCLES: dict[float, str] = {}  # a circle's path by its radius (mm), around the origin


@dataclass
class Picture:
    """A JPEG and where it goes: `matrix` maps its unit square (its top row at y = 1) onto the page, in points."""

    jpeg: bytes
    width: int
    height: int
    grey: bool
    matrix: tuple[float, float, float, float, float, float]


def jpeg_frame(data: bytes) -> tuple[int, int, int] | None:
    """(width, height, components) of a JPEG every PDF reader shows (baseline or progressive, 8 bits,
    grey or colour); None for anything else."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            frame = data[at + 4:at + 10]
            if len(frame) < 6 or frame[0] != 8 or frame[5] not in (1, 3):
                return None
            return int.from_bytes(frame[3:5], "big"), int.from_bytes(frame[1:3], "big"), frame[5]
        if 0xC3 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) or marker == 0xDA:
            return None  # lossless, hierarchical or arithmetic coding; or no frame before the scan
        at += 2 + length
    return None


class Drawing:
    """PDF drawing operators on a page `height` points high, given in millimetres from the top left."""

    def __init__(self, height_mm: float) -> None:
        self.height = height_mm
        self.ops: list[str] = []

    def _xy(self, x: float, y: float) -> str:
        return f"{x * POINTS:.2f} {(self.height - y) * POINTS:.2f}"

    def stroke(self, colour: tuple[int, int, int], width_mm: float) -> None:
        r, g, b = (c / 255 for c in colour)
        self.ops.append(f"{r:.3f} {g:.3f} {b:.3f} RG {width_mm * POINTS:.2f} w")

    def fill(self, colour: tuple[int, int, int]) -> None:
        r, g, b = (c / 255 for c in colour)
        self.ops.append(f"{r:.3f} {g:.3f} {b:.3f} rg")

    def circle(self, x: float, y: float, radius: float) -> None:
        if radius not in _CIRCLES:
            r, k = radius * POINTS, BEZIER * radius * POINTS
            _CIRCLES[radius] = (f"{r:.2f} 0 m {r:.2f} {k:.2f} {k:.2f} {r:.2f} 0 {r:.2f} c {-k:.2f} {r:.2f} {-r:.2f} {k:.2f} "
                                f"{-r:.2f} 0 c {-r:.2f} {-k:.2f} {-k:.2f} {-r:.2f} 0 {-r:.2f} c {k:.2f} {-r:.2f} {r:.2f} "
                                f"{-k:.2f} {r:.2f} 0 c h S")
        self.ops.append(f"q 1 0 0 1 {self._xy(x, y)} cm {_CIRCLES[radius]} Q")

    def polygon(self, points: list[tuple[float, float]], filled: bool = False) -> None:
        first, *rest = points
        self.ops.append(f"{self._xy(*first)} m " + " ".join(f"{self._xy(*p)} l" for p in rest) + (" h f" if filled else " h S"))

    def text(self, x: float, y: float, size_pt: float, words: str) -> None:
        """`words` in the current fill colour, its baseline starting at (x, y) mm."""
        raw = (words if words.isascii() else _latin(words)).encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        self.ops.append(f"BT /F1 {size_pt:.1f} Tf {self._xy(x, y)} Td (" + raw.decode("latin-1") + ") Tj ET")


# Helvetica Bold's advance widths (thousandths of the size) of the printable ASCII letters, space to "~"
_WIDTH_TABLE = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 "
    "611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584")
_WIDTHS = [int(w) for w in _WIDTH_TABLE.split()]


def _latin(words: str) -> str:
    """`words` with each letter the font has not (it has Western European ones) written without its accents."""
    return "".join(c if c.encode("cp1252", "ignore") else unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
                   for c in words)


def text_width_mm(words: str, size_pt: float) -> float:
    """The width of `words` in Helvetica Bold at `size_pt` (a letter beyond ASCII taken as a wide one)."""
    return sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 778 for c in words) / 1000 * size_pt / POINTS


def document(pages: list[tuple[tuple[float, float], Picture, Drawing]]) -> bytes:
    """A PDF of `pages`: each (width, height) in mm, its picture, then its drawing over it."""
    objects: list[list[bytes]] = [[], [], [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"]]
    kids = []
    for (width, height), picture, drawing in pages:
        image = len(objects) + 1
        space = "/DeviceGray" if picture.grey else "/DeviceRGB"
        objects.append([f"<< /Type /XObject /Subtype /Image /Width {picture.width} /Height {picture.height} "
                        f"/ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode /Length {len(picture.jpeg)} >>\n"
                        "stream\n".encode("ascii"), picture.jpeg, b"\nendstream"])
        matrix = " ".join(f"{v:.4f}" for v in picture.matrix)
        content = f"q {matrix} cm /Im0 Do Q\n{chr(10).join(drawing.ops)}\n".encode("latin-1")
        objects.append([f"<< /Length {len(content)} >>\nstream\n".encode("ascii"), content, b"\nendstream"])
        kids.append(len(objects) + 1)
        objects.append([f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width * POINTS:.2f} {height * POINTS:.2f}] "
                        f"/Resources << /XObject << /Im0 {image} 0 R >> /Font << /F1 3 0 R >> >> "
                        f"/Contents {image + 1} 0 R >>".encode("ascii")])
    objects[0] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objects[1] = [f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode("ascii")]
    parts = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    at = len(parts[0])
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(at)
        parts += [f"{n} 0 obj\n".encode("ascii"), *body, b"\nendobj\n"]
        at += sum(len(p) for p in parts[-len(body) - 2:])
    parts.append(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii"))
    parts += [f"{o:010d} 00000 n \n".encode("ascii") for o in offsets]
    parts.append(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{at}\n%%EOF\n".encode("ascii"))
    return b"".join(parts)
