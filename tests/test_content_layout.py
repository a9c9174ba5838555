"""Which folders are articles and which files are question files (docs/reference/article.md,
'Content layout'), what an emptied anki.lock does, and two articles that would share one Anki deck:
through the command line, on copies of the mini article."""

from __future__ import annotations

import os
import shutil

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline.lockfile import HEADER, LOCK_FILE
from generator.pipeline.manifest import MANIFEST
from generator.pipeline.write import LOCK, STAGING
from generator.sources.inputs import OUTPUT_MARKERS

runner = CliRunner()


# ---------- an output folder inside the content folder ----------

def test_the_output_markers_are_the_files_the_writer_leaves():
    """inputs.py names them without importing the writer: they must stay the writer's names."""
    assert set(OUTPUT_MARKERS) == {MANIFEST, LOCK, STAGING}


def test_building_the_content_folder_into_itself_builds_and_checks_again(content):
    """`quizgen build .` writes ./decks (the default --out) into the content folder `.`: that folder
    is not an article on the next build or check (it was 'decks:1:1: error: no article.md')."""
    first = runner.invoke(app, ["build", "."])
    assert first.exit_code == 0, first.output
    assert (content / "decks" / MANIFEST).is_file()
    again = runner.invoke(app, ["build", "."])
    assert again.exit_code == 0, again.output
    assert "skipped 1 unchanged article" in again.stdout
    checked = runner.invoke(app, ["check", "."])
    assert checked.exit_code == 0, checked.output
    assert "decks" not in checked.stderr
    assert checked.stdout.splitlines()[-1] == "1 article, 9 questions: no problems"


def test_a_content_folder_of_dot_in_the_configuration_builds_twice(content):
    (content / "quizgen.toml").write_text('content = "."\n', encoding="utf-8")
    for _ in range(2):
        result = runner.invoke(app, ["build"])
        assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["check"]).exit_code == 0


@pytest.mark.parametrize("marker", OUTPUT_MARKERS)
def test_a_folder_holding_a_marker_of_quizgen_is_not_an_article(content, marker):
    """A build in progress (its lock, its staging folder) or done (its manifest)."""
    out = content / "out"
    out.mkdir()
    (out / marker).mkdir() if marker == STAGING else (out / marker).write_bytes(b"")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert "out" not in result.stderr


def test_a_folder_without_a_marker_is_still_an_article_without_article_md(content):
    """Only quizgen's own folders are left out: any other folder stays an error, never silently skipped."""
    (content / "notes").mkdir()
    (content / "notes" / "index.html").write_text("<p>", encoding="utf-8")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert "notes:1:1: error: no article.md in this article folder" in result.stderr


# ---------- hidden files ----------

def test_hidden_files_are_never_question_files(content):
    """What editors and macOS leave beside the questions: an Emacs lock link to nowhere, an
    AppleDouble file of binary bytes, a hidden copy (its ids would be duplicates); and a backup."""
    before = runner.invoke(app, ["check", "."])
    mini = content / "mini"
    os.symlink("user@host.1234:1700000000", mini / ".#q.yaml")
    (mini / "._q.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    shutil.copy(mini / "q.yaml", mini / ".q.yaml")
    shutil.copy(mini / "q.yaml", mini / "q.yaml~")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == (before.stdout, before.stderr)
    assert runner.invoke(app, ["build", ".", "--out", "_out"]).exit_code == 0


def test_a_file_named_with_an_underscore_is_still_read(content):
    """A name an author chose: skipping it would drop its questions without a word."""
    shutil.copy(content / "mini" / "q.yaml", content / "mini" / "_more.yaml")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert "mini/q.yaml" in result.stderr and "duplicate id" in result.stderr


# ---------- an emptied anki.lock ----------

@pytest.mark.parametrize("text", ["", HEADER, "\n\n", HEADER + "\n"], ids=["empty", "header", "blank", "header-blank"])
def test_an_emptied_lock_is_an_error_and_nothing_is_written(content, text):
    """A lock cut short (a merge tool, `: > anki.lock`) read as empty re-stamped every note without a
    word. It is an error of check and build, naming the file and how to restore it, and the build
    leaves both the lock and the package as they were."""
    assert runner.invoke(app, ["build", ".", "--out", "_out"]).exit_code == 0
    lock = content / "mini" / LOCK_FILE
    package = (content / "_out" / "mini.apkg").read_bytes()
    lock.write_text(text, encoding="utf-8")
    for command in (["check", "."], ["check", ".", "--locked"], ["build", ".", "--out", "_out"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, (command, result.output)
        assert "mini/anki.lock:1:1: error: anki.lock is " in result.stderr, result.stderr
        assert "restore it from version control (git checkout -- anki.lock)" in result.stderr
    assert lock.read_text(encoding="utf-8") == text
    assert (content / "_out" / "mini.apkg").read_bytes() == package


def test_a_lock_of_a_deck_line_only_is_a_lock(content):
    """A lock that names its deck and no note yet (an article of no questions) is not emptied."""
    (content / "mini" / LOCK_FILE).write_text(HEADER + "slug\tmini\ndeck\tArticles::A Small Article\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output


# ---------- two articles, one deck ----------

def _second(content, title: str = "A Small Article") -> None:
    """A second article, its own (no anki.lock copied), titled `title`."""
    shutil.copytree(content / "mini", content / "mini-two", ignore=shutil.ignore_patterns(LOCK_FILE))
    article = content / "mini-two" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: A Small Article", f"title: {title}"), encoding="utf-8")


WARNING = ("mini-two/anki.lock:4:1: warning: deck 'Articles::{}' is also the deck of mini/anki.lock: importing both "
           "puts the two articles' cards into one Anki deck")


@pytest.mark.parametrize("title", ["A Small Article", "A SMALL ARTICLE"])  # Anki matches deck names ignoring case
def test_two_articles_of_one_deck_name_are_a_warning_of_build_and_check(content, title):
    _second(content, title)
    built = runner.invoke(app, ["build", ".", "--out", "_out"])  # the first build: its locks are being written
    assert built.exit_code == 0, built.output
    assert WARNING.format(title) in built.stderr, built.stderr
    assert "give the article another title or a deck_parent and delete this deck line" in built.stderr
    checked = runner.invoke(app, ["check", "."])
    assert checked.exit_code == 0
    assert WARNING.format(title) in checked.stderr
    assert runner.invoke(app, ["check", ".", "--strict"]).exit_code == 1
    again = runner.invoke(app, ["build", ".", "--out", "_out"])  # nothing to build: still said
    assert WARNING.format(title) in again.stderr


def test_the_fix_the_warning_gives_gives_each_article_its_deck(content):
    _second(content)
    assert runner.invoke(app, ["build", ".", "--out", "_out"]).exit_code == 0
    lock = content / "mini-two" / LOCK_FILE
    lock.write_text("".join(line for line in lock.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("deck\t")), encoding="utf-8")
    questions = content / "mini-two" / "q.yaml"
    questions.write_text("deck_parent: Week two\n" + questions.read_text(encoding="utf-8"), encoding="utf-8")
    built = runner.invoke(app, ["build", ".", "--out", "_out"])
    assert built.exit_code == 0, built.output
    assert "is also the deck of" not in built.stderr
    assert "deck\tWeek two::A Small Article\n" in lock.read_text(encoding="utf-8")
    checked = runner.invoke(app, ["check", "."])
    assert "is also the deck of" not in checked.stderr


def test_articles_of_other_decks_are_no_warning(content):
    _second(content, "Another Article")
    assert "is also the deck of" not in runner.invoke(app, ["build", ".", "--out", "_out"]).stderr
    assert "is also the deck of" not in runner.invoke(app, ["check", "."]).stderr


def test_a_deck_line_far_into_a_lock_is_compared_too(content):
    """The deck line is looked for in a lock's first 4 KB, then in the rest: one after them (a long
    comment, lines merged by hand) is found, at its line."""
    _second(content)
    assert runner.invoke(app, ["build", ".", "--out", "_out"]).exit_code == 0
    lock = content / "mini-two" / LOCK_FILE
    lines = lock.read_text(encoding="utf-8").splitlines(keepends=True)
    deck = next(line for line in lines if line.startswith("deck\t"))
    for padding in (4000, 9000):
        lock.write_text("#" + "x" * padding + "\n" + "".join(line for line in lines if line != deck) + deck, encoding="utf-8")
        checked = runner.invoke(app, ["check", "."])
        assert f"mini-two/anki.lock:{len(lines) + 1}:1: warning: deck 'Articles::A Small Article' is also" in checked.stderr, checked.stderr
