"""Writing outputs safely: all of a build's outputs or none, only inside --out, one build at a time.

A build holds the lock `<out>/.quizgen.lock` from start to end (a `filelock` lock: the system
releases it when the process ends, however it ends, on Linux, macOS and Windows alike), so two
builds into one folder take turns, and whatever a build finds of an earlier one's work at its
start was left by a build that is no longer running.

Every output is first written completely into the staging folder `<out>/.quizgen-staging.tmp/`.
The commit then writes a journal naming the outputs, makes the staged files and the journal
durable (see `sync_files`; a live preview, whose outputs can always be rebuilt, skips that), and for each output moves the file it replaces into
the staging folder's `.old/` and the new one into place; then it deletes the journal and the
staging folder. A failure or an interrupt during the commit moves the old files back before it is
reported; a build killed during the commit leaves its journal, and the next build moves the old
files back before it does anything else. So the folder holds every output of the last good build
or every output of the new one, never a new quiz beside an old key.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from functools import cache
from pathlib import Path

from filelock import FileLock, Timeout

from generator.errors import EnvironmentFault, UsageError
from generator.outputs import Output
from generator.pipeline.manifest import file_sum, safe_name

LOCK = ".quizgen.lock"
STAGING = ".quizgen-staging.tmp"
_OLD = ".old"
_JOURNAL = ".journal.json"
_LEFTOVER = re.compile(r"\.[0-9a-f]{12}\.tmp")  # what follows the name in replace_file's temporary file


class NameTaken(ValueError):
    """Two outputs staged under one name (two articles `mini` and `mini-quiz` can both make `mini-quiz-key.html`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"two outputs are both named {name!r}")


def check_names(outputs: list[Output], *, hidden: bool = False) -> None:
    """Every output goes directly inside the output folder, and no two outputs share a name.

    Only quizgen's own bookkeeping (the manifest) may be a hidden file, with `hidden`.
    """
    seen: set[str] = set()
    for output in outputs:
        name = output.name
        if not safe_name(name, hidden=hidden):
            raise ValueError(f"output name {name!r} would leave the output folder")
        if name in seen:
            raise ValueError(f"two outputs are both named {name!r}")
        seen.add(name)


def _prepare(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"--out {folder} is a file, not a folder") from None


@cache
def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_file(path: Path, data: bytes, *, sync: bool = True) -> None:
    """A new file holding `data`, flushed to the disk unless `sync` is off; removed again if writing fails."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), _file_mode())
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
    except OSError as e:
        path.unlink(missing_ok=True)
        if e.filename is None:  # a full disk or an I/O error on write: name the file, as every fault does
            raise OSError(e.errno, e.strerror or str(e), str(path)) from e
        raise
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows flushes only what it may write
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_all(paths: list[Path]) -> None:
    for path in paths:
        _fsync(path)


def sync_files(folder: Path, paths: list[Path]) -> None:
    """Put the files `paths`, all inside `folder`, on the disk before they are renamed into place.

    Only these files and their folder are flushed, never the whole file system (syncfs(2) made every
    build wait for other programs' unwritten data: issue 31). The files are flushed from a few threads
    at once (fsync releases the GIL), so their waits for the disk overlap and a journalling file system
    commits them together. No file is renamed into place before its bytes are on the disk, so a power
    cut during or after the commit cannot leave an output empty or cut short.
    """
    if len(paths) < 4:
        _fsync_all(paths)
    else:
        from concurrent.futures import ThreadPoolExecutor  # only here: a small build need not import it

        # each thread gets a share of the files, not one task a file: a task's future, queue and locks
        # cost more CPU than the flush itself where flushing is quick (tmpfs: two thirds of this CPU)
        threads = min(8, len(paths))
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(_fsync_all, [paths[i::threads] for i in range(threads)]))
    if os.name == "posix":  # the staged names themselves (Windows cannot open a folder to flush it)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_temporary(staging: Path, output: Output, *, hidden: bool = False) -> tuple[Path, str]:
    """Write one output completely into the staging folder; its path there and its SHA-256.

    Not yet synced to the disk: `Stager.commit` syncs every staged file at once before any rename."""
    check_names([output], hidden=hidden)
    path = staging / output.name
    try:
        _write_file(path, output.data, sync=False)
    except FileExistsError:
        raise NameTaken(output.name) from None
    return path, hashlib.sha256(output.data).hexdigest()


def _remove(path: Path) -> None:
    """Remove a file, link or folder tree (a link is removed, never followed)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def recover(folder: Path) -> bool:
    """Undo the commit of a build that was killed in it, and remove what it staged.

    Call with the lock held. Returns whether old outputs were put back.
    """
    staging = folder / STAGING
    if not os.path.lexists(staging):
        return False
    restored = False
    if (staging / _JOURNAL).is_file() and not staging.is_symlink():
        _roll_back(folder, staging)
        restored = True
    _remove(staging)
    return restored


SETTLE_WAIT = 10.0  # seconds a reader waits for a running build's commit to end


def interrupted(folder: Path) -> bool:
    """Whether `folder` holds the journal of a commit that has not ended (running, or killed)."""
    return os.path.lexists(folder / STAGING / _JOURNAL)


def settle(folder: Path, *, wait: float = SETTLE_WAIT) -> None:
    """For a command that reads outputs (serve, mark): never read a half-committed set.

    When a commit has not ended, wait for the build that holds the lock (a running commit takes
    a moment), or, when none does (a build killed in its commit: SIGKILL, a power cut), put the
    previous outputs back as the next build would. Raises EnvironmentFault when neither can be done
    (a build still running after `wait`, or a folder this process cannot write).
    """
    if not interrupted(folder):
        return
    lock = FileLock(str(folder / LOCK), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentFault(folder, "a build is still writing its outputs; try again when it has ended") from None
    except OSError as e:
        raise EnvironmentFault(folder, f"a build was interrupted while writing its outputs and they cannot be put "
                                       f"back ({e.strerror}); run quizgen build --out {folder} to put them right") from None
    try:
        recover(folder)
    except OSError as e:
        raise EnvironmentFault(folder, f"a build was interrupted while writing its outputs and they cannot be put "
                                       f"back ({e.strerror}); run quizgen build --out {folder} to put them right") from None
    finally:
        lock.release()


def _roll_back(folder: Path, staging: Path) -> None:
    """Put back every file the journal's commit replaced, and remove those it added.

    The journal is read as untrusted (anyone who can write into the folder could have planted
    it): only names directly inside the folder; a file is moved back only from a real `.old`
    folder (not a link to elsewhere) and only if it is a regular file; an added file is removed
    only if it still holds the bytes the journal recorded for it (the build's own, not a user's).
    """
    try:
        data = json.loads(_read_journal(staging / _JOURNAL))
        sums = {str(k): str(v) for k, v in data.get("sums", {}).items()}  # none in an earlier quizgen's journal
        entries = [(name, bool(had_old)) for name, had_old in data["outputs"] if safe_name(name, hidden=True)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        entries = []  # a journal cut short by a kill: written before any rename, so nothing was moved
    old = staging / _OLD
    real_old = os.path.isdir(old) and not os.path.islink(old)
    for name, had_old in reversed(entries):
        if had_old:
            if real_old and _regular(old / name):
                os.replace(old / name, folder / name)
        elif not os.path.lexists(staging / name) and name in sums and file_sum(folder / name) == sums[name]:
            (folder / name).unlink()  # it was moved into place: take it out again
    (staging / _JOURNAL).unlink()


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read_journal(path: Path) -> bytes:
    """The journal's bytes: a regular file (never a link), of a bounded size."""
    if not _regular(path) or os.lstat(path).st_size > 64_000_000:
        raise ValueError("not a journal")
    return path.read_bytes()


class Stager:
    """Collects a build's outputs in the staging folder, and commits them all or none.

    Holds the output folder's lock while it is open. `commit` puts every staged file in place;
    leaving the `with` block without committing (an error, an interrupt) removes them and leaves
    the folder as it was.
    """

    def __init__(self, folder: Path, *, durable: bool = True) -> None:
        self.durable = durable  # flush the staged files before the renames (off for live previews)
        self.created = not folder.exists()  # a folder made for a build that fails is removed again
        _prepare(folder)
        self.folder = folder
        self.lock = FileLock(str(folder / LOCK))
        self.lock.acquire()
        try:
            recover(folder)
            self.staging = folder / STAGING
            self.staging.mkdir()
        except BaseException:
            self.lock.release()
            raise
        self.pending: dict[str, Path] = {}
        self.sums: dict[str, str] = {}
        self.committed = False  # every output is in place

    def adopt(self, name: str, tmp: Path, sha: str) -> None:
        if name in self.pending:
            raise ValueError(f"two outputs are both named {name!r}")
        self.pending[name] = tmp
        self.sums[name] = sha

    def stage(self, outputs: list[Output], *, hidden: bool = False) -> None:
        for output in outputs:
            if output.name in self.pending:
                raise ValueError(f"two outputs are both named {output.name!r}")
            self.adopt(output.name, *write_temporary(self.staging, output, hidden=hidden))

    def commit(self) -> list[Path]:
        """Put every staged output in place, all or none; raises EnvironmentFault if it cannot."""
        for name in self.pending:
            target = self.folder / name
            if target.is_dir() and not target.is_symlink():
                raise EnvironmentFault(target, "is a folder where an output goes; move it away; no output was changed")
        entries = [(name, os.path.lexists(self.folder / name)) for name in self.pending]
        journal = self.staging / _JOURNAL
        record = {"outputs": entries, "sums": {name: self.sums[name] for name in self.pending}}
        try:
            _write_file(self.staging / ".journal.new", json.dumps(record).encode("utf-8"), sync=False)
            if self.durable:
                sync_files(self.staging, [*self.pending.values(), self.staging / ".journal.new"])
            os.replace(self.staging / ".journal.new", journal)
            (self.staging / _OLD).mkdir()
        except OSError as e:
            raise EnvironmentFault(Path(e.filename or self.staging), f"{e.strerror}; no output was changed") from e
        current = self.folder
        try:
            for name, had_old in entries:
                current = self.folder / name
                if had_old:
                    os.replace(current, self.staging / _OLD / name)
                os.replace(self.pending[name], current)
        except BaseException as e:
            self._undo(e, current)
            raise
        journal.unlink()
        self.committed = True
        self.pending = {}
        return [self.folder / name for name, _ in entries]

    def _undo(self, error: BaseException, at: Path) -> None:
        """Roll a failed commit back; raises EnvironmentFault saying whether that worked."""
        try:
            _roll_back(self.folder, self.staging)
        except OSError as e:
            raise EnvironmentFault(
                Path(e.filename or self.folder),
                f"{e.strerror}; the output folder is half updated: the next build puts the previous outputs back",
            ) from error
        if isinstance(error, OSError):  # named after the output it was putting in place
            raise EnvironmentFault(at, f"{error.strerror or error}; no output was changed") from error

    def close(self) -> None:
        """Remove what is staged (after a commit, only the replaced files) and release the lock."""
        try:
            if os.path.lexists(self.staging) and not (self.staging / _JOURNAL).exists():
                _remove(self.staging)
        finally:
            self.lock.release()
        if self.created and self.folder.is_dir() and [p.name for p in self.folder.iterdir()] == [LOCK]:
            (self.folder / LOCK).unlink(missing_ok=True)
            self.folder.rmdir()
        self.pending = {}

    def __enter__(self) -> Stager:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close()


def remove_leftovers(target: Path) -> None:
    """Remove the temporary files `replace_file` left beside `target` when killed before its rename."""
    try:
        found = list(target.parent.glob(f".{target.name}.*.tmp"))
    except OSError:
        return
    for path in found:
        if _LEFTOVER.fullmatch(path.name[len(target.name) + 1:]) and not path.is_dir():
            path.unlink(missing_ok=True)


def replace_file(target: Path, data: bytes) -> None:
    """Replace one file at once (a temporary file beside it, renamed over it): for files quizgen
    keeps beside the content (anki.lock), outside the output folder's commit."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    _write_file(tmp, data)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
