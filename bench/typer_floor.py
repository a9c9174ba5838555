"""The floor under `quizgen check` of one article: a Typer app with check's options that does nothing.

    python bench/typer_floor.py check questions

A Typer command line costs more than `import typer` before it does any work (Typer 0.29 and later
convert every option through a pydantic TypeAdapter built each run: 2.3x `import typer`; the Typer
quizgen asks for, below 0.29, makes Click types: 1.06x); bench/run.py times this script beside
quizgen's one-article rows so that their ratio against `import typer` can be read against this floor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


@app.callback()
def _main(
    version: Annotated[bool | None, typer.Option("--version", is_eager=True, help="Show the version and exit.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of an internal error.")] = False,
) -> None:
    """The same callback options as quizgen's."""


@app.command()
def check(
    content: Annotated[list[Path] | None, typer.Argument(help="Content folder.", metavar="CONTENT_DIR...")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Processes.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail.")] = False,
) -> None:
    """The same arguments and options as `quizgen check`; no work."""


if __name__ == "__main__":
    app()
