"""anki.lock: read and written exactly, rewritten only by `build`, the same bytes wherever it is built.

Also the time stamps and deck names that used to make decks Anki imports badly (issue 14: a note
id of 0, timestamps out of range, accidental subdecks).
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import FIXTURES, build_files
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline.lockfile import LOCK_FILE, Lock, LockedNote, parse_lock

runner = CliRunner()


def test_a_lock_reads_back_what_it_wrote():
    lock = Lock("Articles::A: B c", {1532369116: ("abc", 5)},
                (LockedNote("b", "qa", True, 7, "h2", "x y"), LockedNote("a", "cloze", False, 1, "h1", "!#{}~`")))
    text = lock.to_text()
    again, problems = parse_lock(text, "anki.lock")
    assert problems == [] and again.to_text() == text
    assert [n.id for n in again.notes] == ["a", "b"] and again.deck == "Articles::A: B c" and again.newest == 7


@pytest.fixture
def two(tmp_path, monkeypatch):
    """Two articles built once without SOURCE_DATE_EPOCH: their lock files are what one commits."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = tmp_path / "content"
    for slug in ("alpha", "beta"):
        shutil.copytree(FIXTURES / "mini", content / slug)
    build_files(content, tmp_path / "first", only=["anki"], jobs=1)
    return content


def locks(content):
    return {p.parent.name: p.read_bytes() for p in sorted(content.glob(f"*/{LOCK_FILE}"))}


def test_the_lock_and_deck_are_byte_identical_across_builds_jobs_and_a_fresh_clone(two, tmp_path):
    committed = locks(two)
    assert set(committed) == {"alpha", "beta"}
    one = build_files(two, tmp_path / "one", only=["anki"], jobs=1)
    assert locks(two) == committed
    many = build_files(two, tmp_path / "many", only=["anki"], jobs=2)
    assert many == one and locks(two) == committed
    clone = tmp_path / "clone"
    shutil.copytree(two, clone, copy_function=shutil.copy)  # new modification times, as after a clone
    for p in clone.rglob("*"):
        os.utime(p, (2_000_000_000, 2_000_000_000))
    assert build_files(clone, tmp_path / "cloned", only=["anki"], jobs=2) == one
    assert locks(clone) == committed


def test_check_never_writes_the_lock(content):
    out = str(content.parent / "out")  # not inside the content folder: a second build would read it
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert not (content / "mini" / LOCK_FILE).exists()
    assert runner.invoke(app, ["build", ".", "--out", out, "--only", "quiz"]).exit_code == 0
    assert not (content / "mini" / LOCK_FILE).exists()  # only the Anki deck needs it
    assert runner.invoke(app, ["build", ".", "--out", out, "--only", "anki"]).exit_code == 0
    assert (content / "mini" / LOCK_FILE).exists()


def test_a_deleted_lock_is_written_again(content):
    out = str(content.parent / "out")
    assert runner.invoke(app, ["build", ".", "--out", out, "--only", "anki"]).exit_code == 0
    (content / "mini" / LOCK_FILE).unlink()
    result = runner.invoke(app, ["build", ".", "--out", out, "--only", "anki"])
    assert result.exit_code == 0 and (content / "mini" / LOCK_FILE).exists()


def test_source_date_epoch_zero_makes_a_deck_that_keeps_the_collection_healthy(content, monkeypatch, tmp_path):
    pytest.importorskip("anki")
    from anki.collection import Collection
    from anki_helpers import import_apkg, review

    for p in (content / "mini").iterdir():
        os.utime(p, (0, 0))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert runner.invoke(app, ["build", ".", "--out", "out", "--only", "anki"]).exit_code == 0
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_apkg(col, content / "out" / "mini.apkg")
        assert 0 not in col.db.list("select id from notes") + col.db.list("select id from cards")
        review(col, "Articles::A Small Article", 2)
        for cid in col.find_cards(""):
            col.get_card(cid).question()
        problems, ok = col.fix_integrity()
        assert ok, problems
    finally:
        col.close()


@pytest.mark.parametrize("value", [str(2**63 - 1), "-1", "4354819200"])
def test_a_source_date_epoch_out_of_range_is_a_usage_error(content, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(app, ["build", ".", "--out", "out"])
    assert result.exit_code == 2
    assert result.stderr == f"quizgen: error: SOURCE_DATE_EPOCH must be between 0 and 4354819199 (the end of 2107), not {value}\n"
    assert not (content / "out").exists()


def test_inputs_modified_after_2107_still_build(content, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for p in (content / "mini").iterdir():
        os.utime(p, (5_000_000_000, 5_000_000_000))
    result = runner.invoke(app, ["build", ".", "--out", "out"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("parent", ["::", "a::", "History:::Towns", " "])
def test_a_deck_parent_on_the_command_line_is_checked_like_the_yaml_key(content, parent):
    result = runner.invoke(app, ["build", ".", "--out", "out", "--deck-parent", parent])
    assert result.exit_code == 2
    assert "is not a deck name" in result.stderr and not (content / "out").exists()


def test_a_lock_checked_out_with_windows_line_ends_is_neither_rewritten_nor_a_reason_to_rebuild(content):
    out = str(content.parent / "out")
    assert runner.invoke(app, ["build", ".", "--out", out, "--only", "anki"]).exit_code == 0
    lock = content / "mini" / LOCK_FILE
    lock.write_bytes(lock.read_bytes().replace(b"\n", b"\r\n"))
    result = runner.invoke(app, ["build", ".", "--out", out, "--only", "anki"])
    assert result.exit_code == 0 and result.stdout.splitlines() == [
        f"built 0 outputs of 0 articles, skipped 1 unchanged article, into {out}"]
    assert b"\r\n" in lock.read_bytes()


def test_two_first_builds_with_source_date_epoch_write_the_same_lock(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    made = []
    for name in ("a", "b"):
        shutil.copytree(FIXTURES / "mini", tmp_path / name / "mini")
        build_files(tmp_path / name, tmp_path / f"out-{name}", only=["anki"], jobs=1)
        made.append((tmp_path / name / "mini" / LOCK_FILE).read_bytes())
    assert made[0] == made[1] and b"\t1700000000\t" in made[0]


def test_the_bundled_articles_committed_lock_is_current(tmp_path, monkeypatch):
    # A change to the questions or to the cards must come with the lock that `quizgen build` writes
    # for it: a stale committed lock would give learners' notes new stamps on every fresh clone.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    bundled = FIXTURES.parent.parent / "questions" / "israels-hushed-military-ties-with-russia"
    content = tmp_path / "content"
    shutil.copytree(bundled, content / bundled.name)
    build_files(content, tmp_path / "out", only=["anki"], jobs=1)
    assert (content / bundled.name / LOCK_FILE).read_bytes() == (bundled / LOCK_FILE).read_bytes(), (
        "run `quizgen build` and commit questions/*/anki.lock")


@pytest.mark.parametrize("deck, why", [("Articles::", "an empty part"), ("A:::B", "an empty part"), ("::B", "an empty part"),
                                       (" Articles::B", "a blank at its start or end")])
def test_a_bad_deck_line_is_one_error_at_its_value(deck, why):
    lock, problems = parse_lock(f"slug\tmini\ndeck\t{deck}\n", "mini/anki.lock")
    assert len(problems) == 1 and str(problems[0]).startswith("mini/anki.lock:2:6: error: the deck line of anki.lock has ")
    assert why in problems[0].message and lock.deck is None


def test_a_deck_line_build_writes_is_accepted():
    assert parse_lock("deck\tHistory :: Middle East::A: B c\n", "anki.lock")[1] == []
