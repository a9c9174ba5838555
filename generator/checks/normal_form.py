"""The form passages and articles are compared in: quotes, dashes, white space and Unicode forms aside.

Normalising translates look-alike characters one for one (quotes, dashes, Arabic-script letters) and
shortens white space; a text in another Unicode form than NFC, or holding characters that only mark
where a line may break (unicode_forms.IGNORED), is normalised word by word, and `chunks` says which
characters of a word each normalised character comes from, so that anchor.py can map a found
passage back to the article as written.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from generator.unicode_forms import IGNORED, has_ignored, plain

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´׳", "'"),  # ׳ Hebrew geresh
        **dict.fromkeys("“”„‟″«»״", '"'),  # ״ Hebrew gershayim
        **dict.fromkeys("‐‑‒–—―−־", "-"),  # ־ Hebrew maqaf
        # Arabic-script look-alikes that keyboards mix up: Persian yeh and keheh, and the dotless
        # final yeh (alef maksura) that Egyptian writing uses for yeh
        **dict.fromkeys("یى", "ي"),
        "ک": "ك",
    }
)
# the same table, character by character: each sought on its own (a fast scan, where a regular
# expression of them all looks at every character of the text in turn), and the few found replaced
_PAIRS = tuple((chr(c), str(r)) for c, r in _TRANSLATE.items())
_IGNORED_SET = frozenset(IGNORED)


@lru_cache(maxsize=4096)  # an article's choices and sources are normalised again for every question that offers them
def normalise(text: str) -> str:
    """The form passages are compared in: plain quotes and hyphens, single spaces, no ends; in NFC,
    without the characters that only mark where a line may break (unicode_forms.IGNORED)."""
    return simple_normalised(text)[1]


def normalised(text: str, is_simple: bool) -> str:
    """normalise(text), told whether the text is `simple`."""
    if not is_simple:  # word by word: the words of any form of a text are the same words
        return " ".join(w for w in map(normal_word, text.split()) if w)
    # what `text.translate(_TRANSLATE)` gives, character for character; a text holds few of them,
    # and replacing those few is much cheaper than translating a long text character by character
    if not text.isascii() or "`" in text:  # an ASCII text has none of them but the backtick
        text = _translated(text)
    return _single_spaced(text)


def _single_spaced(text: str) -> str:
    """`" ".join(text.split())` (str.split and the regex's \\S+ agree on what white space is); the
    text itself when it is so already, as most passages are: a printable text has no white space but
    the space (every other white space character is unprintable), seen at a fraction of the cost of
    splitting it into words."""
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return " ".join(text.split())


def _translated(text: str) -> str:
    for char, replacement in _PAIRS:  # (no replacement is a character of the table: the order is free)
        if char in text:
            text = text.replace(char, replacement)
    return text


def simple(text: str) -> bool:
    """Whether normalising a text only translates characters one for one (and shortens white space):
    it is in NFC, holds no IGNORED character, and stays in NFC translated."""
    if text.isascii():
        return True
    return not has_ignored(text) and unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", _translated(text))


def simple_normalised(text: str) -> tuple[bool, str]:
    """`(simple(text), normalised(text, simple(text)))`, the text translated once, not twice (an
    article's blocks, each indexed once)."""
    if text.isascii():
        return True, normalised(text, True)
    if has_ignored(text) or not unicodedata.is_normalized("NFC", text):
        return False, normalised(text, False)
    translated = _translated(text)
    if unicodedata.is_normalized("NFC", translated):
        return True, _single_spaced(translated)
    return False, normalised(text, False)


def normal_word(word: str) -> str:
    """One word (no white space) normalised: IGNORED characters dropped, in NFC, translated, in NFC
    again (a translated letter may compose with an accent after it). Whatever the form of the word,
    the same letters give the same result."""
    text = _translated(plain(word))
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def chunks(word: str) -> list[tuple[int, int, str]]:
    """A word cut where normalising it can be cut: (start, end, normalised text) of each piece.

    A piece is a letter with the accents that follow it (with any IGNORED characters between them);
    the IGNORED characters between pieces belong to none. Should the pieces normalised not make up
    the word normalised (Unicode composing across them), the word is one piece.
    """
    keep = [i for i, ch in enumerate(word) if ch not in _IGNORED_SET]
    if not keep:
        return []
    cuts = [0] + [
        k for k in range(1, len(keep))
        if not unicodedata.combining(word[keep[k]])
        and unicodedata.normalize("NFC", word[keep[k - 1]] + word[keep[k]])
        == unicodedata.normalize("NFC", word[keep[k - 1]]) + unicodedata.normalize("NFC", word[keep[k]])
    ] + [len(keep)]
    pieces = [(keep[a], keep[b - 1] + 1, normal_word(word[keep[a] : keep[b - 1] + 1])) for a, b in zip(cuts, cuts[1:])]
    if "".join(p for _, _, p in pieces) != normal_word(word):
        return [(keep[0], keep[-1] + 1, normal_word(word))]
    return pieces
