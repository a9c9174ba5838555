"""The study page's statistics (issue 26): reviews and time per day, retention by interval, the
30-day forecast, the streak and leeches with suspend, all from the review log; axe finds nothing."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from conftest import ROOT  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from test_study_browser import axe_violations, bundled, cards, open_page, today  # noqa: E402, F401

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=timezone.utc)


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def seeded_log(deck: list[str]) -> list[dict]:
    """A leech (graduated, then forgotten 9 times) and three days in a row of study up to today."""
    events = []
    c = 0

    def grade(card: str, when: datetime, rating: int, took: int = 6000) -> None:
        nonlocal c
        c += 1
        events.append({"d": "seed", "c": c, "t": ms(when), "id": card, "r": rating, "ms": took})

    start = NOW - timedelta(days=40)
    grade(deck[0], start, 3)
    grade(deck[0], start + timedelta(minutes=10), 3)
    for k in range(1, 10):
        day = start + timedelta(days=3 * k)
        grade(deck[0], day, 1)
        grade(deck[0], day + timedelta(minutes=10), 3)
    for k, card in enumerate(deck[1:4]):  # the last three days, one new card each
        grade(card, NOW - timedelta(days=2 - k, hours=1), 4, took=30_000)
    return events


def test_statistics_come_from_the_log_and_a_leech_can_be_suspended(open_page, bundled):  # noqa: F811 (fixtures)
    found, html, data = bundled
    deck = cards(data)
    state = {"v": 3, "device": "here", "log": seeded_log(deck), "prefs": {}, "runs": {}}
    init = f"""
    if (!sessionStorage.getItem('seeded')) {{
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('quizgen:study:{data["slug"]}', {json.dumps(json.dumps(state))});
    }}
    """
    s = open_page(html, init=init, clock=NOW)
    page = s.page
    due_before = today(page)[0]
    page.locator("#stats-summary").tap()
    expect(page.locator("#streak")).to_have_text("Days in a row: 3 · Reviews in all: 23")
    rows = page.locator("#stats-body table").first.locator("tbody tr")
    expect(rows.first).to_have_text("Today" + "1" + "1")  # one review today, 30 s: a minute rounded
    retention = page.locator("#stats-body table").nth(1).locator("tbody tr")
    assert retention.count() == 4
    all_reviews = sum(int(retention.nth(i).locator("td").first.inner_text()) for i in range(4))
    assert all_reviews == 9  # the nine reviews of the leech in review; all forgotten
    assert "0 %" in retention.nth(1).inner_text()
    forecast = page.locator("#stats-body table").nth(2)
    expect(forecast.locator("caption")).to_have_text("Due in the next 30 days")
    leech = page.locator(f"#leeches li[data-card='{deck[0]}']")
    expect(leech).to_be_visible()
    assert axe_violations(page, "statistics") == []
    leech.get_by_role("button", name="Suspend").tap()
    expect(page.locator(f"#leeches li[data-card='{deck[0]}']").get_by_role("button")).to_have_text("Unsuspend")
    assert today(page)[0] <= due_before
    page.reload()
    page.locator("#stats-summary").tap()
    expect(page.locator(f"#leeches li[data-card='{deck[0]}']").get_by_role("button")).to_have_text("Unsuspend")  # kept, in the log
    assert s.errors == []


def test_the_index_shows_each_articles_cards_due_today(browser, bundled, tmp_path):  # noqa: F811 (fixture)
    """The study page saves the day each card is due; the index of the same site counts today's."""
    from study_helpers import parse

    from generator.outputs.index import render_index
    from generator.pipeline.build import summarise

    found, html, data = bundled
    index = render_index([summarise(found, 0, (f"{data['slug']}-study.html",))])
    assert any(attrs.get("data-due-slug") == data["slug"] for _, attrs in parse(index).tags)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        pages = {"/index.html": index, f"/{data['slug']}-study.html": html}
        context.route("https://school.invalid/**", lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=pages[route.request.url.split(".invalid", 1)[1]]))
        page = context.new_page()
        page.add_init_script("delete Navigator.prototype.serviceWorker;")
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.clock.install(time=NOW)
        page.goto("https://school.invalid/index.html")
        expect(page.locator(f"[data-due-slug='{data['slug']}']")).to_be_hidden()  # never studied here: nothing
        page.goto(f"https://school.invalid/{data['slug']}-study.html")
        page.locator("#start").tap()
        for which in ("again", "again", "easy"):  # two cards back in a minute: due today; one in days
            page.locator("#reveal").tap()
            page.clock.run_for(450)
            page.locator(f"#{which}").tap()
        page.goto("https://school.invalid/index.html")
        expect(page.locator(f"[data-due-slug='{data['slug']}']")).to_have_text("Cards due today: 2")
        assert axe_violations(page, "index") == []
        shot = tmp_path / "index-due.png"
        page.screenshot(path=str(shot))
        if os.environ.get("QUIZGEN_UPDATE_SCREENSHOT"):
            shutil.copyfile(shot, ROOT / "docs" / "index-due.png")
        assert errors == []
    finally:
        context.close()


def test_statistics_screenshot(open_page, bundled, tmp_path):  # noqa: F811 (fixtures)
    """QUIZGEN_UPDATE_SCREENSHOT=1 writes docs/study-stats.png: the statistics of the seeded log."""
    found, html, data = bundled
    state = {"v": 3, "device": "here", "log": seeded_log(cards(data)), "prefs": {}, "runs": {}}
    init = f"localStorage.setItem('quizgen:study:{data['slug']}', {json.dumps(json.dumps(state))});"
    page = open_page(html, init=init, clock=NOW, zone="UTC", height=1400).page
    page.emulate_media(reduced_motion="reduce")
    page.locator("#stats-summary").tap()
    page.locator("#stats").scroll_into_view_if_needed()
    shot = tmp_path / "study-stats.png"
    page.locator("#stats").screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("QUIZGEN_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "study-stats.png")


def test_the_readme_shows_both_screenshots():
    from docs_pages import page

    readme = page("how-to/learners.md")
    for name in ("study-stats.png", "index-due.png"):
        assert f"(../{name})" in readme
        assert (ROOT / "docs" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (ROOT / "docs" / name).stat().st_size < 150_000
