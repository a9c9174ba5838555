"""Compiling quizgen's catalogues when the package is built, with Babel; never imported at run time.

setup.py runs this before it copies the package's files (a wheel, `pip install .`, `pip install -e .`):
each `locales/<lang>/LC_MESSAGES/quizgen.po` becomes `quizgen.mo`, which i18n.py reads with the
standard `gettext` module, and every language (English too) gets `quizgen-script.json`, the
messages of the study page's script: its tr() messages, and for each trn() message its form for
every CLDR plural category of the language (the script picks one with Intl.PluralRules). After
editing a `.po` file or the script's messages in a checkout, compile again:

    python -m generator.catalogues

This file imports nothing from quizgen (setup.py loads it by path, before the package exists).
"""

from __future__ import annotations

import gettext
import io
import json
import sys
from pathlib import Path

from babel import Locale
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "quizgen"
SOURCE = "en"  # the language quizgen's messages are written in: no catalogue
PACKAGE = Path(__file__).resolve().parent
LOCALES = PACKAGE / "locales"
SCRIPT = PACKAGE / "outputs/study/study.js"  # babel.cfg: its tr() and trn() messages
SCRIPT_FILE = f"{DOMAIN}-script.json"
SCRIPT_KEYWORDS = {"tr": None, "trn": (2, 3)}
# Counts whose plural category a trn() message gets a form for: every category CLDR gives any language
# is reached below 202 (or at a thousand, a million: French's and Spanish's "many").
COUNTS = (*range(0, 202), 1000, 1000000)


def compile_po(po: bytes, language: str) -> bytes:
    """A `.po` file's bytes compiled to a `.mo` file's."""
    mo = io.BytesIO()
    write_mo(mo, read_po(io.BytesIO(po), locale=language, domain=DOMAIN))
    return mo.getvalue()


def script_messages(script: str, language: str, translations: gettext.NullTranslations) -> dict[str, object]:
    """The translations the study page's script needs in `language` (see the module's docstring)."""
    locale = Locale.parse(language)
    messages: dict[str, str] = {}
    plurals: dict[str, dict[str, str]] = {}
    for _line, message, _comments, _context in extract("javascript", io.BytesIO(script.encode("utf-8")),
                                                       keywords=SCRIPT_KEYWORDS):
        if isinstance(message, tuple):
            forms: dict[str, str] = {}
            for n in COUNTS:
                forms.setdefault(locale.plural_form(n), translations.ngettext(message[0], message[1], n))
            plurals[message[0]] = forms
        else:
            messages[message] = translations.gettext(message)
    return {"messages": messages, "plurals": plurals}


def compiled(locales: Path = LOCALES, script: Path = SCRIPT) -> dict[Path, bytes]:
    """Every file this compiles, by path, with its bytes."""
    found: dict[Path, bytes] = {}
    text = script.read_text(encoding="utf-8")
    empty = locales / SOURCE / "LC_MESSAGES"
    found[empty / SCRIPT_FILE] = _json(script_messages(text, SOURCE, gettext.NullTranslations()))
    for po in sorted(locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po.parent.parent.name
        mo = compile_po(po.read_bytes(), language)
        found[po.with_suffix(".mo")] = mo
        found[po.parent / SCRIPT_FILE] = _json(script_messages(text, language, gettext.GNUTranslations(io.BytesIO(mo))))
    return found


def _json(data: dict[str, object]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8")


def compile_all(locales: Path = LOCALES, script: Path = SCRIPT) -> list[Path]:
    """Write every compiled file that is missing or out of date; the ones written."""
    written = []
    for path, data in compiled(locales, script).items():
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(PACKAGE.parent)}", file=sys.stderr)
