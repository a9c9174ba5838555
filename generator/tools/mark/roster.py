"""A class list (`--roster class.csv`): number, name, optional email and group.

Read by `quizgen mark` (names in marks.csv, unknown numbers to review) and by `quizgen build
--answer-sheet` (one sheet a student, name and number pre-printed). Needs nothing beyond the standard
library, so a build does not load OpenCV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.sources.userfiles import read_csv

ROSTER_NUMBER = ("number", "student", "student number", "id")


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """A class list: number, name, optional email and group, by number (a CSV with a header).

    Read as every user's CSV is (generator/sources/userfiles.py): a regular file only (a pipe is refused
    without waiting), at most MAX_TEXT bytes, UTF-8 with or without a byte-order mark, UTF-16 (Excel's
    "Unicode text") or the Windows code page of Excel's CSV (Windows-1252, -1255, -1256, ...: told by
    generator/sources/charsets.py), comma, semicolon or tab between fields, quotes doubled inside a
    quoted field. A student number is ASCII digits; two numbers the same but for leading zeros are
    one number on a sheet (815 is 000815 on a six-digit sheet), so a roster with both is refused."""
    try:
        fieldnames, reader = read_csv(path)
    except OSError as e:
        raise UsageError(f"cannot read --roster {path}: {e.strerror or e}") from None
    fields = {f.strip().lower(): f for f in fieldnames if f}
    number = next((fields[f] for f in ROSTER_NUMBER if f in fields), None)
    if number is None or "name" not in fields:
        raise UsageError(f"{path}:1:1: error: a roster needs the columns number and name (email and group are optional)")
    roster: dict[str, dict[str, str]] = {}
    seen: dict[str, tuple[str, int]] = {}  # a number without its leading zeros: as written, line (815 is 000815)
    for line, row in enumerate(reader, start=2):
        entry = _entry(row, number, f"{path}:{line}:1")
        if entry is None:
            continue
        value = number_value(entry[number])
        if value in seen:
            first, at = seen[value]
            same = "" if first == entry[number] else f" (line {at} has {first}: the same number on a sheet)"
            raise UsageError(f"{path}:{line}:1: error: the student number {entry[number]} is on the roster twice{same}")
        seen[value] = (entry[number], line)
        roster[entry[number]] = entry
    return {key: {k.strip().lower(): v for k, v in entry.items()} for key, entry in roster.items()}


def number_value(number: str) -> str:
    """A student number's value, by which a roster and the sheets are matched: without the zeros in front
    (815 on the roster is 000815 on a sheet, and a spreadsheet drops them from 012345)."""
    return number.strip().lstrip("0")


def by_value(roster: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each number of the roster as the roster writes it, by its value (`number_value`)."""
    return {number_value(number): number for number in roster}


def _entry(row: dict[str, str], number: str, where: str) -> dict[str, str] | None:
    """One student's line, its values stripped; None for an empty line (a spreadsheet's trailing separators)."""
    entry = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and k}  # not the extra fields (key None)
    key = entry.get(number, "")
    if not any(entry.values()):
        return None
    if not (key.isascii() and key.isdigit()):  # not ٨١٥ or １２３: a sheet's bubbles are 0 to 9
        raise UsageError(f"{where}: error: the student number must be digits 0-9, not {key!r}")
    return entry


NO_SHEET = "no sheet with this number among the scans"


def absent(students: list[Any], roster: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(number, name) of each student of the roster whose number is on no sheet marked (the scanner
    skipped a sheet, a student was away, a number was bubbled wrong), in the roster's order."""
    marked = {number_value(s.number) for s in students if s.number is not None}
    return [(number, entry.get("name", "")) for number, entry in roster.items() if number_value(number) not in marked]


def listed(names: list[str], shown: int = 5) -> str:
    """The first `shown` of `names`, then how many more: `a, b, c, d, e and 3 more`."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def absent_line(missing: list[tuple[str, str]], marks: Path, shown: int = 5) -> str:
    """mark's report of the students of the roster with no sheet: how many, the first `shown` by number and name."""
    names = listed([f"{number} {name}".strip() for number, name in missing], shown)
    many = len(missing) != 1
    return (f"{len(missing)} student{'s' if many else ''} of the roster {'have' if many else 'has'} no sheet with "
            f"their number among the scans: {names} (rows without a total at the end of {marks})")
