"""The command line, through Typer's CliRunner: exit codes, where output goes, help texts."""

from __future__ import annotations

import subprocess
import sys
import tempfile

import pytest
from typer.testing import CliRunner

from generator import __version__
from generator.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"quizgen {__version__}\n")


def test_python_dash_m_works():
    done = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"quizgen {__version__}\n")


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["build", "--help"], ["schema", "--help"]])
def test_help_explains_the_options(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Usage: quizgen" in result.stdout


def test_check_help_names_the_content_folder():
    result = runner.invoke(app, ["check", "--help"])
    words = " ".join(result.stdout.split())  # as the help is wrapped to the terminal's width
    assert "CONTENT_DIR" in words and "[default: questions]" in words


def test_check_prints_summary_and_exits_0(content):
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "mini: 9 questions",
        "  kinds: qa 3 · cloze 1 · mcq 1 · truefalse 1 · order 1 · attribution 2",
        "  tests: event 6 · claim 3",
        "  coverage: all 3 body paragraphs cited",
        "  per paragraph: ¶1 2 · ¶2 5 · ¶3 3 (caption 1 0)",
        "1 article, 9 questions: no problems",
    ]
    assert result.stderr == ""


def test_check_takes_one_article_folder_or_several(content):
    import shutil

    shutil.copytree(content / "mini", content / "other")
    (content / "other" / "q.yaml").write_text("questions:\n  - id: a\n    kind: qa\n", encoding="utf-8")
    one = runner.invoke(app, ["check", "mini"])
    assert one.exit_code == 0, one.output
    assert one.stdout.splitlines()[0] == "mini: 9 questions"
    assert one.stdout.splitlines()[-1] == "1 article, 9 questions: no problems"
    both = runner.invoke(app, ["check", "mini", "other"])
    assert both.exit_code == 1
    assert both.stderr.splitlines()[0].startswith("other/q.yaml:2:5: error: ")
    again = runner.invoke(app, ["check", ".", "mini", "nowhere"])  # mini once; every bad path reported
    assert again.exit_code == 1
    assert "nowhere:1:1: error: content folder not found" in again.stderr
    assert "other/q.yaml:2:5: error: " not in again.stderr  # the paths are all checked before any article


def test_check_leaves_skipped_paragraphs_out_of_coverage_with_their_reason(content):
    article = content / "mini" / "article.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("language: en\n", "language: en\ncoverage_skip: [2]  # only opinions\n"), encoding="utf-8")
    (content / "mini" / "q.yaml").write_text(
        "questions:\n  - id: a\n    kind: qa\n    tests: event\n    question: Who?\n    answer: The mayor\n"
        "    passage: The mayor opened the new bridge\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3:6] == [
        "  coverage: 1 of 2 body paragraphs cited; not cited: ¶3",
        "  not counted: ¶2 (only opinions)",
        "  per paragraph: ¶1 1 · ¶2 0 · ¶3 0 (caption 1 0)",
    ]


def test_check_reports_every_problem_on_stderr_and_exits_1(content):
    (content / "mini" / "q.yaml").write_text(
        "questions:\n"
        "  - id: a\n    kind: qa\n    tests: event\n    question: Where?\n    answer: Here\n"
        "    pasage: The mayor opened\n"
        "  - id: b\n    kind: mcq\n    tests: claim\n    question: Who?\n    answer: Critics\n"
        "    distractors: [Critics]\n    passage: Critics say the bridge cost twice its budget\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "mini/q.yaml:7:5: error: unknown key 'pasage' (did you mean 'passage'?)",
        "mini/q.yaml:13:19: error: distractor 1 \"Critics\" is the same as the 'answer'; every choice must differ",
        "2 problems found.",
    ]


def test_default_content_folder_is_questions(content):
    (content / "mini").rename(content / "questions")
    (content / "questions").mkdir(exist_ok=True)
    import shutil

    shutil.move(str(content / "questions"), str(content / "tmp"))
    (content / "questions").mkdir()
    shutil.move(str(content / "tmp"), str(content / "questions" / "mini"))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("mini: 9 questions")


def test_missing_folder_is_a_user_error(content):
    result = runner.invoke(app, ["check", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "nowhere:1:1: error: content folder not found (give the folder that holds one folder per article)")


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_file_named_for_a_folder_is_a_usage_error_naming_its_folder(content, command):
    """`quizgen check questions/mini/q.yaml`: the article's folder is meant (it said 'content folder not
    found', exit 1, as if nothing were there)."""
    named = content / "mini" / "q.yaml"
    assert named.is_file()
    result = runner.invoke(app, [command, str(named)])
    assert result.exit_code == 2
    assert result.stderr == ("quizgen: error: mini/q.yaml is a file: name its article's folder (mini) or the "
                             "content folder that holds it\n")  # paths as the working folder (the content) sees them


def test_internal_error_exits_70_with_short_message(content, monkeypatch):
    import generator.checks.summary

    def boom(folder, **options):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(generator.checks.summary, "check_folder", boom)
    monkeypatch.setattr(tempfile, "tempdir", str(content))
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 70
    assert "Traceback" not in result.stderr
    saved = next(content.glob("quizgen-crash-*.txt"))
    assert result.stderr.strip() == (
        "quizgen: internal error (RuntimeError: kaboom). This is a bug in quizgen; "
        f"please report it: the traceback is in {saved}."
    )
    assert "Traceback" in saved.read_text(encoding="utf-8") and "kaboom" in saved.read_text(encoding="utf-8")
    debug = runner.invoke(app, ["--debug", "check", "."])
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr and "kaboom" in debug.stderr


def test_build_writes_the_deck(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = runner.invoke(app, ["build", ".", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "wrote out/mini.apkg" in result.stdout.splitlines()
    assert {"mini.apkg", "mini-quiz.html", "mini-key.html"} <= {p.name for p in (content / "out").iterdir()}


def test_build_deck_parent_option(content, monkeypatch, tmp_path):
    pytest.importorskip("anki")
    from anki.collection import Collection
    from anki_helpers import import_apkg

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = runner.invoke(app, ["build", ".", "--out", "out", "--deck-parent", "Course::Week 3"])
    assert result.exit_code == 0, result.output
    col = Collection(str(tmp_path / "c.anki2"))
    import_apkg(col, content / "out" / "mini.apkg")
    assert "Course::Week 3::A Small Article" in {d.name for d in col.decks.all_names_and_ids()}
    col.close()


def test_bad_source_date_epoch_is_a_user_error(content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(app, ["build", ".", "--out", "out"])
    assert result.exit_code == 2
    assert result.stderr == "quizgen: error: SOURCE_DATE_EPOCH must be a whole number of seconds, not 'yesterday'\n"
    assert not (content / "out").exists()


def test_build_with_bad_content_exits_1(content):
    (content / "mini" / "q.yaml").write_text("questions: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["build", ".", "--out", "out"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "mini/q.yaml:1:12: error: 'questions' must be a list, not the text '3'"


def test_schema_prints_json_schema():
    import json

    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "quizgen question file"
    assert schema["additionalProperties"] is False


def test_schema_out_writes_file(tmp_path):
    target = tmp_path / "s.json"
    result = runner.invoke(app, ["schema", "--out", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == runner.invoke(app, ["schema"]).stdout


def test_the_kind_choices_are_the_model_kinds():
    from generator.kinds import BUILT_IN as KINDS
    from generator.outputs.quiz_options import CLI_OPTIONS

    assert next(o.choices for o in CLI_OPTIONS if o.flag == "--kind") == KINDS


def test_an_unknown_kind_is_a_usage_error_naming_the_kinds(content):
    result = runner.invoke(app, ["build", ".", "--kind", "essay"])
    assert result.exit_code == 2
    assert "'essay' is not one of 'qa', 'cloze', 'mcq', 'truefalse', 'order', 'attribution'" in result.stderr
