"""quizgen's note types in a collection: found, created with quizgen's own ids, brought up to date,
and notes moved between them keeping their review history.

A note type is quizgen's by its id; when the backend had to give one another id, by the id recorded
in the collection's config under `quizgen` (written as soon as it is made), or by its name and
fields (made by a sync killed before it could record it).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import Collection

from generator.tools.anki_sync.spec import NoteTypeSpec

CONFIG_KEY = "quizgen"  # {"notetypes": {quizgen id: collection id}, "decks": {slug: {"id", "name"}}}
PLACEHOLDER_DECK = "quizgen: note types (temporary)"
PLACEHOLDER_GUID = "quizgen-note-type-"  # then quizgen's id of the note type


@dataclass
class NoteTypeStep:
    spec: NoteTypeSpec
    notetype_id: int | None  # None: to be created
    changes: tuple[str, ...] = ()  # "templates", "templates +N", "CSS", "fields +X"; empty: up to date
    schema: bool = False  # whether they change the collection's schema (a field or a card type added)


def config_of(col: Collection) -> dict[str, Any]:
    found = col.get_config(CONFIG_KEY, default=None)
    config = found if isinstance(found, dict) else {}
    config.setdefault("notetypes", {})
    config.setdefault("decks", {})
    return config


def note_type_step(col: Collection, spec: NoteTypeSpec, config: dict[str, Any]) -> NoteTypeStep:
    nt = col.models.get(spec.id)  # type: ignore[arg-type]
    if nt is None:
        mapped = config["notetypes"].get(str(spec.id))
        nt = col.models.get(mapped) if mapped else None
    if nt is None:
        nt = _made_unrecorded(col, spec)
    if nt is None:
        return NoteTypeStep(spec, None)
    changes = []
    have = [(t["name"], t["qfmt"], t["afmt"]) for t in nt["tmpls"]]
    want = [(t.name, t.front, t.back) for t in spec.templates]
    if len(have) < len(want):  # a card type added: a change of the collection's schema
        changes.append(f"templates +{len(want) - len(have)}")
    elif [h[1:] for h in have[: len(want)]] != [w[1:] for w in want]:
        changes.append("templates")
    if nt["css"] != spec.css:
        changes.append("CSS")
    names = {f["name"] for f in nt["flds"]}
    missing = [f for f in spec.fields if f not in names]
    if missing:
        changes.append("fields +" + ", +".join(missing))
    return NoteTypeStep(spec, nt["id"], tuple(changes), bool(missing) or len(have) < len(want))


def _made_unrecorded(col: Collection, spec: NoteTypeSpec) -> Any:
    """The note type of `spec`'s name, kind and fields that a sync killed before it recorded the
    type's id made; None when there is none (a second copy would then split quizgen's notes)."""
    nt = col.models.by_name(spec.name)
    if nt is None or bool(nt["type"]) != spec.cloze:
        return None
    return nt if [f["name"] for f in nt["flds"]][: len(spec.fields)] == list(spec.fields) else None


def remove_placeholders(col: Collection) -> None:
    """Remove the placeholder notes and deck that bring note types in (`_import_note_type`), left
    behind too by a sync killed in the middle of that import."""
    assert col.db is not None
    placeholders = col.db.list("select id from notes where guid like ?", PLACEHOLDER_GUID + "%")
    if placeholders:
        col.remove_notes(placeholders)
    did = col.decks.id_for_name(PLACEHOLDER_DECK)
    if did and not col.decks.card_count(did, include_subdecks=True):
        col.decks.remove([did])


def _import_note_type(col: Collection, spec: NoteTypeSpec) -> int | None:
    """Bring a note type into the collection WITH quizgen's id, as an .apkg brings it: import a
    package holding it and one placeholder note (a package without notes brings no note type),
    then remove the placeholder and its deck. None when the backend did not keep the id.

    The backend gives a note type made through `add_dict` an id of its own; later .apkg imports of
    the same notes would then be "conflicting" with a `quizgen (v2)+` copy (shared/docs/anki-facts.md)."""
    # genanki and the anki backend (the [anki] extra): only when a note type is imported into a collection
    import genanki
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    model = genanki.Model(
        spec.id, spec.name, fields=[{"name": f} for f in spec.fields],
        templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in spec.templates], css=spec.css,
        model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK, sort_field_index=0,
    )
    deck = genanki.Deck(1 << 40 | spec.id, PLACEHOLDER_DECK)
    values = ["{{c1::quizgen}}" if spec.cloze and name == "Text" else "quizgen" for name in spec.fields]
    guid = f"{PLACEHOLDER_GUID}{spec.id}"
    deck.add_note(genanki.Note(model=model, fields=values, guid=guid))
    with tempfile.TemporaryDirectory(prefix="quizgen-types-") as scratch:
        package = Path(scratch) / "types.apkg"
        genanki.Package(deck).write_to_file(str(package), timestamp=1_000_000_000)  # old: any later package is newer
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions()))
    remove_placeholders(col)
    return spec.id if col.models.get(spec.id) else None  # type: ignore[arg-type]


def create_note_type(col: Collection, spec: NoteTypeSpec) -> int:
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


def update_note_type(col: Collection, step: NoteTypeStep) -> None:
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


def retype(col: Collection, note_ids: list[int], old_id: int, new_id: int) -> None:
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
