"""The `quizgen` command line: the only module that prints or exits.

Heavy modules are imported inside the commands, so `quizgen --version` and `--help` stay quick.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from generator import __version__

# The exit statuses (README, "When something is wrong"): sysexits.h's EX_SOFTWARE and EX_IOERR,
# Click's 2 for a mistake on the command line, and 128 + SIGINT for an interrupt.
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_IO = 74
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="quizgen",
    help="Turn hand-written questions about a news article into study material.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Rich's help formatting takes longer to import than the rest of quizgen --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}
T = TypeVar("T")

CONTENT_HELP = "The content folder: one folder per article, each with article.md and question files."


def _version(value: bool) -> None:
    if value:
        typer.echo(f"quizgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of an internal error.")] = False,
) -> None:
    """Check question files against their articles and build decks, quizzes and study pages."""
    _state["debug"] = debug


def _guard(work: Callable[[], T]) -> T:
    """Run a command's work, turning every failure into one exit status and a plain message."""
    from generator.errors import ContentError, EnvironmentFault, Interrupted, UsageError

    try:
        return work()
    except UsageError as e:
        typer.echo(f"quizgen: error: {e}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ContentError as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        count = len(e.problems)
        typer.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        raise typer.Exit(EXIT_CONTENT) from None
    except EnvironmentFault as e:
        typer.echo(f"quizgen: error: {e}", err=True)
        raise typer.Exit(EXIT_IO) from None
    except OSError as e:
        typer.echo(f"quizgen: error: {_os_error(e)}", err=True)
        raise typer.Exit(EXIT_IO) from None
    except Interrupted as e:
        typer.echo(f"quizgen: {e}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except KeyboardInterrupt:
        typer.echo("quizgen: interrupted; no output was changed.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:  # an internal error: a bug in quizgen, not in the content
        _internal_error(e)
        raise typer.Exit(EXIT_INTERNAL) from None


def _os_error(e: OSError, unnamed: str | None = None) -> str:
    """One plain line naming the file a fault of the computer (read-only, full, gone...) came from."""
    from generator.errors import printable

    path = e.filename if e.filename is not None else unnamed
    return f"{printable(str(path))}: {e.strerror or e}" if path is not None else str(e.strerror or e)


def _internal_error(e: BaseException) -> None:
    """Report a bug: a short line, the traceback saved to a file (and printed with --debug)."""
    import tempfile

    text = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    if _state["debug"]:
        sys.stderr.write(text)
    try:
        fd, saved = tempfile.mkstemp(prefix="quizgen-crash-", suffix=".txt")
        with open(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"quizgen {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n{text}")
        where = f"the traceback is in {saved}"
    except OSError:
        where = "run again with --debug (quizgen --debug ...) to see the traceback"
    typer.echo(
        f"quizgen: internal error ({type(e).__name__}: {e}). This is a bug in quizgen; please report it: {where}.",
        err=True,
    )


JOBS_HELP = "Work on this many articles at once, in parallel processes (default: every core, for 16 articles or more)."


@app.command()
def check(
    content: Annotated[Path, typer.Argument(help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True)] = Path("questions"),
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=JOBS_HELP)] = None,
) -> None:
    """Validate every article and question file; report every problem as path:line:col."""
    from generator.summary import check_library

    for line in _guard(lambda: check_library(content, jobs)):
        typer.echo(line)


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


class Tests(str, Enum):
    event = "event"
    claim = "claim"


class Kind(str, Enum):
    """The question kinds (generator.model.KINDS, which a test compares this with)."""

    qa = "qa"
    cloze = "cloze"
    mcq = "mcq"
    truefalse = "truefalse"
    order = "order"
    attribution = "attribution"


QUIZ = "Printable quiz"


@app.command()
def build(
    content: Annotated[Path, typer.Argument(help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True)] = Path("questions"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder the outputs are written to.")] = Path("decks"),
    deck_parent: Annotated[str | None, typer.Option(
        "--deck-parent",
        help="Anki deck to put every article's deck under (default: each question file's deck_parent, else 'Articles').",
    )] = None,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size of the quiz and key.", rich_help_panel=QUIZ)] = Paper.a4,
    questions: Annotated[int | None, typer.Option(
        "--questions", "-n", min=1, help="Draw this many questions for the quiz (same seed, same draw).",
        rich_help_panel=QUIZ,
    )] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Quiz only questions with this tag (repeatable).", rich_help_panel=QUIZ)] = None,
    kind: Annotated[list[Kind] | None, typer.Option("--kind", help="Quiz only questions of this kind (repeatable).", rich_help_panel=QUIZ)] = None,
    tests: Annotated[Tests | None, typer.Option("--tests", help="Quiz only questions that test events, or only claims.", rich_help_panel=QUIZ)] = None,
    versions: Annotated[int, typer.Option(
        "--versions", min=1, max=26, help="Write versions A, B, ... with shuffled questions and choices, each with its key.",
        rich_help_panel=QUIZ,
    )] = 1,
    seed: Annotated[str, typer.Option("--seed", help="Seed of the draw and of every shuffle.", rich_help_panel=QUIZ)] = "1",
    append_key: Annotated[bool, typer.Option("--append-key", help="Also put the key at the end of the quiz, on a new page.", rich_help_panel=QUIZ)] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print the quiz and key to PDF (needs Chromium and Playwright).", rich_help_panel=QUIZ)] = False,
    only: Annotated[list[str] | None, typer.Option("--only", help="Build only these outputs (repeatable): anki, quiz, study, index.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything, even outputs whose inputs did not change.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=JOBS_HELP)] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Delete the outputs of articles that are gone.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and the final line.")] = False,
) -> None:
    """Check everything, then build every output into --out (nothing is written if a check fails)."""
    from generator.build import build as run_build
    from generator.build import quiz_options

    quiz = _guard(lambda: quiz_options(
        paper=paper.value, count=questions, tags=tag or [], kinds=[k.value for k in kind or []], tests=tests.value if tests else None,
        versions=versions, seed=seed, append_key=append_key,
    ))
    chromium = _guard(_pdf_check) if pdf else None
    with _progress(quiet) as progress:
        result = _guard(lambda: run_build(
            content, out, only=only or [], force=force, jobs=jobs, deck_parent=deck_parent, quiz=quiz,
            pdf=chromium, prune=prune, progress=progress,
        ))
    try:
        _report(result, out, quiet)
    except KeyboardInterrupt:
        typer.echo(f"quizgen: interrupted after every output was written into {out}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _report(result, out: Path, quiet: bool) -> None:
    if not quiet:
        for path in result.written:
            typer.echo(f"wrote {path}")
    for name in result.stale:
        verb = "removed" if name in result.pruned else "stale"
        typer.echo(f"{verb}: {out / name} (its article is gone{'' if result.pruned else '; --prune removes it'})")
    articles = len(result.built)
    typer.echo(
        f"built {len(result.written)} output{'s' if len(result.written) != 1 else ''} of {articles} "
        f"article{'s' if articles != 1 else ''}, skipped {len(result.skipped)} unchanged "
        f"article{'s' if len(result.skipped) != 1 else ''}, into {out}"
    )


@contextmanager
def _progress(quiet: bool):
    """A progress bar on a terminal, shown once the build has taken more than a second."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                   TimeElapsedColumn(), transient=True, console=None)
    task = None

    def update(what: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if time.monotonic() - started < 1.0:
                return
            bar.start()
            task = bar.add_task(what, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


def _pdf_check() -> str:
    from generator.pdf import check_available

    return check_available()


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the schema to this file instead of printing it.")] = None,
) -> None:
    """Print the JSON Schema of question files (for editors with a YAML language server)."""
    from generator.schema import json_schema

    text = _guard(json_schema)
    if out is None:
        sys.stdout.write(text)
    else:
        _guard(lambda: out.write_text(text, encoding="utf-8"))
        typer.echo(f"wrote {out}")


_exiting: dict[str, int | None] = {"status": None}  # set once quizgen knows how it ends


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM stops the build like Ctrl-C, so that the staged files are removed on the way out."""
    if _exiting["status"] is not None:  # too late to unwind: everything is done but exiting
        os._exit(EXIT_INTERRUPTED)
    raise KeyboardInterrupt


def _run(args: list[str] | None) -> int:
    """Run the command line; its exit status. Click's usage errors keep Click's status, 2."""
    # Typer's own copy of Click, or Click itself in older Typers: the classes its errors derive from
    click_error: type[Any] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    aborts: tuple[type[BaseException], ...] = tuple(c for c in typer.Abort.__mro__ if c.__name__ == "Abort")
    exits: tuple[type[Any], ...] = tuple(c for c in typer.Exit.__mro__ if c.__name__ == "Exit")
    try:
        status = app(args=args, standalone_mode=False)
    except aborts as e:  # Click's name for Ctrl-C outside a command's own handling
        if isinstance(e.__context__, KeyboardInterrupt):
            raise e.__context__ from None
        _say("quizgen: aborted")
        return EXIT_CONTENT
    except click_error as e:
        e.show()
        return e.exit_code
    except exits as e:
        return e.exit_code
    return status if isinstance(status, int) else 0


def main(args: list[str] | None = None) -> None:
    """Entry point of the `quizgen` console script: the exit status follows the README's table."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    if sys.stdout is None:  # started with standard output closed: the next file opened would take its place
        _say("quizgen: error: standard output is closed; nothing was done")
        sys.exit(EXIT_IO)
    try:
        status = _run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, as an I/O fault
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
        _say("quizgen: interrupted; no output was changed.")
    except OSError as e:
        status = EXIT_IO
        _say(f"quizgen: error: cannot write the output: {_os_error(e, 'standard output')}")
    _exiting["status"] = status
    if status != 0:
        _silence_stdout()
    if status == EXIT_INTERRUPTED:
        # Leaving through the interpreter's shutdown after an interrupt ended some processes with
        # SIGINT (status -2, 3 of 16 trials of bench/sigterm.py); the work is stopped and cleaned
        # up, the streams flushed: exit now.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        if "generator.parallel" in sys.modules:  # workers a pool was still starting when interrupted
            sys.modules["generator.parallel"].stop_all()
        os._exit(status)
    sys.exit(status)


def _say(line: str) -> None:
    try:
        typer.echo(line, err=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Drop what could not be written to standard output, so that exiting does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
