"""Sheets marked a second: `quizgen mark` on simulated 200 dpi scans of answer sheets (issue 19).

    python bench/mark.py [--sheets N] [--dpi D] [--jobs J] [--repeat R]

Builds the bundled article's quiz with `--versions 3 --answer-sheet --pdf`, fills N sheets as
students would (tests/mark_helpers.py: marks drawn on the printed page, then turned, skewed, noised,
blurred, JPEG quality 40), and times `quizgen mark SCANS --key BUILD` as a subprocess: the median
wall time of R runs, everything included (start-up, reading, grading, the annotated PDFs). A script,
not a test: it prints the figure and the goal (5 sheets a second on two cores) with PASS or FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

GOAL = 5.0  # sheets a second on two cores
SLUG = "israels-hushed-military-ties-with-russia"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=60)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from mark_helpers import Filled, fill, render_pages, scan

    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    with tempfile.TemporaryDirectory(prefix="quizgen-mark-bench-") as tmp:
        build, scans = Path(tmp) / "build", Path(tmp) / "scans"
        scans.mkdir()
        subprocess.run([sys.executable, "-m", "generator", "build", str(REPO / "questions"), "--out", str(build),
                        "--only", "quiz", "--versions", "3", "--answer-sheet", "--pdf", "--quiet"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        rng = random.Random(19)
        for i in range(args.sheets):
            version = "ABC"[i % 3]
            layout = json.loads((build / f"{SLUG}-sheet-{version}.json").read_text(encoding="utf-8"))
            pages = render_pages((build / f"{SLUG}-sheet-{version}.pdf").read_bytes(), args.dpi)
            student = Filled(f"{100000 + i:06d}", version)
            for question in layout["questions"]:
                for row in question["rows"]:
                    value = rng.choice(row["bubbles"])["value"]
                    student.marks[(question["number"], row["name"])] = [(value, "clear")]
            for p, image in enumerate(fill(pages, layout, student, args.dpi, rng), start=1):
                (scans / f"scan-{i:03d}-{p}.jpg").write_bytes(scan(image, rng, upside_down=i % 7 == 3))
        pages = len(list(scans.iterdir()))
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "mark", str(scans), "--key", str(build),
                            "--out", str(Path(tmp) / "marks"), "--jobs", str(args.jobs)],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        seconds = statistics.median(times)
    rate = args.sheets / seconds
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"quizgen mark: {args.sheets} sheets ({pages} pages) of {args.dpi} dpi JPEG scans, --jobs {args.jobs}: "
          f"median {seconds:.2f} s of {args.repeat} runs = {rate:.1f} sheets a second")
    print(f"goal: at least {GOAL:g} sheets a second: {'PASS' if rate >= GOAL else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
