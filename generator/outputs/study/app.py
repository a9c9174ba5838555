"""What makes served study pages an installable web app: a manifest per page, icons, a service worker.

They are written by the build beside the pages, so any static web host (school web space, say)
serves an installable app, not only `quizgen serve`. The page links them from a script, and only
when it is served over http(s): opened from a file, it asks for nothing.

Each article's icons are drawn here and encoded by a tiny PNG writer (two colours, a bit a pixel; zlib from the standard
library), so no imaging library is needed: a white card on a colour of the article's own (from its
slug, dark enough for white to read on it), inside the middle 80% that a maskable icon keeps, with
the first letter of the title on the card (A-Z and 0-9 from a 5x7 pixel font; accents dropped; any
other script: three lines of text), so that two articles on a home screen differ at a glance.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import re
import struct
import unicodedata
import zlib
from functools import cache

from generator.outputs.pages import static

PACKAGE = "generator.outputs.study"
WORKER = "study-sw.js"
ICON_SIZES = (192, 512)
ACCENT = (0x1A, 0x56, 0xB0)  # --accent of palette.css, light: the app's theme colour
CARD = (0xFF, 0xFF, 0xFF)
BACKGROUND = "#f7f6f2"  # --bg of palette.css
# the words a short name never ends on (English; other languages' titles are cut at a word)
DANGLING = frozenset(("a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "off", "on", "or",
                      "over", "the", "to", "with", "without", "now"))
# 5x7 pixel glyphs of A-Z and 0-9: seven rows of five '#' or '.', separated by '/'
_GLYPHS = """\
.###./#...#/#...#/#####/#...#/#...#/#...# ####./#...#/#...#/####./#...#/#...#/####. .###./#...#/#..../#..../#..../#...#/.###.
####./#...#/#...#/#...#/#...#/#...#/####. #####/#..../#..../####./#..../#..../##### #####/#..../#..../####./#..../#..../#....
.###./#...#/#..../#.###/#...#/#...#/.#### #...#/#...#/#...#/#####/#...#/#...#/#...# .###./..#../..#../..#../..#../..#../.###.
..###/...#./...#./...#./...#./#..#./.##.. #...#/#..#./#.#../##.../#.#../#..#./#...# #..../#..../#..../#..../#..../#..../#####
#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...# #...#/##..#/#.#.#/#..##/#...#/#...#/#...# .###./#...#/#...#/#...#/#...#/#...#/.###.
####./#...#/#...#/####./#..../#..../#.... .###./#...#/#...#/#...#/#.#.#/#..#./.##.# ####./#...#/#...#/####./#.#../#..#./#...#
.####/#..../#..../.###./....#/....#/####. #####/..#../..#../..#../..#../..#../..#.. #...#/#...#/#...#/#...#/#...#/#...#/.###.
#...#/#...#/#...#/#...#/#...#/.#.#./..#.. #...#/#...#/#...#/#.#.#/#.#.#/#.#.#/.#.#. #...#/#...#/.#.#./..#../.#.#./#...#/#...#
#...#/#...#/.#.#./..#../..#../..#../..#.. #####/....#/...#./..#../.#.../#..../##### .###./#...#/#..##/#.#.#/##..#/#...#/.###.
..#../.##../..#../..#../..#../..#../.###. .###./#...#/....#/...#./..#../.#.../##### #####/...#./..#../...#./....#/#...#/.###.
...#./..##./.#.#./#..#./#####/...#./...#. #####/#..../####./....#/....#/#...#/.###. ..##./.#.../#..../####./#...#/#...#/.###.
#####/....#/...#./..#../.#.../.#.../.#... .###./#...#/#...#/.###./#...#/#...#/.###. .###./#...#/#...#/.####/....#/...#./.##..
"""
FONT = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", (g.split("/") for g in _GLYPHS.split())))


def icon_name(size: int, slug: str) -> str:
    return f"{slug}-study-icon-{size}.png"


def manifest_name(slug: str) -> str:
    return f"{slug}-study.webmanifest"


def short_name(title: str, limit: int = 12) -> str:
    """What fits under a home-screen icon: the title's first words, never ending on a possessive
    ("Israel's" becomes "Israel") or a small word; a first word too long is cut with an ellipsis."""
    words: list[str] = []
    for word in title.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    while words and words[-1].lower().strip(",:;.") in DANGLING:
        words.pop()
    if words:
        words[-1] = re.sub(r"[’']s$|[,:;.]$", "", words[-1])
        return " ".join(words)
    first = title.split()[0] if title.split() else ""
    return first[: limit - 1] + "…" if first else "Study"


def colour(slug: str) -> tuple[int, int, int]:
    """The article's own colour: a hue from its slug, dark enough for white on it to reach 4.5:1."""
    hue = int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:2], "big") / 65536
    lightness = 0.42
    while True:
        rgb = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, lightness, 0.62))
        if (1.05 / (luminance(rgb) + 0.05)) >= 4.5:
            return rgb  # type: ignore[return-value]
        lightness -= 0.02


def luminance(rgb: tuple[int, ...]) -> float:
    """WCAG's relative luminance of an sRGB colour."""
    lin = [(c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def initial(title: str) -> str:
    """The title's first letter or digit as the icon's 5x7 font has it, or "" (another script)."""
    for ch in unicodedata.normalize("NFKD", title):
        if ch.isalnum():
            return ch.upper() if ch.upper() in FONT else ""
    return ""


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
            {"src": icon_name(size, slug), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for size in ICON_SIZES for purpose in ("any", "maskable")
        ],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def png(width: int, rows: list[bytes], palette: list[tuple[int, int, int]]) -> bytes:
    """A PNG of 1-bit palette indices: `rows` as `bits` packs them, each pixel a bit into `palette`.

    An icon has two colours (the article's and the card's white), so a pixel is a bit: the rows
    zlib compresses are 24 times smaller than 8-bit RGB's (whose two icons an article took a
    twentieth of a full build's CPU, bench/run.py)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, len(rows), 1, 3, 0, 0, 0)  # bit depth 1, colour type 3 (palette)
    raw = b"\x00" + b"\x00".join(rows)  # filter type 0 (none) before every row
    plte = b"".join(bytes(c) for c in palette)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"PLTE", plte)
            + chunk(b"IDAT", zlib.compress(raw, 3)) + chunk(b"IEND", b""))


_BITS = bytes.maketrans(b"\x00\x01", b"01")


def bits(pixels: bytes | bytearray) -> bytes:
    """A row of palette indices 0 and 1 (a byte a pixel) packed eight pixels a byte, the first pixel
    in the high bit, the last byte padded with zeros."""
    packed = (len(pixels) + 7) // 8
    return int(pixels.translate(_BITS).ljust(packed * 8, b"0"), 2).to_bytes(packed, "big")


@cache
def icon(size: int, slug: str, title: str) -> bytes:
    """The article's app icon, `size` pixels square."""

    def px(fraction: float) -> int:
        return round(size * fraction)

    left, right, top, bottom, radius = px(0.22), px(0.78), px(0.26), px(0.74), px(0.06)
    marks = _glyph(initial(title), px) if initial(title) else _lines(px)
    outside = bits(bytes(size))  # palette index 0: the article's colour; 1: the card
    rows = [outside] * top  # above the card and (the last line) below it: the colour only
    made: dict[tuple[int, tuple[int, ...]], bytes] = {}  # rows of the same inset and marks are the same row, packed once
    crossing = _crossing(marks, size)
    for y in range(top, bottom):
        inset = 0  # the card's rounded corners
        corner = radius - min(y - top, bottom - 1 - y)
        if corner > 0:
            inset = radius - round((radius * radius - corner * corner) ** 0.5)
        across = crossing[y]
        row = made.get((inset, across))
        if row is None:
            drawn = bytearray(size)
            drawn[left + inset:right - inset] = b"\x01" * (right - left - 2 * inset)
            for i in across:
                x0, x1 = marks[i][2], marks[i][3]
                drawn[x0:x1] = bytes(x1 - x0)
            row = made[inset, across] = bits(drawn)
        rows.append(row)
    rows += [outside] * (size - len(rows))
    return png(size, rows, [colour(slug), CARD])


def _crossing(marks: list[tuple[int, int, int, int]], size: int) -> list[tuple[int, ...]]:
    """For each pixel row, the marks that cross it, in order: each mark's rows once, not every mark
    for every row (asking every mark at every row was 7 % of a build's study page)."""
    crossing: list[list[int]] = [[] for _ in range(size)]
    for i, (start, end, _, _) in enumerate(marks):
        for y in range(max(start, 0), min(end, size)):
            crossing[y].append(i)
    return [tuple(rows) for rows in crossing]


def _lines(px) -> list[tuple[int, int, int, int]]:
    """Three lines of text on the card: (top, bottom, left, right) in pixels."""
    return [(px(0.36), px(0.41), px(0.30), px(0.68)), (px(0.47), px(0.52), px(0.30), px(0.68)),
            (px(0.58), px(0.63), px(0.30), px(0.56))]


def _glyph(letter: str, px) -> list[tuple[int, int, int, int]]:
    """The letter's pixels as rectangles, the glyph 0.3 of the icon tall and centred on the card."""
    cell = 0.3 / 7
    x0, y0 = 0.5 - 2.5 * cell, 0.5 - 3.5 * cell
    return [(px(y0 + r * cell), px(y0 + (r + 1) * cell), px(x0 + c * cell), px(x0 + (c + 1) * cell))
            for r, line in enumerate(FONT[letter]) for c, dot in enumerate(line) if dot == "#"]


def worker() -> bytes:
    return static(PACKAGE, "sw.js").encode("utf-8")


def install_script() -> str:
    """The page's script that links the manifest and registers the worker when served."""
    return static(PACKAGE, "install.js")
