"""YAML syntax errors at the line that holds the mistake, with the quoting hint, in every style the
README shows: block mappings, {…} mappings (the `defaults` example), […] lists, and front matter."""

from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.sources import yamlsource
from generator.sources.read_article import read_article

# the README's `defaults` example, word for word: a {…} mapping with a '?' inside a plain value
README_DEFAULTS = """\
defaults:
  tests: claim
  tags: [budget]
questions:
  - {id: critics-cost, kind: qa, question: What do critics say the bridge cost?, answer: Twice its budget, passage: Critics say the bridge cost twice its budget.}
"""


def problem(text: str) -> str:
    with pytest.raises(ContentError) as caught:
        yamlsource.load(text, "q.yaml")
    (found,) = caught.value.problems
    return str(found)


def test_the_readme_defaults_example_loads():
    data, _ = yamlsource.load(README_DEFAULTS, "q.yaml")
    assert data["questions"][0]["question"] == "What do critics say the bridge cost?"


def test_block_value_starting_with_a_question_mark_after_a_flow_mapping():
    # the flow line 5 is valid; the mistake is on line 8 (pure-Python PyYAML stops at line 5's '?')
    text = README_DEFAULTS + "  - id: mayor\n    kind: qa\n    question: ? What does the mayor say\n    answer: On time\n"
    assert problem(text) == (
        "q.yaml:8:15: error: YAML syntax: mapping keys are not allowed in this context (the value of 'question' "
        "starts with ?, so YAML reads a '? ' complex key and then more; quote the whole value: "
        "write question: \"? What does the mayor say\")")


def test_block_value_holding_colon_after_a_flow_mapping():
    text = README_DEFAULTS + "  - id: mayor\n    kind: qa\n    question: What? He said: on time\n    answer: On time\n"
    assert problem(text).startswith("q.yaml:8:28: error: YAML syntax: mapping values are not allowed in this context "
                                    "(the value of 'question' holds ': ', which YAML reads as a new key; quote the whole "
                                    "value: write question: \"What? He said: on time\")")


def test_flow_mapping_value_with_a_question_mark_key_after_a_flow_mapping():
    text = README_DEFAULTS + "  - {id: mayor, kind: qa, question: ? what, answer: On time}\n"
    found = problem(text)
    assert found.startswith("q.yaml:6:")
    assert "inside {…}, the value of 'question' holds one of" in found and 'write question: "? what"' in found


def test_flow_mapping_value_holding_colon():
    found = problem("questions:\n  - {id: a, kind: qa, question: Who said: this, answer: x}\n")
    assert found.startswith("q.yaml:2:") and "while parsing a flow mapping" in found
    assert 'quote the whole value: write question: "Who said: this"' in found


def test_block_value_starting_with_a_quote():
    found = problem('questions:\n  - id: a\n    question: "Who" said it?\n')
    assert found.startswith("q.yaml:3:21: error: YAML syntax:")
    assert "write question: '\"Who\" said it?'" in found


def test_flow_list_left_open_names_the_line_it_starts_at():
    found = problem("defaults:\n  tags: [budget\nquestions: []\n")
    assert "flow sequence that starts at line 2" in found


def test_front_matter_error_is_at_its_line_in_the_article_file():
    with pytest.raises(ContentError) as caught:
        read_article(b"---\ntitle: Bridge: the cost\n---\n\nText.\n", "article.md", "a")
    assert str(caught.value.problems[0]) == (
        "article.md:2:14: error: YAML syntax: mapping values are not allowed here (the value of 'title' holds ': ', "
        "which YAML reads as a new key; quote the whole value: write title: \"Bridge: the cost\")")


def test_a_merge_key_is_refused_where_it_stands():
    """`<<` was read as a key named '<<' (quizgen reads plain values as written): the question it
    merged into was only 'missing required key kind', and nothing named the merge."""
    found = problem("questions:\n  - <<: {kind: qa, tests: event}\n    id: a\n")
    assert found == "q.yaml:2:5: error: merge keys ('<<') are not supported: write the keys out (a question file's 'defaults:' gives every question the values they share)"
    assert yamlsource.load('"<<": quoted is a key like any other\n', "q.yaml")[0] == {"<<": "quoted is a key like any other"}


def test_a_value_an_alias_put_somewhere_is_placed_at_the_alias():
    """An alias's value is its anchor's node, at the anchor; a problem of the value where the alias
    stands is placed at the alias (where the author changes it), its key at the key."""
    text = "a: &v one\nb: *v\nc: [x, *v]\nd: &m {k: two}\ne: *m\n"
    data, marks = yamlsource.load(text, "q.yaml")
    assert data == {"a": "one", "b": "one", "c": ["x", "one"], "d": {"k": "two"}, "e": {"k": "two"}}
    assert marks.at(("a",)) == (1, 4)  # the anchor's own use
    assert marks.at(("b",)) == (2, 4)
    assert marks.at(("b",), key=True) == (2, 1)
    assert marks.at(("c", 1)) == (3, 8)
    assert marks.at(("d", "k")) == (4, 11)
    assert marks.at(("e", "k")) == (5, 4) and marks.at(("e", "k"), key=True) == (5, 4)  # inside what an alias put there
    assert marks.has(("e", "k")) and not marks.has(("e", "nope"))
