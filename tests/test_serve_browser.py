"""`quizgen serve` in Chromium: the served study page installs, and works offline once the server stops.

The folder is built from the mini fixture and served on 127.0.0.1 (a secure context, as https is),
on a free port. Every console error or warning and every page error is collected.
"""

from __future__ import annotations

import shutil
import threading

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from conftest import FIXTURES, build_files  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from generator.tools.serve import Site, StudyServer  # noqa: E402

ACTIVATED = """() => navigator.serviceWorker.ready.then(r => new Promise(done => {
  const worker = r.active;
  if (worker.state === 'activated') return done(r.scope);
  worker.addEventListener('statechange', () => { if (worker.state === 'activated') done(r.scope); });
}))"""


@pytest.fixture
def served(tmp_path):
    """The mini article built into a folder and served on a free port; stopped after the test."""
    out = tmp_path / "decks"
    shutil.copytree(FIXTURES, tmp_path / "content")  # a build writes anki.lock beside the questions
    build_files(tmp_path / "content", out)
    server = StudyServer(Site(out), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.port}/", out
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    yield context, page, errors
    context.close()


def test_the_served_page_installs_and_works_offline_after_the_server_stops(served, phone):
    server, origin, _ = served
    context, page, errors = phone
    page.goto(origin + "mini-study.html")
    expect(page.locator("#today")).to_be_visible()  # the Today screen, shown by the page's script

    assert page.evaluate("document.querySelector('link[rel=manifest]').href") == origin + "mini-study.webmanifest"
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == origin + "mini-study.webmanifest" and manifest["errors"] == []
    problems = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [p for p in problems if p != "in-incognito"] == []  # a test context is incognito; nothing else
    parsed = manifest.get("manifest") or {}
    if parsed:  # newer Chromium parses it for us
        assert parsed["startUrl"] == origin + "mini-study.html"
    assert page.evaluate(ACTIVATED) == origin  # the worker's scope is the whole folder
    expect(page.locator("#offline-note")).to_be_hidden()  # kept offline here: no note

    server.shutdown()
    server.server_close()
    context.set_offline(True)
    page.reload()
    expect(page.locator("#today")).to_be_visible()  # the Today screen, shown by the page's script
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    expect(page.locator("#good")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert errors == []


def test_the_index_is_kept_offline_too_once_opened(served, phone):
    server, origin, _ = served
    context, page, errors = phone
    page.goto(origin + "mini-study.html")
    page.evaluate(ACTIVATED)
    page.goto(origin)  # under the worker now: kept as it is fetched
    expect(page.locator("a", has_text="Study page")).to_be_visible()
    server.shutdown()
    server.server_close()
    context.set_offline(True)
    page.reload()
    expect(page.locator("a", has_text="Study page")).to_be_visible()
    assert page.locator("a", has_text="Answer key").count() == 0  # students' index
    assert errors == []


def test_from_a_file_the_page_links_nothing_and_registers_nothing(served, phone):
    _, _, out = served
    context, page, errors = phone
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    url = (out / "mini-study.html").as_uri()
    page.goto(url)
    expect(page.locator("#today")).to_be_visible()  # the Today screen, shown by the page's script
    assert page.evaluate("document.querySelectorAll('link[rel=manifest], link[rel=apple-touch-icon]').length") == 0
    assert requests == [url]
    assert errors == []


def test_without_scripts_the_page_says_to_open_it_in_safari(browser, served):
    _, origin, out = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((out / "mini-study.html").as_uri())
        message = page.locator("noscript p, p:has-text('JavaScript')").first
        expect(message).to_be_visible()
        expect(message).to_contain_text("Safari")
        expect(message).to_contain_text("Files or Mail")
    finally:
        context.close()


@pytest.fixture
def lan_browser(browser):
    """Chromium that reaches 127.0.0.1 by the name a phone would use on the Wi-Fi: a plain http origin
    that is not this computer, so not a secure context."""
    from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium

    other = browser.browser_type.launch(executable_path=find_chromium(),
                                        args=[*CHROMIUM_FLAGS, "--host-resolver-rules=MAP classroom.test 127.0.0.1"])
    yield other
    other.close()


def test_over_plain_http_on_the_network_the_page_works_but_is_not_kept_offline(served, lan_browser):
    server, origin, _ = served
    context = lan_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        url = f"http://classroom.test:{server.port}/mini-study.html"
        page.goto(url)
        page.locator("#start").tap()
        page.locator("#reveal").tap()
        expect(page.locator("#good")).to_be_visible()
        assert page.evaluate("[window.isSecureContext, 'serviceWorker' in navigator]") == [False, False]
        assert page.evaluate("document.querySelector('link[rel=manifest]').href") == url.replace(".html", ".webmanifest")
        problems = [e["errorId"] for e in
                    context.new_cdp_session(page).send("Page.getInstallabilityErrors")["installabilityErrors"]]
        assert "not-from-secure-origin" in problems  # a home-screen shortcut at most, never an offline app
        expect(page.locator("#offline-note")).to_be_visible()  # and the page says so
        expect(page.locator("#offline-note")).to_contain_text("keeps no offline copy")
        assert errors == []
    finally:
        context.close()
