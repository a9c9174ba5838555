"""A written wrong choice that is, or is inside, the right answer of another question of the same
shape (the same question word: who, what, where ...): right there, doubtful here.

Attributions are left to `source-kind`: their wrong choices are other sources by design.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from generator.giveaways import words
from generator.lints import Rule
from generator.model import ArticleSet, MultipleChoice, Question, ShortAnswer

RULE = Rule("distractor-right-elsewhere", "Haladyna, Downing & Rodriguez 2002, rule 'make sure that only one of these choices is the right answer'")
QUESTION_WORDS = ("who", "whom", "whose", "what", "which", "where", "when", "why", "how")
_NONE: list[int] = []


def shape(text: str) -> str | None:
    """The question word a stem asks with: its first who, what, where ... ("In which year" asks which)."""
    return next((w for w in words(text) if w in QUESTION_WORDS), None)


def _run(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    asked = [q for q in found.questions if isinstance(q, (MultipleChoice, ShortAnswer))]
    shapes = [shape(q.question) for q in asked]
    runs = [_run(q.answer) for q in asked]
    # the questions (their places in `asked`, in order) of each shape whose answer holds each word:
    # a wrong choice is looked for only in the answers that hold its rarest word
    holding: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for i, q in enumerate(asked):
        for w in dict.fromkeys(words(q.answer)):
            holding[shapes[i], w].append(i)
    for i, q in enumerate(asked):
        if not isinstance(q, MultipleChoice):
            continue
        mine = shapes[i]
        for d in q.distractors:
            needle = _run(d)
            if needle.strip() == "":
                continue
            candidates = min((holding.get((mine, w), _NONE) for w in words(d)), key=len)
            other = next((asked[j] for j in candidates if j != i and needle in runs[j]), None)
            if other is not None:
                yield q, f"wrong choice \"{d}\" is the right answer of '{other.id}', which asks the same way ({mine} ...)"
                break
