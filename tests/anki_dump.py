"""What an .apkg holds, as plain JSON: to compare packages by content, not by bytes (issue 18).

    python tests/anki_dump.py PACKAGE.apkg             # print the dump of one package
    python tests/anki_dump.py --write-goldens          # rebuild tests/golden/*-anki.json

`dump(apkg)` reads a package twice: through the official `anki` backend (imported into a fresh
collection, as a learner's Anki does: note types with their fields, templates, CSS, ids and
stamps; decks; notes with their GUIDs, stamps, tags and fields; cards with their notes'
GUIDs, ordinals, decks, stamps, queues and due numbers; the importer gives notes and cards ids of
its own, so the package's ids are compared in the raw part) and as the raw SQL of its `collection.anki2` (every row of
every table, the `col` row's JSON parsed, the schema), plus the zip's entry names and the media
map. A golden also holds the anki.lock the build wrote. Two packages with equal dumps are the same deck for Anki and for a learner, whatever their
bytes (sqlite page layout, zlib output).

The goldens in tests/golden/ were made by quizgen at 7957e5e (before the Anki writer was rewritten
for speed) and tests/test_anki_golden.py compares today's packages with them. When a change of the
card templates, the CSS or the fields is MEANT to change the packages, regenerate them with
`--write-goldens` (SOURCE_DATE_EPOCH is fixed inside) and review the diff like any output change.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
EPOCH = 1_700_000_000
_JSON_COLUMNS = ("conf", "models", "decks", "dconf", "tags")


def _short(value):
    """Long strings (fields, templates, CSS) as their SHA-256: the backend part shows them in full."""
    if isinstance(value, str) and len(value) > 120:
        return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()
    if isinstance(value, list):
        return [_short(v) for v in value]
    if isinstance(value, dict):
        return {k: _short(v) for k, v in value.items()}
    return value


def raw(apkg: Path) -> dict:
    """Every row of the package's collection, its schema, and the zip's entries (long strings
    as their SHA-256)."""
    with zipfile.ZipFile(apkg) as z:
        names = z.namelist()
        collection = z.read("collection.anki2")
        media = json.loads(z.read("media"))
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(collection)
        schema = sorted(r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
        tables: dict[str, list] = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            cursor = conn.execute(f"SELECT * FROM {table}")  # noqa: S608 (names from the schema)
            columns = [d[0] for d in cursor.description]
            rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
            if table == "col":
                rows = [{k: json.loads(v) if k in _JSON_COLUMNS else v for k, v in row.items()} for row in rows]
            rows = [_short(r) for r in rows]
            tables[table] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    finally:
        conn.close()
    return {"zip": names, "media": media, "schema": schema, "tables": tables}


def backend(apkg: Path) -> dict:
    """The package as the official Anki backend reads it into a fresh collection."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder = Path(tempfile.mkdtemp(prefix="anki-dump-"))
    col = Collection(str(folder / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
        log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options)).log
        deck_names = {d.id: d.name for d in col.decks.all_names_and_ids()}
        notetypes = []
        for m in sorted(col.models.all(), key=lambda m: m["id"]):
            if not col.models.use_count(m):
                continue  # Anki's own stock note types
            notetypes.append({
                "id": m["id"], "name": m["name"], "type": m["type"], "mod": m["mod"], "sortf": m["sortf"],
                "css": m["css"], "fields": [f["name"] for f in m["flds"]],
                "templates": [{"name": t["name"], "ord": t["ord"], "qfmt": t["qfmt"], "afmt": t["afmt"]}
                              for t in m["tmpls"]],
            })
        # the importer gives new notes and cards ids of its own (from the clock): name them by GUID
        notes, guids = [], {}
        for nid in col.find_notes(""):
            n = col.get_note(nid)
            guids[nid] = n.guid
            notes.append({"guid": n.guid, "mid": n.mid, "mod": n.mod, "tags": list(n.tags),
                          "fields": dict(zip(n.keys(), n.fields))})
        cards = []
        for cid in col.find_cards(""):
            c = col.get_card(cid)
            cards.append({"note": guids[c.nid], "ord": c.ord, "deck": deck_names[c.did], "mod": c.mod,
                          "type": c.type, "queue": c.queue, "due": c.due})
        notes.sort(key=lambda n: n["guid"])
        cards.sort(key=lambda c: (c["note"], c["ord"]))
        decks = []
        for deck_id, name in sorted(deck_names.items(), key=lambda d: d[1]):
            d = col.decks.get(deck_id)
            if name != "Default" or d["desc"]:
                decks.append({"name": name, "desc": d["desc"]})
        return {"log": {"new": len(log.new), "updated": len(log.updated), "duplicate": len(log.duplicate),
                        "conflicting": len(log.conflicting)},
                "notetypes": notetypes, "decks": decks, "notes": notes, "cards": cards}
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)


def dump(apkg: Path) -> dict:
    return {"backend": backend(apkg), "raw": raw(apkg)}


# ---- the packages the goldens are made of ------------------------------------------------------

def _build(content: Path, out: Path) -> Path:
    """Build the one article of `content` (Anki only) with SOURCE_DATE_EPOCH fixed; its package."""
    import os

    import generator.pipeline.build
    from generator.pipeline.build import build

    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    clock = generator.pipeline.build.wall_clock
    generator.pipeline.build.wall_clock = lambda: EPOCH  # changed notes get the build's time: fixed too
    try:
        build(content, out, only=["anki"], force=True, jobs=1)
    finally:
        generator.pipeline.build.wall_clock = clock
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    (apkg,) = out.glob("*.apkg")
    return apkg


def bundled(tmp: Path) -> Path:
    """The bundled article with its committed anki.lock."""
    shutil.copytree(BUNDLED, tmp / "content" / BUNDLED.name)
    return _build(tmp / "content", tmp / "out")


def history(tmp: Path) -> Path:
    """The bundled article after months of edits, as its anki.lock says: stamps that must move and
    stamps that must stay, a question deleted (retired, suspended), one that became a cloze (a new
    note beside the retired one), note types whose templates changed since."""
    folder = tmp / "content" / BUNDLED.name
    shutil.copytree(BUNDLED, folder)
    lines = (folder / "anki.lock").read_text(encoding="utf-8").splitlines()
    out, edited = [], 0
    for line in lines:
        parts = line.split("\t")
        if parts[0] == "notetype":
            parts[2], parts[3] = "0000000000000000", str(EPOCH - 500)  # older templates: a newer stamp
        elif parts[0] == "note" and parts[2] != "cloze" and edited < 2:
            parts[4], parts[5] = str(EPOCH + 100), "ffffffffffffffff"  # changed after a later stamp
            edited += 1
        out.append("\t".join(parts))
    out.append(f"note\tdeleted-question\tqa\tlive\t{EPOCH - 900}\t0123456789abcdef\tA1b2C3d4E5")
    out.append(f"note\tdeleted-cloze\tcloze\tlive\t{EPOCH - 800}\t0123456789abcdef\tZ9y8X7w6V5")
    (folder / "anki.lock").write_text("\n".join(out) + "\n", encoding="utf-8")
    return _build(tmp / "content", tmp / "out")


def synthetic(tmp: Path) -> Path:
    """The first article of the benchmark's synthetic library: every kind, templates, 40 questions."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate.main([str(tmp / "content"), "--articles", "1", "--questions", "40", "--seed", "1"])
    return _build(tmp / "content", tmp / "out")


SCENARIOS = {"bundled": bundled, "history": history, "synthetic": synthetic}


def scenario(name: str, tmp: Path) -> dict:
    """The dump of a scenario's package, and the anki.lock its build wrote beside the questions."""
    apkg = SCENARIOS[name](tmp)
    lock = (tmp / "content" / apkg.stem / "anki.lock").read_text(encoding="utf-8")
    return json.loads(to_text({**dump(apkg), "anki.lock": lock.splitlines()}))  # through JSON, as a golden


def golden(name: str) -> dict:
    return json.loads(golden_path(name).read_text(encoding="utf-8"))


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}-anki.json"


def to_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_goldens() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in SCENARIOS:
        with tempfile.TemporaryDirectory() as tmp:
            golden_path(name).write_text(to_text(scenario(name, Path(tmp))), encoding="utf-8")
        print(f"wrote {golden_path(name).relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-goldens"]:
        write_goldens()
    elif len(sys.argv) == 2:
        sys.stdout.write(to_text(dump(Path(sys.argv[1]))))
    else:
        sys.exit(__doc__)
