"""Planning a sync: compare the notes quizgen wants with a collection, reading only.

Identity: a note by its GUID, a note type by quizgen's id (see notetypes.py), the article's deck by
the id recorded in the collection's config under `quizgen`. What the learner made is never touched:
the `Notes` field, their own tags, the deck a card was moved to, their name for the deck.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.notes import Note

from generator.errors import UsageError
from generator.tools.anki_sync.notetypes import NoteTypeStep, config_of, note_type_step
from generator.tools.anki_sync.spec import LEARNER_FIELDS, ArticleNotes, PlannedNote

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
    warnings: list[str] = field(default_factory=list)  # what the sync does other than asked (a kept deck)
    backup_folder: Path | None = None  # where the collection was backed up before the changes
    content: str | None = None  # the content folder synced (recorded: --retire-removed compares it)
    older_schema: int | None = None  # the older schema the collection was in, and is written back in

    def changes_schema(self) -> bool:
        """Whether applying it changes the collection's schema (a note's type, a note type's fields or
        number of templates), after which Anki's next AnkiWeb sync must be one-way."""
        return any(item.action == "re-typed" for item in self.items) or any(step.schema for step in self.note_types)

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


def has_tag(tags: list[str], tag: str) -> bool:
    return tag.lower() in (t.lower() for t in tags)


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


def _parent(name: str) -> str:
    return name.rpartition("::")[0]


def _parent_ignored(article: ArticleNotes, step: DeckStep) -> list[str]:
    """Say so when a deck parent asked for (--deck-parent, or the question file's deck_parent) is not
    where the article's deck is or goes: the deck keeps the name of its first build, or the
    learner's, so that learners' cards stay together."""
    if article.asked is None or _parent(step.name) == _parent(article.asked):
        return []
    if step.kept_name:
        why = "the learner renamed or moved it in Anki, and their name stays; move it in Anki if you wish"
    elif article.pinned:
        why = (f"a deck keeps the name of its first build (the 'deck' line of {article.slug}/anki.lock); to move it, "
               "delete that line, then sync again")
    else:
        return []
    return [f"{article.asked_by} is ignored for the deck of '{article.slug}': it stays {step.name!r} (not "
            f"{article.asked!r}): {why}"]


def _changed_fields(note: Note, planned: PlannedNote) -> list[str]:
    names = set(note.keys())
    return [
        name for name, value in planned.fields
        if name in names and name not in LEARNER_FIELDS and note[name] != value
    ]


def tags_after(tags: list[str], planned: PlannedNote) -> list[str]:
    """The note's tags with quizgen's added, its stale `quizgen::` ones and the retired tag removed."""
    wanted = {t.lower() for t in planned.tags}
    kept = [t for t in tags if not t.lower().startswith(OWN_TAG_PREFIX) or t.lower() in wanted]
    return kept + [t for t in planned.tags if not has_tag(kept, t)]


def _describe_update(note: Note, planned: PlannedNote) -> str:
    parts = []
    changed = _changed_fields(note, planned)
    if changed:
        parts.append("fields " + ", ".join(changed))
    if has_tag(note.tags, RETIRED):
        parts.append("back from retirement: untagged, cards unsuspended" if has_tag(note.tags, SUSPENDED)
                     else "back from retirement: untagged; its cards stay as you left them")
    elif sorted(t.lower() for t in tags_after(note.tags, planned)) != sorted(t.lower() for t in note.tags):
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
    config = config_of(col)
    plan = SyncPlan(content=content)
    steps: dict[int, NoteTypeStep] = {}
    for article in articles:
        for planned in article.notes:
            if planned.note_type.id not in steps:
                steps[planned.note_type.id] = note_type_step(col, planned.note_type, config)
    plan.note_types = list(steps.values())
    known = {int(v) for v in config["notetypes"].values()} | {s.spec.id for s in plan.note_types}
    assert col.db is not None
    by_guid = {guid: (nid, mid) for guid, nid, mid in col.db.all("select guid, id, mid from notes")}
    for article in articles:
        plan.decks.append(_deck_step(col, article, config, _home_deck(col, article, by_guid)))
        plan.warnings += _parent_ignored(article, plan.decks[-1])
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
        if note.guid in wanted or has_tag(note.tags, RETIRED):
            continue
        if not any(has_tag(note.tags, t) for t in slug_tags) or not _is_quizgen_type(col, note.mid, known):
            continue
        label = note["Id"] if "Id" in note and note["Id"] else note.guid
        label = label[len(slug) + 1:] if label.startswith(slug + "/") else label  # `slug/id` since the Id field is unique
        items.append(Item(RETIRED_ACTION, slug, label, "tagged quizgen::retired, cards suspended", note_id=nid))
    return items
