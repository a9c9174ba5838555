"""Which files an article is made of, and reading them safely: what a build needs to know whether
anything changed, without the parsers (YAML, pydantic) that checking an article needs.

A rebuild that has nothing to build reads every input through here and imports nothing more
(issue 31: the parsers and builders were a no-op's largest cost).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.errors import ContentError, Problem, UsageError, display_path, printable

ARTICLE_FILE = "article.md"
QUESTION_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 2_000_000  # far beyond any real article or question file
# what quizgen leaves in an output folder (pipeline/manifest.py's MANIFEST, pipeline/write.py's LOCK
# and STAGING; tests/test_content_layout.py holds them equal): a folder holding one is never an
# article folder, so that `quizgen build .` can write into ./decks and build . again. Named here, not
# imported: the writer's imports (filelock, the builders' registry) are not for a check or a no-op
OUTPUT_MARKERS = (".quizgen-manifest.json", ".quizgen.lock", ".quizgen-staging.tmp")

def read_input(path: Path) -> bytes:
    """The bytes of one input file, read once and never more than the size limit.

    Raises ContentError for what the author can fix (a link to nothing, a FIFO or device, a file
    too large) and OSError for faults of the computer (unreadable, vanished).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        if not path.is_symlink():
            raise
        raise ContentError([Problem(display_path(path), 1, 1, "this is a link to a file that does not exist")]) from None
    except OSError as e:
        if e.errno != errno.ELOOP:
            raise
        raise ContentError([Problem(display_path(path), 1, 1, "this is a link that cannot be followed (a loop of links)")]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ContentError([Problem(display_path(path), 1, 1, "this is not a regular file (a pipe, device or folder); quizgen reads only files")])
        data = b""
        if info.st_size <= MAX_BYTES:
            # its size and a byte more, to see a file that grew since: a read of MAX_BYTES + 1 at once
            # made a 2 MB buffer for every file (0.3 ms each, 70 ms of checking 80 articles)
            data = _read(fd, info.st_size + 1)
            if len(data) > info.st_size:
                data += _read(fd, MAX_BYTES + 1 - len(data))
    finally:
        os.close(fd)
    if info.st_size > MAX_BYTES or len(data) > MAX_BYTES:
        raise ContentError([Problem(display_path(path), 1, 1, f"file is {max(info.st_size, len(data)):,} bytes; the limit is {MAX_BYTES:,}")])
    return data


def _read(fd: int, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the file's end: what a file object's `read(size)` gives,
    without making one (an `os.fdopen` cost as much as the rest of reading a file)."""
    data = os.read(fd, size)
    while 0 < len(data) < size:  # (a file that grew, or a read cut short)
        more = os.read(fd, size - len(data))
        if not more:
            break
        data += more
    return data


def article_folders(root: Path) -> list[Path]:
    """The article folders under `root`; raises ContentError when there is no such folder or none."""
    shown_root = display_path(root)
    if root.is_file():  # a question file or the article itself, named instead of its folder
        parent = display_path(root.parent)
        raise UsageError(f"{shown_root} is a file: name its article's folder ({parent}) or the content folder that holds it")
    if not root.is_dir():
        raise ContentError([Problem(shown_root, 1, 1, "content folder not found (give the folder that holds one folder per article)")])
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not _skipped(p.name) and not is_output_folder(p))
    if not folders:
        raise ContentError([Problem(shown_root, 1, 1, f"no article folders here; each article goes in {shown_root}/<slug>/{ARTICLE_FILE}")])
    return folders

def given_folders(paths: list[Path]) -> list[Path]:
    """The article folders named on the command line: content folders, article folders, or both.

    A folder holding an `article.md` is one article; any other is a content folder of articles.
    Raises ContentError for every path that is neither; a folder named twice counts once.
    """
    folders: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            found = [path] if (path / ARTICLE_FILE).exists() else article_folders(path)
        except ContentError as e:
            problems += e.problems
            continue
        folders += [f for f in found if f.resolve() not in {g.resolve() for g in folders}]
    if problems:
        raise ContentError(problems)
    return folders

def is_output_folder(folder: Path) -> bool:
    """Whether `folder` is (or is becoming) an output folder of quizgen: it has no `article.md` and
    holds quizgen's manifest, lock or staging folder. Such a folder in a content folder is no article.

    Strings, not paths, and `article.md` asked first (one `lstat` for an article folder): three
    `Path` joins and `lstat`s a folder made listing 200 articles 3.5 times slower (12.4 ms of CPU)."""
    base = os.fspath(folder)
    return not os.path.lexists(os.path.join(base, ARTICLE_FILE)) and any(
        os.path.lexists(os.path.join(base, name)) for name in OUTPUT_MARKERS)


def question_files(folder: Path) -> list[Path]:
    """The question files of a folder: links, pipes and the like too, so that reading reports them.

    A hidden file (a name starting with `.`) never is one: editors, macOS and version control
    leave them (`.#questions.yaml` Emacs's lock link, `._questions.yaml` a Mac's AppleDouble file,
    `.questions.yaml.swp`), the same rule as for folders. A backup such as `questions.yaml~` or
    `questions.yaml.orig` does not end in `.yaml`: it is not one either. A name starting with `_` is
    read: an author chose it, and skipping it would drop its questions without a word."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in QUESTION_SUFFIXES and not p.name.startswith(".")
                  and not (p.is_dir() and not p.is_symlink()))

def article_inputs(folder: Path) -> list[Path]:
    """Every file an article's outputs are made from."""
    article = folder / ARTICLE_FILE
    return ([article] if os.path.lexists(article) else []) + question_files(folder)


def _skipped(name: str) -> bool:
    """A folder or file quizgen leaves alone on purpose: hidden, or named with a leading underscore."""
    return name.startswith((".", "_"))


def stray_question_files(folder: Path, *, content: bool = False) -> list[Problem]:
    """A warning for each question file that is never read because of where it is.

    In a content folder (`content`): its own question files, which belong in an article's folder.
    In an article folder: question files in its subfolders, at any depth, which belong beside
    `article.md`. Folders and files named with a leading `.` or `_` are left alone on purpose.
    Each warning names where the file may go, under a name no file there has and no other hint gives.
    """
    if not content:
        return [Problem(printable(display_path(path)), 1, 1, "this question file is in a subfolder of the article folder, where "
                        f"quizgen reads none; move it beside {ARTICLE_FILE} ({printable(where)})", "warning")
                for path, where in _in_subfolders(folder, _Names(folder))]
    articles = [p for p in sorted(folder.iterdir()) if p.is_dir() and not _skipped(p.name) and not is_output_folder(p)]
    target = articles[0] if len(articles) == 1 else None  # else the hint names no real folder: <slug>
    names = None
    problems = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in QUESTION_SUFFIXES and path.is_file() and not _skipped(path.name):
            if target is not None and names is None:
                names = _Names(target)
                _in_subfolders(target, names)  # the names the article's own hints give are not free either
            where = names.free(path.name) if names is not None else display_path(folder / "<slug>" / path.name)
            problems.append(Problem(printable(display_path(path)), 1, 1, f"this question file is in the content folder, where "
                                    f"quizgen reads none; move it into the folder of the article it is about ({printable(where)})", "warning"))
    return problems


def _in_subfolders(folder: Path, names: _Names) -> list[tuple[Path, str]]:
    """The question files in an article folder's subfolders, in order, each with where it may go."""
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        if Path(top) == folder:
            continue
        for name in sorted(files):
            if Path(name).suffix.lower() in QUESTION_SUFFIXES and not _skipped(name):
                found.append((Path(top) / name, names.free(name)))
    return found


class _Names:
    """The names of a folder's files, and the names hints have given: `free` gives a file's own name
    when neither has it (compared without case: macOS and Windows do so), else `<stem>-2<suffix>`, ..."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: set[str] | None = None  # listed for the first stray file: most folders have none

    def free(self, name: str) -> str:
        """Where a file of this name may go in the folder, as a hint writes it (and that name is taken from now on)."""
        if self.taken is None:
            self.taken = {entry.casefold() for entry in os.listdir(self.folder)}
        stem, suffix = os.path.splitext(name)
        candidate, number = name, 1
        while candidate.casefold() in self.taken:
            number += 1
            candidate = f"{stem}-{number}{suffix}"
        self.taken.add(candidate.casefold())
        where = display_path(self.folder / candidate)
        return where if candidate == name else f"{where}: {display_path(self.folder / name)} is taken"
