from __future__ import annotations

import pytest

from generator.checks.cloze import ClozeSyntaxError, parse
from generator.model import Deletion


def test_numbered_deletions_and_hints():
    assert parse("met [[c1::Shimon Peres]] at the [[c2::Beijing Olympics::an event]] in [[c1::2008]]") == (
        "met ",
        Deletion(1, "Shimon Peres"),
        " at the ",
        Deletion(2, "Beijing Olympics", "an event"),
        " in ",
        Deletion(1, "2008"),
    )


def test_unnumbered_deletion_is_c1():
    assert parse("[[Tartous]] port") == (Deletion(1, "Tartous"), " port")
    assert parse("[[Tartous::a port]]") == (Deletion(1, "Tartous", "a port"),)


@pytest.mark.parametrize(
    "text, message",
    [
        ("no deletion here", "cloze text has no deletion; mark the words to hide as [[words]]"),
        ("a [[b c", "unclosed deletion '[[b c': close it with ']]'"),
        ("a ]] b", "']]' closes no deletion; open one with '[['"),
        ("[[a [[b]] c]]", "a deletion '[[' opens inside another; close the first with ']]'"),
        ("[[c0::x]]", "deletion '[[c0::x]]' is numbered c0; numbers start at c1"),
        ("[[a::b::c]]", "deletion '[[a::b::c]]' has more than one '::'; write [[answer::hint]] (an answer cannot contain '::')"),
        ("[[  ]]", "deletion '[[  ]]' hides nothing; put the words to hide inside"),
        ("[[a::]]", "deletion '[[a::]]' has an empty hint; remove the '::' or write the hint"),
    ],
)
def test_syntax_errors(text, message):
    with pytest.raises(ClozeSyntaxError) as e:
        parse(text)
    assert str(e.value) == message
