"""`anki.lock`: the committed record of each Anki note's identity and time stamp, per article.

Anki applies an imported note only when its modification time is newer than the learner's copy,
and applies every field of it. So a note must be stamped anew when, and only when, what it holds
changes: the lock file keeps, for every note ever built from the article, a hash of its content and
the stamp that content got, and `build` rewrites it (never `check`). Committed with the questions,
it makes a fresh clone build the same bytes. Sorted text, one line per note, readable in a diff:

    slug        <the article's slug: a lock copied with its folder is refused>
    deck        <the deck name used at the first build>
    notetype    <model id>  <hash>  <stamp>
    note        <question id>  <kind>  live|retired  <stamp>  <hash>  <guid>

Fields are separated by tabs (a deck name may hold spaces, a GUID punctuation).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from generator.errors import Problem, display_path

LOCK_FILE = "anki.lock"
HEADER = (
    "# anki.lock: written by `quizgen build`, commit it with the questions. It keeps each Anki note's\n"
    "# time stamp so that learners' Anki applies exactly the notes that changed. See the README.\n"
)
_STATES = ("live", "retired")
MAX_LOCK_BYTES = 64 << 20  # a library-wide check reads every lock: a bigger file is no lock


class LockedNote(NamedTuple):
    """One note's line. A named tuple (immutable, ordered field by field): made and sorted for every
    note of every build, three times cheaper than a frozen dataclass."""

    id: str
    kind: str
    retired: bool
    stamp: int
    hash: str
    guid: str


@dataclass(frozen=True)
class Lock:
    deck: str | None = None
    notetypes: dict[int, tuple[str, int]] = field(default_factory=dict)  # model id: (hash, stamp)
    notes: tuple[LockedNote, ...] = ()
    text: str | None = field(default=None, compare=False)  # the file's text as read; None: no file
    slug: str | None = None  # the article it was written for (older locks have no slug line)

    def to_text(self) -> str:
        lines = [HEADER.rstrip("\n")]
        if self.slug is not None:
            lines.append(f"slug\t{self.slug}")
        if self.deck is not None:
            lines.append(f"deck\t{self.deck}")
        for mid, (h, stamp) in sorted(self.notetypes.items()):
            lines.append(f"notetype\t{mid}\t{h}\t{stamp}")
        lines += [f"note\t{qid}\t{kind}\t{_STATES[retired]}\t{stamp}\t{h}\t{guid}"  # each note's fields unpacked at once
                  for qid, kind, retired, stamp, h, guid in sorted(self.notes, key=itemgetter(0, 5))]  # by id, then GUID
        return "\n".join(lines) + "\n"

    @property
    def newest(self) -> int:
        """The newest stamp in the lock (0 when it is empty)."""
        return max([s for _, s in self.notetypes.values()] + [n.stamp for n in self.notes], default=0)


# a named tuple made from its fields' tuple, as its own __new__ makes it, without that Python call
_tuple = tuple.__new__
_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")  # left by a merge conflict


def _newer(a: tuple[int, str], b: tuple[int, str]) -> bool:
    return a > b  # the newer stamp wins; on a tie, one of them, the same whatever the order of lines


@dataclass
class _Reading:
    """A lock being read, line by line."""

    path: str
    slug: str | None = None
    deck: str | None = None
    notetypes: dict[int, tuple[str, int]] = field(default_factory=dict)
    notes: dict[str, LockedNote] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, number: int, parts: list[str]) -> None:
        """Take one line; raises ValueError when it is damaged."""
        size, method = _TAKE.get(parts[0], (0, None))
        if method is None or len(parts) != size:
            raise ValueError
        method(self, number, parts)

    def _slug(self, number: int, parts: list[str]) -> None:
        if not parts[1].strip() or self.slug not in (None, parts[1]):
            raise ValueError
        self.slug = parts[1]

    def _deck(self, number: int, parts: list[str]) -> None:
        if not parts[1].strip():
            raise ValueError
        bad = deck_name_problem(parts[1])
        if bad:
            self.problems.append(Problem(self.path, number, len("deck\t") + 1, f"the deck line of {LOCK_FILE} {bad}: write "
                                                                                 "one such as 'Articles::My article', or delete "
                                                                                 "the line to name the deck from the title"))
            return
        if self.deck is not None and self.deck != parts[1]:
            self.problems.append(Problem(self.path, number, 1, f"a second deck line in {LOCK_FILE} (from a merge?): keep one of them"))
        self.deck = self.deck or parts[1]

    def _notetype(self, number: int, parts: list[str]) -> None:
        mid, value = int(parts[1]), (parts[2], _stamp(parts[3]))
        if mid not in self.notetypes or _newer(value[::-1], self.notetypes[mid][::-1]):
            self.notetypes[mid] = value

    def _note(self, number: int, parts: list[str]) -> None:
        if parts[3] not in _STATES:
            raise ValueError
        note = LockedNote(parts[1], parts[2], parts[3] == "retired", _stamp(parts[4]), parts[5], parts[6])
        old = self.notes.get(note.guid)
        if old is None or _newer((note.stamp, note.hash), (old.stamp, old.hash)):
            self.notes[note.guid] = note


# each kind of line: its number of fields and the method that takes it (one table, not one a line)
_TAKE = {"slug": (2, _Reading._slug), "deck": (2, _Reading._deck), "notetype": (4, _Reading._notetype), "note": (7, _Reading._note)}


def parse_lock(text: str, path: str) -> tuple[Lock, list[Problem]]:
    """The lock in `text`; every malformed line is a problem at its place.

    Two lines for one note (or note type) are what a merge that keeps both sides leaves (git's
    `merge=union`, or an author keeping both sides of a conflict): the one with the newer stamp wins.
    """
    reading = _Reading(path)
    notes = reading.notes
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("note\t"):  # (most lines) the first line of a GUID, with a plain stamp, taken here as _note would
            parts = line.split("\t")
            stamp = parts[4] if len(parts) == 7 else ""
            if stamp.isdigit() and stamp.isascii() and len(stamp) <= 12 and parts[3] in _STATES and parts[6] not in notes:
                notes[parts[6]] = _tuple(LockedNote, (parts[1], parts[2], parts[3] == "retired", int(stamp), parts[5], parts[6]))
                continue  # (12 digits at most: below 1 << 40, as _stamp wants; int() reads any other the long way)
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(_MARKERS):
            reading.problems.append(Problem(path, number, 1, f"a merge conflict marker in {LOCK_FILE}: delete the marker lines "
                                                             "and keep both sides' lines (the newer stamp of a note wins), "
                                                             "or merge with `quizgen lock merge` (see docs/explanation/anki.md, 'Merging anki.lock')"))
            continue
        try:
            reading.line(number, line.split("\t"))
        except ValueError:
            reading.problems.append(Problem(path, number, 1, f"this line of {LOCK_FILE} is damaged; restore the file from version control (or delete the line: its note will then get a new time stamp)"))
    return Lock(reading.deck, reading.notetypes, tuple(reading.notes.values()), text, reading.slug), reading.problems


def written_for(lock: Lock, slug: str) -> str | None:
    """The slug of the article `lock` was written for, when it is not `slug`; None when it is `slug`'s.

    Its `slug` line says it; an older lock without one is `slug`'s when one of its GUIDs is the one
    quizgen derives from `slug` and the question's id (`genanki.guid_for(slug, id)`, or with a note
    type's name after a change of type)."""
    if lock.slug is not None:
        return None if lock.slug == slug else lock.slug
    if not lock.notes:
        return None
    # genanki: only for a lock of notes with no slug (an old lock); `check` and a no-op build read locks without it
    import genanki

    for n in lock.notes:
        if n.guid == genanki.guid_for(slug, n.id):
            return None
    for n in lock.notes:
        if any(n.guid == genanki.guid_for(slug, n.id, name) for name in ("quizgen (v2)", "quizgen: cloze (v2)")):
            return None
    return "another article"


def foreign_lock_problem(lock: Lock, slug: str, path: Path) -> Problem | None:
    """A lock copied with its folder (`cp -r week1 week2`) holds the other article's Anki identities:
    building it would overwrite that article's notes in every learner's Anki. Refused, with the fix.
    `path` (the lock's) is shown only then: outside the working folder, that costs a realpath."""
    owner = written_for(lock, slug)
    if owner is None:
        return None
    named = owner != "another article"
    whose = f"article '{owner}'" if named else "another article (its GUIDs are not this slug's)"
    fix = f"change its line 'slug<TAB>{owner}' to 'slug<TAB>{slug}'" if named else f"add the line 'slug<TAB>{slug}'"
    return Problem(display_path(path), 1, 1, f"this {LOCK_FILE} was written for {whose}, copied with its folder? Delete it to give "
                               f"'{slug}' notes of its own; only if you renamed that article's folder to '{slug}', "
                               f"{fix} to keep its learners' notes")


@dataclass
class LockChanges:
    """What a build changes in an article's lock: the question ids of notes that get a first stamp
    and of notes whose stamp moves, and whether anything else changes (hashes, note types, deck)."""

    missing: bool  # there was no anki.lock at all
    added: list[str]
    restamped: list[str]
    other: bool

    def __bool__(self) -> bool:
        return bool(self.missing or self.added or self.restamped or self.other)

    def describe(self, most: int = 5) -> str:
        """`2 notes get new stamps (a, b); 1 note is new (c)`, and so on."""
        def ids(found: list[str]) -> str:
            shown = ", ".join(found[:most])
            return f" ({shown}{', ...' if len(found) > most else ''})"
        parts = []
        if self.missing:
            parts.append(f"there is no {LOCK_FILE}: all {len(self.added)} notes get first stamps")
        elif self.added:
            parts.append(f"{len(self.added)} note{'s' if len(self.added) != 1 else ''} with no line in it{ids(self.added)}")
        if self.restamped:
            one = len(self.restamped) == 1
            parts.append(f"{len(self.restamped)} note{'' if one else 's'} get{'s a new stamp' if one else ' new stamps'}{ids(self.restamped)}")
        if self.other and not parts:
            parts.append("its hashes, note types or deck line change (no note gets a new stamp)")
        return "; ".join(parts)


def lock_changes(old: Lock, new: Lock, new_text: str | None = None) -> LockChanges:
    """What writing `new` over `old` changes (`new_text`: `new.to_text()`, when the caller has it)."""
    before = {n.guid: n for n in old.notes}
    added = sorted(n.id for n in new.notes if n.guid not in before)
    restamped = sorted(n.id for n in new.notes if n.guid in before and before[n.guid].stamp != n.stamp)
    text = (old.text or "").replace("\r\n", "\n")
    return LockChanges(old.text is None, added, restamped, text != (new.to_text() if new_text is None else new_text))


def _listed(ids: list[str], most: int = 5) -> str:
    return ", ".join(f"'{i}'" for i in ids[:most]) + (", ..." if len(ids) > most else "")


def identity_warnings(old: Lock, new: Lock) -> list[str]:
    """What a build does to learners' cards under another id: an id withdrawn before that is back
    (its learners' card and progress come back with it), and ids gone while others are new (a
    renamed id: its learners' reviews stay with the old one). Ids are forever (docs/reference/questions.md)."""
    was_live, live = {n.id for n in old.notes if not n.retired}, {n.id: n for n in new.notes if not n.retired}
    if live.keys() == was_live:
        return []  # the same questions as before (most builds): none back, none gone, none new
    old_ids = {n.id for n in old.notes}
    back = [i for i in sorted(live) if i in old_ids and i not in was_live]
    warnings = [f"question '{i}' has the id of a question withdrawn earlier: each learner gets back that question's "
                "Anki card and study-page progress, with its reviews. If it is another question, give it an id of its "
                "own (ids are never reused)" for i in back]
    gone = {n.hash: n.id for n in old.notes if not n.retired and n.id not in live}
    return warnings + _renamed(gone, [n for i, n in sorted(live.items()) if i not in old_ids])


def _renamed(gone: dict[str, str], added: list[LockedNote]) -> list[str]:
    """Questions gone (their old hashes) while others are new: one with the same hash is surely renamed."""
    same = [(gone.pop(n.hash), n.id) for n in added if n.hash in gone]
    warnings = [f"question '{new_id}' says what '{old_id}' said, and '{old_id}' is gone: a renamed id? Each learner's "
                f"reviews of '{old_id}' (its Anki card, now withdrawn, and its study-page progress) stay with that id, "
                f"and '{new_id}' starts afresh. To keep them, give it back the id '{old_id}' (ids are forever)"
                for old_id, new_id in same]
    others = [n.id for n in added if n.id not in {i for _, i in same}]
    if gone and others:
        warnings.append(f"questions gone ({_listed(sorted(gone.values()))}) and new ({_listed(others)}) in one build: "
                        "if one of them is a question under a new id, each learner's reviews of it stay with the old id "
                        "(in Anki and on the study page); to keep them, give it back its old id (ids are forever)")
    return warnings


def deck_name_problem(name: str) -> str | None:
    """What is wrong with `name` as an Anki deck name (`History::Middle East`), or None.

    An empty part, or `:::`, makes an accidental subdeck; a blank at either end is not what Anki
    keeps (it would be another deck than the one learners have). `build` never writes either."""
    if name != name.strip():
        return "has a blank at its start or end"
    if not valid_deck_name(name):
        return "has an empty part or a ':::' (Anki would make a subdeck of it)"
    return None


def valid_deck_name(name: str) -> bool:
    """A deck name such as `History::Middle East`: no empty part, no `:::` (an accidental subdeck)."""
    parts = [part.strip() for part in name.split("::")]
    return all(part and not part.startswith(":") and not part.endswith(":") for part in parts)


def _stamp(value: str) -> int:
    stamp = int(value)
    if not 0 <= stamp < 1 << 40:
        raise ValueError(value)
    return stamp


def duplicate_guids(folders: list[Path]) -> list[Problem]:
    """An error for each Anki note whose GUID the anki.lock of another article holds too.

    Two articles sharing a GUID share one note in every learner's Anki: each import overwrites the
    other's text. Reads only the lock files (one pass over the library, linear in its notes)."""
    seen: dict[str, tuple[int, str]] = {}  # guid: (the lock's folder number, question id)
    shared: dict[tuple[int, int], list[tuple[int, str, str]]] = {}  # (lock, other lock): (line, id, other id)
    for index, folder in enumerate(folders):
        path = folder / LOCK_FILE
        try:
            if not path.is_file() or path.stat().st_size > MAX_LOCK_BYTES:
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue  # loading the article reports it
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split("\t")
            if parts[0] != "note" or len(parts) != 7:
                continue
            guid, qid = parts[6], parts[1]
            first = seen.setdefault(guid, (index, qid))
            if first[0] != index:
                shared.setdefault((index, first[0]), []).append((number, qid, first[1]))
    problems = []
    for (index, other), notes in shared.items():  # paths as shown only here: resolving each cost a third of the pass
        shown = display_path(folders[index] / LOCK_FILE)
        number, qid, other_id = notes[0]
        more = f" and {len(notes) - 1} more" if len(notes) > 1 else ""
        problems.append(Problem(shown, number, 1, f"note '{qid}'{more} share{'s' if not more else ''} Anki GUIDs with "
                                                  f"{display_path(folders[other] / LOCK_FILE)} "
                                                  f"(note '{other_id}'): two articles would share notes in every learner's "
                                                  f"Anki; delete this {LOCK_FILE} if its folder was copied"))
    return problems


_HEAD = 4096  # a lock's deck line comes after its header and slug line: in its first few hundred bytes


def _deck_line(folder: Path, staged: dict[str, str]) -> tuple[int, str] | None:
    """The (line number, name) of the first deck line of the article's lock: the one this build
    stages (`staged`, by slug), else the one on disk; None when there is no lock or no such line."""
    text = staged.get(folder.name)
    if text is None:
        try:  # os.read, not open(): a buffered file object a lock was half of this pass's time
            fd = os.open(os.path.join(os.fspath(folder), LOCK_FILE), os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                head = os.read(fd, _HEAD)
                at = head.find(b"\ndeck\t")
                if at < 0 or head.find(b"\n", at + 1) < 0:  # not in the head, or cut at its end
                    head += os.read(fd, min(os.fstat(fd).st_size, MAX_LOCK_BYTES))
            finally:
                os.close(fd)
        except OSError:
            return None  # no lock (a new article), or one that loading the article reports
        text = head.decode("utf-8", errors="replace")
    lines = ("\n" + text).split("\ndeck\t", 1)
    if len(lines) == 1:
        return None
    name = lines[1].split("\n", 1)[0].rstrip("\r")
    return lines[0].count("\n") + 1, name


def duplicate_decks(folders: list[Path], staged: dict[str, str] | None = None) -> list[Problem]:
    """A warning for each article whose Anki deck has the name of another article's deck.

    Anki matches a package's deck by its name, ignoring case: two articles with one title (and deck
    parent) put their cards into one deck in every learner's Anki. Like `duplicate_guids`, this reads
    only the lock files (the deck line is the name of the first build, kept since), the ones a build is
    about to write (`staged`: lock text by slug) before those on disk; an article never built has no
    deck yet."""
    first: dict[str, int] = {}  # the folded name: the first folder that has it
    problems = []
    for index, folder in enumerate(folders):
        found = _deck_line(folder, staged or {})
        if found is None:
            continue
        number, name = found
        other = first.setdefault(name.casefold(), index)
        if other == index:
            continue
        problems.append(Problem(display_path(folder / LOCK_FILE), number, 1, f"deck '{name}' is also the deck of "
                                f"{display_path(folders[other] / LOCK_FILE)}: importing both puts the two articles' cards "
                                "into one Anki deck. To give this one a deck of its own, give the article another title or a "
                                "deck_parent and delete this deck line (the next build names the deck from them), before "
                                "learners import it", "warning"))
    return problems
