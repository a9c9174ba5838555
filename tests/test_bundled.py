"""The shipped article and its question set: they load, use every kind and cover the article."""

from __future__ import annotations

import pytest
from conftest import ROOT

from generator.checks.anchor import normalise
from generator.kinds import BUILT_IN as KINDS
from generator.model import Attribution, Chronology, TrueFalse
from generator.sources.load import load_article_set

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
SEED = ROOT.parent / "shared" / "seeds" / "000_75e97bd22b0205cf.txt"


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


def test_loads_without_problems_and_uses_every_kind(bundled):
    assert set(bundled.kinds()) == set(KINDS)
    assert 50 <= len(bundled.questions) <= 80


def test_every_body_paragraph_is_cited(bundled):
    assert bundled.uncovered() == ()
    assert len(bundled.article.paragraphs) == 11


def test_both_events_and_claims(bundled):
    tests = bundled.tests()
    assert tests["event"] >= 20 and tests["claim"] >= 20


def test_a_chronology_of_five_dated_events(bundled):
    orders = [q for q in bundled.questions if isinstance(q, Chronology)]
    assert any(len(q.events) >= 5 and all(e.when for e in q.events) for q in orders)


def test_several_attributions_with_distinct_sources(bundled):
    attributions = [q for q in bundled.questions if isinstance(q, Attribution)]
    assert len(attributions) >= 5
    assert len({q.source for q in attributions}) >= 5


def test_false_statements_carry_corrections(bundled):
    false = [q for q in bundled.questions if isinstance(q, TrueFalse) and not q.answer]
    assert len(false) >= 3 and all(q.correction for q in false)


def test_a_template_of_four_or_more_rows(bundled):
    rows: dict[str, int] = {}
    for q in bundled.questions:
        if q.origin.template:
            rows[q.origin.template] = rows.get(q.origin.template, 0) + 1
    assert max(rows.values(), default=0) >= 4


def test_metadata_says_only_what_the_article_says(bundled):
    meta = bundled.article.meta
    assert (meta.title, meta.author, meta.kind, meta.language) == (
        "Israel's Hushed Military Ties With Russia Now Paying Off", "Anshel Pfeffer", "Analysis", "en")
    assert meta.date is None and meta.url is None and meta.publication is None


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is in ../shared/seeds/, beside the repository")
def test_text_is_the_seed_without_page_chrome(bundled):
    seed = normalise(SEED.read_text(encoding="utf-8"))
    for block in bundled.article.blocks:
        assert normalise(block.text) in seed, block.label
    text = " ".join(b.text for b in bundled.article.blocks)
    for chrome in ("Send in e-mail", "Click the alert icon", "LOG IN", "subscriber comments", "White Lotus", "\u05d4"):
        assert chrome not in text
    assert [b.label for b in bundled.article.blocks if b.kind == "caption"] == ["caption 1", "caption 2", "caption 3"]


def test_no_warning_and_every_key_point_tested_twice_or_more(bundled):
    from generator.checks import giveaways
    from generator.checks.lints import registry as lints

    assert giveaways.warnings(bundled) == ([], 0) and lints.warnings(bundled) == []  # check --strict passes
    points = [k for k, _ in bundled.article.meta.key_points]
    assert len(points) == 5
    for point in points:
        assert sum(1 for q in bundled.questions if q.key == point) >= 2, point
