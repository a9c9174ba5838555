"""Builds killed at every rename of their commit, and signalled at random points: never a mixed set.

    python bench/killsweep.py [SIGNAL_TRIALS]    (default: 60 signal trials, besides one kill per rename)

Two articles are built with two versions and answer sheets (quizzes, keys, sheets, their JSON,
decks, study pages, the index); then the questions change and the build runs again, killed
(os._exit, as SIGKILL or a power cut would leave it) at its 1st, 2nd, ... rename, then by SIGKILL,
SIGTERM and SIGINT after random delays. After each, the output folder is looked at as `serve
--teacher` sees it (every file it serves), as `mark` sees it (after its check) and as the next
`build` finds it (once it holds the lock: every output and the manifest): each must be all the old
set or all the new one, byte for byte. A SIGTERM or SIGINT must end in status 130 (or 0 when it
came after the build) with one line saying so, no traceback and no "leaked semaphore" warning; a
signal that came before the interpreter ran quizgen's first line (no handler of its own yet, read
from /proc) ends by the signal's default action, as any program would (a Ctrl-C while the interpreter
still reads its site-packages: Python's own KeyboardInterrupt, in no file of quizgen's), and is counted apart.
The builds run a copy of the package made when the sweep starts (see `freeze`). Prints what was
seen; exits 1 on any failure. tests/test_hardening2.py runs a share of these.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MINI = ROOT / "tests" / "fixtures" / "mini"
ARGS = ["--versions", "2", "--answer-sheet"]
# A changed Anki note is stamped with the later of SOURCE_DATE_EPOCH and the build's wall clock: an epoch
# past today (2096) makes the stamps, so the packages, the same whenever a build of the sweep runs.
# PYTHONPATH is set to a frozen copy of the package (see `freeze`).
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "4000000000", "QUIZGEN_CACHE_DIR": "off"}
KILL_AT = """
import os, sys
import generator.pipeline.write as w
real, n, at = os.replace, [0], int(sys.argv[1])
def replace(a, b):
    n[0] += 1
    if n[0] == at:
        os._exit(9)
    real(a, b)
w.os.replace = replace
from generator.cli import main
main(sys.argv[2:])
"""
COUNT = KILL_AT.replace("os._exit(9)", "pass").replace("main(sys.argv[2:])",
                                                      "try:\n    main(sys.argv[2:])\nfinally:\n    print(n[0], file=sys.stderr)")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output by name (not quizgen's lock, nor a staging folder)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != ".quizgen.lock"}


def edit(content: Path) -> None:
    for article in content.iterdir():
        q = article / "q.yaml"
        q.write_text(q.read_text(encoding="utf-8").replace("When was", "On what day was"), encoding="utf-8")


def freeze(tmp: Path) -> None:
    """Run the builds from a copy of the package made now. The manifest's entry hashes include a hash
    of every file of the package (an edited quizgen rebuilds everything): a file of the working tree
    saved during a sweep of several minutes made every later build's manifest differ from the
    reference build's, with the same outputs. Bytecode is copied too (the copies keep the sources'
    times, so it stays valid; the hash leaves it out): where writing it is off, the tests compile it
    once for the run, and each build of the sweep would otherwise compile the package again."""
    code = tmp / "code"
    shutil.copytree(ROOT / "generator", code / "generator")
    ENV["PYTHONPATH"] = str(code)


class Sweep:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        freeze(tmp)
        self.content = tmp / "content"
        for name in ("mini", "other"):
            shutil.copytree(MINI, self.content / name)
        self.build(tmp / "old")
        self.locks_old = self.locks()
        edit(self.content)
        self.old = snapshot(tmp / "old")
        shutil.copytree(tmp / "old", tmp / "new")  # the new set: what the build makes of the old folder, uninterrupted
        count = subprocess.run([sys.executable, "-c", COUNT, "0", *self.command(tmp / "new")],
                               capture_output=True, text=True, env=ENV, cwd=tmp)
        self.renames = int(count.stderr.strip().splitlines()[-1])
        self.new = snapshot(tmp / "new")
        self.reset_content()
        self.mixed = {"serve": 0, "mark": 0, "next build": 0}
        self.bad_exits: list[tuple[str, int, str]] = []
        self.runs = 0
        self.before_start = 0  # signals that came before the process had any handler of its own
        self.what = ""
        self.details: list[tuple[str, str, list[str], list[str]]] = []  # (run, seen by, differing from old, from new)

    def command(self, out: Path) -> list[str]:
        return ["build", str(self.content), "--out", str(out), *ARGS]

    def build(self, out: Path) -> None:
        subprocess.run([sys.executable, "-m", "generator", *self.command(out)], check=True, capture_output=True,
                       env=ENV, cwd=self.tmp)

    def locks(self) -> dict[str, bytes]:
        return {p.name: (p / "anki.lock").read_bytes() for p in self.content.iterdir()}

    def reset_content(self) -> None:
        """The edited questions, with the locks of the old build (as before the killed build)."""
        for name, data in self.locks_old.items():
            (self.content / name / "anki.lock").write_bytes(data)

    def fresh_out(self) -> Path:
        out = self.tmp / "out"
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(self.tmp / "old", out)
        self.reset_content()
        return out

    def judge(self, out: Path) -> None:
        """Look at a killed build's folder as serve, mark and the next build do."""
        from generator.pipeline.write import Stager, settle
        from generator.tools.serve import Site

        self.runs += 1
        for who in self.mixed:
            copy = self.tmp / f"look-{who.replace(' ', '-')}"
            if copy.exists():
                shutil.rmtree(copy)
            shutil.copytree(out, copy, symlinks=True)
            if who == "serve":
                site = Site(copy, teacher=True)
                # "/" and "/index.html" answer with the teacher's page: every other file by its name
                seen = {name: site.answer(f"/{name}").body for name in site.served() if name != "index.html"}
                sets = [{n: d for n, d in s.items() if n in seen} for s in (self.old, self.new)]
            elif who == "mark":
                settle(copy)
                seen = {p.name: p.read_bytes() for p in copy.glob("*-sheet-*.json")}
                sets = [{n: d for n, d in s.items() if n.endswith(".json") and "-sheet-" in n} for s in (self.old, self.new)]
            else:  # every output and the manifest, which says what the next build rebuilds
                with Stager(copy):
                    seen = snapshot(copy)
                sets = [self.old, self.new]
            if seen not in sets:
                self.mixed[who] += 1
                old, new = sets
                self.details.append((self.what, who, sorted(n for n in seen.keys() | old.keys() if seen.get(n) != old.get(n)),
                                     sorted(n for n in seen.keys() | new.keys() if seen.get(n) != new.get(n))))

    def kill_at(self, at: int) -> None:
        self.what = f"killed at rename {at}"
        out = self.fresh_out()
        subprocess.run([sys.executable, "-c", KILL_AT, str(at), *self.command(out)], capture_output=True,
                       env=ENV, cwd=self.tmp)
        self.judge(out)

    def signal_at(self, signum: int, delay: float) -> None:
        self.what = f"{signal.Signals(signum).name} after {delay:.2f} s"
        out = self.fresh_out()
        with open(self.tmp / "stderr", "w+b") as stderr:
            build = subprocess.Popen([sys.executable, "-m", "generator", *self.command(out), "-q", "--jobs", "2"],
                                     stdout=subprocess.DEVNULL, stderr=stderr, env=ENV, cwd=self.tmp,
                                     start_new_session=True)
            time.sleep(delay)
            early = signum != signal.SIGKILL and not _handles(build.pid, signum)
            if signum in (signal.SIGINT, signal.SIGKILL):  # Ctrl-C, or a power cut: every process of the group
                os.killpg(build.pid, signum)
            else:
                build.send_signal(signum)
            code = build.wait()
            if signum == signal.SIGKILL:
                _wait_group(build.pid)
            stderr.seek(0)
            err = stderr.read().decode(errors="replace")
        # a Ctrl-C while the interpreter still starts (its site-packages: .pth files, an editable
        # install's finder) meets Python's own handler, KeyboardInterrupt, in no file of quizgen's
        python_starting = signum == signal.SIGINT and "KeyboardInterrupt" in err and f"{os.sep}generator{os.sep}" not in err
        if early and code == -signum and not err or python_starting:
            self.before_start += 1  # the signal's default action: the interpreter had not run quizgen yet
        elif signum != signal.SIGKILL:
            lines = err.splitlines()
            clean = code == 0 or (code == 130 and len(lines) == 1 and lines[0].startswith("quizgen: interrupted"))
            if not clean or "Traceback" in err or "leaked semaphore" in err:
                self.bad_exits.append((signal.Signals(signum).name, code, err[-300:]))
        self.judge(out)


def _handles(pid: int, signum: int) -> bool:
    """Whether the process has a handler of its own for `signum` (Linux: its SigCgt mask in /proc;
    elsewhere taken as yes). quizgen's first code installs them (generator/entry.py): a signal before
    it meets no program's handler, whatever the program."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signum - 1)))
    except OSError:
        return True
    return True


def _wait_group(pgid: int) -> None:
    """Wait until no process of the group is left (a killed build's workers go a moment later)."""
    for _ in range(500):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def run(signal_trials: int, *, kill_points: int | None = None, seed: int = 28) -> Sweep:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        sweep = Sweep(Path(tmp))
        points = range(1, sweep.renames + 1)
        for at in points if kill_points is None else sorted(rng.sample(points, min(kill_points, len(points)))):
            sweep.kill_at(at)
        started = time.monotonic()
        sweep.kill_at(10**6)  # not killed: how long a build takes
        took = time.monotonic() - started
        signals = [signal.SIGKILL, signal.SIGTERM, signal.SIGINT]
        for i in range(signal_trials):
            sweep.signal_at(signals[i % 3], rng.uniform(0.1, took))
        return sweep


if __name__ == "__main__":
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    started = time.monotonic()
    sweep = run(trials)
    print(f"{sweep.runs} runs ({sweep.renames} kill points, one full build, {trials} signals) "
          f"in {time.monotonic() - started:.0f} s")
    print("mixed sets seen: " + ", ".join(f"{who} {n}" for who, n in sweep.mixed.items()) + " (goal 0)")
    for detail in sweep.details[:5]:
        print("  ", detail)
    print(f"silent, unclean or traceback exits: {len(sweep.bad_exits)} (goal 0); besides, signals that came before "
          f"the interpreter ran quizgen's first line (the default action, nothing written): {sweep.before_start}")
    for bad in sweep.bad_exits[:5]:
        print("  ", bad)
    sys.exit(1 if sum(sweep.mixed.values()) or sweep.bad_exits else 0)
