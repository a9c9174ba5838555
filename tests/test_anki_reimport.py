"""Re-importing a rebuilt deck, row by row of the README's table, on the real Anki backend.

Each test imports with the options every Anki client starts with (update notes "if newer",
"Merge note types" off), reviews some cards as a learner would, rebuilds after a change, imports
again, and checks what the learner sees and that no review was lost.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("anki", reason="the `anki` package is in the test extras: pip install -e '.[test]'")

from anki.collection import Collection  # noqa: E402
from anki_helpers import build_apkg, import_apkg, review, v1_package  # noqa: E402
from conftest import FIXTURES  # noqa: E402

from generator import memo  # noqa: E402
from generator.outputs.anki.notetypes import BASIC, CLOZE  # noqa: E402

EPOCH = 1_700_000_000
DECK = "Articles::A Small Article"


@dataclass
class Learner:
    """A collection that imported the first build and reviewed some cards."""

    col: Collection
    content: Path
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    builds: int = 0

    def rebuild(self, epoch: int):
        self.builds += 1
        return build_apkg(self.content, self.tmp / f"out{self.builds}", epoch, self.monkeypatch)

    def edit(self, old: str, new: str, name: str = "q.yaml") -> None:
        path = self.content / "mini" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def note(self, qid: str):
        (nid,) = self.col.find_notes(f"Id:*/{qid}")
        return self.col.get_note(nid)

    def cards(self) -> dict[int, int]:
        """Every card's id: its note's id."""
        return dict(self.col.db.all("select id, nid from cards"))

    def reviews(self) -> int:
        return self.col.db.scalar("select count() from revlog")


@pytest.fixture
def learner(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    col = Collection(str(tmp_path / "collection.anki2"))
    first = build_apkg(content, tmp_path / "out0", EPOCH, monkeypatch)
    log = import_apkg(col, first)
    assert len(log.new) == 9
    review(col, DECK, 4)
    yield Learner(col, content, tmp_path, monkeypatch)
    col.close()


def updated_ids(log) -> list[str]:
    return sorted(n.fields[0].split("/")[-1] for n in log.updated)  # the first field is slug/question id


def test_fixing_one_question_updates_that_note_only_and_keeps_the_learners_edits(learner):
    learner.col.update_note(_with(learner.note("auditor"), Notes="my mnemonic: auditor = Jane"))
    cards, reviews = learner.cards(), learner.reviews()
    learner.edit("question: When was the bridge opened?", "question: On what day was the bridge opened?")
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 3600))
    assert updated_ids(log) == ["opened-when"] and not log.new and not log.conflicting
    assert learner.note("opened-when")["Question"] == "On what day was the bridge opened?"
    assert learner.note("auditor")["Notes"] == "my mnemonic: auditor = Jane"
    assert learner.cards() == cards and learner.reviews() == reviews


def test_a_pinned_source_date_epoch_still_delivers_fixes_even_to_a_note_the_learner_tagged(learner, monkeypatch):
    import time

    import generator.pipeline.build

    note = learner.note("auditor")  # the learner tags one note in Anki: its stamp is their clock
    note.add_tag("marked")
    learner.col.update_note(note)
    assert learner.note("auditor").mod > EPOCH
    cards, reviews = learner.cards(), learner.reviews()
    learner.edit("answer: Jane Roe", "answer: Jane Roe, the auditor")
    learner.edit("question: When was the bridge opened?", "question: On what day was the bridge opened?")
    monkeypatch.setattr(generator.pipeline.build, "wall_clock", lambda: int(time.time()) + 60)  # the author builds later
    log = import_apkg(learner.col, learner.rebuild(EPOCH))  # the same SOURCE_DATE_EPOCH as the first build
    assert updated_ids(log) == ["auditor", "opened-when"]  # the tagged note's fix is not dropped
    assert learner.note("auditor")["Answer"] == "Jane Roe, the auditor"
    assert learner.cards() == cards and learner.reviews() == reviews


def test_a_learners_later_edit_wins_until_they_choose_update_always(learner, monkeypatch):
    import time

    import generator.pipeline.build

    learner.edit("answer: Jane Roe", "answer: Jane Roe, the auditor")
    monkeypatch.setattr(generator.pipeline.build, "wall_clock", lambda: int(time.time()) - 60)  # built a minute ago
    apkg = learner.rebuild(EPOCH + 60)
    # the learner edits the same note after the fix was built (their edit is stamped now)
    learner.col.update_note(_with(learner.note("auditor"), Notes="seen in class"))
    cards, reviews = learner.cards(), learner.reviews()
    log = import_apkg(learner.col, apkg)
    assert not log.updated and learner.note("auditor")["Notes"] == "seen in class"  # kept, as Anki does
    log = import_apkg(learner.col, apkg, always=True)  # the README: "Update notes: Always"
    assert "auditor" in updated_ids(log) and learner.note("auditor")["Answer"] == "Jane Roe, the auditor"
    assert learner.note("auditor")["Notes"] == ""  # as the README warns: every field is replaced
    assert learner.cards() == cards and learner.reviews() == reviews


def test_changing_a_questions_kind_keeps_its_note_and_history(learner):
    before = learner.note("opened-when")
    cards, reviews = learner.cards(), learner.reviews()
    learner.edit(
        "    kind: qa\n    tests: event\n    question: When was the bridge opened?\n    answer: Monday, 3 March 2025\n",
        "    kind: mcq\n    tests: event\n    question: When was the bridge opened?\n    answer: Monday, 3 March 2025\n"
        "    distractors: [Friday, 1 March 2024, Sunday, 2 March 2025]\n",
    )
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    assert updated_ids(log) == ["opened-when"] and not log.conflicting and not log.new
    after = learner.note("opened-when")
    assert after.id == before.id and after["Kind"] == "mcq" and "Friday" in after["Choices"]
    assert "Multiple choice" in learner.col.get_card(after.card_ids()[0]).question()
    assert learner.cards() == cards and learner.reviews() == reviews


def test_a_question_that_becomes_cloze_retires_its_old_note_and_adds_a_new_one(learner):
    cards, reviews = learner.cards(), learner.reviews()
    learner.edit(
        "    kind: qa\n    tests: event\n    question: When was the bridge opened?\n    answer: Monday, 3 March 2025\n"
        "    passage: The mayor opened the new bridge on Monday, 3 March 2025\n",
        "    kind: cloze\n    tests: event\n    text: The mayor opened the new bridge on [[c1::Monday]], 3 March 2025\n",
    )
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    assert not log.conflicting and len(log.new) == 1 and updated_ids(log) == ["opened-when"]
    new, old = sorted(learner.col.find_notes("Id:*/opened-when"), key=lambda n: learner.col.get_note(n).mid == BASIC.model_id)
    assert learner.col.get_note(old).has_tag("quizgen::retired") and learner.col.get_note(new).note_type()["id"] == CLOZE.model_id
    assert {k: v for k, v in learner.cards().items() if v != new} == cards and learner.reviews() == reviews
    # and back again: the first note returns, with the history it kept; the cloze note is retired
    learner.edit("    kind: cloze\n    tests: event\n    text: The mayor opened the new bridge on [[c1::Monday]], 3 March 2025\n",
                 "    kind: qa\n    tests: event\n    question: When was the bridge opened?\n    answer: Monday, 3 March 2025\n"
                 "    passage: The mayor opened the new bridge on Monday, 3 March 2025\n")
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 120))
    assert not log.new and not log.conflicting and len(log.updated) == 2
    assert not learner.col.get_note(old).has_tag("quizgen::retired") and learner.col.get_note(new).has_tag("quizgen::retired")
    assert learner.reviews() == reviews


def test_a_release_that_changes_card_html_updates_every_note_type_and_no_note(learner, monkeypatch):
    from generator.outputs.anki import notetypes

    notes = "select id, mod, flds, tags from notes order by id"  # (not through Note: it caches note types)
    reviews = learner.reviews()
    before = learner.col.db.all(notes)
    monkeypatch.setattr(notetypes, "_read", lambda name, read=notetypes._read: read(name) + ("\n/* v2.1 */" if name == "card.css" else ""))
    memo.clear()
    try:
        log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    finally:
        memo.clear()
    assert not log.updated and not log.new and not log.conflicting
    assert learner.reviews() == reviews
    for t in (BASIC, CLOZE):
        assert learner.col.models.get(t.model_id)["css"].endswith("/* v2.1 */")
    assert learner.col.db.all(notes) == before


def test_a_renamed_title_keeps_new_cards_in_the_learners_deck(learner):
    cards, reviews = learner.cards(), learner.reviews()
    learner.edit("title: A Small Article", "title: A Bridge Story", name="article.md")
    learner.edit("questions:\n", "questions:\n  - id: new-one\n    kind: qa\n    tests: event\n"
                 "    question: Who opened the bridge?\n    answer: The mayor\n    passage: The mayor opened the new bridge\n")
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    assert len(log.new) == 1
    assert {d.name for d in learner.col.decks.all_names_and_ids()} == {"Default", "Articles", DECK}
    (card,) = learner.col.find_cards("Id:*/new-one")
    assert learner.col.decks.name(learner.col.get_card(card).did) == DECK
    assert {k: v for k, v in learner.cards().items() if k != card} == cards and learner.reviews() == reviews


def test_a_deleted_question_is_retired_where_the_learner_can_find_it(learner):
    cards, reviews = learner.cards(), learner.reviews()
    text = (learner.content / "mini" / "q.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: auditor\n")
    end = text.index("  - id: budget-tf\n")
    (learner.content / "mini" / "q.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    apkg = learner.rebuild(EPOCH + 60)
    log = import_apkg(learner.col, apkg)
    assert updated_ids(log) == ["auditor"] and not log.new
    (nid,) = learner.col.find_notes("tag:quizgen::retired")
    assert learner.col.get_note(nid)["Id"] == "mini/auditor" and "Withdrawn" in learner.col.get_note(nid)["Question"]
    assert learner.cards() == cards and learner.reviews() == reviews
    # a new learner importing the same deck (default options, or with scheduling) never meets it:
    # the package holds the withdrawn note without a card
    for scheduling in (False, True):
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        fresh = Collection(str(learner.tmp / f"fresh{scheduling}.anki2"))
        try:
            fresh.import_anki_package(ImportAnkiPackageRequest(
                package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=scheduling)))
            assert not fresh.find_cards("tag:quizgen::retired") and len(fresh.find_cards("")) == len(cards) - 1
        finally:
            fresh.close()
    # and the next build keeps it retired without touching it again
    assert not import_apkg(learner.col, learner.rebuild(EPOCH + 120)).updated


def _fields_by_guid(apkg, tmp) -> dict[str, list[str]]:
    """Every note's fields as a fresh collection gets them from the package."""
    fresh = Collection(str(tmp / "fresh.anki2"))
    try:
        import_apkg(fresh, apkg)
        return {guid: flds.split("\x1f") for guid, flds in fresh.db.all("select guid, flds from notes")}
    finally:
        fresh.close()


@pytest.mark.parametrize("tagged", [False, True], ids=["untouched", "tagged"])
@pytest.mark.parametrize("plain_first", [True, False], ids=["plain-import-first", "upgrade-first"])
def test_v1_notes_move_to_v2_with_the_two_documented_imports_keeping_history(tmp_path, monkeypatch, tagged, plain_first):
    """A learner with a month of reviews on the v1 note types (one per kind) upgrades as
    docs/explanation/anki.md says: the rebuilt deck with "Merge note types", then again with
    "Update notes: Always". Each note must then hold the package's text: with the merge alone, a note
    it converted without updating it (one the learner tagged since) or one an earlier import without
    the option added (6 of 9 here) was left with every field empty."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, v1_package(tmp_path / "v1.apkg"))
        review(col, DECK, 3)
        if tagged:  # the learner's own tag makes the note newer than the package's
            note = col.get_note(col.find_notes("Id:auditor")[0])
            note.add_tag("mine")
            col.update_note(note)
        cards, reviews = dict(col.db.all("select id, nid from cards")), col.db.scalar("select count() from revlog")
        apkg = build_apkg(content, tmp_path / "out", EPOCH + 86400, monkeypatch)
        if plain_first:
            log = import_apkg(col, apkg)  # default options: the v1 notes are "conflicting", nothing changes
            assert len(log.conflicting) == 3 and not log.updated and len(log.new) == 6
        log = import_apkg(col, apkg, merge=True)  # 1. "Merge note types" ticked
        assert not log.conflicting
        import_apkg(col, apkg, always=True)  # 2. the same file, "Update notes: Always"
        want = _fields_by_guid(apkg, tmp_path)
        assert {guid: flds.split("\x1f") for guid, flds in col.db.all("select guid, flds from notes")} == want
        assert {k: v for k, v in col.db.all("select id, nid from cards") if k in cards} == cards
        assert col.db.scalar("select count() from revlog") == reviews
        for nid in col.find_notes("Id:*opened-when or Id:*build-years or Id:*auditor"):
            note = col.get_note(nid)
            assert note.note_type()["id"] in (BASIC.model_id, CLOZE.model_id)
            assert [f["name"] for f in note.note_type()["flds"]] == list(BASIC.fields)  # nothing added
        assert len(col.get_note(col.find_notes("Id:*build-years")[0]).card_ids()) == 2
        # from now on the default options work: nothing conflicting, nothing to update
        log = import_apkg(col, build_apkg(content, tmp_path / "out2", EPOCH + 90000, monkeypatch))
        assert not log.conflicting and not log.updated and not log.new
    finally:
        col.close()


def _with(note, **values):
    for name, value in values.items():
        note[name] = value
    return note


def test_a_new_title_and_url_update_no_note_and_reach_the_cards_by_anki_sync(learner):
    from typer.testing import CliRunner

    from generator.cli import app

    learner.col.update_note(_with(learner.note("auditor"), Notes="my mnemonic"))
    note = learner.note("budget-tf")
    note.add_tag("my-own-tag")
    learner.col.update_note(note)
    cards, reviews = learner.cards(), learner.reviews()
    learner.edit("title: A Small Article", "title: A Bridge Story\nurl: https://example.org/bridge", name="article.md")
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    assert not log.updated and not log.new and not log.conflicting  # 0 notes updated by the .apkg
    assert learner.note("auditor")["Notes"] == "my mnemonic" and learner.note("budget-tf").has_tag("my-own-tag")
    assert "A Small Article" in learner.note("auditor")["Article"]
    # the documented route: `quizgen anki sync` refreshes the source fields, keeping Notes and tags
    path = Path(learner.col.path)
    learner.col.close()
    result = CliRunner().invoke(app, ["anki", "sync", str(learner.content), "--collection", str(path)])
    assert result.exit_code == 0, result.output
    learner.col = Collection(str(path))
    auditor, tagged = learner.note("auditor"), learner.note("budget-tf")
    assert "A Bridge Story" in auditor["Article"] and "https://example.org/bridge" in auditor["URL"]
    assert auditor["Notes"] == "my mnemonic" and tagged.has_tag("my-own-tag")
    assert learner.cards() == cards and learner.reviews() == reviews


def test_a_release_that_changes_field_markup_updates_no_note(learner, monkeypatch):
    import generator.outputs.anki as anki_builder

    real = anki_builder.note_fields

    def restyled(found, q, *args):  # a release that writes `<p class>` and another list markup
        return {name: value.replace("<p>", '<p class="qg-passage">').replace('<ol class="qg-list"', '<ol class="qg-list qg-new"')
                for name, value in real(found, q, *args).items()}

    monkeypatch.setattr(anki_builder, "note_fields", restyled)
    reviews = learner.reviews()
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    assert not log.updated and not log.new and not log.conflicting
    assert learner.reviews() == reviews


def test_a_retired_note_keeps_its_kinds_label(learner):
    text = (learner.content / "mini" / "q.yaml").read_text(encoding="utf-8")
    start, end = text.index("  - id: auditor\n"), text.index("  - id: chronology\n")  # an mcq and a true/false
    (learner.content / "mini" / "q.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    log = import_apkg(learner.col, learner.rebuild(EPOCH + 60))
    assert updated_ids(log) == ["auditor", "budget-tf"]
    for qid, label in (("auditor", "Multiple choice"), ("budget-tf", "True or false?")):
        import re

        card = learner.col.get_card(learner.note(qid).card_ids()[0])
        shown = re.sub(r"<(script|style)>.*?</\1>", "", card.question(), flags=re.S)
        assert label in shown and "Short answer" not in shown and "Withdrawn" in shown


def test_a_withdrawn_question_that_returns_reaches_a_learner_who_imported_it_without_a_card(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    build_apkg(content, tmp_path / "out0", EPOCH, monkeypatch)
    q = content / "mini" / "q.yaml"
    original = q.read_text(encoding="utf-8")
    q.write_text(original[:original.index("  - id: auditor\n")] + original[original.index("  - id: budget-tf\n"):], encoding="utf-8")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, build_apkg(content, tmp_path / "out1", EPOCH + 60, monkeypatch))  # a new learner, now
        assert not col.find_cards("tag:quizgen::retired")
        q.write_text(original, encoding="utf-8")  # the question comes back
        log = import_apkg(col, build_apkg(content, tmp_path / "out2", EPOCH + 120, monkeypatch))
        assert updated_ids(log) == ["auditor"]
        assert len(col.find_cards("Id:*/auditor")) == 1  # its card arrives with the update
    finally:
        col.close()
