"""Expanding question templates: one pattern, one question per row, in Jinja's sandbox."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from generator.sources.patterns import FIXED_KEYS, MARKUP, PatternError, copied, set_at, texts_in

MAX_OUTPUT = 10_000  # characters a single rendered value may have
MAX_STEPS = 100_000  # loop rounds, calls and operations a row's rendering may take
MAX_RANGE = 1_000  # items range() may give
MAX_INT_BITS = 4_000  # integers stay below about 10**1200
MAX_FILE_STEPS = 2_000_000  # steps of all the rows of one question file's templates (about 2 s)
MAX_BUILD_STEPS = 10_000_000  # steps of all the templates a process expands in one build
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")

# The filters and text methods a template may use: none that pads, repeats, draws at random
# (outputs must be reproducible) or formats to a width.
_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "first", "float", "int", "join", "last", "length", "list",
    "lower", "max", "min", "replace", "reverse", "round", "sort", "striptags", "sum", "title", "trim",
    "truncate", "unique", "upper", "wordcount",
)
_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "isalpha", "isdigit", "islower", "isnumeric",
    "isspace", "istitle", "isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "rfind",
    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
    "replace", "join",
})

_PADDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map", "encode", "translate"})


class _Steps:
    """The work a rendering has done, counted against MAX_STEPS a row, MAX_FILE_STEPS a question
    file and MAX_BUILD_STEPS a build (one rendering at a time per process)."""

    used = 0
    file = 0
    build = 0

    @classmethod
    def take(cls, n: int = 1) -> None:
        cls.used += n
        if cls.used > MAX_STEPS:
            raise SecurityError(f"the template takes more than {MAX_STEPS:,} steps")
        cls.file += n
        if cls.file > MAX_FILE_STEPS:
            raise SecurityError(f"the templates of this file take more than {MAX_FILE_STEPS:,} steps in all")
        cls.build += n
        if cls.build > MAX_BUILD_STEPS:
            raise SecurityError(f"the templates of this build take more than {MAX_BUILD_STEPS:,} steps in all")


def new_file() -> None:
    """Start counting a question file's steps (read_questions calls it for each file)."""
    _Steps.file = 0


def new_build() -> None:
    """Start counting a build's steps."""
    _Steps.build = _Steps.file = 0


def _size(value: Any) -> int:
    """About how many characters a value prints as."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(_size(v) for v in value)
    if isinstance(value, dict):
        return len(value) + sum(_size(k) + _size(v) for k, v in value.items())
    return 1


def _bounded(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError("a number in the template is too large")
    if _size(value) > MAX_OUTPUT:
        raise SecurityError(f"a value in the template would have more than {MAX_OUTPUT:,} characters")
    return value


def _loop(items: Iterable[Any]) -> Iterator[Any]:
    """What every `for` of a template iterates through: each round counted."""
    for item in items:
        _Steps.take()
        yield item


def _range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise SecurityError(f"range() gives more than {MAX_RANGE:,} numbers")
    return result


def _join(items: Iterable[Any], separator: str = "", attribute: Any = None) -> str:
    items = [str(i) for i in _bounded(list(items))]
    _check_join(str(separator), items)
    return str(separator).join(items)


def _check_join(separator: str, items: list[Any]) -> None:
    """Refuse a join whose result would be too long, before it is made (`a.join(a)`)."""
    size = sum(len(i) if isinstance(i, str) else 1 for i in items) + len(separator) * max(len(items) - 1, 0)
    if size > MAX_OUTPUT:
        raise SecurityError(f"a value in the template would have more than {MAX_OUTPUT:,} characters")


def _replace(text: Any, old: str, new: str, count: int | None = None) -> str:
    _check_replace(str(text), str(old), str(new), -1 if count is None else count)
    return str(text).replace(old, new, -1 if count is None else count)


def _check_replace(text: str, old: str, new: str, count: int = -1) -> None:
    """Refuse a replace whose result would be too long, before it is made (`a.replace('', a)`)."""
    found = len(text) + 1 if old == "" else text.count(old)
    if count >= 0:
        found = min(found, count)
    if len(text) + found * (len(new) - len(old)) > MAX_OUTPUT:
        raise SecurityError(f"a value in the template would have more than {MAX_OUTPUT:,} characters")


def _check_percent(text: str) -> None:
    """Refuse printf-style widths and precisions beyond MAX_OUTPUT (`'%999999999d' % 1`), before formatting."""
    for found in _PERCENT.finditer(text):
        for number in found.groups():
            if number == "*" or (number and int(number) > MAX_OUTPUT):
                raise SecurityError(f"a width or precision above {MAX_OUTPUT:,} in '%' formatting is not allowed")


def _finalize(value: Any) -> Any:
    if not isinstance(value, (str, int, float, bool)) and value is not None:
        raise SecurityError("a template prints text and numbers only, not lists or mappings")
    return value


class _Bound(NodeTransformer):
    """Every `for` counts its rounds and every `~` checks the size of its result."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name("_loop", "load"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.Name("_bounded", "load"), [node], [], None, None, lineno=node.lineno)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, with only bounded work: every operation and call counted, every result sized."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset()

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        _Steps.take()
        if operator_ == "**" and isinstance(left, int) and isinstance(right, int) and (
            right > 0 and left.bit_length() * right > MAX_INT_BITS
        ):
            raise SecurityError("'**' would give a number too large")
        if operator_ == "*" and (_repeated(left, right) > MAX_OUTPUT or _repeated(right, left) > MAX_OUTPUT):
            raise SecurityError(f"the result of '*' would have more than {MAX_OUTPUT:,} characters")
        if operator_ == "%" and isinstance(left, str):
            _check_percent(left)
        return _bounded(_OPERATORS[operator_](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _Steps.take()
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if name in _PADDING or (isinstance(owner, str) and name not in _STR_METHODS):
            raise SecurityError(f"the text method '{name}' is not allowed in templates")
        if isinstance(owner, str) and name == "replace" and len(args) >= 2:
            _check_replace(owner, str(args[0]), str(args[1]), args[2] if len(args) > 2 and isinstance(args[2], int) else -1)
        if isinstance(owner, str) and name == "join" and args:
            items = list(args[0])
            _check_join(owner, items)
            args = (items, *args[1:])
        return _bounded(super().call(__context, __obj, *args, **kwargs))


def _repeated(sequence: Any, times: Any) -> int:
    """The size of `sequence * times` when that repeats a text or list."""
    if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
        return _size(sequence) * max(times, 0)
    return 0


_OPERATORS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow,
}

_ENV = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True, finalize=_finalize)
_ENV.globals.clear()
_ENV.globals.update(range=_range, _loop=_loop, _bounded=_bounded)
_ENV.filters = {name: _ENV.filters[name] for name in _FILTERS}
_ENV.filters.update(join=_join, replace=_replace)


@dataclass
class Field:
    """One text of a pattern: where it is (path inside the question) and its compiled template."""

    path: tuple[Any, ...]
    source: str
    names: frozenset[str]
    template: Any


def compile_pattern(pattern: dict[str, Any]) -> tuple[list[Field], list[PatternError]]:
    """Every templated text of a pattern, compiled, and the syntax errors found."""
    fields: list[Field] = []
    errors: list[PatternError] = []
    for path, text in texts_in(pattern, ()):
        if path[0] in FIXED_KEYS or not any(mark in text for mark in MARKUP):
            continue  # plain text: nothing to compile, it is copied as it is
        try:
            names, template = _compiled(text)
            fields.append(Field(path, text, names, template))
        except Exception as e:  # noqa: BLE001 -- any failure to compile is the template's mistake
            errors.append(PatternError(path, f"template syntax in '{_name(path)}': {_message(e)}"))
    return fields, errors


@lru_cache(maxsize=4096)
def _compiled(text: str) -> tuple[frozenset[str], Any]:
    """A template's free names and its compiled form, once per text: articles share patterns, and
    compiling costs a thousand times more than rendering one row. (A text that fails to compile is
    not kept: it raises again.) A compiled template keeps no state between renderings."""
    ast = _ENV.parse(text)
    return frozenset(meta.find_undeclared_variables(ast)), _ENV.from_string(_Bound().visit(ast))


def _message(e: BaseException) -> str:
    """What went wrong in a template, in one line."""
    if isinstance(e, RecursionError):
        return "it nests too deeply"
    if isinstance(e, MemoryError):
        return "it needs too much memory"
    text = getattr(e, "message", None) or str(e) or type(e).__name__
    return " ".join(str(text).split())


def render(pattern: dict[str, Any], fields: list[Field], values: dict[str, str]) -> dict[str, Any]:
    """A copy of the pattern with every templated text rendered with the row's values.

    Raises PatternError (with the field's path) when a template misbehaves.
    """
    result = copied(pattern)
    _Steps.used = 0
    for f in fields:
        try:
            text = _render(f, values)
        except PatternError:
            raise
        except SecurityError as e:
            raise PatternError(f.path, f"template in '{_name(f.path)}' is not allowed: {_message(e)}") from None
        except Exception as e:  # noqa: BLE001 -- 1/0, 'text' + 1, a missing value...: the template's mistake
            raise PatternError(f.path, f"template in '{_name(f.path)}' failed: {_message(e)}") from None
        set_at(result, f.path, text)
    return result


def _render(f: Field, values: dict[str, str]) -> str:
    """The rendered text, stopped as soon as it is longer than MAX_OUTPUT."""
    parts, length = [], 0
    for part in f.template.generate(values):
        length += len(part)
        if length > MAX_OUTPUT:
            raise PatternError(f.path, f"template in '{_name(f.path)}' gives more than {MAX_OUTPUT:,} characters")
        parts.append(part)
    return "".join(parts)


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)
