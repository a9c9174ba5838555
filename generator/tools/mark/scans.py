"""Opening scans: the pages of image files and of PDFs, grey, bounded in bytes, pixels and page size.

A PDF page that is one upright JPEG (what scanners write) is decoded as it is, at its own resolution;
any other page is rendered at DPI. A worker keeps the PDF it reads open from one page to the next.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from generator.sources.userfiles import check_page, read_bytes, read_image

DPI = 200  # PDF scans are rendered at this resolution
MAX_SCAN_BYTES = 200_000_000


_OPEN: dict[str, Any] = {}  # the PDF a worker is reading, kept open from one page to the next


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


def close_documents() -> None:
    for document in _OPEN.values():
        document.close()
    _OPEN.clear()


def count_pages(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        return len(_document(path))
    return 1


def load_page(path: Path, index: int) -> tuple[np.ndarray | None, bytes | None]:
    """Page `index` (from 1) of a scan file, grey (None when it cannot be read), and the JPEG it was
    decoded from when it is one (the annotated sheet shows it as it is). A PDF page that is one upright
    JPEG (what scanners write) is decoded as it is, at its own resolution; any other page is rendered
    at DPI. A JPEG's pixels are taken as stored (its EXIF orientation is left out, as a PDF reader
    leaves it out): the corner markers tell which way up the page is."""
    if path.suffix.lower() != ".pdf":
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
