"""The bad-input corpus: each folder of `tests/cases/` is laid over a copy of `fixtures/mini/`.

`expected.txt` beside each case holds the exact lines `quizgen check` must report (errors, and the
warnings of a case that has no error), with paths relative to the content folder.  After a deliberate change of messages, regenerate them with
`python tests/cases_lib.py --write` and review the diff line by line.

Two conventions keep every case small: `slug.txt` names the article folder (default `mini`), and
`NAME.repeat` makes the file NAME from its second line onwards repeated as often as its first line
says (for files too large to commit); an empty `NAME.delete` removes the base's file NAME. A
folder of the case is copied into the article folder as a folder, but `_root/`, whose files go in
the content folder itself (beside the article folder).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
BASE = HERE / "fixtures" / "mini"
SLUG = "mini"


def lay_out(case: Path, content: Path) -> Path:
    """A content folder holding the base article set with the case's files over it."""
    slug_file = case / "slug.txt"
    slug = slug_file.read_text(encoding="utf-8").strip() if slug_file.exists() else SLUG
    folder = content / slug
    shutil.copytree(BASE, folder)
    for f in case.iterdir():
        if f.name in ("expected.txt", "slug.txt"):
            continue
        if f.name == "_root":
            for g in f.iterdir():
                shutil.copy(g, content / g.name)
        elif f.is_dir():
            shutil.copytree(f, folder / f.name)
        elif f.suffix == ".delete":
            (folder / f.stem).unlink()
        elif f.suffix == ".repeat":
            count, _, text = f.read_bytes().partition(b"\n")
            (folder / f.stem).write_bytes(text * int(count))
        else:
            shutil.copy(f, folder / f.name)
    return content


def report(case: Path, tmp: Path) -> list[str]:
    """The lines `quizgen check` reports for a case (run from inside the content folder)."""
    from generator.checks.summary import check_library
    from generator.errors import ContentError

    content = lay_out(case, tmp / "content")
    here = os.getcwd()
    os.chdir(content)
    found: list = []
    try:
        check_library(Path("."), 1, lambda problems, more: found.extend(problems))
    except ContentError as e:
        return [str(p) for p in e.problems]
    finally:
        os.chdir(here)
    return [str(p) for p in found]


if __name__ == "__main__":
    import tempfile

    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            lines = report(case, Path(tmp))
        print(f"== {case.name}")
        print("\n".join(lines))
        if "--write" in sys.argv:
            (case / "expected.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
