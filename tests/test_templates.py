"""Question templates: a pattern's text is compiled once per process, and shared compilations render alike."""

from __future__ import annotations

from generator import memo
from generator.sources import templates


def test_the_same_text_is_compiled_once_and_renders_each_row_on_its_own():
    pattern = {"id": "q-{{ n }}", "kind": "qa", "question": "How many {{ things }} in {{ year }}?", "answer": "{{ n }}"}
    memo.clear()
    first, errors = templates.compile_pattern(pattern)
    second, _ = templates.compile_pattern(dict(pattern))  # another article with the same pattern
    assert errors == []
    assert templates._compiled.cache_info().misses == 2  # the question and the answer; "id" is fixed
    assert [f.template for f in first] == [f.template for f in second]
    rows = [{"n": "3", "things": "ships", "year": "2008"}, {"n": "5", "things": "<b>", "year": "2010"}]
    rendered = [templates.render(pattern, second, row) for row in rows]
    assert [r["question"] for r in rendered] == ["How many ships in 2008?", "How many <b> in 2010?"]
    assert [r["answer"] for r in rendered] == ["3", "5"]
    assert {f.names for f in first} == {frozenset({"things", "year"}), frozenset({"n"})}


def test_a_text_that_does_not_compile_is_reported_every_time():
    for _ in range(2):
        fields, errors = templates.compile_pattern({"id": "x", "kind": "qa", "question": "{{ oops", "answer": "a"})
        assert fields == [] and len(errors) == 1 and "template syntax in 'question'" in errors[0].message
