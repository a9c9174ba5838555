"""`quizgen new`: start an article folder, from a saved page, a URL or nothing."""

from __future__ import annotations

from pathlib import Path

import typer

from generator.commands.app import app
from generator.commands.output import EXIT_IO, echo, guard, session


@app.command()
def new(
    ctx: typer.Context,
    slug: str = typer.Argument(..., help="The new article's folder name: lowercase letters, digits and single hyphens."),
    source: str | None = typer.Option(
        None, "--from", metavar="PAGE",
        help="Start from this: a saved web page (.html), an http(s) URL, or a plain text file. Without it, an empty skeleton.",
    ),
    content: Path = typer.Option(Path("questions"), "--content", help="The content folder the article's folder goes in."),
) -> None:
    """Create CONTENT/SLUG/ with article.md (from --from PAGE) and a starter question file; never overwrites."""
    state = session(ctx)
    # fetching and extracting an article (trafilatura, lxml: the [new] extra): only for `quizgen new`
    from generator.tools.new_article import FetchError, NewArticle, plan_article, write_article

    def start() -> NewArticle | FetchError:
        try:
            return plan_article(content, slug, source)
        except FetchError as e:
            return e

    plan = guard(state, start)
    if isinstance(plan, FetchError):  # the network, not the user: as for a file the computer would not let us read
        echo(f"quizgen: error: {plan}", err=True)
        raise typer.Exit(EXIT_IO)
    for path in guard(state, lambda: write_article(plan)):
        echo(f"wrote {path}")
    for line in plan.report():
        echo(line)
