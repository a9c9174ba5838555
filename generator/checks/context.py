"""A passage in its context: the sentence(s) around each quoted span, for showing the source."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from generator.model import Anchor, Article, quick_init

# A sentence ends at a full stop, question or exclamation mark of any script (Latin, Arabic ؟ and ۔,
# Hebrew sof pasuq ׃, Devanagari danda, Armenian, Ethiopic, CJK ...), perhaps followed by closing
# quotes or brackets, then white space, then what can start a sentence: anything but a lower-case
# letter. Scripts without case (Hebrew, Arabic, ...) start a sentence with any letter.
_ENDS = ".!?\u037e\u0589\u061f\u06d4\u05c3\u0964\u0965\u1362\u3002\uff01\uff1f"
_BOUNDARY = re.compile(rf"""(?<=[{_ENDS}])["”’'»«)\]]*\s+(?=["“‘'„«»(\[]?(\S))""")
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "col", "lt", "sgt", "prof", "rev", "gov", "sen", "rep", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e",
     # German, French, Spanish, Russian abbreviations that a capital or a number may follow
     "nr", "bzw", "ca", "vgl", "z.b", "mme", "mlle", "sr", "sra", "dra", "art", "str", "г", "гг", "т.е", "им", "ул", "см"]
)


@quick_init  # one for every span of every passage (model.quick_init)
@dataclass(frozen=True)
class Quoted:
    """One span of a passage with the rest of its sentence(s): `before` + `quote` + `after`."""

    block: int
    before: str
    quote: str
    after: str


def sentence_starts(text: str) -> list[int]:
    """Offsets where the sentences of a block start."""
    starts = [0]
    for m in _BOUNDARY.finditer(text):
        if m.group(1).islower():
            continue  # "e.g. the", "3 p.m. and": a lower-case word goes on the sentence
        word = text[: m.start()].rstrip(_ENDS + "\"”’'»«)]").rsplit(None, 1)[-1:] or [""]
        token = word[0].lower()
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        starts.append(m.end())
    return starts


@lru_cache(maxsize=4096)
def _starts(text: str) -> tuple[int, ...]:
    """`sentence_starts`, once per block text: every passage of a block and every builder asks again."""
    return tuple(sentence_starts(text))


def in_context(article: Article, anchor: Anchor) -> tuple[Quoted, ...]:
    """Each span of the anchor with the sentence text around it."""
    spans = anchor.spans
    if len(spans) == 1:  # (most passages: a span of a body block) without a list comprehension or a method call
        b, start, end = spans[0]
        return (_quoted((article.blocks[b] if b >= 0 else article.block(b)).text, b, start, end),)
    return tuple([_quoted(article.block(span.block).text, span.block, span.start, span.end) for span in spans])


@lru_cache(maxsize=1 << 15)
def _quoted(text: str, block: int, start: int, end: int) -> Quoted:
    """One span in its sentence(s), once per span: the Anki deck and the study page both ask."""
    starts = _starts(text)  # ascending, from 0
    lo = starts[bisect_right(starts, start) - 1]  # the last start at or before the span
    after = bisect_left(starts, end)  # the first start at or after its end
    hi = starts[after] if after < len(starts) else len(text)
    return Quoted(block, text[lo:start], text[start:end], text[end:hi].rstrip())
