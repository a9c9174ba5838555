"""Parsing cloze text: `[[answer]]`, `[[answer::hint]]`, `[[cN::answer]]`, `[[cN::answer::hint]]`."""

from __future__ import annotations

import re

from generator.model import Deletion
from generator.unicode_forms import visible

_TOKEN = re.compile(r"\[\[|\]\]")
_NUMBER = re.compile(r"c(\d+)::", re.ASCII)


MAX_NUMBER = 65536  # Anki stores a card's number in 16 bits: c65537 makes the whole import fail


_ANKI_CLOZE = re.compile(r"\{\{c\d+::.*?\}\}", re.S)


class ClozeSyntaxError(ValueError):
    pass


def parse(text: str) -> tuple[str | Deletion, ...]:
    """Split cloze text into plain strings and deletions; raises ClozeSyntaxError."""
    segments: list[str | Deletion] = []
    pos = 0
    opened = -1
    deleted = False  # whether a deletion is among the segments
    for m in _TOKEN.finditer(text):
        if m.group() == "[[":
            if opened != -1:
                raise ClozeSyntaxError("a deletion '[[' opens inside another; close the first with ']]'")
            if m.start() > pos:
                segments.append(text[pos : m.start()])
            opened = m.end()
        else:
            if opened == -1:
                raise ClozeSyntaxError("']]' closes no deletion; open one with '[['")
            segments.append(_deletion(text[opened : m.start()]))
            pos, opened, deleted = m.end(), -1, True
    if opened != -1:
        raise ClozeSyntaxError(f"unclosed deletion '[[{_clip(text[opened:])}': close it with ']]'")
    if pos < len(text):
        segments.append(text[pos:])
    if not deleted:
        anki = _ANKI_CLOZE.search(text)
        if anki:
            raise ClozeSyntaxError(
                f"'{_clip(anki.group())}' is Anki's own cloze syntax; write deletions as [[c1::…]] here, "
                f"as in '[[{_clip(anki.group()[2:-2])}]]'"
            )
        raise ClozeSyntaxError("cloze text has no deletion; mark the words to hide as [[words]]")
    _asks_something(segments)
    return tuple(segments)


def _asks_something(segments: list[str | Deletion]) -> None:
    """Raises ClozeSyntaxError when no letter or digit of the text is left outside its deletions.

    The printed quiz blanks every deletion at once, so such a text prints as blanks with nothing to
    answer from (a hint says what kind of answer is wanted, not what is asked; a question asked by
    its hint alone is a `kind: qa`). Anki and the study page show a card's other numbers, but the
    quiz does not, so the rule is the same for every numbering.
    """
    shown = "".join(s for s in segments if isinstance(s, str))
    if any(map(str.isalnum, shown)):  # (in C, from its first character: most texts start with a word)
        return
    rest = f" (outside its deletions there is only '{visible(_clip(shown.strip()))}')" if shown.strip() else ""
    raise ClozeSyntaxError(
        f"cloze text hides all its words{rest}, so it prints as blanks with nothing to answer from; "
        "leave the words around the answer outside [[...]] (or ask it as kind: qa)"
    )


def _deletion(inner: str) -> Deletion:
    number = 1
    m = _NUMBER.match(inner)
    if m:
        number = int(m.group(1))
        if number < 1:
            raise ClozeSyntaxError(f"deletion '[[{inner}]]' is numbered c{m.group(1)}; numbers start at c1")
        if number > MAX_NUMBER:
            raise ClozeSyntaxError(f"deletion '[[{_clip(inner)}]]' is numbered above c{MAX_NUMBER}, the last number Anki can import")
        inner = inner[m.end() :]
    answer, sep, hint = inner.partition("::")
    if "::" in hint:
        raise ClozeSyntaxError(
            f"deletion '[[{inner}]]' has more than one '::'; write [[answer::hint]] (an answer cannot contain '::')"
        )
    if not answer.strip():
        raise ClozeSyntaxError(f"deletion '[[{inner}]]' hides nothing; put the words to hide inside")
    if sep and not hint.strip():
        raise ClozeSyntaxError(f"deletion '[[{inner}]]' has an empty hint; remove the '::' or write the hint")
    return Deletion(number, answer, hint or None)


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
