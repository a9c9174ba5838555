"""Opening a collection file with the real Anki backend, only when Anki does not hold it open.

Anki desktop keeps its open collection under an exclusive SQLite lock; a second writer would
corrupt it, so the sync refuses then. A dry run opens a copy, so that the file keeps its bytes.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anki.collection import Collection
from anki.errors import DBError

from generator.errors import UsageError


class CollectionLocked(UsageError):
    """Anki (or another program) has the collection open."""


def _locked(path: Path) -> CollectionLocked:
    return CollectionLocked(
        f"{path}: the collection is open in Anki (Anki locks it while a profile is open); "
        "close Anki or switch it to another profile, then run again. Nothing was changed."
    )


def check_unlocked(path: Path) -> None:
    """Raise CollectionLocked when another process holds the collection's lock; UsageError if it is no SQLite file.

    A plain read through SQLite: it changes no byte of the file, and the lock makes it fail at once.
    """
    try:
        db = sqlite3.connect(path, timeout=0)
        try:
            db.execute("select count() from sqlite_master").fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise _locked(path) from None
        raise UsageError(f"{path}: cannot read the collection ({e})") from None
    except sqlite3.DatabaseError as e:
        raise UsageError(f"{path}: not an Anki collection ({e})") from None


@contextmanager
def open_collection(path: Path, dry_run: bool) -> Iterator[Collection]:
    """The collection, opened by the Anki backend and closed on the way out.

    With `dry_run`, a copy in a temporary folder is opened instead: opening may convert the
    file's journal mode or schema, and a dry run must not change a byte.
    """
    check_unlocked(path)
    with tempfile.TemporaryDirectory(prefix="quizgen-sync-") as scratch:
        target = path
        if dry_run:
            target = Path(scratch) / path.name
            shutil.copyfile(path, target)
            wal = path.with_name(path.name + "-wal")
            if wal.is_file():  # left by a crash: part of the collection until SQLite replays it
                shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        try:
            col = Collection(str(target))
        except DBError as e:
            if "already open" in str(e) or "locked" in str(e):
                raise _locked(path) from None
            raise UsageError(f"{path}: the Anki backend cannot open this collection ({e})") from None
        try:
            yield col
        finally:
            col.close()
