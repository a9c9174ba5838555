"""The output folder's lock, `<out>/.quizgen.lock`: one build at a time, released when the process ends.

On Linux and macOS it is `flock` on the lock file, as the `filelock` package takes it (its
`UnixFileLock`), so a quizgen of either kind, or a script holding `filelock.FileLock` on the same
file, waits for the other. `filelock` itself is imported only where `flock` is not at hand
(Windows, a file system without it): importing it costs about 0.1 s of CPU (it imports asyncio),
a sixth of a rebuild that builds nothing (issue 31).
"""

from __future__ import annotations

import errno
import os
import time
from typing import Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

POLL = 0.05  # seconds between tries while another process holds the lock


class LockTimeout(TimeoutError):
    """The lock was still held by another process after the time given."""


class FolderLock:
    """A non-reentrant lock on the file `path` (created if missing, left in place after release)."""

    def __init__(self, path: str, timeout: float = -1) -> None:
        self.path = path
        self.timeout = timeout  # seconds; negative: wait as long as it takes
        self._fd: int | None = None
        self._other: Any = None  # a filelock.FileLock where flock is not at hand

    def acquire(self) -> None:
        if fcntl is not None and self._other is None:
            start = time.monotonic()
            while True:
                try:
                    if self._try_flock():
                        return
                except OSError as e:
                    if e.errno not in (errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
                        raise
                    break  # no flock on this file system: filelock knows what to do there
                if 0 <= self.timeout <= time.monotonic() - start:
                    raise LockTimeout(f"the lock {self.path} is held by another process")
                time.sleep(POLL)
        self._acquire_other()

    def _try_flock(self) -> bool:
        """Whether the lock was taken (False: another process holds it)."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        if os.fstat(fd).st_nlink == 0:  # the file was removed between open and flock: a lock on nothing
            os.close(fd)
            return False
        self._fd = fd
        return True

    def _acquire_other(self) -> None:
        from filelock import FileLock, Timeout  # only without flock

        self._other = FileLock(self.path, timeout=self.timeout)
        try:
            self._other.acquire()
        except Timeout:
            raise LockTimeout(f"the lock {self.path} is held by another process") from None

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        elif self._other is not None:
            self._other.release()

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
