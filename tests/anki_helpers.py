"""Building decks and importing them with the official `anki` package (the real Anki backend)."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def build_apkg(content: Path, out: Path, epoch: int, monkeypatch) -> Path:
    """Build the decks of `content` into `out` with SOURCE_DATE_EPOCH=epoch; the path of the one deck."""
    from conftest import build_files

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    (name,) = build_files(content, out, only=["anki"], force=True)
    return out / name


def import_apkg(col: Collection, apkg: Path):
    request = ImportAnkiPackageRequest(
        package_path=str(apkg),
        options=ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True),
    )
    return col.import_anki_package(request).log
