"""The same .apkg bytes on every supported Python (3.10 to 3.13): the README's "a fresh clone builds
the same bytes" holds whatever interpreter the teacher has.

Python 3.10 has no `sqlite3.Connection.serialize`, so its packages take another path (a backup into
a temporary file), which once differed by one byte (SQLite's schema cookie). The in-process test
compares both paths here; the other builds with each interpreter in QUIZGEN_PYTHONS (paths of Python
executables with quizgen's dependencies, separated by spaces), as .ci/run sets it for 3.10 and 3.13.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"


def _build(python: str, content: Path, out: Path) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([python, "-m", "generator", "build", str(content), "--only", "anki", "--out", str(out), "-q"],
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return (out / "mini.apkg").read_bytes()


def _fresh(tmp_path: Path, name: str) -> Path:
    content = tmp_path / name
    shutil.copytree(FIXTURES / "mini", content / "mini")  # no anki.lock: every stamp is SOURCE_DATE_EPOCH
    return content


def test_the_python_3_10_path_writes_the_same_bytes(tmp_path, monkeypatch):
    from conftest import build_files

    import generator.outputs.anki.package as package

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    got = {}
    for serialize in (True, False):
        monkeypatch.setattr(package, "SERIALIZE", serialize)
        (name,) = build_files(_fresh(tmp_path, f"c{serialize}"), tmp_path / f"o{serialize}", only=["anki"], force=True)
        got[serialize] = (tmp_path / f"o{serialize}" / name).read_bytes()
    assert got[True] == got[False]


PYTHONS = shlex.split(os.environ.get("QUIZGEN_PYTHONS", ""))


@pytest.mark.skipif(not PYTHONS, reason="set QUIZGEN_PYTHONS to Python executables with quizgen's dependencies (.ci/run does, for 3.10 and 3.13)")
@pytest.mark.parametrize("python", PYTHONS or ["none"])
def test_every_python_builds_the_same_package_bytes(tmp_path, python):
    want = _build(sys.executable, _fresh(tmp_path, "here"), tmp_path / "out-here")
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True)
    assert _build(python, _fresh(tmp_path, "there"), tmp_path / "out-there") == want, f"Python {version.stdout.strip()}"
