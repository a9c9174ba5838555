"""Finding a quoted passage in an article, after normalising quotes, dashes, white space and Unicode forms."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import Counter
from itertools import accumulate

from generator.checks.normal_form import chunks, normalise, simple, simple_normalised
from generator.model import SUBTITLE, TITLE, Anchor, Article, Span
from generator.unicode_forms import visible

_WORD = re.compile(r"\S+")
_ELLIPSIS = re.compile(r" ?(?:…|\.\.\.) ?")
MAX_SPAN = 600  # characters of a passage given by its ends, from the start of one to the end of the other
PROBE = 200  # characters of a passage that is not found compared with the article for a hint
# a named tuple made from its fields' tuple, as its own __new__ makes it, without that Python call:
# the anchor and span of every passage found (most of them)
_tuple = tuple.__new__


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
        self.normalised: dict[int, str] = {}  # each block's normalised text, by its index in article.blocks
        self._blocks: list[int] = []  # index into article.blocks of each part
        self._offsets: list[int] = []  # where each part starts in self.text
        # blocks whose normalised text has every character where the original has it (single spaces
        # between words, none at the ends: most blocks), whose offsets need no word offsets to map back
        self._same: set[int] = set()
        # blocks whose normalising only translates characters one for one and shortens white space
        # (the others: ones with IGNORED characters or not in NFC), whose words keep their lengths
        self._simple: set[int] = set()
        pos = 0
        for b, block in enumerate(article.blocks):
            is_simple, norm = simple_normalised(block.text)
            self.normalised[b] = norm
            if is_simple:
                self._simple.add(b)
                if len(norm) == len(block.text):  # only shortens white space: none to shorten
                    self._same.add(b)
            if norm:
                self._blocks.append(b)
                self._offsets.append(pos)
                parts.append(norm)
                pos += len(norm) + 1
        self.text = " ".join(parts)
        self._words: dict[int, tuple[list[int], list[int]]] = {}
        self._chars: dict[int, tuple[list[int], list[int]]] = {}
        # the title and subtitle, searched only for a passage the body has not (so that a passage
        # found once in the body before stays found there)
        heads = ((TITLE, article.meta.title), (SUBTITLE, article.meta.subtitle))
        self.heads = {b: normalise(text) for b, text in heads if text and normalise(text)}
        self.normalised.update(self.heads)
        self._simple.update(b for b, text in heads if text and simple(text))
        self._same.update(b for b, text in heads if b in self._simple and len(self.heads.get(b, "")) == len(text or ""))

    def find_all(self, passage: str) -> list[int]:
        """Start offsets (in the normalised text) of every occurrence of the normalised passage."""
        return _occurrences(self.text, passage)

    def _word_offsets(self, block: int) -> tuple[list[int], list[int]]:
        """Where each word of a block starts: in its normalised text, and in its original text."""
        if block not in self._words:
            # the words are where they were after translating (one character for one, no spaces)
            text = self.article.block(block).text
            found = list(_WORD.finditer(text))
            orig = [m.start() for m in found]
            lengths = [m.end() - m.start() + 1 for m in found]
            norm = list(accumulate(lengths[:-1], initial=0)) if lengths else []
            self._words[block] = (norm, orig)
        return self._words[block]

    def _characters(self, block: int) -> tuple[list[int], list[int]]:
        """Where each character of a block's normalised text starts and ends in its original text,
        for a block whose normalising does more than translate characters one for one."""
        if block not in self._chars:
            starts: list[int] = []
            ends: list[int] = []
            for m in _WORD.finditer(self.article.block(block).text):
                pieces = chunks(m.group())
                if not pieces:
                    continue  # a word of IGNORED characters only: nothing of it is left
                if starts:  # the space before the word, never an end of a passage
                    starts.append(m.start())
                    ends.append(m.start())
                for lo, hi, norm in pieces:
                    if len(norm) == hi - lo:  # character for character
                        starts += range(m.start() + lo, m.start() + hi)
                        ends += range(m.start() + lo + 1, m.start() + hi + 1)
                    else:  # a letter and its accents composed (or the like): all of it, from any of it
                        starts += [m.start() + lo] * len(norm)
                        ends += [m.start() + hi] * len(norm)
            self._chars[block] = (starts, ends)
        return self._chars[block]

    def _original(self, block: int, offset: int) -> int:
        """The original offset of the character at normalised `offset` of a block (never a space)."""
        if block in self._same:
            return offset
        if block not in self._simple:
            return self._characters(block)[0][offset]
        norm, orig = self._word_offsets(block)
        i = bisect.bisect_right(norm, offset) - 1
        return orig[i] + offset - norm[i]

    def _original_end(self, block: int, last: int) -> int:
        """The original offset just after the character at normalised `last` of a block."""
        if block in self._same or block in self._simple:
            return self._original(block, last) + 1
        return self._characters(block)[1][last]

    def spans(self, start: int, end: int) -> tuple[Span, ...]:
        """The normalised range [start, end) as spans of the original blocks."""
        spans: list[Span] = []
        k = bisect.bisect_right(self._offsets, start) - 1
        b = self._blocks[k] if k >= 0 and start < end else None
        if b in self._same and end <= (self._offsets[k + 1] - 1 if k + 1 < len(self._offsets) else len(self.text)):
            offset = self._offsets[k]  # (most passages) within one block written as normalised: offsets as they are
            return (_tuple(Span, (b, start - offset, end - offset)),)
        while k < len(self._offsets) and self._offsets[k] < end:
            offset = self._offsets[k]
            length = (self._offsets[k + 1] - 1 if k + 1 < len(self._offsets) else len(self.text)) - offset
            lo, hi = max(start - offset, 0), min(end - offset, length)
            if hi > lo:
                b = self._blocks[k]
                spans.append(Span(b, self._original(b, lo), self._original_end(b, hi - 1)))
            k += 1
        return tuple(spans)

    def label(self, start: int, end: int) -> str:
        return Anchor("", self.spans(start, end)).cite(self.article)

    def anchor(self, passage: str, *, ends: bool = True) -> Anchor:
        """Anchor one passage; raises NotFound with a message that helps the author fix it.

        With `ends`, a passage that is not found as it is and is written as its two ends around an
        ellipsis (`…` or `...`) stands for the whole stretch of one paragraph between them.
        """
        needle = normalise(passage)
        if not needle:
            raise NotFound("passage is empty")
        found = self.find_all(needle)
        if len(found) == 1:
            return _tuple(Anchor, (passage, self.spans(found[0], found[0] + len(needle))))
        if found:
            raise NotFound(f"passage is found {len(found)} times in the article ({self._places(found, len(needle))}); quote more words to make it unique")
        head = self._in_heads(passage, needle)
        if head is not None:
            return head
        parts = _ELLIPSIS.split(needle) if ends else []
        if len(parts) == 2 and all(parts):
            return self._by_ends(*parts)
        if len(parts) > 2:
            raise NotFound("passage not found in the article; a passage given by its ends has one '…' between them, no more")
        raise NotFound("passage not found in the article" + self.closest(needle))

    def _in_heads(self, passage: str, needle: str) -> Anchor | None:
        """The passage in the title or the subtitle, when the body has it not; None when neither has it."""
        found = [(b, at) for b, text in self.heads.items() for at in _occurrences(text, needle)]
        if len(found) > 1:
            labels = Counter(self.article.block(b).label for b, _ in found)
            places = ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in labels.items())
            raise NotFound(f"passage is found {len(found)} times in the article ({places}); quote more words to make it unique")
        if not found:
            return None
        b, at = found[0]
        return Anchor(passage, (Span(b, self._original(b, at), self._original_end(b, at + len(needle) - 1)),))

    def _places(self, found: list[int], length: int) -> str:
        labels = Counter(self.label(s, s + length) for s in found)
        return ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in labels.items())

    def _end(self, which: str, text: str) -> int:
        """Where one end of a passage given by its ends is: it must be found once."""
        found = self.find_all(text)
        if not found:
            raise NotFound(f'the {which} of the passage, "{_clip(text, 60)}", is not found in the article' + self.closest(text))
        if len(found) > 1:
            raise NotFound(
                f'the {which} of the passage, "{_clip(text, 60)}", is found {len(found)} times in the article '
                f"({self._places(found, len(text))}); quote more words at its {which}"
            )
        return found[0]

    def _by_ends(self, head: str, tail: str) -> Anchor:
        """The stretch from `head` to `tail`: each found once, in order, in one paragraph, not too long."""
        start, last = self._end("start", head), self._end("end", tail)
        if last < start + len(head):
            raise NotFound(f"the end of the passage ({self.label(last, last + len(tail))}) comes before its start ({self.label(start, start + len(head))})")
        end = last + len(tail)
        spans = self.spans(start, end)
        if len(spans) > 1:
            raise NotFound(f"the two ends of the passage are in different blocks ({self.label(start, end)}); a passage given by its ends stays within one")
        if end - start > MAX_SPAN:
            raise NotFound(f"the passage from its start to its end is {end - start} characters long; one given by its ends is {MAX_SPAN} at most")
        anchor = Anchor("", spans)
        return Anchor(anchor.quote(self.article), spans)

    def closest(self, needle: str) -> str:
        """A hint naming the closest stretch of the article and how the passage differs from it.

        Only the passage's first PROBE characters are compared, so the search takes time in
        proportion to the article's length, however long the passage.
        """
        from rapidfuzz import fuzz  # only for a passage not found: a tenth of a second kept off every check

        needle = needle[:PROBE].rsplit(" ", 1)[0] if len(needle) > PROBE else needle
        hit = fuzz.partial_ratio_alignment(needle, self.text)
        if hit is None or hit.score < 50:
            return "; nothing in the article comes close"
        # Compare word by word (whatever the case and the punctuation around words) with a window of
        # whole words around the aligned stretch: a few words before it, and the passage's length after.
        start = self.text.rfind(" ", 0, hit.dest_start) + 1
        for _ in range(4):
            start = self.text.rfind(" ", 0, max(start - 1, 0)) + 1 if start > 0 else 0
        mine = needle.split(" ")
        size = len(mine) + 8
        window = self.text[start:].split(" ", size)[:size]
        matcher = difflib.SequenceMatcher(None, [_word_key(w) for w in mine], [_word_key(w) for w in window], autojunk=False)
        blocks = [m for m in matcher.get_matching_blocks() if m.size]
        if not blocks:
            return "; nothing in the article comes close"
        return self._explain(needle, window, start, blocks)

    def _explain(self, needle: str, window: list[str], start: int, blocks: list[difflib.Match]) -> str:
        """The closest stretch of the window (which starts at `start`) and how the passage differs."""
        mine = needle.split(" ")
        first, last = _stretch(blocks)
        # Words at the passage's ends that the stretch has not: different words in the same place,
        # unless the article has them elsewhere (then they are said to be missing here).
        a_lo, a_hi, b_lo, b_hi = first.a, last.a + last.size, first.b, last.b + last.size
        if a_lo and not self.find_all(" ".join(mine[:a_lo])):
            a_lo, b_lo = 0, max(b_lo - a_lo, 0)
        if a_hi < len(mine) and not self.find_all(" ".join(mine[a_hi:])):
            b_hi, a_hi = min(b_hi + len(mine) - a_hi, len(window)), len(mine)
        near_words = window[b_lo:b_hi]
        near = " ".join(near_words)
        if near[-1:] in ",;:" and not needle.endswith(near[-1]):
            near = near[:-1]
        near_start = start + sum(len(w) + 1 for w in window[:b_lo])
        where = self.label(near_start, near_start + len(near))
        notes = []
        if a_lo:
            notes.append(self._missing("starts with", mine[:a_lo], "before", near_words[:2]))
        notes += _difference(mine[a_lo:a_hi], near_words)
        if a_hi < len(mine):
            notes.append(self._missing("ends with", mine[a_hi:], "after", near_words[-2:]))
        said = " (" + "; ".join(notes[:3]) + ")" if notes else ""
        return f'; closest is {where}: "{_clip(near)}"{said}'

    def _missing(self, how: str, words: list[str], side: str, beside: list[str]) -> str:
        """The passage's own words at one end, which the closest stretch has not; and where they are."""
        text = " ".join(words)
        found = self.find_all(text)[0]
        where = self.label(found, found + len(text))
        return f'the passage {how} "{_clip(text, 60)}", which the article has in {where} but not {side} "{visible(" ".join(beside))}"'


def _occurrences(text: str, needle: str) -> list[int]:
    """Where `needle` starts in `text`, every time (overlapping ones too), but where it would cut a
    letter from the accents written after it: "0" is not in "0\u0301" (a letter with an accent that has
    no single character), as "Jose" is not in "José"."""
    found, start = [], text.find(needle)
    if needle and unicodedata.combining(needle[0]):
        return []  # an accent alone: it belongs to the letter before it, which the passage lacks
    size = len(needle)
    while start != -1:
        end = start + size
        if end == len(text) or text[end].isascii() or not unicodedata.combining(text[end]):
            found.append(start)
        start = text.find(needle, start + 1)
    return found


def _stretch(blocks: list[difflib.Match]) -> tuple[difflib.Match, difflib.Match]:
    """The first and last matching runs of words around the longest, across gaps of 3 words at most."""
    k = max(range(len(blocks)), key=lambda i: blocks[i].size)
    lo = hi = k
    while lo > 0 and blocks[lo].b - (blocks[lo - 1].b + blocks[lo - 1].size) <= 3:
        lo -= 1
    while hi + 1 < len(blocks) and blocks[hi + 1].b - (blocks[hi].b + blocks[hi].size) <= 3:
        hi += 1
    return blocks[lo], blocks[hi]


def _word_key(word: str) -> str:
    """What words are aligned by: without case and the punctuation around them."""
    return word.strip("\"'.,;:!?()[]-").casefold() or word


def _trim_common(a: str, b: str) -> tuple[str, str]:
    """Drop punctuation both ends share, so `"five` against `"six` reads as five against six."""
    while a and b and a[0] == b[0] and not a[0].isalnum():
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1] and not a[-1].isalnum():
        a, b = a[:-1], b[:-1]
    return a, b


def _clip(text: str, limit: int = 160) -> str:
    """A quote for a message: at most `limit` characters, with what does not show spelled out."""
    return visible(text if len(text) <= limit else text[: limit - 1] + "…")


def _difference(mine: list[str], theirs: list[str]) -> list[str]:
    """How the passage's words differ from the article's, each difference with a word of context."""
    notes = []
    ops = difflib.SequenceMatcher(None, [_word_key(w) for w in mine], [_word_key(w) for w in theirs], autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":  # the same words, but for their case or punctuation
            differ = [
                i for i in range(i1, i2)
                if mine[i] != theirs[j1 + i - i1]
                and not (i == len(mine) - 1 and theirs[j1 + i - i1].startswith(mine[i]))
                and not (i == 0 and theirs[j1].endswith(mine[0]))
            ]
            if differ:
                lo, hi = differ[0], differ[-1] + 1
                a, b = " ".join(mine[lo:hi]), " ".join(theirs[j1 + lo - i1 : j1 + hi - i1])
                notes.append(f'the article has "{_clip(b, 60)}" where the passage has "{_clip(a, 60)}"')
            continue
        if op == "replace":
            a, b = _trim_common(" ".join(mine[i1:i2]), " ".join(theirs[j1:j2]))
        else:  # a word or more that only one side has: shown with the words on either side
            lo_a, lo_b = max(i1 - 1, 0), max(j1 - 1, 0)
            a, b = " ".join(mine[lo_a : i2 + 1]), " ".join(theirs[lo_b : j2 + 1])
        notes.append(f'the article has "{_clip(b, 60)}" where the passage has "{_clip(a, 60)}"')
    return notes
