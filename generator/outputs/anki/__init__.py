"""The Anki deck builder: `<slug>.apkg`, one note per question, updating in place on re-import.

Besides the package it returns the article's new `anki.lock` (see generator/pipeline/lockfile.py): each
note keeps its stamp until its content changes, so a re-import updates exactly the changed notes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring as _json_string  # what json.dumps uses when ensure_ascii=False
from operator import methodcaller

import genanki

from generator.errors import Problem
from generator.i18n import N_, SOURCE, gettext_for, ui_language
from generator.model import ArticleSet, Attribution, Question
from generator.outputs import Builder, BuildOptions, Output, Remarks, register
from generator.outputs.anki.fields import Contexts, article_line, legacy_fields, note_fields, source_fields, text
from generator.outputs.anki.notetypes import FIELDS, NOTE_TYPES, NoteType, model, model_hash, note_type, withdrawn_body
from generator.outputs.anki.package import Note, _id, apkg, collection
from generator.pipeline.lockfile import LOCK_FILE, Lock, LockChanges, LockedNote, identity_warnings, lock_changes

DEFAULT_PARENT = "Articles"
RETIRED = "quizgen::retired"
# The text of a withdrawn note, in the deck's language: the word (a cloze note's deletion) and the rest
WITHDRAWN_WORD = N_("Withdrawn")
WITHDRAWN = N_("%(withdrawn)s: the author removed this question from the deck. Its card can be suspended or deleted.")


def withdrawn_text(language: str, cloze: bool) -> str:
    """A withdrawn note's text (HTML): English, or the deck's language where it has a catalogue."""
    _ = gettext_for(language)
    word = html.escape(_(WITHDRAWN_WORD), quote=False)
    return html.escape(_(WITHDRAWN), quote=False) % {"withdrawn": "{{c1::" + word + "}}" if cloze else word}


def deck_id(slug: str) -> int:
    """A stable deck id from the slug (Anki ids are positive 63-bit numbers)."""
    return int.from_bytes(hashlib.sha256(f"quizgen deck {slug}".encode()).digest()[:8], "big") >> 2 | (1 << 40)


def deck_title(title: str) -> str:
    """The title as one deck name part: `::` (or `:::` ...) would make subdecks, blank parts too."""
    while "::" in title:
        title = title.replace("::", ":")
    return " ".join(title.split()).strip(":").strip() or "Untitled"


def deck_name(found: ArticleSet, parent: str | None) -> str:
    """`<parent>::<title>`."""
    return f"{(parent or found.deck_parent or DEFAULT_PARENT).strip()}::{deck_title(found.article.meta.title)}"


def tags(found: ArticleSet, kind: str, tests: str, own: tuple[str, ...], language: str = SOURCE) -> list[str]:
    """quizgen's own tags under `quizgen::`, then the question's tags as written (no duplicates).

    Anki separates tags with spaces, so a space inside a tag becomes a hyphen. A deck in another
    language than English is tagged `quizgen::lang::<language>`: the card templates (shared by every
    deck) read it to show their labels in that language and direction.
    """
    return list(_tags(found.article.slug, kind, tests, own, language))


_HYPHENATED = methodcaller("replace", " ", "-")  # a tag as Anki takes it (str.replace without a Python loop)


@lru_cache(maxsize=4096)
def _tags(slug: str, kind: str, tests: str, own: tuple[str, ...], language: str) -> tuple[str, ...]:
    """`tags`, made once for the many notes of an article that share their kind, test and tags."""
    mine: tuple[str, ...] = (f"quizgen::{slug}", f"quizgen::kind::{kind}", f"quizgen::tests::{tests}")
    if language != SOURCE:
        mine += (f"quizgen::lang::{language}",)
    return tuple(dict.fromkeys((*mine, *map(_HYPHENATED, own))))


@dataclass
class Planned:
    """A note to write: what it holds, and its line in the new lock file."""

    type: NoteType
    fields: dict[str, str]
    tags: list[str]
    locked: LockedNote
    due: int


# Fields that say where the article appeared: the same on every note of the article, and left out of
# each note's content hash, so that a new title or URL re-stamps no note (README, "The lock file").
SOURCE_FIELDS = ("Article", "Publication", "PublishedOn", "URL")
# `Id` (`slug/id`) is the note's identity, as its GUID: not what it says
_HASHED = tuple(f for f in FIELDS if f not in SOURCE_FIELDS and f != "Id")
_BLANKS = ("",) * len(FIELDS)  # the default of each field: map(fields.get, names, _BLANKS)
_MARKUP = re.compile(r"<[^>]*>")


def _text_of(value: str) -> str:
    """What a field says, without its markup: the text between tags, each tag a boundary.

    `<p>a</p>` and `<p class="x">a</p>` say the same; `<li>a</li><li>b</li>` and `<li>ab</li>` do
    not. So a release that changes the HTML around the text (the cards' look) re-stamps no note."""
    if "<" not in value:  # most fields: no markup, often no entity either (the same as the split below)
        return value if "&" not in value else html.unescape(value)
    if "&" not in value:  # no entity in any part: the parts as they are, without a Python loop
        return "\x1f".join(filter(None, _MARKUP.split(value)))
    return "\x1f".join([part if "&" not in part else html.unescape(part) for part in _MARKUP.split(value) if part])


def _content_hash(t: NoteType, fields: dict[str, str], tag_list: list[str]) -> str:
    """A hash of what the note says. It is in every anki.lock: it must never change for the same note.

    The hashed text is `json.dumps(["v2", model id, [text of field, ...], sorted tags],
    ensure_ascii=False)` over the fields but SOURCE_FIELDS, each field's text as `_text_of` gives
    it, written out with json's own string encoder (tests/test_anki.py checks it against dumps)."""
    # (the fields' values by map, as the tags': the loop's work is only the fields that say something)
    values = ", ".join([_json_string(_text_of(value)) if value else '""' for value in map(fields.get, _HASHED, _BLANKS)])
    text = f'["v2", {t.model_id}, [{values}], [{", ".join(map(_json_string, sorted(tag_list)))}]]'
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _legacy_hash(t: NoteType, fields: dict[str, str], tag_list: list[str]) -> str:
    """The content hash of quizgen before `_content_hash` (every field, markup included): a lock
    written then still keeps its stamps when the note is the same."""
    text = (f"[{t.model_id}, [{', '.join([_json_string(fields.get(f, '')) for f in FIELDS])}], "
            f"[{', '.join([_json_string(tag) for tag in sorted(tag_list)])}]]")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _older_hashes(found: ArticleSet, q: Question, t: NoteType, fields: dict[str, str], tag_list: list[str],
                  language: str, source: dict[str, str]) -> tuple[str, ...]:
    """The note's hash as older quizgens wrote it: every field with its markup; and an attribution's
    generated wrong choices in the order of the question files (before they were sorted)."""
    older: tuple[str, ...] = (_legacy_hash(t, legacy_fields(found, q, fields), tag_list),)
    if isinstance(q, Attribution) and q.file_order:
        as_filed = dataclasses.replace(q, distractors=q.file_order)
        in_files = note_fields(found, as_filed, language, source)
        older += (_content_hash(t, in_files, tag_list), _legacy_hash(t, legacy_fields(found, as_filed, in_files), tag_list))
    return older


def _guid(slug: str, qid: str, t: NoteType, earlier: Sequence[LockedNote],
          type_of: Callable[[str], NoteType] = note_type) -> str:
    """The note's GUID: the same as before for the same note type; a new one when it changed type.
    (`type_of` is `note_type`, or a memo of it.)"""
    for n in earlier:
        same = type_of(n.kind)
        if same is t or same == t:  # `is`: the usual answer, without the dataclass's __eq__
            return n.guid
    first = genanki.guid_for(slug, qid)
    return first if not earlier else genanki.guid_for(slug, qid, t.name)


def _stamp(old: LockedNote | None, content: str, now: int, changed: int, legacy: Callable[[], tuple[str, ...]]) -> int:
    """A new note's stamp is `now`; a note keeps its old stamp while its content is the same, else it
    gets `changed`, and always a stamp newer than its old one.

    `legacy` gives the note's hashes as older quizgens wrote them (asked only when the hash differs)."""
    if old is None:
        return now
    if old.hash == content or old.hash in legacy():
        return old.stamp
    return max(changed, old.stamp + 1)


class _TypeOf(dict[str, NoteType]):
    """`note_type`, asked once per kind (for one article: the registry may change between builds)."""

    __call__ = dict.__getitem__

    def __missing__(self, kind: str) -> NoteType:
        self[kind] = t = note_type(kind)
        return t


def plan(found: ArticleSet, now: int, ui: str | None = None, clock: int | None = None) -> list[Planned]:
    """Every note of the deck, the retired ones last, with their stamps; quizgen's words in `ui`, else
    in the article's language.

    A new note is stamped `now` (SOURCE_DATE_EPOCH when set: reproducible); a changed one at least
    `clock` too, the time of the build: a learner's own edit or tag in Anki (stamped with their
    clock) must not hide a later fix built with an older pinned SOURCE_DATE_EPOCH."""
    changed = max(now, clock or 0)
    slug = found.article.slug
    lock = found.anki_lock
    by_guid = {n.guid: n for n in lock.notes}
    by_id: dict[str, list[LockedNote]] = {}
    for n in lock.notes:
        by_id.setdefault(n.id, []).append(n)
    for earlier in by_id.values():
        if len(earlier) > 1:  # (most ids have one note: no sort of every note, each id's notes in order)
            earlier.sort()
    notes: list[Planned] = []
    language = ui_language(found.article.meta.language, ui)
    source = source_fields(found.article)
    type_of = _TypeOf()
    contexts: Contexts = {}
    for due, q in enumerate(found.in_article_order(), start=1):
        t = type_of(q.kind)
        guid = _guid(slug, q.id, t, by_id.get(q.id, ()), type_of)
        fields = note_fields(found, q, language, source, contexts)
        tag_list = tags(found, q.kind, q.tests, q.tags, language)
        h = _content_hash(t, fields, tag_list)
        old = by_guid.get(guid)
        if old is not None and old.hash == h:  # the same note as in the lock (most): _stamp's answer, at once
            stamp = old.stamp
        else:
            stamp = _stamp(old, h, now, changed,
                           lambda: _older_hashes(found, q, t, fields, tag_list, language, source))  # noqa: B023 (called at once)
        locked = LockedNote(q.id, q.kind, False, stamp, h, guid)
        notes.append(Planned(t, fields, tag_list, locked, due))
    live = {p.locked.guid for p in notes}
    for n in sorted([n for n in lock.notes if n.guid not in live]):  # the withdrawn, in order
        t = note_type(n.kind)
        # a cloze note keeps one deletion, so its first card stays a card
        said = withdrawn_text(language, t.cloze)
        fields = {"Id": text(f"{slug}/{n.id}"), "Kind": n.kind, **withdrawn_body(n.kind, said), **source}
        before = {"Id": text(n.id), "Kind": n.kind, "Text" if t.cloze else "Question": said, **source}  # older quizgen
        # in the deck's language and direction, as its other notes (no tag for English: unchanged)
        tag_list = [f"quizgen::{slug}", RETIRED, *([f"quizgen::lang::{language}"] if language != SOURCE else [])]
        h = _content_hash(t, fields, tag_list)
        stamp = _stamp(n, h, now, changed, lambda: (_legacy_hash(t, before, tag_list),))  # noqa: B023 (called at once)
        locked = LockedNote(n.id, n.kind, True, stamp, h, n.guid)
        notes.append(Planned(t, fields, tag_list, locked, len(notes) + 1))
    return notes


def deck_description(found: ArticleSet) -> str:
    meta = found.article.meta
    parts = [article_line(found.article)]
    if meta.subtitle:
        parts.append(text(meta.subtitle))
    parts += [text(v) for v in (meta.publication, meta.date, meta.url) if v]
    return "<br>".join(parts)


def _used(notes: list[Planned]) -> list[NoteType]:
    """The note types of `notes`, by id (found by id: a NoteType's hash is a call in Python, here one a note)."""
    used = {p.type.model_id: p.type for p in notes}
    return [used[mid] for mid in sorted(used)]


def locked(found: ArticleSet, now: int, deck_parent: str | None = None, ui: str | None = None,
           clock: int | None = None) -> tuple[str, list[Planned], dict[int, tuple[str, int]], Lock]:
    """The deck's name, its notes, its note types' (hash, stamp) by id, and the article's new lock."""
    lock = found.anki_lock
    name = lock.deck or deck_name(found, deck_parent)
    notes = plan(found, now, ui, clock)
    types: dict[int, tuple[str, int]] = {}
    for t in _used(notes):
        h = model_hash(t)
        old = lock.notetypes.get(t.model_id)
        types[t.model_id] = (h, old[1] if old and old[0] == h else max(now, old[1] + 1) if old else now)
    return name, notes, types, Lock(name, types, tuple(p.locked for p in notes), slug=found.article.slug)


def lock_problems(found: ArticleSet, path: str) -> list[Problem]:
    """`check --locked`: an error when the article's anki.lock (at `path`) is missing or a build would
    change it. (A damaged line is already an error of loading.)"""
    if found.anki_lock.text is None:
        return [Problem(path, 1, 1, f"{LOCK_FILE} is missing: run quizgen build and commit it with the questions "
                                    "(if learners have this deck, restore it from version control instead)")]
    changes = lock_changes(found.anki_lock, locked(found, 0)[3])
    if not changes:
        return []
    return [Problem(path, 1, 1, f"{LOCK_FILE} is out of date: {changes.describe()}; run quizgen build and commit it")]


RESTAMP_MANY, RESTAMP_SHARE = 10, 0.2  # a build re-stamping more notes than this says so loudly


def restamp_warning(found: ArticleSet, changes: LockChanges, rebuilt: bool, total: int) -> str | None:
    """The loud warning of a build that re-stamps many notes (which learners' imports then replace,
    with their Notes and tags), naming the cause; None when it re-stamps few.

    Many: more than RESTAMP_MANY notes, or more than RESTAMP_SHARE of the article's notes and at
    least 3. A missing lock warns only for an article built before (`rebuilt`): a new article's
    notes all get first stamps, as they should."""
    if changes.missing:
        if not rebuilt or not changes.added:
            return None
        return (f"{LOCK_FILE} is missing, and this article was built before: all {len(changes.added)} notes get new "
                "stamps, and every learner's next import replaces them, their own Notes and tags included. "
                f"Restore {LOCK_FILE} from version control (git checkout -- {LOCK_FILE}) and build again")
    count = len(changes.restamped)
    if count <= RESTAMP_MANY and (count <= RESTAMP_SHARE * max(total, 1) or count < 3):
        return None
    return (f"this build re-stamps {count} of {total} notes ({changes.describe()}): their text or tags changed, so "
            "every learner's next import replaces them, their own Notes and tags included. If you did not mean "
            "to change them all, look for what they share (a question file's tags, a template) before you commit "
            f"{LOCK_FILE}")


@register
class AnkiBuilder(Builder):
    name = "anki"
    format = "Anki package (.apkg)"
    outputs = ("{slug}.apkg",)
    keeps = (LOCK_FILE,)  # written into the article's folder, beside its questions
    for_students = True  # quizgen serve gives it to students
    link_rank = 30  # after the study page and the quizzes

    @classmethod
    def links(cls, slug: str, names: set[str], language: str, teacher: bool) -> list[tuple[str, str]]:
        name = f"{slug}.apkg"
        _ = gettext_for(language)
        return [(_("Anki deck"), name)] if name in names else []

    def remarks(self, found: ArticleSet, options: BuildOptions) -> Remarks:
        """Say so when the deck keeps the name of its first build rather than the parent asked for now."""
        kept = found.anki_lock.deck
        parent = options.deck_parent
        asked = deck_name(found, parent)
        if not kept or kept == asked:
            return Remarks()
        where = f"--deck-parent {parent!r}" if parent else f"deck_parent {found.deck_parent!r}" if found.deck_parent else "the title"
        return Remarks(warnings=(
            f"the deck of '{found.article.slug}' stays {kept!r} (not {asked!r} as {where} would name it): a deck keeps the "
            "name of its first build so that learners' cards stay together; to move it, rename it in Anki and delete "
            f"the 'deck' line of {found.article.slug}/anki.lock",))

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        slug = found.article.slug
        now = int(options.now if options.now is not None else options.timestamp)
        name, notes, types, new_lock = locked(found, now, options.deck_parent, options.ui_language, options.clock)
        deck = genanki.Deck(deck_id(slug), name, deck_description(found))
        for t in _used(notes):
            deck.add_model(model(t))
        models = {t.model_id: model(t) for t in NOTE_TYPES.values()}
        stamps: dict[str, tuple[int, int]] = {}
        for p in notes:
            deck.notes.append(Note(models[p.type.model_id], list(map(p.fields.get, FIELDS, _BLANKS)), p.tags, p.locked.guid, p.due))
            stamps[p.locked.guid] = (_id("quizgen note", p.locked.guid), p.locked.stamp)
        newest = new_lock.newest
        withdrawn = frozenset(p.locked.guid for p in notes if p.locked.retired)  # left out: see package.collection
        data = apkg(collection(deck, stamps, {mid: stamp for mid, (_, stamp) in types.items()}, newest, withdrawn), newest)
        lock_text = new_lock.to_text()
        changes = lock_changes(found.anki_lock, new_lock, lock_text)
        warning = restamp_warning(found, changes, options.rebuilt, len(notes))
        warnings = ((warning,) if warning else ()) + tuple(identity_warnings(found.anki_lock, new_lock))
        return [Output(f"{slug}.apkg", data),
                Output(LOCK_FILE, lock_text.encode("utf-8"), beside_content=True,
                       warnings=warnings, changes=changes.describe() if changes else "")]


__all__ = ["AnkiBuilder", "NOTE_TYPES", "deck_id", "deck_name"]
