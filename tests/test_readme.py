"""The README stays true and short: its first commands, what it says a build writes, its tour, its links
into the documentation site; and the samples the site shows are what quizgen prints. (Every command and
question example of the README and the site is run or loaded by tests/test_docs_examples.py.)"""

from __future__ import annotations

import re
import shutil

from docs_pages import DOCS, ROOT, all_text, page
from typer.testing import CliRunner

from generator.cli import app

README = page("README.md")
BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
SLUG = BUNDLED.name
runner = CliRunner()


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_readme_is_short():
    assert len(README.splitlines()) <= 250


def test_readme_opens_with_the_two_commands():
    first, second = blocks(README, "sh")[:2]
    assert first.strip() == "pip install -e . && quizgen build"
    assert second.strip() == "pip install -e '.[test]' && pytest"
    # the first screen says to create a virtual environment first, for each system
    before = README.split("```sh\n", 1)[0]
    assert "- Linux and macOS: `python3 -m venv .venv && . .venv/bin/activate`" in before
    assert "- Windows (Command Prompt): `py -m venv .venv && .venv\\Scripts\\activate`" in before
    # CI runs exactly the README's test command (the linters follow it)
    assert second.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_links_and_pictures_exist():
    targets = re.findall(r"\]\(((?:docs|bench)/[^)#]+)", README)
    assert len(targets) >= 15
    for target in targets:
        assert (ROOT / target).is_file() or target.startswith("docs/contributing/"), target


def test_readme_says_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in ci
    assert "3.10 3.13" in ci and "core" in ci
    for tool in ("ruff check", "mypy generator", "radon cc"):
        assert tool in ci


def test_a_build_writes_the_files_the_readme_lists(tmp_path, monkeypatch):
    shutil.copytree(BUNDLED, tmp_path / "questions" / SLUG)
    monkeypatch.chdir(tmp_path)
    table = README.split("## What you get\n", 1)[1].split("\n## ", 1)[0]
    names = {n.replace("<slug>", SLUG) for row in table.splitlines() if row.startswith("| `")
             for n in re.findall(r"`([^`]+)`", row.split("|")[1])}
    assert len(names) == 6
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.output
    assert names <= {p.name for p in (tmp_path / "decks").iterdir()}
    # the tour's draw: two versions, each with its key and an answer sheet
    result = runner.invoke(app, ["build", "--questions", "10", "--versions", "2", "--seed", "7", "--answer-sheet"])
    assert result.exit_code == 0, result.output
    for version in "AB":
        for output in ("quiz", "key", "sheet"):
            assert (tmp_path / "decks" / f"{SLUG}-{output}-{version}.html").is_file()
    assert "two versions of ten questions, each with its key and an answer" in README


def test_the_kinds_reference_shows_every_kind(tmp_path, monkeypatch):
    items = [block.split("questions:\n", 1)[-1] for block in blocks(page("reference/questions.md"), "yaml")]
    folder = tmp_path / "readme"
    folder.mkdir()
    shutil.copy(BUNDLED / "article.md", folder / "article.md")
    (folder / "examples.yaml").write_text("questions:\n" + "".join(items), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from generator.sources.load import load_library

    (found,) = load_library(tmp_path).sets
    kinds = {q.kind for q in found.questions}
    assert kinds == {"qa", "cloze", "mcq", "truefalse", "order", "attribution"}
    assert any(q.origin.template for q in found.questions)


def test_sample_summary_is_the_bundled_summary(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "```text\n" + result.stdout + "```" in page("reference/check.md")


def test_sample_errors_are_real(tmp_path, monkeypatch):
    folder = tmp_path / "questions" / "my-article"
    folder.mkdir(parents=True)
    shutil.copy(BUNDLED / "article.md", folder / "article.md")
    (folder / "questions.yaml").write_text(
        """questions:
  - id: georgia-warning-year
    kind: qa
    tests: event
    question: In which year did Putin warn Israel in advance of Russia's plans to attack Georgia?
    answer: "2008"
    passage: Israel received from Putin in 2009 advance warning
  - id: drones-sold
    kind: mcq
    tests: event
    question: What has Israel sold to the Russians in recent years?
    answer: Surveillance drones
    distractors: [Anti-tank missiles, surveillance drones]
    pasage: Israel has also in recent years sold surveillance drones to the Russians
""",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "```text\n" + result.stderr + "```" in page("reference/check.md")
    # the sample in "When something is wrong": the same file with only the typo left
    path = folder / "questions.yaml"
    text = path.read_text(encoding="utf-8").replace("2009 advance", "2008 advance")
    path.write_text(text.replace("[Anti-tank missiles, surveillance drones]", "[Anti-tank missiles, Cruise missiles]"),
                    encoding="utf-8")
    result = runner.invoke(app, ["build", "--out", "out"])
    assert result.exit_code == 1
    assert "```text\n" + result.stderr + "```" in page("reference/errors.md")


def test_no_page_is_left_out_of_the_site():
    """Every page under docs/ is in mkdocs.yml's nav (mkdocs --strict says so too, but only with mkdocs)."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for path in DOCS.rglob("*.md"):
        name = path.relative_to(DOCS).as_posix()
        assert name.startswith("_incoming/") or f": {name}" in nav, name
    assert "quizgen" in all_text()
