"""Loading a content folder: every article and question file, validated, or every problem found."""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.checks.validate import check_article
from generator.errors import ContentError, Problem, display_in, display_path, printable
from generator.model import ArticleSet, Library
from generator.pipeline.lockfile import LOCK_FILE, Lock, foreign_lock_problem, parse_lock
from generator.pipeline.manifest import inputs_digest
from generator.sources.inputs import ARTICLE_FILE, article_folders, question_files, read_input
from generator.sources.read_article import ArticleProblems, read_article
from generator.sources.read_questions import Entry, Unbuilt, read_question_file
from generator.sources.schema import SLUG_PATTERN, slug_too_long
from generator.sources.yamlsource import Marks

_SLUG = re.compile(SLUG_PATTERN)


def _name_problems(folder: Path, files: list[Path]) -> list[Problem]:
    """File names that are not UTF-8 (they could not be printed, linked or packaged)."""
    problems = []
    for path in files:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(Problem(printable(display_path(folder)), 1, 1, f"file name '{printable(path.name)}' is not UTF-8; rename the file"))
    return problems


def load_library(root: Path) -> Library:
    """Every article under `root` with its questions; raises ContentError listing every problem."""
    problems: list[Problem] = []
    sets: list[ArticleSet] = []
    for folder in article_folders(root):
        try:
            sets.append(load_article_set(folder))
        except ContentError as e:
            problems += e.problems
    if problems:
        raise ContentError(problems)
    return Library(root=display_path(root), sets=tuple(sets))


def load_article_set(folder: Path) -> ArticleSet:
    """One article folder: its article and question files; raises ContentError."""
    if not _SLUG.fullmatch(folder.name):
        raise _folder_error(folder, f"folder name '{printable(folder.name)}' is not a valid slug: use lowercase letters, digits and single hyphens")
    article_path = folder / ARTICLE_FILE
    if not os.path.lexists(article_path):
        raise _folder_error(folder, f"no {ARTICLE_FILE} in this article folder")
    files = question_files(folder)
    problems: list[Problem] = _name_problems(folder, files)
    if problems:
        raise ContentError(problems)
    too_long = slug_too_long(folder.name)  # reported with the rest: the questions can be checked all the same
    if too_long:
        problems.append(_folder_problem(folder, too_long))
    entries: list[Entry] = []
    unbuilt: list[Unbuilt] = []  # the ids of questions a problem kept from being entries
    aliased: list[Marks] = []  # the files with YAML aliases, whose problems at an alias name its anchor
    deck_parent: tuple[str, int, str] | None = None  # file, line, value
    read: list[tuple[str, bytes]] = []
    real = _real(folder)  # resolved once: to show a folder outside the working one, and for the inputs' paths
    shown = display_path(folder, real)
    shown_files = [display_in(shown, p.name) for p in files]
    for path, shown_file in zip(files, shown_files):
        try:
            data = read_input(path)
        except ContentError as e:
            problems += e.problems
            continue
        read.append((path.name, data))
        found = read_question_file(data, shown_file)
        entries += found.entries
        unbuilt += found.unbuilt
        if found.marks is not None and found.marks.may_alias():
            aliased.append(found.marks)
        problems += found.problems
        if found.deck_parent is None:
            continue
        if deck_parent is None:
            deck_parent = (found.path, found.deck_parent_at[0], found.deck_parent)
        elif found.deck_parent != deck_parent[2]:
            first_path, first_line, first_value = deck_parent
            problems.append(Problem(found.path, *found.deck_parent_at, f"'deck_parent' differs from the one set at {first_path}:{first_line} ('{first_value}'); set it once per article"))
    lock, more = read_lock(folder, shown)
    problems += more
    foreign = foreign_lock_problem(lock, folder.name, folder / LOCK_FILE)
    problems += [foreign] if foreign else []
    try:
        article_data = read_input(article_path)
        article = read_article(article_data, display_in(shown, ARTICLE_FILE), folder.name)
    except ArticleProblems as e:  # its front matter is wrong, its text is there: the passages are checked too
        raise ContentError(_noted(problems + e.problems + check_article(e.article, entries, unbuilt)[1], aliased)) from None
    except ContentError as e:
        raise ContentError(_noted(problems + e.problems, aliased)) from None
    read.append((ARTICLE_FILE, article_data))
    questions, more = check_article(article, entries, unbuilt)
    problems += more
    if problems:
        raise ContentError(_noted(problems, aliased))
    return ArticleSet(
        article=article,
        questions=tuple(questions),
        files=tuple(shown_files),
        inputs=_resolved(folder, [article_path, *files], real),
        deck_parent=deck_parent[2] if deck_parent else None,
        source=inputs_digest(read),
        anki_lock=lock,
    )


def _noted(problems: list[Problem], aliased: list[Marks]) -> list[Problem]:
    """The problems, each placed at a YAML alias saying where the value it stands for is."""
    if not aliased:
        return problems
    by_path = {marks.path: marks for marks in aliased}
    return [p._replace(message=p.message + by_path[p.path].alias_note(p.line, p.col)) if p.path in by_path else p
            for p in problems]


def _real(folder: Path) -> Path | None:
    """`folder.resolve()`; None when it cannot be resolved (then each use tries, and fails, as it would)."""
    try:
        return folder.resolve()
    except (OSError, RuntimeError):
        return None


def _resolved(folder: Path, paths: list[Path], real: Path | None = None) -> tuple[Path, ...]:
    """`Path.resolve()` of each of the folder's files: the folder resolved once (`real`, when the
    caller has it), and a file's own name after it unless the file is a link (what realpath finds,
    for one lstat a file, not one a part)."""
    real = real or folder.resolve()
    return tuple(p.resolve() if p.is_symlink() else real / p.name for p in paths)


def _folder_error(folder: Path, message: str) -> ContentError:
    return ContentError([_folder_problem(folder, message)])


def _folder_problem(folder: Path, message: str) -> Problem:
    """A problem of the article folder itself (its path is shown only then: finding it costs a `realpath`
    when the folder is outside the working folder)."""
    return Problem(printable(display_path(folder)), 1, 1, message)


def read_lock(folder: Path, shown_folder: str | None = None) -> tuple[Lock, list[Problem]]:
    """The article's `anki.lock`, or an empty one when there is none yet.

    A lock that holds no line but comments is an error, not an empty lock: `build` never writes one
    (every lock it writes names its article and deck), so it is a truncated file (a merge tool, a
    `> anki.lock` redirect). Read as empty, it would give every note a new stamp, and every learner's
    next import would replace their notes; a build that stops leaves the file for `git checkout`.
    `shown_folder`: `display_path(folder)`, when the caller has it.
    """
    path = folder / LOCK_FILE
    if not os.path.lexists(path):
        return Lock(), []
    try:
        raw = read_input(path)
    except ContentError as e:
        return Lock(), e.problems
    shown = display_in(shown_folder if shown_folder is not None else display_path(folder), LOCK_FILE)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Lock(), [Problem(shown, 1, 1, f"{LOCK_FILE} is not UTF-8 text; restore it from version control")]
    lock, problems = parse_lock(text, shown)
    if lock.slug is None and lock.deck is None and not lock.notes and not lock.notetypes and not problems:
        what = "empty" if not text.strip() else "only comments"
        problems.append(Problem(shown, 1, 1, f"{LOCK_FILE} is {what}: quizgen never writes such a file, so it was cut "
                                f"short (a merge tool, a redirect); restore it from version control (git checkout -- {LOCK_FILE}), "
                                "or delete it if no learner has this article's deck yet"))
    return lock, problems
