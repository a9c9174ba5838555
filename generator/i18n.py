"""quizgen's own words in the article's language: gettext catalogues, one per language, English the fallback.

The catalogues are the `.po` files in `generator/locales/<lang>/LC_MESSAGES/quizgen.po`, edited with
Babel's commands (see the README). They are compiled with Babel when first used, so a plain checkout
(or `pip install -e .`) needs no build step and cannot run a stale `.mo`: the compiled catalogue is
kept in quizgen's cache folder (`generator.cachedir`) under the hash of its `.po` file, and so are the
study page's script messages, under the hash of the script, so most runs need not import Babel.
Templates use Jinja's i18n extension (`{% trans %}`, `_()`, `ngettext`) over these translations.
"""

from __future__ import annotations

import gettext
import io
import json
import re
from functools import cache, lru_cache
from importlib import resources
from importlib.abc import Traversable

from generator import cachedir
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
    po = _catalogue_file(code).read_bytes()
    name = cachedir.key("mo", code, po, cachedir.module_stamp("babel"))
    mo = cachedir.read("catalogues", name)
    if mo is not None:
        try:
            return gettext.GNUTranslations(io.BytesIO(mo))
        except Exception:  # noqa: BLE001 -- a damaged entry: compiled again
            pass
    mo = compile_catalogue(po, code)
    cachedir.write("catalogues", name, mo)
    return gettext.GNUTranslations(io.BytesIO(mo))


def compile_catalogue(po: bytes, language: str) -> bytes:
    """A `.po` file's bytes compiled to a `.mo` file's, with Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=language, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    return mo.getvalue()


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
    po = _catalogue_file(code).read_bytes() if code != SOURCE else b""
    name = cachedir.key("script", script, code, direction, po, cachedir.module_stamp("babel"))
    cached = cachedir.read("scripts", name)
    if cached is not None:
        try:
            return json.loads(cached)
        except ValueError:
            pass  # damaged: found again
    result = find_script_messages(script, code, direction)
    cachedir.write("scripts", name, json.dumps(result, ensure_ascii=False).encode("utf-8"))
    return result


def find_script_messages(script: str, code: str, direction: str) -> dict[str, object]:
    """`script_messages`, found with Babel: its JavaScript lexer and the language's CLDR plural rules."""
    from babel import Locale
    from babel.messages.extract import extract

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
