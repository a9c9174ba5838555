"""What every command shares: the exit statuses, the run's Session, printing, and `guard`, which turns
every failure into one exit status and a plain message (the commands are the only code that prints or exits)."""

from __future__ import annotations

import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import typer

from generator import __version__
from generator.errors import (
    ContentError,
    EnvironmentFault,
    Interrupted,
    UsageError,
    count_line,
    escape_controls,
    printable,
)

# The exit statuses (README, "When something is wrong"): sysexits.h's EX_SOFTWARE and EX_IOERR,
# Click's 2 for a mistake on the command line, and 128 + SIGINT for an interrupt.
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_IO = 74
EXIT_INTERRUPTED = 130

CONTENT_HELP = "The content folder: one folder per article, each with article.md and question files."
JOBS_HELP = "Work on this many articles at once, in parallel processes (default: every core, for 16 articles or more)."

T = TypeVar("T")


@dataclass
class Session:
    """What one run of `quizgen` knows besides its command's options: Click's context object (`ctx.obj`)."""

    debug: bool = False  # --debug: print an internal error's traceback
    interrupt_said: bool = False  # an interrupt was already reported
    problems: list = field(default_factory=list)  # the configuration file's errors
    values: dict[str, Any] = field(default_factory=dict)  # the configuration file's settings, by key
    warnings: list = field(default_factory=list)  # the configuration file's warnings
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # each key's line and column in the file
    path: str | None = None  # the configuration file, as shown
    command: Any = None  # the running command's Click context: where each option got its value


def session(ctx: typer.Context) -> Session:
    """The run's Session (made when the command line was parsed without one: a test's CliRunner)."""
    return ctx.ensure_object(Session)


def echo(message: object = "", err: bool = False) -> None:
    """Print one or more lines with every control character escaped (a title, a path or a request
    line can carry ESC, BEL or OSC sequences that a terminal would obey): the only way quizgen prints."""
    typer.echo(escape_controls(str(message)), err=err)


def echo_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Lines printed a thousand to a write: thousands of warnings are not thousands of writes, nor one
    string of them all in memory."""
    rest = iter(lines)
    while chunk := list(islice(rest, 1000)):
        echo("\n".join(chunk), err=err)


def say(line: str) -> None:
    """A line on standard error that may fail silently (the streams may be gone while exiting)."""
    try:
        echo(line, err=True)
    except (OSError, ValueError):
        pass


_LOCATED = re.compile(r"[^\n]*:\d+:\d+: error: ")  # `path:line:col: error: ...`: a message that says where already


def usage_line(message: str) -> str:
    """The line of a mistake on the command line: `quizgen: error: ...`, or, for a message that names
    the place in a file given on the command line (a roster's row, a review decision), that line as it is."""
    return message if _LOCATED.match(message) else f"quizgen: error: {message}"


def guard(state: Session, work: Callable[[], T]) -> T:
    """Run a command's work, turning every failure into one exit status and a plain message."""
    try:
        return work()
    except UsageError as e:
        echo(usage_line(str(e)), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ContentError as e:
        echo_lines([*map(str, e.problems), count_line(e.problems)], err=True)
        raise typer.Exit(EXIT_CONTENT) from None
    except EnvironmentFault as e:
        echo(f"quizgen: error: {e}", err=True)
        raise typer.Exit(EXIT_IO) from None
    except OSError as e:
        echo(f"quizgen: error: {os_error(e)}", err=True)
        raise typer.Exit(EXIT_IO) from None
    except Interrupted as e:
        state.interrupt_said = True
        echo(f"quizgen: {e}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except KeyboardInterrupt:
        state.interrupt_said = True
        echo("quizgen: interrupted; no output was changed.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:  # an internal error: a bug in quizgen, not in the content
        internal_error(e, state.debug)
        raise typer.Exit(EXIT_INTERNAL) from None


def os_error(e: OSError, unnamed: str | None = None) -> str:
    """One plain line naming the file a fault of the computer (read-only, full, gone...) came from."""
    path = e.filename if e.filename is not None else unnamed
    return f"{printable(str(path))}: {e.strerror or e}" if path is not None else str(e.strerror or e)


def internal_error(e: BaseException, debug: bool) -> None:
    """Report a bug: a short line, the traceback saved to a file (and printed with --debug)."""
    text = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    if debug:
        sys.stderr.write(text)
    try:
        fd, saved = tempfile.mkstemp(prefix="quizgen-crash-", suffix=".txt")
        with open(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"quizgen {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n{text}")
        where = f"the traceback is in {saved}"
    except OSError:
        where = "run again with --debug (quizgen --debug ...) to see the traceback"
    echo(
        f"quizgen: internal error ({type(e).__name__}: {e}). This is a bug in quizgen; please report it: {where}.",
        err=True,
    )
