"""What `check` found in an article, kept in the cache folder until anything it depends on changes.

A second `check` of an unchanged library re-reads every input but re-checks none (issue 31: ≤ 0.5×
the first run). An entry is found only under a key made of everything the result depends on:

- every file in the article folder, read in full (names, kinds and bytes, sub-folders included:
  a stray question file in one is reported), so an edit, a new file or a removed one is a miss;
- where `check` runs from and the folder as given (messages show paths relative to it), and the
  configuration files there (`quizgen.toml`, `pyproject.toml`);
- quizgen's own files (`tool_fingerprint`: every file of the package) and the installed copies
  of the libraries that shape a result (YAML, pydantic, rapidfuzz, the stemmers).

A folder whose files cannot all be read as regular files is never cached: it is checked and its
problems reported as usual. Each folder has one entry (named after where it is, not its contents),
so the cache holds one result per article checked, not one per edit. The entry is Python's `marshal`
of plain lists, texts and numbers (about ten times quicker to write and to read than JSON, for the
thousands of warnings of a large library), read back only as data and only when it carries the
cache's signature (cachedir): anything damaged or of another shape is a miss. An entry of a check
without `--verbose` holds the giveaway warnings it could print and the number of the others
(`summary.check_folder`): it answers another such check, and `check --verbose` checks the folder again.
"""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path

from generator.errors import Problem
from generator.pipeline import cachedir, manifest

KIND = "check"
MAX_ENTRY = 64 * 1024 * 1024  # a result larger than this is not worth keeping
LIBRARIES = ("yaml", "pydantic", "pydantic_core", "rapidfuzz", "Stemmer", "snowballstemmer")
Result = tuple[list[Problem], list[str], int, int]  # problems, summary lines, questions, giveaways only counted


def _folder_parts(folder: Path) -> list[str | bytes] | None:
    """Every entry under `folder` (name, kind and, for files, bytes), in order; None if one cannot be read."""
    parts: list[str | bytes] = []
    try:
        for top, dirs, files in os.walk(folder, onerror=_fail):
            dirs.sort()
            parts.append(os.fsencode(os.path.relpath(top, folder)))
            for name in sorted(files):
                path = os.path.join(top, name)
                info = os.lstat(path)
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
                    return None  # links, pipes, huge files: checked every time, never cached
                with open(path, "rb") as f:
                    parts += [os.fsencode(name), f.read()]
            parts.append(repr(dirs))
    except (OSError, UnicodeError):
        return None
    return parts


def _fail(error: OSError) -> None:
    raise error


def _name(folder: Path) -> str:
    return cachedir.key("check-entry", os.fsencode(os.getcwd()), os.fsencode(folder))


def _key(folder: Path) -> str | None:
    parts = _folder_parts(folder)
    if parts is None:
        return None
    stamps = [cachedir.module_stamp(name) for name in LIBRARIES]
    config = [_bytes(Path(name)) for name in ("quizgen.toml", "pyproject.toml")]
    return cachedir.key(manifest.tool_fingerprint(), os.fsencode(os.getcwd()), os.fsencode(folder), *stamps, *config, *parts)


def _bytes(path: Path) -> bytes:
    try:
        return b"file:" + path.read_bytes()
    except OSError:
        return b"none"


def read(folder: Path) -> tuple[str | None, Result | None]:
    """(the key of the folder as it is now, the result kept for it or None)."""
    if cachedir.folder() is None:
        return None, None
    key = _key(folder)
    if key is None:
        return None, None
    raw = cachedir.read(KIND, _name(folder))
    if raw is None:
        return key, None
    try:
        entry = marshal.loads(raw)
        if entry["key"] != key:
            return key, None
        problems = [Problem(str(p), int(line), int(col), str(m), s)
                    for p, line, col, m, s in entry["problems"]]
        lines = [str(line) for line in entry["lines"]]
        return key, (problems, lines, int(entry["count"]), int(entry["more"]))
    except (ValueError, KeyError, TypeError, EOFError, RecursionError):
        return key, None


def write(folder: Path, key: str, result: Result) -> None:
    problems, lines, count, more = result
    data = marshal.dumps({
        "key": key,
        "problems": [[p.path, p.line, p.col, p.message, p.severity] for p in problems],
        "lines": lines,
        "count": count,
        "more": more,  # giveaway warnings counted, not written out: the entry cannot answer check --verbose
    })
    if len(data) <= MAX_ENTRY:
        cachedir.write(KIND, _name(folder), data)
