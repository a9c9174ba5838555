"""Builders are found through the `quizgen.builders` entry points, the built-in ones whatever the metadata says."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import tomllib

from generator import memo
from generator import outputs as builders
from generator.outputs import ENTRY_POINTS, MODULES, all_builders, builder_modules

BUILT_IN = ["anki", "quiz", "study", "index"]  # builder names, in the order they run


@pytest.fixture
def fresh(monkeypatch):
    """Discovery done again, and the builders a test registers forgotten after it."""
    monkeypatch.setattr(builders, "BUILDERS", dict(all_builders()))
    memo.clear()
    yield
    memo.clear()


def test_pyproject_declares_the_built_in_modules():
    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    declared = config["project"]["entry-points"][ENTRY_POINTS]
    # the built-in modules, and the exports, a plug-in found through its entry point alone
    assert declared == {**{m: f"generator.outputs.{m}" for m in MODULES}, "exports": "generator.outputs.exports"}


def test_without_entry_points_the_built_in_builders_are_there(fresh, monkeypatch):
    monkeypatch.setattr(builders, "entry_points", lambda group: [])
    # as in a process that never imported a plug-in (the exports are one, already imported here)
    builtin = tuple(f"generator.outputs.{m}" for m in MODULES)
    monkeypatch.setattr(builders, "BUILDERS", {k: v for k, v in builders.BUILDERS.items() if v.__module__.startswith(builtin)})
    assert builder_modules() == tuple(f"generator.outputs.{m}" for m in MODULES)
    assert list(all_builders()) == BUILT_IN


def test_a_builder_of_another_distribution_is_found(fresh, monkeypatch, tmp_path):
    (tmp_path / "quizgen_fake.py").write_text(
        "from generator.outputs import Builder, Output, register\n"
        "@register\n"
        "class Fake(Builder):\n"
        "    name = 'fake'\n"
        "    format = 'a text file'\n"
        "    def build(self, found, options):\n"
        "        return [Output(found.article.slug + '.txt', b'fake')]\n",
        "utf-8",
    )
    info = tmp_path / "quizgen_fake-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: quizgen-fake\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINTS}]\nfake = quizgen_fake\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "quizgen_fake", raising=False)
    assert builder_modules()[-1] == "quizgen_fake"
    found = all_builders()
    assert list(found) == [*BUILT_IN, "moodle", "gift", "qti", "flashcards", "fake"]  # the built-in ones first, though the metadata names only fake
    assert found["fake"].__module__ == "quizgen_fake"


def test_builders_known_without_importing_them_match_the_registered_classes(tmp_path, monkeypatch):
    """builder_refs (issue 31): what a no-op rebuild knows of the builders, kept in the cache folder."""
    from generator.outputs import Builder, all_builders, builder_refs

    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path))
    expected = {name: (cls.__module__, cls.keeps, cls.finish is not Builder.finish, cls.default)
                for name, cls in all_builders().items()}
    for _ in range(2):  # computed, then read back from the cache
        refs = builder_refs()
        assert list(refs) == list(expected)
        assert {n: (r.module, r.keeps, r.finishes, r.default) for n, r in refs.items()} == expected
        assert all(r.load() is all_builders()[n] for n, r in refs.items())
    assert expected["anki"][1] == ("anki.lock",) and expected["index"][2] and not expected["quiz"][2]
    for entry in (tmp_path / "builders").iterdir():
        entry.write_bytes(b"[{")  # damaged: asked again
    assert list(builder_refs()) == list(expected)
