"""The review list (review.csv) and the teacher's decisions in it, each used only on the row it was made for.

A decision is found by the scan file, page, question and row of its line, and used only when that row
still says what it said when the decision was typed: its version, its student number (as read, or as
a decision on the page's student row gives it) and, on a student row, what was read in the number's
boxes. Scans given in another order, renamed or left out leave a decision on no row, or on a row of
another sheet: it is not used, `mark` says so in one line, and the line is kept at the end of the new
review.csv (its problem saying why), so nothing the teacher typed is lost. A page row holds nothing
to check but that the page still cannot be placed by its own code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.outputs.sheet_code import parse_payload
from generator.sources.userfiles import read_csv
from generator.tools.mark.csvtext import plain_text, safe_text
from generator.tools.mark.roster import number_value
from generator.tools.mark.rules import BLANK_WORDS

REVIEW_COLUMNS = ["scan", "page", "student", "version", "question", "row", "problem", "read", "fills", "decision"]
Where = tuple[str, int, str, str]  # scan, page, question ("student", "page" or a number), row
NOT_USED = "not used: "
WAS = "; it was: "
_PAGE = re.compile(r"[pP](\d+)")


@dataclass
class Review:
    """One thing a person must decide."""

    scan: str
    page: int
    student: str
    version: str
    question: str  # a question's number, "student" or "page"
    row: str
    problem: str
    read: str = ""
    fills: str = ""
    decision: str = ""
    kept: bool = False  # a decision of the review file that fits no row now: kept, its problem saying why

    @property
    def where(self) -> Where:
        return (self.scan, self.page, self.question, self.row)


@dataclass
class Decision:
    """One line of a review file with a decision."""

    value: str
    where: Where
    at: str = ""  # "review.csv:4:1", or "" when it comes from no file
    student: str | None = None  # the line's columns as written; None when the file has no such column
    version: str | None = None
    read: str | None = None
    cells: dict[str, str] = field(default_factory=dict)  # the whole line, to be kept when it is not used
    state: str = ""  # "used", "other" (its row now holds another sheet), "replaced" (a later line decides it)
    why: str = ""  # when it is not used

    @property
    def set_aside(self) -> bool:
        """`-` (none, blank, empty): on a page or student row, the page or sheet is set aside."""
        return self.value.strip().lower() in BLANK_WORDS

    def context(self, what: str) -> str:
        """Where an error about this decision is reported: its line in the file, or what it is about."""
        return self.at or f"review decision for {what}"


def _same(a: str, b: str) -> bool:
    """Two student numbers as the same: a spreadsheet drops a number's leading zeros (012345 is 12345)."""
    return number_value(a) == number_value(b)


class Decisions:
    """The decisions of one review file (or none), by the row they are about."""

    def __init__(self, items: Iterable[Decision] = (), source: str = "the review decisions") -> None:
        self.source = source  # the file, as named on the command line
        self.by_place: dict[Where, list[Decision]] = {}
        self._numbers: dict[tuple[str, int], set[str]] = {}  # see `remember`
        for item in items:
            self.by_place.setdefault(item.where, []).append(item)

    @classmethod
    def given(cls, decisions: Mapping[Where, str]) -> Decisions:
        """Decisions from code, with nothing to check them against but their place."""
        return cls(Decision(value, where) for where, value in decisions.items())

    def __len__(self) -> int:
        return sum(len(items) for items in self.by_place.values())

    def all(self) -> list[Decision]:
        return [d for items in self.by_place.values() for d in items]

    def plain(self) -> dict[Where, str]:
        """The decision for each row, the last line of the file for it winning."""
        return {where: items[-1].value for where, items in self.by_place.items()}

    def _take(self, where: Where, fits: Any, why: Any) -> Decision | None:
        """The last line for `where` that `fits`, marked used; the others marked as made for another sheet
        (`why()` says what the row holds now) or replaced by it."""
        items = self.by_place.get(where)
        if not items:
            return None
        fitting = [d for d in items if fits(d)]
        for d in items:
            if d not in fitting and d.state != "used":
                d.state, d.why = "other", why()
        if not fitting:
            return None
        chosen = fitting[-1]
        for d in fitting:
            same = d is chosen or d.value.strip() == chosen.value.strip()
            d.state, d.why = ("used", "") if same else ("replaced", f"replaced by the later line {chosen.at}")
        return chosen

    def page(self, scan: str, index: int, placed: str | None) -> Decision | None:
        """The decision on a page's row, when its own code did not place it; `placed` says what its own
        code is (its version), when it did: a decision there was made for another page."""
        where = (scan, index, "page", "")
        if placed is not None:
            self._take(where, lambda d: False, lambda: f"this page's own code is read now ({placed}): it needs no decision")
            return None
        return self._take(where, lambda d: True, str)

    def student(self, scan: str, index: int, version: str, shown: str) -> Decision | None:
        """The decision on a page's student row, if it was made for a page of this version whose number
        boxes read `shown` ("?" for a column not read)."""
        return self._take((scan, index, "student", ""), lambda d: self._fits_number(d, version, shown),
                          lambda: f"this page now reads {shown or 'no number'}, version {version or '-'}")

    def remember(self, scan: str, index: int, version: str, shown: str) -> None:
        """Note the student numbers a placed page's rows may have been written with: the one its boxes
        read (none when a column is not read) and every one a decision on its student row gives it (a
        later line may have replaced an earlier one: rows written in between carry the earlier one)."""
        given = {d.value.strip() for d in self.by_place.get((scan, index, "student", ""), [])
                 if d.value.strip().isdigit() and self._fits_number(d, version, shown)}
        self._numbers[(scan, index)] = given | {"" if "?" in shown else shown}

    def row(self, where: Where, version: str, now: str) -> Decision | None:
        """The decision on a question's row, if it was made for a sheet of this version whose student
        number is one its page was read or decided with (`remember`); `now` is the number it has now."""
        if where not in self.by_place:  # most rows (the check below is made for every row of every sheet)
            return None
        numbers = self._numbers.get(where[:2], {now})

        def fits(d: Decision) -> bool:
            return (d.version is None or d.version.strip() == version) and (
                d.student is None or any(_same(d.student, n) for n in numbers))
        return self._take(where, fits,
                          lambda: f"this row now holds student {now or '(number not read)'}, version {version or '-'}")

    @staticmethod
    def _fits_number(d: Decision, version: str, shown: str) -> bool:
        if d.version is not None and d.version.strip() != version:
            return False
        seen = d.read if d.read else d.student  # what the number's boxes read when it was made
        return seen is None or not seen.strip() or _same(seen, shown)

    def leftovers(self, places: set[tuple[str, int]], aside: set[tuple[str, int]]) -> list[Decision]:
        """The lines used on no row, each saying why: made for another sheet, on a page set aside, or
        on no row of these scans (`places`: every (scan, page) read)."""
        scans = {scan for scan, _ in places}
        left = []
        for d in self.all():
            scan, index, _, _ = d.where
            if d.state == "" and (scan, index) in aside:
                d.state, d.why = "aside", "its page is set aside"
            elif d.state == "":
                d.why = ("this page has no such row now" if (scan, index) in places else
                         f"no page of these scans is {scan} page {index}" if scan in scans else f"no scan is named {scan}")
            if d.state in ("", "other", "aside"):
                left.append(d)
        return left

    def replaced(self) -> list[Decision]:
        return [d for d in self.all() if d.state == "replaced"]


def read_decisions(path: Path, source: str | None = None) -> Decisions:
    """The decisions in a review file: its lines with a decision, with the columns they are checked by."""
    try:  # bounded, any encoding Excel writes, never waiting on a pipe (generator/sources/userfiles.py)
        fieldnames, reader = read_csv(path)
    except OSError as e:
        raise UsageError(f"cannot read --review {path}: {e.strerror or e}") from None
    missing = [c for c in ("scan", "page", "question", "row", "decision") if c not in fieldnames]
    if missing:
        raise UsageError(f"{path}:1:1: error: a review file needs the columns {', '.join(missing)}")
    items = []
    for number, line in enumerate(reader, start=2):
        line = {k: plain_text(v) if isinstance(v, str) else v for k, v in line.items()}  # as review_csv wrote it
        decision = (line.get("decision") or "").strip()
        if not decision:
            continue
        try:
            page = int(line["page"])
        except (TypeError, ValueError):
            raise UsageError(f"{path}:{number}:1: error: page must be a number, not {line['page']!r}") from None
        cells = {k: v or "" for k, v in line.items() if isinstance(k, str)}
        items.append(Decision(decision, (line["scan"], page, (line["question"] or "").strip(), (line["row"] or "").strip()),
                              f"{path}:{number}:1", line.get("student"), line.get("version"), line.get("read"), cells))
    return Decisions(items, source or str(path))


def decisions_for(review: Path | None, out: Path | None) -> tuple[Decisions, list[str]]:
    """The decisions a marking uses, and a line a source but `review`: those of `review`, and of `out`'s
    review.csv, which the marking replaces (nothing the teacher typed in either is lost unsaid). Without
    `review`, `out`'s; with it, `out`'s on the rows `review` leaves undecided; on a row both decide
    differently, `review`'s (the file named for this marking), and a line names the one not used."""
    last = out / "review.csv" if out is not None else None
    if last is not None and (not last.is_file() or (review is not None and _same_file(review, last))):
        last = None
    given = read_decisions(review) if review is not None else None
    why = "--review was not given" if review is None else f"--review {review} would replace it"
    previous = _last_decisions(last, why) if last is not None else Decisions()
    if given is None:
        return previous, [f"read {_count(previous.all())} from {last}, the last marking's review file (--review was "
                          "not given; move it away to mark without them)"] if len(previous) else []
    extra, other = [], []
    for where, items in previous.by_place.items():
        mine = given.by_place.get(where)
        if mine is None:
            extra += items
        elif mine[-1].value.strip().upper() != items[-1].value.strip().upper():
            other.append(f"{items[-1].at} {items[-1].value.strip()!r}, {mine[-1].at} {mine[-1].value.strip()!r}")
    lines = []
    if extra:
        places = ", ".join(dict.fromkeys(f"{d.where[0]} page {d.where[1]}" for d in extra))
        lines.append(f"used {_count(extra)} of {last} on rows {review} leaves undecided ({places}): this marking "
                     f"replaces {last}, and the new one holds {'it' if len(extra) == 1 else 'them'} too (clear one "
                     f"there, then mark again with --review {last}, to drop it)")
    if other:
        lines.append(f"{_count(other)} of {last} {'differs' if len(other) == 1 else 'differ'} from {review}'s for the "
                     f"same row ({'; '.join(other)}): {review}'s used, as --review names it")
    return (Decisions(given.all() + extra, f"{review} and {last}") if extra else given), lines


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _last_decisions(last: Path, why: str) -> Decisions:
    """The decisions in `out`'s review.csv, which the marking replaces; none when it is not a review file
    and holds nothing typed (a `decision` column with something in it, or not a CSV file at all)."""
    try:
        return read_decisions(last)
    except UsageError as e:
        try:
            _, lines = read_csv(last)
            typed = any((line.get("decision") or "").strip() for line in lines)
        except (OSError, UsageError):
            typed = True
        if not typed:
            return Decisions()
        raise UsageError(f"{e} (read because it is in --out and {why}: it holds decisions; correct it, or move it "
                         "away to mark without them)") from None


def named_code(decision: str, keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]],
               where: str) -> dict[str, Any]:
    """The code of the sheet a teacher's review decision names for a page it could not place: its
    version (a letter, in any case; none for a sheet without versions), its page (`p2`; page 1 when not
    given) and the code printed under the title (`Y3XI`: letters and digits, in any case) when more
    sheets fit; raises UsageError unless exactly one teacher file's page fits."""
    version: str | None = None
    number = 1
    codes = []
    for word in decision.replace("/", " ").split():
        page = _PAGE.fullmatch(word)
        if page:
            number = int(page.group(1))
        elif len(word) == 1 and word.isalpha():
            version = word.upper()
        else:
            codes.append(word.upper())  # the code is base 32: upper-case letters and digits
    fits = [p["payload"] for (_, v, code), (_, data) in keys.items()
            if (version is None or v == version) and (not codes or code.upper() in codes)
            for p in data["pages"] if p["page"] == number]
    if len(fits) != 1:
        raise UsageError(f"{where}: error: the decision {decision!r} names {len(fits)} sheets; give the version "
                         "(none for a sheet without versions), then p and the page if not 1, then the code printed "
                         "under the title (e.g. 'B p1 Y3XI'); or '-' if the page is not a sheet")
    code = parse_payload(fits[0])
    assert code is not None
    return code


def named_codes(decisions: Decisions, keys: dict[tuple[str, str | None, str], tuple[str, dict[str, Any]]]
                ) -> dict[tuple[str, int], dict[str, Any]]:
    """The code each page row's decision names, by (scan, page), for the pages that cannot be placed by
    their own code (the last line for a page wins; `-` names none: the page is set aside)."""
    named = {}
    for (scan, page, question, row), items in decisions.by_place.items():
        if question == "page" and not row and not items[-1].set_aside:
            last = items[-1]
            named[(scan, page)] = named_code(last.value, keys, last.context(f"{scan} page {page}"))
    return named


def kept_problem(decision: Decision) -> str:
    """The problem column of a line kept unused: why, and the problem it was typed for."""
    before = decision.cells.get("problem", "")
    if before.startswith(NOT_USED) and WAS in before:
        before = before.split(WAS, 1)[1]
    return f"{NOT_USED}{decision.why}" + (f"{WAS}{before}" if before else "")


REPORTS = {  # a decision not used, by why: what `mark` says of them (verb singular, plural; the rest)
    "other": ("was", "were", "made for other sheets (the scans changed): not used, their rows are to review again"),
    "": ("is", "are", "on no row of these scans ({where}; a scan renamed or left out?): not used"),
    "aside": ("is", "are", "on pages set aside: not used"),
}


def report(decisions: Decisions) -> list[str]:
    """One line for each way the file's decisions were not used (none when all were)."""
    lines = []
    for state, (one, more, words) in REPORTS.items():
        found = [d for d in decisions.all() if d.state == state]
        if found:
            places = dict.fromkeys(f"{d.where[0]} page {d.where[1]}" for d in found)
            lines.append(f"{_count(found)} of {decisions.source} {one if len(found) == 1 else more} "
                         f"{words.format(where=', '.join(places))}; kept at the end of review.csv, saying why "
                         "(clear a kept decision there to drop it)")
    replaced = decisions.replaced()
    if replaced:
        lines.append(f"{_count(replaced)} of {decisions.source} {'was' if len(replaced) == 1 else 'were'} replaced "
                     f"by a later line for the same row ({', '.join(d.at or str(d.where) for d in replaced)}): not used")
    return lines


def _count(items: Sized) -> str:
    return f"{len(items)} decision{'s' if len(items) != 1 else ''}"


def kept_rows(decisions: Decisions, pages: list[Any], aside: list[Any]) -> list[Review]:
    """The review file's decisions that fit no row now, as review lines saying why (their rows as written)."""
    left = decisions.leftovers({(p.scan, p.index) for p in pages}, {(p.scan, p.index) for p in aside})
    return [Review(d.where[0], d.where[1], d.cells.get("student", ""), d.cells.get("version", ""), d.where[2],
                   d.where[3], kept_problem(d), d.cells.get("read", ""), d.cells.get("fills", ""), d.value, kept=True)
            for d in left]


def review_csv(reviews: list[Review]) -> bytes:
    """The review list as CSV, every text a spreadsheet shows as text (`read_decisions` reads it back)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    for r in reviews:
        writer.writerow([safe_text(r.scan), r.page, *map(safe_text, (r.student, r.version, r.question, r.row, r.problem,
                                                                      r.read)), r.fills, safe_text(r.decision)])
    return out.getvalue().encode("utf-8")
