"""A withdrawn note speaks the deck's language: its text through the catalogues, its tags as the deck's
other notes' (an English deck's withdrawn notes are unchanged, see test_anki_golden.py)."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, build_files

from generator.outputs.anki import RETIRED, plan, withdrawn_text
from generator.sources.load import load_article_set


def test_withdrawn_text_in_english_is_as_before():
    sentence = "the author removed this question from the deck. Its card can be suspended or deleted."
    assert withdrawn_text("en", False) == "Withdrawn: " + sentence
    assert withdrawn_text("en", True) == "{{c1::Withdrawn}}: " + sentence
    assert withdrawn_text("it", False) == "Withdrawn: " + sentence  # no catalogue: English


@pytest.mark.parametrize("language", ["he", "ar", "ru", "de", "fr", "es"])
def test_withdrawn_text_is_translated(language):
    basic, cloze = withdrawn_text(language, False), withdrawn_text(language, True)
    assert "Withdrawn" not in basic and "author" not in basic
    assert cloze.startswith("{{c1::") and cloze.count("{{c1::") == 1
    word = cloze[len("{{c1::"):cloze.index("}}")]
    assert word and basic.startswith(word) and cloze.replace("{{c1::" + word + "}}", word) == basic


def test_a_hebrew_decks_withdrawn_notes_speak_hebrew(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", content / "mini")
    article = content / "mini" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("language: en\n", "language: he\n"), encoding="utf-8")
    build_files(content, tmp_path / "out", only=["anki"])  # the lock now knows every question
    questions = content / "mini" / "q.yaml"
    text = questions.read_text(encoding="utf-8")
    # withdraw a cloze question and a basic one
    for first, after in (("  - id: build-years\n", "  - id: auditor\n"), ("  - id: auditor\n", "  - id: budget-tf\n")):
        text = text[:text.index(first)] + text[text.index(after):]
    questions.write_text(text, encoding="utf-8")
    retired = {p.locked.id: p for p in plan(load_article_set(content / "mini"), now=1) if RETIRED in p.tags}
    assert set(retired) == {"build-years", "auditor"}
    assert retired["auditor"].fields["Question"] == withdrawn_text("he", False)
    assert retired["build-years"].fields["Text"] == withdrawn_text("he", True)
    assert all("quizgen::lang::he" in p.tags for p in retired.values())
