"""Promises that no other test pinned: each test here was written against a hand-made mutant of the
code (named in its docstring) that the whole suite let through, and fails on it.

They go through the command line and the files quizgen writes wherever they can, so that moving code
between modules does not touch them."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from study_helpers import page_json
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline.lockfile import LOCK_FILE, duplicate_guids, parse_lock

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
GUID = "b!Xe,1]y;T"
runner = CliRunner()


def _note(stamp: int | str, guid: str = GUID, qid: str = "opened-when", digest: str = "0" * 16) -> str:
    return f"note\t{qid}\tqa\tlive\t{stamp}\t{digest}\t{guid}"


# ---------- anki.lock ----------

@pytest.mark.parametrize(("stamp", "damaged"), [(0, False), (2**40 - 1, False), (2**40, True), (-1, True), ("1e9", True)])
def test_a_lock_stamp_outside_its_bound_is_a_damaged_line(stamp, damaged):
    """Mutant: lockfile._stamp without its bound (`0 <= stamp < 1 << 40`): a stamp Anki's 64-bit
    fields and quizgen's `stamp + 1` could overflow, or a negative one, would be taken as a note's."""
    lock, problems = parse_lock(f"slug\tmini\n{_note(stamp)}\n", "anki.lock")
    assert bool(problems) is damaged, problems
    if damaged:
        assert [p.line for p in problems] == [2]
        assert lock.notes == ()
    else:
        assert [n.stamp for n in lock.notes] == [stamp]


def test_a_lock_stamp_outside_its_bound_fails_check(content):
    assert runner.invoke(app, ["build", ".", "--out", "_out", "--only", "anki"]).exit_code == 0
    lock = content / "mini" / LOCK_FILE
    text = lock.read_text(encoding="utf-8")
    stamped = re.sub(r"^(note\t[^\t]*\t[^\t]*\t[^\t]*\t)\d+", lambda m: m[1] + str(2**40), text, count=1, flags=re.M)
    assert stamped != text
    lock.write_text(stamped, encoding="utf-8")
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert re.search(r"mini/anki\.lock:\d+:1: error: .*damaged", result.stderr), result.stderr


@pytest.mark.parametrize("newer_first", [True, False])
def test_a_guid_twice_in_one_lock_keeps_the_newer_line(newer_first):
    """Mutant: the first (or last) of two lines for one GUID wins. A union merge of two branches
    leaves both lines of a note fixed on one of them: the newer stamp is the fix, whatever the order."""
    old, new = _note(1_700_000_000, digest="a" * 16), _note(1_700_000_100, digest="b" * 16)
    lines = [new, old] if newer_first else [old, new]
    lock, problems = parse_lock("slug\tmini\n" + "\n".join(lines) + "\n", "anki.lock")
    assert problems == []
    assert [(n.guid, n.stamp, n.hash) for n in lock.notes] == [(GUID, 1_700_000_100, "b" * 16)]
    # one note, written back once
    assert lock.to_text().count(GUID) == 1


@pytest.mark.parametrize("hashes", [("a" * 16, "b" * 16), ("b" * 16, "a" * 16)])
def test_a_guid_twice_with_one_stamp_gives_the_same_lock_whatever_the_order(hashes):
    """Two authors' lines with the same stamp: one of them wins, the same in either order of lines
    (so that a merge's result does not depend on which branch was merged into which)."""
    first, second = (_note(1_700_000_000, digest=h) for h in hashes)
    a, _ = parse_lock(f"{first}\n{second}\n", "anki.lock")
    b, _ = parse_lock(f"{second}\n{first}\n", "anki.lock")
    assert a.notes == b.notes and len(a.notes) == 1


def test_a_guid_twice_in_one_lock_is_not_shared_with_another_article(tmp_path):
    """Mutant: duplicate_guids compares a GUID with every earlier line, its own lock's included: a
    union-merged lock (a GUID on two lines) would be refused as sharing notes with itself."""
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / LOCK_FILE).write_text(f"slug\tone\n{_note(1)}\n{_note(2)}\n", encoding="utf-8")
    (two / LOCK_FILE).write_text(f"slug\ttwo\n{_note(1, guid='other')}\n", encoding="utf-8")
    assert duplicate_guids([one, two]) == []
    (two / LOCK_FILE).write_text(f"slug\ttwo\n{_note(1)}\n", encoding="utf-8")
    (problem,) = duplicate_guids([one, two])
    assert problem.line == 2 and "share" in problem.message


# ---------- giveaways ----------

def _warned(tmp_path: Path, monkeypatch, answer: str, printed: str) -> bool:
    """Whether `quizgen check` warns that a true/false statement printing `printed` gives away a
    short answer `answer` (both quote one paragraph of the article, which has both texts)."""
    folder = tmp_path / "names"
    folder.mkdir()
    paragraph = f"{printed} The answer was {answer}."
    (folder / "article.md").write_text(f"---\ntitle: Names\n---\n\n{paragraph}\n\nAnother paragraph, on other things.\n",
                                       encoding="utf-8")
    (folder / "q.yaml").write_text(json.dumps({"questions": [
        {"id": "asks", "kind": "qa", "tests": "event", "question": "Who was it?", "answer": answer,
         "passage": f"The answer was {answer}"},
        {"id": "prints", "kind": "truefalse", "tests": "event", "statement": printed, "answer": True,
         "passage": printed},
    ]}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "names"])
    assert result.exit_code == 0, result.output
    return "gives away question 'asks'" in result.stderr


@pytest.mark.parametrize(("answer", "printed", "given"), [
    ("Ehud Olmert", "Officers met Olmert at dawn.", True),  # two capitalised words: found by the last
    ("Hans Christian Andersen", "Andersen wrote it at dawn.", True),  # three
    ("Sir Hans Christian Andersen", "Andersen wrote it at dawn.", False),  # four: no name rule
    ("Moscow talks", "Talks ended at dawn.", False),  # not every word capitalised: no name
])
def test_a_two_or_three_word_name_is_given_away_by_its_last_word(tmp_path, monkeypatch, answer, printed, given):
    """Mutants: names of 2 to 4 words, of 3 only, or of words any of which is capitalised."""
    assert _warned(tmp_path, monkeypatch, answer, printed) is given


def test_small_words_at_both_ends_of_an_answer_are_dropped():
    """Mutant: key_words keeps the small words at the end ("the talks he walked out of" is looked for
    with its "of"): the lints that look for an answer's words in a row (answer-in-question,
    overlapping-choices) would miss it printed without them."""
    from generator.checks.giveaways import key_words

    assert key_words("In the talks he walked out of") == ("talks", "he", "walked", "out")
    assert key_words("Moscow and") == ("moscow",)
    assert key_words("of the") == ()


def test_an_answer_ending_in_a_small_word_is_found_in_its_stem(tmp_path, monkeypatch):
    """The same through `check`: the stem prints the answer without its last small word."""
    folder = tmp_path / "talks"
    folder.mkdir()
    (folder / "article.md").write_text("---\ntitle: Talks\n---\n\nHe walked out of the talks on Monday.\n",
                                       encoding="utf-8")
    (folder / "q.yaml").write_text(json.dumps({"questions": [
        {"id": "walked", "kind": "qa", "tests": "event", "question": "He walked out of the talks: what did he walk out of?",
         "answer": "The talks on", "passage": "He walked out of the talks on Monday"},
    ]}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "talks"])
    assert result.exit_code == 0, result.output
    assert "answer-in-question" in result.stderr, result.stderr


# ---------- the study page and the Anki card ----------

def _scrambled_orders(apkg: Path) -> dict[str, list[int]]:
    """Each chronology note's events in the order its card shows them first (`data-qg-at`), by question id."""
    collection = apkg.with_suffix(".anki2")  # sqlite3 reads a database from bytes only since Python 3.11
    with zipfile.ZipFile(apkg) as z:
        collection.write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(collection)
    try:
        (models,) = conn.execute("SELECT models FROM col").fetchone()
        fields = {int(mid): [f["name"] for f in m["flds"]] for mid, m in json.loads(models).items()}
        orders = {}
        for mid, flds in conn.execute("SELECT mid, flds FROM notes"):
            note = dict(zip(fields[mid], flds.split("\x1f")))
            if note.get("Scrambled"):
                orders[note["Id"].split("/", 1)[1]] = [int(a) for a in re.findall(r'data-qg-at="(\d+)"', note["Scrambled"])]
    finally:
        conn.close()
    return orders


def test_the_study_pages_chronology_starts_in_the_anki_cards_order(tmp_path, monkeypatch):
    """Mutant: the study page shuffles a chronology's events with another key than the Anki card's
    (the code says "the same starting order as the Anki card"): a learner using both sees two orders."""
    shutil.copytree(BUNDLED, tmp_path / "questions" / BUNDLED.name)
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", tmp_path / "questions" / "mini")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", "--only", "anki", "--only", "study"])
    assert result.exit_code == 0, result.output
    compared = 0
    for slug in (BUNDLED.name, "mini"):
        cards = _scrambled_orders(tmp_path / "decks" / f"{slug}.apkg")
        data = page_json((tmp_path / "decks" / f"{slug}-study.html").read_text(encoding="utf-8"))
        for q in data["questions"]:
            if "start" in q:
                assert q["start"] == cards[q["id"]], (slug, q["id"])
                compared += 1
    assert compared >= 3


# ---------- incremental builds ----------

def test_a_new_ui_language_rebuilds_the_outputs(content):
    """Mutant: `--ui-language` left out of the build's fingerprint: the second build would skip the
    article as unchanged and leave the English quiz in place."""
    assert runner.invoke(app, ["build", ".", "--out", "_out", "--only", "quiz"]).exit_code == 0
    quiz = content / "_out" / "mini-quiz.html"
    english = quiz.read_bytes()
    result = runner.invoke(app, ["build", ".", "--out", "_out", "--only", "quiz", "--ui-language", "he"])
    assert result.exit_code == 0, result.output
    assert "skipped 1 unchanged" not in result.stdout
    hebrew = quiz.read_bytes()
    assert hebrew != english and 'dir="rtl"' in hebrew.decode("utf-8")
    result = runner.invoke(app, ["build", ".", "--out", "_out", "--only", "quiz"])  # and back
    assert result.exit_code == 0, result.output
    assert quiz.read_bytes() == english


# Chronology credit for two neighbours swapped only: tests/test_mark.py::test_chronology_credit_for_two_neighbours_swapped_only
# (added with the class roster) kills both hand-made mutants (credit for any two swapped; for two misplaced that are no swap).
