"""The study page's statistics (issue 26): reviews and time per day, retention by interval, the
30-day forecast, the streak and leeches with suspend, all from the review log; axe finds nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

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
