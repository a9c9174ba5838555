"""The study page's progress as a review log (issue 26): merges and imports are set unions that
lose no grade, a reset is scoped to what it knew and can be undone, a clock set back keeps the
grade, and an earlier page's saved records are carried into the log, every one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from playwright.sync_api import expect  # noqa: E402
from study_helpers import grades, live_cards  # noqa: E402
from test_study_browser import bundled, cards, grade, open_page, saved, shown, today  # noqa: E402, F401


def export(page, path):
    page.locator("#settings-summary").tap()
    with page.expect_download() as info:
        page.locator("#export").tap()
    info.value.save_as(path)
    page.locator("#settings-summary").tap()
    return json.loads(path.read_text(encoding="utf-8"))


def import_file(page, path, status: str) -> None:
    page.locator("#settings-summary").tap()
    page.locator("#import-file").set_input_files(str(path))
    expect(page.locator("#backup-status")).to_have_text(status)
    page.locator("#settings-summary").tap()


def test_a_backup_made_after_a_reset_elsewhere_loses_nothing_here(open_page, bundled, tmp_path):  # noqa: F811 (the fixtures of test_study_browser)
    found, html, data = bundled
    deck = cards(data)
    slug = data["slug"]
    laptop = open_page(html).page
    laptop.locator("#start").tap()
    for _ in range(6):
        grade(laptop, "easy")
    laptop.locator("#stop").tap()
    phone = open_page(html).page  # another browser
    phone.locator("#start").tap()
    for _ in range(2):
        grade(phone, "good")
    phone.locator("#stop").tap()
    phone.locator("#reset").tap()
    phone.locator("#reset-yes").tap()
    assert today(phone) == (0, 20, 0)
    phone.locator("#start").tap()
    for _ in range(3):
        grade(phone, "hard")
    phone.locator("#stop").tap()
    backup = export(phone, tmp_path / "phone.json")
    assert len([e for e in backup["log"] if "r" in e]) == 5 and [e["k"] for e in backup["log"] if "k" in e] == ["reset"]
    import_file(laptop, tmp_path / "phone.json", "Imported: 3 cards updated.")
    log = saved(laptop, slug)
    assert live_cards(log) == set(deck[:6])
    assert len(grades(log)) == 6 + 5  # every grade of both is in the log
    assert today(laptop)[1] == 14  # the laptop's 6 new cards stay seen; the phone's reset erased only its own
    import_file(laptop, tmp_path / "phone.json", "Imported: 0 cards updated.")  # twice: nothing more


def test_reset_is_not_two_enters_away_and_can_be_undone(open_page, bundled):  # noqa: F811 (the fixtures of test_study_browser)
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    page.locator("#start").tap()
    for _ in range(3):
        grade(page, "good")
    page.locator("#stop").tap()
    page.locator("#reset").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#reset-no")).to_be_focused()
    page.keyboard.press("Enter")
    assert today(page) == (3, 17, 0)
    assert live_cards(saved(page, data["slug"])) == set(deck[:3])
    page.locator("#reset").tap()
    page.locator("#reset-yes").tap()
    assert today(page) == (0, 20, 0)
    expect(page.locator("#reset-done")).to_contain_text("Progress erased.")
    expect(page.locator("#reset-undo")).to_be_focused()
    page.locator("#reset-undo").tap()
    assert today(page) == (3, 17, 0)
    page.reload()
    assert today(page) == (3, 17, 0)
    assert live_cards(saved(page, data["slug"])) == set(deck[:3])


def test_a_clock_set_back_keeps_the_grade(open_page, bundled):  # noqa: F811 (the fixtures of test_study_browser)
    found, html, data = bundled
    deck = cards(data)
    start = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
    s = open_page(html, clock=start)
    page = s.page
    page.locator("#start").tap()
    grade(page, "easy")  # a review card, due in days
    page.clock.set_system_time(start - timedelta(hours=3))  # the clock goes back 3 hours
    page.reload()
    assert today(page) == (0, 19, 0)
    page.locator("#start").tap()
    assert shown(page) == deck[1]
    grade(page, "easy")
    grade(page, "again")  # graded "before" the first: kept, ordered after it
    page.reload()
    assert today(page)[1] == 17
    assert live_cards(saved(page, data["slug"])) == set(deck[:3])
    times = [e["t"] for e in sorted(saved(page, data["slug"])["log"], key=lambda e: e["c"])]
    assert times == sorted(times)  # this device's events never go back in time
    page.locator("#start").tap()
    assert shown(page) not in deck[:2]  # the easy cards do not come straight back
    assert s.errors == []


def test_the_records_of_the_earlier_page_are_all_carried_into_the_log(open_page, bundled, tmp_path):  # noqa: F811 (the fixtures of test_study_browser)
    found, html, data = bundled
    deck = cards(data)
    slug = data["slug"]
    now = datetime.now(timezone.utc)
    ms = int(now.timestamp() * 1000)
    clock = ms - 4 * 3_600_000  # roughly the study clock; the records are days apart from it

    def record(days_due: float, state: int, m: int) -> dict:
        return {"m": m, "st": state, "due": clock + int(days_due * 86_400_000), "s": 3.2, "d": 5.1, "ls": 0,
                "r": 2, "l": 0, "sd": 3, "ed": 1, "lr": clock - 86_400_000, "f": 1}

    records = {deck[0]: record(-1, 2, ms - 1000), deck[1]: record(-2, 2, ms - 900), deck[2]: record(5, 2, ms - 800),
               deck[3]: {"m": ms - 700}, "gone-question": record(-1, 2, ms - 600)}
    v2 = {"v": 2, "cards": records, "reset": 0, "prefs": {"newPerDay": 10}, "runs": {}}
    init = f"""
    if (!sessionStorage.getItem('seeded')) {{
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('quizgen:study:{slug}', {json.dumps(json.dumps(v2))});
    }}
    """
    page = open_page(html, init=init, clock=now).page  # the records' times are around this one
    assert today(page) == (2, 10 - 0, 0)  # two due, the third in 5 days; the undone one is new again
    kept = saved(page, slug)
    assert kept["v"] == 3
    carried = {e["id"]: e["rec"] for e in kept["log"] if e.get("k") == "set"}
    assert carried == {k: v for k, v in records.items() if "st" in v}  # every record, the gone question's too
    page.reload()
    assert today(page) == (2, 10, 0)  # carried once, not again
    assert len(saved(page, slug)["log"]) == 4
    # a backup of the earlier page (version 1) imports the same way, once
    v1 = {"format": "quizgen-study-progress", "version": 1, "slug": slug, "reset": 0, "cards": records}
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(v1), encoding="utf-8")
    fresh = open_page(html).page
    import_file(fresh, path, "Imported: 3 cards updated.")
    assert today(fresh) == (2, 20, 0)
    import_file(fresh, path, "Imported: 0 cards updated.")
    assert len(saved(fresh, slug)["log"]) == 4
