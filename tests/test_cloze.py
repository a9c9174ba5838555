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
    assert parse("to [[Tartous::a port]]") == ("to ", Deletion(1, "Tartous", "a port"))


ALL = ("cloze text hides all its words, so it prints as blanks with nothing to answer from; "
       "leave the words around the answer outside [[...]] (or ask it as kind: qa)")


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
        # a text all deletions asks nothing
        ("[[c1::flooded the fish market]]", ALL),
        ("[[c1::Monday]] [[c2::Tuesday]]", ALL),  # the printed quiz blanks both at once
        ("[[c1::140::a number]]", ALL),  # a hint is not a question's text
        ("[[c1::flooded the fish market]].", ALL.replace("words,", "words (outside its deletions there is only '.'),")),
        ("“[[c1::It’s the third storm]]” — [[c2::Ann Boyd]]",
         ALL.replace("words,", "words (outside its deletions there is only '“” —'),")),
        ("[[Montag]]\u00ad", ALL.replace("words,", "words (outside its deletions there is only '<U+00AD>'),")),
    ],
)
def test_syntax_errors(text, message):
    with pytest.raises(ClozeSyntaxError) as e:
        parse(text)
    assert str(e.value) == message



@pytest.mark.parametrize("text", ["in [[c1::1987]]", "[[c1::Westport]] 港口", "[[c1::140]] km/h", "[[Montag]] 3"])
def test_one_visible_letter_or_digit_is_enough(text):
    assert any(isinstance(s, Deletion) for s in parse(text))
