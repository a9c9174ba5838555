"""Expanding question templates: one pattern, one question per row, in Jinja's sandbox."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT = 10_000  # characters a single rendered value may have

# What makes a text a template (Jinja's variable, block and comment openers).
_MARKUP = ("{{", "{%", "{#")
# Keys that are not templated: identity and structure.
FIXED_KEYS = frozenset({"id", "kind", "tests", "rows"})
# Keys a row gives for itself, replacing the pattern's.
ROW_KEYS = ("passage", "when", "group")


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing to build huge strings or lists with `*` and `**`."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**" and isinstance(right, int) and abs(right) > 100:
            raise SecurityError("'**' with an exponent this large is not allowed in templates")
        if operator_ == "*" and isinstance(right, int) and isinstance(left, (str, list, tuple)) and (
            len(left) * right > MAX_OUTPUT
        ):
            raise SecurityError("the result of '*' would be too large")
        if operator_ == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)) and (
            len(right) * left > MAX_OUTPUT
        ):
            raise SecurityError("the result of '*' would be too large")
        return {"*": operator.mul, "**": operator.pow}[operator_](left, right)


_ENV = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@dataclass
class Field:
    """One text of a pattern: where it is (path inside the question) and its compiled template."""

    path: tuple[Any, ...]
    source: str
    names: frozenset[str]
    template: Any


class PatternError(Exception):
    def __init__(self, path: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def compile_pattern(pattern: dict[str, Any]) -> tuple[list[Field], list[PatternError]]:
    """Every templated text of a pattern, compiled, and the syntax errors found."""
    fields: list[Field] = []
    errors: list[PatternError] = []
    for path, text in _texts(pattern, ()):
        if path[0] in FIXED_KEYS or not any(mark in text for mark in _MARKUP):
            continue  # plain text: nothing to compile, it is copied as it is
        try:
            ast = _ENV.parse(text)
            fields.append(Field(path, text, frozenset(meta.find_undeclared_variables(ast)), _ENV.from_string(ast)))
        except TemplateSyntaxError as e:
            errors.append(PatternError(path, f"template syntax in '{_name(path)}': {e.message}"))
    return fields, errors


def render(pattern: dict[str, Any], fields: list[Field], values: dict[str, str]) -> dict[str, Any]:
    """A copy of the pattern with every templated text rendered with the row's values.

    Raises PatternError (with the field's path) when a template misbehaves.
    """
    result = _copy(pattern)
    for f in fields:
        try:
            text = f.template.render(values)
        except SecurityError as e:
            raise PatternError(f.path, f"template in '{_name(f.path)}' is not allowed: {e}") from None
        except TemplateError as e:
            raise PatternError(f.path, f"template in '{_name(f.path)}' failed: {e}") from None
        if len(text) > MAX_OUTPUT:
            raise PatternError(f.path, f"template in '{_name(f.path)}' gives more than {MAX_OUTPUT:,} characters")
        _set(result, f.path, text)
    return result


def _texts(data: Any, path: tuple[Any, ...]):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _texts(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _texts(v, (*path, i))


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)
