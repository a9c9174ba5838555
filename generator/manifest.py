"""The build manifest: what was built from which inputs, so unchanged work is skipped.

`<out>/.quizgen-manifest.json` records, for every article and builder, a hash of everything the
outputs depend on (the article's files, quizgen's own code, the build options) and the names of
the files written. A rebuild redoes only the entries whose hash changed or whose files are gone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from generator import __version__

MANIFEST = ".quizgen-manifest.json"
FORMAT = 1


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


@dataclass
class Entry:
    hash: str
    outputs: list[str]


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)  # "<slug>:<builder>" or ":<builder>"
    articles: dict[str, ArticleSummary] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest in `folder`; an empty one when it is missing, unreadable or of another format."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            return cls(
                entries={k: Entry(v["hash"], list(v["outputs"])) for k, v in data["entries"].items()},
                articles={
                    k: ArticleSummary(**{**v, "outputs": tuple(v["outputs"])}) for k, v in data["articles"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "entries": {k: asdict(v) for k, v in sorted(self.entries.items())},
            "articles": {k: asdict(v) for k, v in sorted(self.articles.items())},
        }
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    def fresh(self, key: str, digest: str, out: Path) -> bool:
        """Whether the entry was built from exactly this and all its files are still there."""
        entry = self.entries.get(key)
        return entry is not None and entry.hash == digest and all((out / n).is_file() for n in entry.outputs)


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@cache
def tool_fingerprint() -> str:
    """quizgen's version and every file of its package: an upgrade or an edit rebuilds everything."""
    root = Path(__file__).parent
    parts: list[str | bytes] = [__version__]
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [str(path.relative_to(root)), path.read_bytes()]
    return digest(*parts)


def inputs_digest(files: list[Path]) -> str:
    """A hash of an article's files, names and contents (not their times)."""
    parts: list[str | bytes] = []
    for path in sorted(files):
        parts += [path.name, path.read_bytes()]
    return digest(*parts)


def environment_fingerprint() -> str:
    """What in the environment changes outputs: SOURCE_DATE_EPOCH sets the Anki time stamps."""
    return os.environ.get("SOURCE_DATE_EPOCH", "")
