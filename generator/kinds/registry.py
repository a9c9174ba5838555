"""The registry of question kinds, holding the built-in ones: one module each, registered here.

The order is the order kinds are listed in (messages, the command line's choices, the summary, the
printed quiz's sections come in their own order: quiz/sheet.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, create_model

from generator.kinds import BUILT_IN, attribution, cloze, contract, mcq, order, qa, truefalse
from generator.kinds.contract import Kind, KindError, Registry
from generator.kinds.scoring import BUILT_IN_SCORING
from generator.model import Question
from generator.sources.schema import QuestionFile

REGISTRY = Registry()
for _module in (qa, cloze, mcq, truefalse, order, attribution):
    REGISTRY.register(_module.KIND)
if tuple(REGISTRY) != BUILT_IN:
    raise KindError(f"generator/kinds/__init__.py: BUILT_IN must list the built-in kinds {tuple(REGISTRY)}")
if tuple(BUILT_IN_SCORING) != BUILT_IN or any(REGISTRY[k].scoring is not BUILT_IN_SCORING[k] for k in BUILT_IN):
    raise KindError("generator/kinds/scoring.py: BUILT_IN_SCORING must hold each built-in kind's registered scoring, "
                    "in BUILT_IN's order")
KINDS = BUILT_IN  # the built-in kinds' names (a kind registered later is in REGISTRY)

register = REGISTRY.register


def kind_of(q: Question) -> Kind:
    """The registration of a question's kind."""
    return REGISTRY[q.kind]


def handlers(owner: str) -> contract.Handlers[Any]:
    """The kinds' handlers for `owner`, after checking every built-in kind gives one (see contract.handlers)."""
    return contract.handlers(REGISTRY, owner, BUILT_IN)


def question_file() -> type[QuestionFile]:
    """The question file's model with a question of any registered kind (editors' JSON Schema: a kind
    registered outside quizgen too); the built-in kinds give the same schema as `QuestionFile`."""
    union: Any = Annotated[Union[tuple(k.schema for k in REGISTRY.values())], Field(discriminator="kind")]  # noqa: UP007
    return create_model("QuestionFile", __base__=QuestionFile, __doc__=QuestionFile.__doc__, questions=(list[union], ...))


__all__ = ["BUILT_IN", "KINDS", "REGISTRY", "Kind", "KindError", "handlers", "kind_of", "register"]
