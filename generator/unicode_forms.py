"""Characters that do not show: which ones quizgen ignores in an article, and how messages show them.

A page saved from a browser can hold characters that look like nothing (a soft hyphen, a zero-width
space) and accents written as two characters (a letter and a combining accent, Unicode's NFD form)
where a keyboard types one (NFC). Two texts that read the same then differ character by character.

IGNORED are the characters that mark where a line may break and nothing else: dropping them never
changes a word. They are the soft hyphen (U+00AD: `&shy;`, which German and other news sites put in
long words), the zero-width space (U+200B), the word joiner (U+2060) and the zero-width no-break
space (U+FEFF, a byte-order mark when it starts a file). The zero-width non-joiner and joiner
(U+200C, U+200D) are not among them: in Persian, Arabic and the Indic scripts they choose how
letters join (Persian writes "می‌خواهم" with a non-joiner; Hindi uses the joiner to pick a
conjunct's form), and emoji sequences are built with the joiner, so they are part of the spelling.
Direction marks (U+200E, U+200F, U+061C) are kept too: they order mixed-direction text on screen.
"""

from __future__ import annotations

import re
import unicodedata

IGNORED = "\u00ad\u200b\u2060\ufeff"
_IGNORED = re.compile(f"[{IGNORED}]")
NAMES = {"\u00ad": "soft hyphen", "\u200b": "zero-width space", "\u2060": "word joiner", "\ufeff": "zero-width no-break space"}


# the control characters XML 1.0 refuses (tab and line ends apart): no output can show them, and an XML
# export (Moodle, QTI) holding one is no XML at all; an article's text may hold some (copied from a PDF),
# a question file's only through an escape ("\\e", "\\x0c")
XML_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f"
CONTROL = re.compile(f"[{XML_CONTROLS}\x7f]")  # and DEL, which shows nothing either


def has_ignored(text: str) -> bool:
    # IGNORED's characters sought one by one: each search a fast scan, where the regular expression
    # looks at every character in turn (fifteen times slower on a paragraph)
    return not text.isascii() and ("\u00ad" in text or "\u200b" in text or "\u2060" in text or "\ufeff" in text)


def plain(text: str) -> str:
    """The text without the IGNORED characters, in NFC (accents as one character where Unicode has one)."""
    if text.isascii():
        return text
    text = _IGNORED.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _shown(m: re.Match[str]) -> str:
    return f"<U+{ord(m.group()):04X}>"


# the characters a message spells out: the format characters (category Cf: the IGNORED ones, joiners,
# direction marks); control characters are escaped where messages are printed (\x1b)
_INVISIBLE = re.compile(r"[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
                        r"\ufeff\ufff9-\ufffb]")


def visible(text: str) -> str:
    """The text with every character that does not show written as <U+XXXX>, so that two texts a
    message quotes never look the same when they differ."""
    return text if text.isascii() else _INVISIBLE.sub(_shown, text)


# Scripts written without spaces between words: Han (Chinese characters, Japanese kanji), Hiragana
# and Katakana; and Thai, Lao, Myanmar and Khmer. A word of theirs has no edge a search can see.
_HAN_KANA = "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
_SOUTHEAST_ASIAN = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_UNSPACED = re.compile(f"[{_HAN_KANA}{_SOUTHEAST_ASIAN}]")
# Characters per word, to count the words of such text: a Chinese word is 1.5 characters on average
# (Japanese about as many, with kana), a Thai, Lao, Burmese or Khmer word about 4 letters and marks.
HAN_KANA_PER_WORD = 1.5
SOUTHEAST_ASIAN_PER_WORD = 4
_HAN_KANA_CHAR = re.compile(f"[{_HAN_KANA}]")
_SOUTHEAST_ASIAN_CHAR = re.compile(f"[{_SOUTHEAST_ASIAN}]")


def unspaced(ch: str) -> bool:
    """Whether a character is of a script written without spaces between words."""
    return _UNSPACED.match(ch) is not None


def word_count(text: str) -> int:
    """About how many words a text has: what white space separates, and in scripts written without
    spaces, their characters at HAN_KANA_PER_WORD or SOUTHEAST_ASIAN_PER_WORD characters a word."""
    tokens = text.split()
    if text.isascii() or not _UNSPACED.search(text):
        return len(tokens)
    # a token with no such character is a word (as in any text); in one with them, each stretch of
    # other characters with a letter or digit is ("1987" in "自1987年以来"), and punctuation is none
    spaced = sum(1 if not _UNSPACED.search(t) else sum(any(c.isalnum() for c in w) for w in _UNSPACED.sub(" ", t).split())
                 for t in tokens)
    han = len(_HAN_KANA_CHAR.findall(text))
    southeast = len(_SOUTHEAST_ASIAN_CHAR.findall(text))
    return spaced + round(han / HAN_KANA_PER_WORD + southeast / SOUTHEAST_ASIAN_PER_WORD)
