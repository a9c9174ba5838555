"""SIGTERM at random points of `quizgen build --jobs 4`: every trial must exit 130 within 5 seconds.

    python bench/sigterm.py [TRIALS] [AT_ONCE]    (default: 200 trials, 4 at once)

Each trial builds a tiny library (four copies of the test fixture, so that four worker processes
start) into its own folder, waits until quizgen has installed its SIGTERM handler (Linux: the
SigCgt mask in /proc), sends SIGTERM after a random delay and times the exit. Prints the exit
statuses seen and the slowest exit; the suite's tests/test_signals.py runs a few of these.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
LIMIT = 5.0  # seconds from SIGTERM to exit


def library(folder: Path, articles: int = 4) -> Path:
    content = folder / "content"
    for i in range(articles):
        shutil.copytree(MINI, content / f"a{i}")
    return content


def handles_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM (its SigCgt mask, Linux)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    except OSError:
        pass
    return False


def trial(content: Path, out: Path, delay: float) -> tuple[int | None, float, bool, str]:
    """(exit status, seconds from SIGTERM to exit, whether the signal came before the build ended, stderr's end).

    The time is to the exit of the quizgen process (what a shell waits for); its output goes to
    files, since a worker that was still starting may hold a pipe open a moment longer.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    with open(f"{out}.stdout", "w+b") as stdout, open(f"{out}.stderr", "w+b") as stderr:
        build = subprocess.Popen(
            [sys.executable, "-m", "generator", "build", str(content), "--out", str(out), "--jobs", "4", "--force", "-q"],
            stdout=stdout, stderr=stderr, env=env,
        )
        code, took, during = _signal(build, delay)
        stdout.seek(0)
        stderr.seek(0)
        # a signal that came as the process was ending after a whole build is not one during it
        during = during and not (code == 0 and stdout.read().startswith(b"built "))
        return code, took, during, stderr.read()[-400:].decode(errors="replace")


def _signal(build: subprocess.Popen, delay: float) -> tuple[int | None, float, bool]:
    while not handles_sigterm(build.pid):
        if build.poll() is not None:
            return build.returncode, 0.0, False
        time.sleep(0.002)
    time.sleep(delay)
    if build.poll() is not None:
        return build.returncode, 0.0, False
    build.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    try:
        build.wait(timeout=LIMIT * 4)
    except subprocess.TimeoutExpired:
        build.kill()
        build.wait()
        return None, LIMIT * 4, True
    return build.returncode, time.monotonic() - sent, True


def run(trials: int, at_once: int, max_delay: float, seed: int = 14) -> list[tuple[int | None, float, bool, str]]:
    rng = random.Random(seed)
    delays = [rng.uniform(0, max_delay) for _ in range(trials)]
    with tempfile.TemporaryDirectory() as tmp:
        content = library(Path(tmp))
        with ThreadPoolExecutor(at_once) as pool:
            return list(pool.map(lambda i: trial(content, Path(tmp) / f"out{i}", delays[i]), range(trials)))


if __name__ == "__main__":
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    at_once = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    started = time.monotonic()
    results = run(trials, at_once, max_delay=2.0)
    hit = [(code, took) for code, took, during, _ in results if during]
    statuses: dict[int | None, int] = {}
    for code, _ in hit:
        statuses[code] = statuses.get(code, 0) + 1
    print(f"{trials} trials, {len(hit)} signalled during the build, {time.monotonic() - started:.0f} s")
    print(f"exit statuses: {statuses}")
    print(f"slowest exit after SIGTERM: {max((t for _, t in hit), default=0):.2f} s (limit {LIMIT} s)")
    bad = [(c, round(t, 2), err) for c, t, during, err in results if during and (c != 130 or t > LIMIT)]
    print("all exited 130 in time" if not bad else f"FAILED: {bad}")
    sys.exit(1 if bad else 0)
