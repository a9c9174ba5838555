"""A written wrong choice that is, or is inside, the right answer of another question of the same
shape (the same question word: who, what, where ...): right there, doubtful here.

Attributions are left to `source-kind`: their wrong choices are other sources by design. A wrong
date or number ("2008" offered for the year of another event) is left alone: it is wrong here, and
a year right for another event is still a wrong year here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from generator.checks.date_order import month
from generator.checks.giveaways import EDGE_WORDS, words
from generator.checks.lints import Rule
from generator.checks.lints.text import run as _run  # (cached: a wrong choice is offered by several questions)
from generator.model import ArticleSet, MultipleChoice, Question, ShortAnswer

RULE = Rule("distractor-right-elsewhere", "Haladyna, Downing & Rodriguez 2002, rule 'make sure that only one of these choices is the right answer'")
QUESTION_WORDS = ("who", "whom", "whose", "what", "which", "where", "when", "why", "how")
_ASKING = frozenset(QUESTION_WORDS)
_NONE: list[int] = []


def shape(text: str) -> str | None:
    """The question word a stem asks with: its first who, what, where ... ("In which year" asks which)."""
    said = words(text)
    asking = _ASKING.intersection(said)
    if len(asking) <= 1:  # (most stems: one question word, found without a generator)
        return next(iter(asking), None)
    return next(w for w in said if w in asking)


def _a_date(text: str) -> bool:
    """Whether a choice is only a date or a number ("2008", "In 2008", "Sept. 21", "5")."""
    said = [w for w in words(text) if w not in EDGE_WORDS]
    return bool(said) and any(map(str.isdecimal, said)) and all(w.isdecimal() or month(w) for w in said)


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    asked = [q for q in found.questions if isinstance(q, (MultipleChoice, ShortAnswer))]
    shapes = [shape(q.question) for q in asked]
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
            said = words(d)
            if not said:
                continue
            candidates = min([holding.get((mine, w), _NONE) for w in said], key=len)
            if not candidates or _a_date(d):  # no answer of this shape holds its rarest word (most wrong choices)
                continue
            needle = _run(d)
            other = next((asked[j] for j in candidates if j != i and needle in _run(asked[j].answer)), None)
            if other is not None:
                yield q, f"wrong choice \"{d}\" is the right answer of '{other.id}', which asks the same way ({mine} ...)"
                break
