"""What a question pattern is made of, below both ways of expanding it (placeholders.py without Jinja2,
templates.py with it): which texts are templates, walking and copying a pattern, and the error a
template raises."""

from __future__ import annotations

from typing import Any

# What makes a text a template (Jinja's variable, block and comment openers).
MARKUP = ("{{", "{%", "{#")
# Keys that are not templated: identity and structure.
FIXED_KEYS = frozenset({"id", "kind", "tests", "rows"})
# Keys a row gives for itself, replacing the pattern's (a row's `allow` adds to the pattern's instead:
# read_questions.py).
ROW_KEYS = ("passage", "when", "group", "key")


class PatternError(Exception):
    """A template that fails to compile or to render, at its path inside the question."""

    def __init__(self, path: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def texts_in(data: Any, path: tuple[Any, ...]):
    """Every text in a question pattern, with its path of keys and indexes."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from texts_in(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from texts_in(v, (*path, i))


def copied(data: Any) -> Any:
    """A copy of a question pattern's dicts and lists (the texts are shared)."""
    if isinstance(data, dict):
        return {k: copied(v) for k, v in data.items()}
    if isinstance(data, list):
        return [copied(v) for v in data]
    return data


def set_at(data: Any, path: tuple[Any, ...], value: str) -> None:
    """Put `value` at `path` in a question pattern."""
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value
