"""Sentences around a passage: abbreviations and initials do not end a sentence."""

from __future__ import annotations

from generator.context import sentence_starts


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Dr. Roe met Mr. Smith and J. Doe. They left."
    assert sentence_starts(text) == [0, text.index("They")]


def test_an_ordinary_word_before_a_full_stop_ends_a_sentence():
    text = "The mayor spoke. Dr. Roe replied. Then it rained."
    assert sentence_starts(text) == [0, text.index("Dr."), text.index("Then")]
