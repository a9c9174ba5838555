"""The notes `quizgen anki sync` should find in a collection, from the builder's own functions.

The one place where the sync meets the builder's layout: it asks the builder for each question's
note type, fields, tags and GUID exactly as the .apkg gets them (`plan`, which also reads the
article's anki.lock for the GUIDs of questions that changed to or from cloze and the deck name).
Questions the lock file remembers but the article no longer has are left out: the sync retires
their notes itself (tag and suspend, fields untouched).
"""

from __future__ import annotations

from generator.model import ArticleSet
from generator.outputs.anki import deck_id, deck_name, plan
from generator.outputs.anki.notetypes import FIELDS, model
from generator.tools.anki_sync.spec import ArticleNotes, NoteTypeSpec, PlannedNote


def sync_plan(found: ArticleSet, deck_parent: str | None) -> ArticleNotes:
    """The notes of one checked article set, in the article's order, and its deck."""
    slug = found.article.slug
    notes = []
    for planned in plan(found, now=0):  # the sync needs no time stamps
        if planned.locked.retired:
            continue
        spec = NoteTypeSpec.from_genanki(model(planned.type))
        notes.append(PlannedNote(
            guid=planned.locked.guid,
            note_type=spec,
            fields=tuple((name, planned.fields.get(name, "")) for name in FIELDS),
            tags=tuple(planned.tags),
            position=planned.due,
            label=planned.locked.id,
        ))
    asked = deck_name(found, deck_parent)
    by = f"--deck-parent {deck_parent!r}" if deck_parent else f"deck_parent {found.deck_parent!r}" if found.deck_parent else ""
    return ArticleNotes(slug=slug, deck_id=deck_id(slug), deck_name=found.anki_lock.deck or asked, notes=tuple(notes),
                        asked=asked if by else None, asked_by=by, pinned=found.anki_lock.deck is not None)
