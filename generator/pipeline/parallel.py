"""Running one function over many articles, in worker processes when that pays."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

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
    if hasattr(signal, "pthread_sigmask"):  # held back while the pool started it (`_starting`): a Ctrl-C
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # pending now is dropped, being ignored
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # only in a worker, on Linux

            ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _starting() -> Iterator[None]:
    """A pool's fork server and workers started quiet and with Ctrl-C and SIGTERM held back.

    They inherit the signal mask, so that neither signal reaches one before it has set its handlers
    (a Ctrl-C there printed the fork server's or a worker's traceback); the parent gets a signal that
    came meanwhile as soon as the pool is up, a worker drops it (`worker_start`). The fork server
    inherits standard error from the process that starts it: started with the null device there, a
    worker it was still forking when the parent stopped the pool prints no traceback of its pipe."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # multiprocessing: only when a pool starts, never for a `check` or build run in one process
    from multiprocessing import resource_tracker

    # Started first: starting it unblocks SIGINT and SIGTERM in this thread when it is done, and
    # the fork server started after it would not inherit the mask; it keeps quizgen's stderr.
    resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    saved = None
    try:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass
        yield
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _context(preload: str) -> multiprocessing.context.BaseContext:
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
        context.set_forkserver_preload([preload])  # imported once, in the server
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


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int, *, initializer: Callable[..., None] = worker_start,
                initargs: tuple[Any, ...] = (), preload: str = "generator.pipeline.build") -> Iterator[R]:
    """`fn` over `items`, results in the order of the items, in `jobs` processes (1: this one).

    Each worker runs `initializer(*initargs)` first, which must call `worker_start`; the fork
    server imports `preload` once. If the caller stops early (an error, Ctrl-C, SIGTERM), the
    workers are stopped at once.
    """
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    context, pool = _context(preload), None
    try:
        with _starting():  # a signal that came meanwhile is raised as this block ends, the pool made
            pool = context.Pool(processes=min(jobs, len(items)), initializer=initializer, initargs=initargs)
        yield from pool.imap(fn, items, chunksize=chunk_size(len(items), jobs))
        pool.close()
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        if pool is not None:
            pool.join()


def stop_all(wait: float = 2.0) -> None:
    """Stop every worker process still running (after an interrupt, before a hard exit)."""
    import multiprocessing  # only after an interrupt; check and --jobs 1 never import it
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(wait)
