"""`quizgen anki sync`: apply the content straight to a closed Anki desktop collection."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from generator.commands.app import sub_app
from generator.commands.output import CONTENT_HELP, echo, guard, session
from generator.errors import ContentError, UsageError

anki_app = sub_app("anki", "Work on an Anki desktop collection directly.")


@anki_app.command("sync")
def anki_sync(
    ctx: typer.Context,
    content: Path = typer.Argument(Path("questions"), help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True),
    collection: Path | None = typer.Option(
        None, "--collection", "-c", metavar="PATH",
        help="The collection file to sync (collection.anki2, or the profile folder holding it).",
    ),
    profile: str | None = typer.Option(
        None, "--profile", "-p", metavar="NAME",
        help="The Anki profile whose collection to sync, found in Anki's folder (ANKI_BASE when set; "
        "Linux ~/.local/share/Anki2, macOS ~/Library/Application Support/Anki2, Windows %APPDATA%\\Anki2). "
        "Default: the only profile there.",
    ),
    deck_parent: str | None = typer.Option(
        None, "--deck-parent",
        help="Anki deck to put every article's deck under (default: each question file's deck_parent, else 'Articles').",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan and change nothing (the collection file keeps its bytes)."),
    retire_removed: bool = typer.Option(
        False, "--retire-removed",
        help="Also retire the notes of articles synced before that are no longer in CONTENT_DIR "
        "(without it they are kept and listed).",
    ),
    force: bool = typer.Option(
        False, "--force", help="With --retire-removed: retire even when CONTENT_DIR is not the folder synced before.",
    ),
    one_way_sync: bool = typer.Option(
        False, "--one-way-sync",
        help="Apply a plan that changes a note type of a collection synced with AnkiWeb, which makes Anki's next "
        "AnkiWeb sync one-way: sync your other devices and Anki with AnkiWeb first.",
    ),
) -> None:
    """Check the content, then apply it straight to a closed Anki collection: print the plan, then do it.

    Adds new notes, updates quizgen's own fields (never the Notes field, never the deck a card was
    moved to), changes a note's type keeping its review history, tags notes of deleted questions
    quizgen::retired and suspends their cards (never deletes), and renames the article's deck when
    its title changes. Refuses while Anki has the collection open.
    """
    state = session(ctx)
    # the content's loader (YAML, pydantic) and Anki's collection finder: not for `quizgen --help`
    from generator.sources.load import load_library
    from generator.tools.anki_sync.locate import find_collection

    library = guard(state, lambda: load_library(content))
    guard(state, lambda: _unique_guids(library.sets, content))
    path = guard(state, lambda: find_collection(collection, profile))
    guard(state, _anki_check)
    # genanki and the anki backend: only when a sync runs
    from generator.outputs.anki.sync_plan import sync_plan
    from generator.tools.anki_sync.sync import sync

    articles = [sync_plan(found, deck_parent) for found in library.sets]
    plan = guard(state, lambda: sync(path, articles, dry_run, lambda plan: _show_plan(path, plan, content), retire_removed,
                               str(content.resolve()), force, one_way_sync))
    for warning in plan.warnings:
        echo(f"quizgen: warning: {warning}", err=True)
    counts = plan.counts()
    summary = ", ".join(f"{counts[a]} {a}" for a in counts)
    if dry_run:
        echo(f"dry run: would sync {summary}; nothing was changed")
    elif plan.changes_anything:
        echo(f"backed up the collection first, into {plan.backup_folder}")
        echo(f"synced {path}: {summary}")
    else:
        echo(f"{path} is up to date: {summary}")
    if plan.older_schema is not None and not dry_run:
        echo(f"kept the collection in the older format it was in (Anki schema {plan.older_schema} read, schema 11 "
             "written), so that the Anki which wrote it still opens it")


def _unique_guids(sets: Sequence[Any], content: Path) -> None:
    """No Anki GUID in two articles' locks (a copied folder): ContentError, as check reports it."""
    # the lock file's reader: not for `quizgen --help`
    from generator.pipeline.lockfile import duplicate_guids

    shared = duplicate_guids([content / found.article.slug for found in sets])
    if shared:
        raise ContentError(shared)


def _anki_check() -> None:
    try:
        # the optional extra [anki] (the anki backend, 100 MB): asked only by a sync
        import anki.collection  # noqa: F401
    except ImportError:
        raise UsageError("quizgen anki sync needs the anki package: pip install -e '.[anki]' in the quizgen folder") from None


def _show_plan(path: Path, plan, content: Path) -> None:
    echo(f"collection: {path}")
    for gone in plan.gone:
        notes = f"{gone.notes} note{'s' if gone.notes != 1 else ''}"
        if gone.retire:
            echo(f"article {gone.slug!r} (deck {gone.deck!r}) is no longer in {content}: retiring its {notes}")
        else:
            echo(f"article {gone.slug!r} (deck {gone.deck!r}) is no longer in {content}: its {notes} kept "
                       "(--retire-removed retires them)")
    for step in plan.note_types:
        if step.notetype_id is None:
            echo(f"note type {step.spec.name!r}: create")
        elif step.changes:
            echo(f"note type {step.spec.name!r}: update {', '.join(step.changes)}")
    for deck in plan.decks:
        if deck.deck_id is None:
            echo(f"deck {deck.name!r}: create")
        elif deck.old_name:
            echo(f"deck {deck.old_name!r}: rename to {deck.name!r}")
        elif deck.kept_name:
            echo(f"deck {deck.kept_name!r}: kept (renamed in Anki; quizgen would call it otherwise)")
    for item in plan.items:
        if item.action != "unchanged":
            detail = f" ({item.detail})" if item.detail else ""
            echo(f"{item.action:9}  {item.slug}/{item.label}{detail}")
    if plan.changes_schema():
        echo("note: changing a note type makes Anki's next AnkiWeb sync a one-way sync; upload from this computer.")
