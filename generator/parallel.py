"""Running one function over many articles, in worker processes when that pays."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import multiprocessing.context

T = TypeVar("T")
R = TypeVar("R")

AUTO_FROM = 16  # articles: below this, starting workers costs more than it saves


def auto_jobs(items: int) -> int:
    """The number of processes for `items` articles when the user did not say: every core, if it pays."""
    if items < AUTO_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items))


def worker_start() -> None:
    """Workers leave interruption to the parent, and die with it (Linux) rather than outlive it.

    A worker prints nothing: what it finds (problems, and exceptions too) goes back to the parent,
    which alone prints. What the worker process itself would print is a traceback of its pipe to
    the parent breaking when the parent was interrupted (BrokenPipeError in the pool's `put`),
    after the parent's one line: that goes to the null device."""
    try:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the worker)
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # Pool.terminate stops a worker with SIGTERM
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # only in a worker, on Linux

            ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _context() -> multiprocessing.context.BaseContext:
    """Workers are started by a fork server (Linux, macOS) or spawned (Windows), never forked.

    Forking a process that runs threads (the pool's own) can copy a held lock into the child,
    which then waits forever: that made an interrupted build hang now and then.
    """
    import multiprocessing  # here: one process (one article, --jobs 1) never needs it

    # The resource tracker process (started with this interpreter's -W options) removes the pool's
    # semaphores left by workers stopped at an interrupt, and then warns of "leaked semaphore
    # objects" after quizgen's own one line: the cleaning is its job, the warning noise.
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["generator.build"])  # imported once, in the server
        return context
    return multiprocessing.get_context("spawn")


_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"

MAX_CHUNK = 4  # articles a worker takes at once, at most


def chunk_size(items: int, jobs: int) -> int:
    """Articles sent to a worker at once: enough to spread the work, never many.

    A worker sends back a whole chunk's results in one message (every output of a build, every
    warning of a check), and both sides hold it whole: chunks that grew with the library (an eighth
    of a worker's share) made the memory of a 5,000-article build or check grow with it."""
    return max(1, min(MAX_CHUNK, items // (jobs * 8)))


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """`fn` over `items`, results in the order of the items, in `jobs` processes (1: this one).

    If the caller stops early (an error, Ctrl-C, SIGTERM), the workers are stopped at once.
    """
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    pool = _context().Pool(processes=min(jobs, len(items)), initializer=worker_start)
    try:
        yield from pool.imap(fn, items, chunksize=chunk_size(len(items), jobs))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def stop_all(wait: float = 2.0) -> None:
    """Stop every worker process still running (after an interrupt, before a hard exit)."""
    import multiprocessing  # only after an interrupt; check and --jobs 1 never import it
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(wait)
