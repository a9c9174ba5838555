"""A class list (`--roster class.csv`): number, name, optional email and group.

Read by `quizgen mark` (names in marks.csv, unknown numbers to review) and by `quizgen build
--answer-sheet` (one sheet a student, name and number pre-printed). Needs nothing beyond the standard
library, so a build does not load OpenCV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.errors import UsageError

ROSTER_NUMBER = ("number", "student", "student number", "id")


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """A class list: number, name, optional email and group, by number (a CSV with a header)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read --roster {path}: {e}") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower(): f for f in reader.fieldnames or []}
    number = next((fields[f] for f in ROSTER_NUMBER if f in fields), None)
    if number is None or "name" not in fields:
        raise UsageError(f"{path}:1:1: error: a roster needs the columns number and name (email and group are optional)")
    roster: dict[str, dict[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        key = (row.get(number) or "").strip()
        if not key.isdigit():
            raise UsageError(f"{path}:{line}:1: error: the student number must be digits, not {key!r}")
        if key in roster:
            raise UsageError(f"{path}:{line}:1: error: the student number {key} is on the roster twice")
        roster[key] = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
    return roster
