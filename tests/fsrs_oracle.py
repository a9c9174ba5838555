"""The reference FSRS (the `fsrs` package on PyPI) on random review histories, for the study page's
vendored ts-fsrs to be checked against.

Both are FSRS-6 with the default parameters, no fuzz, learning steps 1 and 10 minutes and a
relearning step of 10 minutes. They differ in two documented ways, and the histories and this
oracle are made so that what is compared (states, due days, stability, difficulty) does not depend
on them:

- Elapsed days: ts-fsrs counts calendar days between UTC dates (as Anki counts days, and as the page
  wants: it feeds ts-fsrs a clock whose UTC date is the learner's study day); `fsrs` counts whole
  24-hour periods. They agree when a later review is not earlier in the day than the one before, so
  the histories keep each card's time of day rising from one study day to the next.
- Interval order: for a card in review, ts-fsrs (like Anki and fsrs-rs) keeps Hard < Good < Easy
  (hard = min(hard, good), good = max(good, hard + 1), easy = max(easy, good + 1)); `fsrs` does not.
  The oracle computes the three intervals with `fsrs` and applies the same rule.
- Learning steps are minutes within a day. The page (schedule.js) repeats the step on Hard past the
  first one, as Anki and `fsrs` do; on the first it waits the mean of two steps rounded to a whole
  minute (6 min; `fsrs`: 5.5), so learning due times are compared to within 30 seconds.
- At graduation Easy waits at least a day more than Good (Anki); the oracle applies the same rule.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import fsrs

DAY_MS = 86_400_000
START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def histories(count: int, seed: int = 12) -> list[list[list[int]]]:
    """`count` review histories, each a list of [time in ms, rating 1-4]: same-day repeats minutes
    apart, and gaps of days (on time, late or early), all between 06:00 and 21:00 UTC."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        t = START + timedelta(days=rng.randrange(400), minutes=rng.randrange(6 * 60, 12 * 60))
        history = []
        for _ in range(rng.randrange(1, 16)):
            history.append([int(t.timestamp() * 1000), rng.choices([1, 2, 3, 4], [2, 1, 6, 2])[0]])
            minute = t.hour * 60 + t.minute
            if rng.random() < 0.35 and minute + 70 < 20 * 60:
                t += timedelta(minutes=rng.randrange(1, 60))
            else:
                days = rng.choice([1, 1, 2, 3, 4, 6, 9, 15, 30, 60, 120, 400])
                later = rng.randrange(minute, max(minute + 1, 13 * 60 + minute // 2))  # never earlier in the day
                t = datetime.combine(t.date(), datetime.min.time(), timezone.utc) + timedelta(days=days, minutes=min(later, 20 * 60))
        out.append(history)
    return out


SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)  # default parameters, steps (1 min, 10 min) and (10 min)


def _interval_days(card: fsrs.Card, rating: int, when: datetime, scheduler: fsrs.Scheduler = SCHEDULER) -> int:
    after, _ = scheduler.review_card(card, fsrs.Rating(rating), when)  # it reviews a copy
    return (after.due - when).days


def replay(history: list[list[int]], retention: float = 0.9) -> list[tuple[int, int, float, float]]:
    """After each review: (state, due day, stability, difficulty), states numbered as ts-fsrs's."""
    return [(state, due // DAY_MS, s, d) for state, due, s, d in replay_ms(history, retention)]


def replay_ms(history: list[list[int]], retention: float = 0.9) -> list[tuple[int, int, float, float]]:
    """After each review: (state, due time in ms, stability, difficulty), with Anki's rule that at
    graduation Easy waits at least a day more than Good (the study page's schedule.js applies it;
    `fsrs` does not)."""
    scheduler = SCHEDULER if retention == 0.9 else fsrs.Scheduler(enable_fuzzing=False, desired_retention=retention)
    card = fsrs.Card(card_id=1)
    out = []
    for ms, rating in history:
        when = datetime.fromtimestamp(ms / 1000, timezone.utc)
        in_review = card.state == fsrs.State.Review
        ordered = None
        if in_review and rating > 1:
            hard, good, easy = (_interval_days(card, r, when, scheduler) for r in (2, 3, 4))
            hard = min(hard, good)
            good = max(good, hard + 1)
            easy = max(easy, good + 1)
            ordered = {2: hard, 3: good, 4: easy}[rating]
        elif rating == 4:
            good_card, _ = scheduler.review_card(card, fsrs.Rating.Good, when)
            if good_card.state == fsrs.State.Review:
                ordered = max(_interval_days(card, 4, when, scheduler), (good_card.due - when).days + 1)
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), when)
        due = when + timedelta(days=ordered) if ordered is not None else card.due
        out.append((int(card.state), int(due.timestamp() * 1000), card.stability, card.difficulty))
    return out
