"""Question templates whose texts only print a row's values, `{{ name }}`: expanded without Jinja2.

Most templates only put each row's values into the pattern's texts. Those are expanded here by
substitution, which gives exactly what Jinja's sandbox gives (templates.py) for such texts, so that
`quizgen check` need not import Jinja2 (a tenth of its time on one article). A pattern with
anything more in any of its texts (a filter, a tag, a comment, any other brace, a carriage return)
goes to templates.py whole, as does a row this cannot expand exactly (a value missing, a long
result): the errors and their messages stay Jinja's.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Any

from generator.sources.patterns import FIXED_KEYS, MARKUP, copied, set_at, texts_in

# Longest text expanded here; longer ones go to templates.py, which bounds them (MAX_OUTPUT).
MAX_SIMPLE = 1_000

_PLACEHOLDER = re.compile(r"\{\{ *([A-Za-z][A-Za-z0-9_]*) *\}\}")
# Names Jinja reads otherwise (constants, operators, its own globals and special names), left to it.
_JINJA_NAMES = frozenset({
    *keyword.kwlist, "true", "false", "none", "range", "loop", "self", "caller", "varargs", "kwargs",
})


@dataclass(frozen=True)
class Simple:
    """A text of a pattern made of plain text and `{{ name }}`: parts alternate text and name."""

    path: tuple[Any, ...]
    source: str
    names: frozenset[str]
    parts: tuple[str, ...]


def parts(text: str) -> tuple[str, ...] | None:
    """Plain text and placeholder names, alternating; None when the text is more than that."""
    split = tuple(_PLACEHOLDER.split(text))
    plain, names = split[0::2], split[1::2]
    if "\r" in text or any("{" in p or "}" in p for p in plain) or any(n in _JINJA_NAMES for n in names):
        return None
    return split


def compile_pattern(pattern: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """As templates.compile_pattern: the templated texts of a pattern, and its syntax errors."""
    fields: list[Any] = []
    for path, text in texts_in(pattern, ()):
        if path[0] in FIXED_KEYS or not any(mark in text for mark in MARKUP):
            continue  # plain text: copied as it is
        split = parts(text)
        if split is None:
            # Jinja2: a tenth of `quizgen check`'s time, only for templates that need it
            from generator.sources import templates

            return templates.compile_pattern(pattern)
        fields.append(Simple(path, text, frozenset(split[1::2]), split))
    return fields, []


def render(pattern: dict[str, Any], fields: list[Any], values: dict[str, str]) -> dict[str, Any]:
    """As templates.render: a copy of the pattern with every templated text rendered with the row's values."""
    texts = [_substituted(f, values) if isinstance(f, Simple) else None for f in fields]
    if any(text is None for text in texts):
        # Jinja2: a tenth of `quizgen check`'s time, only for rows that need it
        from generator.sources import templates

        if not all(isinstance(f, Simple) for f in fields):
            return templates.render(pattern, fields, values)
        return templates.render(pattern, templates.compile_pattern(pattern)[0], values)
    result = copied(pattern)
    for f, text in zip(fields, texts):
        set_at(result, f.path, str(text))
    return result


def _substituted(f: Simple, values: dict[str, str]) -> str | None:
    if not all(isinstance(values.get(name), str) for name in f.names):
        return None
    text = "".join(values[p] if i % 2 else p for i, p in enumerate(f.parts))
    return text if len(text) <= MAX_SIMPLE else None
