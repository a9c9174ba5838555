"""The notes `quizgen anki sync` should find in a collection, from the builder's own functions.

The one place where the sync meets the builder's layout: it asks the builder for each question's
note type, fields, tags and GUID exactly as the .apkg gets them.
"""

from __future__ import annotations

import genanki

from generator.anki_sync.spec import ArticleNotes, NoteTypeSpec, PlannedNote
from generator.builders.anki import deck_id, deck_name, tags
from generator.builders.anki.fields import note_fields
from generator.builders.anki.notetypes import model
from generator.model import ArticleSet


def sync_plan(found: ArticleSet, deck_parent: str | None) -> ArticleNotes:
    """The notes of one checked article set, in the article's question order, and its deck."""
    slug = found.article.slug
    notes = []
    for position, q in enumerate(found.questions):
        spec = NoteTypeSpec.from_genanki(model(q.kind))
        notes.append(PlannedNote(
            guid=genanki.guid_for(slug, q.id),
            note_type=spec,
            fields=tuple(zip(spec.fields, note_fields(found, q))),
            tags=tuple(tags(found, q.kind, q.tests, q.tags)),
            position=position,
            label=q.id,
        ))
    return ArticleNotes(slug=slug, deck_id=deck_id(slug), deck_name=deck_name(found, deck_parent), notes=tuple(notes))
