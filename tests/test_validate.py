"""validate.py's helpers that stand in for slower equivalents (issue 18): the same answers."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.validate import _has_word

# word characters of several scripts, digits of two, the underscore and what separates words
PIECES = st.text(alphabet="ab9_ -./,é٣אz\u0301", max_size=12)


@settings(max_examples=400, deadline=None)
@given(PIECES, PIECES)
def test_has_word_finds_what_the_pattern_finds(haystack, text):
    pattern = re.compile(
        (r"(?<!\w)" if text[:1].isalnum() else "") + re.escape(text) + (r"(?!\w)" if text[-1:].isalnum() else "")
    )
    assert _has_word(haystack, text) == bool(pattern.search(haystack))


def test_has_word_examples():
    assert _has_word("in 1990 and 2008", "2008")
    assert not _has_word("in 1990", "9")
    assert not _has_word("a_2008", "2008")  # an underscore is a word character
    assert _has_word("on Sept. 21, 2008", "Sept. 21")
    assert _has_word("(2008)", "(2008)")
    assert _has_word("x2008)", "2008)") is False
