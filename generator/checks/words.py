"""The words of a text, normalised: what the giveaway check and the kinds' answers compare."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})  # (no word character either way: `words` needs none)
# every ASCII character (a byte): a letter or digit (what [^\W_] matches there) lowered, any other a space
_ASCII_BYTES = bytes(ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32 for c in range(256))
# the non-ASCII characters most text holds between its words (no-break and thin spaces, dashes, curly
# quotes, guillemets, the ellipsis, primes): no letter or digit, none in their NFKC form, and none
# composes with a character beside it, so as spaces they part the same words
_BETWEEN_WORDS = re.compile("[\u00a0\u00ab\u00bb\u2009\u202f\u2010-\u2015\u2018-\u201f\u2026\u2032\u2033]")


@lru_cache(maxsize=2048)  # the texts of a few articles: every repeat is within one
def words(text: str) -> tuple[str, ...]:
    """The words and numbers of a text, normalised: case, accents' forms and punctuation aside.

    Once per text (every rule and every pair of questions asks again). ASCII text is its own NFKC
    form, holds none of the quotes translated and folds its case as `lower` does.
    """
    if text.isascii():  # its letters and digits lowered, everything else a space: the same words, 3x quicker
        return _ascii_words(text)
    spaced = _BETWEEN_WORDS.sub(" ", text)
    if spaced.isascii():  # English with dashes and curly quotes: ASCII once they are spaces (5x quicker)
        return _ascii_words(spaced)
    # (the curly quotes are no word characters: NFKC and case folding find the same words without translating them)
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _ascii_words(text: str) -> tuple[str, ...]:
    """`words` of an ASCII text: translated as bytes (a third quicker than str.translate). UTF-8, the
    codecs' default, gives the same bytes for ASCII text and is found quicker than naming "ascii"."""
    return tuple(text.encode().translate(_ASCII_BYTES).decode().split())
