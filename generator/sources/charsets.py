"""The code page of a user's text file that is not UTF-8 (Excel's "CSV" on Windows), or why it cannot be told.

charset-normalizer (the `mark` extra; imported only for such a file) lists the code pages whose
decoding reads as text. On a class list of a few names it cannot choose among them (two Hebrew
names in Windows-1255 are Polish to it in Windows-1250, an Arabic name Korean), so its candidates
are ranked first by what a list of names looks like: a word is in one script, does not start with
a combining mark, holds no foreign digits, and in a script with capitals (Latin, Greek, Cyrillic) a
word without an ASCII letter has a capital, and no capital beyond ASCII follows a small letter. The
best candidate must have no such odd word. Among those, the one charset-normalizer finds less messy
(on a class of 10 Turkish names, Windows-1254 rather than -1252, whose `Ayþe Yýlmaz` it finds
messier), then the code page Windows uses most (`CODE_PAGES`, in that order: a few Western names
read the same in most Latin code pages). Its coherence (letter frequencies of a language) is left
out: on a few names it is noise (`Zoë Ávila` was more English to it in Windows-1257, `Zoė Įvila`).
When the candidates left reading as names, as little messy, are in two scripts with capitals (one
Cyrillic name in Windows-1251 is as good a Latin name in -1250, and a Greek one in -1253), nothing
tells them apart: the file is refused, naming each reading, rather than read as mojibake.

A file that is UTF-8 but for a few bytes (a line pasted from a file in another encoding) is refused
naming its line: whatever it were decoded as, some of its lines would be mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# the ANSI code pages of Windows (what Excel's "CSV" is saved in), then Excel for Mac's Mac Roman
CODE_PAGES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
              "cp874", "cp932", "cp936", "cp949", "cp950", "mac-roman")
SAVE_AS = "save it again as UTF-8 (Excel: \"CSV UTF-8\"; LibreOffice: character set \"Unicode (UTF-8)\")"
_WORD = re.compile(r"[^\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")  # between spaces and ASCII punctuation
_HAN = {"CJK", "HIRAGANA", "KATAKANA"}  # Japanese writes a name in these together
_CASED = {"LATIN", "CYRILLIC", "GREEK"}  # scripts with capitals, whose code pages put them at the same bytes


def _line(data: bytes, at: int) -> int:
    newline = b"\n" if b"\n" in data else b"\r"
    return data.count(newline, 0, at) + 1


def stray(data: bytes) -> str | None:
    """Why UTF-8 text with bytes of another encoding is refused (naming the first such line), or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", errors="replace")
        if any(ord(c) > 127 and c != "\ufffd" for c in text):
            return (f"line {_line(data, e.start)} is not UTF-8 like the rest of the file (byte 0x{data[e.start]:02X}): "
                    f"it mixes two encodings and would read as mojibake; {SAVE_AS}")
    return None


def _script(char: str) -> str:
    name = unicodedata.name(char, "UNKNOWN").split()[0]
    return "CJK" if name in _HAN else name


def odd(word: str) -> bool:
    """Whether a word is unlike a word of a name in any script (see the module's text)."""
    if unicodedata.category(word[0]).startswith("M"):
        return True
    letters = [c for c in word if unicodedata.category(c).startswith("L")]
    if any(c.isdigit() and not c.isascii() for c in word) or len({_script(c) for c in letters}) > 1:
        return True
    if not any(c.lower() != c.upper() for c in letters):
        return False
    if not any(c.isascii() or c.isupper() for c in letters):  # a name's word has a capital
        return True
    return any(a.islower() and b.isupper() and not b.isascii() for a, b in zip(word, word[1:]))  # not "ăÍăĎ"


def oddities(text: str) -> int:
    """How many words of `text` with a letter beyond ASCII are unlike a name's."""
    return sum(1 for word in _WORD.findall(text) if not word.isascii() and odd(word))


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def _first_foreign_line(data: bytes) -> int:
    return _line(data, next((i for i, b in enumerate(data) if b > 127), 0))


def legacy(data: bytes) -> tuple[str | None, str]:
    """(the text, "") of bytes in one of `CODE_PAGES`, told with confidence; (None, why not) otherwise."""
    reason = stray(data)
    if reason:
        return None, reason
    line = _first_foreign_line(data)
    try:
        from charset_normalizer import from_bytes  # the [mark] extra
    except ImportError:
        return None, (f"line {line} is not UTF-8, and telling its encoding needs charset-normalizer "
                      f"(pip install -e '.[mark]' in the quizgen folder); or {SAVE_AS}")
    order = {_codec(name): rank for rank, name in enumerate(CODE_PAGES)}
    candidates = []
    for match in from_bytes(data, cp_isolation=list(CODE_PAGES)):  # one match for code pages that read alike
        ranks = [order[n] for n in map(_codec, [match.encoding, *match.could_be_from_charset]) if n in order]
        if ranks:
            text = str(match)
            candidates.append((oddities(text), match.chaos, min(ranks), text, match.encoding))
    if not candidates or min(candidates)[0]:
        return None, f"cannot tell which encoding line {line} is in (it is not UTF-8); {SAVE_AS}"
    best = min(candidates)
    doubt = _doubt([c for c in sorted(candidates) if c[:2] == best[:2]], line)
    return (None, f"cannot tell which encoding line {line} is in: it is not UTF-8, and {doubt}; {SAVE_AS}") if doubt \
        else (best[3], "")


def _doubt(tied: list[tuple[int, float, int, str, str]], line: int) -> str:
    """Why the readings of a file that no measure tells apart (no odd word, as little chaos) leave its
    script in doubt, or "": when they are in two scripts with capitals (Latin, Cyrillic, Greek), whose
    Windows code pages put capitals and small letters at the same bytes, so a name reads as a name in
    each (`Иван Петров` in Windows-1251 is `Čâŕí Ďĺňđîâ` in -1250), the best one among them: refused,
    rather than a class list read as mojibake. Two readings in one script (a few Western names) are left to the code page
    Windows uses most, as are scripts without capitals."""
    readings: dict[str, tuple[str, str]] = {}  # script: (code page, the line in it), the best reading's first
    for n, (*_, text, encoding) in enumerate(tied):
        scripts = {_script(c) for c in text if c.isalpha() and not c.isascii()} & _CASED
        if len(scripts) == 1:
            readings.setdefault(scripts.pop(), (encoding, text.splitlines()[line - 1].strip()))
        elif n == 0:
            return ""  # the best reading has no letter of those scripts (a review file's `½`): no doubt
    if len(readings) < 2:
        return ""
    named = [f"{script.title()} ({_windows(code)}: {shown})" for script, (code, shown) in readings.items()]
    return f"it reads as names in {', '.join(named[:-1])} and {named[-1]}"


def _windows(code: str) -> str:
    name = _codec(code)
    return f"Windows-{name[2:]}" if name.startswith("cp12") else name
