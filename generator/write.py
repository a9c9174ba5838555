"""Writing outputs safely: everything to temporary files in the output folder, then renamed.

Every output is first written completely to a temporary file beside it; only when all of them are
on disk are they renamed into place, each rename atomic. A build that fails or is interrupted
before that leaves every earlier output as it was; its temporary files are removed, or, if the
process was killed outright, by the next build. Two builds into one folder never write to the
same temporary file, so each final file is whole, from one build or the other.
"""

from __future__ import annotations

import os
import re
import secrets
from functools import cache
from pathlib import Path

from generator.builders import Output
from generator.errors import UsageError

# `.<name>.<pid>-<random>.tmp`: the pid says whether the build that wrote it is still running.
_TEMP = re.compile(r"^\..+\.(\d+)-[0-9a-f]+\.tmp$")


def check_names(outputs: list[Output], *, hidden: bool = False) -> None:
    """Every output goes directly inside the output folder, and no two outputs share a name.

    Only quizgen's own bookkeeping (the manifest) may be a hidden file, with `hidden`.
    """
    seen: set[str] = set()
    for output in outputs:
        name = output.name
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name or (
            name.startswith(".") and not hidden
        ):
            raise ValueError(f"output name {name!r} would leave the output folder")
        if name in seen:
            raise ValueError(f"two outputs are both named {name!r}")
        seen.add(name)


def _alive(pid: int) -> bool:
    """Whether a process runs: a zombie (ended, not yet reaped) does not."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def remove_stale_temporaries(folder: Path, *, mine: bool = False) -> list[Path]:
    """Delete temporary files left by builds that were killed (with `mine`, this build's too)."""
    removed = []
    for path in folder.iterdir():
        m = _TEMP.match(path.name)
        if m and ((mine and int(m.group(1)) == os.getpid()) or not _alive(int(m.group(1)))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _prepare(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot make the output folder {folder}: {e.strerror}") from None


@cache
def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_temporary(folder: Path, output: Output, *, hidden: bool = False, owner: int | None = None) -> Path:
    """Write one output completely to a new temporary file in `folder`; returns its path.

    The file is named after the build that owns it (`owner`, the build's process id, which its
    worker processes pass on), so that it is left alone while that build runs.
    """
    check_names([output], hidden=hidden)
    tmp = folder / f".{output.name}.{owner or os.getpid()}-{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _file_mode())
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(output.data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


class Stager:
    """Collects outputs as temporary files, and renames them all into place at the end.

    `commit` renames every staged file; `abort` (or any exception inside a `with` block) removes
    them and leaves the folder as it was. Worker processes write their temporary files themselves
    (`write_temporary`) and the stager `adopt`s them.
    """

    def __init__(self, folder: Path) -> None:
        self.created = not folder.exists()  # a folder made for a build that fails is removed again
        _prepare(folder)
        remove_stale_temporaries(folder)
        self.folder = folder
        self.pending: dict[str, Path] = {}

    def adopt(self, name: str, tmp: Path) -> None:
        if name in self.pending:
            tmp.unlink(missing_ok=True)
            raise ValueError(f"two outputs are both named {name!r}")
        self.pending[name] = tmp

    def stage(self, outputs: list[Output], *, hidden: bool = False) -> None:
        for output in outputs:
            self.adopt(output.name, write_temporary(self.folder, output, hidden=hidden))

    def commit(self) -> list[Path]:
        written = []
        for name, tmp in self.pending.items():
            os.replace(tmp, self.folder / name)
            written.append(self.folder / name)
        self.pending = {}
        return written

    def abort(self) -> None:
        for tmp in self.pending.values():
            tmp.unlink(missing_ok=True)
        if self.folder.is_dir():
            remove_stale_temporaries(self.folder, mine=True)  # those of stopped worker processes too
        if self.created and self.folder.is_dir() and not any(self.folder.iterdir()):
            self.folder.rmdir()
        self.pending = {}

    def __enter__(self) -> Stager:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.abort()  # after commit() there is nothing left to remove


def write_outputs(folder: Path, outputs: list[Output]) -> list[Path]:
    """Write every output into `folder`: all to temporary files first, then renamed into place."""
    with Stager(folder) as stager:
        stager.stage(outputs)
        return stager.commit()
