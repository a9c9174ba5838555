"""The files quizgen ships beside its code (styles, scripts, card templates), read once per process.

Apart from `pages.py` so that a builder without pages (the Anki deck) does not import Jinja2 for them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def static(package: str, name: str) -> str:
    """A file shipped in `package`, as text."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")
