"""The `quizgen` command line: the only module that prints or exits.

Heavy modules are imported inside the commands, so `quizgen --version` and `--help` stay quick.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Callable, Optional, TypeVar

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
    version: Optional[bool] = typer.Option(
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
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
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


def _load(content: Path):
    from generator.load import load_library

    return _guard(lambda: load_library(content))


def _print_summary(library) -> None:
    from generator.summary import article_lines, totals_line

    for found in library.sets:
        for line in article_lines(found):
            typer.echo(line)
    typer.echo(totals_line(library))


@app.command()
def check(
    content: Path = typer.Argument(Path("questions"), help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True),
) -> None:
    """Validate every article and question file; report every problem as path:line:col."""
    _print_summary(_load(content))


@app.command()
def build(
    content: Path = typer.Argument(Path("questions"), help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True),
    out: Path = typer.Option(Path("decks"), "--out", "-o", help="Folder the outputs are written to."),
    deck_parent: Optional[str] = typer.Option(
        None, "--deck-parent",
        help="Anki deck to put every article's deck under (default: each question file's deck_parent, else 'Articles').",
    ),
) -> None:
    """Check everything, then build every output into --out (nothing is written if a check fails)."""
    from generator.build import build_library
    from generator.write import write_outputs

    library = _load(content)
    _print_summary(library)
    outputs = _guard(lambda: build_library(library, deck_parent=deck_parent))
    written = _guard(lambda: write_outputs(out, outputs))
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def schema(
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the schema to this file instead of printing it."),
) -> None:
    """Print the JSON Schema of question files (for editors with a YAML language server)."""
    from generator.schema import json_schema

    text = _guard(json_schema)
    if out is None:
        sys.stdout.write(text)
    else:
        _guard(lambda: out.write_text(text, encoding="utf-8"))
        typer.echo(f"wrote {out}")


def main() -> None:
    """Entry point of the `quizgen` console script."""
    app()
