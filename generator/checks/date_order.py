"""Reading a `when` as a date that can be compared, where it plainly is one.

`when` is free text as the article gives it ("2008", "Sept. 21", "3 March 2025", "last month").
Only what is unambiguous is read: a year of four digits, a month named in English, French, Spanish
or German (or written in an ISO date), and a day of the month beside a named month. Anything else
("Friday", "in recent years", a Hebrew month) reads as nothing, and is never compared.

Two dates are compared at the detail both give: "2007" and "June 2007" are neither before nor
after each other; "Sept. 21" and "October 7" (no year) are compared by month and day.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# The months of each language, in order; a word matches a month when it is the month's name or
# begins with its first three letters or more ("Sept.", "Oct", "févr.").
_MONTHS = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
    "fr": ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
           "novembre", "decembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "de": ("januar", "februar", "marz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"),
}
_OTHER_NAMES = {"setiembre": 9, "janner": 1, "feber": 2}
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?!\d)")
_TOKEN = re.compile(r"\w+")


class Date(NamedTuple):
    """What a `when` says of its date: each part or None."""

    year: int | None
    month: int | None
    day: int | None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def month(word: str, language: str = "en") -> int | None:
    """The number of the month a word names ("sept", "octobre"), or None; the word in lower case."""
    if word in _OTHER_NAMES:
        return _OTHER_NAMES[word]
    names = [_MONTHS[language]] if language in _MONTHS else list(_MONTHS.values())
    for months in names:
        for number, name in enumerate(months, 1):
            if word == name or (len(word) >= 3 and name.startswith(word)):
                return number
    return None


def parse(when: str, language: str = "en") -> Date | None:
    """The date a `when` plainly gives, or None when it gives none this module can read."""
    language = language.replace("_", "-").split("-")[0].lower()
    iso = _ISO.search(when)
    if iso:
        found = Date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)) if iso.group(3) else None)
        if 1 <= (found.month or 0) <= 12 and (found.day is None or 1 <= found.day <= 31):
            return found
    year: int | None = None
    named: int | None = None
    day: int | None = None
    numbers: list[int] = []
    for token in _TOKEN.findall(_plain(when)):
        if token.isdecimal():
            value = int(token)
            if len(token) == 4 and 1000 <= value <= 2999 and year is None:
                year = value
            elif len(token) <= 2:
                numbers.append(value)
        elif named is None and token.isalpha():
            named = month(token, language)
    if named is not None and len(numbers) == 1 and 1 <= numbers[0] <= 31:
        day = numbers[0]
    if year is None and named is None:
        return None
    return Date(year, named, day)


def compare(a: Date, b: Date) -> int | None:
    """-1 when `a` is before `b`, 1 when after, 0 when the same as far as both say; None when they
    cannot be compared (one gives a year and the other none, or no month to compare)."""
    if (a.year is None) != (b.year is None):
        return None
    pairs = [(a.year, b.year)] if a.year is not None and b.year is not None else []
    if a.month is not None and b.month is not None:
        pairs.append((a.month, b.month))
        if a.day is not None and b.day is not None:
            pairs.append((a.day, b.day))
    if not pairs:
        return None
    for x, y in pairs:
        if x != y:
            return -1 if x < y else 1
    return 0
