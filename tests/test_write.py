"""Safe writes: whole files or none, nothing outside --out, interrupted and concurrent builds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import EnvironmentFault
from generator.outputs import Output
from generator.pipeline import write
from generator.pipeline.write import LOCK, STAGING, Stager, check_names

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


def write_outputs(folder: Path, outputs: list[Output]) -> list[Path]:
    """Write every output into `folder` as a build does: all staged first, then put in place."""
    with Stager(folder) as stager:
        stager.stage(outputs)
        return stager.commit()


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "a/b.html", "..", ".hidden", "a\\b", ""])
def test_output_names_stay_inside_the_folder(name):
    with pytest.raises(ValueError):
        check_names([Output(name, b"")])


def test_two_outputs_may_not_share_a_name():
    with pytest.raises(ValueError, match="both named"):
        check_names([Output("a.html", b"1"), Output("a.html", b"2")])


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def staged(folder: Path) -> list[str]:
    """The files a running build has written into its staging folder so far."""
    try:
        return [p.name for p in (folder / STAGING).iterdir()]
    except OSError:
        return []


def test_a_failure_while_writing_changes_nothing(tmp_path, monkeypatch):
    write_outputs(tmp_path, [Output("a.html", b"old a"), Output("b.html", b"old b")])
    real_write = write._write_file
    calls = []

    def failing_write(path, data, **options):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_write(path, data, **options)

    monkeypatch.setattr(write, "_write_file", failing_write)
    with pytest.raises(OSError):
        write_outputs(tmp_path, [Output("a.html", b"new a"), Output("b.html", b"new b")])
    assert (tmp_path / "a.html").read_bytes() == b"old a"
    assert (tmp_path / "b.html").read_bytes() == b"old b"
    assert temporaries(tmp_path) == []


def test_a_failure_to_sync_changes_nothing(tmp_path, monkeypatch):
    write_outputs(tmp_path, [Output("a.html", b"old a"), Output("b.html", b"old b")])

    def failing_sync(folder, paths):
        raise OSError(5, "Input/output error", str(folder))

    monkeypatch.setattr(write, "sync_files", failing_sync)
    with pytest.raises(EnvironmentFault, match="no output was changed"):
        write_outputs(tmp_path, [Output("a.html", b"new a"), Output("b.html", b"new b")])
    assert (tmp_path / "a.html").read_bytes() == b"old a"
    assert (tmp_path / "b.html").read_bytes() == b"old b"
    assert temporaries(tmp_path) == []


def test_a_commit_waits_for_the_disk_once_before_it_renames_anything(tmp_path, monkeypatch):
    write_outputs(tmp_path, [Output("a.html", b"old a")])
    events: list[tuple[str, object]] = []
    real_sync, real_replace, real_fsync = write.sync_files, os.replace, os.fsync

    def sync(folder, paths):
        events.append(("sync", sorted(p.name for p in paths)))
        real_sync(folder, paths)

    def replace(a, b):
        events.append(("rename", Path(b).name))
        real_replace(a, b)

    def fsync(fd):
        events.append(("fsync", fd))
        real_fsync(fd)

    monkeypatch.setattr(write, "sync_files", sync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    write_outputs(tmp_path, [Output("a.html", b"new a"), Output("b.html", b"new b"), Output("c.html", b"new c")])
    assert events[0] == ("sync", [".journal.new", "a.html", "b.html", "c.html"])
    kinds = [e[0] for e in events[1:]]
    assert kinds == ["fsync"] * 5 + ["rename"] * 5  # four files and the staging folder, then the journal, a.html aside, a, b, c
    assert events[-3:] == [("rename", "a.html"), ("rename", "b.html"), ("rename", "c.html")]
    assert [(p.name, p.read_bytes()) for p in sorted(tmp_path.glob("*.html"))] == [
        ("a.html", b"new a"), ("b.html", b"new b"), ("c.html", b"new c")]


@pytest.mark.parametrize("count", [3, 12])
def test_sync_files_flushes_those_files_and_their_folder_never_the_whole_file_system(tmp_path, monkeypatch, count):
    paths = [tmp_path / f"{n}.html" for n in range(count)]
    for path in paths:
        path.write_bytes(b"x")
    flushed: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(os.fstat(fd).st_ino), real_fsync(fd))[1])
    write.sync_files(tmp_path, paths)
    expected = {p.stat().st_ino for p in paths} | ({tmp_path.stat().st_ino} if os.name == "posix" else set())
    assert sorted(flushed) == sorted(expected)  # each file once, the folder once, nothing else
    assert not hasattr(write, "_syncfs")  # syncfs(2) waited for every other program's unwritten data


def test_a_preview_build_does_not_wait_for_the_disk(tmp_path, monkeypatch):
    calls: list[object] = []
    monkeypatch.setattr(write, "sync_files", lambda folder, paths: calls.append(paths))
    with write.Stager(tmp_path, durable=False) as stager:
        stager.stage([Output("a.html", b"a")])
        stager.commit()
    assert calls == [] and (tmp_path / "a.html").read_bytes() == b"a"
    write_outputs(tmp_path, [Output("a.html", b"b")])
    assert len(calls) == 1  # a real build still flushes before renaming


def test_what_a_killed_build_staged_is_removed_and_a_users_hidden_files_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / STAGING).mkdir()
    (tmp_path / STAGING / "x.html").write_bytes(b"half")
    users = [tmp_path / f".notes.{dead.pid}-ab12.tmp", tmp_path / f".y.html.{os.getpid()}-cd34.tmp"]
    for path in users:
        path.write_bytes(b"mine")
    (tmp_path / ".cache.1-ab.tmp").mkdir()  # a folder named like an old temporary file
    write_outputs(tmp_path, [Output("a.html", b"a")])
    assert not (tmp_path / STAGING).exists()
    assert all(path.read_bytes() == b"mine" for path in users)
    assert (tmp_path / ".cache.1-ab.tmp").is_dir()


def test_a_second_build_waits_for_the_lock_of_the_first(tmp_path):
    from filelock import FileLock

    write_outputs(tmp_path, [Output("a.html", b"old")])
    holder = FileLock(str(tmp_path / LOCK))
    holder.acquire()
    try:
        other = subprocess.Popen([sys.executable, "-c", (
            "import sys; from pathlib import Path; from generator.outputs import Output; "
            "from generator.pipeline.write import Stager\n"
            "with Stager(Path(sys.argv[1])) as stager:\n    stager.stage([Output('a.html', b'new')]); stager.commit()"
        ), str(tmp_path)], env={**os.environ, "PYTHONPATH": str(ROOT)})
        with pytest.raises(subprocess.TimeoutExpired):
            other.wait(timeout=1.5)
        assert (tmp_path / "a.html").read_bytes() == b"old"
    finally:
        holder.release()
    assert other.wait(timeout=30) == 0
    assert (tmp_path / "a.html").read_bytes() == b"new"


def test_out_that_is_a_file_is_a_user_error(tmp_path, monkeypatch):
    shutil.copytree(BUNDLED, tmp_path / "content" / BUNDLED.name)
    (tmp_path / "file").write_text("not a folder")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "content"), "--out", str(tmp_path / "file")])
    assert result.exit_code == 2
    assert result.stderr == f"quizgen: error: --out {tmp_path / 'file'} is a file, not a folder\n"


def library(tmp_path: Path, articles: int) -> Path:
    """A content folder with copies of the bundled article under other slugs."""
    content = tmp_path / "content"
    for i in range(articles):
        shutil.copytree(BUNDLED, content / f"article-{i:02d}", ignore=shutil.ignore_patterns("anki.lock"))  # each its own notes
    return content


def edit_every_article(content: Path) -> None:
    for events in content.glob("*/events.yaml"):
        text = events.read_text(encoding="utf-8")
        events.write_text(text.replace("What kind of talks did", "Which talks did"), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def build_cmd(content: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", str(content), "--out", str(out)]


def env(epoch: int) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_build_leaves_earlier_outputs_byte_identical(tmp_path, how):
    content = library(tmp_path, 30)
    out = tmp_path / "out"
    subprocess.run(build_cmd(content, out), env=env(1_700_000_000), check=True, capture_output=True)
    before = snapshot(out)
    edit_every_article(content)
    build = subprocess.Popen(build_cmd(content, out), env=env(1_800_000_000), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not staged(out):  # kill it while it is writing its temporary files
        assert build.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.0005)
    build.send_signal(how)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == (-signal.SIGKILL if how == signal.SIGKILL else 130), stderr
    after = {name: data for name, data in snapshot(out).items() if not name.endswith(".tmp")}
    assert after == before  # every earlier output byte-identical, nothing half-written
    if how == signal.SIGTERM:
        assert temporaries(out) == []  # cleaned up on the way out
        assert b"interrupted" in stderr
    # the next build removes what a killed one left, and writes the new outputs
    subprocess.run(build_cmd(content, out), env=env(1_800_000_000), check=True, capture_output=True)
    assert temporaries(out) == []
    assert snapshot(out) != before


def test_two_builds_into_one_folder_at_once(tmp_path):
    content = library(tmp_path, 20)  # enough for worker processes
    serial = tmp_path / "serial"
    subprocess.run(build_cmd(content, serial), env=env(1_700_000_000), check=True, capture_output=True)
    out = tmp_path / "out"
    builds = [subprocess.Popen(build_cmd(content, out), env=env(1_700_000_000), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE) for _ in range(2)]
    for b in builds:
        _, err = b.communicate(timeout=300)
        assert b.returncode == 0, err
    assert temporaries(out) == []
    assert snapshot(out) == snapshot(serial)


def test_two_clean_builds_are_byte_identical_in_every_format(tmp_path):
    content = library(tmp_path, 2)
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        subprocess.run(build_cmd(content, out), env=env(1_700_000_000), check=True, capture_output=True)
    a, b = snapshot(first), snapshot(second)
    assert {Path(n).suffix for n in a} >= {".apkg", ".html"}
    assert any(n.endswith("-study.html") for n in a) and "index.html" in a
    assert a == b


@pytest.mark.parametrize("name", ["a:b.html", "a\nb.html", "a\udcffb.html", "a\tb", "\x7f"])
def test_names_that_are_not_plain_file_names_are_refused(name):
    from generator.pipeline.write import safe_name

    assert not safe_name(name) and not safe_name(name, hidden=True)


def test_only_bookkeeping_may_be_hidden():
    from generator.pipeline.write import safe_name

    assert safe_name("mini-quiz.html") and safe_name(".quizgen-manifest.json", hidden=True)
    assert not safe_name(".quizgen-manifest.json")
    assert not safe_name(3) and not safe_name(None)

