"""quizgen's cache folder: work that depends only on quizgen's own files, kept between runs.

Compiling the HTML templates, compiling the translation catalogues and finding the messages of the
study page's script cost a build about 0.15 s of CPU in every process, for results that change
only when quizgen's files (or Jinja, Babel, Python) change. Like Python's `__pycache__`, they are
kept on disk, each under a key made of everything it is computed from, so a stale entry is never
read: it is simply not found. Nothing an article says goes in the cache, and no output depends on
whether the cache was there: a missing, unwritable or damaged cache only costs the time.

The folder is `$QUIZGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/quizgen`, else `~/.cache/quizgen`.
`QUIZGEN_CACHE_DIR=off` turns it off (nothing read, nothing written).
It is never inside the package: the package's files are hashed into the build's fingerprint.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

OFF = "off"


def folder() -> Path | None:
    """The cache folder (not created), or None when caching is turned off."""
    chosen = os.environ.get("QUIZGEN_CACHE_DIR")
    if chosen == OFF:
        return None
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "quizgen"


def key(*parts: str | bytes) -> str:
    """A file name made of everything a cached value is computed from."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()[:40]


def module_stamp(name: str) -> str:
    """Which installed copy of a module it is (its file, size and time), without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return name
    origin = spec.origin if spec else None
    if not origin:
        return name
    try:
        st = os.stat(origin)
    except OSError:
        return origin
    return f"{origin}:{st.st_size}:{st.st_mtime_ns}"


def read(kind: str, name: str) -> bytes | None:
    """A cached value, or None when it is not there (or cannot be read)."""
    root = folder()
    if root is None:
        return None
    try:
        return (root / kind / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Keep a value; quietly nothing when the folder cannot be written. Readers never see half a file."""
    root = folder()
    if root is None:
        return
    target = root / kind
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, target / name)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
