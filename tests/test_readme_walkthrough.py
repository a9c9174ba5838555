"""The tutorial, "Writing your first article in ten minutes" (docs/tutorial.md), is true: its commands, run in order on a
saved page (the figures fixture, as harbour.html), print what it shows and make what it says."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request

import pytest
from conftest import ROOT
from docs_pages import page
from typer.testing import CliRunner

from generator.cli import app

pytest.importorskip("trafilatura", reason="quizgen new --from a page needs the new extra (pip install -e '.[test]')")
pytest.importorskip("watchfiles", reason="serve --watch needs the watch extra (pip install -e '.[test]')")

SECTION = page("tutorial.md").split("# Writing your first article in ten minutes\n", 1)[1].split("\n## ", 1)[0]
runner = CliRunner()


def blocks(info: str) -> list[str]:
    return re.findall(rf"```{re.escape(info)}\n(.*?)```", SECTION, flags=re.S)


def run(command: str):
    words = shlex.split(command)
    assert words[0] == "quizgen"
    return runner.invoke(app, words[1:])


def test_the_walk_through(tmp_path, monkeypatch):
    new, serve, check = (b.strip() for b in blocks("sh"))
    new_output, check_output = blocks("text")
    (article_start,) = blocks("markdown")
    (questions,) = blocks("yaml questions/harbour-reopens/questions.yaml")
    shutil.copy(ROOT / "tests" / "pages" / "figures.html", tmp_path / "harbour.html")
    monkeypatch.chdir(tmp_path)

    result = run(new)
    assert result.exit_code == 0, result.output
    assert result.stdout == new_output
    folder = tmp_path / "questions" / "harbour-reopens"
    assert (folder / "article.md").read_text(encoding="utf-8").startswith(article_start)
    assert "questions: []" in (folder / "questions.yaml").read_text(encoding="utf-8")

    # the preview, on a free port rather than 8000, rebuilds when the question file is saved
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    words = shlex.split(serve)
    process = subprocess.Popen([sys.executable, "-m", "generator", *words[1:], "--port", "0"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert process.stdout is not None
        origin = next(m[0] for line in process.stdout if (m := re.search(r"http://127\.0\.0\.1:\d+/", line)))
        (folder / "questions.yaml").write_text(questions, encoding="utf-8")
        state = {"generation": 1}
        for _ in range(20):
            with urllib.request.urlopen(origin + f"__quizgen/watch?since={state['generation']}", timeout=10) as r:
                state = json.loads(r.read())
            if state["generation"] > 1:
                break
        assert state == {"generation": 2, "problems": []}
        with urllib.request.urlopen(origin + "harbour-reopens-study.html", timeout=10) as r:
            assert "What did the storm sink?" in r.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=10)

    result = run(check)
    assert result.exit_code == 0, result.output
    assert result.stdout == check_output
