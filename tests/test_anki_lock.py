"""Guarding anki.lock: `check --locked`, `build --frozen`, the loud warning of a mass re-stamp."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from generator.cli import app

runner = CliRunner()
EPOCH = "1700000000"


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", folder / "mini")
    return folder


def build(content, out, *more):
    return runner.invoke(app, ["build", str(content), "--only", "anki", "--out", str(out), *more])


def check(content):
    return runner.invoke(app, ["check", "--locked", str(content)])


def edit(content, old, new, name="q.yaml"):
    path = content / "mini" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_locked_fails_for_a_missing_a_damaged_and_a_stale_lock_and_passes_a_fresh_one(content, tmp_path):
    lock = content / "mini" / "anki.lock"
    result = check(content)
    assert result.exit_code == 1
    assert "mini/anki.lock:1:1: error: anki.lock is missing: run quizgen build and commit it" in result.output
    assert runner.invoke(app, ["check", str(content)]).exit_code == 0  # without --locked: as before
    assert build(content, tmp_path / "out").exit_code == 0
    assert check(content).exit_code == 0
    edit(content, "answer: Jane Roe", "answer: Jane Roe, the auditor")
    result = check(content)
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "error:" in line]
    assert line.endswith("anki.lock is out of date: 1 note gets a new stamp (auditor); run quizgen build and commit it")
    assert build(content, tmp_path / "out").exit_code == 0 and check(content).exit_code == 0
    lock.write_text(lock.read_text(encoding="utf-8").replace("\tlive\t", "\tlive?\t", 1), encoding="utf-8")
    result = check(content)
    assert result.exit_code == 1 and "this line of anki.lock is damaged" in result.output


def test_build_frozen_refuses_to_change_a_lock_and_writes_nothing(content, tmp_path):
    out = tmp_path / "out"
    result = build(content, out, "--frozen")  # no lock yet: it would be written
    assert result.exit_code == 1 and "--frozen: this build would change anki.lock" in result.output
    assert not (content / "mini" / "anki.lock").exists() and not list(out.glob("*.apkg"))
    assert build(content, out).exit_code == 0
    lock = (content / "mini" / "anki.lock").read_bytes()
    assert build(content, tmp_path / "fresh", "--frozen").exit_code == 0  # up to date: builds
    edit(content, "answer: Jane Roe", "answer: Jane Roe, the auditor")
    apkg = (out / "mini.apkg").read_bytes()
    result = build(content, out, "--frozen")
    assert result.exit_code == 1 and "(1 note gets a new stamp (auditor))" in result.output
    assert (content / "mini" / "anki.lock").read_bytes() == lock and (out / "mini.apkg").read_bytes() == apkg


def test_a_lost_lock_is_named_loudly_by_the_next_build(content, tmp_path):
    out = tmp_path / "out"
    first = build(content, out)
    assert first.exit_code == 0 and "warning" not in first.output  # a new article: first stamps, no warning
    (content / "mini" / "anki.lock").unlink()
    result = build(content, out)
    assert result.exit_code == 0
    (line,) = [line for line in result.output.splitlines() if "warning:" in line]
    assert "mini/anki.lock:1:1: warning: anki.lock is missing, and this article was built before: all 9 notes" in line
    assert "Restore anki.lock from version control" in line
    assert check(content).exit_code == 0  # the build wrote a new one


def test_a_build_that_restamps_many_notes_says_so_and_names_them(content, tmp_path):
    out = tmp_path / "out"
    assert build(content, out).exit_code == 0
    edit(content, "answer: Jane Roe", "answer: Jane Roe, the auditor")
    edit(content, "question: When was the bridge opened?", "question: On what day was the bridge opened?")
    result = build(content, out)
    assert result.exit_code == 0 and "warning" not in result.output  # two fixes of nine: quiet
    text = (content / "mini" / "q.yaml").read_text(encoding="utf-8")
    (content / "mini" / "q.yaml").write_text(text.replace("tests: event", "tests: claim"), encoding="utf-8")
    result = build(content, out)
    (line,) = [line for line in result.output.splitlines() if "warning:" in line]
    assert "this build re-stamps" in line and "get new stamps (" in line and "opened-when" in line


def _git(repo, *args, check=True):
    return subprocess.run(["git", "-c", "user.name=Author", "-c", "user.email=author@example.org", *args],
                          cwd=repo, check=check, capture_output=True, text=True)


@pytest.mark.parametrize("how", ["union", "driver", "none"])
def test_a_real_git_merge_of_two_branches_editing_adjacent_notes(content, tmp_path, monkeypatch, how):
    from anki.collection import Collection
    from anki_helpers import import_apkg

    import generator.pipeline.build

    out = tmp_path / "out"
    clock = iter(range(1_700_000_100, 1_700_010_000, 100))
    monkeypatch.setattr(generator.pipeline.build, "wall_clock", lambda: next(clock))
    assert build(content, out).exit_code == 0
    col = Collection(str(tmp_path / "collection.anki2"))
    assert len(import_apkg(col, out / "mini.apkg").new) == 9
    _git(content, "init", "-q", "-b", "main")
    if how == "union":
        (content / ".gitattributes").write_text("anki.lock merge=union\n", encoding="utf-8")
    elif how == "driver":  # the README's lines
        (content / ".gitattributes").write_text("anki.lock merge=quizgen-lock\n", encoding="utf-8")
        _git(content, "config", "merge.quizgen-lock.name", "quizgen anki.lock merge")
        _git(content, "config", "merge.quizgen-lock.driver", f"{sys.executable} -m generator lock merge %O %A %B")
    _git(content, "add", "-A")
    _git(content, "commit", "-q", "-m", "first")
    for branch, old, new in (
        ("a", "question: Who found that costs rose?", "question: Who found that the costs rose?"),
        ("b", "correction: Critics say it cost twice its budget.", "correction: Critics say it cost double its budget."),
    ):
        _git(content, "checkout", "-q", "-b", branch, "main")
        edit(content, old, new)
        assert build(content, out).exit_code == 0
        _git(content, "commit", "-q", "-am", f"fix on {branch}")
    _git(content, "checkout", "-q", "a")
    merged = _git(content, "merge", "-q", "b", "-m", "merge", check=False)
    if how == "none":  # what happens without either line: the lock conflicts (adjacent lines)
        assert merged.returncode != 0 and "anki.lock" in merged.stdout + merged.stderr
        col.close()
        return
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = build(content, out)
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert check(content).exit_code == 0
    log = import_apkg(col, out / "mini.apkg")
    assert sorted(n.fields[0] for n in log.updated) == ["mini/auditor", "mini/budget-tf"] and not log.new  # both fixes arrive
    col.close()


def test_duplicate_lock_lines_resolve_to_the_newest_stamp_and_lock_merge_keeps_both_sides():
    from generator.pipeline.lock_merge import merge_locks
    from generator.pipeline.lockfile import parse_lock

    base = "deck\tArticles::A\nnote\ta\tqa\tlive\t100\taaaa\tG1\nnote\tb\tqa\tlive\t100\tbbbb\tG2\n"
    ours = base.replace("100\taaaa", "300\tAAAA")
    theirs = base.replace("100\tbbbb", "200\tBBBB")
    lock, problems = parse_lock(ours + theirs, "anki.lock")
    assert not problems and sorted((n.id, n.stamp, n.hash) for n in lock.notes) == [("a", 300, "AAAA"), ("b", 200, "BBBB")]
    text, conflicts = merge_locks(base, ours, theirs)
    assert not conflicts and "\t300\tAAAA\tG1" in text and "\t200\tBBBB\tG2" in text and "\t100\t" not in text
    _, problems = parse_lock("<<<<<<< HEAD\n" + ours + "=======\n" + theirs + ">>>>>>> b\n", "anki.lock")
    assert len(problems) == 3 and "merge conflict marker" in problems[0].message


def test_a_copied_article_folder_is_refused_until_its_lock_goes_then_both_decks_import_apart(content, tmp_path):
    from anki.collection import Collection
    from anki_helpers import import_apkg

    out = tmp_path / "out"
    assert build(content, out).exit_code == 0
    shutil.copytree(content / "mini", content / "week2")  # cp -r questions/mini questions/week2
    edit(content, "title: A Small Article", "title: Week Two", name="../week2/article.md")
    for result in (runner.invoke(app, ["check", str(content)]), build(content, out)):
        assert result.exit_code == 1
        assert "week2/anki.lock:1:1: error: this anki.lock was written for article 'mini', copied with its folder?" in result.output
        assert "change its line 'slug<TAB>mini' to 'slug<TAB>week2' to keep its learners' notes" in result.output  # not "first line": it is the third
        assert not (out / "week2.apkg").exists()
    lines = runner.invoke(app, ["check", str(content)]).output.splitlines()
    assert any("note 'auditor' and 8 more share Anki GUIDs with" in line for line in lines)  # the library-wide check
    (content / "week2" / "anki.lock").unlink()  # the fix the message gives
    assert build(content, out).exit_code == 0 and check(content).exit_code == 0
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        assert len(import_apkg(col, out / "mini.apkg").new) == 9
        log = import_apkg(col, out / "week2.apkg")
        assert len(log.new) == 9 and not log.updated and not log.duplicate
        assert "A Small Article" in col.get_note(col.find_notes("deck:Articles::A*")[0])["Article"]
    finally:
        col.close()


def test_an_older_lock_without_a_slug_line_is_recognised_by_its_guids(content, tmp_path):
    assert build(content, tmp_path / "out").exit_code == 0
    lock = content / "mini" / "anki.lock"
    old = "".join(line for line in lock.read_text(encoding="utf-8").splitlines(True) if not line.startswith("slug\t"))
    lock.write_text(old, encoding="utf-8")
    assert runner.invoke(app, ["check", str(content)]).exit_code == 0  # its GUIDs are mini's
    (content / "mini").rename(content / "renamed")
    result = runner.invoke(app, ["check", str(content)])
    assert result.exit_code == 1 and "written for another article (its GUIDs are not this slug's)" in result.output
    assert "add the line 'slug<TAB>renamed' to keep its learners' notes" in result.output
    # a renamed folder whose learners have the deck: the slug line keeps its notes
    (content / "renamed" / "anki.lock").write_text("slug\trenamed\n" + old, encoding="utf-8")
    assert build(content, tmp_path / "out").exit_code == 0
    assert [line.split("\t")[-1] for line in old.splitlines() if line.startswith("note")] == [
        line.split("\t")[-1] for line in (content / "renamed" / "anki.lock").read_text(encoding="utf-8").splitlines()
        if line.startswith("note")]


def test_a_renamed_or_reused_id_is_named_by_the_build_once(content, tmp_path):
    """A new id loses each learner's reviews of the old one (its Anki note is withdrawn, its study-page
    progress is kept under the old id), and an id given back to another question hands that question
    the old one's card and progress. The build says so, once, at the lock (found by a QA pass: it said
    nothing, and ids are forever only in the docs)."""
    out = tmp_path / "out"
    assert "warning" not in build(content, out).output
    edit(content, "id: opened-when", "id: opened-on")  # a short answer: the same text under a new id
    edit(content, "id: auditor", "id: cost-auditor")  # a multiple choice: its choices are shuffled by id
    result = build(content, out)
    lines = [line for line in result.output.splitlines() if "warning:" in line]
    assert result.exit_code == 0 and len(lines) == 2, result.output
    assert lines[0].startswith(f"{content / 'mini' / 'anki.lock'}:1:1: warning: question 'opened-on' says what "
                               "'opened-when' said, and 'opened-when' is gone: a renamed id?")
    assert "give it back the id 'opened-when'" in lines[0]
    assert "questions gone ('auditor') and new ('cost-auditor') in one build" in lines[1]
    assert "warning" not in build(content, out).output  # said once
    edit(content, "id: cost-auditor", "id: opened-when")  # another question under a withdrawn id
    (line,) = [line for line in build(content, out).output.splitlines() if "warning:" in line]
    assert "question 'opened-when' has the id of a question withdrawn earlier" in line
