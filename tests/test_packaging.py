"""The package ships every file it reads at run time (templates, styles, scripts)."""

from __future__ import annotations

from fnmatch import fnmatch

import pytest
from conftest import ROOT

tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11 and newer")


def test_every_data_file_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["generator"]
    package = ROOT / "generator"
    data = [p.relative_to(package).as_posix() for p in package.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert data, "no data files found"
    missing = [d for d in data if not any(fnmatch(d, pat) or fnmatch(d, pat.removeprefix("**/")) for pat in patterns)]
    assert missing == []


def test_console_script_and_python_version():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["scripts"] == {"quizgen": "generator.entry:main"}
    assert config["project"]["requires-python"] == ">=3.10"
    assert {"pytest>=8", "anki>=25.2", "playwright>=1.45"} <= set(config["project"]["optional-dependencies"]["test"])
