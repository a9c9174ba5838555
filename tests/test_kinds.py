"""Every question kind reaches every builder: the kind lists agree, and no builder drops a kind.

The kinds are registered once, in generator/kinds.py; every builder declares its handler per kind in
one mapping checked against the registry at import (issue 14). These tests also build every kind.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, build_files

from generator.builders.quiz_options import CLI_OPTIONS
from generator.kinds import REGISTRY, MissingHandler, handlers, register
from generator.load import load_article_set
from generator.model import KINDS, ShortAnswer
from generator.schema import KIND_MODELS, QA
from generator.validate import _KIND_BUILDERS


def test_every_list_of_kinds_is_the_same():
    assert tuple(KIND_MODELS) == KINDS
    assert set(_KIND_BUILDERS) == set(KIND_MODELS.values())
    assert next(o.choices for o in CLI_OPTIONS if o.flag == "--kind") == KINDS  # build --kind


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


# A kind registered in generator/kinds.py and handled nowhere else: (re)importing any module that
# declares handlers per kind must fail, naming the module's mapping and the kind. The module is
# imported first and re-run after the kind is registered, so only its own handlers are checked.
_NEW_KIND = """
import importlib
import sys
from dataclasses import dataclass
from typing import ClassVar, Literal

from generator import kinds, model, schema

@dataclass(frozen=True, kw_only=True)
class Essay(model.Question):
    kind: ClassVar[str] = "essay"
    question: str

class EssayQ(schema._Question):
    kind: Literal["essay"]
    question: str

module = importlib.import_module(sys.argv[1])
kinds.register("essay", "essay", Essay, EssayQ)
importlib.reload(module)
"""


@pytest.mark.parametrize(("module", "owner"), [
    ("generator.validate", "validate"),
    ("generator.builders.anki.notetypes", "anki note types"),
    ("generator.builders.anki.fields", "anki fields"),
    ("generator.builders.quiz.sheet", "quiz sections"),
    ("generator.builders.quiz.answer_sheet", "answer sheet"),
    ("generator.builders.study.data", "study page"),
])
def test_a_kind_without_a_handler_fails_at_import(module, owner):
    done = subprocess.run([sys.executable, "-c", _NEW_KIND, module], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        f"generator.kinds.MissingHandler: {owner}: no handler for 'essay' (essay)"
        " (the kinds are registered in generator/kinds.py)"
    ), done.stderr


def test_handlers_want_every_kind_and_no_other():
    every = dict.fromkeys(KINDS, 1)
    assert handlers("x", every) == every
    with pytest.raises(MissingHandler, match=r"^x: no handler for 'order' \(chronology\); a handler for unregistered 'essay'"):
        handlers("x", {**{k: 1 for k in KINDS if k != "order"}, "essay": 1})


def test_the_registry_is_the_one_list():
    assert tuple(REGISTRY) == KINDS
    assert [k.model.kind for k in REGISTRY.values()] == list(KINDS)
    with pytest.raises(ValueError, match="registered twice"):
        register("qa", "short answer", ShortAnswer, QA)
    assert tuple(REGISTRY) == KINDS
