"""The study page's schedule through its own buttons against the reference FSRS (`fsrs`).

Four learners (time zones UTC, Tokyo, São Paulo, Kolkata; desired retention 85, 90, 95 and 80 %
set in the page's Settings; fuzz turned off there) study the built page of a synthetic article of
140 cards over six sessions on different days, tapping its grade buttons with the page's clock
under the test's control (tests/fsrs_ui.py). After every grade, the due day the page saved for that
card is the one the reference gives for the card's history; every Today screen shows the
reference's figures. bench/study_fsrs.py prints the same figures.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fsrs", reason="the reference FSRS is in the test extras: pip install -e '.[test]'")
pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

from conftest import ROOT  # noqa: E402

from generator.outputs.pdf import find_chromium  # noqa: E402


def test_the_page_agrees_with_the_reference_through_its_own_buttons(browser, tmp_path):
    """`browser` only for its skip (no Chromium); the learners run in a browser of their own, driven
    asynchronously (several at once), in a thread of their own beside the sync fixture's loop."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from study_fsrs import run

    with ThreadPoolExecutor(1) as pool:
        figures, learners, cards = pool.submit(run, find_chromium(), tmp_path, 4, 130, 6).result()
    print(figures)
    assert [x.differences for x in learners] == [[]] * 4
    assert figures["histories"] >= 500 and cards == 140
    assert figures["Today screens compared"] == 24
    # what the histories met (by the reference's replay)
    assert figures["Hard on the 10-minute step"] >= 20
    assert figures["Easy at graduation"] >= 100
    assert figures["lapses"] >= 30 and figures["reviews in review"] >= 200
    assert figures["desired retentions"] == 4 and figures["time zones"] == 4
