from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini_library():
    """The small fixture article with one question of every kind, loaded."""
    from generator.load import load_library

    return load_library(FIXTURES)


@pytest.fixture
def content(tmp_path, monkeypatch):
    """A fresh content folder holding a copy of the mini article set; the working folder is it."""
    import shutil

    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    monkeypatch.chdir(tmp_path)
    return tmp_path
