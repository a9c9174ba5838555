"""A quiz sheet: which questions, in which order, numbered, with points and lettered choices.

The quiz page and its key are both rendered from one Sheet, so they cannot disagree.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field

from generator.builders import QuizOptions
from generator.choices import ordered_choices
from generator.model import (
    ArticleSet,
    Attribution,
    Chronology,
    Cloze,
    Deletion,
    Event,
    MultipleChoice,
    Question,
    ShortAnswer,
)
from generator.shuffle import rng, shuffled

# Sections in the order they are printed: quick objective items first.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("mcq", "Multiple choice", "Circle one answer."),
    ("attribution", "Who holds this view?", "Circle the one who holds each view."),
    ("truefalse", "True or false", "Write T or F; correct the false statements."),
    ("cloze", "Fill in the blanks", "Fill in the missing words."),
    ("qa", "Short answer", "Answer in a few words."),
    ("order", "Chronology", "Number the events from 1 (earliest) to {n}."),
)
BLANK_WIDTHS = (6, 10, 16, 24, 34, 48)  # blank widths in `ch`: a bucket, not the answer's length


@dataclass(frozen=True)
class Choice:
    letter: str
    text: str
    right: bool


@dataclass(frozen=True)
class Blank:
    """A cloze deletion as printed: a blank of a bucketed width, with its hint."""

    deletion: Deletion
    width: int


@dataclass(frozen=True)
class Placed:
    """A chronology event where the sheet prints it, with its place in the right order."""

    event: Event
    position: int  # 1 = earliest


@dataclass
class Item:
    number: int
    question: Question
    points: int
    choices: list[Choice] = field(default_factory=list)
    events: list[Placed] = field(default_factory=list)
    parts: list[str | Blank] = field(default_factory=list)
    lines: int = 0

    @property
    def right_choice(self) -> Choice | None:
        return next((c for c in self.choices if c.right), None)


@dataclass
class Section:
    kind: str
    title: str
    instruction: str
    items: list[Item]

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items)


@dataclass
class Sheet:
    found: ArticleSet
    version: str | None  # "A", "B", ... when there are several versions
    paper: str
    sections: list[Section]

    @property
    def total(self) -> int:
        return sum(s.points for s in self.sections)

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def select(found: ArticleSet, options: QuizOptions) -> list[Question]:
    """The questions of the quiz: filtered by tag, kind and event/claim, then drawn by the seed."""
    chosen = [
        q for q in found.questions
        if (not options.tags or set(options.tags) & set(q.tags))
        and (not options.kinds or q.kind in options.kinds)
        and (options.tests is None or q.tests == options.tests)
    ]
    if options.count is not None and options.count < len(chosen):
        keep = set(rng(found.article.slug, options.seed, "draw").sample(range(len(chosen)), options.count))
        chosen = [q for i, q in enumerate(chosen) if i in keep]
    return chosen


def letters(versions: int) -> list[str | None]:
    return [None] if versions == 1 else list(string.ascii_uppercase[:versions])


def build_sheet(found: ArticleSet, questions: list[Question], options: QuizOptions, version: str | None) -> Sheet:
    """One version of the quiz: sections in a fixed order, numbered through the whole sheet."""
    key = (options.seed, version or "")
    sections: list[Section] = []
    number = 0
    for kind, title, instruction in SECTIONS:
        of_kind = [q for q in questions if q.kind == kind]
        if not of_kind:
            continue
        if version is not None:
            of_kind = shuffled(of_kind, found.article.slug, "order", *key)
        items = []
        for q in of_kind:
            number += 1
            items.append(_item(found, q, number, key))
        longest = max((len(i.events) for i in items), default=0)
        sections.append(Section(kind, title, instruction.format(n=longest or "N"), items))
    return Sheet(found, version, options.paper, sections)


def _item(found: ArticleSet, q: Question, number: int, key: tuple[str, str]) -> Item:
    if isinstance(q, (MultipleChoice, Attribution)):
        choices = [
            Choice(string.ascii_uppercase[i], text, right)
            for i, (text, right) in enumerate(ordered_choices(found, q, *key))
        ]
        return Item(number, q, 1, choices=choices)
    if isinstance(q, Chronology):
        order = shuffled(range(len(q.events)), found.article.slug, q.id, "events", *key, avoid_identity=True)
        return Item(number, q, len(q.events), events=[Placed(q.events[i], i + 1) for i in order])
    if isinstance(q, Cloze):
        parts: list[str | Blank] = [
            s if isinstance(s, str) else Blank(s, _blank_width(s.answer)) for s in q.segments
        ]
        return Item(number, q, sum(1 for p in parts if isinstance(p, Blank)), parts=parts)
    if isinstance(q, ShortAnswer):
        return Item(number, q, 2, lines=min(4, max(1, math.ceil(len(q.answer) / 40))))
    return Item(number, q, 1)  # true or false


def _blank_width(answer: str) -> int:
    need = len(answer) + 3
    return next((w for w in BLANK_WIDTHS if w >= need), BLANK_WIDTHS[-1])
