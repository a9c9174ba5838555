"""What every HTML builder shares: a Jinja2 environment over its package's templates, and its files.

Both are cached: a build renders the same templates for hundreds of articles.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import jinja2

from generator.builders import BuildOptions
from generator.i18n import direction, translations, ui_language
from generator.model import ArticleSet


@cache
def environment(package: str, folder: str = ".", language: str = "en") -> jinja2.Environment:
    """The templates in `folder` of `package`: autoescaped, undefined names are errors, no stray space.

    quizgen's own words are translated into `language` (English when it has no catalogue) with Jinja's
    i18n extension: `{% trans %}`, `_()` and `ngettext()`, new style (autoescaped, `%(name)s` formats).
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    ui = ui_language(language)
    env.install_gettext_translations(translations(ui), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(ui_lang=ui, ui_dir=direction(ui))
    return env


@cache
def static(package: str, name: str) -> str:
    """A file shipped in `package`, as text."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def page_language(found: ArticleSet, options: BuildOptions) -> str:
    """The language of quizgen's words in an article's outputs: --ui-language, else the article's
    (English where it has no catalogue)."""
    return ui_language(found.article.meta.language, options.ui_language)
