"""A set whose true/false statements are nearly all true or nearly all false: "always answer
false" scores well without reading. Reported once, at the first true/false statement."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.model import ArticleSet, Question, TrueFalse

RULE = Rule("truefalse-balance", "Frisbie & Becker 1991, 'balance the number of true and false statements'")
LIMIT = 0.7  # more than this share one way is a warning
MIN_STATEMENTS = 4  # fewer statements say too little to count


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    statements = [q for q in found.questions if isinstance(q, TrueFalse)]
    if len(statements) < MIN_STATEMENTS:
        return
    true = sum(1 for q in statements if q.answer)
    share = max(true, len(statements) - true) / len(statements)
    if share > LIMIT:
        way = "true" if true * 2 > len(statements) else "false"
        yield statements[0], (f"{max(true, len(statements) - true)} of the article's {len(statements)} true/false statements are {way}: "
                              f"answering \"{way}\" to all scores {share:.0%}; write some {'false' if way == 'true' else 'true'} ones")
