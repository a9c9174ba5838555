"""`quizgen mark`: read scanned answer sheets and grade them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from generator.commands.app import app
from generator.commands.output import echo, guard, session


@app.command()
def mark(
    ctx: typer.Context,
    scans: Annotated[list[Path], typer.Argument(
        help="Scanned answer sheets: PDF files (several pages each, any order) or images, or folders of them.",
        metavar="SCAN", show_default=False,
    )],
    key: Annotated[Path, typer.Option(
        "--key", help="The build's output folder, with the <slug>-sheet[-A].json teacher files of the sheets.",
    )],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for marks.csv, review.csv and the annotated PDFs.")] = Path("marks"),
    review: Annotated[Path | None, typer.Option(
        "--review", help="A review.csv with the teacher's decisions filled in: mark again with them "
        "(default: the decisions in --out's review.csv, if any).",
    )] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Pages read at once (default: the cores, up to 4).")] = None,
    roster: Annotated[Path | None, typer.Option(
        "--roster", help="The class list, a CSV with number and name (email, group optional): names in marks.csv; "
        "a number not on it goes to review.",
    )] = None,
) -> None:
    """Read scanned answer sheets, grade them with their version's key, and list what a person must decide."""
    state = session(ctx)
    # the marking tools (OpenCV, pypdfium2: the [mark] extra): only when marking
    from generator.pipeline.write import settle
    from generator.tools.mark import mark as run_mark
    from generator.tools.mark import write_marked
    from generator.tools.mark.roster import absent_line

    guard(state, lambda: settle(key))  # a build killed in its commit: its previous teacher files, never a mix
    result = guard(state, lambda: run_mark(scans, key, review=review, jobs=jobs, roster=roster, out=out))
    removed = guard(state, lambda: write_marked(out, result.outputs))
    pages = len(result.pages)
    students = len(result.students)
    echo(
        f"marked {students or 'no'} student{'s' if students != 1 else ''} from {pages} page{'s' if pages != 1 else ''} into "
        f"{out}: marks.csv, review.csv, review.html" + (" and one annotated PDF a student" if students else "")
    )
    for note in result.notes:  # what was given and not read
        echo(note)
    for note in result.decided:  # the review file's decisions: where from, and any not used
        echo(note)
    if removed:
        echo(f"removed {len(removed)} annotated PDF{'s' if len(removed) != 1 else ''} of the last marking "
                   f"that this one did not write: {', '.join(removed)}")
    if result.absent:
        echo(absent_line(result.absent, out / "marks.csv"))
    if result.to_review:
        echo(
            f"{result.to_review} item{'s' if result.to_review != 1 else ''} to review "
            f"({result.unplaced} page{'s' if result.unplaced != 1 else ''} not placed), not scored: "
            f"fill the decision column of {out / 'review.csv'} and mark again with --review"
        )
    for note in result.books:  # what the gradebooks leave out, and why
        echo(note)
