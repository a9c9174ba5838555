"""Two devices of one learner (a phone and a laptop, two browser contexts) grade offline, then sync
through `quizgen serve`: both show the union of their grades (issue 26)."""

from __future__ import annotations

import shutil
import threading

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from conftest import FIXTURES, build_files  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from study_helpers import grades, live_cards  # noqa: E402

from generator.tools.serve import Site, StudyServer  # noqa: E402
from generator.tools.sync import store_path  # noqa: E402


@pytest.fixture
def served(tmp_path):
    out = tmp_path / "decks"
    shutil.copytree(FIXTURES, tmp_path / "content")
    build_files(tmp_path / "content", out)
    server = StudyServer(Site(out), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.port}/mini-study.html"
    server.shutdown()
    server.server_close()
    server.sync_store.close()


def device(browser, url: str, phone: bool):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone, service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()
    page.goto(url)
    return context, page, errors


def pair(first, second) -> str:
    """The first device turns sync on and shows its code; the second enters it. The code."""
    first.locator("#settings-summary").click()
    first.locator("#sync-on").click()
    expect(first.locator("#sync-status")).to_contain_text("Synced")
    code = first.locator("#sync-show").inner_text()
    second.locator("#settings-summary").click()
    second.locator("#sync-code").fill(code)
    second.locator("#sync-join").click()
    expect(second.locator("#sync-status")).to_contain_text("Synced")
    return code


def grade_some(page, n: int, which: str) -> None:
    page.locator("#start").click()
    for _ in range(n):
        page.locator("#reveal").click()
        page.clock.run_for(450)
        page.locator(f"#{which}").click()
    page.locator("#stop").click()


def sync_until(page, done, presses: int = 5) -> None:
    """Press "Sync now" until this device's graded cards are `done`. A press while a sync is under
    way (such as the one coming back online starts) is not another sync, and that sync may have left
    before the other device's grades arrived: the next press brings them. Each press's outcome is
    waited for (the status is emptied first, so an earlier "Synced" is not taken for it)."""
    for _ in range(presses):
        page.evaluate("document.getElementById('sync-status').textContent = ''")
        page.locator("#sync-now").click()
        expect(page.locator("#sync-status")).to_contain_text("Synced")
        if done(live_cards(saved(page))):
            return
    raise AssertionError(f"after {presses} presses of Sync now: {sorted(live_cards(saved(page)))}")


def saved(page) -> dict:
    return page.evaluate("JSON.parse(localStorage.getItem('quizgen:study:mini'))")


def test_phone_and_laptop_grade_offline_then_both_show_the_union(browser, served):
    server, url = served
    laptop_context, laptop, laptop_errors = device(browser, url, phone=False)
    phone_context, phone, phone_errors = device(browser, url, phone=True)
    try:
        code = pair(laptop, phone)
        expect(laptop.locator("#sync-qr")).to_have_attribute("src", f"api/sync-qr?text={url.replace(':', '%3A').replace('/', '%2F')}%23sync%3D{code}")
        # both go offline and study: the laptop the first three cards, the phone with a filter on the last ones
        for context in (laptop_context, phone_context):
            context.set_offline(True)
        laptop.locator("#settings-summary").click()
        grade_some(laptop, 3, "easy")
        phone.locator("#settings-summary").click()
        phone.evaluate("document.querySelector('#shuffle').click()")  # another order: other cards
        grade_some(phone, 2, "good")
        phone.locator("#settings-summary").click()
        phone.locator("#sync-now").click()
        expect(phone.locator("#sync-status")).to_contain_text("Not synced")  # offline: kept for later
        mine = {"laptop": live_cards(saved(laptop)), "phone": live_cards(saved(phone))}
        assert len(mine["laptop"]) == 3 and len(mine["phone"]) == 2
        # back online: each syncs
        for context in (laptop_context, phone_context):
            context.set_offline(False)  # each page starts a sync as it comes back online
        union = mine["laptop"] | mine["phone"]
        sync_until(phone, lambda cards: cards >= mine["phone"])
        laptop.locator("#settings-summary").click()
        sync_until(laptop, lambda cards: cards == union)
        sync_until(phone, lambda cards: cards == union)
        assert live_cards(saved(laptop)) == union == live_cards(saved(phone))
        assert len(grades(saved(laptop))) == len(grades(saved(phone))) == 5
        figures = []
        for page in (laptop, phone):
            page.reload()
            expect(page.locator("#today")).to_be_visible()
            figures.append([page.locator(f"#{n}-count").inner_text() for n in ("due", "new", "tomorrow")])
        assert figures[0] == figures[1]  # the same schedule on both
        total = len(phone.evaluate("JSON.parse(document.getElementById('quizgen-data').textContent).questions"))
        assert int(figures[0][1]) <= total + 2 - len(union)  # the union's cards are not new on either (cloze: 2 cards)
        assert sum(server.sync_store.counts().values()) == 5
        assert laptop_errors == [] and phone_errors == []
    finally:
        laptop_context.close()
        phone_context.close()


def test_a_press_of_sync_now_during_a_sync_syncs_once_more_after_it(browser, served):
    """A press while a sync is under way is not lost: that sync may have left before another
    device's grades arrived, so one more runs after it (two presses during it: still one more)."""
    _server, url = served
    context, page, errors = device(browser, url, phone=False)
    try:
        page.locator("#settings-summary").click()
        page.locator("#sync-on").click()
        expect(page.locator("#sync-status")).to_contain_text("Synced")
        posts: list[dict] = []
        held: list = []

        def hold_the_first(route) -> None:
            posts.append(route.request.post_data_json)
            if len(posts) == 1:
                held.append(route)  # answered only after the presses below
            else:
                route.continue_()

        def wait_for_posts(n: int) -> None:
            for _ in range(100):
                if len(posts) >= n:
                    return
                page.wait_for_timeout(50)
            raise AssertionError(f"{len(posts)} sync requests, {n} expected")

        page.route("**/api/sync/**", hold_the_first)
        page.locator("#sync-now").click()
        wait_for_posts(1)
        page.locator("#sync-now").click()  # during the first sync
        page.locator("#sync-now").click()
        page.wait_for_timeout(300)
        assert len(posts) == 1  # one sync at a time
        held[0].continue_()
        wait_for_posts(2)
        expect(page.locator("#sync-status")).to_contain_text("Synced")
        page.wait_for_timeout(500)
        assert len(posts) == 2  # the presses during it made one more sync, not a loop
        assert posts[1]["cursor"] >= posts[0]["cursor"]
        assert errors == []
    finally:
        context.close()


def _stop(server) -> None:
    server.shutdown()
    server.server_close()
    server.sync_store.close()


def _serve_at(folder, port: int = 0) -> StudyServer:
    server = StudyServer(Site(folder), "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("how", ["moved", "restored"])
def test_a_moved_or_restored_store_loses_no_grade(browser, tmp_path, how):
    """moved: the teacher moves the served folder (its store, beside the old place, stays behind) and
    serves it again at the same address: a new, empty store. restored: the store file is put back
    from an older copy (same store, shorter). Either way the devices' cursors count past what the
    file holds; before, each device waited for the file's sequence to pass its old cursor, so the
    first grades made afterwards never reached the other device, and the store never held the grades
    it had lost. Now both send their whole logs again and take in each other's new grades."""
    shutil.copytree(FIXTURES, tmp_path / "content")
    folder = tmp_path / "decks"
    build_files(tmp_path / "content", folder)
    server = _serve_at(folder)
    port = server.port
    url = f"http://127.0.0.1:{port}/mini-study.html"
    laptop_context, laptop, laptop_errors = device(browser, url, phone=False)
    phone_context, phone, phone_errors = device(browser, url, phone=True)
    try:
        pair(laptop, phone)
        laptop.locator("#settings-summary").click()
        grade_some(laptop, 4 if how == "moved" else 3, "good")
        laptop.locator("#settings-summary").click()
        before = live_cards(saved(laptop))
        sync_until(laptop, lambda cards: cards == before)
        sync_until(phone, lambda cards: cards == before)
        _stop(server)
        store = store_path(folder)
        if how == "moved":  # the old store stays where it was; the same address serves the new place
            moved = tmp_path / "moved" / "decks"
            moved.parent.mkdir()
            shutil.move(str(folder), moved)
            folder = moved
        else:  # a copy now; one more grade synced to both; then the copy is put back
            shutil.copy(store, tmp_path / "copy.sqlite3")
            server = _serve_at(folder, port)
            laptop.locator("#settings-summary").click()
            grade_some(laptop, 1, "good")
            laptop.locator("#settings-summary").click()
            before = live_cards(saved(laptop))
            sync_until(laptop, lambda cards: cards == before)
            sync_until(phone, lambda cards: cards == before)
            _stop(server)
            shutil.copy(tmp_path / "copy.sqlite3", store)
        server = _serve_at(folder, port)
        phone.locator("#settings-summary").click()
        phone.evaluate("document.querySelector('#shuffle').click()")
        grade_some(phone, 2, "easy")
        phone.locator("#settings-summary").click()
        union = live_cards(saved(phone))
        assert len(union - before) >= 1
        sync_until(phone, lambda cards: cards == union)
        sync_until(laptop, lambda cards: cards == union)
        assert live_cards(saved(laptop)) == union
        assert len(grades(saved(laptop))) == len(grades(saved(phone))) == 6
        assert sum(server.sync_store.counts().values()) == 6  # the store holds every grade, once
        assert laptop_errors == [] and phone_errors == []
    finally:
        laptop_context.close()
        phone_context.close()
        _stop(server)
