"""Memos: results a process keeps because it asks for them again, and the one place that forgets them.

A memo of quizgen is a functools cache (`@cache`, `@lru_cache`) on a module-level function; what is
kept per loaded article (giveaways.per_article) goes by itself when the article goes. `clear()`
forgets every memo of every loaded quizgen module: the tests' `fresh_memos` fixture (tests/conftest.py)
calls it where a test changes what a memo was computed from (a file, a version, the registered builders).
"""

from __future__ import annotations

import sys


def memos() -> dict[str, object]:
    """Every functools cache of the loaded quizgen modules, by dotted name."""
    found: dict[str, object] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "generator" or name.startswith("generator.")):
            continue
        for attribute, value in list(vars(module).items()):
            if callable(value) and hasattr(value, "cache_clear") and hasattr(value, "cache_info") \
                    and getattr(value, "__module__", None) == name:
                found[f"{name}.{attribute}"] = value
    return found


def clear() -> list[str]:
    """Forget every memo (see `memos`); their names."""
    found = memos()
    for value in found.values():
        value.cache_clear()  # type: ignore[attr-defined]
    return sorted(found)
