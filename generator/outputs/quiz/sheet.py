"""A quiz sheet: which questions, in which order, numbered, with points and lettered choices.

The quiz page and its key are both rendered from one Sheet, so they cannot disagree.
"""

from __future__ import annotations

import base64
import hashlib
import string
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from operator import attrgetter
from typing import Any

from generator.i18n import fallback_language, gettext_for, ngettext_for
from generator.kinds.choices import right_choice, wrong_choices
from generator.kinds.contract import Kind
from generator.kinds.registry import REGISTRY
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
    quick_init,
)
from generator.outputs.quiz_options import QuizOptions
from generator.outputs.sheet_code import layout_terms
from generator.shuffle import rng, shuffled

# Sections in the order they are printed: quick objective items first (by how each kind is set:
# LAYOUTS' order), kinds of one layout in the order they are registered. Each kind's title,
# instruction, instruction with --answer-sheet, points and marking rule come from its registration.
LAYOUT_ORDER = ("lettered", "plain", "blanks", "lines", "events")


def section_kinds() -> list[Kind]:
    """The registered kinds in the order their sections are printed."""
    return sorted(REGISTRY.values(), key=lambda k: LAYOUT_ORDER.index(k.layout))


def default_points() -> dict[str, int]:
    """Points per question (mcq, attribution, truefalse, qa) or per blank / per event (cloze, order)."""
    return {k.name: k.points for k in REGISTRY.values()}


QA_LINES = 2  # every short answer gets the same room: the model answer's length would give it away
SHORT_CHOICE = 24  # choices no longer than this (in characters) are set two to a row


@quick_init  # (frozen: the __init__ dataclasses writes sets each field by a call)
@dataclass(frozen=True)
class Choice:
    letter: str
    text: str
    right: bool


@quick_init
@dataclass(frozen=True)
class Blank:
    """A cloze deletion as printed: every blank is as wide as every other, with its hint."""

    deletion: Deletion
    number: int  # the blank's place in its question: (1), (2), ... in the key


@quick_init
@dataclass(frozen=True)
class Placed:
    """A chronology event where the sheet prints it, with its place in the right order."""

    event: Event
    position: int  # 1 = earliest
    letter: str  # A, B, ... in the order printed

    @property
    def arrow(self) -> str:
        """What goes in the event's box, as the key prints it: `A→3`."""
        return f"{self.letter}→{self.position}"


_TEXT = attrgetter("text")
_POINTS = attrgetter("points")


@dataclass
class Item:
    number: int
    question: Question
    points: int
    choices: list[Choice] = field(default_factory=list)
    events: list[Placed] = field(default_factory=list)
    parts: list[str | Blank] = field(default_factory=list)
    lines: int = 0
    unit: int = 1  # the points of one blank or event, for the marking rule

    @cached_property  # found once: the key asks three times a question, and an item is not changed once built
    def right_choice(self) -> Choice | None:
        for c in self.choices:
            if c.right:
                return c
        return None

    @property
    def short_choices(self) -> bool:
        """Whether the choices are short enough to set two to a row."""
        return bool(self.choices) and max(map(len, map(_TEXT, self.choices))) <= SHORT_CHOICE

    @property
    def in_order(self) -> list[Placed]:
        """The events in the right order (earliest first), each with the letter it is printed with."""
        return sorted(self.events, key=lambda p: p.position)

    @property
    def blanks(self) -> list[Blank]:
        return [p for p in self.parts if isinstance(p, Blank)]


@dataclass
class Section:
    kind: str
    title: str
    instruction: str
    items: list[Item]
    marking: str = ""

    @cached_property  # summed once: asked for twice a section on each page, and a section is not changed once built
    def points(self) -> int:
        return sum(map(_POINTS, self.items))


@dataclass
class Sheet:
    found: ArticleSet
    version: str | None  # "A", "B", ... when there are several versions
    paper: str
    sections: list[Section]
    options: QuizOptions = field(default_factory=QuizOptions)
    language: str = "en"  # of quizgen's own words
    override: bool = False  # whether --ui-language chose it

    @property
    def title(self) -> str:
        _ = gettext_for(self.language)
        return self.options.title or _("Quiz: %(title)s") % {"title": self.found.article.meta.title}

    @property
    def words_lang(self) -> str:
        """The language of quizgen's words where it is not the page's: English for an article in a
        language without a catalogue (the page keeps the article's `lang`, quizgen's words are marked
        `lang="en"`, WCAG 3.1.2); "" otherwise (the words are in the page's language)."""
        return fallback_language(self.found.article.meta.language, self.language, self.override)

    @property
    def title_words(self) -> tuple[str, str]:
        """The title as quizgen's words and the article's: ("Quiz: ", its title), or ("", a title of the
        author's own); the template marks the first part's language."""
        if self.options.title:
            return "", self.options.title
        _ = gettext_for(self.language)
        words = _("Quiz: %(title)s")
        if words.endswith("%(title)s"):
            return words.removesuffix("%(title)s"), self.found.article.meta.title
        return "", self.title

    @property
    def total(self) -> int:
        return sum(map(_POINTS, self.sections))

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    @cached_property
    def code(self) -> str:
        """Four characters that change whenever what the student reads or what the key accepts changes,
        and, with an answer sheet, wherever its bubbles are (`layout_terms`: paper, student digits).

        Printed on the quiz, on its key and on its answer sheet (and in the sheet's QR code): after a
        rebuild, a teacher compares the code on the students' papers with the new key's before marking
        with it, and `quizgen mark` reads a sheet only with the teacher file of its code. Computed once:
        the pages print it several times, and a sheet is not changed once built.
        """
        layout = layout_terms(self.paper, self.options.student_digits) if self.options.answer_sheet else ()
        digest = hashlib.sha256(_marked_repr(self.version, self.sections, layout).encode("utf-8")).digest()
        return base64.b32encode(digest).decode("ascii")[:4]


def _marked_repr(version: str | None, sections: list[Section], layout: tuple) -> str:
    """What the code digests: the text of `repr((version, marked, *layout))`, `marked` a list with
    (kind, number, points, printed fields as (name, value) pairs, choices as (letter, text, right),
    events as (letter, position, text), the text of the parts' repr or "[]", lines) for each item.

    Written with %-formats around each value's own repr, the very text `repr` gives: `repr` of the
    nested tuples and lists went through Python's recursion guard for each (some 20 an item), which
    cost more than the text itself."""
    rows = []
    for section in sections:
        kind = repr(section.kind)
        for item in section.items:
            rows.append("(%s, %r, %r, %s, [%s], [%s], %r, %r)" % (
                kind, item.number, item.points, _printed_repr(item.question),
                ", ".join(["(%r, %r, %r)" % (c.letter, c.text, c.right) for c in item.choices]),
                ", ".join(["(%r, %r, %r)" % (e.letter, e.position, e.event.text) for e in item.events]),
                repr(item.parts) if item.parts else "[]", item.lines))
    return "(" + ", ".join([repr(version), "[" + ", ".join(rows) + "]", *map(repr, layout)]) + ")"


# What a question carries that is not printed and not the answer: editing it changes no code.
_UNPRINTED = {"id", "anchor", "explanation", "tags", "when", "group", "origin", "events"}


def _printed_repr(q: Question) -> str:
    """The repr of a question's printed text and answers as (name, value) pairs (its events come from
    the item, in printed order): `repr(tuple(zip(names, values)))`."""
    known = _PRINTED_FORMATS.get(type(q))
    if known is None:  # once per question class: `fields` is slow to ask per question
        names = tuple(f.name for f in fields(q) if f.name not in _UNPRINTED)
        pairs = ", ".join(f"({name!r}, %r)" for name in names)  # a field's name holds no %
        # (an attrgetter of one name gives its value, not a 1-tuple; the repr of a 1-tuple ends in ",)")
        known = _PRINTED_FORMATS[type(q)] = (f"({pairs},)" if len(names) == 1 else f"({pairs})",
                                             attrgetter(*names) if names else None, len(names) == 1)
    text, values, one = known
    if values is None:
        return "()"
    return text % ((values(q),) if one else values(q))


_PRINTED_FORMATS: dict[type, tuple[str, Callable[[Question], Any] | None, bool]] = {}


def letters(versions: int) -> list[str | None]:
    return [None] if versions == 1 else list(string.ascii_uppercase[:versions])


def points_of(options: QuizOptions) -> dict[str, int]:
    """The points of each kind: the defaults, with the ones given by --points."""
    return {**default_points(), **dict(options.points)}


def build_sheet(
    found: ArticleSet, questions: list[Question], options: QuizOptions, version: str | None, language: str = "en"
) -> Sheet:
    """One version of the quiz: sections in a fixed order, numbered through the whole sheet, its words
    in `language`."""
    _ = gettext_for(language)
    key = (options.seed, version or "")
    points = points_of(options)
    sections: list[Section] = []
    number = 0
    by_kind: dict[str, list[Question]] = {}  # each kind's questions, in file order
    for q in questions:
        by_kind.setdefault(q.kind, []).append(q)
    lettered_kinds = {kind for kind in by_kind if REGISTRY[kind].layout == "lettered"}
    lettered: list[Any] = [q for q in questions if q.kind in lettered_kinds]
    right = right_positions(found, lettered, key)
    for registered in section_kinds():
        kind, (title, instruction) = registered.name, registered.section
        of_kind = by_kind.get(kind)
        if not of_kind:
            continue
        if version is not None:
            of_kind = shuffled(of_kind, found.article.slug, "order", *key)
        make, worth = _ITEMS[registered.layout], points[kind]  # what _item finds for each question of the kind
        items = []
        for q in of_kind:
            number += 1
            items.append(make(found, q, number, key, worth, right.get(q.id, 0)))
        sizes = sorted({len(i.events) for i in items})
        # a chronology section says "to N" only when every question has N events; else each says its own
        if options.answer_sheet and registered.on_sheet is not None:
            text = _(registered.on_sheet)
        elif registered.layout == "events":
            text = (_(instruction).format(n=sizes[0]) if len(sizes) == 1
                    else _("Number the events in the boxes from 1 (earliest)."))
        else:
            text = _(instruction)
        rule = _(registered.marking).format(p=_points(points[kind], language))
        sections.append(Section(kind, _(title), text, items, rule))
    return Sheet(found, version, options.paper, sections, options, language)


def _points(n: int, language: str = "en") -> str:
    return ngettext_for(language)("%(num)d point", "%(num)d points", n) % {"num": n}


def right_positions(
    found: ArticleSet, questions: list[MultipleChoice | Attribution], key: tuple[str, str]
) -> dict[str, int]:
    """Where each lettered question's right answer goes (0 = A): every letter about as often as the
    others, within each section (kind) and on the whole sheet.

    Questions are taken section by section, in an order drawn from the seed, the fewest choices
    first; each gets the letter least used in its section, ties going to the letter least used on
    the sheet, then drawn from the seed. So within a version each letter's count in a section is
    within one of the others' (when the numbers of choices allow it), and no pattern in the printed
    order tells the next answer.
    """
    slug = found.article.slug
    result: dict[str, int] = {}
    drawn = shuffled(questions, slug, "right-letters", *key)
    sizes = {q.id: 1 + len(wrong_choices(found, q)) for q in drawn}
    on_sheet = [0] * max(sizes.values(), default=0)  # how often each letter is right, on the sheet
    for kind in dict.fromkeys(q.kind for q in questions):
        in_section = [0] * len(on_sheet)  # and in the section
        for q in sorted((q for q in drawn if q.kind == kind), key=lambda q: sizes[q.id]):
            places = in_section[: sizes[q.id]]
            fewest = min(places)
            tied = [i for i, n in enumerate(places) if n == fewest]
            least = min([on_sheet[i] for i in tied])
            candidates = [i for i in tied if on_sheet[i] == least]
            # one candidate is what any draw gives: no generator seeded for it (a third of them)
            choice = candidates[0] if len(candidates) == 1 else rng(slug, q.id, "right-letter", *key).choice(candidates)
            in_section[choice] += 1
            on_sheet[choice] += 1
            result[q.id] = choice
    return result


def _item(found: ArticleSet, q: Question, number: int, key: tuple[str, str], points: int, right: int) -> Item:
    return _ITEMS[REGISTRY[q.kind].layout](found, q, number, key, points, right)


def _lettered(found: ArticleSet, q: MultipleChoice | Attribution, number: int, key: tuple[str, str], points: int, right: int) -> Item:
    wrong = shuffled(wrong_choices(found, q), found.article.slug, q.id, "choices", *key)
    texts = [*wrong[:right], right_choice(q), *wrong[right:]]
    choices = [Choice(string.ascii_uppercase[i], text, i == right) for i, text in enumerate(texts)]
    return Item(number, q, points, choices=choices)


def _chronology(found: ArticleSet, q: Chronology, number: int, key: tuple[str, str], points: int, right: int) -> Item:
    order = shuffled(range(len(q.events)), found.article.slug, q.id, "events", *key, avoid_identity=True)
    events = [Placed(q.events[i], i + 1, string.ascii_uppercase[n]) for n, i in enumerate(order)]
    return Item(number, q, points * len(q.events), events=events, unit=points)


def _cloze(found: ArticleSet, q: Cloze, number: int, key: tuple[str, str], points: int, right: int) -> Item:
    parts: list[str | Blank] = []
    for s in q.segments:
        parts.append(s if isinstance(s, str) else Blank(s, sum(isinstance(p, Blank) for p in parts) + 1))
    return Item(number, q, points * sum(isinstance(p, Blank) for p in parts), parts=parts, unit=points)


def _short_answer(found: ArticleSet, q: ShortAnswer, number: int, key: tuple[str, str], points: int, right: int) -> Item:
    return Item(number, q, points, lines=QA_LINES)


def _plain(found: ArticleSet, q: Question, number: int, key: tuple[str, str], points: int, right: int) -> Item:
    return Item(number, q, points)


# The printed item of each layout (a kind's `layout`): its points, and its choices, events, blanks or lines.
_ITEMS: dict[str, Callable[[ArticleSet, Any, int, tuple[str, str], int, int], Item]] = {
    "lettered": _lettered, "plain": _plain, "blanks": _cloze, "lines": _short_answer, "events": _chronology,
}
