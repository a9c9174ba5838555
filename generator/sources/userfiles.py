"""Reading files a user hands quizgen (CSV, JSON, TOML, scans), bounded in bytes, pixels, depth and time.

One module for every reader outside the content's own loader (`load.read_input`), so that `mark`,
the configuration file and the others refuse the same things the same way:

- only regular files: a FIFO is opened without waiting for a writer and refused, a device or a
  link to `/dev/zero` is refused before one byte is read, a folder is refused;
- at most `limit` bytes, checked on the open file (its size, then what is read: a file that grows
  while read stops at the limit);
- text decoded as what it is: a byte-order mark (UTF-8, UTF-16, UTF-32) first, then UTF-8, then the
  code page Excel writes as "CSV" on Windows (Windows-1252, -1255, -1256, ...) as charset-normalizer
  and `generator/sources/charsets.py` tell it; a file that cannot be told (UTF-8 with a stray byte of
  another encoding) is refused naming its line, never read as mojibake;
- CSV as spreadsheets write it: the separator (comma, semicolon or tab) from the header line, and
  quotes as Excel's own dialect has them (a `"` doubled inside a quoted field);
- JSON and TOML nested at most `MAX_DEPTH` deep, checked by a scan before the parser recurses;
- images by their pixels, read from the header before anything is decoded, and PDF pages by
  their size in points before they are rendered.

`Refused` (a UsageError: exit 2, one line naming the file) is for what the user can fix; OSError
stays for faults of the computer (exit 74).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import struct
from pathlib import Path
from typing import Any

from generator.errors import UsageError, printable
from generator.sources.charsets import legacy

MAX_DEPTH = 64  # nesting of JSON and TOML
MAX_TEXT = 16_000_000  # bytes of a CSV, JSON or TOML file
MAX_PIXELS = 60_000_000  # an A3 page scanned at 600 dpi is 70 million pixels at most; A4 at 600 dpi 35 million
MAX_PAGE_POINTS = 2_000  # a PDF page's width or height in points (A3 is 842 × 1191)

# the image formats quizgen reads (OpenCV decodes them; `image_size` reads their headers), with the
# endings of their file names: a folder of scans is read by these, and the messages name them
IMAGE_FORMATS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg", ".jpe", ".jfif"), "TIFF": (".tif", ".tiff"),
                 "BMP": (".bmp", ".dib"), "GIF": (".gif",), "WebP": (".webp",)}
IMAGE_SUFFIXES = tuple(suffix for suffixes in IMAGE_FORMATS.values() for suffix in suffixes)
IMAGE_NAMES = ", ".join(list(IMAGE_FORMATS)[:-1]) + " or " + list(IMAGE_FORMATS)[-1]  # "PNG, JPEG, ... or WebP"


class Refused(UsageError):
    """A user's file that quizgen will not read, with the reason (one line)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{printable(str(path))}: {reason}")


def read_bytes(path: Path, limit: int = MAX_TEXT) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; Refused for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Refused(path, "no such file") from None
    except IsADirectoryError:
        raise Refused(path, "is a folder, not a file") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Refused(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Refused(path, "is not a regular file (a pipe, device or socket); give a file")
        if info.st_size > limit:
            raise Refused(path, f"is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks, total = [], 0
        while total <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - total))):
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise Refused(path, f"grew past {limit:,} bytes while it was read")
    return b"".join(chunks)


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(data: bytes, path: Path) -> str:
    """Text from bytes: by its byte-order mark, else UTF-8, else UTF-16 without a mark, else the code page
    it is in (Excel's CSV on Windows) when that can be told with confidence (`charsets.legacy`)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise Refused(path, f"is not {encoding.upper()} text as its byte-order mark says ({e.reason})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    if b"\0" in head:  # UTF-16 without a mark: every other byte of plain text is 0, the first (BE) or second (LE)
        encoding = "utf-16-be" if head[0::2].count(0) > head[1::2].count(0) else "utf-16-le"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise Refused(path, "is not text (it holds NUL bytes)") from None
    text, reason = legacy(data)
    if text is None:
        raise Refused(path, reason)
    return text


def read_text(path: Path, limit: int = MAX_TEXT) -> str:
    return decode(read_bytes(path, limit), path)


def read_csv(path: Path, limit: int = MAX_TEXT) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows (as dicts) of a CSV file; any dialect Excel or LibreOffice writes
    (comma, semicolon or tab), any field length up to the file's."""
    text = read_text(path, limit).replace("\0", "")
    dialect = _dialect(text)
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
        return list(reader.fieldnames or []), list(reader)
    except csv.Error as e:
        raise Refused(path, f"is not a CSV file quizgen can read ({e})") from None
    finally:
        csv.field_size_limit(old)


class _Spreadsheet(csv.excel):
    """What Excel, Google Sheets, LibreOffice and Numbers write: `"` quotes a field, doubled inside one."""

    delimiter = ","


def _dialect(text: str) -> type[csv.Dialect]:
    """Excel's dialect with the separator of the header line (comma, semicolon or tab). Only the
    separator is sniffed: csv.Sniffer tells quoting from one line wrong (a header has no quotes, so it
    said quotes are not doubled, and `"Dana ""DJ"" Jones"` read as `Dana "DJ"" Jones"`)."""
    header = text[:8192].splitlines()[0] if text else ""
    try:
        delimiter = csv.Sniffer().sniff(header + "\n", delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return type("Spreadsheet", (_Spreadsheet,), {"delimiter": delimiter})


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_TOML_STRING = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def depth(text: str, *, toml: bool = False) -> int:
    """How deep `[` and `{` nest in JSON or TOML text, strings (and TOML comments) left out."""
    deepest = level = 0
    outside = "".join((_TOML_STRING if toml else _STRING).split(text))
    for char in _BRACKET.findall(outside):  # only the brackets: under half the time of every character
        if char in "[{":
            level += 1
            if level > deepest:
                deepest = level
        elif level:
            level -= 1
    return deepest


def check_depth(text: str, path: Path, *, toml: bool = False) -> None:
    if depth(text, toml=toml) > MAX_DEPTH:
        raise Refused(path, f"is nested more than {MAX_DEPTH} levels deep")


def read_json(path: Path, limit: int = MAX_TEXT) -> Any:
    """A JSON file's value; Refused when it is not JSON, too large or too deep."""
    text = read_text(path, limit)
    check_depth(text, path)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise Refused(path, f"is not JSON ({e})") from None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, JPEG, GIF, BMP, WebP or TIFF header; None when not found there."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"GIF8") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"BM") and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data.startswith((b"II*\0", b"MM\0*")):
        sizes = tiff_pages(data)
        return sizes[0] if sizes else None
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    kind = data[12:16]
    if kind == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if kind == b"VP8 " and len(data) >= 30:
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    if kind == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def tiff_pages(data: bytes) -> list[tuple[int, int] | None]:
    """(width, height) of each page of a TIFF, from its chain of directories (one a page): None for a
    directory that cannot be read, which ends the chain (the pages after it cannot be found); a
    directory met again (a loop) ends it too. Not a TIFF: no page."""
    if not data.startswith((b"II*\0", b"MM\0*")):
        return []
    order = "<" if data[:2] == b"II" else ">"
    try:
        (offset,) = struct.unpack(order + "I", data[4:8])
    except struct.error:
        return []
    sizes: list[tuple[int, int] | None] = []
    seen: set[int] = set()
    while offset and offset not in seen:
        seen.add(offset)
        size, offset = _tiff_directory(data, offset, order)
        sizes.append(size)
    return sizes


def _tiff_directory(data: bytes, offset: int, order: str) -> tuple[tuple[int, int] | None, int]:
    """The size of the page whose directory is at `offset` (None when it cannot be read), and where
    the next directory is (0: none)."""
    try:
        (count,) = struct.unpack(order + "H", data[offset:offset + 2])
        found: dict[int, int] = {}
        for i in range(count):
            tag, kind, _, value = struct.unpack(order + "HHI4s", data[offset + 2 + 12 * i:offset + 14 + 12 * i])
            if tag in (256, 257):
                found[tag] = struct.unpack(order + ("H" if kind == 3 else "I"), value[:2 if kind == 3 else 4])[0]
    except struct.error:
        return None, 0
    if 256 not in found or 257 not in found:
        return None, 0
    try:
        (following,) = struct.unpack(order + "I", data[offset + 2 + 12 * count:offset + 6 + 12 * count])
    except struct.error:  # cut short after its last page
        following = 0
    return (found[256], found[257]), following


def read_image(path: Path, limit: int = 200_000_000, max_pixels: int = MAX_PIXELS) -> bytes:
    """An image file's bytes, once its header says it has at most `max_pixels` pixels (each page of a TIFF)."""
    data = read_bytes(path, limit)
    sizes = tiff_pages(data) or [image_size(data)]  # a TIFF's chain of pages read once
    if sizes[0] is None:
        raise Refused(path, f"is not an image quizgen can read ({IMAGE_NAMES})")
    for page, (width, height) in enumerate((s or (0, 0) for s in sizes), start=1):  # a damaged one: said when read
        if width * height > max_pixels:
            where = f"page {page} " if len(sizes) > 1 else ""
            raise Refused(path, f"{where}is {width} × {height} pixels; the limit is {max_pixels:,} pixels (scan at 300 dpi)")
    return data


def check_page(width: float, height: float, path: Path) -> None:
    """Refuse a PDF page larger than `MAX_PAGE_POINTS` on a side before it is rendered."""
    if max(width, height) > MAX_PAGE_POINTS or min(width, height) <= 0:
        raise Refused(path, f"has a page of {width:.0f} × {height:.0f} points; the limit is {MAX_PAGE_POINTS} "
                            "points a side (A3 is 842 × 1191)")
