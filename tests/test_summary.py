"""`check`'s report: the summary lines, and problems given out article by article, never all kept."""

from __future__ import annotations

import dataclasses
import sys

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from generator.checks import summary
from generator.checks.summary import check_folder, check_library
from generator.cli import app
from generator.errors import Problem, sort_key


@pytest.fixture
def library(tmp_path):
    """Three synthetic articles (bench/generate.py), which have many warnings each."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate.main([str(tmp_path / "content"), "--articles", "3", "--questions", "30", "--seed", "1"])
    return tmp_path / "content"


def test_problems_go_out_per_article_in_folder_order_and_are_not_kept(library):
    emitted = []
    report = check_library(library, jobs=1, emit=lambda problems, more: emitted.append(problems))
    assert len(emitted) == 3 and all(batch for batch in emitted)
    assert [batch[0].path.split("/")[-2] for batch in emitted] == ["article-001", "article-002", "article-003"]
    assert all(batch == sorted(batch, key=sort_key) for batch in emitted)
    assert report.errors == 0 and report.warned == sum(len(batch) for batch in emitted)
    # each batch is exactly that article's own problems (once each, sorted), as checking it alone gives
    folders = sorted(p for p in library.iterdir() if p.is_dir())
    assert emitted == [sorted(set(check_folder(f)[0]), key=sort_key) for f in folders]
    assert report.lines[-1].endswith(f"no problems, {report.warned} warnings")
    assert dataclasses.asdict(report).keys() == {"lines", "errors", "warned"}  # counts, never the problems


def test_an_error_in_one_article_is_reported_in_its_place_with_every_warning(library):
    events = library / "article-002" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    start = text.index("passage: ") + len("passage: ")
    events.write_text(text[:start] + '"Nothing like this sentence is in the article."\n' + text[text.index("\n", start) + 1:],
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(library), "--jobs", "1", "--verbose"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    errors = [n for n, line in enumerate(lines) if ": error: " in line]
    assert len(errors) == 1 and "article-002/events.yaml" in lines[errors[0]]
    first_3 = next(n for n, line in enumerate(lines) if "article-003/" in line)
    last_1 = max(n for n, line in enumerate(lines) if "article-001/" in line)
    assert last_1 < errors[0] < first_3  # in article order, each article's problems sorted
    warned = sum(": warning: " in line for line in lines)
    assert lines[-1] == f"1 problem and {warned} warnings found."
    assert result.stdout == ""  # no summary of content with errors


def test_repeated_warnings_are_counted_past_five_of_a_rule_in_an_article_and_verbose_lists_them(library):
    every = CliRunner().invoke(app, ["check", str(library), "--jobs", "1", "--verbose"])
    short = CliRunner().invoke(app, ["check", str(library), "--jobs", "1"])
    assert every.exit_code == short.exit_code == 0
    listed = [line for line in every.stderr.splitlines() if ": warning: " in line]
    shown = [line for line in short.stderr.splitlines() if ": warning: " in line]
    notes = [line for line in short.stderr.splitlines() if ": note: " in line]
    assert set(shown) < set(listed) and notes  # some were summed up, none made up
    hidden = sum(int(line.split(": note: ")[1].split()[0]) for line in notes)
    assert len(shown) + hidden == len(listed)  # every warning is shown or counted
    assert every.stdout == short.stdout  # the summary counts every warning either way
    for note in notes:
        assert note.startswith(str(library)) and "quizgen check --verbose lists every one" in note
    per_rule: dict[tuple[str, str], int] = {}
    for line in shown:
        article = line.split("/")[-2]
        rule = summary.warning_rule(Problem("x", 1, 1, line.split(": warning: ", 1)[1], "warning"))
        per_rule[article, rule] = per_rule.get((article, rule), 0) + 1
    assert max(per_rule.values()) == summary.SHOWN_PER_RULE


def test_without_verbose_only_the_giveaways_that_can_be_shown_are_written_out_and_the_same_lines_print(library, monkeypatch, tmp_path):
    """Issue 31: `check` without --verbose writes out only the giveaway warnings that can be among the
    five shown of an article and counts the others; it prints what summing up every warning printed,
    and a later `check --verbose` (its cache holding those shorter results) still lists every one."""
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    folders = sorted(p for p in library.iterdir() if p.is_dir())
    counted = [summary._check_folder(f, verbose=False) for f in folders]
    assert all(more > 0 for *_, more in counted)  # each of these articles has more than five giveaways
    for folder, (some, _, _, more) in zip(folders, counted):
        every = summary._check_folder(folder)[0]
        assert len(some) + more == len(every) and set(some) < set(every)
        assert list(summary.shown_lines(sorted(set(some)), str(folder), False, more)) == list(
            summary.shown_lines(sorted(set(every)), str(folder), False))
    short = CliRunner().invoke(app, ["check", str(library), "--jobs", "1"])
    every = CliRunner().invoke(app, ["check", str(library), "--jobs", "1", "--verbose"])
    again = CliRunner().invoke(app, ["check", str(library), "--jobs", "1"])  # from the entries --verbose wrote
    listed = [line for line in every.stderr.splitlines() if ": warning: " in line]
    assert every.stdout.splitlines()[-1].endswith(f"no problems, {len(listed)} warnings")
    assert short.stderr == again.stderr and short.stdout == every.stdout == again.stdout
    assert "more 'giveaway' warnings not shown" in short.stderr


def test_the_giveaways_written_out_are_the_first_in_order_wherever_the_cut_falls(library):
    """Cut after any number of warnings, the ones written out hold the first ones as printed, a question
    that gives several others away included (their messages decide their order)."""
    from generator.checks.giveaways import warnings
    from generator.sources.load import load_article_set

    found = load_article_set(sorted(p for p in library.iterdir() if p.is_dir())[0])
    every = sorted(warnings(found)[0])
    places = [(p.path, p.line, p.col) for p in every]
    assert len(set(places)) < len(places)  # some question gives several away
    for shown in range(1, len(every) + 1):
        some, more = warnings(found, shown)
        assert sorted(some)[:shown] == every[:shown] and len(some) + more == len(every)


def test_a_question_file_in_the_content_folder_itself_is_a_warning_of_check(library):
    (library / "loose.yaml").write_text("questions: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(library), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"{library / 'loose.yaml'}:1:1: warning: this question file is in the content folder" in result.stderr
