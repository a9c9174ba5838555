"""What bench/study_taps.py and bench/study_timeline.py share: a synthetic article, and a study page
opened in Chromium at phone size (390x844, touch) with DevTools' CPU throttling, where the browser's
Event Timing API records every tap of 16 ms and more (`window.__taps`: [event name, duration])."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.model import ArticleSet  # noqa: E402
from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402
from generator.sources.load import load_article_set  # noqa: E402

ORIGIN = "https://study.quizgen.invalid"  # a secure context, as the page has when served over https
OBSERVE = """
window.__taps = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__taps.push([e.name, e.duration]);
}).observe({ type: 'event', durationThreshold: 16, buffered: true });
"""


def synthetic_article(questions: int) -> ArticleSet:
    """One article of `questions` questions from bench/generate.py (the same seed, the same article)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), tmp, "--articles", "1",
                        "--questions", str(questions)], check=True, capture_output=True)
        (folder,) = [p for p in Path(tmp).iterdir() if p.is_dir()]
        return load_article_set(folder)


@contextmanager
def chromium() -> Iterator[object | None]:
    """Playwright's Chromium on the machine's own browser; None when there is none."""
    path = find_chromium()
    if path is None:
        print("no Chromium on the PATH", file=sys.stderr)
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, html: str, rate: float):
    """A new phone-sized context showing `html` as study.html, its CPU `rate` times slower; returns
    (context, page). Close the context when done."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.route(f"{ORIGIN}/**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    context.add_init_script(OBSERVE)
    page = context.new_page()
    page.goto(f"{ORIGIN}/study.html")
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return context, page


def taps(page) -> list[float]:
    """The durations the Event Timing API recorded since the last call (ms)."""
    return page.evaluate("window.__taps.splice(0).map(t => t[1])")


def ms(value: float) -> str:
    """An Event Timing figure: the browser reports nothing under 16 ms."""
    return "< 16" if value == 0 else f"{value:.0f}"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
