"""Growth to thousands of articles (issue 18): is every step linear, is peak memory flat?

    python bench/scale.py [--sizes 625,1250,2500,5000] [--questions 100] [--jobs 2]

For each size N (each the double of the one before, best), on tmpfs: generate a library of N
articles, then time `quizgen check`, a full build (`--force`), and a no-op rebuild of the same folder
(nothing changed: every article's inputs hashed and compared with the manifest, the index and
manifest merged, nothing built). Each command runs once, through bench/run.py's launcher, so its
peak memory is its own. Prints wall time, CPU of the command's own process (the parent: a build's
--jobs workers are not its children, see bench/README.md), peak memory and the time per article;
then, for each doubling, the ratio of the times (linear: 2.0; the target is at most 2.2) and of the
peaks (flat: at most 1.25, since per-article state is released after each article).

A script, not a test: it prints figures and PASS/FAIL, and exits 0 unless a command fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import PY, Sample, bytecode, load, machine, run_measured, scratch, table  # noqa: E402

EPOCH = "1700000000"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="quizgen growth benchmark (issue 18)")
    p.add_argument("--sizes", default="625,1250,2500,5000", help="article counts, comma-separated (default 625,1250,2500,5000)")
    p.add_argument("--questions", type=int, default=100, help="questions per article (default 100)")
    p.add_argument("--jobs", type=int, default=2, help="--jobs of the builds and checks (default 2)")
    p.add_argument("--seed", default="1")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    print(f"quizgen growth benchmark: sizes {sizes}, {args.questions} questions an article, --jobs {args.jobs}")
    for line in machine():
        print(line)
    print(f"load average at start: {load()}")
    sys.stdout.flush()
    tmp = scratch()
    env = bytecode({**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(tmp), "QUIZGEN_CACHE_DIR": str(tmp / "cache")})
    q = [PY, "-m", "generator"]
    rows = [["articles", "command", "wall s", "parent CPU s", "peak MB", "ms an article (wall)", "load"]]
    results: dict[tuple[int, str], Sample] = {}
    try:
        for n in sizes:
            lib, out = tmp / f"lib-{n}", tmp / f"out-{n}"
            subprocess.run([PY, str(BENCH / "generate.py"), str(lib), "--articles", str(n), "--questions",
                            str(args.questions), "--seed", args.seed], check=True, stdout=subprocess.DEVNULL)
            jobs = ["--jobs", str(args.jobs)]
            for what, cmd in (
                ("check", [*q, "check", str(lib), *jobs]),
                ("full build", [*q, "build", str(lib), "--out", str(out), "--force", "--quiet", *jobs]),
                ("no-op rebuild", [*q, "build", str(lib), "--out", str(out), "--quiet", *jobs]),
            ):
                before = os.getloadavg()[0]
                sample = run_measured(cmd, env)
                results[(n, what)] = sample
                rows.append([str(n), what, f"{sample.seconds:.2f}", f"{sample.cpu:.2f}", f"{sample.peak_kb / 1024:.1f}",
                             f"{1000 * sample.seconds / n:.1f}", f"{before:.2f}"])
                if sys.stderr.isatty():
                    print(f"  {n} {what}: {sample.seconds:.2f} s", file=sys.stderr, flush=True)
            shutil.rmtree(lib, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(rows, right={0, 2, 3, 4, 5, 6}))
    print()
    checks = [["doubling", "command", "time ratio", "result", "peak ratio", "result"]]
    for a, b in zip(sizes, sizes[1:]):
        for what in ("check", "full build", "no-op rebuild"):
            x, y = results[(a, what)], results[(b, what)]
            limit = 2.2 * b / (2 * a)  # 2.2 for a doubling, scaled for other steps
            t, m = y.seconds / x.seconds, y.peak_kb / x.peak_kb
            checks.append([f"{a} -> {b}", what, f"{t:.2f}x", "PASS" if t <= limit else "FAIL",
                           f"{m:.2f}x", "PASS" if m <= 1.25 else "FAIL"])
    print(table(checks, right=set()))
    print(f"\nload average at end: {load()}; the whole run took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
