"""The `quizgen` command line, one module per command; each registers itself on `app` when imported,
in the order of `quizgen --help` (so these imports are not sorted)."""

from __future__ import annotations

# isort: off
from generator.commands import check, build, mark, schema, new, serve, lock, anki  # noqa: F401, I001 (registration)
# isort: on
from generator.commands.app import app, main, run

__all__ = ["app", "main", "run"]
