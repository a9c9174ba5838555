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


def test_the_permutation_is_random_shuffle_for_many_keys_and_sizes():
    """`permutation` writes out Random(key).shuffle (its seed of a text, its draws): the same order for
    every key, ASCII or not, and every size, drawn in any order after other generators' use."""
    import random

    from generator.shuffle import permutation

    words = ["slug", "q1", "choices", "sources", "é", "日本語", "مرحبا", "", "a\x1fb", "🙂", "x" * 300]
    for k in range(3000):
        key = (words[k % len(words)], f"q{k}", words[(k // len(words)) % len(words)])
        for n in (0, 1, 2, 3, 4, 5, 6, 7, 9, 17, 40):
            order = list(range(n))
            random.Random("\x1f".join(key)).shuffle(order)
            assert permutation.__wrapped__(n, key) == tuple(order), (n, key)
