"""The `quizgen` console script (`generator.cli:main`): the command line lives in generator/commands/,
one module per command; this module is the name the script and `python -m generator` know."""

from __future__ import annotations

from generator.commands import app, main

__all__ = ["app", "main"]
