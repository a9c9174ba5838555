"""Output builders: one module per format, each a Builder registered by name.

A builder turns one checked article set into in-memory outputs; it never writes files itself
(`write.py` does, safely), so adding a format never touches the others.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import asdict, dataclass, is_dataclass
from dataclasses import fields as dataclass_fields
from fnmatch import fnmatchcase
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, ClassVar, TypeVar

from generator.pipeline import cachedir
from generator.pipeline.manifest import BUILDER_NAME, STALE, ArticleSummary, safe_name, tool_fingerprint

if TYPE_CHECKING:  # the content's model (pydantic): not for `quizgen build --help`, which lists the builders
    from generator.model import ArticleSet

T = TypeVar("T")
B = TypeVar("B", bound="Builder")
_NAME = re.compile(BUILDER_NAME)
_FLAG = re.compile(r"--[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


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
class BuildOptions:
    """What the command line passes to every builder."""

    timestamp: float  # seconds since the epoch, stamped into outputs that carry a time
    deck_parent: str | None = None  # overrides the question files' deck_parent
    settings: tuple[object, ...] = ()  # the builders' own options, one object of each builder's `Options` type
    now: int | None = None  # the stamp of new and changed Anki notes: SOURCE_DATE_EPOCH, else the time
    ui_language: str | None = None  # the language of quizgen's own words; else each article's language
    clock: int | None = None  # the time of the build: changed Anki notes are stamped at least this
    rebuilt: bool = False  # the article was built into --out before (a missing anki.lock was lost)

    def get(self, kind: type[T]) -> T:
        """The options of type `kind` (a builder's `Options`), or its defaults when none was given."""
        return next((o for o in self.settings if type(o) is kind), None) or kind()


@dataclass(frozen=True)
class Option:
    """An option of `quizgen build` that a builder owns (its `cli_options`). It is also a key of
    quizgen.toml (the flag without its dashes), and its value goes to the field of the builder's
    `Options` named like the flag: `--toy-heading` to `toy_heading`."""

    flag: str  # two dashes, then lowercase words joined by "-"
    help: str
    default: str | int | bool | None = None  # a bool: a flag (False) or a switch --flag/--no-flag (True)
    choices: tuple[str, ...] = ()  # the values it takes, when they are a fixed few
    minimum: int | None = None  # an int option's range
    maximum: int | None = None
    multiple: bool = False  # repeatable: the field gets a tuple of the values
    metavar: str | None = None
    kind: str = ""  # "int" or "path" for an option without a default; else told by the default
    short: str | None = None  # a one-letter form, "-n"
    config: bool = True  # also a key of quizgen.toml (the quiz's --tag, --kind and --roster are not: per build)

    @property
    def field(self) -> str:
        return self.flag[2:].replace("-", "_")


@dataclass(frozen=True)
class Remarks:
    """What a build tells the author about one article besides its outputs (see Builder.remarks)."""

    left_out: int = 0  # questions left out of a selection (the quiz's), so that none gives another away
    warnings: tuple[str, ...] = ()  # what the build did other than asked, and why


class Builder:
    """An output format: subclass it, set the class attributes, override `build` (and `finish`), and
    `register` it in a module named by a `quizgen.builders` entry point (docs/contributing/outputs.md).

    `register` checks the class attributes and refuses a builder that breaks a rule (BuilderError).
    """

    name: ClassVar[str]  # how the format is chosen (--only NAME) and its manifest entries are keyed: [a-z][a-z0-9_]*
    format: ClassVar[str]  # what it writes, in words (the help of --only)
    # The file names it writes for an article, as patterns: `{slug}` the article's folder name, then
    # `-` or `.`, then fnmatch wildcards (`{slug}-quiz*.html`). A printable page's PDF needs no pattern.
    outputs: ClassVar[tuple[str, ...]] = ()
    keeps: ClassVar[tuple[str, ...]] = ()  # files of the article folder it reads and rewrites (anki.lock)
    default: ClassVar[bool] = True  # built by a build without --only; else only when named (--only, --export)
    link_rank: ClassVar[int] = 50  # where its links stand among the others' on the index pages (lower first)
    # Whether `quizgen serve` may serve its outputs to students (without --teacher), except those that
    # `is_teacher_file`. False, the safe default: its files are the teacher's (the printed quizzes, the exports).
    for_students: ClassVar[bool] = False
    # A frozen dataclass of its own options, a default for every field. It is made from the values of
    # `cli_options` by its classmethod `from_values(values)` when it has one (raising UsageError for a
    # bad value), else as `Options(**values)`: then each option names a field.
    Options: ClassVar[type | None] = None
    cli_options: ClassVar[tuple[Option, ...]] = ()  # its options of `quizgen build`

    @classmethod
    def links(cls, slug: str, names: set[str], language: str, teacher: bool) -> list[tuple[str, str]]:
        """(label in `language`, file name) of the article's files of this builder, among `names`
        (the article's outputs, PDFs included), that index.html lists (`teacher` False: never a file
        that `is_teacher_file`) or teacher.html lists (`teacher` True)."""
        return []

    @classmethod
    def is_teacher_file(cls, name: str) -> bool:
        """Whether an output of this builder shows answers (the index never links it for students)."""
        return False

    @classmethod
    def is_output(cls, slug: str, name: str) -> bool:
        """Whether `name` is one of this builder's outputs of the article `slug`, or a printed page of one."""
        page = name.removesuffix(".pdf") + ".html" if name.endswith(".pdf") else name
        names = {name, page}
        literal = not any(c in slug for c in "*?[")  # then `{slug}...` matches the slug, then the rest as a pattern
        return any(
            any(n.startswith(slug) and fnmatchcase(n[len(slug):], p[6:]) for n in names)
            if literal and p.startswith("{slug}")  # (the rest's pattern is compiled once, not once per article)
            else any(fnmatchcase(n, p.replace("{slug}", slug)) for n in names)
            for p in cls.outputs
        )

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        """The outputs of one article."""
        raise NotImplementedError

    def remarks(self, found: ArticleSet, options: BuildOptions) -> Remarks:
        """What to tell the author about this article's outputs (called after `build`)."""
        return Remarks()

    def nothing_made(self, options: BuildOptions) -> str | None:
        """The usage error when this builder made no output for any article built, if that is one
        (a quiz selection that matches no question); None when making nothing is fine."""
        return None

    def finish(self, summaries: list[ArticleSummary], options: BuildOptions) -> list[Output]:
        """Outputs about the whole library (an index, say), from every article's summary."""
        return []


class BuilderError(Exception):
    """A builder that breaks the contract: a bad name or output pattern, an undeclared output."""


BUILDERS: dict[str, type[Builder]] = {}


def register(cls: type[B]) -> type[B]:
    """Add a builder to the registry; BuilderError when it breaks a rule of the contract."""
    problems = contract_problems(cls)
    if problems:
        raise BuilderError(f"the output builder {cls.__module__}.{cls.__qualname__} cannot be registered: "
                           + "; ".join(problems))
    BUILDERS[cls.name] = cls
    return cls


def contract_problems(cls: type[Builder]) -> list[str]:
    """What in a builder's class attributes breaks the contract (Builder's docstring)."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name == STALE:
        return [f"its name {name!r} must be lowercase letters, digits and '_', starting with a letter, and not {STALE!r}"]
    problems = []
    other = BUILDERS.get(name)
    if other is not None and (other.__module__, other.__qualname__) != (cls.__module__, cls.__qualname__):
        problems.append(f"the name {name!r} is already the builder {other.__module__}.{other.__qualname__}'s")
    if not isinstance(getattr(cls, "format", None), str):
        problems.append("it has no `format` (what it writes, in words)")
    return problems + _pattern_problems(cls) + _option_problems(cls)


def _pattern_problems(cls: type[Builder]) -> list[str]:
    problems = []
    for pattern in cls.outputs if isinstance(cls.outputs, tuple) else ("<not a tuple>",):
        rest = pattern.removeprefix("{slug}") if isinstance(pattern, str) else ""
        if rest[:1] not in ("-", ".") or len(rest) < 2 or not safe_name("x" + rest) or "{" in rest:
            problems.append(f"its output pattern {pattern!r} must be '{{slug}}-...' or '{{slug}}....', a file name")
    return problems


def _option_problems(cls: type[Builder]) -> list[str]:
    if cls.Options is not None and not (is_dataclass(cls.Options) and isinstance(cls.Options, type)):
        return ["its Options must be a dataclass whose fields all have defaults"]
    names = {f.name for f in dataclass_fields(cls.Options)} if cls.Options is not None else set()
    problems = []
    for option in cls.cli_options:
        if not isinstance(option, Option) or not _FLAG.fullmatch(option.flag):
            problems.append(f"its option {getattr(option, 'flag', option)!r} must be an Option whose flag is '--' and "
                            "lowercase words joined by '-'")
        elif option.field not in names and not hasattr(cls.Options, "from_values"):
            problems.append(f"its option {option.flag} has no field {option.field!r} in its Options")
    return problems


def check_outputs(cls: type[Builder], slug: str, outputs: list[Output]) -> None:
    """BuilderError when an article's output is not named as the builder declared (`outputs`)."""
    for output in outputs:
        if not output.beside_content and not cls.is_output(slug, output.name):
            raise BuilderError(f"the output builder {cls.name!r} wrote {output.name!r}, which none of its output patterns "
                               f"({', '.join(cls.outputs) or 'none'}) names for the article {slug!r}")


MODULES = ("anki", "quiz", "study", "index")  # the built-in ones; each registers its builders when imported
ENTRY_POINTS = "quizgen.builders"  # the entry-point group of pyproject.toml: name = "module"


@cache
def builder_modules() -> tuple[str, ...]:
    """The modules that register builders: the built-in ones, then those other packages declare.

    The built-in modules are declared as entry points too, but an install whose metadata lacks
    them (an older editable install, say) still has them.
    """
    declared = [ep.module for ep in sorted(entry_points(group=ENTRY_POINTS), key=lambda ep: ep.name)]
    builtin = [f"generator.outputs.{m}" for m in MODULES]
    return tuple(dict.fromkeys([*builtin, *declared]))


def all_builders() -> dict[str, type[Builder]]:
    """Every builder, by name (importing the modules registers them)."""
    modules = builder_modules()
    for module in modules:
        importlib.import_module(module)
    # in the order of the modules, whatever order they happened to be imported in
    order = {m: i for i, m in enumerate(modules)}
    return dict(sorted(BUILDERS.items(), key=lambda item: order.get(item[1].__module__, len(order))))


def named_builders(names: tuple[str, ...]) -> dict[str, type[Builder]]:
    """The builders `names`, importing only their modules (known from `builder_refs`): an article built
    with --only anki imports neither Jinja2 nor the quiz's layout (issue 31)."""
    if any(name not in BUILDERS for name in names):
        refs = builder_refs()
        for name in names:
            if name not in BUILDERS and name in refs:
                refs[name].load()
        if any(name not in BUILDERS for name in names):
            all_builders()  # a builder its module did not register where the cache said: ask every module
    return {name: BUILDERS[name] for name in names}


@dataclass(frozen=True)
class BuilderRef:
    """A builder known by its name, module and kept files, imported only when it has work to do."""

    name: str
    module: str
    keeps: tuple[str, ...]
    finishes: bool  # it makes whole-library outputs (its class overrides Builder.finish)
    default: bool  # built without --only (an export is built only when named)
    format: str = ""  # what it writes, in words (the help of --only)
    options: tuple[Option, ...] = ()  # its options of `quizgen build` (Builder.cli_options)
    options_type: str = ""  # "module:name" of its Options, made from their values without importing the builder

    def make_options(self, values: dict[str, object]) -> object | None:
        """The builder's `Options` from the values of its `cli_options` (see Builder.Options)."""
        if not self.options_type:
            return None
        module, name = self.options_type.split(":")
        kind = getattr(importlib.import_module(module), name)
        maker = getattr(kind, "from_values", None)
        return maker(values) if maker is not None else kind(**values)

    def load(self) -> type[Builder]:
        importlib.import_module(self.module)
        return BUILDERS[self.name]


def builder_refs() -> dict[str, BuilderRef]:
    """Every builder by name, in all_builders()'s order, without importing one when the cache folder
    knows them: a rebuild that builds nothing imports no builder (issue 31: Jinja2, genanki and the
    schema were two thirds of a no-op). Kept under a key made of quizgen's files and each builder
    module's installed copy (its file, size and time), so a new or changed builder is never missed."""
    stamps = [cachedir.module_stamp(m) for m in builder_modules()]
    name = cachedir.key("builders", tool_fingerprint(), *builder_modules(), *stamps)
    raw = cachedir.read("builders", name)
    if raw is not None:
        try:
            return {r["name"]: BuilderRef(str(r["name"]), str(r["module"]), tuple(map(str, r["keeps"])), bool(r["finishes"]),
                                          bool(r["default"]), str(r["format"]), tuple(_option(o) for o in r["options"]),
                                          str(r["options_type"]))
                    for r in json.loads(raw)}
        except (ValueError, KeyError, TypeError, RecursionError):
            pass  # damaged: asked again below
    refs = {n: BuilderRef(n, cls.__module__, tuple(cls.keeps), cls.finish is not Builder.finish, cls.default, cls.format,
                          tuple(cls.cli_options), f"{cls.Options.__module__}:{cls.Options.__qualname__}" if cls.Options else "")
            for n, cls in all_builders().items()}
    cachedir.write("builders", name, json.dumps([asdict(r) for r in refs.values()]).encode("utf-8"))
    return refs


def _option(data: dict) -> Option:
    """An Option as the cache folder keeps it (JSON: its tuples are lists)."""
    return Option(**{**data, "choices": tuple(map(str, data["choices"]))})
