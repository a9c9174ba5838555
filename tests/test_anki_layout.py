"""The question files' layout is not content: splitting, merging or reordering them changes no note,
so a learner's re-import keeps their Notes and tags (the real Anki backend).

An attribution without `distractors` takes its wrong choices from the article's other sources; they
came in the order of the files, so moving questions between files changed those notes' choices,
re-stamped them, and the learner's next import replaced their Notes and tags (found by a QA pass).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml
from conftest import ROOT

pytest.importorskip("anki", reason="the `anki` package is in the test extras: pip install -e '.[test]'")

from anki.collection import Collection  # noqa: E402
from anki_helpers import build_apkg, import_apkg, review  # noqa: E402

from generator.pipeline.lockfile import LOCK_FILE, parse_lock  # noqa: E402

SLUG = "israels-hushed-military-ties-with-russia"
DECK = "Articles::Israel's Hushed Military Ties With Russia Now Paying Off"


def _split_and_reverse(article) -> None:
    """claims.yaml becomes two files, each in the reverse order, and the second sorts first."""
    path = article / "claims.yaml"
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    half = len(questions) // 2
    for name, part in (("claims.yaml", questions[:half]), ("a-claims.yaml", questions[half:])):
        text = yaml.safe_dump({"questions": part[::-1]}, allow_unicode=True, sort_keys=False)
        (article / name).write_text(text, encoding="utf-8")


def test_splitting_and_reordering_question_files_updates_no_note_and_keeps_the_learners_notes(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "questions", content)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        first = build_apkg(content, tmp_path / "out1", 1_800_000_000, monkeypatch)
        assert len(import_apkg(col, first).new) == 67
        review(col, DECK, 5)
        attributions = col.find_notes(f'"Id:{SLUG}/*" tag:quizgen::kind::attribution')
        assert len(attributions) >= 5
        for nid in attributions:  # the learner's own words and tags on every attribution note
            note = col.get_note(nid)
            note["Notes"] = "my mnemonic"
            note.tags.append("mine")
            col.update_note(note)
        lock = (content / SLUG / LOCK_FILE).read_text(encoding="utf-8")
        _split_and_reverse(content / SLUG)
        again = build_apkg(content, tmp_path / "out2", 1_800_000_000, monkeypatch)
        assert (content / SLUG / LOCK_FILE).read_text(encoding="utf-8") == lock  # no note re-stamped
        log = import_apkg(col, again)
        assert log.updated == [] and log.new == []
        for nid in attributions:
            note = col.get_note(nid)
            assert note["Notes"] == "my mnemonic" and "mine" in note.tags
    finally:
        col.close()


def test_a_lock_written_before_the_sources_were_sorted_keeps_every_stamp(tmp_path, monkeypatch):
    """The bundled lock as quizgen wrote it when the generated wrong choices came in the order of the
    files (git's f59d0f6): every stamp is kept, so no learner's note is replaced by the upgrade; only
    the hashes of the attribution notes whose choices were re-ordered are rewritten."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "questions", content)
    old = subprocess.run(["git", "-C", str(ROOT), "show", f"f59d0f6:questions/{SLUG}/{LOCK_FILE}"],
                         capture_output=True, text=True)
    if old.returncode != 0:
        pytest.skip(f"no git history here: {old.stderr.strip()}")
    (content / SLUG / LOCK_FILE).write_text(old.stdout, encoding="utf-8")
    build_apkg(content, tmp_path / "out", 1_800_000_000, monkeypatch)
    before, _ = parse_lock(old.stdout, LOCK_FILE)
    after, _ = parse_lock((content / SLUG / LOCK_FILE).read_text(encoding="utf-8"), LOCK_FILE)
    assert {n.guid: n.stamp for n in after.notes} == {n.guid: n.stamp for n in before.notes}
    rehashed = sorted(n.id for n in after.notes if n not in set(before.notes))
    assert rehashed and all(n.kind == "attribution" for n in after.notes if n.id in rehashed)
