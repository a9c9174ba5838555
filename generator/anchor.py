"""Finding a quoted passage in an article, after normalising quotes, dashes and white space."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter

from generator.model import Anchor, Article, Span

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
_WORD = re.compile(r"\S+")
PROBE = 200  # characters of a passage that is not found compared with the article for a hint


def normalise(text: str) -> str:
    """The form passages are compared in: plain quotes and hyphens, single spaces, no ends."""
    return " ".join(_WORD.findall(text.translate(_TRANSLATE)))


class NotFound(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ArticleIndex:
    """The article normalised once, to anchor many passages with one search each.

    The normalised text is the blocks' normalised texts joined by single spaces; a found range is
    mapped back to the original text block by block, through each block's word offsets, computed
    only for the blocks that passages are found in.
    """

    def __init__(self, article: Article) -> None:
        self.article = article
        parts: list[str] = []
        self._blocks: list[int] = []  # index into article.blocks of each part
        self._offsets: list[int] = []  # where each part starts in self.text
        pos = 0
        for b, block in enumerate(article.blocks):
            norm = normalise(block.text)
            if norm:
                self._blocks.append(b)
                self._offsets.append(pos)
                parts.append(norm)
                pos += len(norm) + 1
        self.text = " ".join(parts)
        self._words: dict[int, tuple[list[int], list[int]]] = {}

    def find_all(self, passage: str) -> list[int]:
        """Start offsets (in the normalised text) of every occurrence of the normalised passage."""
        found, start = [], self.text.find(passage)
        while start != -1:
            found.append(start)
            start = self.text.find(passage, start + 1)
        return found

    def _word_offsets(self, block: int) -> tuple[list[int], list[int]]:
        """Where each word of a block starts: in its normalised text, and in its original text."""
        if block not in self._words:
            translated = self.article.blocks[block].text.translate(_TRANSLATE)  # one for one: offsets hold
            norm, orig, pos = [], [], 0
            for m in _WORD.finditer(translated):
                norm.append(pos)
                orig.append(m.start())
                pos += m.end() - m.start() + 1
            self._words[block] = (norm, orig)
        return self._words[block]

    def _original(self, block: int, offset: int) -> int:
        """The original offset of the character at normalised `offset` of a block (never a space)."""
        norm, orig = self._word_offsets(block)
        i = bisect.bisect_right(norm, offset) - 1
        return orig[i] + offset - norm[i]

    def spans(self, start: int, end: int) -> tuple[Span, ...]:
        """The normalised range [start, end) as spans of the original blocks."""
        spans: list[Span] = []
        k = bisect.bisect_right(self._offsets, start) - 1
        while k < len(self._offsets) and self._offsets[k] < end:
            offset = self._offsets[k]
            length = (self._offsets[k + 1] - 1 if k + 1 < len(self._offsets) else len(self.text)) - offset
            lo, hi = max(start - offset, 0), min(end - offset, length)
            if hi > lo:
                b = self._blocks[k]
                spans.append(Span(b, self._original(b, lo), self._original(b, hi - 1) + 1))
            k += 1
        return tuple(spans)

    def label(self, start: int, end: int) -> str:
        return Anchor("", self.spans(start, end)).cite(self.article)

    def anchor(self, passage: str) -> Anchor:
        """Anchor one passage; raises NotFound with a message that helps the author fix it."""
        needle = normalise(passage)
        if not needle:
            raise NotFound("passage is empty")
        found = self.find_all(needle)
        if len(found) == 1:
            return Anchor(passage, self.spans(found[0], found[0] + len(needle)))
        if found:
            labels = Counter(self.label(s, s + len(needle)) for s in found)
            places = ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in labels.items())
            raise NotFound(
                f"passage is found {len(found)} times in the article ({places}); "
                "quote more words to make it unique"
            )
        raise NotFound("passage not found in the article" + self.closest(needle))

    def closest(self, needle: str) -> str:
        """A hint naming the closest stretch of the article and how the passage differs from it.

        Only the passage's first PROBE characters are compared, so the search takes time in
        proportion to the article's length, however long the passage.
        """
        from rapidfuzz import fuzz

        needle = needle[:PROBE].rsplit(" ", 1)[0] if len(needle) > PROBE else needle
        hit = fuzz.partial_ratio_alignment(needle, self.text)
        if hit is None or hit.score < 50:
            return "; nothing in the article comes close"
        # Widen the aligned stretch to whole words and a few more on each side, then keep the
        # stretch between the first and last words the passage shares with it.
        start = self.text.rfind(" ", 0, hit.dest_start) + 1
        size = len(needle.split(" ")) + 4
        window = self.text[start:].split(" ", size)[:size]
        text = " ".join(window)
        matcher = difflib.SequenceMatcher(None, needle, text, autojunk=False)
        blocks = [m for m in matcher.get_matching_blocks() if m.size > 1]
        if not blocks:
            return "; nothing in the article comes close"
        # Widen to whole words, unless the passage's own first or last character matched there.
        first, last = blocks[0], blocks[-1]
        lo = first.b if first.a == 0 else text.rfind(" ", 0, first.b) + 1
        hi = last.b + last.size
        if last.a + last.size < len(needle):
            hi = len(text) if text.find(" ", hi) == -1 else text.find(" ", hi)
        near = text[lo:hi]
        near_start = start + lo
        where = self.label(near_start, near_start + len(near))
        return f'; closest is {where}: "{_clip(near)}"{_difference(needle, near)}'


def _trim_common(a: str, b: str) -> tuple[str, str]:
    """Drop punctuation both ends share, so `"five` against `"six` reads as five against six."""
    while a and b and a[0] == b[0] and not a[0].isalnum():
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1] and not a[-1].isalnum():
        a, b = a[:-1], b[:-1]
    return a, b


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _difference(passage: str, near: str) -> str:
    """How the passage differs from the article's text, word by word (the first two differences)."""
    a, b = passage.split(" "), near.split(" ")
    notes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        mine, theirs = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if op == "replace":
            mine, theirs = _trim_common(mine, theirs)
            notes.append(f'the article has "{_clip(theirs, 60)}" where the passage has "{_clip(mine, 60)}"')
        elif op == "delete":
            notes.append(f'the article does not have "{_clip(mine, 60)}"')
        elif op == "insert" and 0 < i1 < len(a):
            notes.append(f'the article has "{_clip(theirs, 60)}" there too')
    if not notes:
        return ""
    return " (" + "; ".join(notes[:2]) + ")"
