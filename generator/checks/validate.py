"""Cross-field rules and anchoring: schema-checked entries of one article become model questions."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from generator.checks.anchor import ArticleIndex, NotFound, normalise
from generator.checks.date_words import ALLOW, examples, looks_like_date
from generator.checks.lints import RULE_NAMES
from generator.errors import Problem
from generator.kinds.checks import same_key
from generator.kinds.order import TIE
from generator.kinds.registry import REGISTRY
from generator.model import Anchor, Article, Origin, Question, Span
from generator.sources.read_questions import Entry, Unbuilt
from generator.sources.schema import AttributionQ
from generator.sources.schema_errors import suggest
from generator.unicode_forms import unspaced, visible


class _Checker:
    """Checks the entries of one article, collecting problems instead of stopping at the first."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.index = ArticleIndex(article)
        self.problems: list[Problem] = []
        self.points = [k for k, _ in article.meta.key_points]  # the ids a question's `key` may name
        # each passage anchored once, with and without its ends (an index of `ends`): the Anchor, or
        # why it is not found; an article's passages repeat (a chronology's events, rows, shared quotes)
        self._found: tuple[dict[str, Anchor | str], dict[str, Anchor | str]] = ({}, {})

    def fail(self, entry: Entry, loc: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        self.problems.append(entry.problem(loc, message, key=key))

    def anchor(self, entry: Entry, loc: tuple[Any, ...], passage: str, *, ends: bool = True) -> Anchor | None:
        found = self._found[ends]
        anchor = found.get(passage)
        if anchor is None:
            try:
                anchor = self.index.anchor(passage, ends=ends)
            except NotFound as e:
                anchor = e.message
            found[passage] = anchor
        if isinstance(anchor, str):
            self.fail(entry, loc, anchor)
            return None
        return anchor

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
            self.fail(entry, loc, f"'when' \"{visible(when)}\" does not look like a date or a time: it has no digit and no month, weekday "
                      f"or time word (such as {examples(self.article.meta.language)}); give the date as the article does, "
                      f"or add 'allow: [{ALLOW}]' to the question if it is meant")
            return
        text = normalise(when)
        if anchor is None:
            if not _has_word(self.index.text, text):
                self.fail(entry, loc, f"'when' \"{visible(when)}\" does not appear in the article as a whole word or number; give the date as the article does")
            return
        spans = anchor.spans
        if len(spans) == 1 and _has_word(self.index.normalised[spans[0].block], text):
            return  # (most dates: in the one block of their passage)
        blocks = sorted({s.block for s in spans})
        if not any(_has_word(self.index.normalised[b], text) for b in blocks):
            where = Anchor("", tuple(Span(b, 0, 0) for b in blocks)).cite(self.article)
            self.fail(entry, loc, f"'when' \"{visible(when)}\" does not appear as a whole word or number in {where}, where the passage is; give the date as that block does")


def _word_char(ch: str) -> bool:
    """What `\\w` matches in a regular expression on text, but for the letters of scripts written
    without spaces between words (Chinese, Japanese, Thai...), which have no edges to see."""
    return (ch.isalnum() or ch == "_") and (ch.isascii() or not unspaced(ch))  # no ASCII character is unspaced


@lru_cache(maxsize=1024)  # a library's dates are a few hundred texts, checked again for every question
def _edges(text: str) -> tuple[bool, bool]:
    """Whether a text begins, and whether it ends, with a letter or digit of a spaced script."""
    return text[0].isalnum() and not unspaced(text[0]), text[-1].isalnum() and not unspaced(text[-1])


def _has_word(haystack: str, text: str) -> bool:
    """Whether `text` is in `haystack` with word edges where it begins or ends with a word character.

    What `re.search(r"(?<!\\w)TEXT(?!\\w)")` finds (the edges only where TEXT has them there),
    without compiling a pattern for every date; an edge is wanted only between two letters of
    spaced scripts or digits, so "1987年" is found in "自1987年以来" and "9" is not in "1990".
    """
    if not text:
        return True
    start_edge, end_edge = _edges(text)
    at = haystack.find(text)
    while at != -1:
        end = at + len(text)
        if not (start_edge and at > 0 and _word_char(haystack[at - 1])) and not (
            end_edge and end < len(haystack) and _word_char(haystack[end])
        ):
            return True
        at = haystack.find(text, at + 1)
    return False


def check_article(article: Article, entries: list[Entry], unbuilt: Sequence[Unbuilt] = ()) -> tuple[list[Question], list[Problem]]:
    """The questions of one article, anchored, and every problem found in them; `unbuilt`: the ids
    of questions that a problem kept from being entries, for the ids used twice."""
    checker = _Checker(article)
    checker.problems += _duplicate_ids(entries, unbuilt)
    sources: dict[str, str] = {}  # each distinct source of the article's attribution questions, by its key
    for e in entries:
        if isinstance(e.model, AttributionQ):
            key = same_key(e.model.source)  # spelt two ways: the first in sorted order, wherever the files put it
            sources[key] = min(sources.get(key, e.model.source), e.model.source)
    questions = []
    for entry in entries:
        question = _build(checker, entry, sources)
        if question is not None:
            questions.append(question)
    _check_groups(checker, entries)
    return questions, checker.problems


def _duplicate_ids(entries: list[Entry], unbuilt: Sequence[Unbuilt]) -> list[Problem]:
    """An id used twice in an article, at its second use (in the order of file names and lines),
    naming the first; the ids of questions that a problem kept from being entries count too."""
    if not unbuilt and len({e.model.id for e in entries}) == len(entries):  # (most articles: no id twice)
        return []
    ids: Sequence[Unbuilt | Entry] = entries  # in the order read, which is that one: a place is found only for a duplicate
    if unbuilt:  # in the order of files and lines
        placed = [*(Unbuilt(e.model.id, e.path, *e.at(("id",))) for e in entries), *unbuilt]
        placed.sort(key=lambda u: (u.path, u.line, u.col))
        ids = placed
    first_at: dict[str, Unbuilt | Entry] = {}
    problems = []
    for written in ids:
        qid = written.id if isinstance(written, Unbuilt) else written.model.id
        other = first_at.setdefault(qid, written)
        if other is written:
            continue
        path, line = (other.path, other.line) if isinstance(other, Unbuilt) else (other.path, other.at(("id",))[0])
        where = f"line {line}" if path == written.path else f"{path}:{line}"
        message = f"duplicate id '{qid}' (first used at {where}); ids must be unique within an article"
        problems.append(Problem(written.path, written.line, written.col, message) if isinstance(written, Unbuilt)
                        else written.problem(("id",), message))
    return problems


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
    kind = REGISTRY[m.kind]  # type: ignore[attr-defined]  # every kind's schema class has one
    if kind.passage == "none":
        if m.passage is not None:
            c.fail(entry, ("passage",), f"{_a(kind.name)} has no 'passage' of its own; give each event its own", key=True)
    elif m.passage is not None:
        anchor = c.anchor(entry, ("passage",), m.passage)
    elif kind.passage == "required" and not suggest("passage", sorted(entry.unknown_keys)):
        c.fail(entry, (), "missing required key 'passage'" + (" (each row needs one)" if entry.row else ""))
    line, col = entry.place or entry.at()  # (found with the file's others: most questions)
    common: dict[str, Any] = {
        "id": m.id, "tests": m.tests, "anchor": anchor, "explanation": m.explanation, "tags": tuple(m.tags),
        "when": m.when, "group": m.group, "origin": Origin(entry.path, line, col, entry.template, entry.row),
        "allow": tuple(m.allow), "key": m.key,
    }
    if m.allow:  # (most questions have neither: no call)
        _check_allow(c, entry, m.allow)
    if m.key is not None:
        _check_key(c, entry, m.key)
    question = kind.build(c, entry, m, common, sources)
    if m.when is not None:  # after the kind's own: a cloze anchors its text
        c.when(entry, ("when",), m.when, common["anchor"])
    return question if len(c.problems) == before else None


def _a(kind: str) -> str:
    """How an error names a question of `kind`: "an order"."""
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _check_allow(c: _Checker, entry: Entry, allow: list[str]) -> None:
    """Every name in `allow` is a lint rule: a misspelt one would silence nothing."""
    if not allow:
        return
    from generator.checks.giveaways import GIVEAWAY  # its stemmers: only for a question with `allow`

    names = (*RULE_NAMES, ALLOW, TIE, GIVEAWAY)  # the lints, and the checks an author may overrule (date_words.py, ties, giveaways/)
    for i, name in enumerate(allow):
        if name not in names:
            hint = suggest(name, list(names))
            c.fail(entry, ("allow", i), f"unknown lint rule '{name}' in 'allow'{hint}; the rules are {', '.join(names)}")


def _check_key(c: _Checker, entry: Entry, key: str | None) -> None:
    """A question's `key` names one of the key points the article's front matter lists."""
    points = c.points
    if key is not None and key not in points:
        listed = f"; the article lists {', '.join(points)}" if points else "; list the article's key points under 'key_points' in its front matter"
        c.fail(entry, ("key",), f"unknown key point '{key}'{suggest(key, points)}{listed}")
