"""`quizgen serve --watch` in Chromium: a saved question file reloads the open page; a content error
shows in the page (escaped, with its file:line:col) and goes once fixed.

quizgen runs as the user runs it, in a process of its own, on a free port of 127.0.0.1. The time from
the save to the reloaded page is printed (`pytest -s`), never asserted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")
pytest.importorskip("watchfiles", reason="serve --watch needs the watch extra (pip install -e '.[test]')")

from conftest import FIXTURES, ROOT  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

OVERLAY = "#quizgen-watch-overlay"


@pytest.fixture
def watching(tmp_path):
    """The mini article copied into questions/ and `quizgen serve --watch` running on it."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "questions" / "mini")
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--watch", "--host", "127.0.0.1", "--port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=log, text=True, env=env,
    )
    try:
        origin = None
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                origin = found[0]
                break
        assert origin, "serve --watch printed no address"
        yield origin, tmp_path / "questions" / "mini" / "q.yaml", tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    yield page, errors
    context.close()


def save(path, old: str, new: str) -> float:
    text = path.read_text(encoding="utf-8")
    assert old in text
    started = time.monotonic()
    path.write_text(text.replace(old, new), encoding="utf-8")
    return started


def test_a_saved_question_reloads_the_open_page_with_the_change(watching, page):
    origin, questions, _ = watching
    page, errors = page
    page.goto(origin + "mini-study.html")
    expect(page.locator("#today")).to_be_visible()  # the page's script ran
    assert "Who found that costs rose?" in page.content()
    page.wait_for_timeout(200)  # the page's first question about builds is on its way
    page.evaluate("window.beforeTheSave = true")
    with page.expect_event("load", timeout=15_000):
        started = save(questions, "Who found that costs rose?", "Who found that the costs rose?")
    took = time.monotonic() - started
    print(f"\nserve --watch: from save to reloaded page {took:.2f} s")
    assert page.evaluate("window.beforeTheSave") is None  # a new page, not the old one
    assert "Who found that the costs rose?" in page.content()
    assert "Who found that costs rose?" not in page.content()
    expect(page.locator("#today")).to_be_visible()  # the page's script ran
    assert errors == []  # the widened Content-Security-Policy let the script ask, and nothing else broke


def test_a_content_error_shows_over_the_page_until_it_is_fixed(watching, page):
    origin, questions, log = watching
    page, errors = page
    page.goto(origin + "mini-study.html")
    expect(page.locator("#today")).to_be_visible()  # the page's script ran
    page.wait_for_timeout(200)
    page.evaluate("window.beforeTheSave = true")
    save(questions, "    answer: Jane Roe\n", "    answer: Jane Roe\n    <b>pasage</b>: x\n")
    overlay = page.locator(OVERLAY)
    expect(overlay).to_be_visible(timeout=15_000)
    message = "questions/mini/q.yaml:18:5: error: unknown key '<b>pasage</b>'"
    expect(overlay).to_contain_text(message)
    assert page.locator(f"{OVERLAY} b").count() == 0  # shown as text, never as markup
    assert page.evaluate("window.beforeTheSave")  # the last good page stays, under the overlay
    for _ in range(100):  # the terminal says it too
        if message in log.read_text(encoding="utf-8"):
            break
        time.sleep(0.05)
    assert message in log.read_text(encoding="utf-8")

    with page.expect_event("load", timeout=15_000):
        save(questions, "    <b>pasage</b>: x\n", "")
    expect(page.locator("#today")).to_be_visible()  # the page's script ran
    expect(page.locator(OVERLAY)).to_have_count(0)
    assert errors == []
