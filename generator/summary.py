"""What `check` reports about content that loaded: counts and coverage, as lines of text."""

from __future__ import annotations

from pathlib import Path

from generator.errors import ContentError, Problem
from generator.load import article_folders, load_article_set
from generator.model import KINDS, ArticleSet
from generator.parallel import auto_jobs, ordered_map


def article_lines(found: ArticleSet) -> list[str]:
    """The summary of one article: its questions by kind and by what they test, and coverage."""
    kinds, tests = found.kinds(), found.tests()
    total = len(found.questions)
    lines = [
        f"{found.article.slug}: {total} question{'s' if total != 1 else ''}",
        "  kinds: " + " · ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]) if total else "  kinds: none yet",
        f"  tests: event {tests['event']} · claim {tests['claim']}",
    ]
    paragraphs = found.article.paragraphs
    uncovered = found.uncovered()
    if not uncovered:
        lines.append(f"  coverage: all {len(paragraphs)} body paragraphs cited")
    else:
        cited = len(paragraphs) - len(uncovered)
        labels = ", ".join(b.label for b in uncovered)
        lines.append(f"  coverage: {cited} of {len(paragraphs)} body paragraphs cited; not cited: {labels}")
    return lines


def check_folder(folder: Path) -> tuple[list[Problem], list[str], int]:
    """Check one article folder: its problems, or its summary lines and number of questions.

    Only text crosses back from a worker process, not the loaded article.
    """
    try:
        found = load_article_set(folder)
    except ContentError as e:
        return e.problems, [], 0
    return [], article_lines(found), len(found.questions)


def check_library(root: Path, jobs: int | None = None) -> list[str]:
    """Every article checked (in `jobs` processes; None: as many as pay); the summary lines.

    Raises ContentError with every problem of every article.
    """
    folders = article_folders(root)
    problems: list[Problem] = []
    lines: list[str] = []
    questions = 0
    for found_problems, found_lines, count in ordered_map(check_folder, folders, jobs or auto_jobs(len(folders))):
        problems += found_problems
        lines += found_lines
        questions += count
    if problems:
        raise ContentError(problems)
    articles = len(folders)
    lines.append(f"{articles} article{'s' if articles != 1 else ''}, {questions} question{'s' if questions != 1 else ''}: no problems")
    return lines
