"""How long from saving a question file to the reloaded page, under `quizgen serve --watch`.

    python bench/watch.py [--runs N]

Copies the bundled article to a temporary folder, runs `quizgen serve --watch` on it (a process of
its own, a free port of 127.0.0.1), opens its study page in Chromium, and N times rewords one
question, saves, and waits for the page's load event. Prints each time and the median; the target
of issue 16 is under a second. Needs Chromium and Playwright (the test extra).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "israels-hushed-military-ties-with-russia"
OLD = "Who led the de-confliction talks between the Israel Defense Forces"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium on the PATH", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "questions" / SLUG
        shutil.copytree(ROOT / "questions" / SLUG, folder)
        questions = next(p for p in sorted(folder.glob("*.yaml")) if OLD in p.read_text(encoding="utf-8"))
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--watch", "--host", "127.0.0.1", "--port", "0"],
                                  cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            assert server.stdout is not None
            origin = next(m[0] for line in server.stdout if (m := re.search(r"http://127\.0\.0\.1:\d+/", line)))
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                page = browser.new_page()
                page.goto(f"{origin}{SLUG}-study.html")
                page.wait_for_timeout(500)
                text = questions.read_text(encoding="utf-8")
                for run in range(runs):
                    wording = f"{OLD} (run {run})" if run % 2 == 0 else OLD
                    changed = re.sub(re.escape(OLD) + r"( \(run \d+\))?", wording, text)
                    with page.expect_event("load", timeout=30_000):
                        started = time.monotonic()
                        questions.write_text(changed, encoding="utf-8")
                    times.append(time.monotonic() - started)
                    assert wording in page.content()
                    page.wait_for_timeout(300)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"save to reloaded page, bundled article, {runs} runs: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"median {statistics.median(times):.2f} s (target: under 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
