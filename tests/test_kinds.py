"""Every question kind reaches every output through its registration (generator/kinds/).

The built-in kinds are one module each, registered in generator/kinds/registry.py; every output asks
the kind's registration (`generator.kinds.contract.Kind`) for what differs by kind. The LMS exports
still keep a mapping per kind, checked against the registry at import. tests/test_kinds_toy.py adds a
kind from the tests alone.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import replace
from typing import get_args

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, build_files

from generator import kinds
from generator.kinds.contract import KindError, Registry
from generator.kinds.registry import KINDS, REGISTRY, handlers
from generator.outputs.quiz_options import CLI_OPTIONS
from generator.sources.load import load_article_set
from generator.sources.schema import AnyQuestion


def test_every_list_of_kinds_is_the_same():
    assert tuple(REGISTRY) == KINDS == kinds.BUILT_IN
    assert next(o.choices for o in CLI_OPTIONS if o.flag == "--kind") == KINDS  # build --kind
    union = set(get_args(get_args(AnyQuestion)[0]))  # what editors' JSON Schema lists
    assert union == {k.schema for k in REGISTRY.values()}


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
    for q in found.questions:  # each printed with its own text, not an empty div
        number = key.select_one(f'.question[data-id="{q.id}"]')["data-number"]
        printed = quiz.select_one(f'.question[data-number="{number}"]').get_text(" ", strip=True)
        assert len(printed) > len(number) + 10, (q.kind, printed)
    with zipfile.ZipFile(tmp_path / "out" / "mini.apkg") as deck:
        deck.extract("collection.anki2", tmp_path)
    notes = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        assert notes.execute("select count(*) from notes").fetchone()[0] == len(found.questions)
    finally:
        notes.close()


# An export module re-run after a built-in kind without a handler is added must fail, naming the
# export and the kind.
_NEW_KIND = """
import importlib, sys
from dataclasses import replace
from generator import kinds
import generator.kinds.registry
from generator.kinds.registry import REGISTRY
module = importlib.import_module(sys.argv[1])
REGISTRY._kinds["essay"] = replace(REGISTRY["qa"], name="essay", label="essay", handlers={})  # as if built in
kinds.registry.BUILT_IN = (*kinds.registry.BUILT_IN, "essay")
importlib.reload(module)
"""


@pytest.mark.parametrize(("module", "owner"), [
    ("generator.outputs.exports.gift", "GIFT export"),
    ("generator.outputs.exports.moodle", "Moodle XML export"),
])
def test_an_export_without_a_handler_fails_at_import(module, owner):
    done = subprocess.run([sys.executable, "-c", _NEW_KIND, module], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        f"generator.kinds.contract.KindError: {owner}: no handler for 'essay' (essay) (a kind gives it in its "
        f"Kind's handlers['{owner}']; the kinds are registered in generator/kinds/registry.py)"
    ), done.stderr


_WRONG_NAME = """
import importlib
from dataclasses import replace
from generator.kinds.registry import REGISTRY
qa = REGISTRY["qa"]
REGISTRY._kinds["qa"] = replace(qa, handlers={**qa.handlers, "GIFT export": "generator.outputs.exports.gift:write_essay"})
importlib.import_module("generator.outputs.exports.gift")
"""


def test_an_export_naming_a_writer_that_is_not_there_fails_at_import():
    done = subprocess.run([sys.executable, "-c", _WRONG_NAME], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "generator.kinds.contract.KindError: GIFT export: the handler of 'qa' ('generator.outputs.exports.gift:write_essay')"
        " cannot be found: generator.outputs.exports.gift has no write_essay"), done.stderr


def test_an_export_asks_each_built_in_kind_for_its_writer():
    from generator.outputs.exports import gift

    writers = handlers("GIFT export")
    assert writers["mcq"] is writers["attribution"] is gift.write_choice  # "module:function" in the registration
    assert {k: REGISTRY[k].handlers["GIFT export"] for k in ("qa", "order")} == {
        "qa": "generator.outputs.exports.gift:write_qa", "order": "generator.outputs.exports.gift:write_order"}
    with pytest.raises(KindError, match=r"^x: no handler for 'qa' \(short answer\), 'cloze' .*handlers\['x'\]"):
        handlers("x")


def test_a_kind_is_registered_once():
    with pytest.raises(KindError, match="question kind 'qa': is registered twice"):
        REGISTRY.register(REGISTRY["qa"])
    assert tuple(REGISTRY) == KINDS


def test_a_kind_that_breaks_the_contract_is_refused_at_registration_saying_every_piece(tmp_path):
    registry = Registry()
    qa = REGISTRY["qa"]
    with pytest.raises(KindError) as refused:
        registry.register(replace(qa, name="essay", layout="essay", answers=None, template=tmp_path / "none.html.j2"))  # type: ignore[arg-type]
    said = str(refused.value)
    assert said.startswith("question kind 'essay': ") and said.endswith("(see docs/contributing/kinds.md)")
    for piece in ("'answers' is not set", "'layout' is 'essay', not one of lettered, events, blanks, lines, plain",
                  "its model class ShortAnswer says kind 'qa'", "must declare kind: Literal['essay']",
                  "none.html.j2 is missing (it defines the macros quiz, grid, key)"):
        assert piece in said
    template = tmp_path / "essay.html.j2"
    template.write_text("{% macro quiz(item, q) %}{% endmacro %}\n", encoding="utf-8")
    with pytest.raises(KindError, match="essay.html.j2 defines no macro grid, key"):
        registry.register(replace(qa, template=template))
    assert list(registry) == []
    assert registry.register(qa) is qa


def test_a_kind_built_without_a_piece_says_which():
    fields = {f: getattr(REGISTRY["qa"], f) for f in ("name", "label", "model", "schema", "passage", "build")}
    with pytest.raises(TypeError, match="missing .* 'answers'"):
        type(REGISTRY["qa"])(**fields)  # type: ignore[call-arg]


def test_a_scoring_table_that_disagrees_with_a_built_in_registration_is_refused():
    """`quizgen mark` scores the built-in kinds from kinds/scoring.py's BUILT_IN_SCORING, without importing
    them: the registry refuses to load when the table gives a kind another scoring than its registration."""
    code = ("from generator.kinds import scoring\n"
            "scoring.BUILT_IN_SCORING['truefalse'] = scoring.Scoring()  # not the key's correction rule\n"
            "import generator.kinds.registry\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "generator.kinds.contract.KindError: generator/kinds/scoring.py: BUILT_IN_SCORING must hold each built-in "
        "kind's registered scoring, in BUILT_IN's order"), done.stderr
