"""The `quizgen` command line: the only module that prints or exits.

Heavy modules are imported inside the commands, so `quizgen --version` and `--help` stay quick.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from generator import __version__

EXIT_CONTENT = 1
EXIT_INTERNAL = 70

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
    version: bool | None = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error."),
) -> None:
    """Check question files against their articles and build decks, quizzes and study pages."""
    _state["debug"] = debug


def _guard(work: Callable[[], T]) -> T:
    """Run a command's work: content problems exit 1, anything unexpected exits 70."""
    from generator.errors import ContentError, UsageError

    try:
        return work()
    except UsageError as e:
        typer.echo(f"quizgen: error: {e}", err=True)
        raise typer.Exit(EXIT_CONTENT) from None
    except ContentError as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        count = len(e.problems)
        typer.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        raise typer.Exit(EXIT_CONTENT) from None
    except KeyboardInterrupt:
        typer.echo("quizgen: interrupted; no output was changed unless its line 'wrote ...' was printed.", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:  # an internal error: a bug in quizgen, not in the content
        if _state["debug"]:
            traceback.print_exc()
        typer.echo(
            f"quizgen: internal error ({type(e).__name__}: {e}). This is a bug in quizgen; "
            "run again with --debug (quizgen --debug ...) to see the traceback.",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


JOBS_HELP = "Work on this many articles at once, in parallel processes (default: every core, for 16 articles or more)."


@app.command()
def check(
    content: Path = typer.Argument(Path("questions"), help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help=JOBS_HELP),
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


QUIZ = "Printable quiz"


@app.command()
def build(
    content: Path = typer.Argument(Path("questions"), help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True),
    out: Path = typer.Option(Path("decks"), "--out", "-o", help="Folder the outputs are written to."),
    deck_parent: str | None = typer.Option(
        None, "--deck-parent",
        help="Anki deck to put every article's deck under (default: each question file's deck_parent, else 'Articles').",
    ),
    paper: Paper = typer.Option(Paper.a4, "--paper", help="Paper size of the quiz and key.", rich_help_panel=QUIZ),
    questions: int | None = typer.Option(
        None, "--questions", "-n", min=1, help="Draw this many questions for the quiz (same seed, same draw).",
        rich_help_panel=QUIZ,
    ),
    tag: list[str] = typer.Option([], "--tag", help="Quiz only questions with this tag (repeatable).", rich_help_panel=QUIZ),
    kind: list[str] = typer.Option([], "--kind", help="Quiz only questions of this kind (repeatable): qa, cloze, mcq, truefalse, order, attribution.", rich_help_panel=QUIZ),
    tests: Tests | None = typer.Option(None, "--tests", help="Quiz only questions that test events, or only claims.", rich_help_panel=QUIZ),
    versions: int = typer.Option(
        1, "--versions", min=1, max=26, help="Write versions A, B, ... with shuffled questions and choices, each with its key.",
        rich_help_panel=QUIZ,
    ),
    seed: str = typer.Option("1", "--seed", help="Seed of the draw and of every shuffle.", rich_help_panel=QUIZ),
    append_key: bool = typer.Option(False, "--append-key", help="Also write <slug>-quiz-key.html, the quiz with its key after it, for the teacher.", rich_help_panel=QUIZ),
    pdf: bool = typer.Option(False, "--pdf", help="Also print the quiz and key to PDF (needs Chromium and Playwright).", rich_help_panel=QUIZ),
    title: Annotated[str | None, typer.Option(
        "--title", help="The quiz's heading (default: 'Quiz: ' and the article's title).", rich_help_panel=QUIZ,
    )] = None,
    time_allowed: Annotated[str | None, typer.Option(
        "--time-allowed", help="Print 'Time allowed: ...' in the header, e.g. '30 minutes'.", rich_help_panel=QUIZ,
    )] = None,
    class_field: Annotated[bool, typer.Option(
        "--class-field/--no-class-field", help="A 'Class' line beside name and date.", rich_help_panel=QUIZ,
    )] = True,
    instructions: Annotated[str | None, typer.Option(
        "--instructions", help="The general instructions under the header, instead of the default ones.",
        rich_help_panel=QUIZ,
    )] = None,
    points: Annotated[list[str] | None, typer.Option(
        "--points", metavar="KIND=N",
        help="Points of a question of this kind, or of one blank (cloze) or event (order); repeatable, "
        "e.g. --points qa=3. Defaults: mcq, attribution, truefalse, cloze, order 1; qa 2.",
        rich_help_panel=QUIZ,
    )] = None,
    only: list[str] = typer.Option([], "--only", help="Build only these outputs (repeatable): anki, quiz, study, index."),
    force: bool = typer.Option(False, "--force", help="Rebuild everything, even outputs whose inputs did not change."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help=JOBS_HELP),
    prune: bool = typer.Option(False, "--prune", help="Delete the outputs of articles that are gone."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems and the final line."),
) -> None:
    """Check everything, then build every output into --out (nothing is written if a check fails)."""
    from generator.build import build as run_build
    from generator.build import quiz_options

    quiz = _guard(lambda: quiz_options(
        paper=paper.value, count=questions, tags=tag, kinds=kind, tests=tests.value if tests else None,
        versions=versions, seed=seed, append_key=append_key, title=title, time_allowed=time_allowed,
        class_field=class_field, instructions=instructions, points=points or [],
    ))
    chromium = _guard(_pdf_check) if pdf else None
    with _progress(quiet) as progress:
        result = _guard(lambda: run_build(
            content, out, only=only, force=force, jobs=jobs, deck_parent=deck_parent, quiz=quiz,
            pdf=chromium, prune=prune, progress=progress,
        ))
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
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the schema to this file instead of printing it."),
) -> None:
    """Print the JSON Schema of question files (for editors with a YAML language server)."""
    from generator.schema import json_schema

    text = _guard(json_schema)
    if out is None:
        sys.stdout.write(text)
    else:
        _guard(lambda: out.write_text(text, encoding="utf-8"))
        typer.echo(f"wrote {out}")


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM stops the build like Ctrl-C, so that temporary files are removed on the way out."""
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `quizgen` console script."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    app()
