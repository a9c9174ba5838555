"""The study page's Timeline, tap by tap, at a slowed-down CPU: a report, not a test.

    python bench/study_timeline.py [--questions 504] [--rate 4] [--taps 8]

Builds the study page of a synthetic article of `--questions` questions (bench/generate.py), opens
it in Chromium at 390x844 with touch, slows the CPU `--rate` times (DevTools' throttling), then
taps: the Timeline tab (the first time, when the list is first laid out, and again after the Cards
tab), and `--taps` events of the list (each opens or closes that event's passage, nothing else is
redrawn). For each kind of tap it prints the median and the longest of two figures:

- "input to paint": the Event Timing API's duration of the tap (the INP measure; the browser
  reports only events of 16 ms and more, so "< 16" means faster than that);
- "main thread": what the page's main thread did for the tap (script, style, layout, paint), from
  a DevTools trace; it is less swayed by other programs on the machine than the first figure.

and the load average, since a busy machine adds its wait for a core to every figure. Exits 0
whatever the figures; 1 only when the page cannot be driven.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402
from generator.outputs.study import render_page  # noqa: E402
from generator.sources.load import load_article_set  # noqa: E402

ORIGIN = "https://study.quizgen.invalid"
OBSERVE = """
window.__taps = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__taps.push(e.duration);
}).observe({ type: 'event', durationThreshold: 16, buffered: true });
"""
WORK = ("FunctionCall", "EventDispatch", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit", "HitTest")


def tap(browser, page, selector: str) -> tuple[float, float]:
    """Taps `selector`; returns (input to paint, main-thread work) in ms."""
    page.evaluate("window.__taps = []")
    browser.start_tracing(page=page, categories=["devtools.timeline"])
    page.locator(selector).tap()
    page.wait_for_timeout(250)
    trace = json.loads(browser.stop_tracing())
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    # top-level work only: an EventDispatch's FunctionCall is inside it, so count the outermost
    spans = sorted((e["ts"], e["ts"] + e.get("dur", 0)) for e in events
                   if e.get("ph") == "X" and e.get("name") in WORK and e.get("tid") == _main(events))
    busy, end = 0.0, 0.0
    for start, stop in spans:
        if stop > end:
            busy += stop - max(start, end)
            end = stop
    return max(page.evaluate("window.__taps"), default=0.0), busy / 1000


def _main(events: list[dict]) -> int | None:
    """The renderer's main thread: the one named CrRendererMain."""
    for e in events:
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain":
            return e.get("tid")
    return None


def measure(browser, html: str, rate: float, taps: int) -> dict[str, list[tuple[float, float]]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.route(f"{ORIGIN}/**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    context.add_init_script(OBSERVE)
    page = context.new_page()
    page.goto(f"{ORIGIN}/study.html")
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    results["tab: Timeline (first)"].append(tap(browser, page, "[data-view=timeline]"))
    events = page.locator("#timeline .event").count()
    for n in range(taps):
        results["timeline event"].append(tap(browser, page, f"#timeline .event >> nth={(n * 7) % events}"))
    for _ in range(3):
        tap(browser, page, "[data-view=cards]")
        results["tab: Timeline (again)"].append(tap(browser, page, "[data-view=timeline]"))
    context.close()
    return results


def ms(value: float) -> str:
    return "< 16" if value == 0 else f"{value:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=504)
    parser.add_argument("--rate", type=float, default=4.0, help="CPU slowdown factor")
    parser.add_argument("--taps", type=int, default=8, help="timeline events tapped")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium on the PATH", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), tmp, "--articles", "1",
                        "--questions", str(args.questions)], check=True, capture_output=True)
        (folder,) = [p for p in Path(tmp).iterdir() if p.is_dir()]
        found = load_article_set(folder)
    html = render_page(found)
    events = sum(len(node["items"]) for part in ("ordered", "loose") for node in _timeline(found)[part])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        results = measure(browser, html, args.rate, args.taps)
        browser.close()
    print(f"{len(found.questions)} questions, {events} timeline events: CPU {args.rate:g}x slower, load {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} cores")
    print(f"  {'tap':<24} {'taps':>4} {'input to paint (ms)':>21} {'main thread (ms)':>18}")
    print(f"  {'':<24} {'':>4} {'median':>10} {'longest':>10} {'median':>8} {'longest':>9}")
    for action, rows in results.items():
        paint = [r[0] for r in rows]
        work = [r[1] for r in rows]
        print(f"  {action:<24} {len(rows):>4} {ms(statistics.median(paint)):>10} {ms(max(paint)):>10}"
              f" {statistics.median(work):>8.0f} {max(work):>9.0f}")
    return 0


def _timeline(found) -> dict:
    from generator.outputs.study.data import page_data

    return page_data(found)["timeline"]


if __name__ == "__main__":
    raise SystemExit(main())
