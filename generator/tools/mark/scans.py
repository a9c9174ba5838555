"""Opening scans: the pages of image files and of PDFs, grey, bounded in bytes, pixels and page size.

A PDF page that is one upright JPEG (what scanners write) is decoded as it is, at its own resolution;
any other page is rendered at DPI. A TIFF has a page a directory (office scanners write a whole class
into one), each decoded on its own. A worker keeps the PDF or TIFF it reads open from one page to the next.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from generator.errors import UsageError
from generator.sources.userfiles import Refused, check_page, read_bytes, read_image, tiff_pages

DPI = 200  # PDF scans are rendered at this resolution
MAX_SCAN_BYTES = 200_000_000


_OPEN: dict[str, Any] = {}  # the PDF a worker is reading, kept open from one page to the next
_TIFF: dict[str, bytes] = {}  # the multi-page TIFF a worker is reading, kept from one page to the next


def _document(path: Path) -> Any:
    # pypdfium2 (the [mark] extra): only for scans given as a PDF
    import pypdfium2 as pdfium

    key = str(path)
    if key not in _OPEN:
        for document in _OPEN.values():
            document.close()
        _OPEN.clear()
        _OPEN[key] = pdfium.PdfDocument(read_bytes(path, MAX_SCAN_BYTES))  # a regular file, bounded
    return _OPEN[key]


def _tiff(path: Path) -> bytes:
    key = str(path)
    if key not in _TIFF:
        _TIFF.clear()
        _TIFF[key] = read_image(path, MAX_SCAN_BYTES)  # every page's pixels counted from its directory first
    return _TIFF[key]


def close_documents() -> None:
    for document in _OPEN.values():
        document.close()
    _OPEN.clear()
    _TIFF.clear()


TIFF_MAGIC = (b"II*\0", b"MM\0*")
IMAGE_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"BM", b"RIFF")  # JPEG, PNG, GIF, BMP, WebP


def kind(path: Path) -> str:
    """A scan's format by its first bytes, as its reader will take it, whatever its name says: scanners
    write a multi-page TIFF or a PDF named .jpg. "pdf" (its header in its first 1024 bytes, where PDF
    readers look for it), "tiff", "gif", or "image" (any other: told when decoded); by its name when nothing can
    be read here (a pipe is not waited on: reading it refuses it). Read again for every page (a few
    microseconds): a file changed between two markings in one process is never taken for what it was."""
    head = b""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            head = os.read(fd, 1024) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
        finally:
            os.close(fd)
    except OSError:
        pass
    if head.startswith(TIFF_MAGIC):
        return "tiff"
    if head.startswith(b"GIF8"):
        return "gif"
    if b"%PDF-" in head and not head.startswith(IMAGE_MAGIC):
        return "pdf"
    suffix = path.suffix.lower()
    return "image" if head else "pdf" if suffix == ".pdf" else "tiff" if suffix in (".tif", ".tiff") else "image"


# a GIF of one black pixel: OpenCV reads GIF from 4.12 (4.11 has the decoder, but not in its builds)
_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
        b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def reads_gif() -> bool:
    """Whether this OpenCV decodes GIF (asked of it, not told by its version: a build may leave it out)."""
    return cv2.imdecode(np.frombuffer(_GIF, np.uint8), cv2.IMREAD_GRAYSCALE) is not None


def _check_gif(path: Path, found: str) -> None:
    """Refuse a GIF scan (`found`: its kind) in one line when this OpenCV cannot decode GIF, rather than
    list it as a page not placed."""
    if found == "gif" and not reads_gif():
        raise Refused(path, f"is a GIF image, which this OpenCV ({cv2.__version__}) cannot read (OpenCV reads GIF from "
                            "4.12): pip install -U opencv-python-headless, or save the scans as PNG or JPEG")


def count_pages(path: Path) -> int:
    """The pages of a scan file: a PDF's, a TIFF's (one a directory), 1 for any other image; a GIF that
    this OpenCV cannot decode is refused (UsageError)."""
    found = kind(path)
    _check_gif(path, found)
    if found == "pdf":
        return len(_document(path))
    if found == "tiff":
        try:
            data = _tiff(path)
        except (UsageError, OSError):  # not a TIFF, too large, unreadable: said for its page, as for any image
            return 1
        return max(1, len(tiff_pages(data)))
    return 1


def load_page(path: Path, index: int) -> tuple[np.ndarray | None, bytes | None]:
    """Page `index` (from 1) of a scan file, grey (None when it cannot be read), and the JPEG it was
    decoded from when it is one (the annotated sheet shows it as it is). A PDF page that is one upright
    JPEG (what scanners write) is decoded as it is, at its own resolution; any other page is rendered
    at DPI. A JPEG's pixels are taken as stored (its EXIF orientation is left out, as a PDF reader
    leaves it out): the corner markers tell which way up the page is."""
    found = kind(path)
    if found == "tiff" and index > 1:
        data = _tiff(path)
        if tiff_pages(data)[index - 1] is None:  # its pixels cannot be counted: not decoded
            raise Refused(path, f"page {index} cannot be read: its TIFF directory is damaged (and any page after it "
                                "cannot be found)")
        ok, pages = cv2.imdecodemulti(np.frombuffer(data, np.uint8),
                                      cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION, None, (index - 1, index))
        return (pages[0] if ok and pages else None), None
    if found != "pdf":
        data = read_image(path, MAX_SCAN_BYTES)  # a regular file, its pixels counted from its header first
        return _decode(data), data if data.startswith(b"\xff\xd8") else None
    page = _document(path)[index - 1]
    try:
        width, height = page.get_size()
        check_page(width, height, path)  # before rendering: a huge page is gigabytes of pixels
        jpeg = _only_jpeg(page)
        if jpeg is not None:
            gray = _decode(jpeg)
            if gray is not None:
                return gray, jpeg
        array = page.render(scale=DPI / 72, grayscale=True).to_numpy()
        return np.ascontiguousarray(array[:, :, 0] if array.ndim == 3 else array), None
    finally:
        page.close()


def _decode(data: bytes) -> np.ndarray | None:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION)


def _only_jpeg(page: Any) -> bytes | None:
    """The JPEG data of a page that shows one image, upright and unturned, and nothing else."""
    # pypdfium2 (the [mark] extra): only for scans given as a PDF
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
