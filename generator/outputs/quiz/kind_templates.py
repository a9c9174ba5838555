"""Each kind's printed quiz and key, from the template file its registration names.

The quiz's templates import `kinds/<kind>.html.j2` for a section of that kind; a kind that is not
registered, or whose file defines no such macro, is an error when the page is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from generator.kinds.registry import REGISTRY


def with_kinds(env: jinja2.Environment) -> jinja2.Environment:
    """`env`, also finding each kind's template as `kinds/<kind>.html.j2`."""
    if not isinstance(env.loader, jinja2.ChoiceLoader):
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.FunctionLoader(kind_template)])  # type: ignore[list-item]
    return env


def kind_template(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """The source of `kinds/<kind>.html.j2`: the template file of a registered kind (None: not found, an error)."""
    folder, _, file = name.partition("/")
    kind = REGISTRY.get(file.removesuffix(".html.j2")) if folder == "kinds" and file.endswith(".html.j2") else None
    if kind is None:
        return None
    path = Path(kind.template)
    mtime = path.stat().st_mtime

    def uptodate() -> bool:  # the same registration, and its file unchanged
        return REGISTRY.get(kind.name) is kind and path.is_file() and path.stat().st_mtime == mtime

    return path.read_text(encoding="utf-8"), str(path), uptodate
