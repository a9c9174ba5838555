"""quizgen's own words in the article's language: gettext catalogues, one per language, English the fallback.

The catalogues are the `.po` files in `generator/locales/<lang>/LC_MESSAGES/quizgen.po`, edited with
Babel's commands (see the README). They are compiled in memory when first used, with Babel, so a
plain checkout (or `pip install -e .`) needs no build step and cannot run a stale `.mo`.
Templates use Jinja's i18n extension (`{% trans %}`, `_()`, `ngettext`) over these translations.
"""

from __future__ import annotations

import gettext
import io
import re
from functools import cache
from importlib import resources
from importlib.abc import Traversable

from babel import Locale
from babel.messages.extract import extract

from generator.model import RTL_LANGUAGES

DOMAIN = "quizgen"
SOURCE = "en"  # the language quizgen's messages are written in


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (at render time)."""
    return message


def base(language: str) -> str:
    """The language part of a tag: `he-IL` → `he`, `pt_BR` → `pt`."""
    return language.replace("_", "-").split("-")[0].lower()


def _catalogue_file(language: str) -> Traversable:
    return resources.files("generator") / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def languages() -> tuple[str, ...]:
    """The languages quizgen speaks: English and every shipped catalogue."""
    folder = resources.files("generator").joinpath("locales")
    found = {p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()}
    return tuple(sorted(found | {SOURCE}))


def ui_language(language: str, override: str | None = None) -> str:
    """The language of quizgen's words on a page: the override if given, else the article's;
    English when there is no catalogue for it."""
    wanted = base(override or language)
    return wanted if wanted in languages() else SOURCE


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
    from babel.messages.mofile import write_mo  # here: an English page needs no catalogue
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with _catalogue_file(code).open("rb") as f:
        catalog = read_po(f, locale=code, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def gettext_for(language: str):
    """`_` for one language, for Python code that writes into outputs."""
    return translations(language).gettext


def ngettext_for(language: str):
    return translations(language).ngettext


# How the study page's script marks its messages: tr('text', {...}) and trn(n, 'one', 'many', {...}).
SCRIPT_KEYWORDS = {"tr": None, "trn": (2, 3)}


@cache
def script_messages(script: str, language: str, direction: str) -> dict[str, object]:
    """The translations a page's script needs: its tr() messages, and for each trn() message its form
    for every CLDR plural category of the language (the script picks one with Intl.PluralRules)."""
    code = ui_language(language)
    t = translations(code)
    locale = Locale.parse(code)
    messages: dict[str, str] = {}
    plurals: dict[str, dict[str, str]] = {}
    for _line, message, _comments, _context in extract("javascript", io.BytesIO(script.encode("utf-8")),
                                                       keywords=SCRIPT_KEYWORDS):
        if isinstance(message, tuple):
            forms: dict[str, str] = {}
            for n in (*range(0, 202), 1000, 1000000):
                forms.setdefault(locale.plural_form(n), t.ngettext(message[0], message[1], n))
            plurals[message[0]] = forms
        else:
            messages[message] = t.gettext(message)
    return {"lang": code, "dir": direction, "messages": messages, "plurals": plurals}


_CITE = re.compile(r"¶(?P<p>[\d–-]+)|caption (?P<c>[\d–-]+)")


def cite(label: str, language: str) -> str:
    """A citation (`¶3`, `¶3–4`, `caption 2`, or several joined by commas) in `language`."""
    _ = gettext_for(language)

    def one(m: re.Match[str]) -> str:
        if m.group("p"):
            return _("¶%(numbers)s") % {"numbers": m.group("p")}
        return _("caption %(numbers)s") % {"numbers": m.group("c")}

    return _CITE.sub(one, label)


__all__ = ["cite", "script_messages", "DOMAIN", "N_", "SOURCE", "base", "direction", "gettext_for", "is_rtl", "languages", "ngettext_for",
           "translations", "ui_language"]
