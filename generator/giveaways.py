"""Giveaways: one question's answer told by another's printed text, and groups of one fact.

A printed quiz must not answer itself. Every question has *answers* (a right choice, a cloze blank,
a short answer, an attribution's source and the article's words that attribute its claim, a true
statement's fact, a false statement's correction, a chronology's dated events and their dates) and
*printed text* (what a student sees: stem, statement, claim, events, the text around blanks, hints;
choices apart, as they assert nothing). When enough of an answer is printed by another question,
that question *gives it away*. Questions that declare the same `group` test one fact. Both make
pairs that must not share a quiz; `keep_apart` picks the largest set of questions without such a
pair; `allow: [giveaway]` on either question says a pair is none.

Matching is by meaning, roughly: texts become content words (the article language's function words
dropped, `stopwords.py`) stemmed in that language, compared as sets, in any order. An answer is
looked for by its *telling* stems: not printed by its own question, not shared with its wrong
choices, and not printed all over the article (more than a fifth of the questions, or more than
COMMON_MAX: the subject). How many must be printed (`_need`) depends on how many there are and on
whether the two questions cite one sentence of the article (co-citation, a strong sign of one
fact). Acronyms the article defines ("GRU (Russian military intelligence)") stand for their
expansion. Numbers of an answer must all be printed. Every question's stems are indexed, and an
answer is compared only with the questions its stems lead to: linear in the questions.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import unicodedata
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from generator.choices import right_choice, wrong_choices
from generator.errors import Problem
from generator.model import (
    Anchor,
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
from generator.stopwords import stemmer, stop_words

# English function words: an answer made only of these gives nothing away.
STOP_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "by", "for", "from", "with", "without", "into", "onto", "over", "under", "about", "as", "than", "then", "that", "this", "these", "those", "it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "no", "yes", "so", "such", "only", "just", "very", "also", "too", "all", "any", "some", "each", "every", "one", "two", "both", "either", "neither", "he", "she", "they", "we", "you", "i", "him", "her", "them", "us", "his", "hers", "their", "our", "your", "my", "me", "who", "whom", "whose", "which", "what", "when", "where", "why", "how", "there", "here", "s", "t"]
)
# Words dropped from the ends of an answer before it is looked for: "In Moscow" is found as "Moscow".
EDGE_WORDS = frozenset(["a", "an", "the", "in", "on", "at", "to", "by", "of", "from", "with", "into", "for", "and", "or"])
COMMON_SHARE = 0.2  # a one-word answer printed in more than this share of the questions is common
COMMON_MAX = 40  # ... or in more than this many (a long set: the index stays linear, a stem's list short)
GIVEAWAY = "giveaway"  # the name `allow:` takes to say that a pair found is none
COMMON_MIN = 3  # ... and in at least this many (small sets: a word in 2 of 9 questions is not common)
_WORD = re.compile(r"[^\W_]+")
_NONE: frozenset[str] = frozenset()
_PUNCTUATION = ".,;:!?\"'()[]{}“”‘’«»…"
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@lru_cache(maxsize=2048)  # the texts of a few articles: every repeat is within one
def words(text: str) -> tuple[str, ...]:
    """The words and numbers of a text, normalised: case, accents' forms and punctuation aside.

    Once per text (every rule and every pair of questions asks again). ASCII text is its own NFKC
    form, holds none of the quotes translated and folds its case as `lower` does.
    """
    if text.isascii():
        return tuple(_WORD.findall(text.lower()))
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()))


@dataclass(frozen=True)
class Answer:
    """Something a question asks for, as it could be printed elsewhere.

    `style` says how much of it another question must print: "exact" (a right choice, a blank, a
    short answer, a source), "fact" (a true/false statement's fact or its correction, a chronology's
    event with its date), "cue" (the words by which the article attributes a claim: "Some think").
    `block` lists words that must all be printed too (an event's date); `sentences` the article's
    sentences it rests on, when they are not its question's (one event of a chronology).
    """

    text: str  # as the author wrote it
    what: str  # how the warning names it: "its answer", "its blank c2", "the date of its event 3"
    style: str = "exact"
    block: str = ""
    sentences: frozenset[tuple[int, int]] | None = None


@dataclass(frozen=True)
class Giveaway:
    """`giver` prints `printed` (the words it shares with `answer`, an answer of `taker`)."""

    giver: Question
    taker: Question
    shared: tuple[str, ...]  # the shared words, in the giver's order, as `words` gives them
    answer: Answer
    source: _Printed | None = field(default=None, compare=False, repr=False)  # to quote them as printed

    @property
    def printed(self) -> str:
        """The shared words as the giving question prints them (quoted only when asked: for a warning)."""
        quoted = self.source.quoted if self.source is not None else str
        return " ".join(dict.fromkeys(quoted(w) for w in self.shared))

    def problem(self) -> Problem:
        """The warning, at the giving question."""
        t = self.taker.origin
        shown = f'"{self.printed}"' + ("" if self.printed == self.answer.text else f' (from "{self.answer.text}")')
        return Problem(
            self.giver.origin.path, self.giver.origin.line, self.giver.origin.col,
            f"gives away question '{self.taker.id}' ({t.path}:{t.line}): prints {shown}, {self.answer.what}; "
            "a quiz leaves one of the two out (reword one, or give both the same 'group')",
            "warning",
        )


Cited = Callable[[Anchor | None], frozenset[tuple[int, int]]]


def answers(q: Question, sentences: Cited | None = None) -> list[Answer]:
    """What a question asks for, and what settles it."""
    if isinstance(q, MultipleChoice):
        return [Answer(right_choice(q), "its right choice")]
    if isinstance(q, Attribution):
        return _attribution_answers(q)
    if isinstance(q, ShortAnswer):
        return [Answer(q.answer, "its answer")]
    if isinstance(q, Cloze):
        deletions = [s for s in q.segments if isinstance(s, Deletion)]
        return [Answer(d.answer, f"its blank c{d.number}") for d in deletions]
    if isinstance(q, TrueFalse):
        if q.answer:
            return [Answer(q.statement, "the fact its true statement states", "fact")]
        return [Answer(c, "the correction of its false statement", "fact") for c in _clauses(q.correction or "")]
    if isinstance(q, Chronology):
        return _chronology_answers(q, sentences)
    return []


def _attribution_answers(q: Attribution) -> list[Answer]:
    """Its source, and the article's own words that attribute the claim ("Some think")."""
    found = [Answer(q.source, "its right choice")]
    if q.anchor is not None:
        said = set(words(q.claim)) | set(words(q.source))
        cue = [w for w in words(q.anchor.passage) if w not in said]
        if cue:
            found.append(Answer(" ".join(cue), "the words that attribute its claim", "cue"))
    return found


def _chronology_answers(q: Chronology, sentences: Cited | None) -> list[Answer]:
    """Each dated event's date, and the event printed with its date."""
    found = []
    for i, e in enumerate(q.events, start=1):
        cited = sentences(e.anchor) if sentences else None
        if e.when and any(ch.isdigit() for ch in e.when):
            found.append(Answer(e.when, f"the date of its event {i}", sentences=cited))
            found.append(Answer(e.text, f"its event {i} with its date", "fact", e.when, cited))
    return found


def _clauses(correction: str) -> list[str]:
    """The clauses of a correction (split at ; : and full stops): the first that says something new
    is what corrects the statement, the rest tells more ("In both cases Israel kept mum; the article
    says ..."). Which clause counts is decided with the statement's words, in `_answer_stems`."""
    return [c for c in re.split(r"[;:,]|(?<=[.!?])\s", correction) if c.strip()]


def choices(found: ArticleSet, q: Question) -> list[str]:
    """The choices a question prints: they assert nothing on their own."""
    if isinstance(q, (MultipleChoice, Attribution)):
        return [right_choice(q), *wrong_choices(found, q)]
    return []


def visible(found: ArticleSet, q: Question) -> list[str]:
    """Every text of the question a student sees on the printed quiz other than its choices."""
    if isinstance(q, MultipleChoice):
        return [q.question]
    if isinstance(q, Attribution):
        return [q.claim, q.question]
    if isinstance(q, ShortAnswer):
        return [q.question]
    if isinstance(q, TrueFalse):
        return [q.statement]
    if isinstance(q, Cloze):
        return [s if isinstance(s, str) else (s.hint or "") for s in q.segments]
    if isinstance(q, Chronology):
        return [q.question, *(e.text for e in q.events)]
    return []


@lru_cache(maxsize=2048)  # the texts of a few articles: every repeat is within one
def key_words(text: str) -> tuple[str, ...]:
    """The words an answer is looked for by: its words without the function words at either end."""
    key = list(words(text))
    while key and key[0] in EDGE_WORDS:
        key.pop(0)
    while key and key[-1] in EDGE_WORDS:
        key.pop()
    return tuple(key)


_SENTENCE_END = re.compile(r"(?<=[.!?؟。])[\"'”’»)]*\s+")
_ACRONYM_FIRST = re.compile(r"(?<!\w)([^\W\d_][^\W_]{1,5})\s*\(([^()]{3,80})\)")  # GRU (Russian military intelligence)
_ACRONYM_AFTER = re.compile(r"\(([^\W\d_][^\W_]{1,5})\)")  # Russian military intelligence (GRU)


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


class _Language:
    """An article's language: its stop words, its stemmer, its acronyms."""

    def __init__(self, found: ArticleSet) -> None:
        self._content: dict[str, tuple[tuple[str, str], ...]] = {}
        self.stop = stop_words(found.article.meta.language)
        self.stem = stemmer(found.article.meta.language)
        self.acronyms: dict[str, frozenset[str]] = {}  # acronym stem -> the stems of its expansion
        for block in found.article.blocks:
            for m in _ACRONYM_FIRST.finditer(block.text):
                if _is_acronym(m.group(1)):
                    self._define(m.group(1), self.content(m.group(2)))
            for m in _ACRONYM_AFTER.finditer(block.text):
                if _is_acronym(m.group(1)):  # its expansion: as many words before it as it has letters
                    before = re.split(r"[()]", block.text[max(0, m.start() - 200) : m.start()])[-1]
                    self._define(m.group(1), self.content(before)[-len(m.group(1)) :])

    def _define(self, acronym: str, gloss: Sequence[tuple[str, str]]) -> None:
        stems = frozenset(s for s, _ in gloss)
        if stems and 1 <= len(stems) <= 6:
            self.acronyms[self.stem(acronym.casefold())] = stems

    def content(self, text: str) -> tuple[tuple[str, str], ...]:
        """(stem, word) of every content word of a text, in order (once per text)."""
        found = self._content.get(text)
        if found is None:
            found = self._content[text] = tuple(
                (w if w.isdigit() else self.stem(w), w) for w in words(text)
                if w not in self.stop and (len(w) > 1 or w.isdigit())
            )
        return found


def _as_printed(texts: Iterable[str]) -> dict[str, str]:
    """Each word of the texts (as `words` gives it) and how it is printed the first time: the whole
    of its chunk between spaces ("anti-tank", "5,054"). Only for the words a warning quotes."""
    found: dict[str, str] = {}
    for text in texts:
        folded = words(text)
        printed = [chunk.strip(_PUNCTUATION) for chunk in text.split() for _ in _WORD.findall(chunk)]
        for w, chunk in zip(folded, printed if len(printed) == len(folded) else folded):
            found.setdefault(w, chunk)
    return found


class _Sentences:
    """Which of the article's sentences a passage cites: (block, sentence number) pairs."""

    def __init__(self, found: ArticleSet) -> None:
        self.starts = []
        for block in found.article.blocks:  # a caption is short: cited as one
            ends = [] if block.kind == "caption" else [m.end() for m in _SENTENCE_END.finditer(block.text)]
            self.starts.append([0, *ends])

    def __call__(self, anchor: Anchor | None) -> frozenset[tuple[int, int]]:
        if anchor is None:
            return frozenset()
        cited: set[tuple[int, int]] = set()
        for span in anchor.spans:
            starts = self.starts[span.block]
            first = bisect.bisect_right(starts, span.start) - 1
            last = bisect.bisect_left(starts, span.end) - 1
            cited.update((span.block, n) for n in range(first, max(first, last) + 1))
        return frozenset(cited)


@dataclass
class _Printed:
    """The content words one question prints, by stem, with the first way each is printed."""

    said: dict[str, tuple[int, str]]  # in its stem, statement, claim, events, text: stem -> (place, word)
    offered: dict[str, tuple[int, str]]  # in its choices alone
    choices: list[frozenset[str]]  # each choice's stems
    sentences: frozenset[tuple[int, int]]
    own: frozenset[str]  # the stems of its own words, acronyms not expanded: what its answers need not repeat
    derived: dict[str, frozenset[str]]  # a stem printed only through an acronym: the whole it stands in
    texts: tuple[str, ...]  # what it prints, to quote a word as printed
    _quoted: dict[str, str] | None = None

    def quoted(self, word: str) -> str:
        """A word of its text (as `words` gives it) as it prints it."""
        if self._quoted is None:
            self._quoted = _as_printed(self.texts)
        return self._quoted.get(word, word)


class _Texts:
    """The printed words of an article's questions, indexed by stem (an inverted index)."""

    def __init__(self, found: ArticleSet, questions: Sequence[Question]) -> None:
        self.lang = _Language(found)
        self.cited = _Sentences(found)
        self.questions = questions
        self.printed = [self._printed(found, q) for q in questions]
        self.holding: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.printed):
            for stem in p.said.keys() | p.offered.keys():
                self.holding[stem].append(i)
        self.common = max(COMMON_MIN, min(COMMON_SHARE * len(questions), COMMON_MAX))

    def _printed(self, found: ArticleSet, q: Question) -> _Printed:
        derived: dict[str, frozenset[str]] = {}
        said = self._stems(visible(found, q), 0, derived)
        shown = choices(found, q)
        offered = {k: v for k, v in self._stems(shown, 10**6, derived).items() if k not in said}
        sentences = frozenset().union(*(self.cited(a) for a in q.anchors()))
        own = frozenset(s for text in visible(found, q) for s, _ in self.lang.content(text))
        stems = [frozenset(s for s, _ in self.lang.content(c)) for c in shown]
        return _Printed(said, offered, stems, sentences, own, derived, (*visible(found, q), *shown))

    def _stems(self, texts: list[str], place: int, derived: dict[str, frozenset[str]]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for text in texts:
            for stem, word in self.lang.content(text):
                found.setdefault(stem, (place, word))
                place += 1
        for acronym, stems in self.lang.acronyms.items():
            if acronym in found:  # "GRU" prints its expansion, when the answer is all of it
                for more in stems - found.keys():
                    found[more] = found[acronym]
                    derived[more] = stems
            elif stems <= found.keys():  # the expansion prints the acronym
                found[acronym] = min(found[s] for s in stems)
                derived[acronym] = frozenset([acronym])
        return found

    def telling(self, stems: Iterable[str]) -> list[str]:
        """The stems that say something: not printed all over the quiz (the article's subject)."""
        return [s for s in dict.fromkeys(stems) if len(self.holding.get(s, ())) <= self.common]


def _need(n: int, cocited: bool, style: str) -> int:
    """How many of an answer's `n` telling stems another question must print to give it away."""
    if style == "cue":
        return n if n <= 2 else math.ceil(n / 2)
    if style == "fact":
        return max(2, math.ceil(n * (0.5 if cocited else 0.7)))
    if cocited:
        return max(1, math.ceil(n * 0.34))
    return n if n <= 2 else math.ceil(n * 0.7)


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


T = TypeVar("T")
PerArticle = dict[int, tuple["weakref.ref[ArticleSet]", T]]


def per_article(cache: PerArticle[T], found: ArticleSet, make: Callable[[], T]) -> T:
    """`make()` once per loaded article, kept while the article lives.

    An entry goes when its article goes (a weak reference's callback), so that keeping many
    articles costs no scan of the others.
    """
    key = id(found)
    cached = cache.get(key)
    if cached is not None and cached[0]() is found:
        return cached[1]
    value = make()
    cache[key] = (weakref.ref(found, lambda _, key=key: cache.pop(key, None)), value)  # type: ignore[misc]
    return value


_CACHE: PerArticle[list[Giveaway]] = {}


def _all_giveaways(found: ArticleSet) -> list[Giveaway]:
    """Every pair of the article, found once per loaded article (check and build both ask twice)."""
    return per_article(_CACHE, found, lambda: _find_all(found))


def _find_all(found: ArticleSet) -> list[Giveaway]:
    qs = list(found.questions)
    texts = _Texts(found, qs)
    pairs: dict[tuple[int, int], Giveaway] = {}
    for t, taker in enumerate(qs):
        for answer in _asked(texts, t, taker):
            for g, printed in _givers(texts, t, taker, answer):
                if (g, t) not in pairs:
                    pairs[g, t] = Giveaway(qs[g], taker, printed, answer, texts.printed[g])
    return [pairs[k] for k in sorted(pairs)]


VERDICT_WORDS = frozenset(["reverse", "opposite", "wrong", "false", "true", "correct", "actually", "indeed", "fact"])


def _asked(texts: _Texts, t: int, taker: Question) -> list[Answer]:
    """A question's answers; of a false statement's correction, only its first clause that says
    something the statement does not ("The reverse:" aside): the rest tells more than it corrects."""
    found = answers(taker, texts.cited)
    if not isinstance(taker, TrueFalse) or taker.answer:
        return found
    for clause in found:
        if {w for w in words(clause.text) if w not in texts.lang.stop} <= VERDICT_WORDS:
            continue
        if _answer_stems(texts, t, taker, clause):
            return [clause]
    return []


def _answer_stems(texts: _Texts, t: int, taker: Question, answer: Answer) -> list[str]:
    """The stems by which an answer is looked for: its content words that say something its own
    question does not (its stem, the text around a blank, a false statement), nor its wrong choices."""
    stems = [s for s, _ in texts.lang.content(answer.text)]
    own = texts.printed[t]
    if answer.style != "fact" or isinstance(taker, TrueFalse) and not taker.answer:
        stems = [s for s in stems if s not in own.own]
    if answer.what == "its right choice":
        wrong = frozenset().union(*own.choices[1:])
        stems = [s for s in stems if s not in wrong]
    return texts.telling(stems)


@dataclass(frozen=True)
class _Sought:
    """One answer as it is looked for: its telling stems and what else decides."""

    answer: Answer
    stems: list[str]
    block: list[str]  # stems that must all be printed too: an event's date, the answer's numbers
    cited: frozenset[tuple[int, int]]
    last: str | None  # a name's last word, enough alone ("Olmert" for "Ehud Olmert")
    wrong: list[frozenset[str]]  # what each wrong choice says that the right one does not
    whole: frozenset[str]  # every stem of the answer
    rare: frozenset[str]  # its stems printed in few questions: one of them alone can give it away

    def need(self, cocited: bool, shared: list[str]) -> int:
        """How many of its stems a question must print, given what it shares."""
        need = _need(len(self.stems), cocited, self.answer.style)
        if need == 1 and len(self.stems) > 1 and not self.rare.intersection(shared):
            return 2  # one word the article prints often is not enough, even in one sentence
        return need


def _sought(texts: _Texts, t: int, taker: Question, answer: Answer) -> _Sought | None:
    stems = _answer_stems(texts, t, taker, answer)
    if not stems:
        return None
    whole = frozenset(s for s, _ in texts.lang.content(answer.text))
    own = texts.printed[t]
    # a fact turns on its numbers: printed with another number, it is another fact
    block = [s for s, _ in texts.lang.content(answer.block)] + [s for s in stems if s.isdigit()]
    name = answer.text.split()
    last = texts.lang.content(name[-1]) if 2 <= len(name) <= 3 and all(w[:1].isupper() for w in name) else ()
    wrong = [c - whole - own.own for c in own.choices[1:]] if answer.what == "its right choice" else []
    cited = answer.sentences if answer.sentences is not None else own.sentences
    rare = frozenset(s for s in stems if len(texts.holding.get(s, ())) <= texts.common / 2)
    return _Sought(answer, stems, block, cited, last[0][0] if last else None, wrong, whole, rare)


def _givers(texts: _Texts, t: int, taker: Question, answer: Answer) -> Iterable[tuple[int, tuple[str, ...]]]:
    """The questions that print enough of `answer` (found through the index), with the words they print."""
    sought = _sought(texts, t, taker, answer)
    if sought is None:
        return
    candidates: Counter[int] = Counter()
    for stem in sought.stems:
        candidates.update(texts.holding.get(stem, ()))
    least = 1 if sought.last else _need(len(sought.stems), True, answer.style)
    apart = 1 if sought.last else _need(len(sought.stems), False, answer.style)  # without a sentence in common
    for g in sorted(candidates):
        if candidates[g] < least or g == t or answer.style == "fact" and isinstance(texts.questions[g], Attribution):
            continue  # an attribution's claim is a view whose holder is asked: it settles no statement
        if candidates[g] < apart and sought.cited.isdisjoint(texts.printed[g].sentences):
            continue  # too few words shared for two questions that cite different sentences
        printed = _gives(texts.printed[g], sought)
        if printed is not None:
            yield g, printed


def _gives(p: _Printed, sought: _Sought) -> tuple[str, ...] | None:
    """The words by which a question's printed text `p` gives `sought` away, or None."""
    cocited = not sought.cited.isdisjoint(p.sentences)
    said, derived = p.said, p.derived
    extra = _offered(p, sought, cocited) if p.offered else _NONE

    def shows(stem: str) -> bool:
        return stem in said or stem in extra

    shared = [s for s in sought.stems if shows(s) and (s not in derived or derived[s] <= sought.whole)]
    if len(shared) < sought.need(cocited, shared) and not _by_name(p, sought, shared):
        return None
    if (sought.answer.style == "cue" and not cocited) or not all(shows(s) for s in sought.block):
        return None
    if any(w and all(shows(s) for s in w) for w in sought.wrong):
        return None  # the right choice printed beside a wrong one singles nothing out
    printed = {s: said.get(s) or p.offered[s] for s in shared}
    return tuple(printed[s][1] for s in sorted(shared, key=lambda s: printed[s][0]))


def _by_name(p: _Printed, sought: _Sought, shared: list[str]) -> bool:
    """Whether `p` prints the last word of the name `sought` is, with its capital ("Olmert")."""
    if sought.last is None or sought.last not in shared:
        return False
    return p.quoted((p.said.get(sought.last) or p.offered[sought.last])[1])[:1].isupper()


def _offered(p: _Printed, sought: _Sought, cocited: bool) -> frozenset[str]:
    """The stems of a question's choices that count against `sought`: for a blank or a short answer,
    its choices' numbers, and its choices' words when both cite one sentence (a choice asserts
    nothing, but it prints a number, or a fact of the same sentence)."""
    if sought.answer.style != "exact" or sought.answer.what == "its right choice":
        return _NONE
    return frozenset(p.offered) if cocited else frozenset(s for s in p.offered if s.isdigit())


def _allowed(g: Giveaway) -> bool:
    """Whether the author said the pair is none (`allow: [giveaway]` on either question)."""
    return GIVEAWAY in g.giver.allow or GIVEAWAY in g.taker.allow


def warnings(found: ArticleSet) -> list[Problem]:
    """A warning at every question that gives another away, unless both are of one group already or allowed."""
    return [
        g.problem() for g in giveaways(found)
        if (g.giver.group is None or g.giver.group != g.taker.group) and not _allowed(g)
    ]


def conflicts(found: ArticleSet, questions: Sequence[Question]) -> dict[str, set[str]]:
    """For each question id, the ids it must not share a quiz with: giveaways both ways, and its group."""
    apart: dict[str, set[str]] = {q.id: set() for q in questions}
    for g in giveaways(found, questions):
        if not _allowed(g):
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
    its conflicts, again: each conflict counted down as questions go, the next one taken from a heap."""
    left = set(part)
    degree = {q: len(apart[q] & left) for q in part}
    counted_by: dict[str, list[str]] = {q: [] for q in part}  # whose degree each question counts in
    for q in part:
        for other in apart[q] & left:
            counted_by[other].append(q)
    heap = [(degree[q], rank[q], q) for q in part]
    heapq.heapify(heap)
    kept = set()
    while left:
        d, _, q = heapq.heappop(heap)
        if q not in left or d != degree[q]:
            continue  # gone, or an entry from before its degree went down
        kept.add(q)
        gone = (apart[q] | {q}) & left
        left -= gone
        for g in gone:
            for other in counted_by[g]:
                if other in left:
                    degree[other] -= 1
                    heapq.heappush(heap, (degree[other], rank[other], other))
    return kept
