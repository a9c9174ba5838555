"""The one registry of question kinds: each kind is registered here once, and nowhere else.

Every builder (and every other step that treats kinds differently) declares what it does for each
kind in one mapping passed through `handlers`, at import time. A kind registered here without a
handler in one of them is an error when that module is imported, never a question silently left
out of one output (as Sphinx asks every builder for a visitor of every node).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar, get_args

from generator import model, schema


@dataclass(frozen=True)
class Kind:
    name: str  # as written in question files (`kind: mcq`)
    label: str  # for people
    model: type[model.Question]  # what every builder reads
    schema: type[schema._Question]  # what a question file's entry is checked against


class MissingHandler(TypeError):
    """A module's mapping of handlers does not match the registered kinds: a programming error."""


REGISTRY: dict[str, Kind] = {}


def register(name: str, label: str, model_class: type[model.Question], schema_class: type[schema._Question]) -> Kind:
    """Register a kind; its name must be the one its model and schema classes give."""
    if name in REGISTRY:
        raise ValueError(f"question kind '{name}' is registered twice")
    if model_class.kind != name or get_args(schema_class.model_fields["kind"].annotation) != (name,):
        raise ValueError(f"question kind '{name}': its model and schema classes must say kind '{name}'")
    REGISTRY[name] = kind = Kind(name, label, model_class, schema_class)
    return kind


# The order is the order kinds are listed in (messages, the CLI's choices, the summary).
register("qa", "short answer", model.ShortAnswer, schema.QA)
register("cloze", "cloze", model.Cloze, schema.ClozeQ)
register("mcq", "multiple choice", model.MultipleChoice, schema.MCQ)
register("truefalse", "true or false", model.TrueFalse, schema.TrueFalseQ)
register("order", "chronology", model.Chronology, schema.OrderQ)
register("attribution", "attribution", model.Attribution, schema.AttributionQ)

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
    """The schema's discriminated union (what question files are checked against) holds every kind."""
    union = get_args(get_args(schema.AnyQuestion)[0])
    if set(union) != {k.schema for k in REGISTRY.values()}:
        raise MissingHandler("generator/schema.py: AnyQuestion must list the schema class of every registered kind")


_check_schema_union()
