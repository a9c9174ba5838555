"""Output builders: one module per format, each a Builder registered by name.

A builder turns one checked article set into in-memory outputs; it never writes files itself
(`write.py` does, safely), so adding a format never touches the others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import ClassVar

from generator.manifest import ArticleSummary
from generator.model import ArticleSet


@dataclass(frozen=True)
class Output:
    """One file to write: its name inside the output folder, and its bytes."""

    name: str
    data: bytes
    printable: bool = False  # an HTML page meant for paper: `--pdf` prints it
    beside_content: bool = False  # a file kept with the article's questions (anki.lock), not in --out


@dataclass(frozen=True)
class QuizOptions:
    """How the printable quiz is drawn and laid out."""

    paper: str = "a4"  # "a4" or "letter"
    count: int | None = None  # draw this many questions (after the filters)
    tags: tuple[str, ...] = ()  # keep questions with any of these tags
    kinds: tuple[str, ...] = ()  # keep questions of these kinds
    tests: str | None = None  # keep only "event" or only "claim" questions
    versions: int = 1  # 1: one quiz; more: versions A, B, ... each shuffled
    seed: str = "1"  # the draw and every shuffle depend on it, and on nothing else
    append_key: bool = False  # also write quiz and key in one file, `<slug>-quiz-key.html`
    answer_sheet: bool = False  # also write `<slug>-sheet.html`, a machine-marked answer sheet, and its teacher file
    student_digits: int = 6  # digits of the student number bubbled on the answer sheet
    roster: tuple[tuple[str, str], ...] = ()  # (number, name): one answer sheet a student, pre-printed
    # The header (layout only: none of these changes which questions are asked)
    title: str | None = None  # default "Quiz: <the article's title>"
    time_allowed: str | None = None  # "30 minutes"; printed as "Time allowed: ..." when given
    class_field: bool = True  # a "Class" line beside name and date
    instructions: str | None = None  # replaces the general instructions under the header
    points: tuple[tuple[str, int], ...] = ()  # (kind, points) overriding the default points of a kind


@dataclass(frozen=True)
class BuildOptions:
    """What the command line passes to every builder."""

    timestamp: float  # seconds since the epoch, stamped into outputs that carry a time
    deck_parent: str | None = None  # overrides the question files' deck_parent
    quiz: QuizOptions = field(default_factory=QuizOptions)
    now: int | None = None  # the stamp of new and changed Anki notes: SOURCE_DATE_EPOCH, else the time
    ui_language: str | None = None  # the language of quizgen's own words; else each article's language


class Builder:
    """Base class: `name` is how the format is chosen, `format` what it writes."""

    name: ClassVar[str]
    format: ClassVar[str]
    keeps: ClassVar[tuple[str, ...]] = ()  # files of the article folder it reads and rewrites (anki.lock)

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        """The outputs of one article."""
        raise NotImplementedError

    def finish(self, summaries: list[ArticleSummary], options: BuildOptions) -> list[Output]:
        """Outputs about the whole library (an index, say), from every article's summary."""
        return []


BUILDERS: dict[str, type[Builder]] = {}


def register(cls: type[Builder]) -> type[Builder]:
    BUILDERS[cls.name] = cls
    return cls


MODULES = ("anki", "quiz", "study", "index")  # the built-in ones; each registers its builders when imported
ENTRY_POINTS = "quizgen.builders"  # the entry-point group of pyproject.toml: name = "module"


@cache
def builder_modules() -> tuple[str, ...]:
    """The modules that register builders: the built-in ones, then those other packages declare.

    The built-in modules are declared as entry points too, but an install whose metadata lacks
    them (an older editable install, say) still has them.
    """
    declared = [ep.module for ep in sorted(entry_points(group=ENTRY_POINTS), key=lambda ep: ep.name)]
    builtin = [f"generator.builders.{m}" for m in MODULES]
    return tuple(dict.fromkeys([*builtin, *declared]))


def all_builders() -> dict[str, type[Builder]]:
    """Every builder, by name (importing the modules registers them)."""
    modules = builder_modules()
    for module in modules:
        importlib.import_module(module)
    # in the order of the modules, whatever order they happened to be imported in
    order = {m: i for i, m in enumerate(modules)}
    return dict(sorted(BUILDERS.items(), key=lambda item: order.get(item[1].__module__, len(order))))
