"""Opening a collection file with the real Anki backend, only when Anki does not hold it open.

Anki desktop keeps its open collection under an exclusive SQLite lock; a second writer would
corrupt it, so the sync refuses then. A dry run opens a copy, so that the file keeps its bytes.

Opening a collection brings it to the backend's schema (18 with the `anki` package of today). Anki
2.1.49 and older, and the AnkiDroid versions of their time, leave a collection in schema 11 when they
close it and cannot open a newer one; so a collection found in an older schema is written back in
schema 11 when the sync closes it (Anki's own "downgrade"), and the learner's Anki still opens it.
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


def check_unlocked(path: Path) -> int | None:
    """The collection's schema version (None when it has none: the backend says what is wrong); raise
    CollectionLocked when another process holds the collection's lock, UsageError if it is no SQLite file.

    A plain read through SQLite: it changes no byte of the file, and the lock makes it fail at once.
    """
    try:
        db = sqlite3.connect(path, timeout=0)
        try:
            db.execute("select count() from sqlite_master").fetchall()
            try:
                row = db.execute("select ver from col").fetchone()
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):
                    raise
                return None  # no `col` table: not a collection, as the backend will say
            return int(row[0]) if row and isinstance(row[0], int) else None
        finally:
            db.close()
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise _locked(path) from None
        raise UsageError(f"{path}: cannot read the collection ({e})") from None
    except sqlite3.DatabaseError as e:
        raise UsageError(f"{path}: not an Anki collection ({e})") from None


@contextmanager
def open_collection(path: Path, dry_run: bool) -> Iterator[tuple[Collection, int | None]]:
    """The collection, opened by the Anki backend and closed on the way out, and the older schema it
    was found in (None when it was in the backend's own): the one it is closed in (see above).

    With `dry_run`, a copy in a temporary folder is opened instead: opening may convert the
    file's journal mode or schema, and a dry run must not change a byte.
    """
    before = check_unlocked(path)
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
        assert col.db is not None  # an open collection has its database
        older = before if before is not None and before < col.db.scalar("select ver from col") else None
        try:
            yield col, older
        finally:
            col.close(downgrade=older is not None)
