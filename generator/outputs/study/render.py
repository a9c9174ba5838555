"""Rendering self-contained pages: Jinja2 templates, inlined static files, data as JSON."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from markupsafe import Markup

# `<` cannot end the script element or open a comment inside it once escaped; `&` and `>` are
# escaped too so the text is the same whatever the parser thinks of it. U+2028/9 are line breaks
# to older JavaScript parsers.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def compact(value: Any, sort_keys: bool = False) -> str:
    """`value` as compact JSON, before the escapes."""
    # no check for circular references: the page's data is fresh lists and dicts (it costs a sixth)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False, sort_keys=sort_keys)


def escape_script(text: str) -> Markup:
    """JSON text made safe inside `<script type="application/json">`."""
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


def script_json(value: Any) -> Markup:
    """`value` as JSON that is safe inside `<script type="application/json">`."""
    return escape_script(compact(value))


# The same escapes in UTF-8: an ASCII byte never stands inside another character's bytes, and E2 80 A8
# (A9) is only ever U+2028 (U+2029), so replacing them in the bytes is replacing them in the text.
_SCRIPT_ESCAPES_UTF8 = [(char.encode("utf-8"), escaped.encode("utf-8")) for char, escaped in _SCRIPT_ESCAPES.items()]


def escape_script_utf8(text: str) -> bytes:
    """`escape_script(text)` in UTF-8, escaped in its bytes: quicker than in its text, which is not
    all Latin-1 wherever a question has curly quotes (two bytes a character to scan, not one)."""
    data = text.encode("utf-8")
    for char, escaped in _SCRIPT_ESCAPES_UTF8:
        data = data.replace(char, escaped)
    return data


def inline(code: str, closing: str) -> Markup:
    """Our own CSS or JavaScript, inlined; it must not contain its element's closing tag."""
    if closing.lower() in code.lower():
        raise ValueError(f"inlined code contains {closing}")
    return Markup(code)


def csp_hash(code: str) -> Markup:
    """The Content-Security-Policy source that allows exactly this inline code (quotes and base64:
    nothing to escape)."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return Markup(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
