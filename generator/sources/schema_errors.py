"""Turning pydantic's validation errors into one clear sentence each, at the right place."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Problem

Locate = Callable[[tuple[Any, ...], bool], tuple[int, int]]

_PATTERN_HELP = {
    "id": "must be lowercase letters, digits and single hyphens, like 'georgia-warning-year'",
    "tags": "may hold only letters, digits, single spaces, '-', '_', '.' and ':'",
    "group": "may hold only letters, digits, '-', '_', '.' and ':' (no spaces)",
    "url": "must be a web address starting with http:// or https://",
    "language": "must be a language code such as 'en', 'he' or 'pt-BR'",
    "values": "must be a placeholder name: letters, digits and '_', not starting with a digit",
    "key": "must name a key point of the article's front matter: lowercase letters, digits and single hyphens, like 'storm-damage'",
    "key_points": "must be lowercase letters, digits and single hyphens, like 'storm-damage'",
}


def describe(value: Any) -> str:
    """How a YAML value is named in messages."""
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the text '{value[:40]}'" if len(value) <= 40 else "text"
    return type(value).__name__


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """` (did you mean 'x'?)` when a close choice exists."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def problems(
    error: ValidationError, model: type[BaseModel], path: str, locate: Locate
) -> list[Problem]:
    """One Problem per error in `error`, placed by `locate(loc, at_key)`."""
    found = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        message, at_key = _message(dict(err), loc, model)
        line, col = locate(loc[:-1] if err["type"] == "missing" else loc, at_key)
        found.append(Problem(path, line, col, message))
    return found


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at loc[:-1] (walking nested models)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _pattern_message(loc: tuple[Any, ...], names: list[str], field: str, got: str) -> tuple[str, bool]:
    """A text of the wrong form: what the form is, for the field (or the mapping whose key it is)."""
    if loc and loc[-1] == "[key]":  # a key of a mapping: `values` of a template row, `key_points`
        mapping = str(loc[-3]) if len(loc) >= 3 else "values"
        return f"'{loc[-2]}' in '{mapping}' {_PATTERN_HELP.get(mapping, 'has the wrong form')}", True
    key = names[-1] if names else field
    return f"'{field}' {_PATTERN_HELP.get(key, 'has the wrong form')}, not {got}", False


def _message(err: dict[str, Any], loc: tuple[Any, ...], model: type[BaseModel]) -> tuple[str, bool]:
    kind = err["type"]
    names = [p for p in loc if isinstance(p, str)]
    field = names[-1] if names else "value"
    if kind == "missing":
        return f"missing required key '{field}'", False
    if kind == "extra_forbidden":
        return f"unknown key '{field}'{suggest(field, _field_names(model, loc))}", True
    got = describe(err.get("input"))
    if isinstance(loc[-1], int):
        field = f"{field}[{loc[-1] + 1}]" if len(names) else field
    if kind in ("string_type", "str_type"):
        return f"'{field}' must be text, not {got}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' must be true or false, not {got}", False
    if kind == "list_type":
        return f"'{field}' must be a list, not {got}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{field}' must be a mapping of keys to values, not {got}", False
    if kind == "literal_error":
        return f"'{field}' must be {err['ctx']['expected']}, not {got}", False
    if kind == "string_pattern_mismatch":
        return _pattern_message(loc, names, field, got)
    if kind == "too_short":
        need = err["ctx"]["min_length"]
        have = err["ctx"].get("actual_length", 0)
        noun = {"events": "event", "distractors": "distractor", "rows": "row"}.get(field, "item")
        return f"'{field}' needs at least {need} {noun}{'s' if need != 1 else ''}, has {have}", False
    if kind == "value_error":
        return f"'{field}' {err['msg'].removeprefix('Value error, ')}", False
    return f"'{field}': {err['msg']}", False
