"""The stems giveaways compare: PyStemmer (C, a dependency) gives the same as Snowball's pure-Python
stemmers, which snowballstemmer falls back to where PyStemmer is not installed; so a check says the
same with or without it, only quicker (issue 31)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from generator.checks import stopwords

ROOT = Path(__file__).resolve().parent.parent
# the words of the bundled article and of every article and question file of the tests (English,
# French, Russian, Arabic, Hebrew, German, Spanish, Japanese ...), and inflected forms of some
SOURCES = [*(ROOT / "questions").rglob("*.md"), *(ROOT / "questions").rglob("*.yaml"),
           *(ROOT / "tests").rglob("article.md"), *(ROOT / "tests").rglob("*.yaml")]
SUFFIXES = ("", "s", "es", "ed", "ing", "ly", "ness", "ment", "ation", "ational", "ies", "ement", "eux", "ungen",
            "heit", "ción", "mente", "ость", "ами", "лись", "ات", "ون")


def vocabulary() -> list[str]:
    words: set[str] = set()
    for path in SOURCES:
        words.update(w.casefold() for w in re.findall(r"\w+", path.read_text(encoding="utf-8", errors="replace")))
    stems = sorted(w for w in words if w.isalpha())[:4000]
    return sorted(words | {w + s for w in stems[::6] for s in SUFFIXES})


def pure_python(language: str):
    module = importlib.import_module(f"snowballstemmer.{language}_stemmer")
    (cls,) = [getattr(module, n) for n in dir(module) if n.endswith("Stemmer") and n not in ("BaseStemmer",)]
    return cls().stemWord


def test_pystemmer_is_what_check_stems_with():
    import snowballstemmer
    import Stemmer as stemmer_module  # a dependency (pyproject.toml): missing, the install is broken

    assert snowballstemmer.stemmer is stemmer_module.Stemmer  # snowballstemmer hands its work to it
    assert stopwords.stemmer("en")("refurbishing") == stopwords.stemmer("en")("refurbishment") == "refurbish"


@pytest.mark.parametrize("language", sorted(set(stopwords._SNOWBALL.values())))
def test_the_c_and_python_stemmers_agree(language):
    import Stemmer as stemmer_module  # a dependency (pyproject.toml): missing, the install is broken
    words = vocabulary()
    assert len(words) > 6_000  # every language's words, inflected
    fast, slow = stemmer_module.Stemmer(language).stemWord, pure_python(language)
    assert [w for w in words if fast(w) != slow(w)] == []
