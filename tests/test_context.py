"""Sentence context in any script: one sentence, not the whole paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import memo
from generator.checks.anchor import ArticleIndex
from generator.checks.context import in_context, sentence_starts
from generator.sources.load import load_library

LANGUAGES = Path(__file__).parent / "languages"


@pytest.mark.parametrize(
    "text, first_words",
    [
        ("Mr. Smith went home. He came back at 3 p.m. and left. Then it rained!", ["Mr.", "He", "Then"]),
        ("כל בני האדם נולדו בני חורין. כולם חוננו בתבונה ובמצפון.", ["כל", "כולם"]),
        ("يولد جميع الناس أحراراً. وقد وهبوا عقلاً وضميراً؟ نعم.", ["يولد", "وقد", "نعم."]),
        ("Все люди рождаются свободными. Они наделены разумом. В 1948 г. Декларация принята.", ["Все", "Они", "В"]),
    ],
)
def test_sentence_starts_in_any_script(text, first_words):
    assert [text[i:].split()[0] for i in sentence_starts(text)] == first_words


@pytest.mark.parametrize("language", ["he", "ar", "ru"])
def test_context_is_one_sentence_in_the_test_articles(language):
    found = next(s for s in load_library(LANGUAGES).sets if s.article.slug == f"udhr-{language}")
    article = found.article
    first = article.blocks[0].text  # two sentences: the passage is in the first
    passage = first[: first.index(".") + 1]
    quoted = in_context(article, ArticleIndex(article).anchor(passage))
    assert len(quoted) == 1 and quoted[0].before == "" and quoted[0].after == ""
    assert quoted[0].quote == passage != first


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Dr. Roe met Mr. Smith and J. Doe. They left."
    assert sentence_starts(text) == [0, text.index("They")]


def test_an_ordinary_word_before_a_full_stop_ends_a_sentence():
    text = "The mayor spoke. Dr. Roe replied. Then it rained."
    assert sentence_starts(text) == [0, text.index("Dr."), text.index("Then")]


def test_sentence_starts_are_found_once_per_block_text(monkeypatch):
    import generator.checks.context as context

    found = next(s for s in load_library(LANGUAGES).sets if s.article.slug == "udhr-ru")
    article = found.article
    first = article.blocks[0].text
    passage = first[: first.index(".") + 1]
    anchor = ArticleIndex(article).anchor(passage)
    calls = []
    monkeypatch.setattr(context, "sentence_starts", lambda text: calls.append(text) or sentence_starts(text))
    memo.clear()
    first_time = in_context(article, anchor)
    assert [in_context(article, anchor) for _ in range(5)] == [first_time] * 5
    assert calls == [first]  # six asks, one search of the block
