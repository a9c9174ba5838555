"""serve --watch without a browser: the injected script and its policy, the state the pages ask for,
and a failed rebuild that leaves the last good outputs served."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import threading

from conftest import FIXTURES

from generator.pipeline.build import build
from generator.tools.serve import Site
from generator.tools.watch import ENDPOINT, SCRIPT, SCRIPT_HASH, Rebuilder, WatchSite, inject


def policy(page: str) -> dict[str, list[str]]:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert found
    text = html.unescape(found[1])
    return {d.split()[0]: d.split()[1:] for d in text.split(";") if d.strip()}


def library(tmp_path):
    shutil.copytree(FIXTURES / "mini", tmp_path / "questions" / "mini")
    content, out = tmp_path / "questions", tmp_path / "decks"
    lines: list[str] = []
    rebuilder = Rebuilder(content, out, lambda: build(content, out), lines.append)
    return rebuilder, content, out, lines


def test_the_script_hash_is_that_of_the_script():
    import base64

    assert "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode() + "'" == SCRIPT_HASH


def test_served_pages_get_the_script_and_a_policy_allowing_exactly_it(tmp_path):
    rebuilder, _, out, _ = library(tmp_path)
    assert rebuilder.rebuild()
    site = WatchSite(out, rebuilder)
    built = (out / "mini-study.html").read_text(encoding="utf-8")
    served = site.answer("/mini-study.html").body.decode("utf-8")
    assert SCRIPT not in built and ENDPOINT not in built  # the file itself (opened from disk) asks for nothing
    assert served.count(SCRIPT) == 1 and served.index(SCRIPT) < served.rindex("</body>")
    before, after = policy(built), policy(served)
    assert after["script-src"] == before["script-src"] + [SCRIPT_HASH]
    assert after["connect-src"] == ["'self'"]
    assert before["connect-src"] == ["'self'"]  # the page's own sync; the watch script adds nothing to it
    assert after == {**before, "script-src": after["script-src"]}
    index = site.answer("/").body.decode("utf-8")
    assert policy(index)["script-src"][-1] == SCRIPT_HASH and SCRIPT in index  # after the index's own (due counts)
    assert site.answer("/mini.apkg").body == (out / "mini.apkg").read_bytes()  # only HTML changes


def test_inject_widens_a_none_and_keeps_pages_without_policy():
    page = '<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'none\'; connect-src \'none\'"></head><body></body></html>'
    widened = policy(inject(page, 3))
    assert widened == {"script-src": [SCRIPT_HASH], "connect-src": ["'self'"]}
    assert '<script data-generation="3">' in inject("<p>no policy</p>", 3)


def test_a_failed_rebuild_keeps_the_outputs_and_tells_the_pages(tmp_path):
    rebuilder, content, out, lines = library(tmp_path)
    assert rebuilder.rebuild()
    site = WatchSite(out, rebuilder)
    state = json.loads(site.answer(ENDPOINT + "?since=-1").body)
    assert state == {"generation": 1, "problems": []}
    good = {p.name: p.read_bytes() for p in out.iterdir()}

    # a page waiting for news gets it as soon as the build is done
    answers: list[dict] = []
    waiting = threading.Thread(target=lambda: answers.append(json.loads(site.answer(ENDPOINT + "?since=1").body)))
    waiting.start()
    questions = content / "mini" / "q.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("kind: mcq", "kind: mcqq"), encoding="utf-8")
    assert not rebuilder.rebuild()
    waiting.join(5)
    assert answers and answers[0]["generation"] == 2
    (problem,) = answers[0]["problems"]
    assert re.match(r"questions/mini/q\.yaml:\d+:\d+: error: unknown kind 'mcqq'", problem.replace(str(tmp_path) + "/", ""))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == good  # the last good build, untouched
    assert lines[-1] == "1 problem found; still serving the last good build"
    assert site.answer("/mini-study.html").status == 200

    questions.write_text(questions.read_text(encoding="utf-8").replace("kind: mcqq", "kind: mcq"), encoding="utf-8")
    assert rebuilder.rebuild()
    assert json.loads(site.answer(ENDPOINT + "?since=2").body) == {"generation": 3, "problems": []}
    assert lines[-1].startswith("rebuilt in ")


def test_an_unchanged_state_is_answered_after_the_hold(tmp_path):
    rebuilder, _, out, _ = library(tmp_path)
    rebuilder.rebuild()
    assert rebuilder.wait(1, timeout=0.05).generation == 1
    assert isinstance(WatchSite(out, rebuilder), Site)


def test_serve_watch_stops_when_the_content_has_never_built(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from generator.cli import app

    shutil.copytree(FIXTURES / "mini", tmp_path / "questions" / "mini")
    questions = tmp_path / "questions" / "mini" / "q.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("kind: mcq", "kind: mcqq"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["serve", "--watch", "--host", "127.0.0.1", "--port", "0"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.match(r"questions/mini/q\.yaml:\d+:\d+: error: unknown kind 'mcqq'", lines[0])
    assert lines[-1] == "quizgen: error: nothing to serve: questions has never built into decks; fix the problems above"
    assert not (tmp_path / "decks" / "mini-study.html").exists()


def test_what_rebuilds_a_preview():
    """An article, a question file, an anki.lock removed or mended as an error asks, and a folder (an
    article copied in or renamed: not all of its files are reported); not hidden files nor backups."""
    from generator.tools.watch import _content_file

    for name in ("article.md", "events.yaml", "more.YML", "anki.lock", "hafen-d"):
        assert _content_file(None, f"/c/questions/{name}"), name
    for name in (".#events.yaml", "._events.yaml", ".events.yaml.swp", "events.yaml~", "~events.yaml", "notes.txt",
                 "hafen.apkg"):
        assert not _content_file(None, f"/c/questions/x/{name}"), name


def test_an_article_folder_copied_in_is_built_by_the_preview(tmp_path):
    import time

    rebuilder, content, out, lines = library(tmp_path)
    assert rebuilder.rebuild()
    stop = rebuilder.start()
    try:
        time.sleep(0.5)  # the watcher is up
        since = rebuilder.state.generation
        copy = tmp_path / "elsewhere"
        shutil.copytree(content / "mini", copy, ignore=shutil.ignore_patterns("anki.lock"))
        shutil.move(str(copy), content / "mini-two")  # one rename into the watched folder, as a file manager does
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (out / "mini-two.apkg").exists():
            time.sleep(0.1)
        assert rebuilder.state.generation > since and (out / "mini-two.apkg").exists(), lines
    finally:
        stop.set()


def test_a_save_builds_once_though_the_build_writes_the_lock(tmp_path):
    """The build re-stamps the changed question in anki.lock: that write is the build's own, not the
    author's, and builds nothing again (a second build reloaded the open pages a second time)."""
    import time

    rebuilder, content, out, lines = library(tmp_path)
    assert rebuilder.rebuild()
    lock = content / "mini" / "anki.lock"
    before = lock.read_bytes()
    stop = rebuilder.start()
    try:
        time.sleep(0.5)  # the watcher is up
        since = rebuilder.state.generation
        questions = next((content / "mini").glob("*.yaml"))
        text = questions.read_text(encoding="utf-8")
        assert "Who found that costs rose?" in text
        questions.write_text(text.replace("Who found that costs rose?", "Who found that the costs rose?"), encoding="utf-8")
        assert rebuilder.wait(since, timeout=20).generation == since + 1
        time.sleep(1.5)  # the lock it wrote has been seen
        assert lock.read_bytes() != before and rebuilder.state.generation == since + 1, lines
    finally:
        stop.set()
