"""generator/memo.py: one place that finds and forgets every memo of quizgen."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from generator import memo

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
DECORATORS = {"cache", "lru_cache"}


def _decorated() -> dict[str, bool]:
    """Every function with a functools cache decorator, by dotted name: whether it is at module level."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(tree.body)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = {d.func.id if isinstance(d, ast.Call) and isinstance(d.func, ast.Name) else getattr(d, "id", "")
                         for d in node.decorator_list}
                if names & DECORATORS:
                    found[f"{module}.{node.name}"] = node in top
    return found


def test_every_memo_is_found_and_forgotten():
    decorated = _decorated()
    assert len(decorated) >= 20
    assert [name for name, top in decorated.items() if not top] == []  # memo.memos() finds module-level ones
    for name in decorated:
        importlib.import_module(name.rpartition(".")[0])
    found = memo.memos()
    assert set(decorated) <= set(found)
    for value in found.values():
        value.cache_info()  # a functools cache
    from generator.sources import templates

    templates.compile_pattern({"id": "x", "question": "{{ a|trim }}"})
    assert templates._compiled.cache_info().currsize >= 1
    assert "generator.sources.templates._compiled" in memo.clear()
    assert templates._compiled.cache_info().currsize == 0
