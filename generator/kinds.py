"""The one registry of question kinds: each kind is registered here once, and nowhere else.

Every builder (and every other step that treats kinds differently) declares what it does for each
kind in one mapping passed through `handlers`, at import time. A kind registered here without a
handler in one of them is an error when that module is imported, never a question silently left
out of one output (as Sphinx asks every builder for a visitor of every node).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, get_args

if TYPE_CHECKING:
    from generator import model, schema


@dataclass(frozen=True)
class Kind:
    """A question kind. Its classes may be given by name, in generator.model and generator.schema:
    they are imported when first asked for, so that a command that reads no question (`--help`)
    never builds pydantic's models."""

    name: str  # as written in question files (`kind: mcq`)
    label: str  # for people
    model_class: type[model.Question] | str  # what every builder reads, or its name in generator.model
    schema_class: type[schema._Question] | str  # what a question file's entry is checked against, or its name

    @property
    def model(self) -> type[model.Question]:
        return _resolved(self, "model") if isinstance(self.model_class, str) else self.model_class

    @property
    def schema(self) -> type[schema._Question]:
        return _resolved(self, "schema") if isinstance(self.schema_class, str) else self.schema_class


class MissingHandler(TypeError):
    """A module's mapping of handlers does not match the registered kinds: a programming error."""


REGISTRY: dict[str, Kind] = {}


def register(
    name: str, label: str, model_class: type[model.Question] | str, schema_class: type[schema._Question] | str,
) -> Kind:
    """Register a kind; its name must be the one its model and schema classes give.

    Classes given by name are checked when first imported (see `Kind`), classes checked now.
    """
    if name in REGISTRY:
        raise ValueError(f"question kind '{name}' is registered twice")
    if not isinstance(model_class, str) and not isinstance(schema_class, str):
        _check_names(name, model_class, schema_class)
    REGISTRY[name] = kind = Kind(name, label, model_class, schema_class)
    return kind


def _check_names(name: str, model_class: Any, schema_class: Any) -> None:
    if model_class.kind != name or get_args(schema_class.model_fields["kind"].annotation) != (name,):
        raise ValueError(f"question kind '{name}': its model and schema classes must say kind '{name}'")


_RESOLVED: dict[tuple[str, str], Any] = {}  # (kind, "model" or "schema"): the class a name stands for


def _resolved(kind: Kind, which: str) -> Any:
    """The class a kind's name for it stands for, imported and checked the first time."""
    found = _RESOLVED.get((kind.name, which))
    if found is None:
        model_class, schema_class = (
            getattr(importlib.import_module(f"generator.{w}"), c) if isinstance(c, str) else c
            for w, c in (("model", kind.model_class), ("schema", kind.schema_class))
        )
        _check_names(kind.name, model_class, schema_class)
        if which == "schema":
            _check_schema_union()
        _RESOLVED[kind.name, "model"], _RESOLVED[kind.name, "schema"] = model_class, schema_class
        found = _RESOLVED[kind.name, which]
    return found


# The order is the order kinds are listed in (messages, the CLI's choices, the summary). The
# classes are named, not imported: generator.schema takes a while to build its models.
register("qa", "short answer", "ShortAnswer", "QA")
register("cloze", "cloze", "Cloze", "ClozeQ")
register("mcq", "multiple choice", "MultipleChoice", "MCQ")
register("truefalse", "true or false", "TrueFalse", "TrueFalseQ")
register("order", "chronology", "Chronology", "OrderQ")
register("attribution", "attribution", "Attribution", "AttributionQ")
BUILT_IN = tuple(REGISTRY)

KINDS: tuple[str, ...] = tuple(REGISTRY)

H = TypeVar("H")


def handlers(owner: str, by_kind: Mapping[str, H]) -> dict[str, H]:
    """`by_kind` as a dict, after checking it has one handler for every registered kind and no other.

    Called at module level by each builder, so a kind without a handler fails at import.
    """
    missing = [k for k in REGISTRY if k not in by_kind]
    unknown = [k for k in by_kind if k not in REGISTRY]
    if missing or unknown:
        said = []
        if missing:
            said.append("no handler for " + ", ".join(f"'{k}' ({REGISTRY[k].label})" for k in missing))
        if unknown:
            said.append("a handler for unregistered " + ", ".join(f"'{k}'" for k in unknown))
        raise MissingHandler(f"{owner}: {'; '.join(said)} (the kinds are registered in generator/kinds.py)")
    return dict(by_kind)


def _check_schema_union() -> None:
    """The schema's discriminated union (what question files are checked against) holds every built-in kind.

    Checked when the first kind's schema class is asked for.
    """
    from generator import schema

    union = get_args(get_args(schema.AnyQuestion)[0])
    named = {getattr(schema, k.schema_class) if isinstance(k.schema_class, str) else k.schema_class
             for k in REGISTRY.values() if k.name in BUILT_IN}
    if set(union) != named:
        raise MissingHandler("generator/schema.py: AnyQuestion must list the schema class of every registered kind")
