"""The study page's Timeline, tap by tap, at a slowed-down CPU: a report, not a test.

    python bench/study_timeline.py [--questions 504] [--rate 4] [--taps 8] [--rounds 3] [--settle 1]

Builds the study page of a synthetic article of `--questions` questions (bench/generate.py), opens
it in Chromium at 390x844 with touch, slows the CPU `--rate` times (DevTools' throttling), then
taps, in `--rounds` fresh pages each:

- the Timeline tab the first time, `--settle` seconds after the page loaded (a learner looks at the
  first screen before tapping a tab; the page lays the hidden timeline out in that idle time);
- `--taps` events of the list (each opens or closes that event's passage, nothing else is redrawn);
- the Timeline tab again after the Cards tab, three times;
- and, in another fresh page, the Timeline tab as soon as the page has loaded, before that idle
  time ("at load"): the first layout is then paid for by the tap.

For each kind of tap it prints the median and the longest of two figures:

- "input to paint": the Event Timing API's duration of the tap (the INP measure; the browser
  reports only events of 16 ms and more, so "< 16" means faster than that);
- "main thread": what the page's main thread did for the tap (script, style, layout, paint), from
  a DevTools trace; it is less swayed by other programs on the machine than the first figure.
  It includes Playwright's own listeners that check where a tap lands (a few ms a tap).

and the load average, since a busy machine adds its wait for a core to every figure. Exits 0
whatever the figures; 1 only when the page cannot be driven.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict

from study_browser import chromium, load, ms, open_page, synthetic_article, taps

from generator.outputs.study import render_page
from generator.outputs.study.data import page_data

WORK = ("FunctionCall", "EventDispatch", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit", "HitTest")


def tap(browser, page, selector: str) -> tuple[float, float]:
    """Taps `selector`; returns (input to paint, main-thread work) in ms."""
    taps(page)
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
    return max(taps(page), default=0.0), busy / 1000


def _main(events: list[dict]) -> int | None:
    """The renderer's main thread: the one named CrRendererMain."""
    for e in events:
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain":
            return e.get("tid")
    return None


def measure(browser, html: str, rate: float, taps_: int, settle: float) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    context, page = open_page(browser, html, rate)
    page.wait_for_timeout(settle * 1000)
    results["tab: Timeline (first)"].append(tap(browser, page, "[data-view=timeline]"))
    events = page.locator("#timeline .event").count()
    for n in range(taps_):
        results["timeline event"].append(tap(browser, page, f"#timeline .event >> nth={(n * 7) % events}"))
    for _ in range(3):
        tap(browser, page, "[data-view=cards]")
        results["tab: Timeline (again)"].append(tap(browser, page, "[data-view=timeline]"))
    context.close()
    context, page = open_page(browser, html, rate)
    results["tab: Timeline (at load)"].append(tap(browser, page, "[data-view=timeline]"))
    context.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=504)
    parser.add_argument("--rate", type=float, default=4.0, help="CPU slowdown factor")
    parser.add_argument("--taps", type=int, default=8, help="timeline events tapped in each page")
    parser.add_argument("--rounds", type=int, default=3, help="fresh pages")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds between the page's load and the first tap")
    args = parser.parse_args(argv)
    found = synthetic_article(args.questions)
    html = render_page(found)
    timeline = page_data(found)["timeline"]
    events = sum(len(node["items"]) for part in ("ordered", "loose") for node in timeline[part])
    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with chromium() as browser:
        if browser is None:
            return 1
        for _ in range(args.rounds):
            for action, rows in measure(browser, html, args.rate, args.taps, args.settle).items():
                results[action] += rows
    print(f"{len(found.questions)} questions, {events} timeline events: CPU {args.rate:g}x slower, {load()}")
    print(f"  {'tap':<24} {'taps':>4} {'input to paint (ms)':>21} {'main thread (ms)':>18}")
    print(f"  {'':<24} {'':>4} {'median':>10} {'longest':>10} {'median':>8} {'longest':>9}")
    for action, rows in results.items():
        paint = [r[0] for r in rows]
        work = [r[1] for r in rows]
        print(f"  {action:<24} {len(rows):>4} {ms(statistics.median(paint)):>10} {ms(max(paint)):>10}"
              f" {statistics.median(work):>8.0f} {max(work):>9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
