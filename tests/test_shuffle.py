"""Deterministic shuffles."""

from __future__ import annotations

from generator.shuffle import shuffled


def test_avoid_identity_never_keeps_the_given_order_even_of_two():
    assert all(shuffled([1, 2], str(k), avoid_identity=True) == [2, 1] for k in range(40))
    assert all(shuffled([1, 2, 3], str(k), avoid_identity=True) != [1, 2, 3] for k in range(40))


def test_without_avoid_identity_the_given_order_may_come_back():
    assert [1, 2] in [shuffled([1, 2], str(k)) for k in range(40)]
    assert shuffled([7], "k", avoid_identity=True) == [7]
