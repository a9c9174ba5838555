"""The Anki note types: two of them, with ids, names and fields fixed for good.

Anki matches an imported note to the learner's by GUID, and updates it only when it keeps the
same note type: a note whose type changed is skipped as "conflicting" (shared/docs/anki-facts.md).
So every kind of question except cloze shares ONE note type, "quizgen (v2)", and a question that
changes kind (qa -> mcq) keeps its note, its card and its history. Anki cannot turn a regular note
into a cloze note on import, so cloze questions have their own type, "quizgen: cloze (v2)", with the
same fields.

The rule for future changes (pinned by tests/test_anki.py::test_note_types_are_pinned):
- Never change an id, a name, a field's name or the field list of a released note type. Adding a
  field in place makes every note of that type "conflicting" in every learner's collection.
- Templates and CSS may change freely: the lock file gives the note type a newer stamp, and Anki
  takes the new templates on the next import without touching any note. Then regenerate the
  decks' goldens (`python tests/anki_dump.py --write-goldens`, see the README) and review the diff.
- If the fields must change after all, make "(v3)" types with new ids whose fields are a SUPERSET
  of these by name, and template names "Card 1" and "Cloze" as here: Anki's "Merge note types"
  then converts the old notes by field name, keeping their history (tested for v1 -> v2).

The v1 types (one per kind) are listed in V1_NOTE_TYPES: their field names are all kept here, so
the one-time merge from v1 loses nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache

import genanki

from generator.i18n import N_, SOURCE, gettext_for, languages
from generator.kinds.contract import ANKI_CARDS, KindError
from generator.kinds.registry import REGISTRY
from generator.model import RTL_LANGUAGES
from generator.outputs.files import static

# Every field, in order. quizgen fills all but `Notes`, which is the learner's own.
FIELDS = (
    "Id", "Kind",
    "Question", "Answer", "TypeIn", "Choices",  # qa, mcq (and order's Question)
    "Statement", "Verdict", "Correction",  # truefalse
    "Scrambled", "Events",  # order
    "Claim", "Prompt",  # attribution (Answer, Choices as for mcq)
    "Text",  # cloze
    "When", "Explanation", "Context", "Citation",
    "Article", "Publication", "PublishedOn", "URL",  # the article and where it appeared
    "Notes",  # the learner's: quizgen always leaves it empty
)
LEARNER_FIELDS = ("Notes",)


@dataclass(frozen=True)
class NoteType:
    model_id: int
    name: str
    cloze: bool
    template: str  # the card template's name; "Card 1" / "Cloze" as in v1, so a merge maps them

    @property
    def fields(self) -> tuple[str, ...]:
        return FIELDS


BASIC = NoteType(1532369116, "quizgen (v2)", cloze=False, template="Card 1")
CLOZE = NoteType(1738549600, "quizgen: cloze (v2)", cloze=True, template="Cloze")
NOTE_TYPES: dict[str, NoteType] = {"basic": BASIC, "cloze": CLOZE}

# The note types of quizgen 0.x (one per kind); learners may still have notes of these.
V1_NOTE_TYPES: dict[str, int] = {
    "qa": 2125072410, "cloze": 1426443033, "mcq": 1182375641,
    "truefalse": 1363958386, "order": 1683727580, "attribution": 1622145544,
}


# The faces of the cards, by a kind's `anki_card`: the fields the card templates test to tell them apart
# (basic.front.html), each filled in a note of that face; the fields of the other faces' tests stay empty.
# A face is shown with its label: "Short answer", "Multiple choice", "True or false?", "Who holds this
# view?", "Chronology", "Fill in the blank" (the cloze note type). New faces would change the released
# templates: a new kind takes the face its text fits (docs/contributing/kinds.md).
CARDS: dict[str, tuple[str, ...]] = {
    "question": ("Question",), "choices": ("Question", "Choices"), "statement": ("Statement",),
    "claim": ("Claim", "Choices"), "scrambled": ("Question", "Scrambled"), "cloze": ("Text",),
}
if tuple(CARDS) != ANKI_CARDS:
    raise KindError("generator/outputs/anki/notetypes.py: CARDS must list the faces of kinds/contract.py ANKI_CARDS")
_TESTED = {"question": "Question", "choices": "Choices", "statement": "Statement", "claim": "Claim", "scrambled": "Scrambled"}
# A withdrawn note's body by face: the field its text goes in, and the empty list its face's label needs.
_WITHDRAWN: dict[str, tuple[str, dict[str, str]]] = {
    "question": ("Question", {}), "choices": ("Question", {"Choices": '<ol class="qg-list"></ol>'}),
    "statement": ("Statement", {}), "claim": ("Claim", {}),
    "scrambled": ("Question", {"Scrambled": '<ul class="qg-list"></ul>'}), "cloze": ("Text", {}),
}


@cache
def _face_tests(face: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields a note of `face` fills, and the other faces' tested fields it must leave empty."""
    return CARDS[face], tuple(f for other, f in _TESTED.items() if other != face and f not in CARDS[face])


def card_problem(kind: str, fields: dict[str, str], face: str | None = None) -> str | None:
    """Why a note of `kind` with `fields` would not show as its kind's card face (None when it does).
    (`face`: the kind's `anki_card`, when the caller has the kind.)"""
    face = face or REGISTRY[kind].anki_card
    filled, unfilled = _face_tests(face)  # asked for every note: the lists once per face
    if all(map(fields.get, filled)) and not any(map(fields.get, unfilled)):
        return None  # (the question of every note, asked without a Python loop)
    empty = [f for f in filled if not fields.get(f)]
    others = [f for f in unfilled if fields.get(f)]
    if not empty and not others:
        return None
    said = [f"leaves {', '.join(empty)} empty" if empty else "", f"fills {', '.join(others)}" if others else ""]
    return (f"question kind '{kind}': its anki_fields {' and '.join(s for s in said if s)}, so its card would not "
            f"show as its anki_card {face!r} (it fills {', '.join(CARDS[face])}; see docs/contributing/kinds.md)")


def withdrawn_body(kind: str, said: str) -> dict[str, str]:
    """A withdrawn note's text in the field its kind's card shows first, so that the card keeps its kind's
    label ("True or false?", not "Short answer"); an empty list where the label needs one. A kind this
    build does not know keeps its note type's plain face."""
    registered = REGISTRY.get(kind)
    face = registered.anki_card if registered is not None else "cloze" if note_type(kind).cloze else "question"
    field, lists = _WITHDRAWN[face]
    return {field: said, **lists}


def note_type(kind: str) -> NoteType:
    """The note type of a question kind, as its registration says (basic for a kind an older build
    wrote and this one does not know)."""
    registered = REGISTRY.get(kind)
    return NOTE_TYPES[registered.note_type] if registered is not None else BASIC


def _read(name: str) -> str:
    return static(__package__, name)


# quizgen's words on the cards (the templates' labels and card.js's), shown in the deck's language by
# card.js, which finds them by their English text.
CARD_MESSAGES = (
    N_("True or false?"), N_("Who holds this view?"), N_("Chronology"), N_("Multiple choice"),
    N_("Short answer"), N_("Fill in the blank"), N_("Correction:"), N_("Answer:"), N_("When:"), N_("Source"),
    N_("Your notes"), N_("You chose the right answer."), N_("Your choice was not the right answer."),
)


def card_i18n() -> str:
    """The script's translations of CARD_MESSAGES, every language with a catalogue, as a JS statement."""
    messages = {
        language: {m: gettext_for(language)(m) for m in CARD_MESSAGES}
        for language in languages() if language != SOURCE
    }
    data = {"rtl": sorted(RTL_LANGUAGES), "messages": messages}
    return "/* quizgen: the cards' labels in every language with a catalogue */\nwindow.QG_I18N = " + json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/") + ";\n"


@cache
def model(t: NoteType) -> genanki.Model:
    """The genanki model of a note type, with its card template and the shared stylesheet."""
    parts = {"source": _read("source.html"), "script": card_i18n() + _read("card.js")}
    prefix = "cloze" if t.cloze else "basic"
    return genanki.Model(
        t.model_id,
        t.name,
        fields=[{"name": f} for f in t.fields],
        templates=[{
            "name": t.template,
            "qfmt": _read(f"{prefix}.front.html") % parts,
            "afmt": _read(f"{prefix}.back.html") % parts,
        }],
        css=_read("card.css"),
        model_type=genanki.Model.CLOZE if t.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


@cache
def model_hash(t: NoteType) -> str:
    """A hash of everything Anki keeps of a note type: a change gives it a newer stamp."""
    m = model(t)
    parts = repr((m.model_id, m.name, m.fields, m.templates, m.css, m.model_type, m.sort_field_index))
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()[:16]


_DECK, _STAMP = -7304968021, -7304968022  # stand-ins for the deck id and stamp: numbers no note type holds


@cache
def model_json(t: NoteType) -> tuple[str, str, str] | None:
    """`json.dumps(data, sort_keys=True)` of the note type's `to_json` with its stamp as `mod`, as the
    text before the deck id, between it and the stamp, and after: the same in every package but for
    those two numbers, and its dump (templates, fields) a tenth of a package's CPU. None when the
    stand-ins do not occur once each."""
    data = model(t).to_json(0, _DECK)
    data["mod"] = _STAMP
    text = json.dumps(data, sort_keys=True)
    if text.count(str(_DECK)) != 1 or text.count(str(_STAMP)) != 1:
        return None
    before, rest = text.split(str(_DECK))
    between, after = rest.split(str(_STAMP))
    return before, between, after
