"""The .apkg of a genanki deck: its collection written in memory with one `executemany` per table.

genanki stays the authority on what goes in: the schema and the `col` row are its own
(`APKG_SCHEMA`, `APKG_COL`), the deck and note types are its `Deck.to_json` and `Model.to_json`,
each note's row is read from its `Note`'s public members (GUID, fields, tags, sort field, the field
count checked as genanki checks it). What differs from `Package.write_to_db` is only how the rows
get there, and each note's stamp and ids:

- one `executemany` per table into an in-memory database, serialized to bytes, instead of one
  `execute` per row into a temporary file read back from disk (the schema is run once per
  process, and every package starts from a copy of that empty collection);
- each note and its cards get their own stamp (from anki.lock) and ids derived from the GUID
  (never 0, never moving: see `_id`), where genanki stamps everything with one time and numbers
  rows from a counter; each note type gets its own stamp;
- a note's cards follow genanki's rule (`Note.cards`), but the note type's part of it (its required
  fields, the fields its cloze template reads) is worked out once per note type, not for every note,
  with genanki's own `Model._req` and `Note._cloze_cards`' expressions (see `cards`; tests/test_anki_fields.py
  checks it against `Note.cards`);
- a note type's JSON (its `to_json`) is dumped once per process and the deck id and stamp put into
  that text (`notetypes.model_json`): the same text as dumping it for every package;
- the builder hands over its notes as `Note`s: a `genanki.Note`'s public members without genanki's
  checks on every assignment (the tags' check, no space in a tag, is made in `note_row`);
- genanki's check that warns about fields that look like unescaped HTML runs in the tests
  (tests/test_anki_golden.py, tests/test_anki.py), not on every build: quizgen's fields are
  escaped by construction (fields.text).

The packages hold exactly what genanki's write path gave (tests/test_anki_golden.py compares them,
read back through the official `anki` backend and as SQL, with dumps made before this writer).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from functools import cache

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from generator.outputs.anki.notetypes import NOTE_TYPES, model, model_json

ZIP_FIRST, ZIP_LAST = 315532800, 4354819199  # the times a zip entry can hold: 1980 to 2107
# The rows' columns that are the same for every note and card as genanki writes them (usn -1, csum,
# flags, type, queue, ivl ... 0, data '') are in the statements: the same values stored, not bound a row.
_NOTE_ROW = "INSERT INTO notes VALUES(?,?,?,?,-1,?,?,?,0,0,'')"
_CARD_ROW = "INSERT INTO cards VALUES(?,?,?,?,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')"
# Connection.serialize and .deserialize are Python 3.11+; 3.10 goes through a temporary file
SERIALIZE = hasattr(sqlite3.Connection, "serialize")


def _id(*key: str) -> int:
    """A stable id for a note or card: never 0, and below 2^53 so JavaScript reads it exactly."""
    return int.from_bytes(hashlib.sha256("\x1f".join(key).encode()).digest()[:6], "big") | (1 << 48)


@cache
def _empty() -> bytes:
    """genanki's empty collection (its schema and `col` row), made once per process."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(APKG_SCHEMA)
        conn.executescript(APKG_COL)
        return bytes(conn.serialize())  # type: ignore[attr-defined,unused-ignore]
    finally:
        conn.close()


def _new_collection() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    if SERIALIZE:
        conn.deserialize(_empty())  # type: ignore[attr-defined,unused-ignore]
    else:
        conn.executescript(APKG_SCHEMA)
        conn.executescript(APKG_COL)
    return conn


def _to_bytes(conn: sqlite3.Connection) -> bytes:
    if SERIALIZE:
        return bytes(conn.serialize())  # type: ignore[attr-defined,unused-ignore]
    fd, path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        copy = sqlite3.connect(path)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        with open(path, "rb") as f:
            data = f.read()
    finally:
        os.unlink(path)
    # The backup sets the copy's schema cookie (header bytes 40-43) to 1 where `serialize` keeps the
    # source's count of schema changes: the only byte that differed between Python 3.10 and 3.11+.
    cookie = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    return data[:40] + cookie.to_bytes(4, "big") + data[44:]


_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)  # genanki's, in Note._cloze_cards


@cache
def _required(m: genanki.Model) -> tuple[tuple[int, bool, tuple[int, ...]], ...]:
    """A front/back note type's part of genanki's rule for a note's cards, from genanki's own `Model._req`:
    (card ord, whether all or any of the fields are needed, their ords) for each card."""
    return tuple((card_ord, which == "all", tuple(ords)) for card_ord, which, ords in m._req)


@cache
def _cloze_fields(m: genanki.Model) -> tuple[int, ...]:
    """A cloze note type's part of genanki's rule for a note's cards: the ords of the fields its front
    template reads as cloze (-1 for a name it lacks), found with `Note._cloze_cards`' own expressions.
    genanki searches the whole template (its script included) again for every note: ten times the
    rest of the note's cost."""
    qfmt = m.templates[0]["qfmt"]
    named = set(re.findall(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}", qfmt) + re.findall("<%cloze:(.+?)%>", qfmt))
    names = [f["name"] for f in m.fields]
    return tuple(names.index(name) if name in names else -1 for name in named)


def cards(note: genanki.Note | Note) -> set[int]:
    """The ords of the note's cards by genanki's rule (`Note.cards`), the note type's part of it worked
    out once per note type (tests/test_anki_fields.py checks them against `Note.cards`), after the check
    genanki's write path makes: as many fields as its note type."""
    if len(note.fields) != len(note.model.fields):
        raise ValueError(f"Number of fields in Model does not match number of fields in Note: {note.model} has "
                         f"{len(note.model.fields)} fields, but {note} has {len(note.fields)} fields.")
    fields = note.fields
    if note.model.model_type == note.model.FRONT_BACK:
        return {card_ord for card_ord, every, ords in _required(note.model) if (all if every else any)(map(fields.__getitem__, ords))}
    # a cloze note without a deletion has no card: genanki compares its set with `{}` (a dict), never equal
    return {int(n) - 1 for i in _cloze_fields(note.model) for n in _CLOZE_NUMBER.findall(fields[i] if i >= 0 else "")
            if int(n) > 0}


@dataclass(slots=True)
class Note:
    """A note as `collection` reads it: the public members of a `genanki.Note` (which it also takes)
    without the checks genanki makes on every assignment to them (a property and a checked list
    of tags per note: half the CPU of writing its row); `note_row` makes the check of the tags."""

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    due: int = 0

    @property
    def sort_field(self) -> str:
        return self.fields[self.model.sort_field_index]  # genanki's, when no sort field is given


def note_row(note: genanki.Note | Note, note_id: int, stamp: int) -> tuple:
    """A note's row in the collection's `notes` table, as genanki's `Note.write_to_db` writes it: tags
    between spaces, fields joined by the unit separator (Anki's collection format), from public members;
    a tag with a space is genanki's error (`_TagList`). Without the columns `_NOTE_ROW` writes itself."""
    if " " in "".join(note.tags):  # some tag has one
        raise ValueError(f'Tag "{next(t for t in note.tags if " " in t)}" contains a space; this is not allowed!')
    tags = " " + " ".join(note.tags) + " "
    return note_id, note.guid, note.model.model_id, stamp, tags, "\x1f".join(note.fields), note.sort_field


def _model_json(m: genanki.Model, deck_id: int, stamp: int, newest: int) -> str:
    """`json.dumps` (keys sorted) of the note type's `to_json` with its own stamp as `mod`: for quizgen's
    note types, their dump made once per process around the deck id and stamp (`notetypes.model_json`)."""
    for t in NOTE_TYPES.values():
        if m is model(t) and (parts := model_json(t)) is not None:
            return f"{parts[0]}{deck_id}{parts[1]}{stamp}{parts[2]}"
    data = m.to_json(newest, deck_id)
    data["mod"] = stamp
    return json.dumps(data, sort_keys=True)


def collection(deck: genanki.Deck, stamps: dict[str, tuple[int, int]], model_stamps: dict[int, int], newest: int,
               withdrawn: frozenset[str] = frozenset()) -> bytes:
    """The collection file (`collection.anki2`) of `deck`, as bytes; the notes whose GUIDs are in
    `withdrawn` without their cards.

    `stamps` gives each note's id and stamp by GUID, `model_stamps` each note type's stamp; `newest`
    is the time genanki's own write would have stamped everything with (the note types' JSON keeps
    it nowhere else)."""
    conn = _new_collection()
    try:
        decks_json, models_json = conn.execute("SELECT decks, models FROM col").fetchone()
        decks = json.loads(decks_json)
        decks[str(deck.deck_id)] = deck.to_json()
        models = {mid: json.dumps(data, sort_keys=True) for mid, data in json.loads(models_json).items()}
        for note in deck.notes:
            deck.add_model(note.model)
        for m in deck.models.values():
            models[str(m.model_id)] = _model_json(m, deck.deck_id, model_stamps[m.model_id], newest)
        # json.dumps(models, sort_keys=True) of the models' dumps
        text = "{" + ", ".join(f"{json.dumps(mid)}: {models[mid]}" for mid in sorted(models)) + "}"
        conn.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(decks), text))
        note_rows, card_rows = [], []
        for note in deck.notes:
            guid = note.guid
            note_id, stamp = stamps[guid]
            note_rows.append(note_row(note, note_id, stamp))
            ords = cards(note)  # genanki's check of the fields, a withdrawn note's too
            if guid in withdrawn:
                # a withdrawn note comes without cards: a learner who has it keeps their card
                # (the note's text is updated), someone importing the deck anew never meets it
                continue
            card_rows += [(_id("quizgen card", guid, str(card_ord)), note_id, deck.deck_id, card_ord, stamp, note.due)
                          for card_ord in ords]
        note_rows.sort()
        card_rows.sort()
        conn.executemany(_NOTE_ROW, note_rows)
        conn.executemany(_CARD_ROW, card_rows)
        conn.commit()
        return _to_bytes(conn)
    finally:
        conn.close()


ZIP_LEVEL = 1  # zlib's fastest: half the time of its default (6), packages about a fifth larger


def apkg(collection_bytes: bytes, newest: int) -> bytes:
    """The .apkg: the collection and an empty media map, zipped with fixed entry times.

    Deflated at level 1: on the benchmark's 40 articles, 1.38 MB of packages in 73 ms against
    1.13 MB in 153 ms at zlib's default (genanki itself stores them: 8.3 MB)."""
    stamp = time.gmtime(min(max(newest, ZIP_FIRST), ZIP_LAST))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("collection.anki2", collection_bytes), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()
