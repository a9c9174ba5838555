"""Finding giveaways: each answer looked for, through the index, in the other questions' printed words."""

from __future__ import annotations

import weakref
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's counting in C, without its checks
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import attrgetter
from typing import TypeVar

from generator.checks.giveaways.index import Giveaway, _need, _Printed, _Texts
from generator.checks.giveaways.text import words
from generator.errors import Problem
from generator.kinds.contract import Answer
from generator.kinds.registry import REGISTRY
from generator.model import ArticleSet, Attribution, Question, TrueFalse

GIVEAWAY = "giveaway"  # the name `allow:` takes to say that a pair found is none
_NONE: frozenset[str] = frozenset()


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
    by_giver: list[list[Giveaway]] = [[] for _ in qs]  # each giver's pairs, in the order of their takers
    for t, taker in enumerate(qs):
        known = {t}  # itself, and the questions found to give it away by an answer before (the first answer found is kept)
        for answer in _asked(texts, t, taker):
            for g, shared in _givers(texts, t, taker, answer, known):
                known.add(g)
                by_giver[g].append(Giveaway(qs[g], taker, shared, answer, texts.printed[g]))
    return list(chain.from_iterable(by_giver))  # in (giver, taker) order


VERDICT_WORDS = frozenset(["reverse", "opposite", "wrong", "false", "true", "correct", "actually", "indeed", "fact"])


def _asked(texts: _Texts, t: int, taker: Question) -> list[Answer]:
    """A question's answers; of a false statement's correction, only its first clause that says
    something the statement does not ("The reverse:" aside): the rest tells more than it corrects."""
    found = REGISTRY[taker.kind].answers(taker, texts.cited)  # (`index.answers`, without its call)
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
    own = texts.printed[t]
    said = dict.fromkeys(texts.lang.stems(answer.text))  # each once, in order
    everywhere = texts.everywhere  # printed all over the quiz: says nothing (the article's subject)
    if answer.style != "fact" or isinstance(taker, TrueFalse) and not taker.answer:
        mine = own.own
        stems = [s for s in said if s not in mine and s not in everywhere]
    else:
        stems = [s for s in said if s not in everywhere]
    if answer.what == "its right choice":
        wrong = frozenset().union(*own.choices[1:])
        stems = [s for s in stems if s not in wrong]
    return stems


@dataclass(slots=True)  # not frozen: made for every answer, and a frozen one is slower to make
class _Sought:
    """One answer as it is looked for: its telling stems and what else decides."""

    answer: Answer
    stems: list[str]
    block: list[str]  # stems that must all be printed too: an event's date, the answer's numbers
    cited: frozenset[tuple[int, int]]
    last: str | None  # a name's last word, enough alone ("Olmert" for "Ehud Olmert")
    wrong: list[frozenset[str]]  # what each wrong choice says that the right one does not (those that say something)
    whole: frozenset[str]  # every stem of the answer
    frequent: frozenset[str]  # the article's stems printed in many questions: one of them alone gives nothing away

    needs: tuple[int, int]  # `_need` of its stems, without and with a sentence in common (2 when all shared are frequent: `_gives`)
    offers: bool  # whether a question's choices may print it (see `_gives`): an exact answer, not a right choice


def _sought(texts: _Texts, t: int, taker: Question, answer: Answer) -> _Sought | None:
    stems = _answer_stems(texts, t, taker, answer)
    if not stems:
        return None
    whole = texts.lang.stem_set(answer.text)  # (a right choice's: made for its question's choices)
    own = texts.printed[t]
    # a fact turns on its numbers: printed with another number, it is another fact
    block = [s for s in stems if s.isdigit()]
    if answer.block:
        block[:0] = texts.lang.stems(answer.block)
    name = answer.text.split()
    last = texts.lang.stems(name[-1]) if 2 <= len(name) <= 3 and _capitalised(name) else ()
    wrong = [w for w in [c - whole - own.own for c in own.choices[1:]] if w] if answer.what == "its right choice" else []
    cited = answer.sentences if answer.sentences is not None else own.sentences
    return _Sought(answer, stems, block, cited, last[0] if last else None, wrong, whole, texts.frequent, _needs(len(stems), answer.style),
                   answer.style == "exact" and answer.what != "its right choice")


def _capitalised(name: list[str]) -> bool:
    """Whether each of two or three words starts with a capital (a name), tested without a generator."""
    return name[0][:1].isupper() and name[-1][:1].isupper() and name[len(name) // 2][:1].isupper()


@cache  # a few lengths and styles
def _needs(n: int, style: str) -> tuple[int, int]:
    """`_need` of `n` stems of an answer of `style`, without and with a sentence in common."""
    return _need(n, False, style), _need(n, True, style)


def _givers(texts: _Texts, t: int, taker: Question, answer: Answer, known: set[int]) -> list[tuple[int, list[str]]]:
    """The questions that print enough of `answer` (found through the index), with the stems they
    print, each once (in no particular order: `_find_all` orders the pairs by giver); none of `known`."""
    sought = _sought(texts, t, taker, answer)
    if sought is None:
        return []
    least = 1 if sought.last else sought.needs[True]
    if len(sought.stems) < least:
        return []  # (a fact of one word, not a name: no question prints enough of it)
    apart = 1 if sought.last else sought.needs[False]  # without a sentence in common
    fact, cue = answer.style == "fact", answer.style == "cue"
    every, cited, questions = texts.printed, sought.cited, texts.questions
    found = []
    for g, n in _candidates(texts, sought).items():
        if n < least or g in known or fact and isinstance(questions[g], Attribution):
            continue  # an attribution's claim is a view whose holder is asked: it settles no statement
        p = every[g]
        cocited = not cited.isdisjoint(p.sentences)
        if not cocited and (n < apart or cue):
            continue  # too few words shared for two questions that cite different sentences; a cue needs one
        shared = _gives(p, sought, cocited, n)
        if shared is not None:
            found.append((g, shared))
    return found


def _candidates(texts: _Texts, sought: _Sought) -> dict[int, int]:
    """The questions the index lists under the stems of `sought`, each with how many of them (counted
    in C: the stems each question is listed under are found only for the few that may give it away)."""
    stems, saying = sought.stems, texts.saying
    if len(stems) == 1 and not sought.offers:
        return dict.fromkeys(saying.get(stems[0], ()), 1)
    # only an exact answer's stems count in another question's choices (`_gives`): for any
    # other, a question that prints too few of them outside its choices gives nothing away
    lists = [saying.get(s, ()) for s in stems]  # a question is listed once under each stem
    if sought.offers:
        lists += [texts.offering.get(s, ()) for s in stems]  # (never under one stem in both)
    counts: dict[int, int] = {}
    _count_elements(counts, chain.from_iterable(lists))  # (what Counter(...) does, less its Python-level checks of the argument: -2.5 % of the search)
    return counts


def _gives(p: _Printed, sought: _Sought, cocited: bool, n: int) -> list[str] | None:
    """The stems by which a question's printed text `p` gives `sought` away, or None (`cocited`: whether
    both cite one sentence of the article, where alone a cue is looked for (`_givers`); `n`: how many
    stems of `sought` the index lists it under)."""
    stems = sought.stems
    if n == len(stems) and not p.derived and not (sought.offers and p.offered):
        # (most: listed under all of them, none printed through an acronym, and no choices that count)
        shared, extra = stems, _NONE
    else:
        # the stems of its choices that count: for a blank or a short answer, its choices' numbers, and its
        # choices' words when both cite one sentence (a choice asserts nothing, but it prints a number, or
        # a fact of the same sentence)
        extra = (p.offered if cocited else p.offered_numbers()) if sought.offers and p.offered else _NONE
        shared = _shared(sought, _held(p, sought, n), p.said, extra, p.derived)
    need = sought.needs[cocited]
    if need == 1 and len(stems) > 1 and sought.frequent.issuperset(shared):
        need = 2  # one word the article prints often is not enough, even in one sentence
    if len(shared) < need and not _by_name(p, sought, shared):
        return None
    if sought.block or sought.wrong:
        shown = p.said | extra if extra else p.said  # (set operations in C, not a generator a pair)
        if not shown.issuperset(sought.block):
            return None
        if any(map(shown.issuperset, sought.wrong)):
            return None  # the right choice printed beside a wrong one singles nothing out
    return shared  # (their words in print are found when a warning quotes them: Giveaway.shared)


def _held(p: _Printed, sought: _Sought, n: int) -> list[str]:
    """The stems of `sought` the index lists `p` under (`n` of them), in their order: all of them, or
    those it prints (outside its choices, or in them too where they count: `_candidates`)."""
    stems, said = sought.stems, p.said
    if n == len(stems):
        return stems
    if sought.offers:
        return [s for s in stems if s in said or s in p.offered]
    return [s for s in stems if s in said]


def _shared(sought: _Sought, held: list[str], said: frozenset[str], extra: frozenset[str],
            derived: dict[str, frozenset[str]]) -> list[str]:
    """The stems of `sought` a question shows, of those `held` under it in the index: in `said` or in
    `extra`, and one printed only through an acronym when the answer is all of it (written out four
    ways: most questions have no `extra` and no `derived`, and most answers are looked for in
    `said` alone, where `held` is what it shows)."""
    whole = sought.whole
    if extra:
        return [s for s in held if (s in said or s in extra) and (s not in derived or derived[s] <= whole)]
    if derived:
        return [s for s in held if s in said and (s not in derived or derived[s] <= whole)]
    return [s for s in held if s in said] if sought.offers else held


def _by_name(p: _Printed, sought: _Sought, shared: list[str]) -> bool:
    """Whether `p` prints the last word of the name `sought` is, with its capital ("Olmert")."""
    if sought.last is None or sought.last not in shared:
        return False
    return p.quoted(p.place(sought.last)[1])[:1].isupper()


def allowed(g: Giveaway) -> bool:
    """Whether the author said the pair is none (`allow: [giveaway]` on either question)."""
    return GIVEAWAY in g.giver.allow or GIVEAWAY in g.taker.allow


def any_allow(questions: Iterable[Question]) -> bool:
    """Whether any of `questions` allows a giveaway: if none does, `allowed` is false for all their pairs."""
    return GIVEAWAY in chain.from_iterable(map(_ALLOW, questions))  # (sought in C, not by a generator)


_ALLOW = attrgetter("allow")
_GROUP = attrgetter("group")
_WHERE = attrgetter("origin.path", "origin.line", "origin.col")  # where a question's warnings are printed


def warnings(found: ArticleSet, shown: int | None = None) -> tuple[list[Problem], int]:
    """A warning at every question that gives another away, unless both are of one group already or
    allowed; and how many more there are whose text was not made.

    With `shown`, only the warnings that can be among the first `shown` in the order problems are
    printed (file, line, column, message) are written out: those at the positions of the first
    `shown` pairs, every one at the last of these positions (their messages decide between them).
    The rest are only counted (issue 31: check printed 5 of a rule per article, but wrote out the
    51,282 of a 200-article library, a tenth of its time). No two pairs make one message: a pair
    is one giver and one taker, and the message names the taker."""
    pairs = giveaways(found)
    if any_allow(found.questions):  # (most articles: no question allows one, and no pair need be asked)
        pairs = [g for g in pairs if not allowed(g)]
    if set(map(_GROUP, found.questions)) != {None}:  # some question has a group (or there are none, and no pairs)
        pairs = [g for g in pairs if g.giver.group is None or g.giver.group != g.taker.group]
    if shown is None or len(pairs) <= shown:
        return [g.problem() for g in pairs], 0
    # the pairs come in the order of their givers (`giveaways`): in the order of their positions when
    # the questions are (most articles), where the sort (stable) would change nothing
    where = list(map(_WHERE, found.questions))
    if where != sorted(where):
        pairs.sort(key=_position)
    cut, last = shown, _position(pairs[shown - 1])
    while cut < len(pairs) and _position(pairs[cut]) == last:
        cut += 1
    return [g.problem() for g in pairs[:cut]], len(pairs) - cut


def _position(g: Giveaway) -> tuple[str, int, int]:
    """Where a pair's warning is printed: at its giver."""
    origin = g.giver.origin
    return origin.path, origin.line, origin.col


