"""The Anki deck builder: `<slug>.apkg`, one note per question, updating in place on re-import."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import sqlite3
import tempfile
import time
import zipfile

import genanki

from generator.builders import Builder, BuildOptions, Output, register
from generator.builders.anki.fields import article_line, note_fields, text
from generator.builders.anki.notetypes import NOTE_TYPES, model
from generator.model import ArticleSet

DEFAULT_PARENT = "Articles"


def deck_id(slug: str) -> int:
    """A stable deck id from the slug (Anki ids are positive 63-bit numbers)."""
    return int.from_bytes(hashlib.sha256(f"quizgen deck {slug}".encode()).digest()[:8], "big") >> 2 | (1 << 40)


def deck_name(found: ArticleSet, parent: str | None) -> str:
    """`<parent>::<title>`; `::` inside the title would make subdecks, so it is replaced."""
    title = " ".join(found.article.meta.title.replace("::", ":").split())
    return f"{parent or found.deck_parent or DEFAULT_PARENT}::{title}"


def tags(found: ArticleSet, kind: str, tests: str, own: tuple[str, ...]) -> list[str]:
    """The article slug, the kind, event or claim, and the question's own tags (no duplicates).

    Anki separates tags with spaces, so a space inside a tag becomes a hyphen.
    """
    result: list[str] = []
    for tag in (found.article.slug, kind, tests, *(t.replace(" ", "-") for t in own)):
        if tag not in result:
            result.append(tag)
    return result


@register
class AnkiBuilder(Builder):
    name = "anki"
    format = "Anki package (.apkg)"

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        slug = found.article.slug
        meta = found.article.meta
        description = article_line(found.article) + (f"<br>{text(meta.subtitle)}" if meta.subtitle else "")
        deck = genanki.Deck(deck_id(slug), deck_name(found, options.deck_parent), description)
        for q in found.questions:
            deck.add_model(model(q.kind))
            deck.add_note(
                genanki.Note(
                    model=model(q.kind),
                    fields=note_fields(found, q),
                    tags=tags(found, q.kind, q.tests, q.tags),
                    guid=genanki.guid_for(slug, q.id),
                )
            )
        return [Output(f"{slug}.apkg", package_bytes(genanki.Package(deck), options.timestamp))]


def package_bytes(package: genanki.Package, timestamp: float) -> bytes:
    """The .apkg as bytes: the same notes and timestamp always give the same bytes.

    genanki's own write_to_file stamps the zip entries with the current time; we write the
    collection with its write_to_db and zip it with fixed entry times.
    """
    fd, db_path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        conn = sqlite3.connect(db_path)
        try:
            # a scratch file, read back at once: no journal, no waiting for the disk
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            # note and card ids count up from the time stamp, as genanki's own write_to_file does
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with open(db_path, "rb") as f:
            collection = f.read()
    finally:
        os.unlink(db_path)
    stamp = time.gmtime(max(timestamp, 315532800))[:6]  # zip times start in 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buffer.getvalue()


__all__ = ["AnkiBuilder", "NOTE_TYPES", "deck_id", "deck_name"]
