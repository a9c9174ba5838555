"""What every HTML builder shares: a Jinja2 environment over its package's templates, and its files.

Both are cached: a build renders the same templates for hundreds of articles.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import jinja2


@cache
def environment(package: str, folder: str = ".") -> jinja2.Environment:
    """The templates in `folder` of `package`: autoescaped, undefined names are errors, no stray space."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def static(package: str, name: str) -> str:
    """A file shipped in `package`, as text."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")
