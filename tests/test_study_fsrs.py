"""The study page's scheduler, ts-fsrs (vendored), against the reference FSRS in Python (`fsrs`).

1,000 random review histories run through both: after every review the same state, the same due
day, the same stability and difficulty (to ts-fsrs's rounding to 8 decimals). The JavaScript runs
in Chromium, all histories in one call. Why the oracle adjusts two things: tests/fsrs_oracle.py.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("fsrs", reason="the reference FSRS is in the test extras: pip install -e '.[test]'")
pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from fsrs_oracle import DAY_MS, histories, replay  # noqa: E402

from generator.builders.study import TS_FSRS_VERSION, render_page, scripts  # noqa: E402
from generator.builders.study.render import static  # noqa: E402

RUN = """(histories) => {
  const F = window.FSRS;
  const f = F.fsrs(F.generatorParameters({ enable_fuzz: false, enable_short_term: true,
                                           learning_steps: ['1m', '10m'], relearning_steps: ['10m'] }));
  return histories.map(h => {
    let card = F.createEmptyCard(new Date(h[0][0]));
    return h.map(([t, rating]) => {
      card = f.next(card, new Date(t), rating).card;
      return [card.state, Math.floor(card.due.getTime() / 86400000), card.stability, card.difficulty];
    });
  });
}"""


def test_the_vendored_scheduler_is_the_pinned_ts_fsrs_with_its_licence():
    vendor = "generator.builders.study"
    assert "MIT License" in static(vendor, "vendor/ts-fsrs.LICENSE")
    assert f"**{TS_FSRS_VERSION}**" in static(vendor, "vendor/README.md")
    code = static(vendor, "vendor/ts-fsrs.min.js")
    assert f"v{TS_FSRS_VERSION} using FSRS-6.0" in code  # its own version string
    assert "sourceMappingURL" not in code and not re.search(r"</script", code, re.I)
    assert scripts()[0] == code


def test_the_page_configures_ts_fsrs_as_the_oracle_does():
    js = static("generator.builders.study", "study.js")
    assert "enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m']" in js
    call = js[js.index("F.fsrs(F.generatorParameters({"):]
    assert " w:" not in call[: call.index("}));")]  # the default parameters


def test_ts_fsrs_agrees_with_the_reference_on_every_history(browser):
    cases = histories(1000)
    expected = [replay(h) for h in cases]
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>fsrs</title>")
        page.add_script_tag(content=scripts()[0])
        got = page.evaluate(RUN, cases)
    finally:
        page.close()
    mismatches = []
    for n, (mine, theirs) in enumerate(zip(got, expected)):
        for k, ((state, due, s, d), (state_, due_, s_, d_)) in enumerate(zip(mine, theirs)):
            if (state, due) != (state_, due_) or abs(s - s_) > 1e-5 * max(1.0, s_) or abs(d - d_) > 1e-5:
                mismatches.append((n, k, cases[n][: k + 1], (state, due, s, d), (state_, due_, s_, d_)))
                break
    assert sum(len(h) for h in cases) > 7_000
    assert {row[0] for h in expected for row in h} == {1, 2, 3}  # learning, review and relearning all met
    assert mismatches == []
    assert DAY_MS == 86_400_000


def test_the_page_inlines_the_scheduler_before_its_own_script():
    from conftest import FIXTURES
    from study_helpers import parse

    from generator.load import load_article_set

    page = parse(render_page(load_article_set(FIXTURES / "mini")))
    codes = [text for attrs, text in page.scripts if not attrs]
    assert codes == scripts()
