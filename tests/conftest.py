from __future__ import annotations

import signal
from pathlib import Path

import pytest

# A suite started in the background by a non-interactive shell (`pytest &` in a script) inherits
# SIGINT ignored, and so would every quizgen the tests start: quizgen keeps an ignored Ctrl-C ignored
# (a background job's), so the tests that stop a server or a marking with Ctrl-C would wait for ever.
# The tests are about quizgen started from a terminal: give them Python's usual Ctrl-C.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def build_files(content: Path, out: Path, **options) -> dict[str, bytes]:
    """Build `content` into `out` as `quizgen build` does; every output file by name."""
    from generator.pipeline.build import build

    build(content, out, **options)
    # outputs are never hidden files; the manifest and the lock are
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture
def fresh_memos():
    """Every memo of quizgen (generator/memo.py) forgotten before the test and after it: for a test that
    changes what one was computed from (a file, a version, the registered builders)."""
    from generator import memo

    memo.clear()
    yield
    memo.clear()


@pytest.fixture(scope="session", autouse=True)
def shared_bytecode():
    """Where writing bytecode is turned off (PYTHONDONTWRITEBYTECODE, as on the shared machine), every
    Python the tests start (quizgen's commands, killed builds, servers: some hundreds) would compile
    quizgen's modules from source again, some 0.15 s of CPU each. quizgen's package is compiled once
    here instead, into the __pycache__ folders Python reads (git ignores them), and those this run made
    are removed at its end. The started programs run the same code."""
    import compileall
    import os
    import shutil

    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        yield
        return
    package = ROOT / "generator"
    had = set(package.rglob("__pycache__"))
    compileall.compile_dir(package, quiet=1, workers=1)
    yield
    for folder in set(package.rglob("__pycache__")) - had:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def one_click_command():
    """quizgen's Click command made from its Typer app once for the run, as a `quizgen` process makes
    it once: Typer makes it again on every `CliRunner().invoke(app, ...)` and `run(...)` (and each
    parameter's converter with it), two thirds of the CPU of a small `check` or `build` in the tests
    (test_cases.py's 285 runs). Click keeps what a run parses in that run's Context, not in the command."""
    import typer.main
    import typer.testing

    from generator.commands import app

    made = typer.main.get_command(app)
    real = typer.main.get_command

    def get_command(typer_instance):
        return made if typer_instance is app else real(typer_instance)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.main, "get_command", get_command)
        patch.setattr(typer.testing, "_get_command", get_command)
        yield


@pytest.fixture(scope="session", autouse=True)
def fixtures_stay_untouched():
    """No test may build inside tests/fixtures: a build writes anki.lock beside the questions."""
    before = sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*"))
    yield
    assert sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*")) == before, "a test wrote into tests/fixtures"


@pytest.fixture
def mini_library():
    """The small fixture article with one question of every kind, loaded."""
    from generator.sources.load import load_library

    return load_library(FIXTURES)


@pytest.fixture
def content(tmp_path, monkeypatch):
    """A fresh content folder holding a copy of the mini article set; the working folder is it."""
    import shutil

    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def browser():
    """Chromium from the PATH, driven by Playwright; skipped when absent unless CI requires it."""
    import os

    from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium

    path = find_chromium()
    reason = None
    if path is None:
        reason = "no Chromium on the PATH (Debian: apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            reason = "Playwright is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("QUIZGEN_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here (QUIZGEN_REQUIRE_BROWSER is set): {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()
