"""Incremental builds: the manifest decides what is rebuilt; --force, --only, --jobs, --prune."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from generator import memo
from generator.cli import app
from generator.pipeline.manifest import MANIFEST, Manifest
from generator.pipeline.write import LOCK

runner = CliRunner()


@pytest.fixture
def library(tmp_path, monkeypatch):
    """Three copies of the mini article; the working folder is tmp_path."""
    for slug in ("alpha", "beta", "gamma"):
        shutil.copytree(FIXTURES / "mini", tmp_path / "content" / slug)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path / "content"


def build(*args: str):
    result = runner.invoke(app, ["build", "content", "--out", "out", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def mtimes(folder):
    """Every file's modification time but the build lock's, which each build opens (and so touches)."""
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name != ".quizgen.lock"}


def test_unchanged_inputs_are_skipped(library, tmp_path):
    first = build()
    assert first[-1] == "built 24 outputs of 3 articles, skipped 0 unchanged articles, into out"
    before = mtimes(tmp_path / "out")
    again = build()
    assert again == ["built 0 outputs of 0 articles, skipped 3 unchanged articles, into out"]
    assert mtimes(tmp_path / "out") == before


def test_an_edit_rebuilds_only_its_article(library, tmp_path):
    build()
    q = library / "beta" / "q.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace("When was the bridge opened?", "When did it open?"), encoding="utf-8")
    lines = build()
    assert lines[-1] == "built 4 outputs of 1 article, skipped 2 unchanged articles, into out"
    assert sorted(line.split("/")[-1] for line in lines[:-1] if line.startswith("wrote ")) == sorted(
        ["beta.apkg", "beta-quiz.html", "beta-key.html", "beta-study.html"])  # the index did not change
    assert [line for line in lines if not line.startswith(("wrote ", "built "))] == [
        "updated content/beta/anki.lock (commit it with the questions: it keeps the Anki notes' stamps)"]
    t = library / "alpha" / "article.md"
    t.write_text(t.read_text(encoding="utf-8").replace("title: A Small Article", "title: A New Title"), encoding="utf-8")
    assert "wrote out/index.html" in build()  # a new title is news for the index


def test_touching_a_file_without_changing_it_rebuilds_nothing(library):
    build()
    import os

    os.utime(library / "alpha" / "q.yaml")
    assert build()[-1].startswith("built 0 outputs")


def test_force_and_a_new_tool_rebuild_everything(library, monkeypatch):
    build()
    assert build("--force")[-1] == "built 24 outputs of 3 articles, skipped 0 unchanged articles, into out"
    import generator.pipeline.manifest

    memo.clear()
    monkeypatch.setattr(generator.pipeline.manifest, "__version__", "99.0")
    try:
        # every article is built again; the library's files (index, web app) came out the same
        assert build()[-1] == "built 12 outputs of 3 articles, skipped 0 unchanged articles, into out"
    finally:
        memo.clear()


def test_other_options_rebuild(library):
    build()
    assert build("--versions", "2")[-1].startswith("built 20 outputs of 3 articles")
    assert build("--deck-parent", "Other")[-1].startswith("built 14 outputs of 3 articles")


def test_a_missing_output_is_rebuilt(library, tmp_path):
    build()
    (tmp_path / "out" / "gamma-study.html").unlink()
    lines = build()
    assert "wrote out/gamma-study.html" in lines
    assert lines[-1].startswith("built 1 output of 1 article")


def test_deleted_article_is_reported_stale_then_pruned(library, tmp_path):
    build()
    shutil.rmtree(library / "gamma")
    lines = build()
    stale = [line for line in lines if line.startswith("stale:")]
    assert stale == [f"stale: out/{n} (its article is gone; --prune removes it)" for n in
                     sorted(["gamma.apkg", "gamma-key.html", "gamma-quiz.html", "gamma-study.html",
                             "gamma-study.webmanifest", "gamma-study-icon-192.png", "gamma-study-icon-512.png"])]
    assert "wrote out/index.html" in lines  # the index no longer lists it
    lines = build("--prune")
    assert [line.split(":")[0] for line in lines if ":" in line and not line.startswith("built")] == ["removed"] * 7
    assert not (tmp_path / "out" / "gamma.apkg").exists()
    assert not [line for line in build() if line.startswith(("stale", "removed"))]


def test_only_builds_the_named_outputs(library, tmp_path):
    lines = build("--only", "anki")
    assert lines[-1] == "built 3 outputs of 3 articles, skipped 0 unchanged articles, into out"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [MANIFEST, LOCK, "alpha.apkg", "beta.apkg", "gamma.apkg"]
    assert build()[-1] == "built 21 outputs of 3 articles, skipped 0 unchanged articles, into out"  # the rest, and the web app files


def test_unknown_only_is_a_user_error(library):
    result = runner.invoke(app, ["build", "content", "--out", "out", "--only", "pdf"])
    assert result.exit_code == 2
    assert result.stderr == "quizgen: error: --only pdf is not an output; the outputs are anki, quiz, study, index, moodle, gift, qti, flashcards\n"


def test_quiet_prints_only_the_last_line(library):
    assert len(build("--quiet")) == 1


def test_a_broken_manifest_means_a_full_build(library, tmp_path):
    build()
    (tmp_path / "out" / MANIFEST).write_text("{not json", encoding="utf-8")
    assert Manifest.read(tmp_path / "out").entries == {}
    assert build()[-1].startswith("built 12 outputs of 3 articles")  # and the library's files are the same


def test_jobs_give_the_same_bytes(library, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for jobs, out in (("1", "one"), ("2", "two")):
        done = subprocess.run([sys.executable, "-m", "generator", "build", "content", "--out", out, "--jobs", jobs],
                              capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two and len(one) == 26  # with the lock


def test_problems_in_one_article_with_jobs_write_nothing(library, tmp_path):
    (library / "beta" / "q.yaml").write_text("questions: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["build", "content", "--out", "out", "--jobs", "2"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "content/beta/q.yaml:1:12: error: 'questions' must be a list, not the text '3'"
    assert not (tmp_path / "out").exists()


def test_progress_bar_only_on_a_terminal_and_after_a_second(monkeypatch):
    import io
    import sys
    import time

    from generator.commands import build as cli

    with cli.progress(quiet=False) as update:
        assert update is None  # pytest's stderr is not a terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    with cli.progress(quiet=True) as update:
        assert update is None  # --quiet
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    started = []
    import rich.progress

    real_start = rich.progress.Progress.start
    monkeypatch.setattr(rich.progress.Progress, "start", lambda self: started.append(True) or real_start(self))
    with cli.progress(quiet=False) as update:
        update("articles", 1, 10)
        assert started == []  # a quick build shows nothing
        clock[0] += 1.5
        update("articles", 2, 10)
        assert started == [True]


def test_the_options_fingerprint_covers_every_option_but_those_that_change_no_output():
    from dataclasses import fields

    from generator.outputs.quiz_options import QuizOptions
    from generator.pipeline.build_plan import _NOT_IN_OUTPUTS, Settings

    def settings(**change):
        base = dict(builders={}, deck_parent=None, options=(QuizOptions(),), pdf=None, force=False, prune=False,
                    jobs=None, progress=None)
        return Settings(**{**base, **change})

    same = settings().fingerprint
    assert settings(force=True, prune=True, jobs=4, progress=print).fingerprint == same
    assert settings(pdf="/usr/bin/chromium").fingerprint == settings(pdf="/opt/chrome").fingerprint != same
    assert settings(deck_parent="X").fingerprint != same
    assert settings(options=(QuizOptions(seed="2"),)).fingerprint != same
    assert {f.name for f in fields(Settings)} > _NOT_IN_OUTPUTS
