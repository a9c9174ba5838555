"""The study page's schedule driven through its own buttons, against the reference FSRS (`fsrs`).

Used by tests/test_study_fsrs_ui.py (which asserts) and bench/study_fsrs.py (which prints the
figures). Each learner is a phone-sized Chromium context with its own time zone: it sets the
desired retention and turns fuzz off in the page's Settings, then studies on some days (gaps of a
day to a week and a half) at a later hour each time, by clicking Show answer and tapping a grade
button at its centre, after checking that a tap there reaches that button. A session's first grade
is a tap on Playwright's touchscreen; the next ones click, from inside the page, the button a tap
at that centre reaches (its own click handler grades, as after a tap), several hundred in one call:
one call per grade cost three times the CPU, most of it in Chromium and Playwright's driver. The
page's clock is Playwright's, paused: the test moves it on between the taps, so it knows the time
of every grade. The ratings are drawn at random (Again 2, Hard 1, Good 6, Easy 2).

After every grade the page's due day for that card is read from what the page saved for the
index page (the sorted study days its cards are due: the grade changes one entry), and compared
with the reference's due day for the card's history so far (tests/fsrs_oracle.py: the `fsrs`
package with Anki's learning-step rules). Every study session also compares the Today screen's
figures (due, new, due tomorrow) with the reference's.

Several learners run at once (asyncio, one browser): the taps wait on the browser, not the CPU.
The times of day only rise from one session to the next, so that `fsrs`'s 24-hour days and the
page's calendar days agree (tests/fsrs_oracle.py).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from fsrs_oracle import DAY_MS, replay_ms

ORIGIN = "https://study.quizgen.invalid"
GUARD_MS = 400  # the grade buttons' inert moment (study.js)
DAY_START_MS = 4 * 3_600_000  # the page's default day boundary, 4 a.m.
SESSION_MS = 40 * 60_000  # a session stops after 40 minutes of its clock; the next starts an hour later
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}
# fixed offsets (no daylight-saving time), so that the study clock is the time plus a constant
ZONES = {"UTC": 0, "Asia/Tokyo": 9, "America/Sao_Paulo": -3, "Asia/Kolkata": 5.5}

# what the page saved (its log's last grade, the due days for the index page), and the card on
# screen: its answer shown by the page's own Show answer button, and where the grade button is
READ = """function read(key, grade) {
  const log = (JSON.parse(localStorage.getItem(key.replace(':due:', ':study:')) || '{"log":[]}').log).filter(e => e.r);
  const raw = localStorage.getItem(key);
  const last = log.length ? log[log.length - 1] : null;
  const out = { grades: log.length, last: last && [last.id, last.r, last.t], due: raw ? JSON.parse(raw).due : [] };
  const reveal = document.getElementById('reveal');
  if (!reveal) return out;
  out.card = document.querySelector('#card').dataset.card;
  reveal.click();
  const b = document.getElementById(grade);
  b.scrollIntoView({ block: 'nearest' });
  const r = b.getBoundingClientRect();
  const x = r.x + r.width / 2, y = r.y + r.height / 2;
  out.button = [x, y, document.elementFromPoint(x, y)?.closest('button') === b];
  return out;
}"""

# one string back: quicker through Playwright than a list of numbers
STATE = "([key, grade]) => { %s; return JSON.stringify(read(key, grade)); }" % READ

# The grades after a session's first, in one call: for each step, the page's clock moves on by `wait`
# (Playwright's clock, through the in-page controller that page.clock.run_for calls; the grade buttons
# wake up), the button that a tap at the measured centre reaches is clicked (its own click handler
# grades), and the page is read as STATE reads it for the next grade. Stops at the end of the cards
# or at a button a tap would miss.
BATCH = """async ([key, [x, y], steps]) => {
  %s;
  const clock = globalThis.__pwClock && globalThis.__pwClock.controller;
  if (!clock) throw new Error('the page has no Playwright clock');
  const out = [];
  for (const [wait, next] of steps) {
    await clock.runFor(wait);
    document.elementFromPoint(x, y).closest('button').click();
    const state = read(key, next);
    out.push(state);
    if (!state.card || !state.button[2]) break;
    [x, y] = state.button;
  }
  return JSON.stringify(out);
}""" % READ
BATCH_STEPS = 400  # at most this many grades a call

TODAY = """() => ['due', 'new', 'tomorrow'].map(n => Number(document.getElementById(n + '-count').textContent))"""


@dataclass
class Learner:
    zone: str
    retention: float
    seed: int
    new_per_day: int = 45
    sessions: int = 6
    histories: dict[str, list[list[int]]] = field(default_factory=dict)  # card -> [[study-clock ms, rating]]
    differences: list[tuple] = field(default_factory=list)
    today_checks: int = 0
    _due: dict[str, tuple[int, int]] = field(default_factory=dict)  # card -> (reviews replayed, due day)

    def study_clock(self, t: int) -> int:
        """What the page's clock() makes of time t in this zone: local time less 4 a.m., as UTC."""
        return t + int(ZONES[self.zone] * 3_600_000) - DAY_START_MS

    def due_day(self, card: str) -> int | None:
        history = self.histories.get(card)
        if not history:
            return None
        if self._due.get(card, (0, 0))[0] != len(history):
            self._due[card] = (len(history), replay_ms(history, self.retention)[-1][1] // DAY_MS)
        return self._due[card][1]

    def expected_today(self, c: int, unseen: int, introduced: int) -> tuple[int, int, int]:
        day = c // DAY_MS
        due_days = [self.due_day(card) for card in self.histories]
        return (sum(d <= day for d in due_days if d is not None), min(unseen, max(0, self.new_per_day - introduced)),
                sum(d == day + 1 for d in due_days if d is not None))


async def _setup(page, learner: Learner) -> None:
    await page.locator("#settings-summary").tap()
    await page.locator("#new-per-day").fill(str(learner.new_per_day))
    await page.locator("#new-per-day").dispatch_event("change")
    await page.locator("#retention").select_option(str(learner.retention))
    if await page.locator("#fuzz").is_checked():
        await page.locator("label[for=fuzz]").tap()  # fuzz off: the reference has none
    assert not await page.locator("#fuzz").is_checked()
    await page.locator("#settings-summary").tap()


def _check_due(learner: Learner, card: str, before: int | None, saved_before: list[int], saved_after: list[int]) -> None:
    """The grade's change to the saved due days is the reference's change to the card's due day."""
    after = learner.due_day(card)
    added = sorted((Counter(saved_after) - Counter(saved_before)).elements())
    removed = sorted((Counter(saved_before) - Counter(saved_after)).elements())
    want_added = [after] if after != before else []
    want_removed = [before] if before is not None and after != before else []
    if (added, removed) != (want_added, want_removed):
        learner.differences.append((card, learner.histories[card], (added, removed), (want_added, want_removed)))


def _rating(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4], [2, 1, 6, 2])[0]


def _wait(rng: random.Random) -> int:
    """How long the learner looks at the answer before grading: mostly seconds, sometimes minutes."""
    return GUARD_MS + (rng.randrange(60_000, 12 * 60_000) if rng.random() < 0.06 else rng.randrange(500, 20_000))


def _graded(learner: Learner, card: str, rating: int, t: int, graded: int, state: dict, after: dict) -> tuple[int, int]:
    """A grade of `card` at time t, checked against what the page saved after it; returns (t, grades)."""
    before = learner.due_day(card)
    learner.histories.setdefault(card, []).append([learner.study_clock(t), rating])
    graded += 1
    # the tap graded: the page's log has it, with its rating and time
    assert after["grades"] == graded and after["last"] == [card, rating, t], (after, card, t)
    _check_due(learner, card, before, state["due"], after["due"])
    return t, graded


async def _session(page, learner: Learner, rng: random.Random, t: int, slug: str, deck: list[str]) -> None:
    await page.clock.pause_at(datetime.fromtimestamp(t / 1000, timezone.utc))
    await page.locator("[data-view=cards]").tap()
    c = learner.study_clock(t)
    introduced = sum(1 for h in learner.histories.values() if h[0][0] // DAY_MS == c // DAY_MS)
    unseen = len(deck) - len(learner.histories)
    got = tuple(await page.evaluate(TODAY))
    if got != learner.expected_today(c, unseen, introduced):
        learner.differences.append(("today", c, got, learner.expected_today(c, unseen, introduced)))
    learner.today_checks += 1
    if not await page.locator("#start").count():
        return
    await page.locator("#start").tap()
    end = t + SESSION_MS
    key = f"quizgen:due:{slug}"
    graded = sum(len(h) for h in learner.histories.values())
    rating = _rating(rng)
    state = json.loads(await page.evaluate(STATE, [key, RATINGS[rating]]))
    if state.get("card") and t < end:
        # the session's first grade: a tap on the touchscreen at the button's centre
        card, (x, y, ok) = state["card"], state["button"]
        assert ok, f"#{RATINGS[rating]} is not what a tap at its centre reaches"
        wait = _wait(rng)
        await page.clock.run_for(wait)  # the grade buttons wake up
        await page.touchscreen.tap(x, y)
        rating_next = _rating(rng)
        after = json.loads(await page.evaluate(STATE, [key, RATINGS[rating_next]]))
        t, graded = _graded(learner, card, rating, t + wait, graded, state, after)
        state, rating = after, rating_next
    while state.get("card") and t < end:
        # the next grades: the same taps (the button a tap at its centre reaches, clicked), in one call
        x, y, ok = state["button"]
        assert ok, f"#{RATINGS[rating]} is not what a tap at its centre reaches"
        drawn, plan, until = rng.getstate(), [], t
        while until < end and len(plan) < BATCH_STEPS:
            wait = _wait(rng)
            until += wait
            plan.append((wait, _rating(rng)))
        states = json.loads(await page.evaluate(BATCH, [key, [x, y], [[w, RATINGS[r]] for w, r in plan]]))
        if len(states) < len(plan):  # the cards ran out first: draw only what the taps used, as one by one
            rng.setstate(drawn)
            plan = [(_wait(rng), _rating(rng)) for _ in states]
        for (wait, rating_next), after in zip(plan, states):
            assert state["button"][2], f"#{RATINGS[rating]} is not what a tap at its centre reaches"
            t, graded = _graded(learner, state["card"], rating, t + wait, graded, state, after)
            state, rating = after, rating_next
    if state.get("card"):
        await page.locator("#stop").tap()


async def study(browser, html: str, slug: str, deck: list[str], learner: Learner) -> Learner:
    """One learner's sessions on a fresh context; returns the learner with its histories and differences."""
    rng = random.Random(learner.seed)
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                        timezone_id=learner.zone)
    try:
        await context.route(f"{ORIGIN}/**", lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=html))
        page = await context.new_page()
        await page.add_init_script("delete Navigator.prototype.serviceWorker;")
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # the first session at 10:00 on the study clock (14:00 at UTC + 0), a day in 2025
        day = datetime(2025, 1, 6, tzinfo=timezone.utc) + timedelta(days=rng.randrange(300))
        t = int(day.timestamp() * 1000) + 10 * 3_600_000 + DAY_START_MS - int(ZONES[learner.zone] * 3_600_000)
        await page.clock.install(time=datetime.fromtimestamp((t - 3_600_000) / 1000, timezone.utc))
        await page.goto(f"{ORIGIN}/study.html")
        await page.clock.pause_at(datetime.fromtimestamp((t - 60_000) / 1000, timezone.utc))
        await _setup(page, learner)
        for n in range(learner.sessions):
            # a later hour each session (the reference counts 24-hour days), a day to ten days later
            await _session(page, learner, rng, t + n * 3_600_000, slug, deck)
            t += rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6, 10]) * DAY_MS
        assert errors == [], errors
    finally:
        await context.close()
    return learner


async def study_all(chromium: str, args: list[str], html: str, slug: str, deck: list[str],
                    learners: list[Learner]) -> list[Learner]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=args)
        try:
            return list(await asyncio.gather(*(study(browser, html, slug, deck, x) for x in learners)))
        finally:
            await browser.close()


def coverage(learners: list[Learner]) -> dict[str, Any]:
    """What the histories met, by the reference's replay: learning steps, graduation, lapses, desired retentions."""
    out: Counter = Counter()
    for x in learners:
        for history in x.histories.values():
            rows = replay_ms(history, x.retention)
            out["histories"] += 1
            out["reviews"] += len(history)
            for k, ((_, rating), (state, *_)) in enumerate(zip(history, rows)):
                prev = rows[k - 1] if k else None
                if prev and prev[0] in (1, 3) and rating == 2 and prev[1] - history[k - 1][0] == 600_000:
                    out["Hard on the 10-minute step"] += 1
                if rating == 4 and (prev is None or prev[0] == 1) and state == 2:
                    out["Easy at graduation"] += 1
                if prev and prev[0] == 2 and rating == 1:
                    out["lapses"] += 1
                if prev and prev[0] == 2 and rating > 1:
                    out["reviews in review"] += 1
    out["desired retentions"] = len({x.retention for x in learners})
    out["time zones"] = len({x.zone for x in learners})
    out["differences"] = sum(len(x.differences) for x in learners)
    out["Today screens compared"] = sum(x.today_checks for x in learners)
    return dict(out)
