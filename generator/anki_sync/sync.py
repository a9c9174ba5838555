"""Compare the notes quizgen wants with a collection, then apply the difference.

`plan_sync` only reads the collection and says what would change; `apply_sync` does it. Identity:
a note by its GUID, a note type by quizgen's id (or, when the backend had to give a new note type
another id, by the id recorded in the collection's config under `quizgen`), the article's deck by
the id recorded there too. What the learner made is never touched: the `Notes` field, their own
tags, the deck a card was moved to, their name for the deck, and nothing is ever deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anki.collection import AddNoteRequest, Collection
from anki.notes import Note

from generator.anki_sync.collection import open_collection
from generator.anki_sync.spec import LEARNER_FIELDS, ArticleNotes, NoteTypeSpec, PlannedNote
from generator.errors import UsageError

CONFIG_KEY = "quizgen"  # {"notetypes": {quizgen id: collection id}, "decks": {slug: {"id", "name"}}}
RETIRED = "quizgen::retired"
SUSPENDED = "quizgen::suspended"  # quizgen suspended this retired note's cards: it may unsuspend them
BACKUPS = "backups"  # the folder beside collection.anki2 where Anki keeps a profile's backups
OWN_TAG_PREFIX = "quizgen::"  # tags under it are quizgen's: a stale one is removed

ADDED, UPDATED, RETYPED, RETIRED_ACTION, UNCHANGED = "added", "updated", "re-typed", "retired", "unchanged"
ACTIONS = (ADDED, UPDATED, RETYPED, RETIRED_ACTION, UNCHANGED)


@dataclass
class Item:
    """What happens to one note."""

    action: str
    slug: str
    label: str  # the question id, or for a retired note its Id field or GUID
    detail: str = ""
    planned: PlannedNote | None = None
    note_id: int | None = None


@dataclass
class DeckStep:
    slug: str
    name: str  # the name the deck will have
    deck_id: int | None  # None: to be created
    old_name: str | None = None  # set when the deck is renamed
    kept_name: str | None = None  # set when the learner renamed it: their name stays


@dataclass
class NoteTypeStep:
    spec: NoteTypeSpec
    notetype_id: int | None  # None: to be created
    changes: tuple[str, ...] = ()  # "templates", "CSS", "fields +X"; empty: up to date


@dataclass
class GoneArticle:
    """An article synced into this collection before that is not in the content synced now."""

    slug: str
    deck: str  # its deck's name in the collection
    notes: int  # its quizgen notes not retired yet
    retire: bool  # retired by this sync (--retire-removed), or only reported


@dataclass
class SyncPlan:
    items: list[Item] = field(default_factory=list)
    gone: list[GoneArticle] = field(default_factory=list)
    decks: list[DeckStep] = field(default_factory=list)
    note_types: list[NoteTypeStep] = field(default_factory=list)
    backup_folder: Path | None = None  # where the collection was backed up before the changes
    content: str | None = None  # the content folder synced (recorded: --retire-removed compares it)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for item in self.items:
            counts[item.action] += 1
        return counts

    @property
    def changes_anything(self) -> bool:
        return (
            any(i.action != UNCHANGED for i in self.items)
            or any(d.deck_id is None or d.old_name for d in self.decks)
            or any(s.notetype_id is None or s.changes for s in self.note_types)
        )


def _config(col: Collection) -> dict[str, Any]:
    found = col.get_config(CONFIG_KEY, default=None)
    config = found if isinstance(found, dict) else {}
    config.setdefault("notetypes", {})
    config.setdefault("decks", {})
    return config


def _has_tag(tags: list[str], tag: str) -> bool:
    return tag.lower() in (t.lower() for t in tags)


# ---- planning ---------------------------------------------------------------------------------


def _note_type_step(col: Collection, spec: NoteTypeSpec, config: dict[str, Any]) -> NoteTypeStep:
    nt = col.models.get(spec.id)  # type: ignore[arg-type]
    if nt is None:
        mapped = config["notetypes"].get(str(spec.id))
        nt = col.models.get(mapped) if mapped else None
    if nt is None:
        return NoteTypeStep(spec, None)
    changes = []
    have = [(t["name"], t["qfmt"], t["afmt"]) for t in nt["tmpls"]]
    want = [(t.name, t.front, t.back) for t in spec.templates]
    if [h[1:] for h in have[: len(want)]] != [w[1:] for w in want] or len(have) < len(want):
        changes.append("templates")
    if nt["css"] != spec.css:
        changes.append("CSS")
    names = {f["name"] for f in nt["flds"]}
    missing = [f for f in spec.fields if f not in names]
    if missing:
        changes.append("fields +" + ", +".join(missing))
    return NoteTypeStep(spec, nt["id"], tuple(changes))


def _home_deck(col: Collection, article: ArticleNotes, by_guid: dict[str, tuple[int, int]]) -> int | None:
    """The deck holding most cards of the article's notes already in the collection, wherever the
    learner moved or renamed it; None when it has none of them."""
    nids = [by_guid[n.guid][0] for n in article.notes if n.guid in by_guid]
    if not nids:
        return None
    assert col.db is not None
    counts: dict[int, int] = defaultdict(int)
    for did in col.db.list(f"select did from cards where nid in ({','.join(str(int(n)) for n in nids)})"):
        counts[did] += 1
    home = max(sorted(counts), key=lambda d: counts[d], default=None)
    return home if home is not None and col.decks.get(home, default=False) else None  # type: ignore[arg-type]


def _deck_step(col: Collection, article: ArticleNotes, config: dict[str, Any], home: int | None = None) -> DeckStep:
    record = config["decks"].get(article.slug)
    if isinstance(record, dict) and col.decks.get(record.get("id", 0), default=False):
        did = record["id"]
        current = col.decks.name(did)
        if current == article.deck_name:
            return DeckStep(article.slug, current, did)
        if current != record.get("name"):  # the learner renamed or moved it: keep their name
            return DeckStep(article.slug, current, did, kept_name=current)
        other = col.decks.id_for_name(article.deck_name)
        if other and other != did:
            raise UsageError(
                f"cannot rename the deck '{current}' of {article.slug} to '{article.deck_name}': "
                "another deck has that name; rename or remove it in Anki. Nothing was changed."
            )
        return DeckStep(article.slug, article.deck_name, did, old_name=current)
    if home is not None:  # its notes are there: the learner's deck, whatever it is called now
        current = col.decks.name(home)  # type: ignore[arg-type]
        return DeckStep(article.slug, current, home, kept_name=current if current != article.deck_name else None)
    did = col.decks.id_for_name(article.deck_name)
    if not did and col.decks.get(article.deck_id, default=False):  # type: ignore[arg-type]
        did = article.deck_id
    return DeckStep(article.slug, article.deck_name, did or None)


def _changed_fields(note: Note, planned: PlannedNote) -> list[str]:
    names = set(note.keys())
    return [
        name for name, value in planned.fields
        if name in names and name not in LEARNER_FIELDS and note[name] != value
    ]


def _tags_after(tags: list[str], planned: PlannedNote) -> list[str]:
    """The note's tags with quizgen's added, its stale `quizgen::` ones and the retired tag removed."""
    wanted = {t.lower() for t in planned.tags}
    kept = [t for t in tags if not t.lower().startswith(OWN_TAG_PREFIX) or t.lower() in wanted]
    return kept + [t for t in planned.tags if not _has_tag(kept, t)]


def _describe_update(note: Note, planned: PlannedNote) -> str:
    parts = []
    changed = _changed_fields(note, planned)
    if changed:
        parts.append("fields " + ", ".join(changed))
    if _has_tag(note.tags, RETIRED):
        parts.append("back from retirement: untagged, cards unsuspended" if _has_tag(note.tags, SUSPENDED)
                     else "back from retirement: untagged; its cards stay as you left them")
    elif sorted(t.lower() for t in _tags_after(note.tags, planned)) != sorted(t.lower() for t in note.tags):
        parts.append("tags")
    return "; ".join(parts)


def _is_quizgen_type(col: Collection, mid: int, known: set[int]) -> bool:
    if mid in known:
        return True
    nt = col.models.get(mid)  # type: ignore[arg-type]
    return bool(nt and nt["name"].lower().startswith("quizgen"))


def plan_sync(col: Collection, articles: list[ArticleNotes], retire_removed: bool = False,
              content: str | None = None, force: bool = False) -> SyncPlan:
    """What a sync would change in `col`; reads only. Raises UsageError when it cannot be done.

    An article synced before (recorded in the collection's config) that is not in `articles` is
    listed in `plan.gone`; its notes are retired only with `retire_removed`: the content given may
    be another course's, or one part of the library."""
    config = _config(col)
    plan = SyncPlan(content=content)
    steps: dict[int, NoteTypeStep] = {}
    for article in articles:
        for planned in article.notes:
            if planned.note_type.id not in steps:
                steps[planned.note_type.id] = _note_type_step(col, planned.note_type, config)
    plan.note_types = list(steps.values())
    known = {int(v) for v in config["notetypes"].values()} | {s.spec.id for s in plan.note_types}
    assert col.db is not None
    by_guid = {guid: (nid, mid) for guid, nid, mid in col.db.all("select guid, id, mid from notes")}
    for article in articles:
        plan.decks.append(_deck_step(col, article, config, _home_deck(col, article, by_guid)))
        for planned in sorted(article.notes, key=lambda n: n.position):
            plan.items.append(_plan_note(col, article.slug, planned, by_guid.get(planned.guid), steps))
        plan.items += _retired(col, article.slug, {n.guid for n in article.notes}, known)
    given = {a.slug for a in articles}
    for slug in sorted(set(config["decks"]) - given):
        items = _retired(col, slug, set(), known)
        if items:
            deck = config["decks"][slug]
            name = col.decks.name(deck["id"]) if col.decks.get(deck["id"], default=False) else deck.get("name", slug)
            plan.gone.append(GoneArticle(slug, name, len(items), retire_removed))
            if retire_removed:
                for item in items:
                    item.detail = "its article is gone; tagged quizgen::retired, cards suspended"
                plan.items += items
    _refuse_other_content(plan, config, force)
    return plan


def _refuse_other_content(plan: SyncPlan, config: dict[str, Any], force: bool) -> None:
    """--retire-removed pointed at another content folder than the last sync's would retire a whole
    library: refused unless forced."""
    before = config.get("content")
    retiring = [g for g in plan.gone if g.retire]
    if not retiring or force or not isinstance(before, str) or plan.content in (None, before):
        return
    notes = sum(g.notes for g in retiring)
    raise UsageError(
        f"--retire-removed would retire {notes} notes of {len(retiring)} articles ({', '.join(g.slug for g in retiring[:5])}"
        f"{', ...' if len(retiring) > 5 else ''}), but this collection was synced from {before}, not {plan.content}: "
        "give that folder, or add --force to retire them anyway. Nothing was changed."
    )


def _plan_note(col: Collection, slug: str, planned: PlannedNote, existing: tuple[int, int] | None,
               steps: dict[int, NoteTypeStep]) -> Item:
    if existing is None:
        return Item(ADDED, slug, planned.label, planned=planned)
    nid, mid = existing
    target = steps[planned.note_type.id].notetype_id
    if mid != target:
        old = col.models.get(mid)  # type: ignore[arg-type]
        detail = f"{old['name'] if old else mid} → {planned.note_type.name}"
        return Item(RETYPED, slug, planned.label, detail, planned, nid)
    note = col.get_note(nid)  # type: ignore[arg-type]
    detail = _describe_update(note, planned)
    return Item(UPDATED if detail else UNCHANGED, slug, planned.label, detail, planned, nid)


def _retired(col: Collection, slug: str, wanted: set[str], known: set[int]) -> list[Item]:
    """Notes of the article `slug` (by its tag, old or new style) not retired yet whose GUID is not `wanted`."""
    slug_tags = (slug, OWN_TAG_PREFIX + slug)
    items = []
    search = " or ".join(f'"tag:{t}"' for t in slug_tags)
    for nid in col.find_notes(search):
        note = col.get_note(nid)
        if note.guid in wanted or _has_tag(note.tags, RETIRED):
            continue
        if not any(_has_tag(note.tags, t) for t in slug_tags) or not _is_quizgen_type(col, note.mid, known):
            continue
        label = note["Id"] if "Id" in note and note["Id"] else note.guid
        label = label[len(slug) + 1:] if label.startswith(slug + "/") else label  # `slug/id` since the Id field is unique
        items.append(Item(RETIRED_ACTION, slug, label, "tagged quizgen::retired, cards suspended", note_id=nid))
    return items


# ---- applying ---------------------------------------------------------------------------------


PLACEHOLDER_DECK = "quizgen: note types (temporary)"


def _import_note_type(col: Collection, spec: NoteTypeSpec) -> int | None:
    """Bring a note type into the collection WITH quizgen's id, as an .apkg brings it: import a
    package holding it and one placeholder note (a package without notes brings no note type),
    then remove the placeholder and its deck. None when the backend did not keep the id.

    The backend gives a note type made through `add_dict` an id of its own; later .apkg imports of
    the same notes would then be "conflicting" with a `quizgen (v2)+` copy (shared/docs/anki-facts.md)."""
    import tempfile

    import genanki
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    model = genanki.Model(
        spec.id, spec.name, fields=[{"name": f} for f in spec.fields],
        templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in spec.templates], css=spec.css,
        model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK, sort_field_index=0,
    )
    deck = genanki.Deck(1 << 40 | spec.id, PLACEHOLDER_DECK)
    values = ["{{c1::quizgen}}" if spec.cloze and name == "Text" else "quizgen" for name in spec.fields]
    guid = f"quizgen-note-type-{spec.id}"
    deck.add_note(genanki.Note(model=model, fields=values, guid=guid))
    with tempfile.TemporaryDirectory(prefix="quizgen-types-") as scratch:
        package = Path(scratch) / "types.apkg"
        genanki.Package(deck).write_to_file(str(package), timestamp=1_000_000_000)  # old: any later package is newer
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions()))
    assert col.db is not None
    placeholders = col.db.list("select id from notes where guid = ?", guid)
    if placeholders:
        col.remove_notes(placeholders)
    did = col.decks.id_for_name(PLACEHOLDER_DECK)
    if did and not col.decks.card_count(did, include_subdecks=True):
        col.decks.remove([did])
    return spec.id if col.models.get(spec.id) else None  # type: ignore[arg-type]


def _create_note_type(col: Collection, spec: NoteTypeSpec) -> int:
    imported = _import_note_type(col, spec)
    if imported is not None:
        return imported
    nt = col.models.new(spec.name)
    for name in spec.fields:
        col.models.add_field(nt, col.models.new_field(name))
    for t in spec.templates:
        template = col.models.new_template(t.name)
        template["qfmt"], template["afmt"] = t.front, t.back
        col.models.add_template(nt, template)
    nt["css"] = spec.css
    nt["type"] = 1 if spec.cloze else 0
    nt["sortf"] = 0
    return int(col.models.add_dict(nt).id)


def _update_note_type(col: Collection, step: NoteTypeStep) -> None:
    assert step.notetype_id is not None
    nt = col.models.get(step.notetype_id)  # type: ignore[arg-type]
    assert nt is not None
    names = {f["name"] for f in nt["flds"]}
    for name in step.spec.fields:
        if name not in names:
            col.models.add_field(nt, col.models.new_field(name))
    for i, t in enumerate(step.spec.templates):
        if i < len(nt["tmpls"]):
            nt["tmpls"][i]["qfmt"], nt["tmpls"][i]["afmt"] = t.front, t.back
        else:
            template = col.models.new_template(t.name)
            template["qfmt"], template["afmt"] = t.front, t.back
            col.models.add_template(nt, template)
    nt["css"] = step.spec.css
    col.models.update_dict(nt)


def _retype(col: Collection, note_ids: list[int], old_id: int, new_id: int) -> None:
    """Change the note type of notes, keeping their cards and review history.

    Fields go over by name (a field the new type lacks is dropped, which is why quizgen's note
    types never drop one); cards by template ordinal, or by cloze number between cloze types.
    """
    info = col.models.change_notetype_info(old_notetype_id=old_id, new_notetype_id=new_id)  # type: ignore[arg-type]
    request = info.input
    old_fields = list(info.old_field_names)
    request.new_fields[:] = [old_fields.index(f) if f in old_fields else -1 for f in info.new_field_names]
    old_nt, new_nt = col.models.get(old_id), col.models.get(new_id)  # type: ignore[arg-type]
    if old_nt and new_nt and not old_nt["type"] and not new_nt["type"]:
        count = len(info.old_template_names)
        request.new_templates[:] = [i if i < count else -1 for i in range(len(info.new_template_names))]
    request.note_ids.extend(note_ids)
    col.models.change_notetype_of_notes(request)


def _set_planned(note: Note, planned: PlannedNote) -> None:
    names = set(note.keys())
    for name, value in planned.fields:
        if name in names and name not in LEARNER_FIELDS:
            note[name] = value
    note.tags = _tags_after(note.tags, planned)


def apply_sync(col: Collection, plan: SyncPlan) -> None:
    """Make the changes `plan_sync` planned: note types, decks, re-typed, updated, added, retired notes."""
    config = _config(col)
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
            step.notetype_id = _create_note_type(col, step.spec)
            config["notetypes"][str(step.spec.id)] = step.notetype_id
        elif step.changes:
            _update_note_type(col, step)
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
        _retype(col, note_ids, old_id, new_id)


def _apply_updated(col: Collection, plan: SyncPlan) -> None:
    """Update quizgen's fields of changed notes; a retired note that is back is unsuspended."""
    changed: list[Note] = []
    unsuspend: list[int] = []
    for item in plan.items:
        if item.action in (UPDATED, RETYPED):
            assert item.planned is not None and item.note_id is not None
            note = col.get_note(item.note_id)  # type: ignore[arg-type]
            if _has_tag(note.tags, RETIRED) and _has_tag(note.tags, SUSPENDED):  # never the learner's suspensions
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
         retire_removed: bool = False, content: str | None = None, force: bool = False) -> SyncPlan:
    """Plan, `show` the plan, then back the collection up and apply it, unless `dry_run` (which opens a copy)."""
    with open_collection(path, dry_run) as col:
        plan = plan_sync(col, articles, retire_removed, content, force)
        show(plan)
        if not dry_run and plan.changes_anything:
            plan.backup_folder = path.parent / BACKUPS
            plan.backup_folder.mkdir(exist_ok=True)
            # Anki's own backup, beside the profile's others: File > Switch Profile > Restore lists it
            col.create_backup(backup_folder=str(plan.backup_folder), force=True, wait_for_completion=True)
            apply_sync(col, plan)
    return plan
