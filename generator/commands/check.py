"""`quizgen check`: validate every article and question file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from generator.commands.app import app
from generator.commands.output import CONTENT_HELP, EXIT_CONTENT, JOBS_HELP, echo, echo_lines, guard, session
from generator.errors import count_line, sort_key


@app.command()
def check(
    ctx: typer.Context,
    content: Annotated[list[Path] | None, typer.Argument(
        help=CONTENT_HELP + " Or article folders.", metavar="CONTENT_DIR...",
        show_default=True,
    )] = [Path("questions")],  # noqa: B006 (Typer reads the default; it is never changed)
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=JOBS_HELP)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with status 1 when there are warnings, too.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=(
        "List every warning; without it, past five warnings of one rule in one article the rest are counted in one line."
    ))] = False,
    locked: Annotated[bool, typer.Option(
        "--locked", help="Fail when an article's anki.lock is missing, damaged or out of date (for CI).",
    )] = False,
) -> None:
    """Validate every article and question file; report every problem as path:line:col."""
    # the checks (YAML, pydantic, the lints): not for `quizgen --help`
    from generator.checks.summary import check_library, shown_lines

    state = session(ctx)

    def emit(problems: list, more: int) -> None:
        if problems:
            echo_lines(shown_lines(problems, str(Path(problems[0].path).parent), verbose, more), err=True)

    # The configuration file's problems first, then each article's as soon as it is checked: every
    # problem is reported, and none is kept (thousands of articles can have millions of warnings).
    first = sorted(state.problems + state.warnings, key=sort_key)
    echo_lines(map(str, first), err=True)
    report = guard(state, lambda: check_library(list(content or [Path("questions")]), jobs, emit=emit, locked=locked,
                                                      verbose=verbose))
    errors = len(state.problems) + report.errors
    warned = len(state.warnings) + report.warned
    if errors:
        echo(count_line(errors=errors, warnings=warned), err=True)
        raise typer.Exit(EXIT_CONTENT)
    echo_lines(report.lines)
    if strict and warned:
        echo(f"quizgen: error: {warned} warning{'s' if warned != 1 else ''}, and --strict makes warnings fail", err=True)
        raise typer.Exit(EXIT_CONTENT)
