"""Each kind's printed quiz and key, from the template file its registration names.

The quiz's templates import `kinds/<kind>.html.j2` for a section of that kind; a kind that is not
registered, or whose file defines no such macro, is an error when the page is rendered.

The smallest of the macros those templates use (`points`, `tf_letter`, `questions_count`,
`points_count`, `ui`) are functions here, the first four's answers kept per environment (one per
language): a quiz and its key call them hundreds of times, and a Jinja macro call cost more than the
text it made. They give the very text the macros gave (the same translations, the same escaping).
"""

from __future__ import annotations

import os
import stat
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

    # each answer is made (its translator looked up) only the first time it is asked for
    @jinja2.pass_context
    def points(context: Context, n: int) -> Markup:
        en = context.resolve("en")
        # looked up before `make` is defined: asked for once a question on every page, and nearly always known
        found = known.get((context.eval_ctx.autoescape, "points", str(en), n))
        if found is not None:
            return found

        def make() -> str:  # (the words outside the f-string: Babel reads no f-string)
            ngettext = _translator(context, "ngettext")
            return '<span class="pts"' + str(escape(en)) + ">" + ngettext("(%(num)d pt)", "(%(num)d pts)", n) + "</span>"
        return said(context, ("points", str(en), n), make)

    @jinja2.pass_context
    def tf_letter(context: Context, answer: object) -> Markup:
        found = known.get((context.eval_ctx.autoescape, "tf", bool(answer)))  # (as points: nearly always known)
        if found is not None:
            return found

        def make() -> str:
            pgettext = _translator(context, "pgettext")
            return pgettext("true", "T") if answer else pgettext("false", "F")
        return said(context, ("tf", bool(answer)), make)

    @jinja2.pass_context
    def questions_count(context: Context, n: int) -> Markup:
        def make() -> str:
            ngettext = _translator(context, "ngettext")
            return ngettext("%(num)d question", "%(num)d questions", n)
        return said(context, ("questions", n), make)

    @jinja2.pass_context
    def points_count(context: Context, n: int) -> Markup:
        def make() -> str:
            ngettext = _translator(context, "ngettext")
            return ngettext("%(num)d point", "%(num)d points", n)
        return said(context, ("points_count", n), make)

    return {"points": points, "tf_letter": tf_letter, "questions_count": questions_count, "points_count": points_count,
            "ui": ui}


@jinja2.pass_context
def ui(context: Context, words: object = None, caller: Callable[[], str] | None = None) -> Markup:
    """quizgen's words amid the article's text, marked with their language (`en`) where it is not the
    page's: `ui(words)`, or the block of `{% call ui() %}...{% endcall %}` (a plain call makes no
    macro for its block)."""
    text = escape(caller() if caller is not None else words)
    en = context.resolve("en")
    return Markup(f"<span{escape(en)}>{text}</span>") if en else text


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
    file_name = str(path)
    mtime = path.stat().st_mtime

    def uptodate() -> bool:  # the same registration, and its file unchanged
        # (one os.stat, not pathlib's is_file and stat: Jinja asks at every import of the template)
        if REGISTRY.get(kind.name) is not kind:
            return False
        try:
            now = os.stat(file_name)
        except OSError:
            return False
        return stat.S_ISREG(now.st_mode) and now.st_mtime == mtime

    return path.read_text(encoding="utf-8"), file_name, uptodate
