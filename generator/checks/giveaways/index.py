"""What each question asks for and prints, and the index of printed words by stem.

A question's answers, printed text and choices come from its kind's registration
(`generator.kinds.contract.Kind`: `answers`, `visible`, `choices`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from generator import unicode_forms
from generator.checks.giveaways.text import _Language, _PrintedForms, _Sentences
from generator.errors import Problem
from generator.kinds.contract import Answer
from generator.kinds.registry import REGISTRY
from generator.model import Anchor, ArticleSet, Question

COMMON_SHARE = 0.2  # a one-word answer printed in more than this share of the questions is common
COMMON_MAX = 40  # ... or in more than this many (a long set: the index stays linear, a stem's list short)
COMMON_MIN = 3  # ... and in at least this many (small sets: a word in 2 of 9 questions is not common)


@dataclass(slots=True)  # not frozen: tens of thousands are made for a large library, and a frozen one is 4x slower to make
class Giveaway:
    """`giver` prints `printed` (the words it shares with `answer`, an answer of `taker`); read only."""

    giver: Question
    taker: Question
    stems: Sequence[str]  # the stems of `answer` the giver prints
    answer: Answer
    source: _Printed = field(compare=False, repr=False)  # what the giver prints: the words of the stems, as printed

    @property
    def shared(self) -> tuple[str, ...]:
        """The shared words, in the giver's order, as `words` gives them (found when asked: for a warning,
        and most pairs are only counted); (place, word) of each: two stems in one place print one word
        (an acronym and its expansion)."""
        place = self.source.place
        return tuple([word for _, word in sorted([place(s) for s in self.stems])])

    @property
    def printed(self) -> str:
        """The shared words as the giving question prints them (quoted only when asked: for a warning)."""
        return self.source.printing(self.shared)

    def problem(self) -> Problem:
        """The warning, at the giving question."""
        t = self.taker.origin
        printed = self.printed
        # as the anchoring messages do: a soft hyphen or zero-width space shows as <U+00AD>, <U+200B>
        shown = f'"{unicode_forms.visible(printed)}"' + (
            "" if printed == self.answer.text else f' (from "{unicode_forms.visible(self.answer.text)}")')
        return Problem(
            self.giver.origin.path, self.giver.origin.line, self.giver.origin.col,
            f"gives away question '{self.taker.id}' ({t.path}:{t.line}): prints {shown}, {self.answer.what}; "
            "a quiz leaves one of the two out (reword one, or give both the same 'group')",
            "warning",
        )


Cited = Callable[[Anchor | None], frozenset[tuple[int, int]]]


def answers(q: Question, sentences: Cited | None = None) -> list[Answer]:
    """What a question asks for, and what settles it (its kind's `answers`)."""
    return REGISTRY[q.kind].answers(q, sentences)


def choices(found: ArticleSet, q: Question) -> list[str]:
    """The choices a question prints: they assert nothing on their own (its kind's `choices`)."""
    return REGISTRY[q.kind].choices(found, q)


def visible(found: ArticleSet, q: Question) -> list[str]:
    """Every text of the question a student sees on the printed quiz other than its choices (its kind's `visible`)."""
    return REGISTRY[q.kind].visible(found, q)


_NONE: frozenset[str] = frozenset()


@dataclass(slots=True)  # one for every question: quicker to make and read without a __dict__
class _Printed:
    """The content words one question prints, by stem (where each is printed is found when a warning
    quotes it: `place`)."""

    said: frozenset[str]  # in its stem, statement, claim, events, text
    offered: frozenset[str]  # in its choices alone
    choices: list[frozenset[str]]  # each choice's stems
    sentences: frozenset[tuple[int, int]]
    own: frozenset[str]  # the stems of its own words, acronyms not expanded: what its answers need not repeat
    derived: dict[str, frozenset[str]]  # a stem printed only through an acronym: the whole it stands in
    texts: tuple[str, ...]  # what it prints, to quote a word as printed: its own texts, then its choices
    seen: int  # how many of `texts` are its own (the rest are its choices)
    lang: _Language
    _places: dict[str, tuple[int, str]] | None = None
    _quoted: _PrintedForms | None = None
    _printing: dict[tuple[str, ...], str] | None = None
    _numbers: frozenset[str] | None = None

    def offered_numbers(self) -> frozenset[str]:
        """The stems of its choices alone that are numbers (found when first asked)."""
        numbers = self._numbers
        if numbers is None:
            numbers = self._numbers = frozenset(s for s in self.offered if s.isdigit())
        return numbers

    def place(self, stem: str) -> tuple[int, str]:
        """(place, word) of the first word it prints with `stem`: its own texts' words counted from 0, its
        choices' from 10**6 (found for the few questions a warning quotes, not for every question)."""
        places = self._places
        if places is None:
            content, acronyms, texts = self.lang.content, self.lang.acronyms, self.texts
            said = _places([content(t) for t in texts[: self.seen]], 0, acronyms)
            offered = _places([content(c) for c in texts[self.seen :]], 10**6, acronyms)
            places = self._places = {**offered, **said}  # a stem of both: where its own text prints it
        return places[stem]

    def printing(self, shared: tuple[str, ...]) -> str:
        """Words of its text (as `words` gives them) as it prints them, each once (once per words: a
        question gives several others away by the same words)."""
        known = self._printing
        if known is None:
            known = self._printing = {}
        found = known.get(shared)
        if found is None:
            found = known[shared] = " ".join(dict.fromkeys([self.quoted(w) for w in shared]))
        return found

    def quoted(self, word: str) -> str:
        """A word of its text (as `words` gives it) as it prints it."""
        forms = self._quoted
        if forms is None:
            forms = self._quoted = _PrintedForms(self.texts)
        return forms(word)


class _Texts:
    """The printed words of an article's questions, indexed by stem (an inverted index)."""

    def __init__(self, found: ArticleSet, questions: Sequence[Question]) -> None:
        self.lang = _Language(found)
        self.cited = _Sentences(found)
        self.questions = questions
        self.printed = [self._printed(found, q) for q in questions]
        saying: dict[str, list[int]] = defaultdict(list)  # the questions that print a stem outside their choices
        offering: dict[str, list[int]] = defaultdict(list)  # ... in their choices alone (never in `saying` too)
        for i, p in enumerate(self.printed):
            for stem in p.said:
                saying[stem].append(i)
            for stem in p.offered:
                offering[stem].append(i)
        self.saying, self.offering = saying, offering
        # how many questions print each stem: the lengths of its lists (a question is in one of them at most;
        # twice as quick as counting the questions' stems again)
        held = dict(zip(saying, map(len, saying.values())))
        for stem, some in offering.items():
            held[stem] = held.get(stem, 0) + len(some)
        self.common = max(COMMON_MIN, min(COMMON_SHARE * len(questions), COMMON_MAX))
        # the stems printed in more than half as many questions (not rare: `_sought`), and of those the ones
        # printed all over the quiz (never telling: `_answer_stems`), found once rather than counted for every answer
        self.frequent = frozenset([s for s, n in held.items() if n > self.common / 2])
        self.everywhere = frozenset([s for s in self.frequent if held[s] > self.common])

    def _printed(self, found: ArticleSet, q: Question) -> _Printed:
        derived: dict[str, frozenset[str]] = {}
        lang = self.lang
        acronyms = lang.acronyms
        kind = REGISTRY[q.kind]
        seen = kind.visible(found, q)
        own = lang.bag(seen)
        said = _with_acronyms(own, acronyms, derived) if acronyms else own
        shown = kind.choices(found, q)
        if shown:
            choices = lang.stem_sets(shown)
            offered = frozenset().union(*choices)
            if acronyms:
                offered = _with_acronyms(offered, acronyms, derived)
            offered -= said
        else:  # no choices (most kinds): nothing offered, and an acronym of none adds nothing
            offered, choices = _NONE, []
        anchors = q.anchors()
        sentences = self.cited(anchors[0]) if len(anchors) == 1 else frozenset().union(*map(self.cited, anchors))
        return _Printed(said, offered, choices, sentences, own, derived, (*seen, *shown), len(seen), lang)


def _with_acronyms(stems: frozenset[str], acronyms: dict[str, frozenset[str]],
                   derived: dict[str, frozenset[str]]) -> frozenset[str]:
    """`stems` with what acronyms add: "GRU" prints its expansion, its expansion the acronym (each
    stem added in `derived`, with the whole it stands in)."""
    found = set(stems)
    for acronym, expansion in acronyms.items():
        if acronym in found:  # "GRU" prints its expansion, when the answer is all of it
            for more in expansion - found:
                found.add(more)
                derived[more] = expansion
        elif expansion <= found:  # the expansion prints the acronym
            found.add(acronym)
            derived[acronym] = frozenset([acronym])
    return frozenset(found)


def _places(texts: list[tuple[tuple[str, str], ...]], first: int,
            acronyms: dict[str, frozenset[str]]) -> dict[str, tuple[int, str]]:
    """(place, word) of each stem of some texts' (stem, word) pairs, first of each, with what acronyms
    add (as `_with_acronyms`): a stem printed through an acronym is where the other is."""
    found: dict[str, tuple[int, str]] = {}
    place = first
    for pairs in texts:
        for stem, word in pairs:
            if stem not in found:
                found[stem] = (place, word)
            place += 1
    for acronym, expansion in acronyms.items():
        if acronym in found:
            for more in expansion - found.keys():
                found[more] = found[acronym]
        elif expansion <= found.keys():
            found[acronym] = min(found[s] for s in expansion)
    return found


def _need(n: int, cocited: bool, style: str) -> int:
    """How many of an answer's `n` telling stems another question must print to give it away."""
    if style == "cue":
        return n if n <= 2 else math.ceil(n / 2)
    if style == "fact":
        return max(2, math.ceil(n * (0.5 if cocited else 0.7)))
    if cocited:
        return max(1, math.ceil(n * 0.34))
    return n if n <= 2 else math.ceil(n * 0.7)


