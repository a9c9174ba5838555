"""The benchmark of issues 8, 18 and 31: times quizgen on a synthetic library and checks the targets.

    python bench/run.py [--articles N] [--questions M] [--repeat R] [--jobs J] [--budget S] [--legacy]

Wall time and CPU time (user + system of the command and the workers it waited for) of every row;
the CPU ratios of issue 18 are against a minimal genanki script run in the same session, one
process each, with the library, the outputs and TMPDIR on tmpfs (/dev/shm) where there is one.

A script, not a test: it prints a table and the targets with PASS or FAIL, and exits 0 even when
a target fails (it exits 1 only when a command itself fails). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BUNDLED = REPO / "questions"  # the bundled article, the content folder of a fresh checkout
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402  (bench/generate.py)

PY = sys.executable
EPOCH = "1700000000"
SUMMARY = re.compile(
    r"built\s+(\d+)\s+outputs?\s+of\s+(\d+)\s+articles?,?\s+skipped\s+(\d+)", re.I
)


@dataclass
class Sample:
    seconds: float
    cpu: float  # user + system seconds of the command and of the children it waited for
    peak_kb: int
    stdout: str


# The launcher between this script and every measured command. A process's peak memory
# (ru_maxrss) starts from the high-water mark of the process it was forked or spawned from: Linux
# records the old memory's peak at exec, and vfork/posix_spawn share it. This script's own memory
# grows (it reads the output of a check that prints thousands of warnings), so measured commands
# started by it directly inherited its ~100 MB peak, `import typer` included. The launcher is a
# fresh, small interpreter (-I -S: no site, about 8 MB) that starts the command, reaps it with
# wait4 and writes the command's own wall time, CPU time and peak memory to a file.
LAUNCHER = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def bytecode(env: dict[str, str]) -> dict[str, str]:
    """The environment for measured commands, with quizgen's bytecode compiled beforehand.

    An installed package has its .pyc files (pip compiles them, as it did for typer and genanki);
    with PYTHONDONTWRITEBYTECODE set (as on this project's machine) and no __pycache__, every run
    would compile quizgen's sources again (about 40 ms of CPU) while the libraries it is compared
    with do not. So: compile once, untimed, and let Python use the .pyc files."""
    env = {k: v for k, v in env.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONDEVMODE")}
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "generator")], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return env


def run_measured(cmd: list[str], env: dict[str, str]) -> Sample:
    """Run `cmd` through the launcher and return its wall time, CPU, peak memory and output.

    The launcher reaps exactly the command (os.wait4), so the CPU is that of the command and of
    the children it waited for, and the peak is the largest single process among them (a --jobs
    worker if that was larger), not a sum; the launcher's own start-up is in neither. Output goes
    to temporary files, so a chatty command cannot block on a pipe, and only the last part of its
    standard error is ever read back.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".usage") as usage:
        proc = subprocess.run([PY, "-I", "-S", "-c", LAUNCHER, usage.name, *cmd],
                              stdout=out, stderr=err, env=env, cwd=REPO)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        err.seek(0, os.SEEK_END)
        err.seek(max(0, err.tell() - 16_000))
        stderr = err.read().decode("utf-8", "replace")
        figures = usage.read().split()
    if proc.returncode != 0 or len(figures) != 3:
        tail = "\n".join(stderr.splitlines()[-40:]) or "(no standard error)"
        if "No such option" in stderr:
            tail += "\n(for a quizgen without --force, --only and --jobs, run the benchmark with --legacy)"
        raise CommandFailed(f"command failed with exit status {proc.returncode}: {' '.join(cmd)}\n"
                            f"--- its standard error (last lines) ---\n{tail}")
    seconds, cpu, peak_kb = float(figures[0]), float(figures[1]), int(figures[2])
    return Sample(seconds, cpu, peak_kb, stdout)


class CommandFailed(Exception):
    pass


@dataclass
class Item:
    """One row of the table: a command measured `repeat` times (fewer if the budget runs out)."""

    key: str
    label: str
    cmd: Callable[[], list[str]]
    repeat: int
    before: Callable[[], None] | None = None  # untimed preparation before each run
    estimate_from: str | None = None  # before the first run, expect the time of this item...
    estimate_factor: float = 1.0  # ...times this
    legacy_note: str = ""  # set when --legacy dropped an option this row depends on
    env: dict[str, str] = field(default_factory=dict)  # added to the environment of its runs
    samples: list[Sample] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)  # the 1-minute load average before each run
    skipped: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.samples else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(s.cpu for s in self.samples) if self.samples else None

    @property
    def peak_mb(self) -> float | None:
        return max(s.peak_kb for s in self.samples) / 1024 if self.samples else None


def typer_version() -> str:
    """The installed Typer's version: the Typer floor belongs to it (0.29 and later convert every option through pydantic)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("typer")
    except PackageNotFoundError:
        return "?"


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"machine: {cpu}; {os.cpu_count()} cores ({usable} usable); memory {mem}",
        f"python:  {platform.python_implementation()} {platform.python_version()} ({PY}); {platform.platform()}",
    ]


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


LOADS: list[float] = []  # the 1-minute load average before every measured run


def note_load() -> None:
    try:
        LOADS.append(os.getloadavg()[0])
    except OSError:
        pass


def scratch() -> Path:
    """A temporary folder on tmpfs when there is one (no disk flushes in anybody's figures)."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="quizgen-bench-", dir=base))


def sizes(folder: Path, pattern: str) -> tuple[int, int]:
    """The number and total bytes of the files matching `pattern` in `folder`."""
    found = [f.stat().st_size for f in folder.glob(pattern) if f.is_file()] if folder.is_dir() else []
    return len(found), sum(found)


def fmt(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summaries(item: Item) -> list[tuple[int, int, int] | None]:
    """(outputs, articles built, articles skipped) of each run, from the build's summary line."""
    found: list[tuple[int, int, int] | None] = []
    for sample in item.samples:
        for line in reversed(sample.stdout.strip().splitlines()):
            m = SUMMARY.search(line)
            if m:
                found.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
                break
        else:
            found.append(None)
    return found


def summary_note(item: Item) -> str:
    runs = summaries(item)
    if not runs:
        return ""
    if any(r is None for r in runs):
        return "summary: ?"
    last = runs[-1]
    note = f"{last[0]} outputs, {last[1]} built, {last[2]} skipped"
    if len(set(runs)) > 1:
        note += " (built per run: " + ", ".join(str(r[1]) for r in runs) + ")"
    return note


def code_print() -> str:
    """A hash of quizgen's source, to notice it changing during the run."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted((REPO / "generator").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def pending_rebuild(megabytes: int, env: dict[str, str]) -> tuple[float, float] | None:
    """(wall, CPU) seconds of bench/pending.py's `serve --watch` rebuild with `megabytes` of other data pending."""
    done = subprocess.run([PY, str(BENCH / "pending.py"), "--megabytes", str(megabytes)], capture_output=True, text=True,
                          env=env, cwd=REPO)
    found = re.search(r"serve --watch rebuild \(no flush\): ([\d.]+) s \(CPU ([\d.]+) s", done.stdout)
    if done.returncode != 0 or not found:
        print(f"bench/pending.py failed: {done.stderr.strip()[-2000:]}", file=sys.stderr)
        return None
    print(done.stdout.rstrip())
    return float(found[1]), float(found[2])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="quizgen benchmark (issue 8)")
    p.add_argument("--articles", type=int, default=200, help="articles in the library (default 200)")
    p.add_argument("--questions", type=int, default=100, help="questions per article (default 100)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each build, check and baseline; the median is shown (default 3)")
    p.add_argument("--repeat-small", type=int, default=7, help="runs of --version, --help and import typer (default 7)")
    p.add_argument("--jobs", type=int, default=2, help="the parallel build to compare with --jobs 1 (default 2)")
    p.add_argument("--budget", type=float, default=420.0,
                   help="seconds the whole run may take (default 420): a run expected to go past it is left out; "
                        "every row runs once before any is repeated")
    p.add_argument("--seed", default="1", help="seed of the synthetic library")
    p.add_argument("--big", type=int, default=5000, help="questions of the one large article checked (default 5000)")
    p.add_argument("--pending", type=int, default=512,
                   help="megabytes of another program's unwritten data during the pending-data rebuild (default 512; 0: not run)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    p.add_argument("--legacy", action="store_true",
                   help="for a quizgen without --force, --only, --jobs: leave them out (build into a fresh folder "
                        "instead of --force); rows that need them are measured without them and marked")
    args = p.parse_args(argv)
    if args.articles < 2 or args.questions < 8:
        p.error("need at least 2 articles (for the half-size build) and 8 questions per article")

    started = time.perf_counter()
    code_at_start = code_print()
    deadline = started + args.budget
    print(f"quizgen benchmark: {args.articles} articles x {args.questions} questions, repeat {args.repeat} "
          f"(small commands {args.repeat_small}), budget {args.budget:.0f} s{' [--legacy]' if args.legacy else ''}")
    for line in machine():
        print(line)
    print(f"load average at start: {load()}")
    sys.stdout.flush()

    tmp = scratch()
    try:
        code = _bench(args, tmp, started, deadline)
    except CommandFailed as e:
        print(f"\nbench: {e}", file=sys.stderr)
        print(f"bench: the library and outputs are kept in {tmp}", file=sys.stderr)
        return 1
    if code_print() != code_at_start:
        print("WARNING: quizgen's source (generator/) changed during the run: the rows may time different "
              "versions, and a changed source makes the next build rebuild everything")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"total time: {time.perf_counter() - started:.1f} s")
    return code


def _bench(args: argparse.Namespace, tmp: Path, started: float, deadline: float) -> int:
    n, m, legacy = args.articles, args.questions, args.legacy
    content, half = tmp / "library", tmp / f"library-{n // 2}"
    # In child processes: a child's peak memory (ru_maxrss) counts the memory of the process it
    # was forked from until it execs, so this process must stay small for the peaks to mean anything.
    make = lambda folder, count: subprocess.run(  # noqa: E731
        [PY, str(BENCH / "generate.py"), str(folder), "--articles", str(count), "--questions", str(m), "--seed", str(args.seed)],
        check=True, stdout=subprocess.DEVNULL)
    t = time.perf_counter()
    make(content, n)
    gen_seconds = time.perf_counter() - t
    make(half, n // 2)
    big = tmp / "big"  # one article of --big questions (issue 31: linear within an article)
    subprocess.run([PY, str(BENCH / "generate.py"), str(big), "--articles", "1", "--questions", str(args.big),
                    "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)
    size = sum(f.stat().st_size for f in content.rglob("*") if f.is_file())
    print(f"library: {n} articles, {n * m} questions, {size / 1e6:.1f} MB, generated in {gen_seconds:.2f} s ({tmp})")
    print()

    # quizgen's cache of compiled templates and catalogues (README, "The cache folder") starts empty in
    # the scratch folder: the first build fills it, as a user's first build does; the "empty cache" row shows that cost
    env = bytecode({**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(tmp), "QUIZGEN_CACHE_DIR": str(tmp / "cache")})
    q = [PY, "-m", "generator"]
    out = lambda name: tmp / name  # noqa: E731
    first_file = sorted(content.iterdir())[0] / "events.yaml"
    original = first_file.read_bytes()
    edits = iter(range(1, 1_000_000))

    def forget_checks() -> None:  # check's kept results (README, "The cache folder"): a first run
        shutil.rmtree(tmp / "cache" / "check", ignore_errors=True)

    def fresh(name: str) -> Callable[[], None]:
        return lambda: shutil.rmtree(out(name), ignore_errors=True)

    def build(dest: str, *opts: str) -> Callable[[], list[str]]:
        keep = [o for o in opts if not legacy or o not in ("--force",)]
        if legacy:  # drop --only NAME and --jobs N too
            drop, cleaned = False, []
            for o in keep:
                if drop:
                    drop = False
                    continue
                if o in ("--only", "--jobs"):
                    drop = True
                    continue
                cleaned.append(o)
            keep = cleaned
        return lambda: [*q, "build", str(content if dest != "half" else half), "--out", str(out(dest)), *keep]

    force = lambda name: fresh(name) if legacy else None  # noqa: E731  (--legacy: no --force, so a fresh folder)
    R, S = args.repeat, args.repeat_small
    jobs = str(args.jobs)
    items = [
        Item("typer", 'python -c "import typer"', lambda: [PY, "-c", "import typer"], S),
        Item("floor", f"Typer {typer_version()} app, check's options, no work", lambda: [PY, str(BENCH / "typer_floor.py"), "check", str(BUNDLED)], S),
        Item("version", "quizgen --version", lambda: [*q, "--version"], S),
        Item("help", "quizgen --help", lambda: [*q, "--help"], S),
        Item("minimal", "minimal genanki script", lambda: [PY, str(BENCH / "baseline.py"), "--minimal", str(content), str(out("minimal"))], R),
        Item("baseline", "baseline (bare genanki)", lambda: [PY, str(BENCH / "baseline.py"), str(content), str(out("baseline"))], R),
        Item("yaml", "YAML composed, nothing else", lambda: [PY, str(BENCH / "yaml_floor.py"), str(content)], R),
        Item("check1", "quizgen check --jobs 1 (first run)", lambda: [*q, "check", str(content), *([] if legacy else ["--jobs", "1"])], R,
             before=forget_checks, estimate_from="minimal", estimate_factor=2, legacy_note="--jobs dropped" if legacy else ""),
        Item("check_warm", "check --jobs 1, unchanged library", lambda: [*q, "check", str(content), *([] if legacy else ["--jobs", "1"])],
             R, estimate_from="minimal", estimate_factor=1),
        Item("big", f"check, one article of {args.big} questions", lambda: [*q, "check", str(big), "--jobs", "1"], R,
             before=forget_checks, estimate_from="minimal", estimate_factor=1),
        Item("anki1", "Anki only --jobs 1", build("anki1", "--only", "anki", "--jobs", "1", "--force"), R,
             before=force("anki1"), estimate_from="minimal", estimate_factor=3,
             legacy_note="--only, --jobs dropped" if legacy else ""),
        Item("check_one", "check, bundled article", lambda: [*q, "check", str(BUNDLED)], S),
        Item("build_one", "build, bundled article", lambda: [*q, "build", str(BUNDLED), "--out", str(out("one")),
                                                           *([] if legacy else ["--force"])], S),
        Item("build_cold", "build, bundled article, empty cache", lambda: [*q, "build", str(BUNDLED), "--out", str(out("cold")),
                                                                     *([] if legacy else ["--force"])], S,
             env={"QUIZGEN_CACHE_DIR": "off"}),
        Item("check", "quizgen check", lambda: [*q, "check", str(content)], R, estimate_from="baseline", estimate_factor=3),
        Item("full", "full build (every output)", build("out", "--force"), R, before=force("out"),
             estimate_from="baseline", estimate_factor=5),
        Item("noop", "rebuild, nothing changed", build("out"), R, estimate_from="full", estimate_factor=0.5),
        Item("edit", "rebuild, one file edited", build("out"), R,
             before=lambda: generate.edit_question(first_file, str(next(edits))),
             estimate_from="full", estimate_factor=0.5),
        Item("anki", "Anki only (--only anki)", build("anki", "--only", "anki", "--force"), R, before=force("anki"),
             estimate_from="full", legacy_note="--only dropped" if legacy else ""),
        Item("jobs1", "full build --jobs 1", build("jobs1", "--jobs", "1", "--force"), R, before=force("jobs1"),
             estimate_from="full", legacy_note="--jobs dropped" if legacy else ""),
        Item("half", f"full build, {n // 2} articles", build("half", "--force"), R, before=force("half"),
             estimate_from="full", estimate_factor=0.6),
    ]
    if jobs != "1":
        items.insert(-1, Item(f"jobs{jobs}", f"full build --jobs {jobs}", build(f"jobs{jobs}", "--jobs", jobs, "--force"), R,
                              before=force(f"jobs{jobs}"), estimate_from="full",
                              legacy_note="--jobs dropped" if legacy else ""))
    by_key = {i.key: i for i in items}

    def estimate(item: Item) -> float:
        if item.samples:
            return item.median or 0.0
        source = by_key.get(item.estimate_from or "")
        if source and source.samples:
            return (source.median or 0.0) * item.estimate_factor
        return 0.0

    # Every row once, in order; then more rounds, all rows in turn, so that a change in the
    # machine's load during the run spreads over every row. The no-op and edit rebuilds follow
    # a build into the same folder in every round (a full, no-op or edit build leaves it current).
    for _rnd in range(max(R, S)):
        for item in items:
            if len(item.samples) >= item.repeat:
                continue
            if time.perf_counter() + estimate(item) > deadline:
                if not item.samples:
                    item.skipped = "left out: time budget"
                continue
            if item.before:
                item.before()
            note_load()
            item.loads.append(LOADS[-1] if LOADS else 0.0)
            item.samples.append(run_measured(item.cmd(), {**env, **item.env}))
            if sys.stderr.isatty():  # progress, on a terminal only
                print(f"  {item.label}: {item.samples[-1].seconds:.2f} s", file=sys.stderr, flush=True)
    first_file.write_bytes(original)

    base, full = by_key["baseline"], by_key["full"]
    typer_t = by_key["typer"].median
    j1, jn = by_key["jobs1"], by_key[f"jobs{jobs}"]

    def other(item: Item) -> str:
        if item.key in ("noop", "edit"):
            return fmt(ratio(item.median, full.median), suffix="x full build")
        if item.key in ("version", "help"):
            return fmt(ratio(item.median, typer_t), suffix="x import typer")
        if item.key == jn.key and jn is not j1:
            return fmt(ratio(j1.median, jn.median), suffix="x faster than --jobs 1")
        if item.key == "half":
            return "full/half: " + fmt(ratio(full.median, item.median), suffix="x")
        return ""

    def note(item: Item) -> str:
        parts = [item.skipped, item.legacy_note]
        if item.key in ("full", "noop", "edit", "anki", "jobs1", jn.key, "half"):
            parts.append(summary_note(item))
        return "; ".join(p for p in parts if p)

    minimal = by_key["minimal"]
    small = ("typer", "floor", "version", "help", "check_one", "build_one", "build_cold")
    header = ["what", "runs", "wall s", "CPU s", "CPU x minimal", "wall x baseline", "other ratio", "peak MB", "note"]
    rows = [header]
    # The CPU of a command is that of the processes it waited for: a build's workers are children of
    # multiprocessing's fork server, not of the build, so rows that may run workers show no CPU.
    one_process = {"typer", "floor", "version", "help", "yaml", "minimal", "baseline", "check1", "check_warm", "big", "anki1",
                   "jobs1", *small}
    for item in items:
        timed = item.key not in small
        shown = item.key in one_process or (n < 16 and not item.key.startswith("jobs"))  # auto jobs: 16+ articles
        cpu_x = ratio(item.cpu, minimal.cpu) if timed else ratio(item.cpu, by_key["typer"].cpu)
        rows.append([
            item.label, str(len(item.samples)), fmt(item.median, ".3f"), fmt(item.cpu if shown else None, ".3f"),
            fmt(cpu_x if shown else None, suffix="" if timed else "x typer"),
            fmt(ratio(item.median, base.median)) if timed else "", other(item), fmt(item.peak_mb, ".1f"), note(item),
        ])
    print(table(rows, right={1, 2, 3, 4, 5, 7}))
    print()
    print("packages: " + "; ".join(
        f"{label} {count} files, {total / 1e6:.1f} MB" for label, (count, total) in (
            ("minimal", sizes(out("minimal"), "*.apkg")), ("baseline", sizes(out("baseline"), "*.apkg")),
            ("quizgen", sizes(out("anki1"), "*.apkg")))))
    print(f"load average (1 min) before the runs: {min(LOADS, default=0):.2f} to {max(LOADS, default=0):.2f}, "
          f"median {statistics.median(LOADS) if LOADS else 0:.2f}, on {os.cpu_count()} cores; scratch folder {tmp}")
    print()

    def spread(*keys: str) -> float:
        """The noise of a ratio of these rows: the relative spread of their CPU (or wall) samples, at least 5 %."""
        total = 0.0
        for key in keys:
            item = by_key[key]
            values = [x.cpu for x in item.samples] if item.key in one_process else [x.seconds for x in item.samples]
            if len(values) > 1 and statistics.median(values) > 0:
                total += (max(values) - min(values)) / statistics.median(values)
        return max(total, 0.05)

    def load_of(*keys: str) -> str:
        loads = [x for key in keys for x in by_key[key].loads]
        return f"{statistics.median(loads):.1f}" if loads else "-"

    def target(what: str, value: float | None, limit: float, keys: tuple[str, ...] = (), at_most: bool = True,
               why: str = "", suffix: str = "x") -> list[str]:
        """A goal's row: PASS, FAIL, or 'noise' when the value is past the limit by less than the rows' own spread."""
        where = load_of(*keys)
        if why:
            return [what, fmt(value, suffix=suffix), "n/a", where, why]
        if value is None:
            return [what, "-", "n/a", where, "not measured (time budget)"]
        margin = spread(*keys) if keys else 0.05
        ok = value <= limit if at_most else value >= limit
        close = value <= limit * (1 + margin) if at_most else value >= limit * (1 - margin)
        verdict = "PASS" if ok else "noise" if close else "FAIL"
        return [what, fmt(value, suffix=suffix), verdict, where, f"margin {margin:.0%}"]

    leg = lambda item: "options dropped by --legacy" if item.legacy_note else ""  # noqa: E731
    edit = by_key["edit"]
    runs = summaries(edit)
    what = "rebuild after editing one file: only that article built"
    if not runs:
        edit_row = [what, "-", "n/a", "-", "not measured (time budget)"]
    elif any(r is None for r in runs):
        edit_row = [what, fmt(ratio(edit.median, full.median), suffix="x full"), "FAIL", load_of("edit"),
                    "no summary line: built ? articles"]
    else:
        built = sorted({r[1] for r in runs})
        edit_row = [what, f"{'/'.join(map(str, built))} built, {runs[-1][2]} skipped "
                          f"({fmt(ratio(edit.median, full.median))}x full)",
                    "PASS" if all((r[1], r[2]) == (1, n - 1) for r in runs) else "FAIL", load_of("edit"),
                    "" if len(set(runs)) == 1 else "runs differ"]
    cpu = lambda key: ratio(by_key[key].cpu, minimal.cpu)  # noqa: E731
    typer_cpu = by_key["typer"].cpu
    big_item = by_key["big"]
    pending = pending_rebuild(args.pending, env) if args.pending else None
    targets = [
        ["target (issue 31: CPU, one process each, against the minimal genanki script)", "measured", "result", "load", "note"],
        target("check --jobs 1, first run <= 1.5x minimal", cpu("check1"), 1.5, ("check1", "minimal"), why=leg(by_key["check1"])),
        target("check --jobs 1, unchanged library <= 0.5x minimal", cpu("check_warm"), 0.5, ("check_warm", "minimal")),
        target("Anki only --jobs 1 <= 1.5x minimal", cpu("anki1"), 1.5, ("anki1", "minimal"), why=leg(by_key["anki1"])),
        target("full build --jobs 1 <= 2.5x minimal", cpu("jobs1"), 2.5, ("jobs1", "minimal"), why=leg(j1)),
        target(f"check of one article of {args.big} questions < 3 s (CPU)", big_item.cpu, 3, ("big",), suffix=" s"),
        target("  ... and < 200 MB (peak)", big_item.peak_mb, 200, ("big",), suffix=" MB"),
        target(f"serve --watch rebuild with {args.pending} MB of other data pending < 0.1 s (wall)",
               pending[0] if pending else None, 0.1, why="" if pending else "not run (--pending 0)", suffix=" s"),
        target("  the same, CPU (the rest of the wall time is waiting for a core or the disk)",
               pending[1] if pending else None, 0.1, why="" if pending else "not run (--pending 0)", suffix=" s"),
        target("no-op rebuild <= 0.1x full build (wall)", ratio(by_key["noop"].median, full.median), 0.1, ("noop", "full")),
        edit_row,
        ["floors (what no quizgen can go under)", "", "", "", ""],
        target("YAML composed with quizgen's resolver, no check (CPU x minimal)", cpu("yaml"), 0.5,
               why="what reading the YAML costs before any check"),
        target(f"a Typer {typer_version()} app with check's options, no work (CPU x import typer)",
               ratio(by_key["floor"].cpu, typer_cpu), 2, why="what Typer costs before any work"),
        ["earlier goals (issues 8 and 18)", "", "", "", ""],
        target("check of one article <= 2x import typer (CPU)", ratio(by_key["check_one"].cpu, typer_cpu), 2, ("check_one", "typer")),
        target("build of one article <= 2x import typer (CPU)", ratio(by_key["build_one"].cpu, typer_cpu), 2, ("build_one", "typer")),
        target("  the same with an empty cache (a first build)", ratio(by_key["build_cold"].cpu, typer_cpu), 2, ("build_cold", "typer")),
        target("full build <= 2x baseline (wall)", ratio(full.median, base.median), 2, ("full", "baseline")),
        target("--version <= 1.5x import typer (wall)", ratio(by_key["version"].median, typer_t), 1.5, ("version", "typer")),
        target("--help <= 1.5x import typer (wall)", ratio(by_key["help"].median, typer_t), 1.5, ("help", "typer")),
        target("peak memory of full build <= 2x baseline's", ratio(full.peak_mb, base.peak_mb), 2),
        target(f"--jobs {jobs} >= 1.6x faster than --jobs 1 (wall)", ratio(j1.median, jn.median), 1.6, (j1.key, jn.key),
               at_most=False, why=leg(jn) or ("--jobs 1 is the same command" if jn is j1 else "")),
        target(f"doubling articles ({n // 2} -> {n}) <= 2.2x time (wall)", ratio(full.median, by_key["half"].median), 2.2,
               ("full", "half")),
    ]
    print(table(targets, right=set()))
    print()
    print(f"load average at end: {load()} (timings on a busy machine are slower and noisier)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
