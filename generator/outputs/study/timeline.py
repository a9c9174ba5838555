"""The timeline: the article's dated events, in the order its chronology questions give them.

`when` values are free text as the article gives them ("2008", "Sept. 21", "last month"), so they
are never sorted as strings: the order within a chronology is the one its question gives. Events of
separate chronologies are placed between each other by their dates where both read as dates that
compare (generator/checks/date_order.py: "2007" before "2009", "Sept. 21" before "October 7"), else by
where the article tells of them. Dated items that no chronology places are listed after them, in
the order they appear in the article, and the page says that their order is not known.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.checks import date_order
from generator.model import Anchor, ArticleSet, Chronology

Json = Any


@dataclass(frozen=True)
class Item:
    """One dated thing: what happened, when (as the article says), and where the article says it."""

    when: str
    text: str
    question: str
    anchor: Anchor


def when_key(when: str) -> str:
    """Dates that differ only in white space are the same date."""
    return " ".join(when.split())


def merge_orders(chains: list[list[str]], before: Callable[[str, str], int] | None = None) -> list[str]:
    """One order agreeing with every chain; where the chains leave it open, the key that `before`
    puts first (a negative number: the first argument first), then the first seen.

    Contradictions between chains (a cycle) are broken at the first seen."""
    first: dict[str, int] = {}
    for chain in chains:
        for key in chain:
            first.setdefault(key, len(first))
    after: dict[str, set[str]] = {k: set() for k in first}
    waiting = dict.fromkeys(first, 0)  # how many earlier keys each key still waits for
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            if a != b and b not in after[a]:
                after[a].add(b)
                waiting[b] += 1
    order: list[str] = []
    remaining = set(first)
    while remaining:
        # when chronologies contradict each other there is a cycle: break it at the first seen
        ready = [k for k in remaining if waiting[k] == 0] or list(remaining)
        ready.sort(key=first.__getitem__)
        key = min(ready, key=functools.cmp_to_key(before)) if before is not None else ready[0]
        remaining.remove(key)
        order.append(key)
        for b in after[key]:
            waiting[b] -= 1
    return order


def _position(anchor: Anchor) -> tuple[int, int]:
    span = anchor.spans[0]
    return span.block, span.start


def _overlaps(a: Anchor, b: Anchor) -> bool:
    return any(
        s.block == t.block and s.start < t.end and t.start < s.end for s in a.spans for t in b.spans
    )


def dated_items(found: ArticleSet) -> tuple[list[Item], list[Item]]:
    """(events of chronology questions in their order, other questions that carry a date)."""
    events: list[Item] = []
    others: list[Item] = []
    article = found.article
    for q in found.questions:
        if isinstance(q, Chronology):
            events += [Item(e.when, e.text, q.id, e.anchor) for e in q.events if e.when]
        elif q.when and q.anchors():
            anchor = q.anchors()[0]
            # the article's own words say best what happened
            others.append(Item(q.when, anchor.quote(article), q.id, anchor))
    return events, others


def _group(items: list[Item]) -> dict[str, list[Item]]:
    """Items by date; an item quoting (part of) a passage already listed for its date is dropped."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        group = groups.setdefault(when_key(item.when), [])
        if not any(_overlaps(item.anchor, seen.anchor) for seen in group):
            group.append(item)
    return groups


def _before(events: list[Item], language: str) -> Callable[[str, str], int]:
    """How two dates of separate chronologies compare: by date where both read as dates that
    compare and differ, else by where the article first tells of each."""
    dates: dict[str, date_order.Date | None] = {}
    places: dict[str, tuple[int, int]] = {}
    for e in events:
        key = when_key(e.when)
        place = _position(e.anchor)
        if key not in dates:  # the first `when` of a date is the one read (parsed once, not for every event)
            dates[key] = date_order.parse(e.when, language)
            places[key] = place
        elif place < places[key]:
            places[key] = place

    def before(a: str, b: str) -> int:
        da, db = dates.get(a), dates.get(b)
        by_date = date_order.compare(da, db) if da is not None and db is not None else None
        if by_date:
            return by_date
        pa, pb = places.get(a, (0, 0)), places.get(b, (0, 0))
        return (pa > pb) - (pa < pb)

    return before


def timeline(found: ArticleSet, source: Callable[[Anchor], Json]) -> Json:
    """{"ordered": [...], "loose": [...]}: dates, each with its items; `source` renders a passage."""
    events, others = dated_items(found)
    chains = [
        [when_key(e.when) for e in q.events if e.when]
        for q in found.questions
        if isinstance(q, Chronology)
    ]
    order = merge_orders(chains, _before(events, found.article.meta.language))
    others.sort(key=lambda item: _position(item.anchor))
    groups = _group(events + others)
    loose = sorted((k for k in groups if k not in order), key=lambda k: _position(groups[k][0].anchor))

    def node(key: str) -> Json:
        items = groups[key]
        return {
            "when": items[0].when,
            "items": [{"text": i.text, "question": i.question, "source": source(i.anchor)} for i in items],
        }

    return {"ordered": [node(k) for k in order], "loose": [node(k) for k in loose]}
