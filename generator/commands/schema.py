"""`quizgen schema`: the JSON Schema of question files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from generator.commands.app import app
from generator.commands.output import echo, guard, session


@app.command()
def schema(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the schema to this file instead of printing it.")] = None,
) -> None:
    """Print the JSON Schema of question files (for editors with a YAML language server)."""
    state = session(ctx)
    # the question file's model (pydantic) and the kinds: not for `quizgen --help`
    from generator.kinds.registry import question_file
    from generator.sources.schema import json_schema

    # a question is one of the registered kinds', those registered outside quizgen included
    text = guard(state, lambda: json_schema(question_file()))
    if out is None:
        sys.stdout.write(text)
    else:
        guard(state, lambda: out.write_text(text, encoding="utf-8"))
        echo(f"wrote {out}")
