"""The one build step pyproject.toml cannot say: quizgen's catalogues compiled with Babel (a build
requirement, not a run-time one) before the package's files are copied, for a wheel, `pip install .`
and `pip install -e .` alike. See generator/catalogues.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build_py import build_py


def _catalogues():
    """generator/catalogues.py, loaded by its path: the package is not installed yet."""
    path = Path(__file__).resolve().parent / "generator" / "catalogues.py"
    spec = importlib.util.spec_from_file_location("quizgen_catalogues", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CompileCatalogues(Command):
    description = "compile generator/locales/*/LC_MESSAGES/quizgen.po to .mo, and the study page's messages"
    user_options: list = []

    def initialize_options(self) -> None:
        pass

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        for path in _catalogues().compile_all():
            print(f"compiled {path}")


class BuildPy(build_py):
    """build_py, with the catalogues compiled first (into the source tree, where an editable install reads them)."""

    def run(self) -> None:
        self.run_command("compile_catalogues")
        super().run()


setup(cmdclass={"build_py": BuildPy, "compile_catalogues": CompileCatalogues})
