"""The study page's schedule through its own buttons against the reference FSRS: the figures.

    python bench/study_fsrs.py [--learners 4] [--questions 130] [--sessions 6]

Builds the study page of a synthetic article (bench/generate.py), and has `--learners` learners
(each a phone-sized Chromium context, in its own time zone and desired retention, fuzz off) study
it over `--sessions` days by tapping the page's Show answer and grade buttons with the page's clock
paused and moved on by the script (tests/fsrs_ui.py). Prints the card histories, the reviews, what
they covered (learning steps, graduation with Easy, lapses) and the due-date differences against
the `fsrs` package (tests/fsrs_oracle.py), with the time taken. tests/test_study_fsrs_ui.py runs the
same with the defaults and asserts 0 differences. Exits 1 when there are differences.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fsrs_ui import ZONES, Learner, coverage, study_all  # noqa: E402

from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402
from generator.outputs.study import render_page  # noqa: E402
from generator.outputs.study.data import page_data  # noqa: E402
from generator.sources.load import load_article_set  # noqa: E402

RETENTIONS = [0.85, 0.9, 0.95, 0.8]


def deck_of(data: dict) -> list[str]:
    """The page's card ids: one per question, one per cloze number."""
    return [f"{q['id']}#{n}" if n else q["id"]
            for q in data["questions"] for n in (q["numbers"] if q["kind"] == "cloze" else [0])]


def synthetic_page(folder: Path, questions: int) -> tuple[str, str, list[str]]:
    """The study page of one synthetic article of `questions` questions: (html, slug, card ids)."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(folder), "--articles", "1",
                    "--questions", str(questions)], check=True, capture_output=True)
    (article,) = [p for p in folder.iterdir() if p.is_dir()]
    found = load_article_set(article)
    data = page_data(found)
    return render_page(found), data["slug"], deck_of(data)


def learners(count: int, sessions: int) -> list[Learner]:
    zones = list(ZONES)
    return [Learner(zone=zones[n % len(zones)], retention=RETENTIONS[n % len(RETENTIONS)], seed=26 + n, sessions=sessions)
            for n in range(count)]


def run(chromium: str, folder: Path, count: int = 4, questions: int = 130, sessions: int = 6) -> tuple[dict, list[Learner], int]:
    """Drives the learners; returns (figures, learners, cards on the page)."""
    html, slug, deck = synthetic_page(folder, questions)
    done = asyncio.run(study_all(chromium, CHROMIUM_FLAGS, html, slug, deck, learners(count, sessions)))
    return coverage(done), done, len(deck)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--questions", type=int, default=130)
    parser.add_argument("--sessions", type=int, default=6)
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium on the PATH", file=sys.stderr)
        return 1
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        figures, done, cards = run(chromium, Path(tmp), args.learners, args.questions, args.sessions)
    took = time.perf_counter() - start
    print(f"{args.learners} learners x {cards} cards, {args.sessions} sessions each, through the page's buttons")
    for name, value in figures.items():
        print(f"  {name:<28} {value:>6}")
    print(f"  {'seconds':<28} {took:>6.1f}   ({figures['reviews'] / took:.0f} reviews a second,"
          f" load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for x in done:
        for diff in x.differences[:3]:
            print("  difference:", x.zone, x.retention, diff)
    return 1 if figures["differences"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
