"""A true/false statement with an absolute word ("always", "never", "all": such statements are
nearly always false, so the word answers for the student) or a double negation."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import negatives, run, words
from generator.model import ArticleSet, Question, TrueFalse

RULE = Rule("truefalse-cue", "Haladyna, Downing & Rodriguez 2002, rule 'avoid specific determiners (always, never, completely, absolutely)', and Frisbie & Becker 1991, 'avoid double negatives'")
ABSOLUTES = frozenset(["always", "never", "all", "none", "every", "everyone", "everything", "completely", "entirely", "totally", "absolutely", "nothing", "nobody", "invariably", "impossible",
                       "solely", "exclusively", "wholly", "utterly", "whatsoever", "forever", "nowhere", "noone"])
# absolutes of more than one word, as runs of words: "the only thing", "no one"
PHRASES = (("the", "only"), ("no", "one"), ("not", "once"), ("not", "a", "single"), ("without", "exception"), ("at", "no", "time"), ("in", "no", "way"), ("not", "at", "all"))
_RUNS = tuple((" ".join(p), f" {' '.join(p)} ") for p in PHRASES)  # each phrase, and as a run of words is looked for


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        if not isinstance(q, TrueFalse):
            continue
        said = words(q.statement)
        spoken = run(q.statement)
        absolute = [w for w in said if w in ABSOLUTES] + [phrase for phrase, spaced in _RUNS if spaced in spoken]
        if absolute:
            yield q, f"the statement says \"{absolute[0]}\": an absolute word gives a true/false answer away"
            continue
        neg = negatives(q.statement)
        if len(neg) >= 2:
            yield q, f"the statement holds a double negation (\"{neg[0]}\" ... \"{neg[1]}\"): state it positively"
