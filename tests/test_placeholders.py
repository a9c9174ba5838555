"""Templates of plain `{{ name }}` placeholders, expanded without Jinja2, give what Jinja's sandbox gives.

Whatever the pattern's texts and the row's values, `placeholders` gives the same questions, the same
placeholder names and the same errors (path and message) as `templates`, which it hands everything
else to.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.sources import placeholders, templates

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(module: Any, pattern: dict[str, Any], values: dict[str, str]) -> tuple[Any, ...]:
    """What a module makes of a pattern and one row: names and errors of the pattern, then the row's result or error."""
    fields, errors = module.compile_pattern(pattern)
    if errors:
        return ("syntax", [(e.path, e.message) for e in errors])
    names = sorted(set().union(*(f.names for f in fields))) if fields else []
    try:
        return ("ok", names, module.render(pattern, fields, values))
    except templates.PatternError as e:
        return ("failed", names, e.path, e.message)


def same(pattern: dict[str, Any], values: dict[str, str]) -> tuple[Any, ...]:
    got = outcome(placeholders, pattern, values)
    assert got == outcome(templates, pattern, values)
    return got


def test_plain_placeholders_are_substituted_without_jinja():
    pattern = {"kind": "qa", "question": "Where, according to the article, {{ what }}?", "answer": "{{place}}",
               "tags": ["x {{ what }}"], "id": "{{ what }}"}
    fields, errors = placeholders.compile_pattern(pattern)
    assert errors == [] and all(isinstance(f, placeholders.Simple) for f in fields)
    values = {"what": "did {{ it }} happen", "place": "In Tel Aviv\n"}
    assert same(pattern, values) == ("ok", ["place", "what"], {
        "kind": "qa", "question": "Where, according to the article, did {{ it }} happen?", "answer": "In Tel Aviv\n",
        "tags": ["x did {{ it }} happen"], "id": "{{ what }}",
    })


def test_anything_more_goes_to_jinja():
    for text in ("{{ what|upper }}", "{% if x %}a{% endif %}", "{# c #}{{ x }}", "{{ true }}", "{{ range }}",
                 "{{ _x }}", "{ {{ x }}", "{{ x }} }", "a\r\n{{ x }}", "{{\tx }}", "{{ x"):
        fields, _ = placeholders.compile_pattern({"question": text})
        assert not any(isinstance(f, placeholders.Simple) for f in fields), text
        same({"question": text}, {"x": "1", "what": "w"})


def test_a_row_it_cannot_expand_gets_jinjas_error():
    assert same({"question": "{{ what }} {{ other }}"}, {"what": "w"})[0] == "failed"  # a value missing
    long = "x" * 6_000
    assert same({"question": "{{ a }}{{ a }}"}, {"a": long})[0] == "failed"  # longer than templates.MAX_OUTPUT
    assert same({"question": "{{ a }}"}, {"a": long})[0] == "ok"
    assert placeholders.MAX_SIMPLE <= templates.MAX_OUTPUT


names = st.sampled_from(["a", "b", "what", "x1", "true", "none", "loop", "if", "_a", "A_b"])
pieces = st.one_of(
    st.text(alphabet="ab {}%#|\r\n-+~.()'\"", max_size=6),
    names.map(lambda n: "{{ " + n + " }}"),
    names.map(lambda n: "{{" + n + "}}"),
    st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", "{{ a|upper }}", "{{ a ~ b }}", "{{ 'q' }}"]),
)
texts = st.lists(pieces, max_size=5).map("".join)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["question", "answer", "id", "tags"]), texts, min_size=1, max_size=3),
       st.dictionaries(names, st.text(alphabet="ab {}\n", max_size=5), max_size=4))
def test_the_same_as_jinja_for_any_text(pattern, values):
    same(pattern, values)
