"""Deterministic shuffles."""

from __future__ import annotations

from generator.shuffle import shuffled


def test_avoid_identity_never_keeps_the_given_order_even_of_two():
    assert all(shuffled([1, 2], str(k), avoid_identity=True) == [2, 1] for k in range(40))
    assert all(shuffled([1, 2, 3], str(k), avoid_identity=True) != [1, 2, 3] for k in range(40))


def test_without_avoid_identity_the_given_order_may_come_back():
    assert [1, 2] in [shuffled([1, 2], str(k)) for k in range(40)]
    assert shuffled([7], "k", avoid_identity=True) == [7]


def test_the_same_order_as_shuffling_the_items_with_their_seeded_generator():
    """Printed quizzes, their codes and the decks must not change: the cached permutation is the
    order Random(key).shuffle gives the items themselves."""
    import random

    for n in range(0, 12):
        for k in range(30):
            items = [f"item {i}" for i in range(n)]
            expected = list(items)
            random.Random("\x1f".join(("slug", f"q{k}", "choices"))).shuffle(expected)
            assert shuffled(items, "slug", f"q{k}", "choices") == expected
            assert shuffled(tuple(items), "slug", f"q{k}", "choices") == expected


def test_equal_items_count_as_the_given_order():
    assert all(shuffled(["a", "a", "b"], str(k), avoid_identity=True) != ["a", "a", "b"] for k in range(40))
