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
    warnings: tuple[str, ...] = ()  # said to the author (at the file's path) before anything is written
    changes: str = ""  # a kept file (anki.lock): what this build changes in it, in words; "" for nothing


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
    # The LMS exports (generator/builders/exports), which hold the questions this quiz would
    moodle_categories: str = "article"  # "article": one category; "tests" or "tags": a sub-category each
    moodle_order: str = "ordering"  # a chronology in Moodle XML: "ordering" (Moodle 4.4+) or "matching"
    qti_version: str = "3.0"  # the QTI package: "3.0", or "1.2" as Canvas imports it


@dataclass(frozen=True)
class BuildOptions:
    """What the command line passes to every builder."""

    timestamp: float  # seconds since the epoch, stamped into outputs that carry a time
    deck_parent: str | None = None  # overrides the question files' deck_parent
    quiz: QuizOptions = field(default_factory=QuizOptions)
    now: int | None = None  # the stamp of new and changed Anki notes: SOURCE_DATE_EPOCH, else the time
    ui_language: str | None = None  # the language of quizgen's own words; else each article's language
    clock: int | None = None  # the time of the build: changed Anki notes are stamped at least this
    rebuilt: bool = False  # the article was built into --out before (a missing anki.lock was lost)


class Builder:
    """Base class: `name` is how the format is chosen, `format` what it writes."""

    name: ClassVar[str]
    format: ClassVar[str]
    keeps: ClassVar[tuple[str, ...]] = ()  # files of the article folder it reads and rewrites (anki.lock)
    selects: ClassVar[bool] = False  # it holds the quiz's selection (assemble): the build reports what it left out
    default: ClassVar[bool] = True  # built by a build without --only; else only when named (--only, --export)

    @classmethod
    def teacher_links(cls, slug: str, names: set[str], language: str) -> list[tuple[str, str]]:
        """(label in `language`, file name) of the article's files of this builder that teacher.html
        lists, among `names` (the article's outputs). The index builder lists the built-in formats
        itself; a builder of another format declares its links here. They are never on index.html."""
        return []

    @classmethod
    def is_teacher_file(cls, name: str) -> bool:
        """Whether an output of this builder shows answers (the index never links it for students)."""
        return False

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


@dataclass(frozen=True)
class BuilderRef:
    """A builder known by its name, module and kept files, imported only when it has work to do."""

    name: str
    module: str
    keeps: tuple[str, ...]
    finishes: bool  # it makes whole-library outputs (its class overrides Builder.finish)
    default: bool  # built without --only (an export is built only when named)

    def load(self) -> type[Builder]:
        importlib.import_module(self.module)
        return BUILDERS[self.name]


def builder_refs() -> dict[str, BuilderRef]:
    """Every builder by name, in all_builders()'s order, without importing one when the cache folder
    knows them: a rebuild that builds nothing imports no builder (issue 31: Jinja2, genanki and the
    schema were two thirds of a no-op). Kept under a key made of quizgen's files and each builder
    module's installed copy (its file, size and time), so a new or changed builder is never missed."""
    import json

    from generator import cachedir
    from generator.manifest import tool_fingerprint

    stamps = [cachedir.module_stamp(m) for m in builder_modules()]
    name = cachedir.key("builders", tool_fingerprint(), *builder_modules(), *stamps)
    raw = cachedir.read("builders", name)
    if raw is not None:
        try:
            return {r["name"]: BuilderRef(str(r["name"]), str(r["module"]), tuple(map(str, r["keeps"])), bool(r["finishes"]),
                                          bool(r["default"])) for r in json.loads(raw)}
        except (ValueError, KeyError, TypeError, RecursionError):
            pass  # damaged: asked again below
    refs = {n: BuilderRef(n, cls.__module__, tuple(cls.keeps), cls.finish is not Builder.finish, cls.default)
            for n, cls in all_builders().items()}
    cachedir.write("builders", name, json.dumps([vars(r) for r in refs.values()]).encode("utf-8"))
    return refs
