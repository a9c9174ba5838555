"""The labelled lint corpus: large enough, every rule scored, the overall figures at their floors, and
the README's table the one the corpus gives."""

from __future__ import annotations

import yaml
from lint_corpus import CORPUS, score, table

from generator.checks.lints import RULE_NAMES


def test_the_corpus_is_large_and_labels_only_known_rules():
    items = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["items"]
    assert len(items) >= 80
    assert {i["flaw"] for i in items if "flaw" in i} == set(RULE_NAMES)  # every rule has flawed items
    assert sum(1 for i in items if "flaw" not in i) >= 40


def test_overall_recall_and_false_alarms():
    scores, caught, flawed, alarms, good = score()
    assert caught / flawed >= 0.9, [m for s in scores.values() for m in s.missed]
    assert alarms / good <= 0.05, [m for s in scores.values() for m in s.missed]
    assert all(s.flawed >= 2 for s in scores.values())


def test_the_readme_shows_the_table():
    from docs_pages import page

    readme = page("reference/check.md")
    assert "\n".join(table()) in readme
