"""`quizgen anki sync` on the real Anki backend: every promise of the command, one test each."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from anki.collection import Collection
from conftest import FIXTURES
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import UsageError
from generator.outputs.anki.notetypes import NOTE_TYPES
from generator.tools.anki_sync.locate import anki_base, find_collection
from generator.tools.anki_sync.notetypes import PLACEHOLDER_DECK
from generator.tools.anki_sync.plan import RETIRED, plan_sync
from generator.tools.anki_sync.spec import ArticleNotes, NoteTypeSpec, PlannedNote, Template
from generator.tools.anki_sync.sync import apply_sync

runner = CliRunner()


@pytest.fixture
def lib(tmp_path):
    """A content folder with the mini article, and an empty collection beside it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    path = tmp_path / "profile" / "collection.anki2"
    path.parent.mkdir()
    Collection(str(path)).close()
    return content, path


def sync(content: Path, path: Path, *more: str):
    return runner.invoke(app, ["anki", "sync", str(content), "--collection", str(path), *more])


def edit(content: Path, old: str, new: str, name: str = "q.yaml") -> None:
    file = content / "mini" / name
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def note_of(col: Collection, question_id: str):
    (nid,) = [n for n in col.find_notes("") if col.get_note(n)["Id"].split("/")[-1] == question_id]
    return col.get_note(nid)


def review_all(col: Collection) -> int:
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)
    return col.db.scalar("select count() from revlog")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_sync_adds_every_note_in_the_article_deck_in_article_order(lib):
    content, path = lib
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert "deck 'Articles::A Small Article': create" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("9 added, 0 updated, 0 re-typed, 0 retired, 0 unchanged")
    col = Collection(str(path))
    try:
        did = col.decks.id_for_name("Articles::A Small Article")
        assert len(col.find_notes(f"did:{did}")) == 9
        ids = [col.get_note(col.get_card(c).nid)["Id"].split("/")[-1] for c in sorted(col.find_cards(""), key=lambda c: col.get_card(c).due)]
        assert ids[0] == "opened-when" and ids[-1] == "year-pillar"
        assert {m.name for m in col.models.all_names_and_ids()} >= {t.name for t in NOTE_TYPES.values()}
        assert "quizgen::mini" in note_of(col, "auditor").tags
    finally:
        col.close()
    assert [p.suffix for p in (path.parent / "backups").iterdir()] == [".colpkg"]  # Anki's backup, before the changes
    again = sync(content, path)
    assert again.stdout.splitlines()[-1].endswith("is up to date: 0 added, 0 updated, 0 re-typed, 0 retired, 9 unchanged")


def test_dry_run_prints_the_plan_and_leaves_the_file_bytes_unchanged(lib):
    content, path = lib
    sync(content, path)
    edit(content, "Who found that costs rose?", "Who found that the costs rose?")
    before, files = digest(path), sorted(path.parent.rglob("*"))
    result = sync(content, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "updated    mini/auditor (fields Question)" in result.stdout
    assert result.stdout.splitlines()[-1] == "dry run: would sync 0 added, 1 updated, 0 re-typed, 0 retired, 8 unchanged; nothing was changed"
    assert digest(path) == before
    assert sorted(path.parent.rglob("*")) == files  # no backup, no leftover file


def test_after_an_apkg_import_sync_matches_notes_note_types_and_deck(lib, tmp_path, monkeypatch):
    from anki_helpers import build_apkg, import_apkg

    content, path = lib
    col = Collection(str(path))
    import_apkg(col, build_apkg(content, tmp_path / "out", 1700000000, monkeypatch))
    decks = len(col.decks.all_names_and_ids())
    col.close()
    result = sync(content, path)
    assert result.stdout.splitlines()[-1].endswith("0 added, 0 updated, 0 re-typed, 0 retired, 9 unchanged"), result.output
    col = Collection(str(path))
    assert len(col.decks.all_names_and_ids()) == decks
    col.close()


def test_update_changes_quizgen_fields_only_and_keeps_a_moved_card_and_history(lib):
    content, path = lib
    sync(content, path)
    col = Collection(str(path))
    reviews = review_all(col)
    mine = col.decks.id("My own deck")
    auditor = note_of(col, "auditor")
    auditor.tags.append("my-tag")
    col.update_note(auditor)
    (card,) = auditor.cards()
    col.set_deck([card.id], mine)
    col.close()
    edit(content, "answer: Jane Roe", "answer: Jane Roe, the auditor")
    result = sync(content, path)
    assert "updated    mini/auditor (fields Answer, Choices)" in result.stdout, result.output
    col = Collection(str(path))
    try:
        auditor = note_of(col, "auditor")
        assert auditor["Answer"] == "Jane Roe, the auditor"
        assert "my-tag" in auditor.tags
        assert auditor.cards()[0].did == mine and auditor.cards()[0].id == card.id
        assert col.db.scalar("select count() from revlog") == reviews
    finally:
        col.close()


def v3_plan(article: ArticleNotes) -> ArticleNotes:
    """The mini notes re-planned under a new non-cloze note type "(v3)", as a later builder might."""
    fields: list[str] = []
    for n in article.notes:
        fields += [f for f, _ in n.fields if f not in fields]
    spec = NoteTypeSpec(
        id=1999000001, name="quizgen (v3)", fields=tuple(fields),
        templates=(Template("Card 1", "{{Question}}{{Statement}}{{Claim}}", "{{FrontSide}}<hr>{{Answer}}{{Notes}}"),),
        css=".card {}",
    )
    notes = tuple(
        n if n.note_type.cloze else PlannedNote(n.guid, spec, n.fields, n.tags, n.position, n.label)
        for n in article.notes
    )
    return ArticleNotes(article.slug, article.deck_id, article.deck_name, notes)


def test_upgrade_to_a_new_note_type_keeps_history_and_never_writes_the_notes_field(lib):
    from generator.outputs.anki.sync_plan import sync_plan
    from generator.sources.load import load_article_set

    content, path = lib
    sync(content, path)
    article = v3_plan(sync_plan(load_article_set(content / "mini"), None))
    col = Collection(str(path))
    try:
        reviews = review_all(col)
        cards = sorted(col.find_cards(""))
        plan = plan_sync(col, [article])
        assert plan.counts()["re-typed"] == 8 and plan.counts()["unchanged"] == 1
        apply_sync(col, plan)
        auditor = note_of(col, "auditor")
        assert col.models.get(auditor.mid)["name"] == "quizgen (v3)"
        assert sorted(col.find_cards("")) == cards
        assert col.db.scalar("select count() from revlog") == reviews
        auditor["Notes"] = "my mnemonic: Roe rows the costs up"
        col.update_note(auditor)
        article = replace(article, notes=tuple(
            replace(n, fields=tuple((k, "Who audited?" if k == "Question" else v) for k, v in n.fields))
            if n.label == "auditor" else n
            for n in article.notes
        ))
        plan = plan_sync(col, [article])
        assert plan.counts() == {"added": 0, "updated": 1, "re-typed": 0, "retired": 0, "unchanged": 8}
        apply_sync(col, plan)
        auditor = note_of(col, "auditor")
        assert (auditor["Question"], auditor["Notes"]) == ("Who audited?", "my mnemonic: Roe rows the costs up")
        assert plan_sync(col, [article]).changes_anything is False
    finally:
        col.close()


def test_kind_change_updates_the_note_in_place_and_keeps_its_review_history(lib):
    content, path = lib
    sync(content, path)
    col = Collection(str(path))
    reviews = review_all(col)
    (card,) = note_of(col, "opened-when").cards()
    col.close()
    edit(content, "    kind: qa\n    tests: event\n    question: When was the bridge opened?",
          "    kind: mcq\n    tests: event\n    distractors: [Sunday, 2 March 2025]\n    question: When was the bridge opened?")
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert "updated    mini/opened-when (fields Kind, Choices; tags)" in result.stdout, result.output
    col = Collection(str(path))
    try:
        note = note_of(col, "opened-when")
        assert col.models.get(note.mid)["name"] == "quizgen (v2)"  # every kind but cloze shares it
        assert "Sunday" in note["Choices"]
        assert [c.id for c in note.cards()] == [card.id]
        assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1
        assert col.db.scalar("select count() from revlog") == reviews
    finally:
        col.close()


def test_sync_moves_v1_notes_to_the_v2_note_types_keeping_history(lib, tmp_path):
    """What the README promises a learner with decks from before the v2 note types."""
    from anki_helpers import import_apkg, v1_package

    from generator.outputs.anki.notetypes import BASIC, CLOZE, FIELDS

    content, path = lib
    col = Collection(str(path))
    import_apkg(col, v1_package(tmp_path / "v1.apkg"))
    reviews = review_all(col)
    cards = dict(col.db.all("select id, nid from cards"))
    col.close()
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith("6 added, 0 updated, 3 re-typed, 0 retired, 0 unchanged"), result.output
    col = Collection(str(path))
    try:
        assert {k: v for k, v in col.db.all("select id, nid from cards") if k in cards} == cards
        assert col.db.scalar("select count() from revlog") == reviews
        for qid, t in (("opened-when", BASIC), ("auditor", BASIC), ("build-years", CLOZE)):
            note = note_of(col, qid)
            assert col.models.get(note.mid)["name"] == t.name and list(note.keys()) == list(FIELDS)
    finally:
        col.close()


def test_a_deleted_question_is_tagged_retired_and_suspended_never_deleted_and_comes_back(lib):
    content, path = lib
    sync(content, path)
    original = (content / "mini" / "q.yaml").read_text(encoding="utf-8")
    edit(content, original[original.index("  - id: auditor"):original.index("  - id: budget-tf")], "")
    result = sync(content, path)
    assert "retired    mini/auditor (tagged quizgen::retired, cards suspended)" in result.stdout, result.output
    col = Collection(str(path))
    note = note_of(col, "auditor")
    assert RETIRED in note.tags
    assert all(c.queue == -1 for c in note.cards())  # suspended
    col.close()
    assert sync(content, path).stdout.splitlines()[-1].endswith("0 retired, 8 unchanged")  # once only
    (content / "mini" / "q.yaml").write_text(original, encoding="utf-8")
    result = sync(content, path)
    assert "back from retirement" in result.stdout
    col = Collection(str(path))
    note = note_of(col, "auditor")
    assert RETIRED not in note.tags and all(c.queue != -1 for c in note.cards())
    col.close()


def test_a_removed_article_is_listed_and_its_notes_kept_unless_retire_removed(lib):
    """An article synced before and gone from the content: its notes are kept and the plan says so
    (the content may be one part of the library, or another course); --retire-removed retires them
    like deleted questions, never deleting anything; the other article is untouched."""
    content, path = lib
    shutil.copytree(content / "mini", content / "other")
    article = content / "other" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: A Small Article", "title: Another Article"),
                       encoding="utf-8")
    assert sync(content, path).exit_code == 0
    shutil.rmtree(content / "other")
    kept = sync(content, path)
    assert kept.exit_code == 0, kept.output
    assert (f"article 'other' (deck 'Articles::Another Article') is no longer in {content}: its 9 notes kept "
            "(--retire-removed retires them)") in kept.stdout
    assert kept.stdout.splitlines()[-1].endswith("0 retired, 9 unchanged")
    col = Collection(str(path))
    assert not col.find_notes(f"tag:{RETIRED}")
    col.close()
    dry = sync(content, path, "--retire-removed", "--dry-run")
    assert "retiring its 9 notes" in dry.stdout and "9 retired, 9 unchanged; nothing was changed" in dry.stdout
    retired = sync(content, path, "--retire-removed")
    assert retired.exit_code == 0, retired.output
    assert "retired    other/auditor (its article is gone; tagged quizgen::retired, cards suspended)" in retired.stdout
    col = Collection(str(path))
    try:
        gone = col.find_notes("tag:quizgen::other")
        assert len(gone) == 9 and set(col.find_notes(f"tag:{RETIRED}")) == set(gone)
        assert all(c.queue == -1 for nid in gone for c in col.get_note(nid).cards())
        assert all(c.queue != -1 for nid in col.find_notes("tag:quizgen::mini") for c in col.get_note(nid).cards())
    finally:
        col.close()
    again = sync(content, path, "--retire-removed")
    assert "no longer in" not in again.stdout and again.stdout.splitlines()[-1].endswith("0 retired, 9 unchanged")


def test_a_renamed_title_renames_the_deck_by_id(lib):
    content, path = lib
    sync(content, path)
    col = Collection(str(path))
    did = col.decks.id_for_name("Articles::A Small Article")
    col.close()
    edit(content, "title: A Small Article", "title: A Bridge Too Dear", "article.md")
    result = sync(content, path)
    assert "deck 'Articles::A Small Article': rename to 'Articles::A Bridge Too Dear'" in result.stdout, result.output
    col = Collection(str(path))
    try:
        assert col.decks.id_for_name("Articles::A Bridge Too Dear") == did
        assert col.decks.id_for_name("Articles::A Small Article") is None
        assert len(col.find_notes(f"did:{did}")) == 9
    finally:
        col.close()


def test_a_deck_name_pinned_in_anki_lock_is_renamed_only_when_its_line_is_deleted(lib, monkeypatch, tmp_path):
    from anki_helpers import build_apkg

    content, path = lib
    sync(content, path)
    build_apkg(content, tmp_path / "out", 1700000000, monkeypatch)  # writes anki.lock, pinning the name
    edit(content, "title: A Small Article", "title: A Bridge Too Dear", "article.md")
    assert "rename" not in sync(content, path).stdout
    lock = content / "mini" / "anki.lock"
    lock.write_text("".join(line for line in lock.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("deck\t")), encoding="utf-8")
    result = sync(content, path)
    assert "deck 'Articles::A Small Article': rename to 'Articles::A Bridge Too Dear'" in result.stdout, result.output


def learner_renames_the_deck(path: Path, name: str) -> int:
    """Rename the article's deck in the collection, as a learner would in Anki; its id."""
    col = Collection(str(path))
    try:
        did = col.decks.id_for_name("Articles::A Small Article")
        col.decks.rename(did, name)
        return did
    finally:
        col.close()


def test_a_deck_the_learner_renamed_keeps_their_name(lib):
    content, path = lib
    sync(content, path)
    did = learner_renames_the_deck(path, "Bridges")
    edit(content, "title: A Small Article", "title: A Bridge Too Dear", "article.md")
    result = sync(content, path)
    assert "deck 'Bridges': kept" in result.stdout, result.output
    col = Collection(str(path))
    assert col.decks.name(did) == "Bridges"
    col.close()


def test_note_type_templates_and_css_are_brought_up_to_date(lib):
    content, path = lib
    sync(content, path)
    col = Collection(str(path))
    nt = col.models.get(NOTE_TYPES["basic"].model_id) or col.models.by_name(NOTE_TYPES["basic"].name)
    css = nt["css"]
    nt["css"] = "old"
    col.models.update_dict(nt)
    col.close()
    result = sync(content, path)
    assert "note type 'quizgen (v2)': update CSS" in result.stdout, result.output
    col = Collection(str(path))
    assert col.models.get(nt["id"])["css"] == css
    col.close()


HOLD = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
col.close()
"""


def schema(path: Path) -> int:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return db.execute("select ver from col").fetchone()[0]
    finally:
        db.close()


def test_a_collection_in_the_older_schema_is_written_back_in_it_so_old_anki_still_opens_it(lib):
    content, path = lib
    Collection(str(path)).close(downgrade=True)  # as Anki 2.1.49 and older leave it
    assert schema(path) == 11
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert "kept the collection in the older format it was in (Anki schema 11 read, schema 11 written)" in result.stdout
    assert schema(path) == 11
    edit(content, "text: First pillar set,", "text: First pillar raised,")
    result = sync(content, path)  # a second sync, which changes a note: still 11
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.stdout
    assert schema(path) == 11
    col = Collection(str(path))
    try:
        assert len(col.find_notes("")) == 9
        assert any("First pillar raised" in col.get_note(n).joined_fields() for n in col.find_notes(""))
    finally:
        col.close(downgrade=True)


def test_a_collection_in_the_current_schema_keeps_it_and_says_nothing_of_it(lib):
    content, path = lib
    before = schema(path)
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert "older format" not in result.output
    assert schema(path) == before > 11


TO_CLOZE = ("    kind: qa\n    tests: event\n    question: When was the bridge opened?\n    answer: Monday, 3 March 2025\n",
            "    kind: cloze\n    tests: event\n    text: The bridge was opened on [[Monday, 3 March 2025]].\n")


def test_a_note_type_change_on_a_collection_synced_with_ankiweb_waits_for_one_way_sync(lib):
    content, path = lib
    assert sync(content, path).exit_code == 0
    col = Collection(str(path))
    reviews = review_all(col)
    col.db.execute("update col set ls = ?", 1_700_000_000_000)  # as after a sync with AnkiWeb
    col.close()
    edit(content, *TO_CLOZE)
    before = digest(path)
    result = sync(content, path)
    assert result.exit_code == 2
    assert "re-typed   mini/opened-when" in result.stdout  # the plan is shown first
    (line,) = result.stderr.splitlines()
    assert line.startswith("quizgen: error: ") and "one-way" in line and "--one-way-sync" in line
    assert line.endswith("Nothing was changed.")
    assert digest(path) == before
    assert sync(content, path, "--dry-run").exit_code == 0  # a dry run shows it, as always
    result = sync(content, path, "--one-way-sync")
    assert result.exit_code == 0, result.output
    assert "1 re-typed" in result.stdout and "one-way sync; upload from this computer" in result.stdout
    col = Collection(str(path))
    try:
        assert col.models.get(note_of(col, "opened-when").mid)["name"] == "quizgen: cloze (v2)"
        assert col.db.scalar("select count() from revlog") == reviews
    finally:
        col.close()


def test_a_field_to_add_to_a_note_type_waits_for_one_way_sync_but_css_does_not(lib):
    """Adding a field is a change of the schema too (Anki asks for a one-way sync after it); new CSS is not."""
    content, path = lib
    assert sync(content, path).exit_code == 0
    col = Collection(str(path))
    nt = col.models.get(NOTE_TYPES["basic"].model_id) or col.models.by_name(NOTE_TYPES["basic"].name)
    nt["css"] = "old"
    col.models.update_dict(nt)
    col.db.execute("update col set ls = ?", 1_700_000_000_000)
    col.close()
    assert sync(content, path).exit_code == 0  # CSS alone: applied
    col = Collection(str(path))
    nt = col.models.get(nt["id"])
    col.models.remove_field(nt, next(f for f in nt["flds"] if f["name"] == "Citation"))
    col.models.update_dict(nt)
    col.db.execute("update col set ls = ?", 1_700_000_000_000)  # the field's removal asked for a one-way sync
    col.close()
    result = sync(content, path)
    assert "fields +Citation" in result.stdout and result.exit_code == 2
    assert "--one-way-sync" in result.stderr
    assert sync(content, path, "--one-way-sync").exit_code == 0


def test_a_note_type_change_on_a_collection_never_synced_needs_no_option(lib):
    content, path = lib
    assert sync(content, path).exit_code == 0
    edit(content, *TO_CLOZE)
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert "1 re-typed" in result.stdout


def test_a_collection_open_in_anki_is_refused_with_one_line_and_left_unchanged(lib):
    content, path = lib
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        before = digest(path)
        for dry in ([], ["--dry-run"]):
            result = sync(content, path, *dry)
            assert result.exit_code == 2
            assert result.stdout == ""
            (line,) = result.stderr.splitlines()
            assert line.startswith("quizgen: error: ") and "open in Anki" in line and "Nothing was changed" in line
        assert digest(path) == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()


def test_content_problems_are_reported_as_check_reports_them(lib):
    content, path = lib
    edit(content, "passage: Critics say the bridge cost twice its budget.", "pasage: x")
    before = digest(path)
    result = sync(content, path)
    checked = runner.invoke(app, ["check", str(content)])
    assert (result.exit_code, result.stderr) == (1, checked.stderr)
    assert digest(path) == before


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("linux", {}, "home/.local/share/Anki2"),
    ("linux", {"XDG_DATA_HOME": "/xdg"}, "/xdg/Anki2"),
    ("darwin", {}, "home/Library/Application Support/Anki2"),
    ("win32", {"APPDATA": "C:/Users/me/AppData/Roaming"}, "C:/Users/me/AppData/Roaming/Anki2"),
    ("darwin", {"ANKI_BASE": "/elsewhere"}, "/elsewhere"),
])
def test_anki_base_follows_anki(platform, env, expected):
    assert anki_base(env, platform, Path("home")) == Path(expected)


def test_profile_name_finds_the_collection(lib, monkeypatch):
    content, path = lib
    monkeypatch.setenv("ANKI_BASE", str(path.parent.parent))
    assert find_collection(None, "profile") == path
    assert find_collection(None, None) == path  # the only profile
    with pytest.raises(UsageError, match="no Anki profile 'Nobody'.*profiles found: profile"):
        find_collection(None, "Nobody")
    with pytest.raises(UsageError, match="either --collection or --profile"):
        find_collection(path, "profile")
    result = runner.invoke(app, ["anki", "sync", str(content), "--profile", "profile", "--dry-run"])
    assert result.exit_code == 0 and f"collection: {path}" in result.stdout
    missing = runner.invoke(app, ["anki", "sync", str(content), "--collection", str(path.parent / "none.anki2")])
    assert (missing.exit_code, missing.stderr.count("\n")) == (2, 1)


def test_help_documents_every_option():
    result = runner.invoke(app, ["anki", "sync", "--help"])
    assert result.exit_code == 0
    for option in ("--collection", "--profile", "--deck-parent", "--dry-run", "--retire-removed", "CONTENT_DIR", "ANKI_BASE"):
        assert option in result.stdout


def test_readme_sync_commands_use_only_real_options():
    from docs_pages import all_text

    readme = all_text()
    help_text = runner.invoke(app, ["anki", "sync", "--help"]).stdout
    lines = [line for line in readme.splitlines() if line.startswith("quizgen anki sync")]
    assert len(lines) == 3
    for line in lines:
        for option in re.findall(r"--[a-z-]+", line):
            assert option in help_text


def test_deck_parent_option_places_the_deck_as_build_does(lib):
    content, path = lib
    result = sync(content, path, "--deck-parent", "Course::Week 3")
    assert "deck 'Course::Week 3::A Small Article': create" in result.stdout, result.output
    col = Collection(str(path))
    assert len(col.find_notes('"deck:Course::Week 3::A Small Article"')) == 9
    col.close()


def test_anki_is_an_optional_extra_and_in_the_test_extra():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11 and newer")

    from conftest import ROOT

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(d.startswith("anki") for d in extras["anki"]) and any(d.startswith("anki") for d in extras["test"])


def test_a_first_sync_then_an_apkg_mix_updates_arrive_and_no_extra_note_types(lib, tmp_path, monkeypatch):
    import time

    from anki_helpers import build_apkg, import_apkg

    import generator.pipeline.build

    content, path = lib
    build_apkg(content, tmp_path / "first", 1_700_000_000, monkeypatch)  # the author's lock exists
    assert sync(content, path).exit_code == 0  # the note types come in with quizgen's own ids
    col = Collection(str(path))
    try:
        names = sorted(m.name for m in col.models.all_names_and_ids() if m.name.startswith("quizgen"))
        assert names == sorted(t.name for t in NOTE_TYPES.values())
        assert all(col.models.get(t.model_id) for t in NOTE_TYPES.values())
        assert "quizgen: note types (temporary)" not in {d.name for d in col.decks.all_names_and_ids()}
        assert len(col.find_notes("")) == 9  # no placeholder note left
        edit(content, "answer: Jane Roe", "answer: Jane Roe, the auditor")
        monkeypatch.setattr(generator.pipeline.build, "wall_clock", lambda: int(time.time()) + 60)  # the fix, built later
        log = import_apkg(col, build_apkg(content, tmp_path / "out", 1_700_000_000, monkeypatch))
        assert [n.fields[0] for n in log.updated] == ["mini/auditor"] and not log.conflicting and not log.new
        assert sorted(m.name for m in col.models.all_names_and_ids() if m.name.startswith("quizgen")) == names
    finally:
        col.close()


def test_a_new_question_lands_in_the_deck_the_learner_moved_by_sync(lib, tmp_path, monkeypatch):
    from anki_helpers import build_apkg, import_apkg

    content, path = lib
    col = Collection(str(path))
    import_apkg(col, build_apkg(content, tmp_path / "out", 1_700_000_000, monkeypatch))
    did = col.decks.id_for_name("Articles::A Small Article")
    col.decks.rename(col.decks.get(did), "My courses::Bridge")  # moved and renamed by the learner
    col.close()
    edit(content, "questions:\n", "questions:\n  - id: new-one\n    kind: qa\n    tests: event\n"
         "    question: Who opened the bridge?\n    answer: The mayor\n    passage: The mayor opened the new bridge\n")
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    col = Collection(str(path))
    try:
        (card,) = col.find_cards("Id:*/new-one")
        assert col.decks.name(col.get_card(card).did) == "My courses::Bridge"
        assert not col.decks.id_for_name("Articles::A Small Article")  # no deck recreated
    finally:
        col.close()


def test_a_retired_question_the_learner_had_suspended_stays_suspended_when_it_returns(lib):
    content, path = lib
    sync(content, path)
    col = Collection(str(path))
    col.sched.suspend_cards(note_of(col, "auditor").card_ids())  # the learner's own suspension
    col.close()
    original = (content / "mini" / "q.yaml").read_text(encoding="utf-8")
    cut = original[original.index("  - id: auditor"):original.index("  - id: chronology")]  # auditor and budget-tf
    edit(content, cut, "")
    assert sync(content, path).exit_code == 0
    (content / "mini" / "q.yaml").write_text(original, encoding="utf-8")
    result = sync(content, path)
    assert "back from retirement: untagged; its cards stay as you left them" in result.stdout
    col = Collection(str(path))
    try:
        assert all(c.queue == -1 for c in note_of(col, "auditor").cards())  # still suspended: the learner's
        assert all(c.queue != -1 for c in note_of(col, "budget-tf").cards())  # quizgen's suspension undone
        assert not any(t.startswith("quizgen::suspended") for n in col.find_notes("") for t in col.get_note(n).tags)
    finally:
        col.close()


def test_retire_removed_refuses_another_content_folder_unless_forced(lib, tmp_path):
    content, path = lib
    assert sync(content, path).exit_code == 0
    elsewhere = tmp_path / "other-course"
    shutil.copytree(FIXTURES / "mini", elsewhere / "another")
    result = sync(elsewhere, path, "--retire-removed")
    assert result.exit_code == 2
    assert "--retire-removed would retire 9 notes of 1 articles (mini), but this collection was synced from" in result.output
    col = Collection(str(path))
    assert not col.find_notes(f"tag:{RETIRED}")
    col.close()
    forced = sync(elsewhere, path, "--retire-removed", "--force")
    assert forced.exit_code == 0 and "retiring its 9 notes" in forced.stdout


KILLED_AFTER_NOTE_TYPES = """
import os, signal, sys
from anki.collection import Collection
import generator.tools.anki_sync.notetypes as notetypes
def die():
    os.kill(os.getpid(), signal.SIGKILL)  # as a power loss: no handler, no clean-up
created, imported = notetypes.create_note_type, Collection.import_anki_package
def create_then_die(col, spec):
    found = created(col, spec)
    if len(col.models.all_names_and_ids()) >= int(os.environ["KILL_AT"]):
        die()
    return found
def import_then_die(col, request):
    imported(col, request)
    die()  # the placeholder note and its deck are in, not yet removed
notetypes.create_note_type = create_then_die
if os.environ["WHERE"] == "placeholder":
    Collection.import_anki_package = import_then_die
elif os.environ["WHERE"] == "own-ids":  # a backend that does not keep quizgen's ids in an import
    notetypes._import_note_type = lambda col, spec: None
from generator.cli import app
app(["anki", "sync", sys.argv[1], "--collection", sys.argv[2]])
"""


def quizgen_types(path: Path) -> list[str]:
    col = Collection(str(path))
    try:
        return sorted(m.name for m in col.models.all_names_and_ids() if m.name.lower().startswith("quizgen"))
    finally:
        col.close()


@pytest.mark.parametrize("where", ["imported", "own-ids", "placeholder"])
def test_a_sync_killed_right_after_creating_its_note_types_makes_no_second_pair_on_the_rerun(lib, where):
    content, path = lib
    col = Collection(str(path))
    stock = len(col.models.all_names_and_ids())
    col.close()
    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_NOTE_TYPES, str(content), str(path)], capture_output=True,
                            text=True, env={**os.environ, "KILL_AT": str(stock + 2), "WHERE": where}, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    made = quizgen_types(path)
    assert len(made) == (1 if where == "placeholder" else 2), made  # killed before any note of the article
    result = sync(content, path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith("9 added, 0 updated, 0 re-typed, 0 retired, 0 unchanged")
    pair = quizgen_types(path)
    assert len(pair) == 2 and set(made) <= set(pair), pair
    col = Collection(str(path))
    try:
        assert len(col.find_notes("")) == 9 and not col.decks.id_for_name(PLACEHOLDER_DECK)
    finally:
        col.close()


def test_deck_parent_on_a_deck_pinned_by_anki_lock_warns_that_it_is_ignored(lib, monkeypatch, tmp_path):
    from anki_helpers import build_apkg

    content, path = lib
    assert "warning" not in sync(content, path).stderr
    build_apkg(content, tmp_path / "out", 1700000000, monkeypatch)  # writes anki.lock, pinning the name
    result = sync(content, path, "--deck-parent", "Course")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "quizgen: warning: --deck-parent 'Course' is ignored for the deck of 'mini': it stays 'Articles::A Small Article' "
        "(not 'Course::A Small Article'): a deck keeps the name of its first build (the 'deck' line of mini/anki.lock); "
        "to move it, delete that line, then sync again"]
    col = Collection(str(path))
    try:
        assert col.decks.id_for_name("Course::A Small Article") is None
        assert len(col.find_notes('"deck:Articles::A Small Article"')) == 9
    finally:
        col.close()


def test_deck_parent_on_a_deck_the_learner_renamed_warns_that_it_is_ignored(lib):
    content, path = lib
    sync(content, path)
    learner_renames_the_deck(path, "Bridges")
    result = sync(content, path, "--deck-parent", "Course")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("quizgen: warning: --deck-parent 'Course' is ignored for the deck of 'mini': it stays "
                                    "'Bridges' (not 'Course::A Small Article'): the learner renamed or moved it in Anki")


def test_deck_parent_on_a_deck_only_synced_before_moves_it_without_a_warning(lib):
    content, path = lib
    sync(content, path)
    result = sync(content, path, "--deck-parent", "Course")
    assert "deck 'Articles::A Small Article': rename to 'Course::A Small Article'" in result.stdout, result.output
    assert result.stderr == ""
