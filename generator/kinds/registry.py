"""The registry of question kinds, holding the built-in ones: one module each, registered here.

The order is the order kinds are listed in (messages, the command line's choices, the summary, the
printed quiz's sections come in their own order: quiz/sheet.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from generator.kinds import BUILT_IN, attribution, cloze, contract, mcq, order, qa, truefalse
from generator.kinds.contract import Kind, KindError, Registry
from generator.model import Question

REGISTRY = Registry()
for _module in (qa, cloze, mcq, truefalse, order, attribution):
    REGISTRY.register(_module.KIND)
if tuple(REGISTRY) != BUILT_IN:
    raise KindError(f"generator/kinds/__init__.py: BUILT_IN must list the built-in kinds {tuple(REGISTRY)}")
KINDS = BUILT_IN  # the built-in kinds' names (a kind registered later is in REGISTRY)

register = REGISTRY.register
H = TypeVar("H")


def kind_of(q: Question) -> Kind:
    """The registration of a question's kind."""
    return REGISTRY[q.kind]


def handlers(owner: str, by_kind: Mapping[str, H]) -> contract.Handlers[H]:
    """`by_kind` as a mapping, after checking it has one handler for every built-in kind (see contract.handlers)."""
    return contract.handlers(REGISTRY, owner, by_kind, BUILT_IN)


__all__ = ["BUILT_IN", "KINDS", "REGISTRY", "Kind", "KindError", "handlers", "kind_of", "register"]
