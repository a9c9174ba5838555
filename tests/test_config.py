"""The project configuration file (generator/sources/config.py and its use in cli.py): quizgen.toml or
[tool.quizgen] in pyproject.toml; the command line wins over it, it wins over the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.sources.config import locate, scan_positions

runner = CliRunner()

SLUG = "mini"


def quiz_pages(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob(f"{SLUG}-quiz*.html"))


def test_the_file_sets_the_options(content):
    (content / "quizgen.toml").write_text(
        '# the options of every build\ncontent = "."\nout = "site"\npaper = "letter"\nversions = 2\n'
        'title = "Weekly quiz"\ntime-allowed = "20 minutes"\nclass-field = false\npoints = { qa = 3 }\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["build", "-q"])
    assert result.exit_code == 0, result.output
    assert quiz_pages(content / "site") == [f"{SLUG}-quiz-A.html", f"{SLUG}-quiz-B.html"]
    page = (content / "site" / f"{SLUG}-quiz-A.html").read_text(encoding="utf-8")
    assert "size: letter" in page and "Weekly quiz" in page and "20 minutes" in page
    assert "Class" not in page
    assert "3 points" in page
    assert not (content / "decks").exists()


def test_the_command_line_wins_over_the_file(content):
    (content / "quizgen.toml").write_text('content = "."\nout = "site"\npaper = "letter"\nversions = 2\nclass-field = false\n')
    result = runner.invoke(app, ["build", "-q", "--out", "other", "--paper", "a4", "--versions", "1", "--class-field"])
    assert result.exit_code == 0, result.output
    assert not (content / "site").exists()
    assert quiz_pages(content / "other") == [f"{SLUG}-quiz.html"]
    page = (content / "other" / f"{SLUG}-quiz.html").read_text(encoding="utf-8")
    assert "size: A4" in page or "size: a4" in page
    assert "Class" in page


def test_no_file_is_todays_behaviour(content):
    (content / "pyproject.toml").write_text('[project]\nname = "course"\n\n[tool.other]\nout = "site"\n')
    assert runner.invoke(app, ["check", "."]).exit_code == 0
    result = runner.invoke(app, ["build", "-q", "."])
    assert result.exit_code == 0, result.output
    assert quiz_pages(content / "decks") == [f"{SLUG}-quiz.html"]
    page = (content / "decks" / f"{SLUG}-quiz.html").read_text(encoding="utf-8")
    assert "size: letter" not in page and "Class" in page


BAD = (
    'out = "site"\n'
    'paper = "a5"\n'
    'deck_parent = "News"\n'
    "versions = 40\n"
    'class-field = "no"\n'
    'points = { qa = 3, essay = 2, mcq = 0 }\n'
    "seed = 7\n"
    "[quiz]\n"
    'title = "x"\n'
)
BAD_REPORT = [
    "quizgen.toml:2:9: error: paper must be one of a4, letter, not 'a5'",
    "quizgen.toml:3:1: error: unknown key 'deck_parent'; did you mean 'deck-parent'?",
    "quizgen.toml:4:12: error: versions must be from 1 to 26, not 40",
    "quizgen.toml:5:15: error: class-field must be true or false, not a string",
    "quizgen.toml:6:20: error: unknown kind 'essay' in points; the kinds are qa, cloze, mcq, truefalse, order, attribution",
    "quizgen.toml:6:37: error: points.mcq must be from 1 to 100, not 0",
    "quizgen.toml:7:8: error: seed must be a string, not a number",
    "quizgen.toml:8:2: error: unknown key 'quiz'; the keys are answer-sheet, append-key, class-field, content, "
    "deck-parent, export, host, instructions, moodle-categories, moodle-order, out, paper, pdf, points, port, qti-version, questions, seed, student-digits, time-allowed, "
    "title, ui-language, versions",
    "8 problems found.",
]


def test_check_reports_every_problem_of_the_file_at_its_place(content):
    (content / "quizgen.toml").write_text(BAD)
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == BAD_REPORT
    assert result.stdout == ""


def test_check_reports_the_files_problems_with_the_contents(content):
    (content / "quizgen.toml").write_text('paper = "a5"\n')
    questions = content / SLUG / "q.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("kind: qa", "kind: essay", 1), encoding="utf-8")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "quizgen.toml:1:9: error: paper must be one of a4, letter, not 'a5'" in lines
    assert any(line.startswith(f"{SLUG}/q.yaml:") and "essay" in line for line in lines)
    assert lines[-1] == "2 problems found."


def test_build_and_serve_refuse_a_bad_file_and_write_nothing(content):
    (content / "quizgen.toml").write_text(BAD)
    for args in (["build", "."], ["serve", "--port", "0"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.stderr.splitlines() == BAD_REPORT
    assert not (content / "site").exists() and not (content / "decks").exists()


def test_toml_syntax_error_at_its_place(content):
    (content / "quizgen.toml").write_text('out = "site"\npaper = letter\n')
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["quizgen.toml:2:9: error: not valid TOML: Invalid value", "1 problem found."]


def test_help_and_version_do_not_stop_at_a_bad_file(content):
    (content / "quizgen.toml").write_text(BAD)
    assert runner.invoke(app, ["--version"]).exit_code == 0
    assert runner.invoke(app, ["build", "--help"]).exit_code == 0


def test_tool_quizgen_in_pyproject(content):
    (content / "pyproject.toml").write_text(
        '[project]\nname = "course"\n\n[tool.quizgen]\ncontent = "."\nout = "site"\nversions = 2\n'
        "paper = 4\n\n[tool.quizgen.points]\nqa = 3\nessay = 1\n"
    )
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "pyproject.toml:8:9: error: paper must be a string, not a number",
        "pyproject.toml:12:1: error: unknown kind 'essay' in points; the kinds are qa, cloze, mcq, truefalse, order, attribution",
        "2 problems found.",
    ]
    text = (content / "pyproject.toml").read_text().replace("paper = 4\n", "").replace("essay = 1\n", "")
    (content / "pyproject.toml").write_text(text)
    result = runner.invoke(app, ["build", "-q"])
    assert result.exit_code == 0, result.output
    assert quiz_pages(content / "site") == [f"{SLUG}-quiz-A.html", f"{SLUG}-quiz-B.html"]
    assert "3 points" in (content / "site" / f"{SLUG}-quiz-A.html").read_text(encoding="utf-8")


def test_quizgen_toml_wins_over_pyproject(content):
    (content / "pyproject.toml").write_text('[tool.quizgen]\nout = "from-pyproject"\nversions = 99\n')
    (content / "quizgen.toml").write_text('content = "."\nout = "from-quizgen-toml"\n')
    result = runner.invoke(app, ["build", "-q"])
    assert result.exit_code == 0, result.output
    assert (content / "from-quizgen-toml").is_dir() and not (content / "from-pyproject").exists()
    assert result.stderr.splitlines()[0] == IGNORED.format(line=1)


IGNORED = (
    "pyproject.toml:{line}:1: warning: [tool.quizgen] is ignored: quizgen.toml is there too, and quizgen reads only "
    "that one; move these settings into quizgen.toml and delete this table"
)


def test_check_warns_of_the_ignored_table_at_its_line_and_strict_fails(content):
    (content / "pyproject.toml").write_text('[project]\nname = "course"\n\n[tool.quizgen.points]\nqa = 3\n')
    (content / "quizgen.toml").write_text('content = "."\n')
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [IGNORED.format(line=4)]
    result = runner.invoke(app, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [IGNORED.format(line=4), "quizgen: error: 1 warning, and --strict makes warnings fail"]


def test_no_warning_without_a_quizgen_table_in_pyproject(content):
    (content / "pyproject.toml").write_text('[project]\nname = "course"\n\n[tool.other]\nout = "site"\n')
    (content / "quizgen.toml").write_text('content = "."\n')
    for args in (["check"], ["build", "-q"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "warning" not in result.stderr


def test_the_warning_comes_with_the_files_problems(content):
    (content / "pyproject.toml").write_text('[tool.quizgen]\nout = "x"\n')
    (content / "quizgen.toml").write_text('content = "."\npaper = 4\n')
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        IGNORED.format(line=1), "quizgen.toml:2:9: error: paper must be a string, not a number", "1 problem and 1 warning found.",
    ]


def test_serve_takes_its_options_from_the_file(content):
    (content / "quizgen.toml").write_text('out = "site"\nport = 8123\n')
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "8123" in result.stdout and "site" in result.stdout


@pytest.mark.parametrize(
    ("text", "keys", "value", "where"),
    [
        ('a = 1\nb = """x\nc = 2\n"""\nc = 3\n', ("c",), False, (5, 1)),
        ("[tool.quizgen]\n  out   =   'x'\n", ("tool", "quizgen", "out"), True, (2, 13)),
        ("points.qa = 3\n", ("points", "qa"), False, (1, 1)),
        ("points = {qa=3, mcq = 2}\n", ("points", "mcq"), True, (1, 23)),
        ("[points]\nmcq = 2\n", ("points", "essay"), False, (1, 2)),
        ("x = 1\n", ("nowhere",), False, (1, 1)),
    ],
)
def test_positions_of_keys_and_values(text, keys, value, where):
    assert locate(scan_positions(text), keys, value) == where


def test_serve_watch_builds_as_build_does(content):
    """serve --watch builds with the file's quiz options; with no file, exactly as before (QuizOptions())."""
    from generator.commands import run
    from generator.commands.build import build_defaults
    from generator.commands.build_options import plugin_options
    from generator.commands.output import Session
    from generator.outputs import builder_refs
    from generator.outputs.quiz_options import QuizOptions

    def quiz_options(options):
        return next(o for o in plugin_options(builder_refs(), options) if isinstance(o, QuizOptions))

    state = Session()
    assert run(["check", "."], state) == 0
    assert quiz_options(build_defaults(state)) == QuizOptions()
    (content / "quizgen.toml").write_text('paper = "letter"\nversions = 3\npoints = { qa = 3 }\ndeck-parent = "News"\n')
    state = Session()
    assert run(["check", "."], state) == 0
    options = build_defaults(state)
    assert options["deck_parent"] == "News"
    assert quiz_options(options) == QuizOptions(paper="letter", versions=3, points=(("qa", 3),))


def readme_blocks(language: str) -> list[str]:
    import re

    from docs_pages import page

    section = page("reference/config.md")
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def test_readme_example_file_is_valid_and_used(content):
    example = readme_blocks("toml")[0].replace('content = "questions"', 'content = "."')
    (content / "quizgen.toml").write_text(example, encoding="utf-8")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "History 9B" in runner.invoke(app, ["build", "--help"]).stdout


def test_readme_sample_errors_are_real(content):
    sample = readme_blocks("text")[0].splitlines()
    (content / "quizgen.toml").write_text('out = "site"\npaper = "a5"\ndeck_parent = "News"\nversions = 40\n')
    result = runner.invoke(app, ["check", "."])
    assert result.stderr.splitlines() == sample


def test_a_decimal_is_not_a_whole_number(content):
    (content / "quizgen.toml").write_text('content = "."\n\nquestions = 2.5\nhost = ""\n')
    result = runner.invoke(app, ["check"])
    assert result.stderr.splitlines() == [
        "quizgen.toml:3:13: error: questions must be a whole number, not a decimal number",
        "quizgen.toml:4:8: error: host is empty; leave the key out for the default",
        "2 problems found.",
    ]


def test_check_reads_its_content_folder_from_the_file(content):
    # check takes several folders on the command line; the file gives one
    (content / "src").mkdir()
    (content / "mini").rename(content / "src" / "mini")
    (content / "quizgen.toml").write_text('content = "src"\n')
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{SLUG}: ")
    assert "1 article" in result.output.splitlines()[-1]
    assert runner.invoke(app, ["check", "src/mini"]).exit_code == 0  # the command line still wins


def test_the_readme_example_builds_with_questions_20_and_warns(content):
    """`questions = 20` (the README example) with a 9-question article: the full quiz and a warning."""
    example = readme_blocks("toml")[0].replace('content = "questions"', 'content = "."').replace('out = "decks"', 'out = "site"')
    (content / "quizgen.toml").write_text(example, encoding="utf-8")
    result = runner.invoke(app, ["build", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("quizgen: warning: questions in quizgen.toml:11: the article 'mini' has only 9 "
                                    "questions available for a quiz of 20")
    assert "its quiz holds all 9" in result.stderr
    page = (content / "site" / f"{SLUG}-quiz-A.html").read_text(encoding="utf-8")
    assert page.count('class="question') >= 9 or page.count("<li") >= 9


def test_build_verbose_shows_every_setting_and_where_it_came_from(content):
    (content / "quizgen.toml").write_text('content = "."\nout = "site"\n\npaper = "letter"\nport = 8123\n')
    result = runner.invoke(app, ["build", "-q", "--verbose", "--seed", "term-2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "settings:"
    assert "  out = 'site' (quizgen.toml:2)" in lines
    assert "  paper = 'letter' (quizgen.toml:4)" in lines
    assert "  seed = 'term-2' (command line)" in lines
    assert "  versions = 1 (default)" in lines
    assert "  port = 8123 (quizgen.toml:5; not an option of build)" in lines
    assert any(line.startswith("  content = ['.'] (quizgen.toml:1)") for line in lines), lines


def test_an_unknown_ui_language_is_an_error_naming_the_known_ones(content):
    result = runner.invoke(app, ["build", ".", "--out", "site", "--ui-language", "xx"])
    assert result.exit_code == 2, result.output
    assert result.stderr == ("quizgen: error: --ui-language 'xx': quizgen has no catalogue for it; the known ones are "
                             "ar, de, en, es, fr, he, ru\n")
    assert not (content / "site").exists()
    (content / "quizgen.toml").write_text('ui-language = "pt"\n')
    result = runner.invoke(app, ["build", ".", "--out", "site"])
    assert "quizgen: error: ui-language in quizgen.toml:1 'pt': quizgen has no catalogue for it" in result.stderr
    (content / "quizgen.toml").unlink()
    assert runner.invoke(app, ["build", "-q", ".", "--out", "site", "--ui-language", "he-IL"]).exit_code == 0


def test_a_deck_parent_that_no_longer_applies_says_so(content):
    site = str(content.parent / f"{content.name}-site")  # outside the content folder, which is built twice
    assert runner.invoke(app, ["build", "-q", ".", "--out", site]).exit_code == 0
    result = runner.invoke(app, ["build", "-q", ".", "--out", site, "--deck-parent", "History 9B"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "quizgen: warning: the deck of 'mini' stays 'Articles::A Small Article' (not 'History 9B::A Small Article' as "
        "--deck-parent 'History 9B' would name it): a deck keeps the name of its first build so that learners' cards "
        "stay together; to move it, rename it in Anki and delete the 'deck' line of mini/anki.lock\n")


def test_serve_watch_finds_a_busy_port_before_building(content):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--watch", "--content", ".", "--out", "site", "--host", "127.0.0.1",
                                     "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"quizgen: error: cannot listen on 127.0.0.1:{port}: ")
    assert not (content / "site").exists()  # no build was made first


def test_a_whole_number_option_without_a_range_is_a_whole_number_key():
    """What Click calls a whole number differs between Click ("integer") and Typer's copy of it ("int"):
    both are "int" keys, with or without a range."""
    import typer

    from generator.commands.config import config_spec

    made = typer.Typer()

    @made.command()
    def command(plain: int = 3, ranged: int = typer.Option(2, min=1, max=9)) -> None:
        """A command."""

    params = {p.name: p for p in typer.main.get_command(made).params}
    assert (config_spec(params["plain"]).kind, config_spec(params["ranged"]).kind) == ("int", "int")
    assert (config_spec(params["ranged"]).low, config_spec(params["ranged"]).high) == (1, 9)
