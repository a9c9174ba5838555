"""The study page in Chromium at a phone's size: what a thumb does, what the page remembers.

Every page is opened in a fresh 390x844 (or 320 px) mobile context with touch; the page is served
from a fake https origin through Playwright's routing, or opened from a file. Every request the
browser makes is recorded: only the page itself may be asked for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
import yaml

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from conftest import ROOT  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from study_helpers import HOSTILE, HOSTILE_URL, grades, live_cards, write_hostile  # noqa: E402

from generator.outputs.study import render_page  # noqa: E402
from generator.outputs.study.data import page_data  # noqa: E402
from generator.sources.load import load_article_set  # noqa: E402

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
ORIGIN = "https://study.quizgen.invalid"
URL = f"{ORIGIN}/study.html"
MIDDAY = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
THROWING_GETTER = """
Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
"""
THROWING_METHODS = """
for (const name of ['getItem', 'setItem', 'removeItem', 'key']) {
  Storage.prototype[name] = function () { throw new DOMException('denied', 'QuotaExceededError'); };
}
"""


@dataclass
class Session:
    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def bundled():
    found = load_article_set(BUNDLED)
    return found, render_page(found), page_data(found)


@pytest.fixture
def open_page(browser):
    """Opens a page in a fresh phone-sized context; closes every context after the test."""
    contexts = []

    def opener(html: str, *, width: int = 390, height: int = 844, init: str | None = None,
               url: str = URL, dark: bool = False, context=None, clock: datetime | None = None,
               zone: str | None = None) -> Session:
        if context is None:
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True,
                                          color_scheme="dark" if dark else "light", timezone_id=zone,
                                          accept_downloads=True)
            contexts.append(context)
        page = context.new_page()
        # no service worker: the served page's is tested in test_serve_browser.py, against a real server
        page.add_init_script("delete Navigator.prototype.serviceWorker;")
        # Playwright's clock: time runs as usual, and a test can jump it (run_for) past the
        # moment the grade buttons stay inert, instead of waiting for it. It starts at today's
        # midday UTC unless the test says when: a run near the study day's start (04:00 by default)
        # would see a 10-minute step fall on the next study day
        page.clock.install(time=clock or MIDDAY)
        session = Session(page)
        context.on("request", lambda r: session.requests.append(r.url))
        page.on("pageerror", lambda e: session.errors.append(str(e)))
        page.on("console", lambda m: session.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("dialog", lambda d: (session.dialogs.append(d.message), d.dismiss()))
        if init:
            context.add_init_script(init)
        context.route(f"{ORIGIN}/**", lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=html))
        if url:
            page.goto(url)
        return session

    yield opener
    for context in contexts:
        context.close()


def cards(data) -> list[str]:
    """The ids of the page's cards in article order: one per question, one per cloze number."""
    return [f"{q['id']}#{n}" if n else q["id"]
            for q in data["questions"] for n in (q["numbers"] if q["kind"] == "cloze" else [0])]


def shown(page) -> str | None:
    """The id of the card on screen."""
    return page.locator("#card").get_attribute("data-card")


def tap_filter(page, group: str, value: str) -> None:
    page.locator("#filter-summary").tap()
    page.locator(f"label[for=f-{group}-{value}]").tap()
    page.locator("#filters-done").tap()


def wide(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def small_targets(page) -> list[str]:
    """Visible controls smaller than 44x44 CSS pixels."""
    return page.evaluate("""() => [...document.querySelectorAll('button, summary, a, label.check')]
        .filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
        .map(e => e.outerHTML.slice(0, 80))""")


def today(page) -> tuple[int, int, int]:
    """The Today screen's figures: due, new left today, due tomorrow."""
    expect(page.locator("#today")).to_be_visible()
    return tuple(int(page.locator(f"#{n}-count").inner_text()) for n in ("due", "new", "tomorrow"))


def grade(page, which: str = "good") -> None:
    page.locator("#reveal").tap()
    page.clock.run_for(450)
    page.locator(f"#{which}").tap()


def saved(page, slug: str) -> dict:
    return page.evaluate(f"JSON.parse(localStorage.getItem('quizgen:study:{slug}'))")


# ---------- loading ----------

def test_served_page_loads_cleanly_and_asks_for_nothing(open_page, bundled):
    found, html, data = bundled
    s = open_page(html)
    assert today(s.page) == (0, 20, 0)
    s.page.locator("#start").tap()
    expect(s.page.locator("#card .prompt")).to_have_text(data["questions"][0]["prompt"])
    s.page.locator("#reveal").tap()
    s.page.locator("[data-view=timeline]").tap()
    s.page.locator("#timeline .event").first.tap()
    s.page.locator("[data-view=article]").tap()
    assert s.requests == [URL]
    assert s.errors == [] and s.dialogs == []
    assert s.page.evaluate("document.documentElement.lang") == "en"
    assert s.page.evaluate("document.documentElement.dir") == "ltr"


def test_file_page_loads_cleanly_and_asks_for_nothing(open_page, bundled, tmp_path):
    found, html, data = bundled
    path = tmp_path / "study.html"
    path.write_text(html, encoding="utf-8")
    s = open_page(html, url=path.as_uri())
    s.page.locator("#start").tap()
    grade(s.page)
    s.page.reload()
    assert today(s.page) == (1, 19, 0)  # in learning: due again in ten minutes
    assert s.requests == [path.as_uri(), path.as_uri()]
    assert s.errors == []


# ---------- size ----------

@pytest.mark.parametrize("width", [390, 320])
def test_nothing_is_wider_than_the_phone_and_targets_are_thumb_sized(open_page, bundled, width):
    found, html, data = bundled
    s = open_page(html, width=width)
    page = s.page
    page.locator("#settings-summary").tap()
    checks = [wide(page)]
    targets = small_targets(page)
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    page.locator("#filter-summary").tap()  # the open filter panel with its tags
    checks.append(wide(page))
    targets += small_targets(page)
    page.locator("#filters-done").tap()
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "order")
    checks.append(wide(page))
    targets += small_targets(page)
    page.locator("#check").tap()
    checks.append(wide(page))
    page.locator("[data-view=timeline]").tap()
    page.locator("#timeline .event").first.tap()
    checks.append(wide(page))
    targets += small_targets(page)
    page.locator("#timeline .source .link").first.tap()
    checks.append(wide(page))
    assert checks == [width] * len(checks)
    assert targets == []
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    assert s.errors == []


@pytest.mark.parametrize(("width", "height"), [(195, 422), (160, 284)])  # 390x844 and 320x568 phones at 200 % zoom
def test_at_200_percent_zoom_nothing_scrolls_sideways_and_the_grades_fit(open_page, bundled, width, height):
    found, html, data = bundled
    s = open_page(html, width=width, height=height)
    page = s.page
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    page.clock.run_for(450)
    boxes = page.eval_on_selector_all("#actions button", "bs => bs.map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right]; })")
    assert len(boxes) == 4 and all(left >= 0 and right <= width for left, right in boxes)
    # no label cut off inside its button either
    assert page.eval_on_selector_all("#actions button", "bs => bs.filter(b => b.scrollWidth > b.clientWidth || b.scrollHeight > b.clientHeight).length") == 0
    assert wide(page) == width
    page.locator("#good").tap()
    page.locator("#stop").tap()
    page.locator("#settings-summary").tap()
    page.locator("#stats-summary").tap()
    assert wide(page) == width
    assert s.errors == []


def test_the_first_choice_is_on_a_small_screen_without_scrolling(open_page, bundled):
    found, html, data = bundled
    page = open_page(html, width=360, height=640).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "mcq")
    expect(page.locator(".choice").first).to_be_in_viewport()
    page.locator(".choice").first.tap()
    expect(page.locator("#next")).to_be_focused()
    expect(page.locator("#feedback")).to_be_in_viewport()
    # the answer is shown once: marked among the choices, not repeated below them
    q = next(q for q in data["questions"] if q["kind"] == "mcq")
    assert page.locator("#card").inner_text().count(q["choices"][q["right"]]) == 1
    page.locator("[data-view=cards]").tap()
    page.locator("#start").tap()
    expect(page.locator("#reveal")).to_be_in_viewport()


# ---------- flashcards by the schedule ----------

def test_tapping_reveals_the_answer_and_grading_advances(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    page.locator("#start").tap()
    first = data["questions"][0]
    assert shown(page) == deck[0] == first["id"]
    assert page.locator("#back").count() == 0
    page.locator("#reveal").tap()
    expect(page.locator("#back .answer")).to_have_text(first["answer"])
    expect(page.locator("#back .source mark")).to_have_text(found.in_article_order()[0].anchor.quote(found.article))
    expect(page.locator("#good")).to_be_focused()  # once the grades wake up
    expect(page.locator("#good")).to_have_accessible_name("Good 10 min")
    page.locator("#good").tap()
    expect(page.locator("#reveal")).to_be_focused()
    assert shown(page) == deck[1]
    # the source opens the article at its paragraph; back, the answer is still shown
    page.locator("#reveal").tap()
    link = page.locator("#back .source .link").first
    assert link.evaluate("b => b.getAttribute('aria-label')") is None  # its name is its text
    link.tap()
    expect(page.locator("#article")).to_be_visible()
    expect(page.locator("#article mark")).to_have_count(1)
    page.locator("#article-back").tap()
    expect(page.locator("#back .source")).to_be_visible()  # the answer is still shown
    expect(page.locator("#good")).to_be_enabled()
    page.keyboard.press("3")
    expect(page.locator("#card")).to_have_attribute("data-card", deck[2])


def test_the_phones_back_gesture_returns_from_the_article_to_the_card(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    page.locator("#back .source .link").first.tap()
    expect(page.locator("#article")).to_be_visible()
    page.go_back()
    expect(page.locator("#study")).to_be_visible()
    expect(page.locator("#back .source")).to_be_visible()
    assert page.url == URL
    page.locator("#good").tap()
    expect(page.locator("#card")).to_have_attribute("data-card", cards(data)[1])


def test_a_double_tap_on_show_answer_never_grades(open_page, bundled):
    found, html, data = bundled
    for width, height in [(360, 640), (390, 844)]:
        page = open_page(html, width=width, height=height).page
        page.locator("#start").tap()
        for _ in range(2):
            card = shown(page)
            box = page.locator("#reveal").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.touchscreen.tap(x, y)
            page.touchscreen.tap(x, y)  # the second tap lands where a grade button now is
            page.mouse.click(x, y)
            expect(page.locator("#back")).to_be_visible()
            assert shown(page) == card
            assert card not in live_cards(saved(page, data["slug"]))
            page.locator("#good").tap()


def test_undo_puts_the_last_grades_back(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    page.locator("#start").tap()
    grade(page, "easy")
    grade(page, "again")
    assert live_cards(saved(page, data["slug"])) == {deck[0], deck[1]}
    page.locator("#undo").tap()
    assert shown(page) == deck[1]
    expect(page.locator("#reveal")).to_be_focused()
    page.keyboard.press("u")
    assert shown(page) == deck[0]
    expect(page.locator("#undo")).to_be_hidden()
    page.reload()
    assert today(page) == (0, 20, 0)  # both back to new, also after a reload
    assert live_cards(saved(page, data["slug"])) == set()
    assert len(grades(saved(page, data["slug"]))) == 2  # the grades stay in the log, taken back


def test_thirty_days_of_study_follow_the_schedule(open_page, tmp_path):
    """30 days of study (Asia/Tokyo, 20:00 each day) through the page's buttons, desired retention
    85 %, fuzz off: every morning's figures are those the reference FSRS gives for the reviews made
    (with Anki's learning-step rules, tests/fsrs_oracle.py). Ratings are mixed; 3 new cards a day."""
    from conftest import FIXTURES
    from fsrs_oracle import replay

    found = load_article_set(FIXTURES / "mini")
    data = page_data(found)
    deck = cards(data)
    tokyo = timezone(timedelta(hours=9))
    start = datetime(2025, 3, 1, 12, 0, tzinfo=tokyo)
    s = open_page(render_page(found), clock=start, zone="Asia/Tokyo")
    page = s.page
    page.locator("#settings-summary").tap()
    page.locator("#new-per-day").fill("3")
    page.locator("#new-per-day").dispatch_event("change")
    page.locator("#retention").select_option("0.85")  # a desired retention of its own
    page.locator("label[for=fuzz]").tap()  # fuzz off: the reference has none
    expect(page.locator("#fuzz")).not_to_be_checked()
    page.locator("#settings-summary").tap()
    reviews: dict[str, list[list[int]]] = {c: [] for c in deck}
    counter = 0
    pattern = [3, 3, 1, 3, 4, 3, 2, 3, 3, 1, 3, 3, 4]
    for day in range(30):
        page.clock.pause_at(start + timedelta(days=day, hours=8))  # 20:00 in Tokyo
        page.locator("[data-view=cards]").tap()
        study_day = (start + timedelta(days=day)).date().toordinal() - datetime(1970, 1, 1).date().toordinal()
        due = tomorrow = 0
        for card in deck:
            if reviews[card]:
                due_day = replay(reviews[card], 0.85)[-1][1]
                due += due_day <= study_day
                tomorrow += due_day == study_day + 1
        unseen = sum(1 for c in deck if not reviews[c])
        assert today(page) == (due, min(3, unseen), tomorrow), f"day {day}"
        on_screen = "() => document.querySelector('#reveal') && document.querySelector('#card').dataset.card"
        if page.locator("#start").count():
            page.locator("#start").tap()
            while card := page.evaluate(on_screen):  # by keyboard: the taps are tested elsewhere
                page.keyboard.press("Space")
                page.clock.run_for(450)
                rating = pattern[counter % len(pattern)]
                page.keyboard.press(str(rating))
                # the reference sees the same days; its times of day only rise, as the page's clock allows
                reviews[card].append([study_day * 86_400_000 + 6 * 3_600_000 + counter * 1000, rating])
                counter += 1
        expect(page.locator("#done-note")).to_contain_text("Done for today.")
    assert counter > 40 and s.errors == []  # 48 reviews at 85 %


def test_studying_ahead_and_the_quiz_never_change_the_schedule(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("#start").tap()
    grade(page)
    before = saved(page, data["slug"])["log"]
    page.locator("#stop").tap()
    page.locator("#practice").tap()
    page.locator("#reveal").tap()
    page.locator("#got").tap()
    page.locator("#reveal").tap()
    page.locator("#again").tap()
    page.locator("[data-view=quiz]").tap()
    page.locator("#reveal").tap()
    page.locator("#got").tap()
    assert saved(page, data["slug"])["log"] == before


def test_filters_change_todays_cards_and_keep_a_quiz_in_progress(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    kinds = {q["id"]: q for q in data["questions"]}
    page = open_page(html).page
    tap_filter(page, "tests", "claim")
    claims = [c for c in deck if kinds[c.split("#")[0]]["tests"] == "claim"]
    expect(page.locator("#match-count")).to_have_text(f"{len(claims)} of {len(deck)} cards match")
    expect(page.locator("#filter-summary")).to_be_focused()  # Done closed the panel
    expect(page.locator("#filter-body")).to_be_hidden()
    page.locator("#start").tap()
    assert shown(page) == claims[0]
    page.locator("[data-view=quiz]").tap()
    if page.locator(".choice").count():  # the first claim of the article is a true/false
        page.locator(".choice").first.tap()
        page.locator("#next").tap()
    else:
        page.locator("#reveal").tap()
        page.locator("#got").tap()
    quiz_card = shown(page)
    tap_filter(page, "kinds", "mcq")  # a quiz in progress is kept
    expect(page.locator("#run-note")).to_be_visible()
    assert shown(page) == quiz_card
    page.locator("#shuffle").tap()
    assert shown(page) == quiz_card
    page.locator("#restart-run").tap()
    mcq_claims = [c for c in claims if kinds[c.split("#")[0]]["kind"] == "mcq"]
    assert shown(page) in mcq_claims
    expect(page.locator("#count")).to_have_text(f"0 of {len(mcq_claims)} done · {len(mcq_claims)} to go")


def test_a_cloze_card_blanks_its_deletion(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    tap_filter(page, "kinds", "cloze")
    page.locator("#start").tap()
    expect(page.locator("#card .blank")).to_have_count(1)
    page.locator("#reveal").tap()
    first = next(q for q in data["questions"] if q["kind"] == "cloze")
    answers = [s["answer"] for s in first["segments"] if isinstance(s, dict) and s["n"] == first["numbers"][0]]
    expect(page.locator("#card .filled")).to_have_text(answers)


def test_typed_answers_are_checked_leniently(open_page, tmp_path):
    folder = tmp_path / "typed"
    folder.mkdir()
    (folder / "article.md").write_text("---\ntitle: T\n---\n\nThe Élysée Palace sent the Ministry of Defence a letter.\n", encoding="utf-8")
    (folder / "q.yaml").write_text(yaml.safe_dump({"questions": [
        {"id": "who", "kind": "qa", "tests": "event", "question": "Who sent the letter?", "answer": "The Élysée Palace",
         "passage": "The Élysée Palace sent"},
        {"id": "to", "kind": "cloze", "tests": "event", "text": "The Élysée Palace sent the [[c1::Ministry of Defence]] a letter."},
    ]}), encoding="utf-8")
    page = open_page(render_page(load_article_set(folder))).page
    page.locator("#start").tap()
    page.locator("#typed").fill("elysee palce!")  # no accent, no article, one typo
    page.locator("#typed").press("Enter")
    expect(page.locator("#feedback")).to_contain_text("✓ Right.")
    expect(page.locator("#good")).to_be_focused()
    page.locator("#good").tap()
    page.locator("#typed").fill("the army")
    page.locator("#check-typed").tap()
    expect(page.locator("#feedback")).to_contain_text("✗ Not quite.")
    expect(page.locator("#back")).to_be_visible()
    expect(page.locator("#again")).to_be_focused()
    page.locator("#override").tap()
    expect(page.locator("#feedback")).to_contain_text("Counted as right")
    expect(page.locator("#good")).to_be_focused()
    # in the quiz a typed answer counts, and "I was right" turns a miss into a point
    page.locator("[data-view=quiz]").tap()
    page.locator("#typed").fill("Elysee")
    page.locator("#typed").press("Enter")
    expect(page.locator("#feedback")).to_contain_text("✗ Not quite.")
    page.locator("#override").tap()
    page.locator("#next").tap()
    page.locator("#typed").fill("ministry of defense")
    page.locator("#typed").press("Enter")
    expect(page.locator("#feedback")).to_contain_text("✓ Right.")
    page.locator("#next").tap()
    expect(page.locator("#score")).to_have_text("Score: 2 of 2 right.")


# ---------- quiz ----------

def test_a_multiple_choice_tap_shows_feedback(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "mcq")
    mcqs = [q for q in data["questions"] if q["kind"] == "mcq"]
    q = mcqs[0]
    wrong = next(i for i in range(len(q["choices"])) if i != q["right"])
    page.locator(".choice").nth(wrong).tap()
    expect(page.locator("#feedback")).to_have_class("feedback bad")
    expect(page.locator(".choice.right")).to_contain_text(q["choices"][q["right"]])
    expect(page.locator(".choice.right")).to_contain_text("right answer")
    expect(page.locator(".choice.wrong")).to_contain_text("your answer")
    assert page.locator(".choice:not([disabled])").count() == 0
    quote = next(x for x in found.questions if x.id == q["id"]).anchor.quote(found.article)
    expect(page.locator("#back .source mark")).to_have_text(quote)
    page.locator("#next").tap()
    nxt = mcqs[1]
    expect(page.locator("#card .prompt")).to_have_text(nxt["prompt"])
    expect(page.locator(".choice").first).to_be_focused()
    page.locator(".choice").nth(nxt["right"]).tap()
    expect(page.locator("#feedback")).to_have_class("feedback good")
    expect(page.locator("#count")).to_have_text(f"2 of {len(mcqs)} done · {len(mcqs) - 2} to go")


def test_true_false_shows_the_correction(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "truefalse")
    q = next(q for q in data["questions"] if q["kind"] == "truefalse")
    page.locator(".choice").nth(0 if q["answer"] else 1).tap()
    expect(page.locator("#feedback")).to_have_class("feedback good")
    if q["correction"]:
        expect(page.locator("#back .correction")).to_contain_text(q["correction"])


def order_now(page) -> list[int]:
    return [int(x) for x in page.eval_on_selector_all(".order-item", "els => els.map(e => e.dataset.event)")]


def test_chronology_buttons_reorder_and_the_check_tells_right_from_wrong(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "order")
    chronologies = [q for q in data["questions"] if q["kind"] == "order"]
    assert order_now(page) == chronologies[0]["start"]
    expect(page.locator(".order-item").first.locator(".up")).to_be_disabled()
    before = order_now(page)
    page.locator(".order-item").nth(0).locator(".down").tap()
    assert order_now(page) == [before[1], before[0], *before[2:]]
    page.locator(".order-item").nth(1).locator(".up").tap()
    assert order_now(page) == before
    for pos in range(len(before)):
        while order_now(page)[pos] != pos:
            at = order_now(page).index(pos)
            page.locator(".order-item").nth(at).locator(".up").tap()
    page.locator("#check").tap()
    expect(page.locator("#feedback")).to_have_class("feedback good")
    expect(page.locator(".order-item.right")).to_have_count(len(before))
    page.locator("#next").tap()
    assert order_now(page) == chronologies[1]["start"]
    page.locator("#check").tap()
    expect(page.locator("#feedback")).to_have_class("feedback bad")
    expect(page.locator("#feedback")).to_contain_text(f"of {len(chronologies[1]['events'])} in the right place")
    expect(page.locator("#back .right-order li")).to_have_count(len(chronologies[1]["events"]))
    page.locator("#next").tap()
    expect(page.locator("#score")).to_have_text("Score: 1 of 2 right.")


def test_self_graded_short_answer_in_the_quiz(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "qa")
    page.locator("#reveal").tap()
    expect(page.locator("#back .answer")).to_be_visible()
    page.locator("#got").tap()
    expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "1")


# ---------- sources, timeline, article ----------

def test_the_timeline_shows_passages_and_opens_the_article(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=timeline]").tap()
    whens = page.locator("#timeline .timeline:not(.loose) > .node > .when").all_inner_texts()
    assert whens == [n["when"] for n in data["timeline"]["ordered"]]
    event = page.locator("#timeline .event").nth(1)
    event.tap()
    expect(event).to_have_attribute("aria-expanded", "true")
    reactor = data["timeline"]["ordered"][1]["items"][0]["source"]
    block, start, end = reactor["spans"][0][:3]
    expected = found.article.blocks[block].text[start:end]
    expect(page.locator("#timeline .event-source mark")).to_have_text(expected)
    page.locator("#timeline .event-source .link").tap()
    expect(page.locator("#article")).to_be_visible()
    target = page.locator(f"#block-{block}")
    expect(target).to_be_in_viewport()
    expect(target.locator("mark")).to_have_text(expected)
    expect(target).to_be_focused()
    page.locator("#article-back").tap()
    expect(page.locator("#timeline")).to_be_visible()


def test_the_timeline_kept_laid_out_in_another_view_is_out_of_reach(open_page, bundled):
    """The timeline is laid out while hidden (so its tab shows at once), yet from another view the
    keyboard, Find and screen readers reach it no more than they reached display: none."""
    found, html, data = bundled
    page = open_page(html).page
    page.clock.run_for(3000)  # the page lays the timeline out when idle
    first = data["timeline"]["ordered"][0]["items"][0]["text"]

    def reach() -> tuple[bool, bool, bool, bool]:
        page.evaluate("document.activeElement.blur(); getSelection().removeAllRanges()")
        tabbed = False
        for _ in range(25):
            page.keyboard.press("Tab")
            tabbed |= page.evaluate("!!document.activeElement.closest('#timeline')")
        found_ = page.evaluate("t => (getSelection().removeAllRanges(), window.find(t))", first)
        spoken = first in page.locator("main").aria_snapshot()
        return page.locator("#timeline .event").first.is_visible(), tabbed, found_, spoken

    for view in ("cards", "quiz", "article"):
        page.locator(f"[data-view={view}]").tap()
        assert page.locator("#timeline-body .event").count() == sum(len(n["items"]) for p in ("ordered", "loose") for n in data["timeline"][p])
        assert reach() == (False, False, False, False), view
        assert "Timeline" not in page.locator("main").aria_snapshot(), view
        page.locator("[data-view=timeline]").tap()
        assert reach() == (True, True, True, True), view

def test_a_reopened_page_starts_on_the_study_screen_and_reset_clears_progress(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("#start").tap()
    grade(page, "easy")
    grade(page, "easy")
    page.locator("[data-view=article]").tap()
    page.reload()
    expect(page.locator("#study")).to_be_visible()
    assert today(page) == (0, 18, 0)
    assert live_cards(saved(page, data["slug"])) == set(cards(data)[:2])
    page.locator("#reset").tap()
    page.locator("#reset-yes").tap()
    assert today(page) == (0, 20, 0)
    page.reload()
    assert today(page) == (0, 20, 0)
    assert live_cards(saved(page, data["slug"])) == set()


def test_the_view_and_the_quiz_run_survive_a_reload(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "mcq")
    page.locator(".choice").first.tap()
    page.reload()
    expect(page.locator("[data-view=quiz]")).to_have_attribute("aria-current", "page")
    mcqs = [q for q in data["questions"] if q["kind"] == "mcq"]
    expect(page.locator("#card .prompt")).to_have_text(mcqs[1]["prompt"])
    expect(page.locator("#filter-summary")).to_have_text(f"Filters ({len(mcqs)} cards)")


def test_leitner_progress_of_the_old_page_is_carried_over(open_page, bundled):
    found, html, data = bundled
    slug = data["slug"]
    deck = cards(data)
    old = {deck[0]: [1, 3], deck[1]: [3, 2], deck[2]: [5, 3], "gone": [4, 1]}
    init = f"""
    if (!sessionStorage.getItem('seeded')) {{
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('quizgen:study:{slug}:0123456789ab', JSON.stringify({{session: 3, boxes: {json.dumps(old)}}}));
      localStorage.setItem('quizgen:study:{slug}:ba9876543210', JSON.stringify({{session: 1, boxes: {{}}}}));
      localStorage.setItem('quizgen:study:other:0123456789ab', '{{}}');
    }}
    """
    s = open_page(html, init=init)
    page = s.page
    assert today(page) == (1, 20, 0)  # box 1 due today, box 3 in 2 days, box 5 in 8 days
    keys = page.evaluate("Object.keys(localStorage).sort()")
    assert keys == sorted(["quizgen:study:other:0123456789ab", f"quizgen:study:{slug}"])
    carried = {e["id"]: e["rec"] for e in saved(page, slug)["log"] if e.get("k") == "set"}
    assert set(carried) == set(deck[:3])
    assert [carried[c]["st"] for c in deck[:3]] == [2, 2, 2]
    page.locator("#start").tap()
    assert shown(page) == deck[0]
    assert s.errors == []


def test_broken_progress_is_ignored(open_page, bundled):
    found, html, data = bundled
    slug = data["slug"]
    first = cards(data)[0]
    init = f"""
    if (!sessionStorage.getItem('seeded')) {{
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('quizgen:study:{slug}', JSON.stringify({{
        cards: {{nope: {{m: 1}}, '{first}': {{m: 'x', st: 9}}}},
        prefs: {{view: 'nowhere', kinds: ['bogus'], tags: 5, newPerDay: -3}}, runs: {{quiz: {{queue: ['unknown'], i: 7}}}}
      }}));
    }}
    """
    s = open_page(html, init=init)
    page = s.page
    assert today(page) == (0, 20, 0)
    page.locator("#start").tap()
    grade(page)
    page.evaluate(f"localStorage.setItem('quizgen:study:{slug}', '{{not json')")
    page.reload()
    assert today(page) == (0, 20, 0)
    assert s.errors == []


@pytest.mark.parametrize("init", [THROWING_GETTER, THROWING_METHODS], ids=["getter", "methods"])
def test_storage_that_throws_does_not_break_the_page(open_page, bundled, init):
    found, html, data = bundled
    s = open_page(html, init=init)
    page = s.page
    expect(page.locator("#memory")).to_be_visible()
    page.locator("#start").tap()
    grade(page)
    page.locator("#stop").tap()
    assert today(page) == (1, 19, 0)
    page.locator("#reset").tap()
    page.locator("#reset-yes").tap()
    assert today(page) == (0, 20, 0)
    page.locator("[data-view=quiz]").tap()
    page.locator("#reveal").tap()
    page.locator("#got").tap()
    expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "1")
    assert s.errors == []


def test_two_tabs_merge_their_grades(open_page, bundled, browser):
    found, html, data = bundled
    deck = cards(data)
    one = open_page(html)
    two = open_page(html, context=one.page.context)  # the older tab, opened before any grade
    one.page.bring_to_front()  # a tab in the background gets no animation frames
    one.page.locator("#start").tap()
    for _ in range(10):
        grade(one.page, "easy")
    expect(two.page.locator("#new-count")).to_have_text("10")  # it heard the other tab
    two.page.bring_to_front()
    two.page.locator("#start").tap()
    assert shown(two.page) == deck[10]
    grade(two.page, "easy")
    assert live_cards(saved(one.page, data["slug"])) == set(deck[:11])
    one.page.bring_to_front()
    one.page.locator("#stop").tap()
    assert today(one.page) == (0, 9, 0)


def test_export_then_import_into_a_fresh_browser(open_page, bundled, browser, tmp_path):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("#start").tap()
    for which in ("good", "easy", "again", "hard", "easy"):
        grade(page, which)
    page.locator("#stop").tap()
    figures = today(page)
    page.locator("#settings-summary").tap()
    with page.expect_download() as info:
        page.locator("#export").tap()
    download = info.value
    assert download.suggested_filename == f"{data['slug']}-progress.json"
    path = tmp_path / "progress.json"
    download.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["format"] == "quizgen-study-progress" and len(exported["log"]) == 5
    assert path.stat().st_size < 5_000
    fresh = open_page(html).page  # another profile
    assert today(fresh) == (0, 20, 0)
    fresh.locator("#settings-summary").tap()
    fresh.locator("#import-file").set_input_files(str(path))
    expect(fresh.locator("#backup-status")).to_have_text("Imported: 5 cards updated.")
    assert today(fresh) == figures
    # importing an older copy changes nothing: the newest review of each card wins
    fresh.locator("#import-file").set_input_files(str(path))
    expect(fresh.locator("#backup-status")).to_have_text("Imported: 0 cards updated.")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**exported, "slug": "another"}), encoding="utf-8")
    fresh.locator("#import-file").set_input_files(str(other))
    expect(fresh.locator("#backup-status")).to_contain_text("another article")


def test_a_rebuild_after_an_edit_keeps_every_cards_progress(open_page, content):
    before = load_article_set(content / "mini")
    data = page_data(before)
    deck = cards(data)
    s = open_page(render_page(before))
    s.page.locator("#start").tap()
    for which in ("easy", "good", "easy", "hard", "easy"):
        grade(s.page, which)
    kept = saved(s.page, data["slug"])["log"]
    edited = data["questions"][0]["id"]
    q = content / "mini" / "q.yaml"
    text = q.read_text(encoding="utf-8")
    old_question = data["questions"][0]["prompt"]
    q.write_text(text.replace(old_question, old_question.rstrip("?") + ", then?"), encoding="utf-8")
    after = load_article_set(content / "mini")
    assert page_data(after)["version"] != data["version"]
    page = open_page(render_page(after), context=s.page.context).page
    assert saved(page, data["slug"])["log"] == kept
    assert edited in live_cards({"log": kept}) and live_cards({"log": kept}) == set(deck[:5])
    expect(page.locator("#new-count")).to_have_text(str(len(deck) - 5))  # the mini set has fewer than 20 cards


# ---------- keyboard, themes, direction, hostile text ----------

def test_keyboard(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    page.locator("#start").tap()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Space")
    expect(page.locator("#back")).to_be_visible()
    expect(page.locator("#good")).to_be_enabled()
    page.keyboard.press("4")  # easy
    expect(page.locator("#card")).to_have_attribute("data-card", deck[1])
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Space")
    expect(page.locator("#good")).to_be_enabled()
    page.keyboard.press("ArrowRight")  # good
    expect(page.locator("#card")).to_have_attribute("data-card", deck[2])
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "mcq")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('choice')")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("1")
    expect(page.locator("#feedback")).to_be_visible()
    expect(page.locator("#next")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_have_count(0)
    expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "1")
    names = page.eval_on_selector_all("button", "bs => bs.filter(b => !(b.getAttribute('aria-label') || b.textContent).trim()).length")
    assert names == 0


def test_two_button_mode(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("#settings-summary").tap()
    page.locator("label[for=buttons-2]").tap()
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    expect(page.locator("#actions button")).to_have_count(2)
    expect(page.locator("#again")).to_be_visible()
    page.locator("#good").tap()
    page.reload()
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    expect(page.locator("#actions button")).to_have_count(2)


def test_dark_theme_changes_colours(open_page, bundled):
    found, html, data = bundled
    colours = "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    light = open_page(html).page.evaluate(colours)
    page = open_page(html, dark=True).page
    dark = page.evaluate(colours)
    assert light == ["rgb(28, 28, 28)", "rgb(247, 246, 242)"]
    assert dark == ["rgb(236, 236, 236)", "rgb(20, 20, 20)"]
    page.emulate_media(color_scheme="light")
    assert page.evaluate(colours) == light


def test_right_to_left_article(open_page, tmp_path):
    found = load_article_set(write_hostile(tmp_path / "evil", language="he"))
    s = open_page(render_page(found), width=320)
    assert s.page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert wide(s.page) == 320
    assert s.errors == []


def test_hostile_text_stays_text_in_the_browser(open_page, tmp_path):
    found = load_article_set(write_hostile(tmp_path / "evil"))
    s = open_page(render_page(found))
    page = s.page
    page.locator("#start").tap()
    # the cloze first: its passage starts where the short answer's does, and is shorter
    expect(page.locator("#card .blank")).to_contain_text("<img src=x onerror=alert(1)>")
    page.locator("#typed").fill(HOSTILE)
    page.locator("#typed").press("Enter")
    expect(page.locator("#feedback")).to_contain_text(HOSTILE)
    page.locator("#good").tap()
    page.locator("#reveal").tap()  # its second deletion
    page.locator("#good").tap()
    expect(page.locator("#card .prompt")).to_have_text(f"Q {HOSTILE}")
    page.locator("#reveal").tap()
    expect(page.locator("#back .answer")).to_have_text(f"A {HOSTILE}")
    page.locator("[data-view=quiz]").tap()
    page.locator("[data-view=timeline]").tap()
    page.locator("#timeline .event").first.tap()
    page.locator("[data-view=article]").tap()
    expect(page.locator("#block-0")).to_contain_text(HOSTILE)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 7  # messages, data, install, ts-fsrs, schedule, judge, page
    assert page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))") == [HOSTILE_URL]
    assert s.dialogs == [] and s.errors == []
    assert s.requests == [URL]


# ---------- the README's picture ----------

def test_phone_screenshot(open_page, bundled, tmp_path):
    """The Today screen after a first day's study; QUIZGEN_UPDATE_SCREENSHOT=1 writes it to docs/study-phone.png."""
    found, html, data = bundled
    page = open_page(html, clock=datetime(2025, 3, 3, 19, 0, tzinfo=timezone.utc), zone="UTC").page
    page.emulate_media(reduced_motion="reduce")
    page.locator("#start").tap()
    for which in ("good", "easy", "good", "easy", "hard", "easy", "easy", "good"):
        grade(page, which)
    page.clock.fast_forward("24:00:00")
    page.locator("[data-view=cards]").tap()
    assert today(page)[0] > 0
    shot = tmp_path / "study-phone.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("QUIZGEN_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "study-phone.png")


# ---------- accessibility: axe-core on every screen, light and dark ----------

def axe_violations(page, screen: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.clock.run_for(450)  # the grade buttons are awake
    page.evaluate("document.getAnimations().forEach(a => a.finish())")
    results = Axe().run(page)
    return [f"{screen}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_nothing_on_any_screen(open_page, tmp_path, dark):
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is in the test extras")
    found = load_article_set(write_hostile(tmp_path / "evil"))  # every kind of question, every field
    page = open_page(render_page(found), dark=dark).page
    page.emulate_media(reduced_motion="reduce")
    found_problems = axe_violations(page, "today")
    page.locator("#settings-summary").tap()
    page.locator("#filter-summary").tap()
    found_problems += axe_violations(page, "today with filters and settings open")
    page.locator("#filters-done").tap()
    page.locator("#start").tap()
    found_problems += axe_violations(page, "a card")
    page.locator("#reveal").tap()
    found_problems += axe_violations(page, "its answer")
    page.locator("#good").tap()
    page.locator("#typed").fill("nope")
    page.locator("#typed").press("Enter")
    found_problems += axe_violations(page, "a typed answer")
    page.locator("#good").tap()
    while page.locator("#reveal").count():
        grade(page, "easy")
    found_problems += axe_violations(page, "done for today")
    page.locator("[data-view=quiz]").tap()
    seen = set()
    while not page.locator("#score").count():
        if page.locator("#reveal").count():
            page.locator("#reveal").tap()
            kind = "quiz self-graded answer"
            if kind not in seen:
                found_problems += axe_violations(page, kind)
            page.clock.run_for(450)
            page.locator("#got").tap()
        else:
            if page.locator("#check").count():
                page.locator("#check").tap()
                kind = "quiz order"
            else:
                page.locator(".choice").first.tap()
                kind = "quiz choice"
            if kind not in seen:
                found_problems += axe_violations(page, kind)
            page.locator("#next").tap()
        seen.add(kind)
    assert seen == {"quiz self-graded answer", "quiz order", "quiz choice"}
    found_problems += axe_violations(page, "quiz score")
    page.locator("[data-view=timeline]").tap()
    page.locator("#timeline .event").first.tap()
    found_problems += axe_violations(page, "timeline")
    page.locator("#timeline .source .link").first.tap()
    found_problems += axe_violations(page, "article")
    assert found_problems == []


def _luminance(rgb: str) -> float:
    channels = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_controls_and_the_highlight_reach_3_to_1(open_page, bundled, dark):
    found, html, data = bundled
    page = open_page(html, dark=dark).page
    page.locator("#start").tap()
    page.locator("#reveal").tap()
    colours = page.evaluate("""() => {
        const css = e => getComputedStyle(e);
        const mark = document.querySelector('#back mark');
        return {
          page: css(document.body).backgroundColor, card: css(document.querySelector('#card')).backgroundColor,
          border: css(document.querySelector('#practice, #stop')).borderTopColor,
          markLine: css(mark).boxShadow.match(/rgba?\\([^)]*\\)/)[0],
        };
    }""")
    for surface in ("page", "card"):
        assert contrast(colours["border"], colours[surface]) >= 3, (surface, colours)
        assert contrast(colours["markLine"], colours[surface]) >= 3, (surface, colours)


def test_the_end_of_the_day_is_told_honestly_and_gets_the_focus(open_page, content):
    found = load_article_set(content / "mini")
    deck = cards(page_data(found))
    calls = "window.__persist = 0; const p = navigator.storage.persist.bind(navigator.storage); navigator.storage.persist = () => { window.__persist++; return p(); };"
    page = open_page(render_page(found), init=calls).page
    assert page.evaluate("window.__persist") >= 1  # the page asks the browser to keep its storage
    page.locator("#start").tap()
    expect(page.locator("#reveal")).to_be_focused()
    grade(page, "again")  # back in a minute: still today
    grade(page, "hard")
    while page.locator("#reveal").count():
        grade(page, "easy")
    expect(page.locator("#today-title")).to_be_focused()
    # the Again and the Hard card came back the same day until passed: nothing is left for today,
    # and the end says what tomorrow holds (the card missed once comes back tomorrow)
    expect(page.locator("#done-note")).to_have_text("Done for today. 1 card due tomorrow.")
    assert today(page) == (0, 0, 1)
    assert len(deck) == 10


def test_accessible_names_start_with_the_visible_label(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    names = []
    for step in ("#start", "#reveal"):
        page.locator(step).tap()
        page.clock.run_for(450)
        names += page.evaluate("""() => [...document.querySelectorAll('button, summary, a')]
            .filter(e => e.offsetParent !== null && /[A-Za-z]/.test(e.textContent))
            .map(e => [e.textContent.replace(/\\s+/g, ' ').trim(), (e.getAttribute('aria-label') || '').trim()])""")
    mismatched = [(text, label) for text, label in names if label and not label.lower().startswith(text.split(" ")[0].lower())]
    assert names and mismatched == []
    expect(page.locator("#good")).to_have_accessible_name(re.compile(r"^Good \d+ min$"))
    expect(page.locator("#back .source .link").first).to_have_accessible_name(re.compile(r"^Read it in the article \(¶\d+\)$"))
