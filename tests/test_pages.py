"""What the HTML builders share: quizgen's words translated once per environment, with Jinja's results."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from generator.i18n import translations
from generator.outputs.pages import _escape, _remember_translations, environment

TEMPLATE = (
    "{{ _('Print at 100%% on A4') }}|{{ _('Code %(code)s', code='<b>') }}|{{ gettext('Name') }}|"
    "{% for n in (1, 2, 1) %}{{ ngettext('(%(num)d pt)', '(%(num)d pts)', n) }}{% endfor %}|"
    "{{ pgettext('true', 'T') }}{{ pgettext('false', 'F') }}|{{ _('“%(title)s”', title=claim) }}|"
    "{% trans %}Quiz{% endtrans %}|{% autoescape false %}{{ _('Source:') }}{% endautoescape %}"
)


def _env(language: str, remember: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": TEMPLATE}), autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    if remember:
        _remember_translations(env)
    return env


@pytest.mark.parametrize("language", ["en", "de", "he", "ru"])
def test_remembered_translations_render_as_jinja_does(language):
    for claim in ("a & b", "<script>"):
        expected = _env(language, False).get_template("t").render(claim=claim)
        env = _env(language, True)
        assert env.get_template("t").render(claim=claim) == expected
        assert env.get_template("t").render(claim=claim) == expected  # from what it remembered
    assert "&lt;script&gt;" in _env(language, True).get_template("t").render(claim="<script>")


class _Html:
    def __html__(self) -> str:
        return "<i>safe</i>"


VALUES = ["", "plain", "a & b <c> \"d\" 'e'", "é 日本 𝒜", markupsafe.Markup("<b>kept</b>"), 0, -12, 10**30, True,
          False, None, 2.5, _Html(), ["<li>"], ("x", 1)]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_output_is_escaped_as_markupsafe_escapes_it(value):
    """`{{ value }}` in quizgen's environments writes what Jinja's own escaping writes."""
    assert _escape(value) == markupsafe.escape(value) and type(_escape(value)) is markupsafe.Markup
    env = environment("generator.outputs.study")
    for source in ("{{ v }}", "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(v) }}", "{% for i in [v] %}{{ i }}{% endfor %}"):
        expected = jinja2.Environment(autoescape=True).from_string(source).render(v=value)
        template = env.from_string(source)
        assert template.render(v=value) == expected and template.root_render_func.__globals__["escape"] is _escape


def test_a_page_is_freed_when_rendered_and_its_environment_still_renders():
    """A page's macros and their contexts make reference cycles; once rendered, its contexts are
    emptied, so what the page was given is freed at once, not by the cyclic collection. A module
    imported without context, which Jinja keeps for later pages, keeps working."""
    import gc
    import weakref

    from generator.outputs.pages import _Environment

    templates = {
        "page": "{% from 'm' import shout with context %}{% import 'plain' as plain %}"
                "{% macro twice(x) %}{{ shout(x) }}{{ shout(x) }}{% endmacro %}{{ twice(thing.name) }}{{ plain.said() }}",
        "m": "{% macro shout(x) %}{{ x | upper }}{{ mark }}{% endmacro %}",
        "plain": "{% macro said() %}plain{% endmacro %}",
    }
    env = _Environment(loader=jinja2.DictLoader(templates), autoescape=True)

    class Thing:
        name = "a<b"

    for _ in range(2):
        thing = Thing()
        gone = weakref.ref(thing)
        gc.disable()
        try:
            assert env.get_template("page").render(thing=thing, mark="!") == "A&lt;B!A&lt;B!plain"
            del thing
            assert gone() is None  # freed by its last reference, no collection needed
        finally:
            gc.enable()
