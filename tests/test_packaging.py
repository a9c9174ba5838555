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


def test_every_install_hint_works_from_a_checkout():
    """quizgen is not on PyPI: `pip install 'quizgen[mark]'` fails. Every hint quizgen prints installs
    an extra from the checkout (`pip install -e '.[mark]'` in its folder), and names an extra that exists."""
    import re

    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"])
    named: list[tuple[str, str]] = []
    for path in sorted((ROOT / "generator").rglob("*")):
        if not path.is_file() or path.suffix not in (".py", ".js", ".html", ".j2", ".po") or "__pycache__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "quizgen[" not in text, f"{path.relative_to(ROOT)} has a hint for a package that is not on PyPI"
        named += [(path.name, extra) for extra in re.findall(r"pip install -e '\.\[([a-z]+)\]'", text)]
    assert {extra for _, extra in named} >= {"mark", "serve", "anki", "new", "pdf", "watch"}
    assert [(name, extra) for name, extra in named if extra not in extras] == []
