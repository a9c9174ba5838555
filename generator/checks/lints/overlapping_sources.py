"""An attribution whose written wrong choices overlap the right source: "Some unnamed people"
beside "unnamed supporters" (both unnamed, so both are right in a sense), or "Israeli officials"
beside "Israeli officials in the past". (`source-kind` checks wrong choices taken from the
article's other sources; this rule the ones the author wrote.)"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.source_kind import kind
from generator.checks.lints.text import content_words
from generator.model import ArticleSet, Attribution, Question

RULE = Rule("overlapping-sources", "Haladyna, Downing & Rodriguez 2002, rules 'make sure that only one of these choices is the right answer' and 'keep choices independent'")


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        if not isinstance(q, Attribution) or q.generated:
            continue
        mine, own = kind(q.source), content_words(q.source)
        for d in q.distractors:
            theirs = content_words(d)
            if mine is not None and kind(d) == mine:
                yield q, f"wrong choice \"{d}\" is {mine} like the right one \"{q.source}\": both could be right"
                break
            if own and theirs and (own <= theirs or theirs <= own):
                yield q, f"wrong choice \"{d}\" and the right one \"{q.source}\" name the same people, one more narrowly"
                break
