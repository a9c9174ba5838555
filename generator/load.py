"""Loading a content folder: every article and question file, validated, or every problem found."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import ContentError, Problem, display_path
from generator.lockfile import LOCK_FILE, Lock, parse_lock
from generator.model import ArticleSet, Library
from generator.read_article import ARTICLE_FILE, read_article
from generator.read_questions import QUESTION_SUFFIXES, Entry, read_question_file
from generator.schema import SLUG_PATTERN
from generator.validate import check_article

_SLUG = re.compile(SLUG_PATTERN)


def article_folders(root: Path) -> list[Path]:
    """The article folders under `root`; raises ContentError when there is no such folder or none."""
    shown_root = display_path(root)
    if not root.is_dir():
        raise ContentError([Problem(shown_root, 1, 1, "content folder not found (give the folder that holds one folder per article)")])
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        raise ContentError([Problem(shown_root, 1, 1, f"no article folders here; each article goes in {shown_root}/<slug>/{ARTICLE_FILE}")])
    return folders


def question_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in QUESTION_SUFFIXES and p.is_file())


def article_inputs(folder: Path) -> list[Path]:
    """Every file an article's outputs are made from."""
    article = folder / ARTICLE_FILE
    return ([article] if article.is_file() else []) + question_files(folder)


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
    shown = display_path(folder)
    if not _SLUG.match(folder.name):
        raise ContentError([Problem(shown, 1, 1, f"folder name '{folder.name}' is not a valid slug: use lowercase letters, digits and single hyphens")])
    article_path = folder / ARTICLE_FILE
    if not article_path.is_file():
        raise ContentError([Problem(shown, 1, 1, f"no {ARTICLE_FILE} in this article folder")])
    problems: list[Problem] = []
    entries: list[Entry] = []
    deck_parent: tuple[str, int, str] | None = None  # file, line, value
    files = question_files(folder)
    for path in files:
        found = read_question_file(path, display_path(path))
        entries += found.entries
        problems += found.problems
        if found.deck_parent is None:
            continue
        if deck_parent is None:
            deck_parent = (found.path, found.deck_parent_at[0], found.deck_parent)
        elif found.deck_parent != deck_parent[2]:
            first_path, first_line, first_value = deck_parent
            problems.append(Problem(found.path, *found.deck_parent_at, f"'deck_parent' differs from the one set at {first_path}:{first_line} ('{first_value}'); set it once per article"))
    lock, more = read_lock(folder)
    problems += more
    try:
        article = read_article(article_path, display_path(article_path), folder.name)
    except ContentError as e:
        raise ContentError(problems + e.problems) from None
    questions, more = check_article(article, entries)
    problems += more
    if problems:
        raise ContentError(problems)
    return ArticleSet(
        article=article,
        questions=tuple(questions),
        files=tuple(display_path(p) for p in files),
        inputs=(article_path.resolve(), *(p.resolve() for p in files)),
        deck_parent=deck_parent[2] if deck_parent else None,
        anki_lock=lock,
    )


def read_lock(folder: Path) -> tuple[Lock, list[Problem]]:
    """The article's `anki.lock`, or an empty one when there is none yet."""
    path = folder / LOCK_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Lock(), []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Lock(), [Problem(display_path(path), 1, 1, f"{LOCK_FILE} is not UTF-8 text; restore it from version control")]
    return parse_lock(text, display_path(path))
