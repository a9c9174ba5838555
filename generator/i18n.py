"""quizgen's own words in the article's language: gettext catalogues, one per language, English the fallback.

The catalogues are the `.po` files in `generator/locales/<lang>/LC_MESSAGES/quizgen.po`, edited with
Babel's commands (see the contributors' docs). They are compiled when the package is built
(setup.py runs generator/catalogues.py: `quizgen.mo`, and `quizgen-script.json` with the study page's
script messages) and read here with the standard `gettext` module: Babel is not needed at run time.
Templates use Jinja's i18n extension (`{% trans %}`, `_()`, `ngettext`) over these translations.
"""

from __future__ import annotations

import gettext
import json
import re
from functools import cache, lru_cache
from importlib import resources
from importlib.abc import Traversable

from generator.model import RTL_LANGUAGES

DOMAIN = "quizgen"
SOURCE = "en"  # the language quizgen's messages are written in


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (at render time)."""
    return message


def base(language: str) -> str:
    """The language part of a tag: `he-IL` → `he`, `pt_BR` → `pt`."""
    return language.replace("_", "-").split("-")[0].lower()


def _compiled(language: str, suffix: str) -> Traversable:
    """A file compiled from a catalogue when the package was built (generator/catalogues.py)."""
    return resources.files("generator") / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def languages() -> tuple[str, ...]:
    """The languages quizgen speaks: English and every compiled catalogue."""
    folder = resources.files("generator").joinpath("locales")
    found = {p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()}
    return tuple(sorted(found | {SOURCE}))


@lru_cache(maxsize=256)
def ui_language(language: str, override: str | None = None) -> str:
    """The language of quizgen's words on a page: the override if given, else the article's;
    English when there is no catalogue for it."""
    wanted = base(override or language)
    return wanted if wanted in languages() else SOURCE


def fallback_language(article: str, ui: str, override: bool = False) -> str:
    """The language to mark on quizgen's words when they are in neither the page's language nor the
    article's: English (`SOURCE`) for an article in a language without a catalogue, where the page
    keeps the article's `lang`; "" when the words are in the page's language (the article's own, or
    the one --ui-language chose, which the page then declares)."""
    if override or ui != SOURCE or base(article) == SOURCE:
        return ""
    return SOURCE


def is_rtl(language: str) -> bool:
    return base(language) in RTL_LANGUAGES


def direction(language: str) -> str:
    return "rtl" if is_rtl(language) else "ltr"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations of one language (English: the messages as written)."""
    code = ui_language(language)
    if code == SOURCE:
        return gettext.NullTranslations()
    with _compiled(code, ".mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def gettext_for(language: str):
    """`_` for one language, for Python code that writes into outputs."""
    return translations(language).gettext


def ngettext_for(language: str):
    return translations(language).ngettext


@cache
def script_messages(language: str, direction: str) -> dict[str, object]:
    """The translations the study page's script needs: its tr() messages, and for each trn() message its
    form for every CLDR plural category of the language (the script picks one with Intl.PluralRules)."""
    code = ui_language(language)
    found = json.loads(_compiled(code, "-script.json").read_text(encoding="utf-8"))
    return {"lang": code, "dir": direction, **found}


_CITE = re.compile(r"¶(?P<p>[\d–-]+)|caption (?P<c>[\d–-]+)|\b(?P<h>title|subtitle)\b")


def cite(label: str, language: str) -> str:
    """A citation (`¶3`, `¶3–4`, `caption 2`, `title`, or several joined by commas) in `language`."""
    if ui_language(language) == SOURCE:
        return label  # the citations are written in English
    _ = gettext_for(language)

    def one(m: re.Match[str]) -> str:
        if m.group("p"):
            return _("¶%(numbers)s") % {"numbers": m.group("p")}
        if m.group("c"):
            return _("caption %(numbers)s") % {"numbers": m.group("c")}
        # a passage of the article's headline, or of the line under it
        return _("title") if m.group("h") == "title" else _("subtitle")

    return _CITE.sub(one, label)


__all__ = ["cite", "fallback_language", "script_messages", "DOMAIN", "N_", "SOURCE", "base", "direction", "gettext_for", "is_rtl", "languages", "ngettext_for",
           "translations", "ui_language"]
