"""The build manifest: what was built from which inputs, so unchanged work is skipped.

`<out>/.quizgen-manifest.json` records, for every article and builder, a hash of everything the
outputs depend on (the article's files, quizgen's own code, the build options) and the names of
the files written with their SHA-256. A rebuild redoes only the entries whose hash changed or
whose files are gone or altered.

The manifest is read as untrusted data: one that does not have exactly the expected shape, or
names a file outside the output folder, is ignored as a whole (everything is rebuilt and nothing
pruned), so a tampered manifest cannot make quizgen delete or overwrite anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import BinaryIO

from generator import __version__

MANIFEST = ".quizgen-manifest.json"
FORMAT = 2
MAX_BYTES = 64_000_000
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"  # an article folder's name, which starts each of its outputs' names
BUILDER_NAME = r"[a-z][a-z0-9_]*"  # a builder's name: `--only NAME`, the manifest's keys (generator/builders)
STALE = "stale"  # the manifest's key `<slug>:stale`: files of the article's earlier options, kept until pruned
_KEY = re.compile(rf"(?:{SLUG})?:{BUILDER_NAME}\Z")


@dataclass(frozen=True)
class ArticleSummary:
    """What the whole-library outputs (the index) need to know of an article, built or skipped."""

    slug: str
    title: str
    author: str | None
    language: str
    rtl: bool
    questions: int
    timestamp: float
    outputs: tuple[str, ...] = ()


_SUMMARY_FIELDS = tuple(f.name for f in fields(ArticleSummary))


@dataclass
class Entry:
    hash: str
    outputs: list[str]
    sums: dict[str, str] = field(default_factory=dict)  # each output's SHA-256


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)  # "<slug>:<builder>" or ":<builder>"
    articles: dict[str, ArticleSummary] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest in `folder`; an empty one when it is missing, unreadable or of another format."""
        try:
            data = json.loads(_read_regular(folder / MANIFEST))
            if data.get("format") != FORMAT:
                return cls()
            manifest = cls(
                entries={k: Entry(str(v["hash"]), list(v["outputs"]), dict(v["sums"])) for k, v in data["entries"].items()},
                articles={
                    k: ArticleSummary(**{**v, "outputs": tuple(v["outputs"])}) for k, v in data["articles"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return cls()
        return manifest if manifest.trustworthy() else cls()

    def trustworthy(self) -> bool:
        """Whether every key has the form `<slug>:<builder>` and every output name stays inside the folder."""
        for key, entry in self.entries.items():
            if not isinstance(key, str) or not _KEY.match(key) or not all(safe_name(n) for n in entry.outputs):
                return False
            slug = key.split(":", 1)[0]
            if slug and not all(n.startswith((f"{slug}.", f"{slug}-")) for n in entry.outputs):
                return False
        return all(isinstance(k, str) and _KEY.match(f"{k}:x") for k in self.articles)

    def to_bytes(self) -> bytes:
        # the fields by hand, not `asdict` (which copies every value deeply): a no-op rebuild writes it too
        data = {
            "format": FORMAT,
            "entries": {k: {"hash": v.hash, "outputs": v.outputs, "sums": v.sums} for k, v in sorted(self.entries.items())},
            "articles": {k: {f: getattr(v, f) for f in _SUMMARY_FIELDS} for k, v in sorted(self.articles.items())},
        }
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    def fresh(self, key: str, digest: str, out: Path) -> bool:
        """Whether the entry was built from exactly this and all its files are still there, unaltered."""
        entry = self.entries.get(key)
        return entry is not None and entry.hash == digest and all(
            entry.sums.get(n) == file_sum(out / n) for n in entry.outputs
        )


def safe_name(name: object, *, hidden: bool = False) -> bool:
    """Whether `name` names a file directly inside a folder (hidden only with `hidden`)."""
    return (
        isinstance(name, str) and name not in ("", ".", "..") and not any(c in name for c in "/\\\0:")
        and (hidden or not name.startswith(".")) and name.isprintable() and _encodable(name)
    )


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _open_regular(path: Path, limit: int | None = None) -> BinaryIO:
    """A regular file opened for reading (never waits on a FIFO); OSError for anything else."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    f = os.fdopen(fd, "rb")
    info = os.fstat(f.fileno())
    if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
        f.close()
        raise OSError(f"{path} is not a regular file of at most {limit} bytes")
    return f


def _read_regular(path: Path) -> bytes:
    with _open_regular(path, MAX_BYTES) as f:
        return f.read(MAX_BYTES + 1)


def file_sum(path: Path) -> str | None:
    """The SHA-256 of a regular file; None when there is none."""
    h = hashlib.sha256()
    try:
        with _open_regular(path) as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part  # a name not UTF-8 too
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


PACKAGE = Path(__file__).parent.parent  # generator/: this module is in generator/pipeline/


def tool_files() -> list[Path]:
    """Every file of quizgen's package (its code, templates, translations), in order (os.walk: a
    tenth of the time of Path.rglob, which every command that checks or builds pays)."""
    found: list[Path] = []
    for folder, folders, files in os.walk(PACKAGE):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        found += [Path(folder, name) for name in sorted(files)]
    return found


@cache
def tool_fingerprint() -> str:
    """quizgen's version and every file of its package: an upgrade or an edit rebuilds everything
    (and is never answered from the check cache). The whole package: from when this module moved
    into generator/pipeline/ until this was found, only that folder was hashed, so a fix elsewhere
    (a builder, a check, a template) pulled into an editable install rebuilt nothing."""
    parts: list[str | bytes] = [__version__]
    for path in tool_files():
        parts += [str(path.relative_to(PACKAGE)), path.read_bytes()]
    return digest(*parts)


def inputs_digest(files: list[tuple[str, bytes]]) -> str:
    """A hash of an article's files as read, names and contents (not their times)."""
    parts: list[str | bytes] = []
    for name, data in sorted(files):
        parts += [name, data]
    return digest(*parts)


def environment_fingerprint() -> str:
    """What in the environment changes outputs: SOURCE_DATE_EPOCH sets the Anki time stamps."""
    return os.environ.get("SOURCE_DATE_EPOCH", "")
