"""What quizgen wants in a collection: notes by GUID, their note types, the article's deck.

A neutral description, independent of how the Anki builder lays out its note types, so that the
builder can change them and the sync still works: it compares fields by name, note types by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LEARNER_FIELDS = frozenset({"Notes"})  # fields the learner writes in: the sync never touches them


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteTypeSpec:
    """A note type as quizgen defines it: a fixed id, a name, fields in order, card templates, CSS."""

    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    css: str
    cloze: bool = False

    @classmethod
    def from_genanki(cls, model: Any) -> NoteTypeSpec:
        """The spec of a `genanki.Model`."""
        return cls(
            id=model.model_id,
            name=model.name,
            fields=tuple(f["name"] for f in model.fields),
            templates=tuple(Template(t["name"], t["qfmt"], t["afmt"]) for t in model.templates),
            css=model.css,
            cloze=model.model_type == 1,  # genanki.Model.CLOZE
        )


@dataclass(frozen=True)
class PlannedNote:
    """One question's note: its GUID, note type, field values by name, tags, place in the article."""

    guid: str
    note_type: NoteTypeSpec
    fields: tuple[tuple[str, str], ...]  # (field name, HTML value)
    tags: tuple[str, ...]
    position: int  # new cards come in this order
    label: str  # how the plan names it: the question's id

    def field(self, name: str) -> str | None:
        return dict(self.fields).get(name)


@dataclass(frozen=True)
class ArticleNotes:
    """Every note of one article, and the deck quizgen keeps them in."""

    slug: str
    deck_id: int  # the id quizgen gives the deck in its .apkg (Anki's importer does not keep it)
    deck_name: str  # the name of its first build (anki.lock's deck line), else `asked`
    notes: tuple[PlannedNote, ...]
    asked: str | None = None  # the name a deck parent asked for now would give it (None: no parent asked)
    asked_by: str = ""  # who asked: `--deck-parent 'X'` or `deck_parent 'X'` (the question file's key)
    pinned: bool = False  # `deck_name` is anki.lock's deck line
