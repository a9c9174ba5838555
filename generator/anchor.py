"""Finding a quoted passage in an article, after normalising quotes, dashes and white space."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass

from generator.model import Anchor, Article, Span

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)
_WORD = re.compile(r"\S+")


def normalise(text: str) -> str:
    """The form passages are compared in: plain quotes and hyphens, single spaces, no ends."""
    return " ".join(_WORD.findall(text.translate(_TRANSLATE)))


class NotFound(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Piece:
    norm_start: int  # where the word starts in the normalised text
    block: int
    orig_start: int  # where it starts in the block's original text


class ArticleIndex:
    """The article normalised once, with a map back to the original text, to anchor many passages."""

    def __init__(self, article: Article) -> None:
        self.article = article
        words: list[str] = []
        self.pieces: list[_Piece] = []
        pos = 0
        for b, block in enumerate(article.blocks):
            translated = block.text.translate(_TRANSLATE)  # one character for one: offsets hold
            for m in _WORD.finditer(translated):
                self.pieces.append(_Piece(pos, b, m.start()))
                words.append(m.group())
                pos += len(m.group()) + 1
        self.text = " ".join(words)
        self._starts = [p.norm_start for p in self.pieces]

    def find_all(self, passage: str) -> list[int]:
        """Start offsets (in the normalised text) of every occurrence of the normalised passage."""
        found, start = [], self.text.find(passage)
        while start != -1:
            found.append(start)
            start = self.text.find(passage, start + 1)
        return found

    def spans(self, start: int, end: int) -> tuple[Span, ...]:
        """The normalised range [start, end) as spans of the original blocks."""
        first = bisect.bisect_right(self._starts, start) - 1
        last = bisect.bisect_right(self._starts, end - 1) - 1
        spans: list[Span] = []
        for i in range(first, last + 1):
            piece = self.pieces[i]
            word_len = (self.pieces[i + 1].norm_start - 1 if i + 1 < len(self.pieces) else len(self.text)) - piece.norm_start
            lo = max(start - piece.norm_start, 0)
            hi = min(end - piece.norm_start, word_len)
            a, b = piece.orig_start + lo, piece.orig_start + hi
            if spans and spans[-1].block == piece.block:
                spans[-1] = Span(piece.block, spans[-1].start, b)
            else:
                spans.append(Span(piece.block, a, b))
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
        """A hint naming the closest stretch of the article and how the passage differs from it."""
        from rapidfuzz import fuzz

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
