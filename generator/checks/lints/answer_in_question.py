"""A question that prints its own answer: in its stem, a cloze's text or hint, or an attribution's
claim (the words of the answer, in a row, whatever the case and punctuation)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.giveaways import STOP_WORDS, key_words, words
from generator.checks.lints import Rule
from generator.checks.lints.text import key_run, run
from generator.model import ArticleSet, Attribution, Cloze, Deletion, MultipleChoice, Question, ShortAnswer

RULE = Rule("answer-in-question", "Haladyna, Downing & Rodriguez 2002, rule 'avoid clues to the right answer'")



def _prints(text: str, answer: str) -> bool:
    key = key_words(answer)
    if not key or STOP_WORDS.issuperset(key):
        return False
    # the run of its words starts with a word of the text (most answers: none of it is there, and no run is joined)
    return key[0] in words(text) and key_run(answer) in run(text)


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        if isinstance(q, (ShortAnswer, MultipleChoice)):
            if _prints(q.question, q.answer):
                yield q, f"the stem prints the answer \"{q.answer}\""
        elif isinstance(q, Attribution):
            if _prints(f"{q.question} {q.claim}", q.source):
                yield q, f"the claim names its source \"{q.source}\""
        elif isinstance(q, Cloze):
            visible = " ".join([s if isinstance(s, str) else (s.hint or "") for s in q.segments])
            hit = next((s for s in q.segments if isinstance(s, Deletion) and _prints(visible, s.answer)), None)
            if hit is not None:
                yield q, f"blank c{hit.number} \"{hit.answer}\" is printed in the rest of the text or a hint"
