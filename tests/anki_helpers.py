"""Building decks and importing them with the official `anki` package (the real Anki backend)."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition


def build_apkg(content: Path, out: Path, epoch: int, monkeypatch) -> Path:
    """Build the decks of `content` into `out` with SOURCE_DATE_EPOCH=epoch; the path of the one deck."""
    from conftest import build_files

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    (name,) = build_files(content, out, only=["anki"], force=True)
    return out / name


def import_apkg(col: Collection, apkg: Path, *, merge: bool = False, always: bool = False):
    """Import as every Anki client does by default (update "if newer", "Merge note types" off)."""
    options = ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=merge)
    if always:  # "Update notes: Always" in the import dialog
        options.update_notes = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options)).log


def review(col: Collection, deck: str, count: int) -> list[int]:
    """Answer `count` cards of `deck` with Good, as a learner does; their ids."""
    col.decks.select(col.decks.id_for_name(deck))
    done = []
    for _ in range(count):
        card = col.sched.getCard()
        card.start_timer()
        col.sched.answerCard(card, 3)
        done.append(card.id)
    return done


def v1_package(path: Path, deck: str = "Articles::A Small Article") -> Path:
    """Three notes of the mini article as quizgen 0.x built them (its note types, ids and GUIDs)."""
    import genanki

    from generator.outputs.anki.notetypes import V1_NOTE_TYPES

    source = ("When", "Explanation", "Context", "Citation", "Article", "Id")

    def v1(kind: str, name: str, fields: tuple[str, ...], cloze: bool = False) -> genanki.Model:
        template = "{{cloze:Text}}" if cloze else "{{%s}}" % fields[0]
        return genanki.Model(
            V1_NOTE_TYPES[kind], name, fields=[{"name": f} for f in (*fields, *source)],
            templates=[{"name": "Cloze" if cloze else "Card 1", "qfmt": template, "afmt": template + "<hr id=answer>"}],
            model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
        )

    qa = v1("qa", "quizgen: short answer (v1)", ("Question", "Answer", "TypeIn"))
    mcq = v1("mcq", "quizgen: multiple choice (v1)", ("Question", "Choices", "Answer"))
    cloze = v1("cloze", "quizgen: cloze (v1)", ("Text",), cloze=True)
    v1_deck = genanki.Deck(1, deck)
    for model, qid, values in (
        (qa, "opened-when", ["When was the bridge opened?", "Monday, 3 March 2025", ""]),
        (mcq, "auditor", ["Who found that costs rose?", "<ol><li>Jane Roe</li></ol>", "Jane Roe"]),
        (cloze, "build-years", ["after {{c1::five}} years - the {{c2::longest}} build"]),
    ):
        v1_deck.add_note(genanki.Note(model=model, fields=[*values, "", "", "", "", "A Small Article", qid],
                                   guid=genanki.guid_for("mini", qid)))
    genanki.Package(v1_deck).write_to_file(str(path), timestamp=1_700_000_000)
    return path
