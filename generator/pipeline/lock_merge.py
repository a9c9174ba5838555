"""`quizgen lock merge`: two versions of an article's `anki.lock` and their common ancestor, merged
(a git merge driver; see docs/explanation/anki.md, 'Merging anki.lock')."""

from __future__ import annotations

from generator.pipeline.lockfile import Lock, parse_lock


def merge_locks(base: str, ours: str, theirs: str) -> tuple[str, list[str]]:
    """`quizgen lock merge`: the lock of a merge, and its conflicts (a deck line both sides changed).

    Every note of either side, the newer stamp of each; the deck line of the side that changed it."""
    problems: list[str] = []
    locks = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        lock, found = parse_lock(text, name)
        problems += [str(p) for p in found if p.is_error]
        locks.append(lock)
    old, mine, other = locks
    both, _ = parse_lock(ours + "\n" + theirs, "merged")
    deck = mine.deck
    if other.deck != old.deck:
        if mine.deck not in (old.deck, other.deck):
            problems.append(f"both sides changed the deck line ({mine.deck!r}, {other.deck!r}): kept ours")
        else:
            deck = other.deck
    return Lock(deck, both.notetypes, both.notes, slug=mine.slug or other.slug).to_text(), problems
