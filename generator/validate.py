"""Cross-field rules and anchoring: schema-checked entries of one article become model questions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from generator import cloze
from generator.anchor import ArticleIndex, NotFound, normalise
from generator.date_words import ALLOW, examples, looks_like_date
from generator.errors import Problem
from generator.kinds import REGISTRY, handlers
from generator.lints import RULE_NAMES
from generator.model import (
    Anchor,
    Article,
    Attribution,
    Chronology,
    Cloze,
    Event,
    MultipleChoice,
    Origin,
    Question,
    ShortAnswer,
    Span,
    TrueFalse,
)
from generator.read_questions import Entry
from generator.schema import MCQ, QA, AttributionQ, ClozeQ, OrderQ, TrueFalseQ
from generator.schema_errors import suggest


class _Checker:
    """Checks the entries of one article, collecting problems instead of stopping at the first."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.index = ArticleIndex(article)
        self.problems: list[Problem] = []

    def fail(self, entry: Entry, loc: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        self.problems.append(entry.problem(loc, message, key=key))

    def anchor(self, entry: Entry, loc: tuple[Any, ...], passage: str, *, ends: bool = True) -> Anchor | None:
        try:
            return self.index.anchor(passage, ends=ends)
        except NotFound as e:
            self.fail(entry, loc, e.message)
            return None

    def when(self, entry: Entry, loc: tuple[Any, ...], when: str | None, anchor: Anchor | None) -> None:
        """A date must look like one (date_words.py) and be one the article gives, as a whole word or
        number in the passage's block.

        Dates are never invented, and a `when` found only elsewhere in the article ("9" in "1990",
        or "the") would put a wrong date on the timeline. Without an anchored passage (one that is
        not found has its own error) the whole article is searched.
        """
        if when is None:
            return
        if ALLOW not in entry.model.allow and not looks_like_date(when, self.article.meta.language):
            self.fail(entry, loc, f"'when' \"{when}\" does not look like a date or a time: it has no digit and no month, weekday "
                      f"or time word (such as {examples(self.article.meta.language)}); give the date as the article does, "
                      f"or add 'allow: [{ALLOW}]' to the question if it is meant")
            return
        text = normalise(when)
        if anchor is None:
            if not _has_word(self.index.text, text):
                self.fail(entry, loc, f"'when' \"{when}\" does not appear in the article as a whole word or number; give the date as the article does")
            return
        blocks = sorted({s.block for s in anchor.spans})
        if not any(_has_word(self.index.normalised[b], text) for b in blocks):
            where = Anchor("", tuple(Span(b, 0, 0) for b in blocks)).cite(self.article)
            self.fail(entry, loc, f"'when' \"{when}\" does not appear as a whole word or number in {where}, where the passage is; give the date as that block does")


def _word_char(ch: str) -> bool:
    """What `\\w` matches in a regular expression on text."""
    return ch.isalnum() or ch == "_"


def _has_word(haystack: str, text: str) -> bool:
    """Whether `text` is in `haystack` with word edges where it begins or ends with a word character.

    What `re.search(r"(?<!\\w)TEXT(?!\\w)")` finds (the edges only where TEXT has them there),
    without compiling a pattern for every date.
    """
    if not text:
        return True
    start_edge, end_edge = text[0].isalnum(), text[-1].isalnum()
    at = haystack.find(text)
    while at != -1:
        end = at + len(text)
        if not (start_edge and at > 0 and _word_char(haystack[at - 1])) and not (
            end_edge and end < len(haystack) and _word_char(haystack[end])
        ):
            return True
        at = haystack.find(text, at + 1)
    return False


def check_article(article: Article, entries: list[Entry]) -> tuple[list[Question], list[Problem]]:
    """The questions of one article, anchored, and every problem found in them."""
    checker = _Checker(article)
    first_at: dict[str, Entry] = {}
    for entry in entries:
        qid = entry.model.id
        if qid in first_at:
            other = first_at[qid]
            line = other.at(("id",))[0]
            where = f"line {line}" if other.path == entry.path else f"{other.path}:{line}"
            checker.fail(entry, ("id",), f"duplicate id '{qid}' (first used at {where}); ids must be unique within an article")
        else:
            first_at[qid] = entry
    sources: dict[str, str] = {}  # each distinct source of the article's attribution questions, by its key
    for e in entries:
        if isinstance(e.model, AttributionQ):
            sources.setdefault(_key(e.model.source), e.model.source)
    questions = []
    for entry in entries:
        question = _build(checker, entry, sources)
        if question is not None:
            questions.append(question)
    _check_groups(checker, entries)
    return questions, checker.problems


def _check_groups(c: _Checker, entries: list[Entry]) -> None:
    """A group names two questions or more: a group of one is a misspelt name or a forgotten partner."""
    members: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.model.group is not None:
            members.setdefault(entry.model.group, []).append(entry)
    for group, found in members.items():
        if len(found) == 1:
            others = sorted(g for g in members if g != group)
            hint = suggest(group, others)
            c.fail(found[0], ("group",), f"group '{group}' has no other question{hint}; a group names the questions that test the same fact, two or more")


def _build(c: _Checker, entry: Entry, sources: dict[str, str]) -> Question | None:
    m = entry.model
    before = len(c.problems)
    anchor = None
    if isinstance(m, OrderQ):
        if m.passage is not None:
            c.fail(entry, ("passage",), "an order has no 'passage' of its own; give each event its own", key=True)
    elif m.passage is not None:
        anchor = c.anchor(entry, ("passage",), m.passage)
    elif not isinstance(m, ClozeQ) and not suggest("passage", sorted(entry.unknown_keys)):
        c.fail(entry, (), "missing required key 'passage'" + (" (each row needs one)" if entry.row else ""))
    line, col = entry.at()
    common: dict[str, Any] = dict(
        id=m.id, tests=m.tests, anchor=anchor, explanation=m.explanation, tags=tuple(m.tags),
        when=m.when, group=m.group, origin=Origin(entry.path, line, col, entry.template, entry.row),
        allow=tuple(m.allow), key=m.key,
    )
    _check_allow(c, entry, m.allow)
    _check_key(c, entry, m.key)
    question = _KIND_BUILDERS[type(m)](c, entry, m, common, sources)
    c.when(entry, ("when",), m.when, common["anchor"])  # after the kind's own: a cloze anchors its text
    return question if len(c.problems) == before else None


def _check_allow(c: _Checker, entry: Entry, allow: list[str]) -> None:
    """Every name in `allow` is a lint rule: a misspelt one would silence nothing."""
    if not allow:
        return
    from generator.giveaways import GIVEAWAY  # its stemmers: only for a question with `allow`

    names = (*RULE_NAMES, ALLOW, TIE, GIVEAWAY)  # the lints, and the checks an author may overrule (date_words.py, ties, giveaways.py)
    for i, name in enumerate(allow):
        if name not in names:
            hint = suggest(name, list(names))
            c.fail(entry, ("allow", i), f"unknown lint rule '{name}' in 'allow'{hint}; the rules are {', '.join(names)}")


def _check_key(c: _Checker, entry: Entry, key: str | None) -> None:
    """A question's `key` names one of the key points the article's front matter lists."""
    points = [k for k, _ in c.article.meta.key_points]
    if key is not None and key not in points:
        listed = f"; the article lists {', '.join(points)}" if points else "; list the article's key points under 'key_points' in its front matter"
        c.fail(entry, ("key",), f"unknown key point '{key}'{suggest(key, points)}{listed}")


def _qa(c: _Checker, entry: Entry, m: QA, common: dict[str, Any], sources: dict[str, str]) -> Question:
    _check_accept(c, entry, m, common["anchor"])
    return ShortAnswer(**common, question=m.question, answer=m.answer, type_in=m.type_in, accept=tuple(m.accept))


def _words(text: str) -> set[str]:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    return set(re.findall(r"\w+", plain))


def _check_accept(c: _Checker, entry: Entry, m: QA, anchor: Anchor | None) -> None:
    """Each `accept` alternative says the answer in other words: it is checked against the answer
    and the passage's paragraph(s), as the answer is written from them. One that shares no word
    with either would make the study page accept an answer the article does not give."""
    if not m.accept:  # most short answers have none: no paragraph's words to gather (a tenth of check)
        return
    seen = {normalise(m.answer).casefold()}
    source = " ".join(b.text for b in anchor.blocks(c.article)) if anchor else ""
    known = _words(m.answer) | _words(source)
    for i, alternative in enumerate(m.accept):
        key = normalise(alternative).casefold()
        if key in seen:
            c.fail(entry, ("accept", i), f"'accept' alternative \"{alternative}\" repeats the answer or another alternative")
        elif not _words(alternative) & known:
            c.fail(entry, ("accept", i), f"'accept' alternative \"{alternative}\" shares no word with the answer or its passage; "
                                         "an alternative says the answer in other words")
        seen.add(key)


def _cloze(c: _Checker, entry: Entry, m: ClozeQ, common: dict[str, Any], sources: dict[str, str]) -> Question | None:
    try:
        segments = cloze.parse(m.text)
    except cloze.ClozeSyntaxError as e:
        c.fail(entry, ("text",), str(e))
        return None
    if common["anchor"] is None and m.passage is None:
        plain = "".join(s if isinstance(s, str) else s.answer for s in segments)
        common["anchor"] = c.anchor(entry, ("text",), plain, ends=False)
    return Cloze(**common, text=m.text, segments=segments)


def _mcq(c: _Checker, entry: Entry, m: MCQ, common: dict[str, Any], sources: dict[str, str]) -> Question:
    _distinct_choices(c, entry, m.answer, m.distractors, "answer")
    return MultipleChoice(**common, question=m.question, answer=m.answer, distractors=tuple(m.distractors))


def _truefalse(c: _Checker, entry: Entry, m: TrueFalseQ, common: dict[str, Any], sources: dict[str, str]) -> Question:
    if not m.answer and m.correction is None:
        c.fail(entry, ("answer",), "a false statement needs a 'correction', shown with the answer")
    if m.answer and m.correction is not None:
        c.fail(entry, ("correction",), "a true statement takes no 'correction'", key=True)
    return TrueFalse(**common, statement=m.statement, answer=m.answer, correction=m.correction)


def _order(c: _Checker, entry: Entry, m: OrderQ, common: dict[str, Any], sources: dict[str, str]) -> Question:
    events = []
    anchors: list[Anchor | None] = []
    for i, ev in enumerate(m.events):
        anchor = c.anchor(entry, ("events", i, "passage"), ev.passage)
        anchors.append(anchor)
        c.when(entry, ("events", i, "when"), ev.when, anchor)
        if anchor is not None:
            events.append(Event(ev.text, anchor, ev.when))
    seen: dict[str, int] = {}
    for i, ev in enumerate(m.events):
        key = _key(ev.text)
        if key in seen:
            c.fail(entry, ("events", i, "text"), f"event {i + 1} repeats event {seen[key] + 1}")
        seen.setdefault(key, i)
    _ties(c, entry, m, anchors)
    return Chronology(**common, question=m.question or Chronology.DEFAULT_PROMPT, events=tuple(events))


TIE = "when-tie"  # the name `allow:` takes to accept two events of a chronology with the same `when`


def _ties(c: _Checker, entry: Entry, m: OrderQ, anchors: list[Anchor | None]) -> None:
    """Two events with the same `when` have no one right order between them (unless the author says
    the article gives it: `allow: [when-tie]`); two events quoting the same passage are one event."""
    dated: dict[str, int] = {}
    quoted: dict[tuple[Span, ...], int] = {}
    for i, (ev, anchor) in enumerate(zip(m.events, anchors)):
        if ev.when is not None:
            when = " ".join(ev.when.split()).casefold()
            if when in dated and TIE not in m.allow:
                c.fail(entry, ("events", i, "when"), f"event {i + 1} has the same 'when' \"{ev.when}\" as event {dated[when] + 1}, "
                       f"so their order is not known; give the date that tells them apart, or add 'allow: [{TIE}]' if the article orders them")
            dated.setdefault(when, i)
        if anchor is not None:
            if anchor.spans in quoted:
                c.fail(entry, ("events", i, "passage"), f"event {i + 1} quotes the same passage as event {quoted[anchor.spans] + 1}; "
                       "each event cites the words that tell of it")
            quoted.setdefault(anchor.spans, i)


def _attribution(c: _Checker, entry: Entry, m: AttributionQ, common: dict[str, Any], sources: dict[str, str]) -> Question:
    if m.distractors is not None:
        distractors = list(m.distractors)
        _distinct_choices(c, entry, m.source, distractors, "source")
    else:
        own = _key(m.source)
        distractors = [source for key, source in sources.items() if key != own]
        if not distractors:
            c.fail(entry, ("source",), "no other source to choose from: an attribution without 'distractors' takes its wrong choices from the other sources of this article's attribution questions; add 'distractors'")
    return Attribution(
        **common, question=m.question or Attribution.DEFAULT_PROMPT, claim=m.claim, source=m.source,
        distractors=tuple(distractors), generated=m.distractors is None,
    )


def _distinct_choices(c: _Checker, entry: Entry, right: str, wrong: list[str], right_key: str) -> None:
    """The right choice is not among the wrong ones, and no wrong choice is listed twice."""
    seen: dict[str, int | None] = {_key(right): None}
    for i, d in enumerate(wrong):
        key = _key(d)
        if key in seen:
            earlier = seen[key]
            what = f"the '{right_key}'" if earlier is None else f"distractor {earlier + 1}"
            c.fail(entry, ("distractors", i), f"distractor {i + 1} \"{d}\" is the same as {what}; every choice must differ")
        else:
            seen[key] = i


def _key(text: str) -> str:
    """What two choices or sources are compared by: the same words, whatever the case or quotes."""
    return normalise(text).casefold()


# The model question of each kind, from its checked entry.
_BY_KIND: dict[str, Callable[..., Question | None]] = {
    "qa": _qa, "cloze": _cloze, "mcq": _mcq, "truefalse": _truefalse, "order": _order, "attribution": _attribution,
}
# Keyed by schema class, which is what an entry holds.
_KIND_BUILDERS = {REGISTRY[kind].schema: build for kind, build in handlers("validate", _BY_KIND).items()}
