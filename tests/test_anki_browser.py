"""Multiple-choice cards in a real browser: the back shows the front's shuffled order.

The cards are rendered by the official `anki` package, then shown in Chromium the way AnkiDroid
shows them: the back is a fresh page, so the order must travel through sessionStorage.
"""

from __future__ import annotations

import re
import shutil

import pytest

pytest.importorskip("anki", reason="the `anki` package is in the test extras: pip install -e '.[test]'")

from anki.collection import Collection  # noqa: E402
from anki_helpers import build_apkg, import_apkg  # noqa: E402
from conftest import ROOT  # noqa: E402

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
ORIGIN = "https://card.quizgen.invalid"
NO_STORAGE = """
Object.defineProperty(window, 'sessionStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Front and back HTML of a few choice cards, as Anki renders them."""
    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("browser")
    shutil.copytree(BUNDLED, tmp / "content" / BUNDLED.name)
    apkg = build_apkg(tmp / "content", tmp / "out", 1_700_000_000, mp)
    mp.undo()
    col = Collection(str(tmp / "collection.anki2"))
    import_apkg(col, apkg)
    cards = {}
    for qid in ("drones-sold", "philosemitic-claim", "russians-no-confrontation", "chronology", "jews-in-russia-number"):
        card = col.get_card(col.find_cards(f"Id:*/{qid}")[0])
        cards[qid] = (card.question(), card.answer())
    col.close()
    return cards


def page_html(body: str, night: bool = False) -> str:
    classes = "card nightMode night_mode" if night else "card"
    return f'<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body class="{classes}">{body}</body></html>'


def open_card(context, front: str, back: str):
    """A page that shows the front, then loads the back as a fresh page (like AnkiDroid)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pages = {"/front": page_html(front), "/back": page_html(back)}
    context.route(f"{ORIGIN}/**", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=pages[route.request.url[len(ORIGIN):]]))
    return page, errors


def choices(page) -> list[str]:
    return page.eval_on_selector_all(".qg-choices .qg-choice", "els => els.map(e => e.textContent)")


def answer_of(back: str) -> str:
    """The Answer field as the back shows it (its script marks the choice that reads the same)."""
    import html
    import re

    return html.unescape(re.search(r'qg-choice-answer".*?<bdi>(.*?)</bdi>', back, re.S).group(1)).strip()


def built_order(front: str) -> list[str]:
    import html
    import re

    return [html.unescape(t) for t in re.findall(r'<li class="qg-choice tappable"[^>]*>(.*?)</li>', front)]


@pytest.mark.parametrize("qid", ["drones-sold", "philosemitic-claim"])
def test_back_shows_the_fronts_order_with_storage(browser, rendered, qid):
    front, back = rendered[qid]
    seen_orders = set()
    for _attempt in range(6):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page, errors = open_card(context, front, back)
        page.goto(f"{ORIGIN}/front")
        front_order = choices(page)
        page.locator(".qg-choice").nth(1).tap()
        picked = front_order[1]
        page.goto(f"{ORIGIN}/back")
        assert choices(page) == front_order
        right = page.eval_on_selector(".qg-choice[data-qg-right]", "e => e.textContent")
        mark = page.eval_on_selector(".qg-choice[data-qg-right]", "e => getComputedStyle(e, '::after').content")
        assert "right answer" in mark  # marked in words and a tick, not by colour alone
        assert right == answer_of(back)
        # the Answer line would repeat the marked choice: hidden once the script marked it
        assert page.eval_on_selector(".qg-choice-answer", "e => getComputedStyle(e).display") == "none"
        if picked != right:
            assert page.eval_on_selector(".qg-picked", "e => e.textContent") == picked
        assert errors == []
        seen_orders.add(tuple(front_order))
        context.close()
    assert len(seen_orders) > 1, "the front never shuffled"


def test_without_storage_a_fresh_back_page_shows_the_built_order_and_the_right_answer(browser, rendered):
    """AnkiDroid's flow without sessionStorage: the back is a new page, so no state survives."""
    front, back = rendered["drones-sold"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.add_init_script(NO_STORAGE)
    page, errors = open_card(context, front, back)
    page.goto(f"{ORIGIN}/front")
    assert sorted(choices(page)) == sorted(built_order(front))
    page.locator(".qg-choice").nth(0).tap()
    page.goto(f"{ORIGIN}/back")
    assert choices(page) == built_order(front)
    mark = page.eval_on_selector(".qg-choice[data-qg-right]", "e => getComputedStyle(e, '::after').content")
    assert "right answer" in mark
    assert page.query_selector(".qg-picked") is None  # nothing claimed that the page did not keep
    assert errors == []
    context.close()


def show_back_in_place(page, back: str) -> None:
    """Anki desktop's flow: the back replaces the card's HTML in the same page and its scripts run."""
    page.evaluate("""html => {
        document.body.innerHTML = html;
        document.body.querySelectorAll("script").forEach(old => {
            const s = document.createElement("script");
            s.textContent = old.textContent;
            old.replaceWith(s);
        });
    }""", back)


@pytest.mark.parametrize("tap", ["right", "wrong"])
def test_without_storage_the_same_page_keeps_the_shuffle_and_the_tap(browser, rendered, tap):
    front, back = rendered["drones-sold"]
    seen_orders = set()
    for _attempt in range(3):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context.add_init_script(NO_STORAGE)
        page, errors = open_card(context, front, back)
        page.goto(f"{ORIGIN}/front")
        front_order = choices(page)
        seen_orders.add(tuple(front_order))
        right_answer = answer_of(back)
        assert not re.search(r"<li[^>]*data-qg-right", front)  # nothing in the front's HTML says which is right
        at = [i for i, c in enumerate(front_order) if (c == right_answer) == (tap == "right")][0]
        page.locator(".qg-choice").nth(at).tap()
        picked = page.eval_on_selector(".qg-picked", "e => e.textContent")
        show_back_in_place(page, back)
        assert choices(page) == front_order
        assert page.eval_on_selector(".qg-picked", "e => e.textContent") == picked
        said = page.eval_on_selector(".qg-verdict-tap", "e => e.textContent")
        assert said == ("\u2714 You chose the right answer." if tap == "right" else "\u2716 Your choice was not the right answer.")
        mark = page.eval_on_selector(".qg-picked", "e => getComputedStyle(e, '::after').content")
        assert ("your choice" in mark) and (("right answer" in mark) == (tap == "right"))
        assert errors == []
        context.close()
    assert len(seen_orders) > 1, "the front never shuffled"


def test_a_chronology_is_scrambled_anew_at_every_review_and_never_in_order(browser, rendered):
    front, back = rendered["chronology"]
    page = browser.new_page()
    orders = set()
    for _review in range(8):
        page.set_content(page_html(front))
        order = page.eval_on_selector_all(".qg-scrambled li", "els => els.map(e => Number(e.dataset.qgAt))")
        assert order != sorted(order)
        orders.add(tuple(order))
    assert len(orders) > 1
    page.close()


def test_the_attribution_front_asks_once_and_the_cloze_back_has_one_rule(browser, rendered):
    page = browser.new_page()
    page.set_content(page_html(rendered["philosemitic-claim"][0]))
    assert page.evaluate("document.body.innerText").lower().count("who holds this view?") == 1
    page.set_content(page_html(rendered["jews-in-russia-number"][1]))
    rules = page.evaluate("""() => [...document.querySelectorAll('hr, .qg-source')]
        .filter(e => e.tagName === 'HR' || parseFloat(getComputedStyle(e).borderTopWidth) > 0).length""")
    assert rules == 1
    page.close()


def test_card_fits_a_phone_and_night_mode_has_contrast(browser, rendered):
    front, back = rendered["russians-no-confrontation"]
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_content(page_html(back, night=True))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(236, 236, 236)", "rgb(28, 28, 28)"]
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.qg-q')).fontSize)")
    assert size >= 16
    context.close()


def test_right_to_left_text_runs_right_to_left(browser, rendered):
    front, back = rendered["russians-no-confrontation"]
    hebrew = "\u05de\u05d4 \u05de\u05d3\u05d5\u05d1\u05e8?"
    page = browser.new_page()
    page.set_content(page_html(back.replace("Besides Israel", hebrew + " Besides Israel", 1)))
    assert page.eval_on_selector(".qg-q", "e => getComputedStyle(e).direction") == "rtl"
    assert page.eval_on_selector(".qg-kind", "e => getComputedStyle(e).direction") == "ltr"
    page.close()


@pytest.mark.parametrize("url, linked", [("https://example.org/a?b=1&c=2", True), ("javascript:alert(1)", False)])
def test_the_articles_url_is_a_link_only_for_http(browser, rendered, url, linked):
    import html

    back = rendered["drones-sold"][1]
    shown = re.sub(r'(<div class="qg-url" dir="ltr">).*?(</div>)', lambda m: m.group(1) + html.escape(url) + m.group(2), back)
    if 'class="qg-url"' not in back:  # the article has no url: the template's section, as Anki fills it
        shown = back.replace('<div class="qg-source">', f'<div class="qg-source"><div class="qg-url" dir="ltr">{html.escape(url)}</div>', 1)
    page = browser.new_page()
    page.set_content(page_html(shown))
    href = page.eval_on_selector_all(".qg-url a", "els => els.map(e => e.getAttribute('href'))")
    assert href == ([url] if linked else [])
    assert url in page.evaluate("document.querySelector('.qg-url').textContent")
    page.close()
