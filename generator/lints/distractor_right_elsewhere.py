"""A written wrong choice that is, or is inside, the right answer of another question of the same
shape (the same question word: who, what, where ...): right there, doubtful here.

Attributions are left to `source-kind`: their wrong choices are other sources by design.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.giveaways import words
from generator.lints import Rule
from generator.model import ArticleSet, MultipleChoice, Question, ShortAnswer

RULE = Rule("distractor-right-elsewhere", "Haladyna, Downing & Rodriguez 2002, rule 'make sure that only one of these choices is the right answer'")
QUESTION_WORDS = ("who", "whom", "whose", "what", "which", "where", "when", "why", "how")


def shape(text: str) -> str | None:
    """The question word a stem asks with: its first who, what, where ... ("In which year" asks which)."""
    return next((w for w in words(text) if w in QUESTION_WORDS), None)


def _run(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    asked = [q for q in found.questions if isinstance(q, (MultipleChoice, ShortAnswer))]
    for q in asked:
        if not isinstance(q, MultipleChoice):
            continue
        mine = shape(q.question)
        for d in q.distractors:
            needle = _run(d)
            if needle.strip() == "":
                continue
            other = next(
                (o for o in asked if o is not q and shape(o.question) == mine and needle in _run(o.answer)), None
            )
            if other is not None:
                yield q, f"wrong choice \"{d}\" is the right answer of '{other.id}', which asks the same way ({mine} ...)"
                break
