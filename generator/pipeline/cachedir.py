"""quizgen's cache folder: work that depends only on quizgen's own files, kept between runs.

Compiling the HTML templates costs a build about a tenth of a second of CPU in every process, and
checking an article folder that has not changed costs all of `check`'s time, for results that change
only when their inputs (quizgen's files, Jinja, Python; the folder's files) change. Like Python's
`__pycache__`, they are kept on disk: compiled templates by Jinja's own FileSystemBytecodeCache in
`templates/` (`private`), the rest (`read`, `write`) each under a key made of everything it is
computed from, so a stale entry is never read: it is simply not found. Nothing an article says goes in the cache, and no output depends on
whether the cache was there: a missing, unwritable or damaged cache only costs the time.

The folder is `$QUIZGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/quizgen`, else `~/.cache/quizgen`.
`QUIZGEN_CACHE_DIR=off` turns it off (nothing read, nothing written).
It is never inside the package: the package's files are hashed into the build's fingerprint.

Compiled templates are Python bytecode: an entry someone else planted would run as code. So the
folders are created for this user alone (0700, whatever the umask) and a folder another user can
change is not used; entries written with `write` are also signed with an HMAC under a random secret
kept in the folder (`.secret`, 0600): an entry that is not signed with it is not read.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import os
import secrets
import stat
import tempfile
from functools import cache
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
    origin = _origin(name)
    if not origin:
        return name
    try:
        st = os.stat(origin)
    except OSError:
        return origin
    return f"{origin}:{st.st_size}:{st.st_mtime_ns}"


@cache
def _origin(name: str) -> str | None:
    """The file a module is imported from, found once a process: finding a module not imported yet
    (rapidfuzz, an absent PyStemmer) searches the whole path, for every article `check` keys."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec else None


def private(kind: str) -> Path | None:
    """A folder of the cache for a library's own cache files (Jinja's compiled templates), made this
    user's alone; None when caching is off, or the folder cannot be made or is not this user's alone."""
    root = folder()
    if root is None:
        return None
    target = root / kind
    try:
        _private(target)
        if hasattr(os, "getuid") and (os.lstat(target).st_mode & 0o077 or not _owned(os.lstat(root))):
            return None
    except OSError:
        return None
    return target


SECRET = ".secret"  # the key every entry is signed with, readable by its owner only
_MAC = 32


def _private(path: Path) -> None:
    """Make a folder of the cache (and the folders it creates above it) this user's alone, whatever the umask."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "getuid"):
        info = os.lstat(path)
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(path, 0o700)


def _owned(info: os.stat_result) -> bool:
    """A file or folder only this user can change (always, where there are no owners: Windows)."""
    return not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o022)


@cache
def _secret(root: Path) -> bytes | None:
    """The cache's signing key, made the first time (private); None when it is not this user's alone."""
    path = root / SECRET
    try:
        _private(root)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        except FileExistsError:
            pass
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            key = f.read(64)
    except OSError:
        return None
    private = not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o077)
    return key if private and stat.S_ISREG(info.st_mode) and len(key) == 32 and _owned(os.lstat(root)) else None


def _mac(secret: bytes, kind: str, name: str, data: bytes) -> bytes:
    return hmac.new(secret, key(kind, name, data).encode("ascii"), hashlib.sha256).digest()


def read(kind: str, name: str) -> bytes | None:
    """A cached value, or None when it is not there, cannot be read, or was not signed with this
    cache's secret (an entry planted by someone else: compiled templates are code)."""
    root = folder()
    if root is None:
        return None
    secret = _secret(root)
    if secret is None:
        return None
    try:
        fd = os.open(root / kind / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode) or not _owned(os.lstat(root / kind)):
                return None
            signed = f.read()
    except OSError:
        return None
    mac, data = signed[:_MAC], signed[_MAC:]
    return data if hmac.compare_digest(mac, _mac(secret, kind, name, data)) else None


def write(kind: str, name: str, data: bytes) -> None:
    """Keep a value, signed; quietly nothing when the folder cannot be written. Readers never see half a file."""
    root = folder()
    if root is None:
        return
    secret = _secret(root)
    if secret is None:
        return
    target = root / kind
    try:
        _private(target)
        fd, temporary = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_mac(secret, kind, name, data) + data)
        os.replace(temporary, target / name)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
