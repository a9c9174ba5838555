"""What every HTML builder shares: a Jinja2 environment over its package's templates, and its files.

Both are cached: a build renders the same templates for hundreds of articles. Compiled templates
are also kept between runs in quizgen's cache folder (`generator.cachedir`): compiling the quiz's
templates costs more CPU than rendering them for a few articles.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources

import jinja2

from generator import cachedir
from generator.builders import BuildOptions
from generator.i18n import direction, translations, ui_language
from generator.model import ArticleSet

# How every page's templates are compiled (the compiled code depends on these, so they key the cache).
OPTIONS = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "extensions": ["jinja2.ext.i18n"],
}
NEWSTYLE = True  # gettext's new style: it changes how `{% trans %}` compiles


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in quizgen's cache folder. Jinja reads an entry only when the template's
    source has the checksum it was compiled from; the key holds the template's file, the options
    above, and Jinja's and Python's versions."""

    def __init__(self, settings: str) -> None:
        self.kind = "templates"
        self.settings = cachedir.key(settings, jinja2.__version__, sys.version)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return cachedir.key(self.settings, name, filename or "")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cachedir.read(self.kind, bucket.key)
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # noqa: BLE001 -- a damaged entry is compiled again, like a missing one
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cachedir.write(self.kind, bucket.key, bucket.bytecode_to_string())


_CACHE = TemplateCache(repr(sorted(OPTIONS.items(), key=lambda item: item[0])) + f" newstyle={NEWSTYLE}")


@cache
def environment(package: str, folder: str = ".", language: str = "en") -> jinja2.Environment:
    """The templates in `folder` of `package`: autoescaped, undefined names are errors, no stray space.

    quizgen's own words are translated into `language` (English when it has no catalogue) with Jinja's
    i18n extension: `{% trans %}`, `_()` and `ngettext()`, new style (autoescaped, `%(name)s` formats).
    """
    env = jinja2.Environment(loader=jinja2.PackageLoader(package, folder), bytecode_cache=_CACHE, **OPTIONS)  # type: ignore[arg-type]
    ui = ui_language(language)
    env.install_gettext_translations(translations(ui), newstyle=NEWSTYLE)  # type: ignore[attr-defined]
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
