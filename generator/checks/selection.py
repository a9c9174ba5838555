"""Which questions a printed quiz holds: the filters, then no giveaway pair and one per group, then the draw.

The quiz builder, every LMS export (they hold the quiz's questions) and `quizgen check` (which lists
what the full quiz leaves out) share it: it is beside the quiz's package, so that check imports no builder.

Only selection lives here (the layout is `sheet.py` and the templates): the quiz keeps the most
questions it can with no question giving another away and at most one question of each group
(`generator.checks.giveaways.keep_apart`), and a draw of N takes from each kind in proportion to what is
available, by largest remainder, with the seed deciding ties and which questions are drawn. A draw
with 6 true/false statements or more holds between 35 % and 65 % true ones when the set allows it
(statements are swapped for others of the other verdict that give nothing away).
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.checks.giveaways import conflicts, keep_apart
from generator.kinds.registry import REGISTRY
from generator.model import ArticleSet, Question, TrueFalse
from generator.shuffle import DEFAULT_SEED, rng

if TYPE_CHECKING:  # check asks for the full quiz without them (`full_quiz_left_out`)
    from generator.outputs.quiz_options import QuizOptions


@dataclass(frozen=True)
class Assembly:
    """The quiz's questions (in file order) and the questions of the selection it leaves out."""

    questions: list[Question]
    left_out: list[Question]  # for the full quiz: left out for giveaways and groups
    short: str | None = None  # why the quiz holds fewer questions than --questions asked for


def filtered(found: ArticleSet, options: QuizOptions) -> list[Question]:
    """The questions that pass --tag, --kind and --tests, in file order."""
    return [
        q for q in found.questions
        if (not options.tags or set(options.tags) & set(q.tags))
        and (not options.kinds or q.kind in options.kinds)
        and (options.tests is None or q.tests == options.tests)
    ]


_LAST: list[tuple[weakref.ref[ArticleSet], QuizOptions, Assembly]] = []


def assemble(found: ArticleSet, options: QuizOptions) -> Assembly:
    """The questions of the quiz: when --questions asks for more than are available, all of them.

    The last answer is kept: the build asks again, after the quiz builder, for what it left out.
    """
    for ref, asked, answer in _LAST:
        if ref() is found and asked == options:
            return answer
    answer = _assemble(found, options)
    _LAST[:] = [(weakref.ref(found, _forget), options, answer)]
    return answer


def _forget(gone: weakref.ref[ArticleSet]) -> None:
    """The kept answer goes with its article set: its questions are not kept alive into the next
    article's build, where the collector would carry them into its oldest generation (and a full
    collection of every object at the end of the build)."""
    _LAST[:] = [entry for entry in _LAST if entry[0] is not gone]


def _assemble(found: ArticleSet, options: QuizOptions) -> Assembly:
    pool = filtered(found, options)
    if not pool:
        return Assembly([], [])  # nothing of this article matches the filters: it gets no quiz
    apart = conflicts(found, pool)
    slug = found.article.slug
    kept = _kept(found, pool, apart, options.seed)
    if options.count is None or options.count > len(kept):
        # More than available is no mistake of this article: one setting serves a library whose
        # articles have more and fewer questions (and the article being written has few yet).
        kept_set = set(kept)
        short = None if options.count is None else (
            f"the article '{slug}' has only {len(kept)} question{'s' if len(kept) != 1 else ''} available for a "
            f"quiz of {options.count} (after --tag, --kind and --tests, and leaving out questions that give others "
            f"away or share a group): its quiz holds all {len(kept)}")
        # `kept` is in pool order (ids are unique): the pool split in two, without a map of the ids
        return Assembly([q for q in pool if q.id in kept_set], [q for q in pool if q.id not in kept_set], short)
    drawn = set(draw(pool, apart, kept, options.count, slug, options.seed))
    return Assembly([q for q in pool if q.id in drawn], [])


def _kept(found: ArticleSet, pool: list[Question], apart: dict[str, set[str]], seed: str) -> list[str]:
    """The ids of the most questions of `pool` with no conflicting pair, in pool order."""
    return keep_apart([q.id for q in pool], apart, found.article.slug, seed, both_ways=True)  # as conflicts() makes them


def full_quiz_left_out(found: ArticleSet) -> list[Question]:
    """What the quiz of the default options (no filter, no --questions, the default seed) leaves out:
    `assemble(found, QuizOptions()).left_out`, for check without importing the options' module (and
    the builders' module it imports: 7 ms, most of check's time of an article's selection)."""
    pool = list(found.questions)
    kept = set(_kept(found, pool, conflicts(found, pool), DEFAULT_SEED))
    return [q for q in pool if q.id not in kept]


def quotas(available: Counter[str], count: int, *seed: str) -> dict[str, int]:
    """How many questions of each kind a draw of `count` takes: proportional, by largest remainder."""
    total = sum(available.values())
    exact = {k: count * available[k] / total for k in REGISTRY if available[k]}
    share = {k: int(v) for k, v in exact.items()}
    order = rng(*seed, "quota-ties").sample(sorted(exact), len(exact))  # the seed breaks ties
    order.sort(key=lambda k: exact[k] - share[k], reverse=True)
    for k in order[: count - sum(share.values())]:
        share[k] += 1
    return share


def draw(pool: list[Question], apart: dict[str, set[str]], kept: list[str], count: int, *seed: str) -> list[str]:
    """`count` ids, balanced across kinds, no two in conflict.

    The questions are taken in an order fixed by the seed, each unless it conflicts with one
    already taken or its kind has its share; if that gets stuck short of `count` (rare: a greedy
    choice blocked others), the draw is taken from `kept`, an independent set large enough.
    """
    kind = {q.id: q.kind for q in pool}
    share = quotas(Counter(kind[i] for i in kept), count, *seed)
    order = rng(*seed, "draw").sample([q.id for q in pool], len(pool))
    chosen = _fill(order, apart, kind, share)
    if len(chosen) < count:
        chosen = _fill(rng(*seed, "draw").sample(kept, len(kept)), apart, kind, share)
    return balance_truefalse(chosen, pool, apart, *seed)


TRUE_SHARE = (0.35, 0.65)  # the share of true statements a draw keeps to ...
MIN_BALANCED = 6  # ... when it holds this many statements or more


def balance_truefalse(chosen: list[str], pool: list[Question], apart: dict[str, set[str]], *seed: str) -> list[str]:
    """`chosen` with true/false statements swapped for others of the other verdict, each giving
    nothing away to what stays, until the true ones are between 35 % and 65 % (when the pool allows)."""
    verdict = {q.id: q.answer for q in pool if isinstance(q, TrueFalse)}
    picked = [i for i in chosen if i in verdict]
    if len(picked) < MIN_BALANCED:
        return chosen
    low, high = math.ceil(TRUE_SHARE[0] * len(picked)), math.floor(TRUE_SHARE[1] * len(picked))
    true = sum(verdict[i] for i in picked)
    if low <= true <= high:
        return chosen
    wanted = true < low  # the verdict there are too few of
    result = list(chosen)
    spare = [i for i in rng(*seed, "truefalse-balance").sample(sorted(verdict), len(verdict))
             if verdict[i] == wanted and i not in result]
    for new in spare:
        rest = set(result)
        out = next((i for i in result if verdict.get(i) is (not wanted) and not apart.get(new, set()) & (rest - {i})), None)
        if out is None:
            continue
        result[result.index(out)] = new
        true += 1 if wanted else -1
        if low <= true <= high:
            break
    return result


def _fill(order: list[str], apart: dict[str, set[str]], kind: dict[str, str], share: dict[str, int]) -> list[str]:
    chosen: list[str] = []
    taken: Counter[str] = Counter()
    blocked: set[str] = set()
    for q in order:
        if q in blocked or taken[kind[q]] >= share.get(kind[q], 0):
            continue
        chosen.append(q)
        taken[kind[q]] += 1
        blocked |= apart[q]
    return chosen
