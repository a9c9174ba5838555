"""`quizgen anki sync`: plan (plan.py), show the plan, back the collection up, then apply it.

Applying never deletes: a note of a deleted question is tagged retired and its cards suspended.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from anki.collection import AddNoteRequest, Collection
from anki.notes import Note

from generator.errors import UsageError
from generator.tools.anki_sync import notetypes
from generator.tools.anki_sync.collection import open_collection
from generator.tools.anki_sync.notetypes import CONFIG_KEY, config_of
from generator.tools.anki_sync.plan import (
    ADDED,
    RETIRED,
    RETIRED_ACTION,
    RETYPED,
    SUSPENDED,
    UPDATED,
    SyncPlan,
    has_tag,
    plan_sync,
    tags_after,
)
from generator.tools.anki_sync.spec import LEARNER_FIELDS, ArticleNotes, PlannedNote

BACKUPS = "backups"  # the folder beside collection.anki2 where Anki keeps a profile's backups


def _set_planned(note: Note, planned: PlannedNote) -> None:
    names = set(note.keys())
    for name, value in planned.fields:
        if name in names and name not in LEARNER_FIELDS:
            note[name] = value
    note.tags = tags_after(note.tags, planned)


def apply_sync(col: Collection, plan: SyncPlan) -> None:
    """Make the changes `plan_sync` planned: note types, decks, re-typed, updated, added, retired notes."""
    config = config_of(col)
    notetypes.remove_placeholders(col)
    ids = _apply_note_types(col, plan, config)
    decks = _apply_decks(col, plan, config)
    _apply_retyped(col, plan, ids)
    _apply_updated(col, plan)
    _apply_added(col, plan, ids, decks)
    _apply_retired(col, [item.note_id for item in plan.items if item.action == RETIRED_ACTION and item.note_id])
    if plan.content is not None:
        config["content"] = plan.content
    col.set_config(CONFIG_KEY, config)


def _apply_retired(col: Collection, retired: list[int]) -> None:
    """Tag the notes retired and suspend their cards. A note none of whose cards the learner had
    suspended is tagged quizgen::suspended too: only those does a return unsuspend."""
    if not retired:
        return
    assert col.db is not None
    col.tags.bulk_add(retired, RETIRED)  # type: ignore[arg-type]
    ours = [nid for nid in retired
            if not col.db.scalar(f"select count() from cards where nid = {int(nid)} and queue = -1")]
    if ours:
        col.tags.bulk_add(ours, SUSPENDED)  # type: ignore[arg-type]
    col.sched.suspend_cards([cid for nid in retired for cid in col.get_note(nid).card_ids()])  # type: ignore[arg-type]


def _apply_note_types(col: Collection, plan: SyncPlan, config: dict) -> dict[int, int]:
    """Create or update the note types; the collection's id of each, by quizgen's id."""
    ids: dict[int, int] = {}
    for step in plan.note_types:
        if step.notetype_id is None:
            step.notetype_id = notetypes.create_note_type(col, step.spec)
        elif step.changes:
            notetypes.update_note_type(col, step)
        if config["notetypes"].get(str(step.spec.id)) != step.notetype_id:
            config["notetypes"][str(step.spec.id)] = step.notetype_id
            col.set_config(CONFIG_KEY, config)  # at once: a sync killed now finds the type by it next time
        ids[step.spec.id] = step.notetype_id
    return ids


def _apply_decks(col: Collection, plan: SyncPlan, config: dict) -> dict[str, int]:
    """Create or rename the articles' decks; each deck's id, by article."""
    decks: dict[str, int] = {}
    for deck in plan.decks:
        if deck.deck_id is None:
            deck.deck_id = int(col.decks.id(deck.name, create=True) or 0)
        elif deck.old_name:
            col.decks.rename(deck.deck_id, deck.name)  # type: ignore[arg-type]
        decks[deck.slug] = deck.deck_id
        config["decks"][deck.slug] = {"id": deck.deck_id, "name": col.decks.name(deck.deck_id)}  # type: ignore[arg-type]
    return decks


def _apply_retyped(col: Collection, plan: SyncPlan, ids: dict[int, int]) -> None:
    """Change the note type of the notes whose kind changed, keeping their review history."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for item in plan.items:
        if item.action == RETYPED:
            assert item.planned is not None and item.note_id is not None
            groups[(col.get_note(item.note_id).mid, ids[item.planned.note_type.id])].append(item.note_id)  # type: ignore[arg-type]
    for (old_id, new_id), note_ids in groups.items():
        notetypes.retype(col, note_ids, old_id, new_id)


def _apply_updated(col: Collection, plan: SyncPlan) -> None:
    """Update quizgen's fields of changed notes; a retired note that is back is unsuspended."""
    changed: list[Note] = []
    unsuspend: list[int] = []
    for item in plan.items:
        if item.action in (UPDATED, RETYPED):
            assert item.planned is not None and item.note_id is not None
            note = col.get_note(item.note_id)  # type: ignore[arg-type]
            if has_tag(note.tags, RETIRED) and has_tag(note.tags, SUSPENDED):  # never the learner's suspensions
                unsuspend += note.card_ids()
            _set_planned(note, item.planned)
            changed.append(note)
    if changed:
        col.update_notes(changed)
    if unsuspend:
        col.sched.unsuspend_cards(unsuspend)  # type: ignore[arg-type]


def _apply_added(col: Collection, plan: SyncPlan, ids: dict[int, int], decks: dict[str, int]) -> None:
    """Add the new notes, in the article's order: new cards come in that order."""
    requests = []
    for item in plan.items:
        if item.action == ADDED:
            assert item.planned is not None
            note = col.new_note(ids[item.planned.note_type.id])  # type: ignore[arg-type]
            note.guid = item.planned.guid
            _set_planned(note, item.planned)
            requests.append(AddNoteRequest(note=note, deck_id=decks[item.slug]))  # type: ignore[arg-type]
    if requests:
        col.add_notes(requests)


def sync(path: Path, articles: list[ArticleNotes], dry_run: bool, show: Callable[[SyncPlan], None],
         retire_removed: bool = False, content: str | None = None, force: bool = False,
         one_way_sync: bool = False) -> SyncPlan:
    """Plan, `show` the plan, then back the collection up and apply it, unless `dry_run` (which opens a copy).

    A plan that changes the schema of a collection synced with AnkiWeb before is refused without
    `one_way_sync`: Anki's next AnkiWeb sync is then one-way, and an upload from this computer drops the
    reviews made on other devices since Anki last synced them (see `one_way_problem`)."""
    with open_collection(path, dry_run) as (col, older):
        plan = plan_sync(col, articles, retire_removed, content, force)
        plan.older_schema = older
        show(plan)
        if not dry_run and not one_way_sync and plan.changes_schema() and synced_with_ankiweb(col):
            raise UsageError(one_way_problem(path))
        if not dry_run and plan.changes_anything:
            plan.backup_folder = path.parent / BACKUPS
            plan.backup_folder.mkdir(exist_ok=True)
            # Anki's own backup, beside the profile's others: File > Switch Profile > Restore lists it
            col.create_backup(backup_folder=str(plan.backup_folder), force=True, wait_for_completion=True)
            apply_sync(col, plan)
    return plan


def synced_with_ankiweb(col: Collection) -> bool:
    """Whether the collection was ever synced (the time of its last sync, 0 until the first)."""
    assert col.db is not None  # an open collection has its database
    return bool(col.db.scalar("select ls from col"))


def one_way_problem(path: Path) -> str:
    return (f"{path}: this sync changes a note type, after which Anki's next AnkiWeb sync is one-way (upload from "
            "this computer), and reviews made on another device since Anki last synced would be lost; sync your other "
            "devices, then Anki on this computer, with AnkiWeb, close Anki and run again with --one-way-sync. "
            "Nothing was changed.")
