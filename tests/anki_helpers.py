"""Building decks and importing them with the official `anki` package (the real Anki backend)."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def build_apkg(content: Path, out: Path, epoch: int, monkeypatch) -> Path:
    """Build the decks of `content` into `out` with SOURCE_DATE_EPOCH=epoch; the path of the one deck."""
    from generator.build import build_library
    from generator.load import load_library
    from generator.write import write_outputs

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    outputs = [o for o in build_library(load_library(content)) if o.name.endswith(".apkg")]
    (written,) = write_outputs(out, outputs)
    return written


def import_apkg(col: Collection, apkg: Path):
    request = ImportAnkiPackageRequest(
        package_path=str(apkg),
        options=ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True),
    )
    return col.import_anki_package(request).log
