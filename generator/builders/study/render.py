"""Rendering self-contained pages: Jinja2 templates, inlined static files, data as JSON."""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

# `<` cannot end the script element or open a comment inside it once escaped; `&` and `>` are
# escaped too so the text is the same whatever the parser thinks of it. U+2028/9 are line breaks
# to older JavaScript parsers.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def environment(package: str) -> jinja2.Environment:
    """A Jinja2 environment over the templates of `package`: autoescaped, strict, no stray space."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "."),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def static(package: str, name: str) -> str:
    """A static file of `package`, as text."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def script_json(value: Any) -> Markup:
    """`value` as JSON that is safe inside `<script type="application/json">`."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


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
