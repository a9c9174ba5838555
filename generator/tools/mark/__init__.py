"""`quizgen mark`: read scanned answer sheets, grade them with their version's key, list what to review.

`read` places each page and reads its bubbles, `grade` scores students and lists what it will not
guess, `annotate` draws the marking on each student's pages. Needs the `mark` extra
(`pip install -e '.[mark]'` in the quizgen folder: OpenCV and pypdfium2).
"""

from __future__ import annotations

import ctypes
import gc
import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.outputs import Output
from generator.pipeline.parallel import ordered_map, worker_start
from generator.pipeline.write import Stager
from generator.sources.userfiles import IMAGE_NAMES, IMAGE_SUFFIXES, read_text
from generator.tools.mark.roster import absent, listed, read_roster

INSTALL_HINT = "quizgen mark needs OpenCV and pypdfium2: pip install -e '.[mark]' in the quizgen folder"
SCAN_SUFFIXES = (".pdf", *IMAGE_SUFFIXES)
RECORD = ".quizgen-marked"  # in --out: the annotated PDFs the last marking wrote, one name a line
# in a folder of scans, not scans and not worth a word: what quizgen writes or reads beside them (marks,
# review lists, rosters, pages, notes) and what Windows leaves in a folder of pictures; hidden files too
NOT_SCANS = (".csv", ".tsv", ".json", ".html", ".htm", ".xlsx", ".xls", ".ods", ".txt", ".md", ".yaml", ".yml",
             ".toml", ".log")
NOT_SCAN_NAMES = ("thumbs.db", "desktop.ini")


def check_available() -> None:
    # numpy's OpenBLAS, loaded with OpenCV, starts a thread a core, and they spin a while waiting for
    # work that marking never gives them (one page a process, 3 x 3 products): about 0.1 s of CPU a
    # marking. One thread, unless the environment says otherwise; set before numpy loads (here, or in
    # the parallel pool's workers, which inherit it).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        import cv2  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    if importlib.util.find_spec("pypdfium2") is None:  # looked for, not imported: only a PDF scan needs it
        raise UsageError(INSTALL_HINT)


@dataclass
class Marked:
    """What marking gave: the files to write and the counts to report."""

    outputs: list[Any]  # Output: marks.csv, review.csv, one annotated PDF a student
    students: list[Any] = field(default_factory=list)  # grade.Student
    reviews: list[Any] = field(default_factory=list)  # review.Review, decided ones included
    pages: list[Any] = field(default_factory=list)  # read.Page
    notes: list[str] = field(default_factory=list)  # what was given and not read, a line each
    absent: list[tuple[str, str]] = field(default_factory=list)  # (number, name): on the roster, on no sheet
    books: list[str] = field(default_factory=list)  # what the gradebooks leave out, and why: a line each
    aside: list[Any] = field(default_factory=list)  # read.Page: set aside by a review decision, not marked
    decided: list[str] = field(default_factory=list)  # what became of the review file's decisions, a line each

    @property
    def to_review(self) -> int:
        return sum(1 for r in self.reviews if not r.decision)

    @property
    def unplaced(self) -> int:
        aside = {(p.scan, p.index) for p in self.aside}
        return sum(1 for p in self.pages if p.problem and (p.scan, p.index) not in aside)


def _marked(folder: Path) -> set[str]:
    """The annotated PDFs that the last marking into `folder` wrote, by its record (none without one)."""
    try:
        names = read_text(folder / RECORD).splitlines()
    except (UsageError, OSError):
        return set()
    return {n for n in names if n.startswith("sheet-") and n.endswith(".pdf") and "/" not in n}


def _folder_files(folder: Path, notes: list[str]) -> list[Path]:
    """The scans of a folder, by the ending of their names; a note for what is not read, unless it is
    clearly not a scan (hidden, NOT_SCANS, NOT_SCAN_NAMES, the folder of a marking)."""
    files, other = [], []
    for path in sorted(folder.iterdir()):
        name = path.name
        if path.suffix.lower() in SCAN_SUFFIXES and not path.is_dir():
            files.append(path)
        elif path.is_dir():
            if not name.startswith(".") and not (path / RECORD).exists():
                other.append(name + "/")
        elif not name.startswith(".") and path.suffix.lower() not in NOT_SCANS and name.lower() not in NOT_SCAN_NAMES:
            other.append(name)
    if other:
        folders = ", or a subfolder (give it on its own)" if any(n.endswith("/") for n in other) else ""
        notes.append(f"{folder}: {len(other)} not read, neither a PDF nor a {IMAGE_NAMES} image by its name"
                     f"{folders}: {listed(other)}")
    return files


def _same_names(files: list[Path]) -> str:
    """The first two scans of one file name (`a/p.jpg and b/p.jpg`), or "" when every name is its own."""
    first: dict[str, Path] = {}
    for path in files:
        if path.name in first:
            return f"{first[path.name]} and {path}"
        first[path.name] = path
    return ""


def _scan_files(scans: list[Path]) -> tuple[list[Path], list[str]]:
    """The scan files to read, and a note a line for what was left out: the files of a folder that are
    not scans, and the annotated PDFs that a marking wrote where the scans are (its record lists them)."""
    files: list[Path] = []
    notes: list[str] = []
    for scan in scans:
        if scan.is_dir():
            files += _folder_files(scan, notes)
        elif os.path.lexists(scan):
            files.append(scan)  # a pipe or device is refused, without waiting, when it is read
        else:
            raise UsageError(f"scan {scan} does not exist")
    records: dict[Path, set[str]] = {}
    outputs: dict[Path, list[str]] = {}
    for path in files:
        if path.name in records.setdefault(path.parent, _marked(path.parent)):
            outputs.setdefault(path.parent, []).append(path.name)
    for folder, names in outputs.items():
        notes.append(f"{folder}: left out {len(names)} annotated PDF{'s' if len(names) != 1 else ''} that the last "
                     f"marking wrote there (listed in its {RECORD}): results, not scans")
    files = [p for p in files if p.name not in outputs.get(p.parent, ())]
    if not files:
        raise UsageError("; ".join(["no scan to mark: give PDF or image files (or folders of them)", *notes]))
    return files, notes


_KEYS: Any = None
_NAMED: dict[tuple[str, int], Any] = {}  # (scan, page): the code a review decision gives a page not placed


def keep_freed_memory() -> None:
    """With glibc, a page's big arrays (a decoded scan is 5 MB) come from the heap and stay there for the
    next page once freed, instead of being mapped and unmapped every time: each fresh mapping is a page
    fault per 4 kB, about 0.4 s of system time for 60 pages. The heap grows no further than the largest
    page needs. Elsewhere (no glibc): nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD: glibc's largest
    mallopt(-1, 256 * 1024 * 1024)  # M_TRIM_THRESHOLD: keep what was freed at the top of the heap


def freeze_imports() -> None:
    """Leave what exists before the pages are read (the modules imported, the keys) out of the garbage
    collector's full passes: it lives to the end anyway, and each pass looked at all of it again
    (about 40 ms of a 60-page marking)."""
    gc.freeze()


def _worker_init(keys: Any, named: dict[tuple[str, int], Any] | None = None) -> None:
    worker_start()  # Ctrl-C is the parent's to report, in one line: no traceback from each worker
    keep_freed_memory()
    # OpenCV (the [mark] extra): not for `quizgen build --roster`, which imports this package
    import cv2

    cv2.setNumThreads(1)  # one page a process (a worker comes from the fork server, not from the parent)
    _init(keys, named)
    freeze_imports()


def _init(keys: Any, named: dict[tuple[str, int], Any] | None = None) -> None:
    global _KEYS, _NAMED
    _KEYS = keys
    _NAMED = named or {}


def _read(task: tuple[str, int]) -> Any:
    # OpenCV (the [mark] extra): not for `quizgen build --roster`, which imports this package
    from generator.tools.mark.read import read_page
    from generator.tools.mark.scans import load_page

    scan, index = task
    path = Path(scan)
    problem: str | None = None
    jpeg: bytes | None = None
    try:
        gray, jpeg = load_page(path, index)
    except Exception as e:  # a damaged PDF page: listed for review like any page not placed
        gray = None
        problem = f"cannot read the page: {e}"
    source = f"{path.name} page {index}"
    # a JPEG is what the annotated sheet shows: only the part of the page read is straightened
    page = read_page(source, path.name, index, gray, _KEYS, _NAMED.get((path.name, index)), cropped=jpeg is not None)
    if page.image is not None:
        page.jpeg = jpeg  # the annotated sheet shows the scan as it is
    if problem:
        page.problem = problem
    return page


def _outputs(students: list[Any], reviews: list[Any], pages: list[Any], roster: dict[str, dict[str, str]] | None,
             missing: list[tuple[str, str]]) -> tuple[list[Any], list[str]]:
    """marks.csv, review.csv and review.html, item analysis, gradebooks and one annotated PDF a student;
    and what the gradebooks leave out. `missing`: the roster's students with no sheet, a row each at the
    end of marks.csv and marks.xlsx (not graded, not in the gradebooks: not students marked)."""
    # OpenCV and numpy (the [mark] extra): this package is also imported by `quizgen build --roster` (roster.py)
    from generator.tools.mark.analysis import analyse, gradebooks, items_csv, items_html
    from generator.tools.mark.annotate import annotate
    from generator.tools.mark.grade import marks_csv
    from generator.tools.mark.review import review_csv
    from generator.tools.mark.review_page import review_html

    items, reliability = analyse(students)
    books = gradebooks(students, roster, missing)
    outputs = [Output("marks.csv", marks_csv(students, missing)), Output("review.csv", review_csv(reviews)),
               Output("review.html", review_html(reviews, pages)), Output("items.csv", items_csv(items, reliability)),
               Output("items.html", items_html(items, reliability, len(students))),
               *[Output(name, data) for name, data in books.files]]
    seen: set[str] = set()
    for n, student in enumerate(students, start=1):
        data = student.data
        name = f"sheet-{student.number or f'unknown-{n}'}-{data['slug']}{'-' + data['version'] if data['version'] else ''}.pdf"
        if name in seen:
            name = name.removesuffix(".pdf") + f"-{n}.pdf"
        seen.add(name)
        outputs.append(Output(name, annotate(student)))
    return outputs, books.notes


def _tasks(files: list[Path]) -> list[tuple[str, int]]:
    """(scan, page) for every page of every scan; the last PDF is left open for reading in this process
    (`_read_all` closes it before any worker starts)."""
    # OpenCV (the [mark] extra): not for `quizgen build --roster`, which imports this package
    from generator.tools.mark.scans import close_documents, count_pages

    tasks: list[tuple[str, int]] = []
    try:
        for path in files:
            try:
                count = count_pages(path)
            except UsageError:  # one line that names the file already
                raise
            except Exception as e:
                raise UsageError(f"cannot open the scan {path}: {e}") from None
            tasks += [(str(path), i) for i in range(1, count + 1)]
    except BaseException:
        close_documents()
        raise
    return tasks


def _read_all(tasks: list[tuple[str, int]], keys: Any, named: dict[tuple[str, int], Any], jobs: int) -> list[Any]:
    """Every page read, in `jobs` processes when there are enough pages; each PDF closed at the end."""
    # OpenCV (the [mark] extra): not for `quizgen build --roster`, which imports this package
    import cv2

    # OpenCV (the [mark] extra): not for `quizgen build --roster`, which imports this package
    from generator.tools.mark.scans import close_documents

    # one page a process: OpenCV's own threads only add to the CPU time; set before any worker is
    # forked (a forked worker that changes OpenCV's thread pool can hang)
    cv2.setNumThreads(1)
    try:
        if jobs > 1 and len(tasks) > 2:
            close_documents()  # a worker opens its own: none is forked open
            # the parallel build's pool: a Ctrl-C stops its workers at once (a ProcessPoolExecutor
            # finished the pages already handed out first, up to three eighths of a class)
            return list(ordered_map(_read, tasks, jobs, initializer=_worker_init, initargs=(keys, named),
                                    preload="generator.tools.mark.read"))
        _init(keys, named)
        keep_freed_memory()
        freeze_imports()
        return [_read(t) for t in tasks]
    finally:
        close_documents()


def mark(scans: list[Path], key: Path, review: Path | None = None, jobs: int | None = None,
         roster: Path | None = None, out: Path | None = None) -> Marked:
    """Read, grade and annotate every page of `scans` with the teacher files in `key`; `out`, the folder
    the marking goes to: its review.csv's decisions are used when `review` is not given."""
    check_available()
    # OpenCV (the [mark] extra): not for `quizgen build --roster`, which imports this package
    from generator.tools.mark.grade import apply_roster, grade, load_keys
    from generator.tools.mark.review import decisions_for, named_codes, report

    class_list = read_roster(roster) if roster is not None else None
    keys = load_keys(key)
    decisions, decided = decisions_for(review, out)
    named = named_codes(decisions, keys)
    files, notes = _scan_files(scans)
    same = _same_names(files)
    if same:
        raise UsageError(f"two scans have the same file name: {same}; the review list names scans by file "
                         "name: rename one, or mark the folders one at a time")
    pages = _read_all(_tasks(files), keys, named, jobs or min(os.cpu_count() or 1, 4))
    by_name = {name: data for name, data in keys.values()}
    aside: list[Any] = []
    students, reviews = grade(pages, by_name, decisions, aside)
    if class_list is not None:
        apply_roster(students, class_list, reviews)
    missing = absent(students, class_list) if class_list is not None else []
    outputs, books = _outputs(students, reviews, pages, class_list, missing)
    for page in pages:
        page.image = page.jpeg = None  # the annotated PDFs have them; keep the result small
    if aside:
        decided.append(f"set aside {len(aside)} page{'s' if len(aside) != 1 else ''} as review decisions say "
                       f"(not marked): {', '.join(p.source for p in aside)}")
    return Marked(outputs, students, reviews, pages, notes, absent=missing, books=books, aside=aside,
                  decided=decided + report(decisions))


def write_marked(out: Path, outputs: list[Any]) -> list[str]:
    """Write a marking's files into `out`, all or none, and remove the annotated PDFs that the
    previous marking into `out` wrote and this one did not (a student number corrected in review,
    a scan left out): a teacher must not hand back last time's sheet. Only files named in the
    previous marking's record are ever removed. Returns the names removed."""
    before: list[str] = []
    try:
        before = (out / RECORD).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        pass
    names = [o.name for o in outputs if o.name.endswith(".pdf")]
    with Stager(out) as stager:
        stager.stage(outputs)
        stager.stage([Output(RECORD, "".join(f"{n}\n" for n in names).encode("utf-8"))], hidden=True)
        stager.commit()
    keep = set(names)
    removed = []
    for name in before:
        stale = out / name
        if name not in keep and name.startswith("sheet-") and name.endswith(".pdf") and "/" not in name \
                and stale.is_file() and not stale.is_symlink():
            stale.unlink()
            removed.append(name)
    return removed
