"""Giveaways: one question's answer printed in another's visible text, and groups of one fact.

A printed quiz must not answer itself. Every question has *answers* (a right choice, a cloze
deletion, a short answer, the dates of a chronology's events) and *visible text* (everything a
student sees: stem, choices, statement, claim, events, hints, the text around blanks). When an
answer of one question appears in the visible text of another, the second *gives away* the first.
Questions that declare the same `group` test one fact. Both make pairs that must not share a quiz;
`keep_apart` picks the largest set of questions without such a pair.

Matching is on words, not characters: texts are compared after Unicode normalisation, case folding
and dropping punctuation, as sequences of whole words and numbers. So "GRU" matches "the GRU
(Russian military intelligence)" and "2008" matches "in 2008?", but "Iran" does not match
"Iranian" (no stemming: a different word is a weaker hint and stemming makes many silly matches).
Leading and trailing function words of an answer are dropped ("In Moscow" is found as "Moscow").
An answer left with no word, or with one function word, is never matched; an answer that is
printed in more than a fifth of the article's questions ("Russia", "Putin" in an article about
them) is the article's subject, says nothing, and is not matched either. A name of two or three capitalised words is
also found by its last word alone ("Olmert" gives away "Ehud Olmert"). A right choice printed
together with one of its question's wrong choices singles nothing out and is not a giveaway.
A chronology is given away by a question that prints the date of one of its events (a `when` that
holds a number: "2008", "Sept. 21").
"""

from __future__ import annotations

import heapq
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.choices import right_choice, wrong_choices
from generator.errors import Problem
from generator.model import (
    ArticleSet,
    Attribution,
    Chronology,
    Cloze,
    Deletion,
    MultipleChoice,
    Question,
    ShortAnswer,
    TrueFalse,
)
from generator.shuffle import rng

# English function words: an answer made only of these gives nothing away.
STOP_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "by", "for", "from", "with", "without", "into", "onto", "over", "under", "about", "as", "than", "then", "that", "this", "these", "those", "it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "no", "yes", "so", "such", "only", "just", "very", "also", "too", "all", "any", "some", "each", "every", "one", "two", "both", "either", "neither", "he", "she", "they", "we", "you", "i", "him", "her", "them", "us", "his", "hers", "their", "our", "your", "my", "me", "who", "whom", "whose", "which", "what", "when", "where", "why", "how", "there", "here", "s", "t"]
)
# Words dropped from the ends of an answer before it is looked for: "In Moscow" is found as "Moscow".
EDGE_WORDS = frozenset(["a", "an", "the", "in", "on", "at", "to", "by", "of", "from", "with", "into", "for", "and", "or"])
COMMON_SHARE = 0.2  # a one-word answer printed in more than this share of the questions is common
COMMON_MIN = 3  # ... and in at least this many (small sets: a word in 2 of 9 questions is not common)
_WORD = re.compile(r"[^\W_]+")
_NONE: frozenset[int] = frozenset()
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def words(text: str) -> tuple[str, ...]:
    """The words and numbers of a text, normalised: case, accents' forms and punctuation aside."""
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()))


@dataclass(frozen=True)
class Answer:
    """Something a question asks for, as it could be printed elsewhere."""

    text: str  # as the author wrote it
    what: str  # how the warning names it: "its answer", "its blank c2", "the date of its event 3"


@dataclass(frozen=True)
class Giveaway:
    """`giver` prints `printed`, which is (part of) `answer`, an answer of `taker`."""

    giver: Question
    taker: Question
    printed: str
    answer: Answer

    def problem(self) -> Problem:
        """The warning, at the giving question."""
        t = self.taker.origin
        shown = self.answer.text if self.printed == self.answer.text else f"{self.printed}\" (from \"{self.answer.text}"
        return Problem(
            self.giver.origin.path, self.giver.origin.line, self.giver.origin.col,
            f"gives away question '{self.taker.id}' ({t.path}:{t.line}): prints \"{shown}\", {self.answer.what}; "
            "a quiz leaves one of the two out (reword one, or give both the same 'group')",
            "warning",
        )


def answers(q: Question) -> list[Answer]:
    """What a question asks for."""
    if isinstance(q, (MultipleChoice, Attribution)):
        return [Answer(right_choice(q), "its right choice")]
    if isinstance(q, ShortAnswer):
        return [Answer(q.answer, "its answer")]
    if isinstance(q, Cloze):
        deletions = [s for s in q.segments if isinstance(s, Deletion)]
        return [Answer(d.answer, f"its blank c{d.number}") for d in deletions]
    if isinstance(q, Chronology):
        return [
            Answer(e.when, f"the date of its event {i}") for i, e in enumerate(q.events, start=1)
            if e.when and any(ch.isdigit() for ch in e.when)
        ]
    return []  # true or false: the answer is T or F


def visible(found: ArticleSet, q: Question) -> list[str]:
    """Every text of the question a student sees on the printed quiz, each printed piece apart."""
    if isinstance(q, MultipleChoice):
        return [q.question, q.answer, *wrong_choices(found, q)]
    if isinstance(q, Attribution):
        return [q.claim, q.question, q.source, *wrong_choices(found, q)]
    if isinstance(q, ShortAnswer):
        return [q.question]
    if isinstance(q, TrueFalse):
        return [q.statement]
    if isinstance(q, Cloze):
        return [s if isinstance(s, str) else (s.hint or "") for s in q.segments]
    if isinstance(q, Chronology):
        return [q.question, *(e.text for e in q.events)]
    return []


@lru_cache(maxsize=1 << 16)
def key_words(text: str) -> tuple[str, ...]:
    """The words an answer is looked for by: its words without the function words at either end.

    Kept per text: a choice is compared with every answer that is printed in it."""
    key = list(words(text))
    while key and key[0] in EDGE_WORDS:
        key.pop(0)
    while key and key[-1] in EDGE_WORDS:
        key.pop()
    return tuple(key)


class _Texts:
    """The visible words of an article's questions, indexed by word for quick look-up."""

    def __init__(self, found: ArticleSet, questions: Sequence[Question]) -> None:
        self.originals = [visible(found, q) for q in questions]
        self.pieces = [[" " + " ".join(words(t)) + " " for t in texts] for texts in self.originals]
        self.joined = ["|".join(pieces) for pieces in self.pieces]  # a needle " a b " never spans a "|"
        # a choice printed on its own asserts nothing: it gives away no other question's right choice
        self.choices = [
            {key_words(c) for c in (right_choice(q), *wrong_choices(found, q))}
            if isinstance(q, (MultipleChoice, Attribution)) else set()
            for q in questions
        ]
        self.holding: dict[str, set[int]] = defaultdict(set)
        for i, pieces in enumerate(self.pieces):
            for piece in pieces:
                for w in piece.split():
                    self.holding[w].add(i)
        self.common = max(COMMON_MIN, COMMON_SHARE * len(questions))
        self.found: dict[tuple[tuple[str, ...], str, bool, bool], frozenset[int]] = {}
        self.cued: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def where(self, cue: tuple[str, ...], printed: str, *, choice: bool = False, name: bool = False) -> frozenset[int]:
        """The questions whose visible text prints the words `cue`, in a row.

        For a right `choice`, a choice that is only those words does not count; a `name` part
        counts only where it is printed with its capital ("Olmert", not "war" for "Lebanon War").
        Kept per question: questions share answers and choices (a source in every attribution).
        """
        asked = (cue, printed, choice, name)
        if asked not in self.found:
            self.found[asked] = frozenset(self._where(cue, printed, choice, name))
        return self.found[asked]

    def _where(self, cue: tuple[str, ...], printed: str, choice: bool, name: bool) -> set[int]:
        holding = sorted((self.holding.get(w, _NONE) for w in cue), key=len)
        found = holding[0].intersection(*holding[1:])
        needle = " " + " ".join(cue) + " "
        if not name:
            hits = {i for i in found if needle in self.joined[i]}
            if not choice:
                return hits
            # only where the cue is one of that question's own choices does each piece need a look
            return {
                i for i in hits
                if cue not in self.choices[i] or any(
                    needle in piece and key_words(original) != cue
                    for piece, original in zip(self.pieces[i], self.originals[i])
                )
            }
        capital = re.compile(rf"(?<!\w){re.escape(printed)}(?!\w)") if name else None
        return {
            i for i in found
            if any(
                needle in piece and not (choice and cue in self.choices[i] and key_words(original) == cue)
                and (capital is None or capital.search(original))
                for piece, original in zip(self.pieces[i], self.originals[i])
            )
        }

    def cues(self, text: str) -> list[tuple[tuple[str, ...], str]]:
        """The word sequences that print an answer, with how each reads: the whole, or a name's last word.

        A name's last word comes last in the list. Kept per text, like `where`.
        """
        if text not in self.cued:
            self.cued[text] = self._cues(text)
        return self.cued[text]

    def _cues(self, text: str) -> list[tuple[tuple[str, ...], str]]:
        original = text.split()
        key = list(key_words(text))
        found: list[tuple[tuple[str, ...], str]] = []
        if len(key) == 1:
            if self.telling(key[0]):
                found.append((tuple(key), text))
        elif key:
            found.append((tuple(key), text))
            capitalised = [w for w in original if w[:1].isupper()]
            if 2 <= len(original) <= 3 and len(capitalised) == len(original):
                last = words(original[-1])
                if len(last) == 1 and len(last[0]) >= 3 and self.telling(last[0]):
                    found.append((last, original[-1].strip(".,;:!?\"'()")))
        return found

    def telling(self, word: str) -> bool:
        """Whether one word alone can give an answer away: a number, or a word neither small nor common."""
        if any(ch.isdigit() for ch in word):
            return True
        return word not in STOP_WORDS and len(word) > 1 and len(self.holding.get(word, ())) <= self.common


def giveaways(found: ArticleSet, questions: Sequence[Question] | None = None) -> list[Giveaway]:
    """Every (giver, taker) pair among `questions` (default: all of the article's), in question order.

    Pairs are always found among all the article's questions, so that what counts as a common word
    does not change with the selection, then kept when both questions are among `questions`.
    """
    found_pairs = _all_giveaways(found)
    if questions is None:
        return found_pairs
    ids = {q.id for q in questions}
    return [g for g in found_pairs if g.giver.id in ids and g.taker.id in ids]


_CACHE: dict[int, tuple[weakref.ref[ArticleSet], list[Giveaway]]] = {}


def _all_giveaways(found: ArticleSet) -> list[Giveaway]:
    """Every pair of the article, found once per loaded article (check and build both ask twice)."""
    cached = _CACHE.get(id(found))
    if cached is not None and cached[0]() is found:
        return cached[1]
    result = _find_all(found)
    for key in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
        del _CACHE[key]
    _CACHE[id(found)] = (weakref.ref(found), result)
    return result


def _find_all(found: ArticleSet) -> list[Giveaway]:
    qs = list(found.questions)
    texts = _Texts(found, qs)
    pairs: dict[tuple[int, int], Giveaway] = {}
    for t, taker in enumerate(qs):
        wrong: set[int] = set()
        choice = isinstance(taker, (MultipleChoice, Attribution))
        if isinstance(taker, (MultipleChoice, Attribution)):
            for text in wrong_choices(found, taker):
                for i, (cue, printed) in enumerate(texts.cues(text)):
                    wrong |= texts.where(cue, printed, name=i > 0)
        for answer in answers(taker):
            for i, (cue, printed) in enumerate(texts.cues(answer.text)):
                givers = texts.where(cue, printed, choice=choice, name=i > 0)
                if len(givers) > texts.common:
                    continue  # printed all over the quiz: the article's subject, not a giveaway
                for g in sorted(givers - wrong - {t}):
                    pairs.setdefault((g, t), Giveaway(qs[g], taker, printed, answer))
    return [pairs[k] for k in sorted(pairs)]


def warnings(found: ArticleSet) -> list[Problem]:
    """A warning at every question that gives another away, unless both are of one group already."""
    return [g.problem() for g in giveaways(found) if g.giver.group is None or g.giver.group != g.taker.group]


def conflicts(found: ArticleSet, questions: Sequence[Question]) -> dict[str, set[str]]:
    """For each question id, the ids it must not share a quiz with: giveaways both ways, and its group."""
    apart: dict[str, set[str]] = {q.id: set() for q in questions}
    for g in giveaways(found, questions):
        apart[g.giver.id].add(g.taker.id)
        apart[g.taker.id].add(g.giver.id)
    groups: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        if q.group is not None:
            groups[q.group].append(q.id)
    for ids in groups.values():
        for a in ids:
            apart[a].update(b for b in ids if b != a)
    return apart


EXACT_LIMIT = 40  # a connected part of the conflict graph up to this size is solved exactly


def keep_apart(ids: Sequence[str], apart: dict[str, set[str]], *seed: str) -> list[str]:
    """The most ids with no conflicting pair among them (a maximum independent set), in `ids` order.

    Exact by branch and bound on each connected part of the conflict graph (parts are small: a
    question gives away a few others at most); a part larger than EXACT_LIMIT is solved greedily,
    keeping the question with the fewest conflicts first. Among equally large choices the seed
    decides, so the same seed always keeps the same questions.
    """
    rank = {q: i for i, q in enumerate(rng(*seed, "keep-apart").sample(list(ids), len(ids)))}
    kept: set[str] = set()
    for part in _parts(ids, apart):
        if len(part) > EXACT_LIMIT:
            kept |= _greedy(part, apart, rank)
        else:
            kept |= set(_exact(frozenset(part), apart, rank))
    return [q for q in ids if q in kept]


def _parts(ids: Iterable[str], apart: dict[str, set[str]]) -> list[list[str]]:
    seen: set[str] = set()
    parts = []
    for start in ids:
        if start in seen:
            continue
        part, todo = [], [start]
        seen.add(start)
        while todo:
            q = todo.pop()
            part.append(q)
            for other in sorted(apart.get(q, ())):
                if other not in seen and other in apart:
                    seen.add(other)
                    todo.append(other)
        parts.append(part)
    return parts


def _exact(part: frozenset[str], apart: dict[str, set[str]], rank: dict[str, int]) -> tuple[str, ...]:
    """A maximum independent set of `part`; among the largest, the best by rank (lowest ranks kept)."""
    if not part:
        return ()
    degree = {q: len(apart[q] & part) for q in part}
    free = tuple(q for q in part if degree[q] == 0)
    if free:
        return tuple(sorted(free + _exact(part - set(free), apart, rank), key=rank.__getitem__))
    pivot = max(part, key=lambda q: (degree[q], -rank[q]))
    take = tuple(sorted((pivot, *_exact(part - apart[pivot] - {pivot}, apart, rank)), key=rank.__getitem__))
    if degree[pivot] <= 1:
        return take  # a vertex of degree one belongs to some maximum set
    skip = _exact(part - {pivot}, apart, rank)
    if len(skip) != len(take):
        return take if len(take) > len(skip) else skip
    return min(take, skip, key=lambda s: [rank[q] for q in s])


def _greedy(part: list[str], apart: dict[str, set[str]], rank: dict[str, int]) -> set[str]:
    """Keep the question with the fewest conflicts among those left (the lowest rank on a tie), drop
    those it conflicts with, again until none is left.

    The conflicts left are counted down as questions go, and the next question comes from a heap
    (an entry whose count has gone down since is passed over), not from a count of every question's
    conflicts at every step."""
    left, kept = set(part), set()
    against: dict[str, list[str]] = {q: [] for q in part}  # who counts q among its conflicts
    for q in part:
        for other in apart[q]:
            if other in against:
                against[other].append(q)
    count = {q: len(apart[q] & left) for q in part}
    heap = [(count[q], rank[q], q) for q in part]
    heapq.heapify(heap)
    while left:
        n, _, q = heapq.heappop(heap)
        if q not in left or n != count[q]:
            continue  # gone, or its count went down and a newer entry has it
        kept.add(q)
        gone = (apart[q] | {q}) & left
        left -= gone
        for g in gone:
            for other in against[g]:
                if other in left:
                    count[other] -= 1
                    heapq.heappush(heap, (count[other], rank[other], other))
    return kept
