"""What makes served study pages an installable web app: a manifest per page, icons, a service worker.

They are written by the build beside the pages, so any static web host (school web space, say)
serves an installable app, not only `quizgen serve`. The page links them from a script, and only
when it is served over http(s): opened from a file, it asks for nothing.

The icons are drawn here and encoded by a tiny PNG writer (zlib from the standard library), so no
imaging library is needed: a white card with three lines of text on the accent colour, inside the
middle 80% that a maskable icon keeps.
"""

from __future__ import annotations

import json
import struct
import zlib
from functools import cache

from generator.builders.study.render import static

PACKAGE = "generator.builders.study"
WORKER = "study-sw.js"
ICON_SIZES = (192, 512)
ACCENT = (0x1A, 0x56, 0xB0)  # --accent of palette.css, light
CARD = (0xFF, 0xFF, 0xFF)
INK = (0x1A, 0x56, 0xB0)
BACKGROUND = "#f7f6f2"  # --bg of palette.css


def icon_name(size: int) -> str:
    return f"study-icon-{size}.png"


def manifest_name(slug: str) -> str:
    return f"{slug}-study.webmanifest"


def short_name(title: str, limit: int = 12) -> str:
    """The words of the title that fit under a home-screen icon, else "Study"."""
    words: list[str] = []
    for word in title.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    return " ".join(words) if words else "Study"


def web_manifest(slug: str, title: str, language: str, rtl: bool) -> bytes:
    """The web app manifest of one article's study page: the installed app opens that page."""
    page = f"{slug}-study.html"
    data = {
        "name": f"{title} · study",
        "short_name": short_name(title),
        "description": f"Flashcards, quiz and timeline for “{title}”; works offline.",
        "lang": language,
        "dir": "rtl" if rtl else "ltr",
        "start_url": page,
        "scope": "./",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": "#{:02x}{:02x}{:02x}".format(*ACCENT),
        "icons": [
            {"src": icon_name(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for size in ICON_SIZES for purpose in ("any", "maskable")
        ],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def png(width: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGB PNG of `rows` (each `width` * 3 bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (none) on every row
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


@cache
def icon(size: int) -> bytes:
    """The app icon, `size` pixels square."""

    def px(fraction: float) -> int:
        return round(size * fraction)

    left, right, top, bottom, radius = px(0.22), px(0.78), px(0.26), px(0.74), px(0.06)
    lines = [(px(0.36), px(0.41), px(0.68)), (px(0.47), px(0.52), px(0.68)), (px(0.58), px(0.63), px(0.56))]
    background = bytes(ACCENT)
    rows = []
    for y in range(size):
        if not top <= y < bottom:
            rows.append(background * size)
            continue
        inset = 0  # the card's rounded corners
        corner = radius - min(y - top, bottom - 1 - y)
        if corner > 0:
            inset = radius - round((radius * radius - corner * corner) ** 0.5)
        row = bytearray(background * size)
        row[(left + inset) * 3:(right - inset) * 3] = bytes(CARD) * (right - left - 2 * inset)
        for start, end, stop in lines:
            if start <= y < end:
                row[px(0.30) * 3:stop * 3] = bytes(INK) * (stop - px(0.30))
        rows.append(bytes(row))
    return png(size, rows)


def worker() -> bytes:
    return static(PACKAGE, "sw.js").encode("utf-8")


def install_script() -> str:
    """The page's script that links the manifest and registers the worker when served."""
    return static(PACKAGE, "install.js")
