"""Printing the printable pages to PDF with Chromium, through Playwright (`quizgen build --pdf`)."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import time
import zlib
from pathlib import Path

from generator.errors import UsageError
from generator.outputs import Output

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI and containers run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "--pdf prints with Chromium through Playwright: install Playwright (pip install -e '.[pdf]' in quizgen's folder) "
    "and a Chromium on the PATH (Debian/Ubuntu: apt-get install chromium)"
)


def find_chromium() -> str | None:
    """Chromium, Chrome or Edge: on the PATH, else where macOS and Windows install them."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return next((str(p) for p in installed(sys.platform, os.environ) if p.is_file()), None)


def installed(platform: str, env: os._Environ[str] | dict[str, str]) -> list[Path]:
    """Where Chrome, Chromium and Edge are installed by default on macOS and Windows."""
    if platform == "darwin":
        apps = [("Google Chrome", "Google Chrome"), ("Chromium", "Chromium"), ("Microsoft Edge", "Microsoft Edge")]
        return [Path(f"/Applications/{app}.app/Contents/MacOS/{exe}") for app, exe in apps]
    if platform == "win32":
        roots = [env[k] for k in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA") if env.get(k)]
        found = [("Google", "Chrome", "chrome.exe"), ("Chromium", "", "chrome.exe"), ("Microsoft", "Edge", "msedge.exe")]
        return [Path(root, vendor, name, "Application", exe) for root in roots for vendor, name, exe in found]
    return []


def check_available() -> str:
    """The Chromium to print with; raises UsageError saying what to install when it is missing."""
    path = find_chromium()
    try:
        import playwright.sync_api  # noqa: F401  (the pdf extra: only asked whether it is installed)
    except ImportError:
        raise UsageError(f"Playwright is not installed. {INSTALL_HINT}") from None
    try:
        import pypdf  # noqa: F401  (joins a quiz and its appended key, each numbered on its own)
    except ImportError:
        raise UsageError(f"pypdf is not installed. {INSTALL_HINT}") from None
    if path is None:
        raise UsageError(f"no Chromium found on the PATH. {INSTALL_HINT}")
    return path


def print_to_pdf(outputs: list[Output], chromium: str, epoch: int | None = None) -> list[Output]:
    """A PDF beside every printable HTML output, laid out by the page's own @page rules; dated `epoch`
    (SOURCE_DATE_EPOCH) when given, so that the same pages print to the same bytes."""
    from playwright.sync_api import sync_playwright  # the pdf extra, only for --pdf

    if not any(o.printable for o in outputs):
        return []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            return print_with(browser, outputs, epoch)
        finally:
            browser.close()


def print_with(browser, outputs: list[Output], epoch: int | None = None) -> list[Output]:
    """Print the printable outputs with a running Playwright browser (dated `epoch` when given)."""
    result = []
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())  # a printable page needs nothing from outside
        for output in (o for o in outputs if o.printable):
            page.set_content(output.data.decode("utf-8"), wait_until="load")
            if page.evaluate("document.body.classList.contains('combined')"):
                data = _print_parts(page, PARTS)
            else:
                data = page.pdf(prefer_css_page_size=True, print_background=False)
            result.append(Output(output.name.removesuffix(".html") + ".pdf", data if epoch is None else dated(data, epoch)))
    finally:
        page.close()
    return result


# A quiz with its key appended is printed in parts, each numbered on its own ("Page 1 of 3" of the
# key) and with its own running header: the quiz's pages can be copied for the class as they are. Its
# answer sheet (--answer-sheet) is a part of its own, as the sheet's file prints it: no running header
# at the paper's edge, and not counted in the quiz's pages.
PARTS = ("quiz-page", "sheet-page", "key-page")


def _print_parts(page, parts: tuple[str, ...]) -> bytes:
    """The page printed once per part (the body's class picks what shows), in one PDF; the sheet's
    part only when there is a sheet."""
    from pypdf import PdfWriter  # the pdf extra, only for --pdf

    writer = PdfWriter()
    for part in parts:
        if part == "sheet-page" and not page.evaluate("document.querySelector('.answer-sheet') !== null"):
            continue
        page.evaluate("part => { document.body.className = part; }", part)
        writer.append(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
    page.evaluate("() => { document.body.className = 'combined'; }")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Chromium (Skia) dates every PDF it prints, to the second, in its information dictionary, which it
# writes uncompressed: `/CreationDate (D:20261207191833+00'00')` and the same `/ModDate`. Nothing
# else of a PDF printed from the same page changes from one print to the next.
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}(?:[+-]\d\d'\d\d'|Z00'00')\)")


def dated(data: bytes, epoch: int) -> bytes:
    """`data` (a PDF) with the dates of its information dictionary set to `epoch` (in UTC). Each date
    keeps its length, so the cross-reference table's offsets stay right."""
    when = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode("ascii")
    return _DATES.sub(lambda m: b"/" + m.group(1) + b" (D:" + when + b"+00'00')", data)


# A character that no font on this computer has is printed by Chromium (Skia) as its font's glyph 0,
# .notdef, an empty box ("tofu"): `<0000> Tj` in the page's content, inside a span whose ActualText
# holds the character. Skia's text fonts are two-byte (Type0), so a glyph is four hex digits.
_SHOWN = re.compile(rb"\[([^\]]*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_BOXED = re.compile(rb"/ActualText\s*<FEFF([0-9A-Fa-f]+)>\s*>>\s*BDC\s*<(?:0000)+>\s*Tj")


def missing_glyphs(data: bytes) -> tuple[int, str]:
    """(how many characters `data`, a PDF Chromium printed, draws as empty boxes, those of them it
    can name): characters that no font on this computer has. Every stream is read, deflated as
    Chromium writes them, without parsing the PDF (pypdf took 48 ms a PDF of the bundled quiz, this 14)."""
    count, named = 0, []
    for stream in _STREAM.finditer(data):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:
            continue  # not deflated: not a page's content as Chromium writes it
        if b"<0000" not in content and b"0000>" not in content:
            continue  # no glyph 0 shown: at once for a font, an image or most pages
        for m in _SHOWN.finditer(content):  # not a font's ToUnicode map, whose ranges start at <0000>
            for glyphs in [m.group(2)] if m.group(2) is not None else _HEX.findall(m.group(1)):
                count += sum(1 for i in range(0, len(glyphs) - 3, 4) if glyphs[i:i + 4] == b"0000")
        named += [bytes.fromhex(h.decode("ascii")).decode("utf-16-be", "replace") for h in _BOXED.findall(content)]
    return count, "".join(dict.fromkeys("".join(named)))


def boxes_warning(name: str, count: int, chars: str) -> str:
    """The warning for a PDF that prints `count` characters as empty boxes."""
    shown = " ".join(chars[:12]) + (" ..." if len(chars) > 12 else "")
    what = "1 character printed as an empty box, as no font on this computer has it" if count == 1 else (
        f"{count} characters printed as empty boxes, as no font on this computer has them")
    return (f"{name}: {what}"
            f"{f' ({shown})' if shown else ''}: install {'a font for it' if count == 1 else 'fonts for them'} (Debian: apt-get install fonts-noto-cjk for "
            f"Chinese, Japanese and Korean, fonts-noto-core for most other scripts), then build again with --force")
