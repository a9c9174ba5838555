"""The bad-input corpus: every case reports exactly its expected lines (see cases_lib.py)."""

from __future__ import annotations

import re
import signal

import pytest
from cases_lib import CASES, lay_out, report
from typer.testing import CliRunner

from generator.cli import app

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())
FORM = re.compile(r"^[^:]+:\d+:\d+: (error|warning): \S")


@pytest.fixture(autouse=True)
def no_hang():
    """A case that takes more than 20 seconds has hung: fail it rather than wait."""
    def stop(signum, frame):
        raise TimeoutError("the case took more than 20 seconds")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_the_corpus_is_large_enough():
    assert len(CASE_DIRS) >= 150


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_reports_expected_lines(case, tmp_path):
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{case.name} has no expected lines"
    assert all(FORM.match(line) for line in expected), expected
    assert report(case, tmp_path) == expected


def _warns_only(case) -> bool:
    return ": error: " not in (case / "expected.txt").read_text(encoding="utf-8")


ERROR_CASES = [p for p in CASE_DIRS if not _warns_only(p)]
WARNING_CASES = [p for p in CASE_DIRS if _warns_only(p)]


@pytest.mark.parametrize("case", WARNING_CASES, ids=[p.name for p in WARNING_CASES])
def test_a_case_with_warnings_only_fails_check_only_when_strict(case, tmp_path, monkeypatch):
    content = lay_out(case, tmp_path / "content")
    monkeypatch.chdir(content)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(app, ["check", "."])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == expected
    strict = CliRunner().invoke(app, ["check", "--strict", "."])
    assert strict.exit_code == 1 and strict.stderr.splitlines()[:-1] == expected


def test_every_article_text_lint_has_a_warning_case():
    names = {p.name for p in WARNING_CASES}
    assert {"article-text-mojibake", "article-text-html-tag", "article-text-html-entity", "article-text-chrome-share",
            "article-text-chrome-comments", "article-text-chrome-media-caption", "article-text-chrome-edit",
            "article-text-reference-mark", "article-text-chrome-read-more", "article-text-chrome-copyright",
            "article-text-one-paragraph", "article-text-short", "article-text-title-repeated", "article-text-invisible"} <= names


@pytest.mark.parametrize("case", ERROR_CASES, ids=[p.name for p in ERROR_CASES])
def test_case_exits_1_without_traceback(case, tmp_path, monkeypatch):
    content = lay_out(case, tmp_path / "content")
    monkeypatch.chdir(content)
    result = CliRunner().invoke(app, ["build", ".", "--out", str(tmp_path / "out")])
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    count = len(expected)
    assert result.stderr.splitlines() == [*expected, f"{count} problem{'s' if count != 1 else ''} found."]
    assert not (tmp_path / "out").exists()  # nothing is written when the content has problems
