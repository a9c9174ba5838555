"""The user documentation the tests hold to its word: README.md and the MkDocs site's pages in docs/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def pages() -> list[Path]:
    """README.md, then every page of the site (drafts in docs/_incoming are not pages)."""
    found = sorted(p for p in DOCS.rglob("*.md") if "_incoming" not in p.relative_to(DOCS).parts)
    return [ROOT / "README.md", *found]


def page(name: str) -> str:
    """One page's text: 'README.md', or a path under docs/ ('reference/check.md')."""
    path = ROOT / name if name == "README.md" else DOCS / name
    return path.read_text(encoding="utf-8")


def all_text() -> str:
    """README.md and every page, one after the other."""
    return "\n".join(p.read_text(encoding="utf-8") for p in pages())


def section(name: str, heading: str) -> str:
    """The part of a page under `heading` (a whole heading line, '## Building'), up to the next
    heading of the same or a higher level."""
    text = page(name)
    level = heading.split(" ", 1)[0]
    body = text.split(heading + "\n", 1)[1]
    stop = re.search(rf"^#{{1,{len(level)}}} ", body, flags=re.M)
    return body[: stop.start()] if stop else body
