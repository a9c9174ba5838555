"""Reading a saved page's bytes as text, the way a browser would, and saying how.

In order: a byte order mark; else the charset the server (HTTP Content-Type) and the page
(`<meta charset>`, `<meta http-equiv>`, `<?xml encoding?>`) declare; when they disagree, when none
is declared, or when the declared one cannot read the bytes, the bytes decide: valid UTF-8 is
UTF-8, and anything else goes to a detector (charset-normalizer). Mojibake that survives (a page
that was already double-encoded when saved) is repaired last, by ftfy, on the extracted text only.
Each step is one line in `Decoded.notes`, which `quizgen new` writes as front-matter comments.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
# What a browser reads for these labels (the WHATWG Encoding standard): windows-1252 for Latin-1.
_BROWSER = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252", "iso8859-9": "cp1254",
            "tis-620": "cp874", "iso8859-11": "cp874"}
HEAD = 4096  # bytes of the page searched for a <meta charset> (browsers look at 1024; saved pages move it)


class Undecodable(Exception):
    """No encoding reads the bytes as text."""


@dataclass
class Decoded:
    text: str
    encoding: str  # a Python codec name
    notes: list[str] = field(default_factory=list)


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec a browser uses for a charset label; None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _BROWSER.get(name, name)


def declared_in_page(data: bytes) -> str | None:
    """The charset label the page's head declares, as written."""
    m = _META.search(data[:HEAD])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "replace")


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape kept as they were


def _valid_utf8(data: bytes) -> bool:
    return _UNDECODED.search(data.decode("utf-8", "surrogateescape")) is None


def decode(data: bytes, http_charset: str | None = None, *, html: bool = True) -> Decoded:
    """The page's text, decoded as the notes say; raises Undecodable."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, "replace"), codec, [f"decoding: {codec.removesuffix('-sig')}, from the byte order mark"])
    page_label = declared_in_page(data) if html else None
    http, page = _codec(http_charset), _codec(page_label)
    says = [f"the server says {http_charset}"] if http_charset else []
    says += [f"the page says {page_label}"] if page_label else []
    choice = _declared(data, http, page)
    if choice is not None:
        return Decoded(data.decode(choice), choice, [f"decoding: {choice}, as {' and '.join(says)}"])
    if _valid_utf8(data):
        why = f"{' but '.join(says)}, yet the bytes are valid UTF-8" if says else "no charset declared; the bytes are valid UTF-8"
        return Decoded(data.decode("utf-8"), "utf-8", [f"decoding: utf-8 ({why})"])
    return _detected(data, says, [c for c in (http, page) if c])


def _declared(data: bytes, http: str | None, page: str | None) -> str | None:
    """The declared codec when the server and the page agree on one that reads the bytes."""
    if http and page and http != page:
        return None  # they disagree: the bytes decide
    choice = http or page
    if choice is None:
        return None
    if choice != "utf-8" and not data.isascii() and _valid_utf8(data) and _single_byte(choice):
        return None  # a Latin label on UTF-8 bytes: the label is wrong (reading it so makes mojibake)
    try:
        data.decode(choice)
    except (UnicodeDecodeError, LookupError):
        return None
    return choice


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "latin", "mac", "koi8", "windows"))


def _detected(data: bytes, says: list[str], candidates: list[str]) -> Decoded:
    """The detector's reading: among the declared codecs when they disagree, else among all."""
    try:
        # charset-normalizer (the [new] extra): only when a page's declared encodings disagree
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover (a dependency of the new extra)
        return Decoded(data.decode("cp1252", "replace"), "cp1252", ["decoding: cp1252, a guess (charset-normalizer is not installed)"])
    best = from_bytes(data, cp_isolation=candidates).best() if len(candidates) > 1 else None
    if best is not None:
        codec = _codec(best.encoding) or best.encoding
        return Decoded(data.decode(codec, "replace"), codec,
                       [f"decoding: {codec}, chosen by charset-normalizer ({'; '.join(says)}: they disagree)"])
    best = from_bytes(data).best()
    if best is None:
        raise Undecodable("no encoding reads it as text")
    codec = _codec(best.encoding) or best.encoding
    why = f"{'; '.join(says)}, which does not read the bytes" if says else "no charset declared"
    return Decoded(data.decode(codec, "replace"), codec, [f"decoding: {codec}, detected by charset-normalizer ({why})"])


def repair(texts: list[str]) -> tuple[list[str], str | None]:
    """Mojibake repaired by ftfy in `texts`; the note to add when anything changed."""
    try:
        # ftfy (the [new] extra): only when a page is repaired
        import ftfy
    except ImportError:  # pragma: no cover (a dependency of the new extra)
        return texts, None
    fixed = [ftfy.fix_encoding(t) for t in texts]
    changed = [(a, b) for a, b in zip(texts, fixed) if a != b]
    if not changed:
        return texts, None
    before, after = _first_difference(*changed[0])
    count = len(changed)
    return fixed, (f"decoding: ftfy repaired mojibake in {count} block{'s' if count != 1 else ''} "
                   f"(such as {before!r} -> {after!r}); read them against the page")


def _first_difference(a: str, b: str) -> tuple[str, str]:
    """The words around the first place `a` and `b` differ."""
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = a.rfind(" ", 0, i) + 1

    def word(s: str) -> str:
        end = s.find(" ", i)
        return s[start:end if end >= 0 else len(s)][:40]

    return word(a), word(b)
