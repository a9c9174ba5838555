"""Regression tests of issue 28's attack: readers of outputs after a killed commit, interrupts,
exits a user can meet, and stale outputs of earlier option sets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_hardening import build, mini_content, runner, snapshot

import generator.pipeline.build
import generator.pipeline.write
from generator.cli import app
from generator.pipeline.write import LOCK, STAGING


@pytest.fixture
def content(tmp_path, monkeypatch):
    return mini_content(tmp_path, monkeypatch)


def edit(content: Path) -> None:
    question = content / "mini" / "q.yaml"
    question.write_text(question.read_text(encoding="utf-8").replace("When was", "On what day was"), encoding="utf-8")


sys.path.insert(0, str(ROOT / "bench"))
from killsweep import KILL_AT  # noqa: E402 (the bench's own killing build: os._exit at the Nth rename)


def killed_build(tmp_path: Path, at: int, *args: str) -> None:
    done = subprocess.run([sys.executable, "-c", KILL_AT, str(at), "build", "content", "--out", "out", *args],
                          cwd=tmp_path, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 9, done.stderr


# 3. every command that reads outputs puts a killed commit back first

def test_serve_puts_back_a_commit_killed_midway_before_serving(content, tmp_path):
    from generator.tools.serve import Site

    assert build().exit_code == 0
    old = snapshot(tmp_path / "out")
    edit(content)
    killed_build(tmp_path, 3, "--only", "quiz", "--only", "index")
    assert snapshot(tmp_path / "out") != old  # a new quiz beside an old key
    site = Site(tmp_path / "out", teacher=True)
    assert snapshot(tmp_path / "out") == old
    assert site.answer("/mini-quiz.html").body == old["mini-quiz.html"]
    assert not (tmp_path / "out" / STAGING).exists()


def test_a_request_during_a_commit_waits_for_it_or_is_told_to_reload(content, tmp_path, monkeypatch):
    from filelock import FileLock

    import generator.tools.serve
    from generator.tools.serve import Site

    assert build().exit_code == 0
    site = Site(tmp_path / "out", teacher=True)
    (tmp_path / "out" / STAGING).mkdir()
    (tmp_path / "out" / STAGING / ".journal.json").write_text('{"outputs": []}')
    monkeypatch.setattr(generator.tools.serve, "SETTLE_WAIT", 0.05)
    with FileLock(str(tmp_path / "out" / LOCK)):  # a build is committing
        answer = site.answer("/mini-quiz.html")
    assert answer.status == 503 and b"reload in a moment" in answer.body
    assert site.answer("/mini-quiz.html").status == 200  # the build went away: its commit is undone
    assert not (tmp_path / "out" / STAGING).exists()


def test_mark_puts_back_a_commit_killed_midway_before_reading_the_teacher_files(content, tmp_path):
    assert runner.invoke(app, ["build", "content", "--out", "out", "--only", "quiz", "--answer-sheet",
                               "--versions", "2"]).exit_code == 0
    old = snapshot(tmp_path / "out")
    edit(content)
    killed_build(tmp_path, 5, "--only", "quiz", "--answer-sheet", "--versions", "2")
    assert snapshot(tmp_path / "out") != old
    runner.invoke(app, ["mark", "missing.pdf", "--key", "out"])
    assert snapshot(tmp_path / "out") == old


def test_a_lock_temporary_left_by_a_kill_is_removed_by_the_next_build(content, tmp_path):
    leftover = content / "mini" / ".anki.lock.0123456789ab.tmp"
    leftover.write_text("half")
    users = content / "mini" / ".anki.lock.notes.tmp"  # not one of quizgen's names: kept
    users.write_text("mine")
    assert runner.invoke(app, ["build", "content", "--out", "out", "--only", "anki"]).exit_code == 0
    assert not leftover.exists() and users.read_text() == "mine"


def test_a_failed_commit_puts_the_lock_back_as_the_message_says(content, tmp_path, monkeypatch):
    assert runner.invoke(app, ["build", "content", "--out", "out", "--only", "anki"]).exit_code == 0
    lock = (content / "mini" / "anki.lock").read_bytes()
    edit(content)

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.pipeline.write.Stager, "commit", interrupted)
    result = runner.invoke(app, ["build", "content", "--out", "out", "--only", "anki"])
    assert result.exit_code == 130 and result.stderr == "quizgen: interrupted; no output was changed.\n"
    assert (content / "mini" / "anki.lock").read_bytes() == lock


def test_a_folder_named_anki_lock_is_one_line_naming_it(content):
    (content / "mini" / "anki.lock").mkdir()
    result = runner.invoke(app, ["build", "content", "--out", "out", "--only", "anki"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("content/mini/anki.lock:1:1: error: this is not a regular file")


def test_the_kill_sweep_sees_no_mixed_set():
    """bench/killsweep.py's share: a few kill points and signals (the bench runs every point and 60 signals)."""
    import killsweep

    sweep = killsweep.run(3, kill_points=3)
    assert sweep.runs == 7
    assert sweep.mixed == {"serve": 0, "mark": 0, "next build": 0}
    assert sweep.bad_exits == []


# 2 and 5. every reader of a user's file is bounded and refuses what is not a file

REVIEW_HEADER = "scan,page,student,version,question,row,problem,read,fills,decision\n"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "utf-16-be"])
def test_a_review_file_saved_by_excel_reads_in_any_of_its_encodings(tmp_path, encoding):
    from generator.tools.mark.review import read_decisions

    review = tmp_path / "review.csv"
    review.write_bytes((REVIEW_HEADER + "s.pdf,1,123,A,3,score,light,,,½\n").encode(encoding))
    assert read_decisions(review).plain() == {("s.pdf", 1, "3", "score"): "½"}


def test_a_review_file_with_semicolons_and_a_huge_field_reads(tmp_path):
    from generator.tools.mark.review import read_decisions

    review = tmp_path / "review.csv"
    review.write_text(REVIEW_HEADER.replace(",", ";") + f's.pdf;1;123;A;3;a;"{"x" * 200_000}";;;B\n', encoding="utf-8")
    assert read_decisions(review).plain() == {("s.pdf", 1, "3", "a"): "B"}


@pytest.fixture
def sheets(content, tmp_path):
    result = runner.invoke(app, ["build", "content", "--out", "out", "--only", "quiz", "--answer-sheet"])
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def mark(*args: str):
    return runner.invoke(app, ["mark", *args])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_review_or_scan_is_refused_without_waiting(sheets, tmp_path):
    os.mkfifo(tmp_path / "review.csv")
    result = mark("scan.png", "--key", "out", "--review", "review.csv")
    assert result.exit_code == 2
    assert result.stderr == "quizgen: error: review.csv: is not a regular file (a pipe, device or socket); give a file\n"
    from generator.sources.userfiles import Refused
    from generator.tools.mark.scans import load_page

    os.mkfifo(tmp_path / "p.png")
    with pytest.raises(Refused, match="not a regular file"):
        load_page(tmp_path / "p.png", 1)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_teacher_file_linked_to_dev_zero_is_refused(sheets):
    (sheets / "zz-sheet.json").symlink_to("/dev/zero")
    result = mark("scan.png", "--key", "out")
    assert result.exit_code == 2
    assert result.stderr == "quizgen: error: out/zz-sheet.json: is not a regular file (a pipe, device or socket); give a file\n"


def test_a_deeply_nested_teacher_file_is_refused(sheets):
    (sheets / "zz-sheet.json").write_text("[" * 100_000 + "]" * 100_000)
    result = mark("scan.png", "--key", "out")
    assert result.exit_code == 2 and result.stderr == "quizgen: error: out/zz-sheet.json: is nested more than 64 levels deep\n"


@pytest.mark.parametrize("text, toml, deepest", [
    ('{"a": [1, {"b": [2]}], "c": {}}', False, 4),
    ('{"a": "[[[[{{{{", "b": "\\"[["}', False, 1),  # brackets in strings, an escaped quote among them
    ("]]}[{", False, 2),  # a closer with nothing open is passed over
    ("x = [[1], '[[[['] # [[[[[\ny = \"\"\"{{{{\"\"\"", True, 2),  # TOML: its strings and comments left out
    ("", False, 0),
])
def test_nesting_depth_counts_brackets_outside_strings(text, toml, deepest):
    from generator.sources.userfiles import depth

    assert depth(text, toml=toml) == deepest


def test_an_image_of_too_many_pixels_is_refused_from_its_header(tmp_path):
    import struct
    import zlib

    from generator.sources.userfiles import Refused
    from generator.tools.mark.scans import load_page

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)) + chunk(b"IEND", b"")
    (tmp_path / "big.png").write_bytes(png)
    with pytest.raises(Refused, match="30000 × 30000 pixels"):
        load_page(tmp_path / "big.png", 1)


def test_a_pdf_with_a_huge_page_is_refused_before_rendering(tmp_path):
    import pypdfium2 as pdfium

    from generator.sources.userfiles import Refused
    from generator.tools.mark.scans import load_page

    document = pdfium.PdfDocument.new()
    document.new_page(14400, 14400)
    document.save(str(tmp_path / "huge.pdf"))
    with pytest.raises(Refused, match="14400 × 14400 points"):
        load_page(tmp_path / "huge.pdf", 1)


@pytest.mark.parametrize("text, status, message", [
    ("\ufeffversions = 2\n", 0, None),
    ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", 1, "quizgen.toml:1:1: error: is nested more than 64 levels deep"),
])
def test_the_configuration_file_with_a_bom_reads_and_a_deep_one_is_refused(content, text, status, message):
    Path("quizgen.toml").write_text(text, encoding="utf-8")
    result = build()
    assert result.exit_code == status, result.output
    if message:
        assert result.stderr.splitlines()[0] == message


# 6. user mistakes are problems (exit 1), not internal errors (70)

def test_two_articles_writing_one_file_name_are_a_problem(content):
    shutil.copytree(content / "mini", content / "mini-quiz")
    result = build("--append-key")
    assert result.exit_code == 1, result.output
    assert "error: another article also writes mini-quiz-key.html with these options; rename one of the two " \
           "article folders" in result.stderr


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the file system must take a name that is not UTF-8")
def test_a_question_file_name_that_is_not_utf8_fails_build_as_check(content):
    os.rename(content / "mini" / "q.yaml", os.fsencode(content / "mini") + b"/\xff.yaml")
    result = build()
    assert result.exit_code == 1, result.output
    assert result.stderr == "content/mini:1:1: error: file name '\\xff.yaml' is not UTF-8; rename the file\n1 problem found.\n"


# 7. control characters are escaped in everything quizgen prints or logs

def test_check_escapes_the_contents_control_characters(content):
    """A question file cannot hold one (an escape that makes one is an error); an article can, and the
    messages that quote it escape it."""
    question = content / "mini" / "q.yaml"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("passage: The mayor opened the new bridge on Monday, 3 March 2025",
                                     'passage: "The mayor \\e]0;owned\\a opened"', 1), encoding="utf-8")
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "text holds the control character U+001B" in result.stderr
    question.write_text(text, encoding="utf-8")
    article = content / "mini" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("The mayor opened", "The mayor \x1b]0;owned\x07 opened", 1),
                       encoding="utf-8")
    result = runner.invoke(app, ["check", "content"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert 'the article has "mayor \\x1b]0;owned\\x07 opened"' in result.stderr, result.stderr


def test_serves_request_log_escapes_what_the_network_sends(content, tmp_path, capsys):
    import socket
    import threading

    from generator.commands.serve import request_log
    from generator.tools.serve import Site, StudyServer

    assert build().exit_code == 0
    server = StudyServer(Site(tmp_path / "out"), "127.0.0.1", 0, log=request_log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(b"GET /\x1b]52;c;cHduZWQ=\x07\x9b2J HTTP/1.0\r\n\r\n")
            while s.recv(4096):
                pass
    finally:
        server.shutdown()
        server.server_close()
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\x9b" not in err
    assert "\\x1b]52;c;cHduZWQ=\\x07" in err


# 12. a closed pipe is exit 74 with a line, as the README's table says

def test_a_broken_pipe_exits_74_with_one_line(content, tmp_path):
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run([sys.executable, "-m", "generator", "build", "content", "--out", "out", "--only", "quiz"],
                          stdout=write, stderr=subprocess.PIPE, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(write)
    assert done.returncode == 74
    assert done.stderr == b"quizgen: error: cannot write the output: standard output: Broken pipe\n"


# 9. the staging journal and the manifest are trusted only after validation

def plant_journal(out: Path, outputs: list, sums: dict | None = None) -> Path:
    staging = out / STAGING
    staging.mkdir()
    record = {"outputs": outputs, **({"sums": sums} if sums is not None else {})}
    (staging / ".journal.json").write_text(__import__("json").dumps(record))
    return staging


def test_a_planted_journal_deletes_no_users_file_and_moves_nothing_in_from_outside(content, tmp_path):
    assert build().exit_code == 0
    out = tmp_path / "out"
    (out / "notes.txt").write_text("the teacher's own notes")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "index.html").write_text("planted page")
    staging = plant_journal(out, [["notes.txt", False], ["index.html", True]], {"notes.txt": "0" * 64})
    (staging / ".old").symlink_to(outside)
    before = snapshot(out)
    result = build()
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text() == "the teacher's own notes"
    assert snapshot(out) == before and (outside / "index.html").read_text() == "planted page"


def test_a_planted_manifest_entry_cannot_make_serve_hand_a_key_to_students(content, tmp_path):
    import json

    from generator.pipeline.manifest import MANIFEST
    from generator.tools.serve import Site

    assert runner.invoke(app, ["build", "content", "--out", "out", "--only", "quiz", "--only", "study",
                               "--answer-sheet"]).exit_code == 0
    data = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    data["entries"]["mini:study"]["outputs"] += ["mini-key.html", "mini-sheet.json"]
    (tmp_path / "out" / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    site = Site(tmp_path / "out")
    assert site.answer("/mini-key.html").status == 403
    assert site.answer("/mini-sheet.json").status == 403
    assert site.answer("/mini-study.html").status == 200
    assert "mini-key.html" not in site.served()


# 10 and issue 27 item 6: outputs of earlier options are tracked, reported and pruned

def full_build(*args: str):
    return runner.invoke(app, ["build", "content", "--out", "out", *args])


def test_versions_pdfs_and_sheets_then_a_plain_build_then_a_deleted_article_then_prune_leave_exactly_the_current_outputs(
        content, tmp_path):
    from generator.outputs.pdf import find_chromium

    if find_chromium() is None:
        if os.environ.get("QUIZGEN_REQUIRE_BROWSER"):
            pytest.fail("QUIZGEN_REQUIRE_BROWSER is set and there is no Chromium on the PATH")
        pytest.skip("no Chromium on the PATH (Debian: apt-get install chromium)")
    shutil.copytree(content / "mini", content / "other")
    # in its own process: Playwright's sync API cannot run inside another test's event loop
    subprocess.run([sys.executable, "-m", "generator", "build", "content", "--out", "out", "--versions", "2", "--pdf",
                    "--answer-sheet", "-q"], cwd=tmp_path, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    earlier = {p.name for p in (tmp_path / "out").iterdir()}
    result = full_build("-q")
    assert result.exit_code == 0, result.output
    stale = sorted(line.split(" ")[1].removeprefix("out/") for line in result.stdout.splitlines() if line.startswith("stale:"))
    current = {p.name for p in (tmp_path / "out").iterdir()} - set(stale)
    assert stale == sorted(earlier - current)  # every file of the earlier options, and only those, listed
    assert {"mini-key-A.pdf", "mini-sheet-B.json", "other-quiz-B.html"} <= set(stale)
    assert "(made with other options than this build's; --prune removes it)" in result.stdout
    assert full_build("-q").stdout.count("stale:") == len(stale)  # still listed on the next build
    shutil.rmtree(content / "other")
    assert full_build("--prune", "-q").exit_code == 0
    shutil.copytree(content, tmp_path / "alone")
    assert runner.invoke(app, ["build", "alone", "--out", "fresh", "-q"]).exit_code == 0
    assert snapshot(tmp_path / "out").keys() == snapshot(tmp_path / "fresh").keys()
    assert {n: d for n, d in snapshot(tmp_path / "out").items() if not n.startswith(".")} == \
           {n: d for n, d in snapshot(tmp_path / "fresh").items() if not n.startswith(".")}


def test_prune_keeps_a_stale_file_the_teacher_changed_and_says_so(content, tmp_path):
    assert build("--versions", "2").exit_code == 0
    assert build().exit_code == 0
    edited = tmp_path / "out" / "mini-key-A.html"
    edited.write_text(edited.read_text(encoding="utf-8") + "<!-- my notes -->", encoding="utf-8")
    result = build("--prune")
    assert result.exit_code == 0, result.output
    assert "kept: out/mini-key-A.html (made with other options than this build's, but changed since quizgen wrote " \
           "it: delete it yourself if it is not needed)" in result.stdout
    assert "removed: out/mini-key-B.html (made with other options than this build's)" in result.stdout
    assert edited.is_file() and not (tmp_path / "out" / "mini-key-B.html").exists()


def test_stale_files_are_neither_served_nor_listed_in_the_index(content, tmp_path):
    from generator.tools.serve import Site

    assert build("--versions", "2").exit_code == 0
    assert build().exit_code == 0
    site = Site(tmp_path / "out", teacher=True)
    assert "mini-quiz-A.html" not in site.served() and "mini-quiz.html" in site.served()
    assert "mini-quiz-A.html" not in (tmp_path / "out" / "teacher.html").read_text(encoding="utf-8")


# 11. serve: idle connections let go, a bounded number of threads, the live preview's channel on this computer

def test_serve_lets_idle_connections_go_and_never_runs_more_than_its_threads(content, tmp_path, monkeypatch):
    import socket
    import threading
    import urllib.request

    import generator.tools.serve
    from generator.tools.serve import Handler, Site, StudyServer

    assert build().exit_code == 0
    monkeypatch.setattr(Handler, "timeout", 0.5)
    monkeypatch.setattr(generator.tools.serve, "MAX_THREADS", 4)
    server = StudyServer(Site(tmp_path / "out", teacher=True), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(20)]
    try:
        for s in idle:
            s.sendall(b"GET / HTTP/1.1\r\n")  # half a request, then silence
        peak = before
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/mini-quiz.html", timeout=30) as reply:
            peak = max(peak, threading.active_count())
            assert reply.status == 200  # answered once the idle ones timed out
        assert peak <= before + 4
        assert idle[0].recv(10) == b""  # closed by the server
    finally:
        for s in idle:
            s.close()
        server.shutdown()
        server.server_close()


def test_the_live_preview_channel_answers_only_this_computer_unless_teacher(content, tmp_path):
    from generator.tools.watch import ENDPOINT, Rebuilder, WatchSite

    assert build().exit_code == 0
    rebuilder = Rebuilder(content, tmp_path / "out", lambda: None, lambda line: None)
    site = WatchSite(tmp_path / "out", rebuilder)
    assert site.answer(f"{ENDPOINT}?since=-5", local=True).status == 200
    assert site.answer(f"{ENDPOINT}?since=-5", local=False).status == 403
    assert b"__quizgen" not in site.answer("/", local=False).body  # no script asking in vain
    assert b"__quizgen" in site.answer("/", local=True).body
    teacher = WatchSite(tmp_path / "out", rebuilder, teacher=True)
    assert teacher.answer(f"{ENDPOINT}?since=-5", local=False).status == 200


# 4. template sizes bounded before allocating; budgets of steps per file and per build

@pytest.mark.parametrize("text, message", [
    ("{{ '%999999999d' % 1 }}", "a width or precision above 10,000 in '%' formatting is not allowed"),
    ("{{ '%.999999999f' % 1 }}", "a width or precision above 10,000 in '%' formatting is not allowed"),
    ("{{ '%*d' % (999999999, 1) }}", "a width or precision above 10,000 in '%' formatting is not allowed"),
    ("{{ a.replace('', a) }}", "a value in the template would have more than 10,000 characters"),
    ("{{ a|replace('', a) }}", "a value in the template would have more than 10,000 characters"),
    ("{{ a.join(a) }}", "a value in the template would have more than 10,000 characters"),
    ("{{ [a, a]|join(a) }}", "a value in the template would have more than 10,000 characters"),
])
def test_a_template_bomb_is_refused_before_it_allocates(text, message):
    import tracemalloc

    from generator.sources import templates

    pattern = {"id": "x", "kind": "qa", "question": text, "answer": "a"}
    fields, errors = templates.compile_pattern(pattern)
    assert errors == []
    tracemalloc.start()
    try:
        with pytest.raises(templates.PatternError) as caught:
            templates.render(pattern, fields, {"a": "x" * 5_000})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message in caught.value.message
    assert peak < 5_000_000  # a few megabytes, not the gigabytes the result would take


def test_a_files_templates_share_one_budget_of_steps(monkeypatch):
    from generator.sources import templates

    monkeypatch.setattr(templates, "MAX_FILE_STEPS", 3_000)
    pattern = {"id": "x", "kind": "qa", "question": "{% for i in range(900) %}{% endfor %}{{ a }}", "answer": "a"}
    fields, _ = templates.compile_pattern(pattern)
    templates.new_file()
    for _ in range(3):  # each row within its own budget of 100,000, and the file's 3,000 in all
        templates.render(pattern, fields, {"a": "x"})
    with pytest.raises(templates.PatternError, match="the templates of this file take more than 3,000 steps in all"):
        templates.render(pattern, fields, {"a": "x"})
    templates.new_file()
    templates.render(pattern, fields, {"a": "x"})  # the next file starts afresh


def test_a_builds_templates_share_one_budget_of_steps(monkeypatch):
    from generator.sources import templates

    monkeypatch.setattr(templates, "MAX_BUILD_STEPS", 2_000)
    pattern = {"id": "x", "kind": "qa", "question": "{% for i in range(900) %}{% endfor %}{{ a }}", "answer": "a"}
    fields, _ = templates.compile_pattern(pattern)
    templates.new_build()
    templates.new_file()
    templates.render(pattern, fields, {"a": "x"})
    templates.new_file()
    templates.render(pattern, fields, {"a": "x"})
    templates.new_file()
    with pytest.raises(templates.PatternError, match="the templates of this build take more than 2,000 steps in all"):
        templates.render(pattern, fields, {"a": "x"})
    templates.new_build()


# 12. the smaller ones

def test_a_full_disk_names_the_file(content, tmp_path, monkeypatch):
    import errno

    real = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *args):
            self.f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(generator.pipeline.write.os, "fdopen", lambda fd, mode, *a: Full(real(fd, mode)) if "w" in mode else real(fd, mode, *a))
    result = build()
    assert result.exit_code == 74
    assert result.stderr.startswith("quizgen: error: out/.quizgen-staging.tmp/") or "/out/.quizgen-staging.tmp/" in result.stderr
    assert result.stderr.endswith(": No space left on device\n")


def test_a_nul_from_an_escape_is_a_problem_at_its_place(content):
    question = content / "mini" / "q.yaml"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("answer: Monday, 3 March 2025", 'answer: "Monday\\0, 3 March 2025"', 1), encoding="utf-8")
    result = build()
    assert result.exit_code == 1
    assert 'content/mini/q.yaml:6:13: error: text holds a NUL character (an escape such as "\\0"); remove it' in result.stderr


@pytest.mark.parametrize("escape, code", [("\\e", "001B"), ("\\x01", "0001"), ("\\v", "000B"), ("\\b", "0008")])
def test_a_control_character_from_an_escape_is_a_problem_at_its_place(content, escape, code):
    """Moodle's and QTI's XML files holding one were unreadable (found by a QA pass of the exports)."""
    question = content / "mini" / "q.yaml"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("answer: Monday, 3 March 2025", f'answer: "Monday{escape}, 3 March 2025"', 1), encoding="utf-8")
    result = build()
    assert result.exit_code == 1
    assert f"content/mini/q.yaml:6:13: error: text holds the control character U+{code} " in result.stderr


def test_tabs_and_line_ends_from_escapes_are_text(content):
    question = content / "mini" / "q.yaml"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("answer: Monday, 3 March 2025", 'answer: "Monday,\\t3\\nMarch 2025"', 1), encoding="utf-8")
    result = build()
    assert result.exit_code == 0, result.output


def test_a_control_character_in_the_article_is_a_problem_at_its_place(content):
    article = content / "mini" / "article.md"
    text = article.read_text(encoding="utf-8")
    first = next(n for n, line in enumerate(text.splitlines(), 1) if "The mayor opened" in line)
    article.write_text(text.replace("The mayor opened", "The\x0c mayor\x1b opened", 1), encoding="utf-8")
    result = build()
    assert result.exit_code == 1
    start = text.splitlines()[first - 1].index("The mayor opened")
    # the first of each line: the form feed (which XML refuses too: the Moodle file held one, and was no XML)
    assert f"content/mini/article.md:{first}:{start + 4}: error: the text holds the control character U+000C" in result.stderr
    article.write_text(text.replace("The mayor opened", "The mayor\x1b opened", 1), encoding="utf-8")
    result = build()
    assert result.exit_code == 1
    col = start + len("The mayor") + 1
    assert f"content/mini/article.md:{first}:{col}: error: the text holds the control character U+001B" in result.stderr


def test_new_from_a_server_that_trickles_gives_up_after_its_timeout(monkeypatch):
    import http.server
    import threading
    import time

    import generator.tools.new_article
    from generator.tools.new_article import FetchError, fetch

    class Trickle(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(200):
                try:
                    self.wfile.write(b"<")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(generator.tools.new_article, "FETCH_TIMEOUT", 1)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="took more than 1 seconds"):
            fetch(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 5


def test_a_question_file_named_in_capitals_is_read(content):
    os.rename(content / "mini" / "q.yaml", content / "mini" / "Q.YAML")
    assert build().exit_code == 0
    assert (Path("out") / "mini-quiz.html").is_file()
    (content / "mini" / "Q.YAML").write_text("questions: [", encoding="utf-8")
    result = build()
    assert result.exit_code == 1 and "content/mini/Q.YAML:" in result.stderr  # checked, not skipped


# 8. an interrupt outside a command's own handling still says so, in one line

def test_an_interrupt_while_a_command_is_starting_says_so(content, monkeypatch, capsys):
    import generator.commands
    import generator.commands.build

    def interrupted(quiet):
        raise KeyboardInterrupt  # as SIGTERM while quizgen still imports what build needs

    monkeypatch.setattr(generator.commands.build, "progress", interrupted)
    assert generator.commands.run(["build", "content", "--out", "out"]) == 130
    assert capsys.readouterr().err == "quizgen: interrupted; no output was changed.\n"
