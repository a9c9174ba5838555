"""The words the giveaway check compares: function words, an article's stems, acronyms and sentences."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

from generator.checks.stopwords import stemmer, stop_words
from generator.checks.words import _QUOTES, _WORD, words
from generator.model import Anchor, ArticleSet, Span

__all__ = ["EDGE_WORDS", "STOP_WORDS", "_QUOTES", "key_words", "words"]

_PUNCTUATION = ".,;:!?\"'()[]{}“”‘’«»…"
# English function words: an answer made only of these gives nothing away.
STOP_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "by", "for", "from", "with", "without", "into", "onto", "over", "under", "about", "as", "than", "then", "that", "this", "these", "those", "it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "no", "yes", "so", "such", "only", "just", "very", "also", "too", "all", "any", "some", "each", "every", "one", "two", "both", "either", "neither", "he", "she", "they", "we", "you", "i", "him", "her", "them", "us", "his", "hers", "their", "our", "your", "my", "me", "who", "whom", "whose", "which", "what", "when", "where", "why", "how", "there", "here", "s", "t"]
)
# Words dropped from the ends of an answer before it is looked for: "In Moscow" is found as "Moscow".
EDGE_WORDS = frozenset(["a", "an", "the", "in", "on", "at", "to", "by", "of", "from", "with", "into", "for", "and", "or"])


@lru_cache(maxsize=2048)  # the texts of a few articles: every repeat is within one
def key_words(text: str) -> tuple[str, ...]:
    """The words an answer is looked for by: its words without the function words at either end."""
    key = list(words(text))
    while key and key[0] in EDGE_WORDS:
        key.pop(0)
    while key and key[-1] in EDGE_WORDS:
        key.pop()
    return tuple(key)


# where a sentence ends: its mark, closing quotes and white space (only the match's end is read: the mark
# leads the pattern rather than a look-behind, so that the search skips to the marks, 2.5x quicker)
_SENTENCE_END = re.compile(r"[.!?؟。][\"'”’»)]*\s+")
_ACRONYM_FIRST = re.compile(r"(?<!\w)([^\W\d_][^\W_]{1,5})\s*\(([^()]{3,80})\)")  # GRU (Russian military intelligence)
_ACRONYM_AFTER = re.compile(r"\(([^\W\d_][^\W_]{1,5})\)")  # Russian military intelligence (GRU)


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


_STEMS: dict[str, dict[str, str | None]] = {}  # by language tag
_STEMS_KEPT = 65536  # words of a language kept across articles (as many as its stemmer's cache)


class _Language:
    """An article's language: its stop words, its stemmer, its acronyms."""

    def __init__(self, found: ArticleSet) -> None:
        self._content: dict[str, tuple[tuple[str, str], ...]] = {}
        self._stems: dict[str, tuple[str, ...]] = {}
        self._stem_sets: dict[str, frozenset[str]] = {}
        self.stop = stop_words(found.article.meta.language)
        self.stem = stemmer(found.article.meta.language)
        # each word's stem, or None for a function word: a text's stems are then one pass (`stems`, `bag`);
        # shared by the articles of a language (kept while small)
        self._stem_of = _STEMS.setdefault(found.article.meta.language, {})
        if len(self._stem_of) > _STEMS_KEPT:
            self._stem_of.clear()
        self.acronyms: dict[str, frozenset[str]] = {}  # acronym stem -> the stems of its expansion
        for block in found.article.blocks:
            if "(" not in block.text:  # both patterns need one (most paragraphs have none)
                continue
            for m in _ACRONYM_FIRST.finditer(block.text):
                if _is_acronym(m.group(1)):
                    self._define(m.group(1), self.stems(m.group(2)))
            for m in _ACRONYM_AFTER.finditer(block.text):
                if _is_acronym(m.group(1)):  # its expansion: as many words before it as it has letters
                    before = re.split(r"[()]", block.text[max(0, m.start() - 200) : m.start()])[-1]
                    self._define(m.group(1), self.stems(before)[-len(m.group(1)) :])

    def _define(self, acronym: str, gloss: Sequence[str]) -> None:
        stems = frozenset(gloss)
        if stems and 1 <= len(stems) <= 6:
            self.acronyms[self.stem(acronym.casefold())] = stems

    def stems(self, text: str) -> tuple[str, ...]:
        """The stems of every content word of a text, in order (once per text)."""
        found = self._stems.get(text)
        if found is None:
            stem_of = self._stem_of
            said = words(text)
            try:  # every word seen before (most texts): no test per word
                found = tuple([s for s in map(stem_of.__getitem__, said) if s is not None])
            except KeyError:
                self._learn(said)
                found = tuple([s for s in map(stem_of.__getitem__, said) if s is not None])
            self._stems[text] = found
        return found

    def bag(self, texts: Sequence[str]) -> frozenset[str]:
        """The stems of the content words of some texts, as one set (each text's words in one pass in C,
        no text's stems kept in order: a question's own texts, each read once)."""
        if len(texts) == 1:  # (most questions: their one text's set, kept, as many recur: "Who holds this view?")
            known = self._stem_sets
            return known[texts[0]] if texts[0] in known else self.stem_set(texts[0])
        stem_of = self._stem_of
        try:
            found = set(map(stem_of.__getitem__, chain.from_iterable(map(words, texts))))
        except KeyError:  # a word not seen before
            self._learn(list(chain.from_iterable(map(words, texts))))
            found = set(map(stem_of.__getitem__, chain.from_iterable(map(words, texts))))
        found.discard(None)  # the function words
        return frozenset(found)  # type: ignore[arg-type]

    def _learn(self, said: Sequence[str]) -> None:
        """Each new word's stem (or none)."""
        stem_of = self._stem_of
        for w in said:
            if w not in stem_of:
                stem_of[w] = self._stem(w)

    def content(self, text: str) -> tuple[tuple[str, str], ...]:
        """(stem, word) of every content word of a text, in order (once per text; only for the words a
        warning quotes: `_Printed.place`)."""
        found = self._content.get(text)
        if found is None:
            self.stems(text)  # every word's stem known
            stem_of = self._stem_of
            said = words(text)
            found = self._content[text] = tuple([(s, w) for w, s in zip(said, map(stem_of.__getitem__, said)) if s is not None])
        return found

    def stem_sets(self, texts: Sequence[str]) -> list[frozenset[str]]:
        """`stem_set` of each of some texts (a question's choices: most are known, and found without a call each)."""
        known = self._stem_sets
        return [known[t] if t in known else self.stem_set(t) for t in texts]

    def stem_set(self, text: str) -> frozenset[str]:
        """The stems of a text, as a set (once per text: a choice is offered by several questions)."""
        found = self._stem_sets.get(text)
        if found is None:
            found = self._stem_sets[text] = frozenset(self.stems(text))
        return found

    def _stem(self, w: str) -> str | None:
        """The stem of a content word; None for a function word or a letter alone."""
        if w in self.stop or not (len(w) > 1 or w.isdigit()):
            return None
        if self.stem is str or w.isdigit():  # a language without a stemmer: every word is its own stem
            return w
        return self.stem(w)


class _PrintedForms:
    """How each word of some texts (as `words` gives it) is printed the first time: the whole of its
    chunk between spaces ("anti-tank", "5,054"), or the word itself. Only for the words a warning
    quotes: the texts are read in order, each once, as far as the words asked for need."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.read = 0  # the texts read so far
        self.forms: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        forms = self.forms
        found = forms.get(word)
        if found is not None:
            return found
        while word not in forms and self.read < len(self.texts):
            text = self.texts[self.read]
            self.read += 1
            folded = words(text)
            # each word's chunk between spaces (a word never spans two); an ASCII text has them one
            # for one with `words`, as `words` only lowers it
            printed: list[str] = []
            for chunk in text.split():
                if chunk.isalnum():  # one word, printed as it is (most chunks)
                    printed.append(chunk)
                else:
                    printed += [chunk.strip(_PUNCTUATION)] * len(_WORD.findall(chunk))
            for w, shown in zip(folded, printed if len(printed) == len(folded) else folded):
                if w not in forms:
                    forms[w] = shown
        return forms.get(word, word)


class _Sentences:
    """Which of the article's sentences a passage cites: (block, sentence number) pairs."""

    def __init__(self, found: ArticleSet) -> None:
        self.starts = []
        for block in found.article.blocks:  # a caption is short: cited as one
            ends = [] if block.kind == "caption" else [m.end() for m in _SENTENCE_END.finditer(block.text)]
            self.starts.append([0, *ends])
        # by spans: a chronology's events are cited for the question and again for each event's answer,
        # and questions of one passage share it
        self._known: dict[tuple[Span, ...], frozenset[tuple[int, int]]] = {}

    def __call__(self, anchor: Anchor | None) -> frozenset[tuple[int, int]]:
        if anchor is None:
            return frozenset()
        found = self._known.get(anchor.spans)
        if found is None:
            found = self._known[anchor.spans] = self._cited(anchor.spans)
        return found

    def _cited(self, spans: tuple[Span, ...]) -> frozenset[tuple[int, int]]:
        cited: list[tuple[int, int]] = []
        for span in spans:
            starts = self.starts[span.block]
            first = bisect.bisect_right(starts, span.start) - 1
            last = bisect.bisect_left(starts, span.end) - 1
            if last <= first:  # within one sentence (most passages)
                cited.append((span.block, first))
            else:
                cited += [(span.block, n) for n in range(first, last + 1)]
        return frozenset(cited)


