"""Regression tests of issue 14's attack: a tampered manifest, interrupted commits, faults of the
computer, files that are not files, stale outputs, and the exit-status contract."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

import generator.pipeline.write
from generator.cli import app
from generator.pipeline.manifest import MANIFEST
from generator.pipeline.write import LOCK, STAGING, Stager

runner = CliRunner()
MINI = FIXTURES / "mini"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != LOCK}


def mini_content(tmp_path: Path, monkeypatch) -> Path:
    """The test fixture's article in ./content, built with a fixed SOURCE_DATE_EPOCH (test_hardening2.py too)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shutil.copytree(MINI, tmp_path / "content" / "mini")
    return tmp_path / "content"


@pytest.fixture
def content(tmp_path, monkeypatch):
    return mini_content(tmp_path, monkeypatch)


def build(*args: str):
    return runner.invoke(app, ["build", "content", "--out", "out", "--only", "quiz", "--only", "index", *args])


# 2. --prune never deletes (nor writes) outside --out, whatever the manifest says

@pytest.mark.parametrize("name", ["../victim.txt", "ABSOLUTE", "index.html", "victim.txt"])
@pytest.mark.parametrize("key", ["gone:quiz", "index.html", "gone"])
def test_a_tampered_manifest_cannot_make_prune_delete_anything_else(content, tmp_path, name, key):
    assert build().exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "out" / "victim.txt").write_text("keep me too")
    name = str(victim) if name == "ABSOLUTE" else name
    data = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    data["entries"][key] = {"hash": "x", "outputs": [name], "sums": {}}
    (tmp_path / "out" / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    result = build("--prune")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert (tmp_path / "out" / "victim.txt").read_text() == "keep me too"
    assert (tmp_path / "out" / "index.html").is_file()
    assert "removed" not in result.stdout


def test_prune_still_removes_the_outputs_of_a_deleted_article(content, tmp_path):
    shutil.copytree(content / "mini", content / "other")
    assert build().exit_code == 0
    shutil.rmtree(content / "other")
    result = build("--prune")
    assert "removed: out/other-quiz.html (its article is gone)" in result.stdout
    assert not (tmp_path / "out" / "other-quiz.html").exists()


# 3. the commit is all or nothing, at every rename

def test_a_failure_before_any_rename_of_the_commit_leaves_the_old_set_or_gives_the_new(content, tmp_path, monkeypatch):
    assert build().exit_code == 0
    old = snapshot(tmp_path / "out")
    shutil.copytree(tmp_path / "out", tmp_path / "old")
    question = content / "mini" / "q.yaml"
    question.write_text(question.read_text(encoding="utf-8").replace("When was", "On what day was"), encoding="utf-8")
    shutil.copytree(content / "mini", content / "added")  # a new file too, beside the replaced ones
    real = os.replace
    calls: list[int] = []

    def counting(src, dst):
        calls.append(1)
        if len(calls) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(generator.pipeline.write.os, "replace", counting)
    fail_at = 0
    assert build().exit_code == 0
    new, renames = snapshot(tmp_path / "out"), len(calls)
    assert renames >= 10 and new != old
    for fail_at in range(1, renames + 2):
        shutil.rmtree(tmp_path / "out")
        shutil.copytree(tmp_path / "old", tmp_path / "out")
        calls.clear()
        result = build()
        after = snapshot(tmp_path / "out")
        if fail_at <= renames:
            assert result.exit_code == 74, (fail_at, result.output)
            assert after == old, fail_at
            assert result.stderr.endswith("No space left on device; no output was changed\n"), result.stderr
            assert result.stderr.count("\n") == 1
        else:
            assert result.exit_code == 0 and after == new
        assert not (tmp_path / "out" / STAGING).exists()


def test_a_build_killed_in_its_commit_is_rolled_back_by_the_next(content, tmp_path):
    assert build().exit_code == 0
    old = snapshot(tmp_path / "out")
    question = content / "mini" / "q.yaml"
    question.write_text(question.read_text(encoding="utf-8").replace("When was", "On what day was"), encoding="utf-8")
    script = (
        "import os, sys; import generator.pipeline.write as w; real = os.replace; n = [0]\n"
        "def replace(a, b):\n"
        "    n[0] += 1\n"
        "    if n[0] == 4: os._exit(9)\n"
        "    real(a, b)\n"
        "w.os.replace = replace\n"
        "from generator.cli import main; main(['build', 'content', '--out', 'out', '--only', 'quiz', '--only', 'index'])\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == 9
    assert snapshot(tmp_path / "out") != old  # half committed ...
    with Stager(tmp_path / "out"):  # ... until the next build starts
        assert snapshot(tmp_path / "out") == old
    assert build().exit_code == 0
    assert "On what day was" in (tmp_path / "out" / "mini-quiz.html").read_text(encoding="utf-8")


def test_a_folder_where_an_output_goes_changes_nothing_and_exits_74(content, tmp_path):
    shutil.copytree(content / "mini", content / "zeta")
    assert build().exit_code == 0
    old = snapshot(tmp_path / "out")
    (tmp_path / "out" / "zeta-quiz.html").unlink()
    (tmp_path / "out" / "zeta-quiz.html").mkdir()
    result = build("--force")
    assert result.exit_code == 74
    assert result.stderr == "quizgen: error: out/zeta-quiz.html: is a folder where an output goes; move it away; no output was changed\n"
    assert snapshot(tmp_path / "out") == {k: v for k, v in old.items() if k != "zeta-quiz.html"}


# 5. incremental builds: the bytes read are hashed, outputs verified by hash

def test_an_edit_while_building_is_not_marked_fresh(content, tmp_path, monkeypatch):
    import generator.sources.load  # build.py imports it where an article is built (a no-op rebuild needs no parser)

    real = generator.sources.load.load_article_set
    question = content / "mini" / "q.yaml"

    def edited_meanwhile(folder):
        found = real(folder)  # built from the text as it was ...
        question.write_text(question.read_text(encoding="utf-8").replace("When was", "On what day was"), encoding="utf-8")
        return found  # ... while the file changed after it was hashed

    monkeypatch.setattr(generator.sources.load, "load_article_set", edited_meanwhile)
    assert build().exit_code == 0
    monkeypatch.setattr(generator.sources.load, "load_article_set", real)
    result = build()
    assert "skipped 0 unchanged" in result.stdout
    assert "On what day was" in (tmp_path / "out" / "mini-quiz.html").read_text(encoding="utf-8")


def test_a_truncated_or_altered_output_is_rebuilt(content, tmp_path):
    assert build().exit_code == 0
    quiz = tmp_path / "out" / "mini-quiz.html"
    good = quiz.read_bytes()
    quiz.write_bytes(good[:100])
    assert "skipped 0 unchanged" in build().stdout
    assert quiz.read_bytes() == good
    assert "skipped 1 unchanged" in build().stdout


# 12. faults of the computer: exit 74, one plain line naming the path

def test_an_unwritable_output_folder_exits_74_naming_the_path(content, tmp_path, monkeypatch):
    real = os.open

    def read_only(path, flags, *args):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path, flags, *args)

    monkeypatch.setattr(generator.pipeline.write.os, "open", read_only)
    result = build()
    assert result.exit_code == 74
    assert result.stderr.startswith("quizgen: error: ") and result.stderr.count("\n") == 1
    assert "out/" in result.stderr and result.stderr.endswith(": Read-only file system\n")


def test_an_unreadable_input_exits_74_naming_it(content, monkeypatch):
    import generator.sources.load

    real = os.open

    def unreadable(path, flags, *args):
        if str(path).endswith("q.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *args)

    monkeypatch.setattr(generator.sources.load.os, "open", unreadable)
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 74
    assert result.stderr == "quizgen: error: content/mini/q.yaml: Permission denied\n"


def test_a_file_that_vanishes_during_the_build_exits_74_naming_it(content, monkeypatch):
    import generator.sources.load

    real = generator.sources.load.read_input

    def vanishing(path):
        if path.name == "q.yaml":
            path.unlink()
        return real(path)

    monkeypatch.setattr(generator.sources.load, "read_input", vanishing)
    result = build()
    assert result.exit_code == 74
    assert result.stderr == "quizgen: error: content/mini/q.yaml: No such file or directory\n"
    assert not Path("out").exists()


def test_a_very_long_slug_is_checks_error_and_a_name_the_system_refuses_exits_74_not_70(content, tmp_path):
    (content / "mini").rename(content / ("a" * 250))  # its outputs' names would be too long: check says so
    result = build()
    assert result.exit_code == 1, result.output
    assert f"{'a' * 250}:1:1: error: folder name 'aaaa" in result.stderr and "at most 236 bytes" in result.stderr
    assert not (tmp_path / "out").exists()
    (content / ("a" * 250)).rename(content / "mini")
    result = runner.invoke(app, ["build", "content", "--out", "o" * 256, "--only", "quiz"])
    assert result.exit_code == 74, result.output
    assert "File name too long" in result.stderr and result.stderr.count("\n") == 1


def test_schema_out_a_folder_exits_74(tmp_path):
    result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 74
    assert result.stderr == f"quizgen: error: {tmp_path}: Is a directory\n"


def test_a_deeply_nested_manifest_means_a_full_build(content, tmp_path):
    assert build().exit_code == 0
    (tmp_path / "out" / MANIFEST).write_text("[" * 100_000, encoding="utf-8")
    assert build().exit_code == 0


def test_a_fifo_at_the_manifest_path_does_not_hang(content, tmp_path):
    (tmp_path / "out").mkdir()
    os.mkfifo(tmp_path / "out" / MANIFEST)
    result = build()
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [["check", "content"], ["schema"]])
def test_standard_output_full_or_closed_exits_74_with_a_line(content, command):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "generator", *command], stdout=full, stderr=subprocess.PIPE, text=True, env=env)
    assert done.returncode == 74
    assert done.stderr == "quizgen: error: cannot write the output: standard output: No space left on device\n"
    done = subprocess.run([sys.executable, "-m", "generator", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, env=env, preexec_fn=lambda: os.close(1))
    assert done.returncode == 74
    assert done.stderr == "quizgen: error: standard output is closed; nothing was done\n"


# 13. no silent skips

@pytest.mark.parametrize("kind", ["dangling", "loop", "fifo", "device"])
def test_a_question_file_that_is_not_a_file_is_a_problem(content, kind):
    extra = content / "mini" / "more.yaml"
    if kind == "dangling":
        extra.symlink_to(content / "nowhere.yaml")
        message = "this is a link to a file that does not exist"
    elif kind == "loop":
        extra.symlink_to(extra)
        message = "this is a link that cannot be followed (a loop of links)"
    elif kind == "fifo":
        os.mkfifo(extra)
        message = "this is not a regular file (a pipe, device or folder); quizgen reads only files"
    else:
        extra.symlink_to("/dev/zero")
        message = "this is not a regular file (a pipe, device or folder); quizgen reads only files"
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"content/mini/more.yaml:1:1: error: {message}", "1 problem found."]


def test_a_file_name_that_is_not_utf8_is_a_problem(content):
    shutil.copy(content / "mini" / "q.yaml", os.fsencode(content / "mini") + b"/q\xff.yaml")
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "content/mini:1:1: error: file name 'q\\xff.yaml' is not UTF-8; rename the file"


def test_a_folder_name_ending_in_a_newline_is_not_a_slug(content):
    (content / "mini").rename(content / "mini\n")
    result = build()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("content/mini\\n:1:1: error: folder name 'mini\\n' is not a valid slug")
    assert not (Path("out")).exists()


def test_a_huge_sparse_file_is_refused_without_reading_it(content):
    with open(content / "mini" / "big.yaml", "wb") as f:
        f.truncate(8 * 1024**3)
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 1
    assert "content/mini/big.yaml:1:1: error: file is 8,589,934,592 bytes; the limit is 2,000,000" in result.stderr


def test_a_file_that_grew_after_its_size_was_read_is_read_whole_up_to_the_limit(tmp_path, monkeypatch):
    """read_input reads the size fstat gave and a byte more; a file that grew since is read on, and
    refused once it passes the limit."""
    from generator.errors import ContentError
    from generator.sources import inputs

    real = os.fstat

    def when_it_was_ten_bytes(fd: int) -> os.stat_result:
        found = real(fd)
        return os.stat_result((*found[:6], 10, *found[7:10]))  # st_size is the seventh field

    path = tmp_path / "q.yaml"
    path.write_bytes(b"x" * 5000)
    monkeypatch.setattr(inputs.os, "fstat", when_it_was_ten_bytes)
    assert inputs.read_input(path) == b"x" * 5000
    path.write_bytes(b"x" * (inputs.MAX_BYTES + 5))
    with pytest.raises(ContentError, match="file is 2,000,001 bytes; the limit is 2,000,000"):
        inputs.read_input(path)


# 6. nulls read alike with and without libyaml

@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "python"])
def test_tilde_null_and_empty_are_null(monkeypatch, fast):
    from generator.sources import yaml_compose, yamlsource

    if not fast:
        monkeypatch.setattr(yaml_compose, "_FastLoader", None)
    data, _ = yamlsource.load("a: ~\nb: null\nc:\nd: 'null'\ne: ''\n", "x.yaml")
    assert data == {"a": None, "b": None, "c": None, "d": "null", "e": ""}


def test_an_empty_author_is_no_author(content):
    article = content / "mini" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("author: Ann Writer", "author:\nsubtitle: ~"), encoding="utf-8")
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 0, result.output


# 16. the exit-status contract

@pytest.mark.parametrize("args", [["build", "--jobs", "0"], ["build", "--versions", "27"], ["build", "--paper", "a5"],
                                  ["build", "--bogus"], ["check", "--jobs", "x"]])
def test_usage_errors_exit_2(content, args):
    done = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Error:" in done.stderr


def test_thousands_of_problems_in_one_mapping_are_each_placed(content):
    """Positions come from one index of the mapping's keys, not a search per problem."""
    keys = "".join(f"    extra{i}: x\n" for i in range(3000))
    (content / "mini" / "q.yaml").write_text(
        "questions:\n  - id: a\n    kind: qa\n    tests: event\n    question: Q?\n    answer: A\n" + keys, encoding="utf-8")
    result = runner.invoke(app, ["check", "content"])
    lines = result.stderr.splitlines()
    assert lines[-1] == "3001 problems found."  # each unknown key, and the missing passage
    assert lines[0] == "content/mini/q.yaml:2:5: error: missing required key 'passage'"
    assert lines[1] == "content/mini/q.yaml:7:5: error: unknown key 'extra0'"
    assert lines[3000] == "content/mini/q.yaml:3006:5: error: unknown key 'extra2999'"


def test_an_interrupt_after_the_commit_says_the_outputs_were_written(content, tmp_path, monkeypatch):
    real = generator.pipeline.write.Stager.close

    def interrupted(self):
        real(self)
        if self.committed:
            raise KeyboardInterrupt

    monkeypatch.setattr(generator.pipeline.write.Stager, "close", interrupted)
    result = build()
    assert result.exit_code == 130
    assert result.stderr == "quizgen: interrupted after every output was written into out\n"
    assert (tmp_path / "out" / "mini-quiz.html").is_file()


def test_an_interrupt_before_the_commit_says_nothing_changed(content, tmp_path, monkeypatch):
    import generator.pipeline.build_commit

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.pipeline.build_commit, "_finish", interrupted)
    result = build()
    assert result.exit_code == 130
    assert result.stderr == "quizgen: interrupted; no output was changed.\n"
    assert not (tmp_path / "out").exists()
