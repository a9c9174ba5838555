"""The teacher files of every answer sheet printed, kept across rebuilds: `<out>/sheet-keys/`.

A build replaces `<slug>-sheet[-A].json` (the layout and right answers `quizgen mark` reads) when a
fix changes the sheet's code; the papers printed with the previous code would then have no teacher
file. So each teacher file a build replaces with one of another code, or prunes, is first kept as
`sheet-keys/<slug>-sheet[-A]-<CODE>.json`, never removed by quizgen, and `mark --key DIR` reads
those of codes that DIR itself no longer has. The folder is a teacher file (it holds every answer):
`serve` never serves a subfolder, and the docs say to leave it out when publishing `decks/`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

FOLDER = "sheet-keys"
TEACHER_JSON = re.compile(r"(.+-sheet(?:-[A-Z]{1,2})?)\.json")
_CODE = re.compile(r"[0-9A-Z]{4,8}")


def kept_name(name: str, data: bytes) -> str | None:
    """The name a teacher file `name` holding `data` is kept under, or None if it is none (or unreadable)."""
    match = TEACHER_JSON.fullmatch(name)
    if match is None:
        return None
    try:
        code = json.loads(data).get("code")
    except (ValueError, AttributeError):
        return None
    return f"{match.group(1)}-{code}.json" if isinstance(code, str) and _CODE.fullmatch(code) else None


def keep(out: Path, files: list[tuple[str, Path, Path | None]], write: Callable[[Path, bytes], None]) -> list[Path]:
    """Keep each teacher file (its output name, where its bytes are, where the bytes replacing it are, if
    any) in `out/sheet-keys/` under its code, unless it is replaced by one of the same code or a file of
    that name is kept already; `write(path, data)` writes one file at once. Returns the files written."""
    written: list[Path] = []
    for name, source, new in files:
        if TEACHER_JSON.fullmatch(name) is None or not source.is_file():
            continue
        data = source.read_bytes()
        kept = kept_name(name, data)
        if kept is None or new is not None and kept_name(name, new.read_bytes()) == kept:
            continue
        target = out / FOLDER / kept
        if target.exists():
            continue
        target.parent.mkdir(exist_ok=True)
        write(target, data)
        written.append(target)
    return written
