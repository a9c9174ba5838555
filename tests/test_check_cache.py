"""check's result cache: a second check of an unchanged article re-checks nothing, and any change
to what a result depends on is a miss (issue 31)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from generator.checks import check_cache, summary
from generator.pipeline import manifest

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


@pytest.fixture
def article(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "questions" / BUNDLED.name
    shutil.copytree(BUNDLED, folder)
    return folder


def counted(monkeypatch) -> list[object]:
    """Calls of the real check, behind the cache."""
    calls: list[object] = []
    real = summary._check_folder
    monkeypatch.setattr(summary, "_check_folder", lambda folder, **options: (calls.append(folder), real(folder, **options))[1])
    return calls


def a_question_file(folder):
    return sorted(p for p in folder.iterdir() if p.suffix == ".yaml")[0]


def test_an_unchanged_article_is_answered_from_the_cache_with_the_same_result(article, monkeypatch):
    calls = counted(monkeypatch)
    first = summary.check_folder(article)
    second = summary.check_folder(article)
    assert len(calls) == 1 and second == first and first[2] > 0


EDITS = {
    "question file": lambda f: a_question_file(f).write_text(
        a_question_file(f).read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8"),
    "article": lambda f: (f / "article.md").write_text(
        (f / "article.md").read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8"),
    "anki.lock": lambda f: (f / "anki.lock").write_text(
        (f / "anki.lock").read_text(encoding="utf-8") + "\n", encoding="utf-8"),
    "new question file": lambda f: (f / "more.yaml").write_text("questions: []\n", encoding="utf-8"),
    "removed question file": lambda f: a_question_file(f).unlink(),
    "file in a sub-folder": lambda f: ((f / "old").mkdir(), (f / "old" / "q.yaml").write_text("x: 1\n"))[-1],
    "quizgen.toml": lambda f: (f.parent.parent / "quizgen.toml").write_text("[build]\n", encoding="utf-8"),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_any_change_of_an_input_is_a_miss(article, monkeypatch, edit):
    summary.check_folder(article)
    calls = counted(monkeypatch)
    EDITS[edit](article)
    assert summary.check_folder(article) == summary._check_folder(article)
    assert len(calls) == 2  # checked again, not read from the cache


def test_a_change_of_quizgen_or_a_library_it_depends_on_is_a_miss(article, monkeypatch):
    summary.check_folder(article)
    calls = counted(monkeypatch)
    monkeypatch.setattr(manifest, "tool_fingerprint", lambda: "another quizgen")
    summary.check_folder(article)
    assert len(calls) == 1
    monkeypatch.setattr(check_cache.cachedir, "module_stamp", lambda name: f"{name} of another version")
    summary.check_folder(article)
    assert len(calls) == 2


def test_quizgens_fingerprint_is_every_file_of_its_package():
    """A fix anywhere in quizgen (a check, a builder, a template) must miss the check cache and
    rebuild: the fingerprint hashed generator/pipeline/ alone once manifest.py had moved there."""
    package = Path(manifest.__file__).parent.parent
    hashed = {p.relative_to(package).as_posix() for p in manifest.tool_files()}
    every = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert hashed == every
    assert {"checks/giveaways/find.py", "outputs/anki/fields.py", "kinds/cloze.py", "pipeline/manifest.py"} <= hashed
    assert any(name.endswith(".j2") for name in hashed)


def test_a_damaged_entry_or_the_cache_turned_off_only_costs_time(article, monkeypatch, tmp_path):
    first = summary.check_folder(article)
    for entry in (tmp_path / "cache" / check_cache.KIND).iterdir():
        entry.write_bytes(b'{"key": [1, 2')
    calls = counted(monkeypatch)
    assert summary.check_folder(article) == first and len(calls) == 1
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    assert summary.check_folder(article) == first and len(calls) == 2


def test_a_folder_with_a_file_that_is_not_regular_is_never_cached(article, monkeypatch, tmp_path):
    (article / "link.yaml").symlink_to(tmp_path / "nowhere.yaml")
    calls = counted(monkeypatch)
    first = summary.check_folder(article)
    assert summary.check_folder(article) == first and len(calls) == 2
    assert any("link" in p.message for p in first[0])
