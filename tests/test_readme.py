"""The README stays true: its commands, examples and sample outputs are what quizgen does."""

from __future__ import annotations

import re
import shutil

from conftest import ROOT
from typer.testing import CliRunner

from generator.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
runner = CliRunner()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_the_two_commands():
    first, second = blocks("sh")[:2]
    assert first.strip() == "pip install -e . && quizgen build"
    assert second.strip() == "pip install -e '.[test]' && pytest"
    # the first screen says to create a virtual environment first, for each system
    before = README.split("```sh\n", 1)[0]
    assert "- Linux and macOS: `python3 -m venv .venv && . .venv/bin/activate`" in before
    assert "- Windows (Command Prompt): `py -m venv .venv && .venv\\Scripts\\activate`" in before
    # CI runs exactly the README's test command (the linters follow it)
    assert second.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_question_examples_are_valid_against_the_bundled_article(tmp_path, monkeypatch):
    items = []
    for block in blocks("yaml"):
        body = block.split("questions:\n", 1)[-1]
        items.append(body)
    folder = tmp_path / "readme"
    folder.mkdir()
    shutil.copy(BUNDLED / "article.md", folder / "article.md")
    (folder / "examples.yaml").write_text("questions:\n" + "".join(items), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from generator.load import load_library

    (found,) = load_library(tmp_path).sets
    kinds = {q.kind for q in found.questions}
    assert kinds == {"qa", "cloze", "mcq", "truefalse", "order", "attribution"}
    assert any(q.origin.template for q in found.questions)


def test_sample_summary_is_the_bundled_summary(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "```text\n" + result.stdout + "```" in README


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
    assert "```text\n" + result.stderr + "```" in README
    # the sample in "When something is wrong": the same file with only the typo left
    path = folder / "questions.yaml"
    text = path.read_text(encoding="utf-8").replace("2009 advance", "2008 advance")
    path.write_text(text.replace("[Anti-tank missiles, surveillance drones]", "[Anti-tank missiles, Cruise missiles]"),
                    encoding="utf-8")
    result = runner.invoke(app, ["build", "--out", "out"])
    assert result.exit_code == 1
    assert "```text\n" + result.stderr + "```" in README
