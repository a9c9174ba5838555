"""The Anki note types: one per question kind, with ids and fields fixed for good.

Anki refuses to update notes whose note type changed its fields (see shared/docs/anki-facts.md),
so these ids, names and field lists never change; tests pin them. A note type that must change
gets a new id and a name with the next version number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import genanki

from generator.builders.pages import static

SOURCE_FIELDS = ("When", "Explanation", "Context", "Citation", "Article", "Id")


@dataclass(frozen=True)
class NoteType:
    kind: str
    model_id: int
    name: str
    fields: tuple[str, ...]
    cloze: bool = False
    script: bool = False  # the front shuffles choices; both such kinds share one back template


NOTE_TYPES: dict[str, NoteType] = {
    t.kind: t
    for t in (
        NoteType("qa", 2125072410, "quizgen: short answer (v1)",
                 ("Question", "Answer", "TypeIn", *SOURCE_FIELDS)),
        NoteType("cloze", 1426443033, "quizgen: cloze (v1)",
                 ("Text", *SOURCE_FIELDS), cloze=True),
        NoteType("mcq", 1182375641, "quizgen: multiple choice (v1)",
                 ("Question", "Choices", "Answer", *SOURCE_FIELDS), script=True),
        NoteType("truefalse", 1363958386, "quizgen: true or false (v1)",
                 ("Statement", "Verdict", "Correction", *SOURCE_FIELDS)),
        NoteType("order", 1683727580, "quizgen: chronology (v1)",
                 ("Question", "Scrambled", "Events", *SOURCE_FIELDS)),
        NoteType("attribution", 1622145544, "quizgen: attribution (v1)",
                 ("Claim", "Prompt", "Choices", "Answer", *SOURCE_FIELDS), script=True),
    )
}


def _read(name: str) -> str:
    return static(__package__, name)


@cache
def model(kind: str) -> genanki.Model:
    """The genanki model of a kind, with its card template and the shared stylesheet."""
    t = NOTE_TYPES[kind]
    parts = {"source": _read("source.html"), "script": _read("choices.js") if t.script else ""}
    return genanki.Model(
        t.model_id,
        t.name,
        fields=[{"name": f} for f in t.fields],
        templates=[{
            "name": "Card 1" if not t.cloze else "Cloze",
            "qfmt": _read(f"{kind}.front.html") % parts,
            "afmt": _read("choices.back.html" if t.script else f"{kind}.back.html") % parts,
        }],
        css=_read("card.css"),
        model_type=genanki.Model.CLOZE if t.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )
