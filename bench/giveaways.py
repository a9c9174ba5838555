"""How many questions the full quiz leaves out for giveaways, and how well the detector does (issue 23).

    python bench/giveaways.py                  # the bundled set, 20 synthetic articles, tests/, 5,000 questions
    python bench/giveaways.py --articles 200   # the whole synthetic library of bench/run.py

Prints, for the bundled set, the synthetic library (bench/generate.py, 100 questions an article) and
every article under tests/ that loads: its questions, the pairs the detector reports, how many
questions the full quiz leaves out (giveaways and groups), and whether it keeps at least three
quarters of them, as a well-written set should. Then the detector's recall on the pairs a reader
found in the bundled set before issue 23 (tests/bundled-before-meaning/reader-pairs.txt) and the
other pairs it reports there, and the time and memory of the search on one article of 5,000
synthetic questions. A script, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from generator.checks.giveaways import giveaways  # noqa: E402
from generator.checks.selection import assemble  # noqa: E402
from generator.errors import ContentError  # noqa: E402
from generator.model import ArticleSet  # noqa: E402
from generator.outputs.quiz_options import QuizOptions  # noqa: E402
from generator.sources.load import load_article_set  # noqa: E402

KEEP = 0.75  # a well-written set keeps at least this share of its questions in the full quiz
LABELLED = ROOT / "tests" / "bundled-before-meaning"


def left_out(found: ArticleSet) -> int:
    return len(assemble(found, QuizOptions()).left_out)


def row(name: str, questions: int, pairs: int, out: int) -> str:
    kept = (questions - out) / questions if questions else 1.0
    verdict = "ok" if kept >= KEEP else "BELOW 3/4"
    return f"{name:<72} {questions:>6} {pairs:>6} {out:>6} {kept:>6.0%}  {verdict}"


def articles_under_tests() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "tests").rglob("article.md"))


def load(folder: Path) -> ArticleSet | None:
    try:
        return load_article_set(folder)
    except ContentError:
        return None  # a case that is broken on purpose (tests/cases)


def table(synthetic: int) -> None:
    print(f"{'set':<72} {'qs':>6} {'pairs':>6} {'out':>6} {'kept':>6}")
    for folder in sorted((ROOT / "questions").iterdir()):
        found = load(folder) if folder.is_dir() else None
        if found is not None:
            print(row(f"questions/{folder.name} (bundled)", len(found.questions), len(giveaways(found)), left_out(found)))
    with tempfile.TemporaryDirectory() as tmp:
        folders = generate(Path(tmp), synthetic, 100, 1)
        total = pairs = out = below = 0
        for folder in folders:
            found = load_article_set(folder)
            n, o = len(found.questions), left_out(found)
            total, pairs, out = total + n, pairs + len(giveaways(found)), out + o
            below += (n - o) < KEEP * n
        print(row(f"synthetic library, {synthetic} articles ({below} below 3/4)", total, pairs, out))
    skipped = 0
    for folder in articles_under_tests():
        found = load(folder)
        if found is None:
            skipped += 1
            continue
        print(row(str(folder.relative_to(ROOT)), len(found.questions), len(giveaways(found)), left_out(found)))
    print(f"({skipped} folders under tests/cases are bad input laid over fixtures/mini by the tests: they do not load alone)")


def recall() -> None:
    labelled = set()
    for line in (LABELLED / "reader-pairs.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            giver, taker, _ = line.split(" ", 2)
            labelled.add((giver, taker))
    found = load_article_set(LABELLED / "israels-hushed-military-ties-with-russia")
    reported = {(g.giver.id, g.taker.id) for g in giveaways(found)}
    grouped = {(g.giver.id, g.taker.id) for g in giveaways(found) if g.giver.group and g.giver.group == g.taker.group}
    other = reported - labelled - grouped
    print(f"\nreader-found pairs (bundled set before issue 23): found {len(labelled & reported)} of {len(labelled)}")
    print(f"  it reports {len(reported)} pairs: {len(labelled & reported)} of the reader's, {len(grouped)} within a "
          f"declared group, {len(other)} others:")
    for giver, taker in sorted(other):
        print(f"    {giver} -> {taker}")


def speed() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp), 1, 5000, 1)[0]
        found = load_article_set(folder)
        start, cpu = time.perf_counter(), time.process_time()
        pairs = giveaways(found)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        start = time.perf_counter()
        out = left_out(found)
        quiz = time.perf_counter() - start
        again = load_article_set(folder)  # a fresh article: the pairs are kept per loaded article
        tracemalloc.start()
        giveaways(again)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"\none article of {len(found.questions)} questions: {len(pairs)} pairs found in {cpu:.2f} s of CPU ({seconds:.2f} s wall), "
          f"peak {peak / 2**20:.0f} MB allocated by the search (traced, another run); the full quiz leaves "
          f"out {out} (keep_apart and the rest of the assembly {quiz:.2f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20, help="synthetic articles (100 questions each)")
    parser.add_argument("--no-speed", action="store_true", help="skip the 5,000-question article")
    args = parser.parse_args(argv)
    table(args.articles)
    recall()
    if not args.no_speed:
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
