"""Keeping apart the questions that must not share a quiz: giveaways and groups, then the largest set without a pair."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from generator.checks.giveaways.find import allowed, any_allow, giveaways
from generator.model import ArticleSet, Question
from generator.shuffle import rng


def conflicts(found: ArticleSet, questions: Sequence[Question]) -> dict[str, set[str]]:
    """For each question id, the ids it must not share a quiz with: giveaways both ways, and its group."""
    apart: dict[str, set[str]] = {q.id: set() for q in questions}
    asked = any_allow(found.questions)  # (most articles: none allows a pair, and no pair need be asked)
    for g in giveaways(found):  # the pairs of both among `questions` (`giveaways(found, questions)`), in one pass
        giver, taker = g.giver.id, g.taker.id
        if giver in apart and taker in apart and not (asked and allowed(g)):
            apart[giver].add(taker)
            apart[taker].add(giver)
    groups: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        if q.group is not None:
            groups[q.group].append(q.id)
    for ids in groups.values():
        for a in ids:
            apart[a].update(b for b in ids if b != a)
    return apart


EXACT_LIMIT = 40  # a connected part of the conflict graph up to this size is solved exactly


def keep_apart(ids: Sequence[str], apart: dict[str, set[str]], *seed: str, both_ways: bool = False) -> list[str]:
    """The most ids with no conflicting pair among them (a maximum independent set), in `ids` order.

    Exact by branch and bound on each connected part of the conflict graph (parts are small: a
    question gives away a few others at most); a part larger than EXACT_LIMIT is solved greedily,
    keeping the question with the fewest conflicts first. Among equally large choices the seed
    decides, so the same seed always keeps the same questions. With `both_ways`, the caller says that
    `apart` holds every pair both ways (as `conflicts` makes it), which spares the greedy choice
    finding whose conflicts each question counts in.
    """
    rank = {q: i for i, q in enumerate(rng(*seed, "keep-apart").sample(list(ids), len(ids)))}
    kept: set[str] = set()
    for part in _parts(ids, apart):
        if len(part) > EXACT_LIMIT:
            kept |= _greedy(part, apart, rank, both_ways)
        else:
            kept |= set(_exact(frozenset(part), apart, rank))
    return [q for q in ids if q in kept]


def _parts(ids: Iterable[str], apart: dict[str, set[str]]) -> list[list[str]]:
    """The connected parts (in no particular order within a part: `_exact` and `_greedy` decide by rank)."""
    seen: set[str] = set()
    parts = []
    for start in ids:
        if start in seen:
            continue
        part, todo = [], [start]
        seen.add(start)
        while todo:
            q = todo.pop()
            part.append(q)
            for other in apart.get(q, ()):
                if other not in seen and other in apart:
                    seen.add(other)
                    todo.append(other)
        parts.append(part)
    return parts


def _exact(part: frozenset[str], apart: dict[str, set[str]], rank: dict[str, int]) -> tuple[str, ...]:
    """A maximum independent set of `part`; among the largest, the best by rank (lowest ranks kept)."""
    if not part:
        return ()
    degree = {q: len(apart[q] & part) for q in part}
    free = tuple(q for q in part if degree[q] == 0)
    if free:
        return tuple(sorted(free + _exact(part - set(free), apart, rank), key=rank.__getitem__))
    pivot = max(part, key=lambda q: (degree[q], -rank[q]))
    take = tuple(sorted((pivot, *_exact(part - apart[pivot] - {pivot}, apart, rank)), key=rank.__getitem__))
    if degree[pivot] <= 1:
        return take  # a vertex of degree one belongs to some maximum set
    skip = _exact(part - {pivot}, apart, rank)
    if len(skip) != len(take):
        return take if len(take) > len(skip) else skip
    return min(take, skip, key=lambda s: [rank[q] for q in s])


def _greedy(part: list[str], apart: dict[str, set[str]], rank: dict[str, int], both_ways: bool = False) -> set[str]:
    """Keep the question with the fewest conflicts among those left (the lowest rank on a tie), drop
    its conflicts, again: each conflict counted down as questions go, the next one taken from a heap."""
    left = set(part)
    degree: dict[str, int] = {}
    counted_by: Mapping[str, Collection[str]]  # whose degree each question counts in
    if both_ways:
        counted_by = apart  # its own conflicts (those not left are passed over below)
        for q in part:
            degree[q] = len(apart[q] & left)
    else:
        counting: dict[str, list[str]] = {q: [] for q in part}
        for q in part:
            conflicting = apart[q] & left
            degree[q] = len(conflicting)
            for other in conflicting:
                counting[other].append(q)
        counted_by = counting
    # Heap entries are the ints degree * size + rank (ranks are below size), ordered as (degree, rank)
    # are, and compared quicker than tuples; `who` gives back the question of a rank.
    size = len(rank) + 1
    who = {rank[q]: q for q in part}
    heap = [degree[q] * size + rank[q] for q in part]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    kept = set()
    while left:
        d, r = divmod(pop(heap), size)
        q = who[r]
        if q not in left or d != degree[q]:
            continue  # gone, or an entry from before its degree went down
        kept.add(q)
        gone = apart[q] & left
        gone.add(q)
        left -= gone
        for g in gone:
            for other in counted_by[g]:
                if other in left:
                    degree[other] = n = degree[other] - 1
                    push(heap, n * size + rank[other])
    return kept
