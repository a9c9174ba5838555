"""`quizgen lock merge`: a git merge driver for anki.lock files."""

from __future__ import annotations

from pathlib import Path

import typer

from generator.commands.app import sub_app
from generator.commands.output import EXIT_CONTENT, echo_lines, guard, session
from generator.errors import UsageError

lock_app = sub_app("lock", "Work on anki.lock files.")


@lock_app.command("merge")
def lock_merge(
    ctx: typer.Context,
    base: Path = typer.Argument(..., metavar="BASE", help="The common ancestor's anki.lock (git's %O)."),
    ours: Path = typer.Argument(..., metavar="OURS", help="Our anki.lock (git's %A): the merged lock is written here."),
    theirs: Path = typer.Argument(..., metavar="THEIRS", help="Their anki.lock (git's %B)."),
) -> None:
    """Merge two versions of an anki.lock (a git merge driver): every note, the newer stamp of each."""
    state = session(ctx)
    # the lock file's merger and the safe writer: not for `quizgen --help`
    from generator.pipeline.lock_merge import merge_locks
    from generator.pipeline.write import replace_file

    def merged() -> list[str]:
        texts = []
        for path in (base, ours, theirs):
            try:
                texts.append(path.read_bytes().decode("utf-8", errors="replace") if path.is_file() else "")
            except OSError as e:
                raise UsageError(f"{path}: cannot read it ({e.strerror})") from None
        text, conflicts = merge_locks(*texts)
        replace_file(ours, text.encode("utf-8"))
        return conflicts

    conflicts = guard(state, merged)
    if conflicts:
        echo_lines([f"{ours}: conflict: {c}" for c in conflicts], err=True)
        raise typer.Exit(EXIT_CONTENT)
