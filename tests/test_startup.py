"""What a command imports: a command never imports what it does not use (issue 18, start-up cost).

Each case runs quizgen in a fresh interpreter and reads the modules it imported, so an eager import
added anywhere on a command's path (a builder, Jinja2, Babel, genanki...) fails here, whatever the
machine's speed. No timing: bench/run.py prints the figures.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

# Runs quizgen's entry point, then writes the names of the imported modules to the file argv[1].
_RUN = """
import atexit, json, sys
out, args = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
from generator.cli import main
main(args)
"""

# What no command that only reads questions needs: the outputs' libraries and quizgen's builders.
OUTPUT_MODULES = (
    "jinja2", "markupsafe", "babel", "genanki", "filelock", "rich", "multiprocessing",
    "generator.sources.templates", "generator.i18n", "generator.pipeline.write", "generator.pipeline.build",
    "generator.outputs.pages", "generator.outputs.anki", "generator.outputs.study", "generator.outputs.index",
    "generator.outputs.quiz.sheet", "generator.outputs.quiz.answer_sheet",
)


def imported(tmp_path: Path, *args: str) -> set[str]:
    """The modules `quizgen ARGS` imports, after checking it succeeded."""
    names = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", _RUN, str(names), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(names.read_text(encoding="utf-8")))


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of `modules` that are one of `packages` or inside one."""
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.fixture
def plain_article(tmp_path: Path) -> Path:
    """The mini article (every kind) without its template: a content folder of one article."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    questions = content / "mini" / "q.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text[: text.index("  - id: year\n")], encoding="utf-8")
    return content


def test_check_imports_no_builder_and_no_output_library(tmp_path, plain_article):
    modules = imported(tmp_path, "check", str(plain_article))
    assert "generator.checks.summary" in modules and "pydantic" in modules  # it did check
    assert loaded(modules, OUTPUT_MODULES) == []
    assert "generator.checks.selection" in modules  # what the full quiz leaves out: the draw, not the quiz builder
    assert loaded(modules, ("generator.outputs.quiz", "generator.outputs.exports")) == []


def test_check_imports_jinja2_only_for_templates_that_need_it(tmp_path):
    """The mini article's template only places values ({{ what }}): no Jinja2. A filter needs Jinja's sandbox."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    modules = imported(tmp_path, "check", str(content))
    assert "generator.sources.placeholders" in modules  # it did expand the template
    assert loaded(modules, OUTPUT_MODULES) == []
    questions = content / "mini" / "q.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("{{ year }}", "{{ year|trim }}"), encoding="utf-8")
    modules = imported(tmp_path, "check", str(content))
    assert "generator.sources.templates" in modules and "jinja2" in modules
    assert loaded(modules, tuple(m for m in OUTPUT_MODULES if m not in ("jinja2", "markupsafe", "generator.sources.templates"))) == []


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("check", "--help"), ("build", "--help")])
def test_version_and_help_import_none_of_the_content_code(tmp_path, args, known_builders):
    """No YAML, no pydantic, no question kind's classes: only the command line (Typer 0.29 and later
    check every option with pydantic, so quizgen asks for a Typer below 0.29)."""
    modules = imported(tmp_path, *args)
    assert "generator.cli" in modules
    heavy = ("yaml", "generator.sources.schema", "generator.model", "generator.sources.load", "generator.checks.summary", "generator.outputs")
    if args == ("build", "--help"):  # its --only help names the installed builders: the contract, not a builder
        assert "generator.outputs" in modules
        modules -= {"generator.outputs"}
    assert loaded(modules, OUTPUT_MODULES + heavy + ("pydantic",)) == []


@pytest.fixture
def known_builders(tmp_path, monkeypatch):
    """A cache folder that knows the builders (any build or `build --help` since quizgen was installed)."""
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    imported(tmp_path, "build", "--help")


PARSERS_AND_BUILDERS = (
    "yaml", "generator.sources.schema", "generator.sources.load", "generator.sources.read_questions", "jinja2", "genanki", "babel",
    "generator.outputs.pages", "generator.outputs.anki", "generator.outputs.study", "generator.outputs.index",
    "generator.outputs.quiz",
)


def test_a_rebuild_that_builds_nothing_imports_no_parser_and_no_builder(tmp_path, plain_article, monkeypatch):
    """Issue 31: Jinja2, genanki and the schema were two thirds of a no-op rebuild's time."""
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    out = str(tmp_path / "out")
    first = imported(tmp_path, "build", str(plain_article), "--out", out)
    assert {"generator.sources.load", "generator.outputs.anki", "genanki"} <= first  # a first build imports them
    again = imported(tmp_path, "build", str(plain_article), "--out", out)
    assert "generator.pipeline.build" in again  # it did run the build
    assert loaded(again, PARSERS_AND_BUILDERS) == []
    questions = plain_article / "mini" / "q.yaml"
    questions.write_text(questions.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    edited = imported(tmp_path, "build", str(plain_article), "--out", out)
    assert {"generator.sources.load", "generator.outputs.anki", "genanki"} <= edited  # an edit is built, not skipped


def test_a_build_of_one_output_imports_only_its_builder(tmp_path, plain_article, known_builders):
    """`build --only anki` imports the Anki builder alone: not the quiz's layout and selection, the
    study page, the index or the exports, nor Jinja2, which only the HTML builders use (issue 31)."""
    modules = imported(tmp_path, "build", str(plain_article), "--out", str(tmp_path / "out"), "--only", "anki")
    assert {"generator.outputs.anki", "genanki"} <= modules  # it did build the deck
    assert loaded(modules, ("jinja2", "generator.outputs.pages", "generator.outputs.quiz", "generator.outputs.study",
                            "generator.outputs.index", "generator.outputs.exports", "generator.checks.selection")) == []
    full = imported(tmp_path, "build", str(plain_article), "--out", str(tmp_path / "all"))
    assert {"jinja2", "generator.outputs.quiz", "generator.outputs.study", "generator.outputs.index"} <= full
