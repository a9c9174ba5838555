"""Every question kind reaches every builder: the kind lists agree, and no builder drops a kind.

(Issue 14 asks for one registry of kinds that every builder consults; until the builders are
rewritten around one, these tests make a kind that one of them drops fail.)
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile

from bs4 import BeautifulSoup
from conftest import FIXTURES, build_files

from generator.cli import Kind
from generator.load import load_article_set
from generator.model import KINDS
from generator.schema import KIND_MODELS
from generator.validate import _KIND_BUILDERS


def test_every_list_of_kinds_is_the_same():
    assert tuple(KIND_MODELS) == KINDS
    assert set(_KIND_BUILDERS) == set(KIND_MODELS.values())
    assert tuple(k.value for k in Kind) == KINDS


def test_every_builder_keeps_every_kind(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shutil.copytree(FIXTURES / "mini", tmp_path / "content" / "mini")  # the Anki builder writes anki.lock beside
    found = load_article_set(tmp_path / "content" / "mini")
    assert {q.kind for q in found.questions} == set(KINDS)  # the fixture has one question of every kind
    files = build_files(tmp_path / "content", tmp_path / "out", force=True)
    for name in ("mini-key.html", "mini-study.html"):
        text = files[name].decode("utf-8")
        assert [q.id for q in found.questions if q.id not in text] == [], name
    quiz, key = (BeautifulSoup(files[n].decode("utf-8"), "html.parser") for n in ("mini-quiz.html", "mini-key.html"))
    assert len(quiz.select(".question")) == len(key.select(".question[data-id]")) == len(found.questions)
    with zipfile.ZipFile(tmp_path / "out" / "mini.apkg") as deck:
        deck.extract("collection.anki2", tmp_path)
    notes = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        assert notes.execute("select count(*) from notes").fetchone()[0] == len(found.questions)
    finally:
        notes.close()
