"""The lint rules, one module each, run over a loaded article; `allow:` applied."""

from __future__ import annotations

from collections.abc import Iterable

from generator.checks.giveaways import PerArticle, per_article
from generator.checks.lints import (
    RULE_NAMES,
    Check,
    Rule,
    all_none_of_the_above,
    answer_in_question,
    chronology_dates,
    cloze_blank,
    convergence,
    distractor_right_elsewhere,
    lone_shape,
    longest_answer,
    negative_stem,
    overlapping_choices,
    overlapping_sources,
    same_choice,
    shortest_answer,
    source_kind,
    truefalse_balance,
    truefalse_cue,
)
from generator.errors import Problem
from generator.model import ArticleSet, Question

_MODULES = (
    longest_answer, lone_shape, overlapping_choices, distractor_right_elsewhere, all_none_of_the_above,
    negative_stem, truefalse_cue, cloze_blank, answer_in_question, source_kind, chronology_dates,
    shortest_answer, convergence, same_choice, overlapping_sources, truefalse_balance,
)


def _registry() -> dict[str, tuple[Rule, Check]]:
    return {m.RULE.name: (m.RULE, m.check) for m in _MODULES}


_CACHE: PerArticle[list[tuple[Question, str, str]]] = {}


def lint(found: ArticleSet, rules: Iterable[str] | None = None) -> list[tuple[Question, str, str]]:
    """(question, rule name, message) for every flag, `allow:` applied; `rules` limits the rules run.

    Every rule is run once per loaded article: `check` asks for the warnings and for the summary.
    """
    if rules is not None:
        return _lint(found, rules)
    flagged = per_article(_CACHE, found, lambda: _lint(found, RULE_NAMES))
    return list(flagged)


def _lint(found: ArticleSet, rules: Iterable[str]) -> list[tuple[Question, str, str]]:
    registry = _registry()
    flagged = []
    for name in rules or RULE_NAMES:
        rule, check = registry[name]
        for q, reason in check(found):
            if name not in q.allow:
                flagged.append((q, name, f"{name}: {reason} ({rule.guideline}); add 'allow: [{name}]' if it is meant"))
    return flagged


def warnings(found: ArticleSet) -> list[Problem]:
    """A warning at the question's line for every lint that flags it."""
    return [
        Problem(q.origin.path, q.origin.line, q.origin.col, message, "warning")
        for q, _, message in lint(found)
    ]
