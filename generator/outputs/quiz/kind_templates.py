"""Each kind's printed quiz and key, from the template file its registration names.

The quiz's templates import `kinds/<kind>.html.j2` for a section of that kind; a kind that is not
registered, or whose file defines no such macro, is an error when the page is rendered.

The smallest of the macros those templates use (`points`, `tf_letter`, `questions_count`,
`points_count`) are functions here, each answer kept per environment (one per language): a quiz
and its key call them hundreds of times, and a Jinja macro call cost more than the text it made.
They give the very text the macros gave (the same translations, the same escaping).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup, escape

from generator.kinds.registry import REGISTRY


def with_kinds(env: jinja2.Environment) -> jinja2.Environment:
    """`env`, also finding each kind's template as `kinds/<kind>.html.j2`."""
    if not isinstance(env.loader, jinja2.ChoiceLoader):
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.FunctionLoader(kind_template)])  # type: ignore[list-item]
        env.globals.update(_small_macros())
    return env


def _small_macros() -> dict[str, Callable[..., Markup]]:
    """`points(n)`, `tf_letter(answer)`, `questions_count(n)`, `points_count(n)` for one environment,
    as the macros of macros.html.j2 wrote them (`en`: the attribute marking quizgen's words, or "")."""
    known: dict[tuple[Any, ...], Markup] = {}

    def said(context: Context, key: tuple[Any, ...], make: Callable[[], str]) -> Markup:
        key = (context.eval_ctx.autoescape, *key)
        found = known.get(key)
        if found is None:
            found = known[key] = Markup(make())
        return found

    @jinja2.pass_context
    def points(context: Context, n: int) -> Markup:
        en, ngettext = context.resolve("en"), _translator(context, "ngettext")
        return said(context, ("points", str(en), n),  # (the words outside the f-string: Babel reads no f-string)
                    lambda: '<span class="pts"' + str(escape(en)) + ">" + ngettext("(%(num)d pt)", "(%(num)d pts)", n) + "</span>")

    @jinja2.pass_context
    def tf_letter(context: Context, answer: object) -> Markup:
        pgettext = _translator(context, "pgettext")
        return said(context, ("tf", bool(answer)), lambda: pgettext("true", "T") if answer else pgettext("false", "F"))

    @jinja2.pass_context
    def questions_count(context: Context, n: int) -> Markup:
        ngettext = _translator(context, "ngettext")
        return said(context, ("questions", n), lambda: ngettext("%(num)d question", "%(num)d questions", n))

    @jinja2.pass_context
    def points_count(context: Context, n: int) -> Markup:
        ngettext = _translator(context, "ngettext")
        return said(context, ("points_count", n), lambda: ngettext("%(num)d point", "%(num)d points", n))

    return {"points": points, "tf_letter": tf_letter, "questions_count": questions_count, "points_count": points_count}


def _translator(context: Context, name: str) -> Callable[..., str]:
    """The template's `ngettext` or `pgettext`, its answer escaped as `{{ ... }}` escapes it (called
    by that name, so that Babel finds the words)."""
    translate = context.resolve(name)
    return lambda *args: str(escape(context.call(translate, *args)))


def kind_template(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """The source of `kinds/<kind>.html.j2`: the template file of a registered kind (None: not found, an error)."""
    folder, _, file = name.partition("/")
    kind = REGISTRY.get(file.removesuffix(".html.j2")) if folder == "kinds" and file.endswith(".html.j2") else None
    if kind is None:
        return None
    path = Path(kind.template)
    mtime = path.stat().st_mtime

    def uptodate() -> bool:  # the same registration, and its file unchanged
        return REGISTRY.get(kind.name) is kind and path.is_file() and path.stat().st_mtime == mtime

    return path.read_text(encoding="utf-8"), str(path), uptodate
