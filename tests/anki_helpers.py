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
