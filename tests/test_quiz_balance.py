"""Balance on the printed quiz: true/false draws between 35 % and 65 % true (when the set allows),
and right letters spread within each section."""

from __future__ import annotations

import pytest
from conftest import ROOT

from generator.checks.giveaways import conflicts
from generator.checks.selection import assemble
from generator.model import TrueFalse
from generator.outputs.quiz.sheet import build_sheet
from generator.outputs.quiz_options import QuizOptions
from generator.sources.load import load_article_set

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


@pytest.mark.parametrize(("kinds", "count"), [(("truefalse",), 6), (("truefalse",), 8), ((), 40)])
def test_draws_with_six_statements_or_more_are_balanced(bundled, kinds, count):
    for seed in map(str, range(1, 31)):
        drawn = assemble(bundled, QuizOptions(count=count, kinds=kinds, seed=seed)).questions
        statements = [q for q in drawn if isinstance(q, TrueFalse)]
        assert len(drawn) == count
        if len(statements) >= 6:
            true = sum(q.answer for q in statements)
            assert 0.35 <= true / len(statements) <= 0.65, (seed, true, len(statements))
        ids = {q.id for q in drawn}
        apart = conflicts(bundled, list(drawn))
        assert not any(apart[q] & ids for q in ids)  # no swap brought a giveaway in


@pytest.mark.parametrize("seed", ["1", "7", "42"])
def test_right_letters_are_spread_within_each_section(bundled, seed):
    questions = assemble(bundled, QuizOptions()).questions
    for version in "ABC":
        sheet = build_sheet(bundled, questions, QuizOptions(seed=seed), version)
        for section in sheet.sections:
            if section.kind not in ("mcq", "attribution"):
                continue
            common = min(len(item.choices) for item in section.items)
            rights = [next(k for k, c in enumerate(item.choices) if c.right) for item in section.items]
            counts = [rights.count(k) for k in range(common)]
            assert max(counts) - min(counts) <= 1, (section.kind, version, counts)
