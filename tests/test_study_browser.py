"""The study page in Chromium at a phone's size: what a thumb does, what the page remembers.

Every page is opened in a fresh 390x844 (or 320 px) mobile context with touch; the page is served
from a fake https origin through Playwright's routing, or opened from a file. Every request the
browser makes is recorded: only the page itself may be asked for.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from conftest import ROOT  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from study_helpers import HOSTILE, HOSTILE_URL, write_hostile  # noqa: E402

from generator.builders.study import render_page  # noqa: E402
from generator.builders.study.data import page_data  # noqa: E402
from generator.load import load_article_set  # noqa: E402

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
ORIGIN = "https://study.quizgen.invalid"
URL = f"{ORIGIN}/study.html"
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
               url: str = URL, dark: bool = False) -> Session:
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True,
                                      color_scheme="dark" if dark else "light")
        # no service worker: the served page's is tested in test_serve_browser.py, against a real server
        context.add_init_script("delete Navigator.prototype.serviceWorker;")
        contexts.append(context)
        page = context.new_page()
        session = Session(page)
        context.on("request", lambda r: session.requests.append(r.url))
        page.on("pageerror", lambda e: session.errors.append(str(e)))
        page.on("console", lambda m: session.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("dialog", lambda d: (session.dialogs.append(d.message), d.dismiss()))
        if init:
            context.add_init_script(init)
        context.route(f"{ORIGIN}/**", lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=html))
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
    page.locator("#filter-summary").tap()


def wide(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def small_targets(page) -> list[str]:
    """Visible controls smaller than 44x44 CSS pixels."""
    return page.evaluate("""() => [...document.querySelectorAll('button, summary, a, label.check')]
        .filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
        .map(e => e.outerHTML.slice(0, 80))""")


# ---------- loading ----------

def test_served_page_loads_cleanly_and_asks_for_nothing(open_page, bundled):
    found, html, data = bundled
    s = open_page(html)
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
    expect(s.page.locator("#card .prompt")).to_have_text(data["questions"][0]["prompt"])
    s.page.locator("#reveal").tap()
    s.page.locator("#got").tap()
    s.page.reload()
    expect(s.page.locator("#count")).to_contain_text("1 of")
    assert s.requests == [path.as_uri(), path.as_uri()]
    assert s.errors == []


# ---------- size ----------

@pytest.mark.parametrize("width", [390, 320])
def test_nothing_is_wider_than_the_phone_and_targets_are_thumb_sized(open_page, bundled, width):
    found, html, data = bundled
    s = open_page(html, width=width)
    page = s.page
    page.locator("#reveal").tap()
    page.locator("#filter-summary").tap()  # the open filter panel with its tags
    checks = [wide(page)]
    targets = small_targets(page)
    page.locator("#filter-summary").tap()
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


# ---------- flashcards ----------

def test_tapping_reveals_the_answer_and_grading_advances(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    first = data["questions"][0]
    assert shown(page) == deck[0] == first["id"]
    assert page.locator("#back").count() == 0
    page.locator("#reveal").tap()
    expect(page.locator("#back .answer")).to_have_text(first["answer"])
    expect(page.locator("#back .source mark")).to_have_text(found.questions[0].anchor.quote(found.article))
    page.locator("#got").tap()
    expect(page.locator("#count")).to_have_text(f"1 of {len(deck)} done · {len(deck) - 1} to go")
    expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "1")
    assert shown(page) == deck[1]
    # the source opens the article at its paragraph; back, the answer is still shown
    page.locator("#reveal").tap()
    page.locator("#back .source .link").tap()
    expect(page.locator("#article")).to_be_visible()
    expect(page.locator("#article mark")).to_have_count(1)
    page.locator("#article-back").tap()
    expect(page.locator("#back .answer")).to_be_visible()
    page.keyboard.press("2")
    assert shown(page) == deck[2]


def test_again_brings_the_card_back_later(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    page.locator("#reveal").tap()
    page.locator("#again").tap()
    expect(page.locator("#count")).to_have_text(f"0 of {len(deck)} done · {len(deck)} to go")  # still to do
    seen = []
    for _ in range(3):
        seen.append(shown(page))
        page.locator("#reveal").tap()
        page.locator("#got").tap()
    assert seen == deck[1:4]
    assert shown(page) == deck[0]
    expect(page.locator("#card .kind")).to_contain_text("box 1")


def test_leitner_boxes_decide_what_is_due_in_later_sessions(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    tap_filter(page, "kinds", "order")
    first, second = [q["id"] for q in data["questions"] if q["kind"] == "order"]

    def grade(button: str) -> None:
        page.locator("#reveal").tap()
        page.locator(button).tap()

    # session 1: the first right (to box 2), the second missed (box 1), back at once, then right
    assert shown(page) == first
    grade("#got")
    grade("#again")
    assert shown(page) == second
    grade("#got")
    expect(page.locator("#score")).to_have_text("Got it first time: 1 of 2.")
    # session 2: only the box-1 card is due
    page.locator("#new-run").tap()
    expect(page.locator("#count")).to_have_text("0 of 1 done · 1 to go")
    assert shown(page) == second
    expect(page.locator("#card .kind")).to_contain_text("box 1")
    grade("#got")
    # session 3: box 2 comes round every second session: now the first is due, the second is not
    page.locator("#new-run").tap()
    expect(page.locator("#count")).to_have_text("0 of 1 done · 1 to go")
    assert shown(page) == first
    expect(page.locator("#card .kind")).to_contain_text("box 2")
    expect(page.locator("#ahead")).to_be_hidden()
    grade("#got")  # to box 3
    # session 4: the second is due again (box 2, last seen in session 2)
    page.locator("#new-run").tap()
    expect(page.locator("#count")).to_have_text("0 of 1 done · 1 to go")
    assert shown(page) == second
    grade("#got")
    # session 5: nothing due: both are reviewed ahead, the one due soonest first
    page.locator("#new-run").tap()
    expect(page.locator("#ahead")).to_be_visible()
    expect(page.locator("#count")).to_have_text("0 of 2 done · 2 to go")
    assert shown(page) == first  # box 3 since session 3: due in 7; the second (box 3 since 4) in 8


def test_filters_and_shuffle(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    kinds = {q["id"]: q for q in data["questions"]}
    page = open_page(html).page
    key = f"quizgen:study:{data['slug']}:{data['version']}"

    def queue() -> list[str]:
        return page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).runs.cards.queue")

    tap_filter(page, "tests", "claim")
    claims = [c for c in deck if kinds[c.split("#")[0]]["tests"] == "claim"]
    expect(page.locator("#match-count")).to_have_text(f"{len(claims)} of {len(deck)} cards match")
    assert queue() == claims
    tap_filter(page, "tags", "putin")  # and any of the tags
    both = [c for c in claims if "putin" in kinds[c.split("#")[0]]["tags"]]
    expect(page.locator("#count")).to_have_text(f"0 of {len(both)} done · {len(both)} to go")
    assert queue() == both
    page.locator("#filter-summary").tap()
    page.locator("#clear-filters").tap()
    assert queue() == deck
    page.locator("#shuffle").tap()
    expect(page.locator("#shuffle")).to_have_attribute("aria-pressed", "true")
    shuffled = queue()
    assert sorted(shuffled) == sorted(deck) and shuffled != deck
    assert shown(page) == shuffled[0]


def test_a_cloze_card_blanks_its_deletion(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    tap_filter(page, "kinds", "cloze")
    expect(page.locator("#card .blank")).to_have_count(1)
    page.locator("#reveal").tap()
    first = next(q for q in data["questions"] if q["kind"] == "cloze")
    answers = [s["answer"] for s in first["segments"] if isinstance(s, dict) and s["n"] == first["numbers"][0]]
    expect(page.locator("#card .filled")).to_have_text(answers)


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
    feedback = page.locator("#feedback")
    expect(feedback).to_have_class("feedback bad")
    expect(feedback).to_contain_text("The answer is: " + q["choices"][q["right"]])
    expect(page.locator(".choice.right")).to_contain_text(q["choices"][q["right"]])
    expect(page.locator(".choice.right")).to_contain_text("right answer")
    expect(page.locator(".choice.wrong")).to_contain_text("your answer")
    assert page.locator(".choice:not([disabled])").count() == 0
    quote = next(x for x in found.questions if x.id == q["id"]).anchor.quote(found.article)
    expect(page.locator("#back .source mark")).to_have_text(quote)
    page.locator("#next").tap()
    nxt = mcqs[1]
    expect(page.locator("#card .prompt")).to_have_text(nxt["prompt"])
    page.locator(".choice").nth(nxt["right"]).tap()
    expect(page.locator("#feedback")).to_have_class("feedback good")
    expect(page.locator("#count")).to_have_text(f"2 of {len(mcqs)} done · {len(mcqs) - 2} to go")


def test_true_false_shows_the_correction(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "truefalse")
    q = next(q for q in data["questions"] if q["kind"] == "truefalse")
    page.locator(".choice").nth(0 if q["answer"] else 1).tap()  # the right verdict
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
    # put it right with the up buttons alone
    for pos in range(len(before)):
        while order_now(page)[pos] != pos:
            at = order_now(page).index(pos)
            page.locator(".order-item").nth(at).locator(".up").tap()
    page.locator("#check").tap()
    expect(page.locator("#feedback")).to_have_class("feedback good")
    expect(page.locator(".order-item.right")).to_have_count(len(before))
    page.locator("#next").tap()
    # the second starts shuffled, never right: checking it at once is wrong
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
    expected = found.article.blocks[block].text[start:end]  # no characters outside the BMP here
    expect(page.locator("#timeline .event-source mark")).to_have_text(expected)
    page.locator("#timeline .event-source .link").tap()
    expect(page.locator("#article")).to_be_visible()
    target = page.locator(f"#block-{block}")
    expect(target).to_be_in_viewport()
    expect(target.locator("mark")).to_have_text(expected)
    expect(target).to_be_focused()
    page.locator("#article-back").tap()
    expect(page.locator("#timeline")).to_be_visible()


# ---------- memory ----------

def test_progress_survives_a_reload_and_reset_clears_it(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    for _ in range(2):
        page.locator("#reveal").tap()
        page.locator("#got").tap()
    page.reload()
    expect(page.locator("#count")).to_have_text(f"2 of {len(deck)} done · {len(deck) - 2} to go")
    assert shown(page) == deck[2]
    key = f"quizgen:study:{data['slug']}:{data['version']}"
    boxes = page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).boxes")
    assert boxes == {deck[0]: [2, 1], deck[1]: [2, 1]}
    page.locator("#reset").tap()
    page.locator("#reset-yes").tap()
    expect(page.locator("#count")).to_have_text(f"0 of {len(deck)} done · {len(deck)} to go")
    assert shown(page) == deck[0]
    page.reload()
    expect(page.locator("#count")).to_have_text(f"0 of {len(deck)} done · {len(deck)} to go")
    assert page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).boxes") == {}


def test_the_view_and_the_quiz_run_survive_a_reload(open_page, bundled):
    found, html, data = bundled
    page = open_page(html).page
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "mcq")
    page.locator(".choice").first.tap()
    page.reload()
    expect(page.locator("[data-view=quiz]")).to_have_attribute("aria-current", "page")
    mcqs = [q for q in data["questions"] if q["kind"] == "mcq"]
    expect(page.locator("#card .prompt")).to_have_text(mcqs[1]["prompt"])  # answered means done
    expect(page.locator("#filter-summary")).to_have_text(f"Filters ({len(mcqs)} cards)")


def test_old_or_broken_progress_is_ignored(open_page, bundled):
    found, html, data = bundled
    slug, version = data["slug"], data["version"]
    init = f"""
    if (!sessionStorage.getItem('seeded')) {{
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('quizgen:study:{slug}:000000000000', JSON.stringify({{session: 3, boxes: {{'gone': [5, 1]}}}}));
      localStorage.setItem('quizgen:study:{slug}:{version}', JSON.stringify({{
        session: 'x', boxes: {{nope: [9, 9], '{data['questions'][0]['id']}': ['a']}},
        prefs: {{view: 'nowhere', kinds: ['bogus'], tags: 5}}, runs: {{cards: {{queue: ['unknown'], i: 7}}}}
      }}));
    }}
    """
    s = open_page(html, init=init)
    page = s.page
    deck = cards(data)
    expect(page.locator("#count")).to_have_text(f"0 of {len(deck)} done · {len(deck)} to go")
    page.locator("#reveal").tap()
    page.locator("#got").tap()
    expect(page.locator("#count")).to_contain_text("1 of")
    page.evaluate(f"localStorage.setItem('quizgen:study:{slug}:{version}', '{{not json')")
    page.reload()
    expect(page.locator("#count")).to_have_text(f"0 of {len(deck)} done · {len(deck)} to go")
    assert s.errors == []


@pytest.mark.parametrize("init", [THROWING_GETTER, THROWING_METHODS], ids=["getter", "methods"])
def test_storage_that_throws_does_not_break_the_page(open_page, bundled, init):
    found, html, data = bundled
    s = open_page(html, init=init)
    page = s.page
    expect(page.locator("#memory")).to_be_visible()
    page.locator("#reveal").tap()
    page.locator("#got").tap()
    expect(page.locator("#count")).to_contain_text("1 of")
    page.locator("[data-view=quiz]").tap()
    page.locator("#reset").tap()
    page.locator("#reset-yes").tap()
    expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "0")
    assert s.errors == []


# ---------- keyboard, themes, direction, hostile text ----------

def test_keyboard(open_page, bundled):
    found, html, data = bundled
    deck = cards(data)
    page = open_page(html).page
    page.keyboard.press("Space")
    expect(page.locator("#back")).to_be_visible()
    page.keyboard.press("2")
    expect(page.locator("#count")).to_have_text(f"1 of {len(deck)} done · {len(deck) - 1} to go")
    page.keyboard.press("Space")
    page.keyboard.press("1")  # again: still to do
    expect(page.locator("#count")).to_have_text(f"1 of {len(deck)} done · {len(deck) - 1} to go")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#count")).to_have_text(f"2 of {len(deck)} done · {len(deck) - 2} to go")
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
    assert names == 0  # every button has an accessible name


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
    expect(page.locator("#card .prompt")).to_have_text(f"Q {HOSTILE}")
    page.locator("#reveal").tap()
    expect(page.locator("#back .answer")).to_have_text(f"A {HOSTILE}")
    page.locator("#got").tap()
    expect(page.locator("#card .blank")).to_contain_text("<img src=x onerror=alert(1)>")
    page.locator("[data-view=quiz]").tap()
    page.locator("[data-view=timeline]").tap()
    page.locator("#timeline .event").first.tap()
    page.locator("[data-view=article]").tap()
    expect(page.locator("#block-0")).to_contain_text(HOSTILE)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, page, install
    assert page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))") == [HOSTILE_URL]
    assert s.dialogs == [] and s.errors == []
    assert s.requests == [URL]


# ---------- the README's picture ----------

def test_phone_screenshot(open_page, bundled, tmp_path):
    """Takes the README's screenshot; QUIZGEN_UPDATE_SCREENSHOT=1 writes it to docs/study-phone.png."""
    found, html, data = bundled
    page = open_page(html).page
    page.emulate_media(reduced_motion="reduce")  # the progress bar is drawn at once, not mid-way
    page.locator("[data-view=quiz]").tap()
    tap_filter(page, "kinds", "mcq")
    q = next(q for q in data["questions"] if q["kind"] == "mcq")
    page.locator(".choice").nth(q["right"]).tap()
    page.evaluate("window.scrollTo(0, document.querySelector('.tabs').offsetTop - 12)")
    shot = tmp_path / "study-phone.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("QUIZGEN_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "study-phone.png")
