"""The JSON Schema for editors: committed, up to date, and it accepts the content quizgen accepts."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import FIXTURES, ROOT

from generator.sources.schema import json_schema

COMMITTED = ROOT / "questions" / "question-file.schema.json"


def test_committed_schema_is_current():
    # regenerate with: quizgen schema --out questions/question-file.schema.json
    assert COMMITTED.read_text(encoding="utf-8") == json_schema()


def question_files():
    return sorted((ROOT / "questions").glob("*/*.yaml")) + sorted(FIXTURES.glob("*/*.yaml"))


@pytest.mark.parametrize("path", question_files(), ids=lambda p: p.parent.name + "/" + p.name)
def test_schema_accepts_valid_question_files(path):
    jsonschema = pytest.importorskip("jsonschema")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML numbers are text to quizgen; an editor sees them as numbers, so quote them in files
    jsonschema.validate(data, json.loads(json_schema()))


def test_schema_rejects_an_unknown_key():
    jsonschema = pytest.importorskip("jsonschema")
    data = {"questions": [{"id": "a", "kind": "qa", "tests": "event", "question": "Q", "answer": "A", "pasage": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(json_schema()))


def test_every_question_file_names_the_schema():
    for path in sorted((ROOT / "questions").glob("*/*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../question-file.schema.json", path


def test_schema_takes_a_rows_own_allow_and_key():
    jsonschema = pytest.importorskip("jsonschema")
    row = {"id": "r", "passage": "p", "values": {"x": "y"}, "allow": ["longest-answer"], "key": "opening"}
    template = {"id": "t", "kind": "qa", "tests": "event", "question": "{{ x }}?", "answer": "A", "rows": [row]}
    schema = json.loads(json_schema())
    jsonschema.validate({"questions": [template]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"questions": [{**template, "rows": [{**row, "allow": ["Not_A_Rule"]}]}]}, schema)
