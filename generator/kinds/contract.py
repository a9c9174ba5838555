"""The contract of a question kind: what every step of quizgen asks of a kind, in one typed record.

A kind is one module that builds a `Kind` and hands it to `register`. Everything that differs by
kind is reached through that record: the schema an entry is checked against and the model it
becomes, the answers and printed text the giveaway check compares, the Anki note's fields, the
printed quiz and key (one template file per kind, its macros looked up by name), the study page's
data and behaviour, the answer sheet's rows and how they are marked. A kind missing a piece fails
when it is built or registered, never later with a question left silently empty.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar, get_args

from generator.kinds.scoring import BY_BUBBLES, Scoring, Written
from generator.model import Anchor, Article, ArticleSet, Question, quick_init
from generator.sources.schema import _Question

Json = Any
Gettext = Callable[[str], str]  # quizgen's own words in the output's language
Cited = Callable[[Anchor | None], frozenset[tuple[int, int]]]  # the article's sentences a passage rests on

PASSAGES = ("required", "optional", "none")  # whether an entry gives a passage of its own
NOTE_TYPES = ("basic", "cloze")  # the Anki note types (outputs/anki/notetypes.py)
# the faces of the note types' cards, told apart by the fields a note fills (outputs/anki/notetypes.py CARDS):
# "Short answer", "Multiple choice", "True or false?", "Who holds this view?", "Chronology", "Fill in the blank"
ANKI_CARDS = ("question", "choices", "statement", "claim", "scrambled", "cloze")
LAYOUTS = ("lettered", "events", "blanks", "lines", "plain")  # how the printed quiz sets a question (quiz/sheet.py)
BUBBLES = ("letter", "truefalse", "events", "score")  # how the answer sheet takes its answer (quiz/answer_sheet.py)
STUDY_FACES = ("prompt", "cloze", "statement", "choices", "events")  # how the study page asks it (study.js)
MACROS = ("quiz", "grid", "key")  # what a kind's template file defines: the question, its answer in the key's grid and in its detail


@quick_init  # made for every question by every check (model.quick_init)
@dataclass(frozen=True)
class Answer:
    """Something a question asks for, as it could be printed elsewhere (the giveaway check).

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


def N_(message: str) -> str:
    """Marks quizgen's words for extraction (babel.cfg), translated where they are shown. (The same as
    generator.i18n's, which `quizgen check` does not import: kinds are read by every command.)"""
    return message


class Entry(Protocol):
    """A question as written (`generator.sources.read_questions.Entry`)."""

    @property
    def model(self) -> _Question: ...


class Checker(Protocol):
    """What a kind's `build` may ask of the article's checker (`generator.checks.validate`)."""

    article: Article

    def fail(self, entry: Any, loc: tuple[Any, ...], message: str, *, key: bool = False) -> None: ...

    def anchor(self, entry: Any, loc: tuple[Any, ...], passage: str, *, ends: bool = True) -> Anchor | None: ...

    def when(self, entry: Any, loc: tuple[Any, ...], when: str | None, anchor: Anchor | None) -> None: ...


Build = Callable[[Checker, Any, Any, dict[str, Any], Mapping[str, str]], Question | None]


@dataclass(frozen=True, kw_only=True)
class Kind:
    """A question kind: every field is required (a kind without one fails where it is built)."""

    name: str  # as written in question files (`kind: mcq`)
    label: str  # for people
    model: type[Question]  # what every output reads; its `kind` is `name`
    schema: type[_Question]  # what a question file's entry is checked against; its `kind` is Literal[name]
    passage: Literal["required", "optional", "none"]  # none: its parts quote their own (a chronology's events)
    # (checker, entry, the entry's schema model, the fields every question has, the article's attribution
    # sources by key) -> the model question, or None with the problems told to the checker
    build: Build
    # giveaways: what it asks for, what a student reads of it (choices apart), and its choices
    answers: Callable[[Any, Cited | None], list[Answer]]
    visible: Callable[[ArticleSet, Any], list[str]]
    choices: Callable[[ArticleSet, Any], list[str]]
    # Anki: the note type, and the fields of the question's note beside those every note has
    note_type: Literal["basic", "cloze"]
    anki_fields: Callable[[ArticleSet, Any, str, Gettext], dict[str, str]]
    # which face of its note type's card it shows as (ANKI_CARDS): its `anki_fields` fill that face's fields
    # and none that shows another; default "cloze" for a cloze note, else "question" (a short answer's)
    anki_card: Literal["question", "choices", "statement", "claim", "scrambled", "cloze"] = None  # type: ignore[assignment]
    # the printed quiz: its section's title and instruction (quizgen's words, N_), the answer sheet's
    # instruction (None: not answered on the sheet by bubbles), the default points, the marking rule
    # (`{p}`: the points of one question, blank or event), how it is set, and its template file
    section: tuple[str, str]
    on_sheet: str | None
    points: int
    marking: str
    layout: Literal["lettered", "events", "blanks", "lines", "plain"]
    template: Path  # a Jinja file defining the macros MACROS, each taking (item, q)
    bubbles: Literal["letter", "truefalse", "events", "score"]  # "score": written, the teacher bubbles its score
    # the study page: the question's data beside what every question has, and how the page asks it
    study_fields: Callable[[ArticleSet, Any], dict[str, Json]]
    study_label: str  # its name on the page's cards and filters (quizgen's words, N_)
    study_face: Literal["prompt", "cloze", "statement", "choices", "events"]
    typed: bool  # the study page takes a typed answer
    # its handlers in the outputs that ask a kind for one (the LMS exports), by the output's name ("GIFT
    # export", ...): a function, or "module:function" text (the built-in kinds: kinds/exports.py)
    handlers: Mapping[str, Callable[..., Any] | str] = field(default_factory=dict)
    # how `quizgen mark` scores it from its answer-sheet rows (kinds/scoring.py); default: its bubbles' one
    scoring: Scoring = None  # type: ignore[assignment]  # set from `bubbles` when not given

    def __post_init__(self) -> None:  # the defaults that depend on another field
        if self.anki_card is None:
            object.__setattr__(self, "anki_card", "cloze" if self.note_type == "cloze" else "question")
        if self.scoring is None and self.bubbles in BY_BUBBLES:
            object.__setattr__(self, "scoring", BY_BUBBLES[self.bubbles])

    @property
    def written(self) -> bool:
        """Answered in writing: the teacher marks it and bubbles its score on the answer sheet."""
        return self.bubbles == "score"


class KindError(TypeError):
    """A kind that does not keep the contract, or a mapping of handlers that misses one: a programming error."""


_CHOICES = {"passage": PASSAGES, "note_type": NOTE_TYPES, "anki_card": ANKI_CARDS, "layout": LAYOUTS, "bubbles": BUBBLES, "study_face": STUDY_FACES}
_CALLABLE = ("build", "answers", "visible", "choices", "anki_fields", "study_fields")


class Registry(Mapping[str, Kind]):
    """The registered kinds by name, in the order they were registered (messages, choices, summaries)."""

    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    def __contains__(self, name: object) -> bool:  # Mapping's looks the kind up and catches KeyError, once a question
        return name in self._kinds

    def __iter__(self) -> Any:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def register(self, kind: Kind) -> Kind:
        """Add `kind`, after checking it keeps the contract; raises KindError saying every piece it misses."""
        wrong = contract_problems(kind)
        if kind.name in self._kinds:
            wrong.insert(0, "is registered twice")
        if wrong:
            raise KindError(f"question kind '{kind.name}': " + "; ".join(wrong) + " (see docs/contributing/kinds.md)")
        self._kinds[kind.name] = kind
        return kind

    def unregister(self, name: str) -> None:
        """Remove a kind (tests that register one of their own)."""
        del self._kinds[name]


def _agreement_problems(kind: Kind) -> list[str]:
    """Where two of `kind`'s fields disagree: its card face and its note type, its scoring and its bubbles."""
    wrong = []
    if (kind.anki_card == "cloze") != (kind.note_type == "cloze"):
        wrong.append(f"'anki_card' is {kind.anki_card!r} for a {kind.note_type!r} note (only a cloze note shows as 'cloze')")
    scoring = kind.scoring
    if scoring is not None and not isinstance(scoring, Scoring):
        wrong.append("'scoring' is not a generator.kinds.scoring.Scoring")
    elif scoring is not None and (scoring.written, isinstance(scoring, Written)) != (kind.written, kind.written):
        wrong.append(f"its scoring {type(scoring).__name__} is {'' if isinstance(scoring, Written) else 'not '}a written "
                     f"answer's (kinds/scoring.py Written), but 'bubbles' is {kind.bubbles!r}")
    return wrong


def contract_problems(kind: Kind) -> list[str]:
    """What `kind` does wrong, in words (empty when it keeps the contract)."""
    optional = ("on_sheet", "scoring")  # scoring: set from a valid `bubbles`
    wrong = [f"'{f.name}' is not set" for f in fields(kind) if getattr(kind, f.name, None) is None and f.name not in optional]
    for name, allowed in _CHOICES.items():
        if getattr(kind, name) not in allowed:
            wrong.append(f"'{name}' is {getattr(kind, name)!r}, not one of {', '.join(allowed)}")
    wrong += [f"'{name}' is not callable" for name in _CALLABLE if not callable(getattr(kind, name))]
    wrong += _agreement_problems(kind)
    if getattr(kind.model, "kind", None) != kind.name:
        wrong.append(f"its model class {kind.model.__name__} says kind {getattr(kind.model, 'kind', None)!r}")
    field = kind.schema.model_fields.get("kind")
    if field is None or get_args(field.annotation) != (kind.name,):
        wrong.append(f"its schema class {kind.schema.__name__} must declare kind: Literal['{kind.name}']")
    if not Path(kind.template).is_file():
        wrong.append(f"its quiz template {kind.template} is missing (it defines the macros {', '.join(MACROS)})")
    elif missing := [m for m in MACROS if f"macro {m}(" not in Path(kind.template).read_text(encoding="utf-8")]:
        wrong.append(f"its quiz template {kind.template} defines no macro {', '.join(missing)}")
    return wrong


H = TypeVar("H")


def resolved(handler: Any) -> Any:
    """A handler as given: a function, or `"module:function"` text (a built-in kind naming an output's
    function, which it cannot import: the outputs import the kinds)."""
    return _imported(handler) if isinstance(handler, str) else handler


@cache
def _imported(handler: str) -> Any:
    module, _, name = handler.partition(":")
    # imported when an output first asks: that output's module, loaded already
    found = getattr(importlib.import_module(module), name, None)
    if found is None:
        raise AttributeError(f"{module} has no {name}")
    return found


class Handlers(Generic[H]):
    """An output's handler for each kind, as the kind's registration gives it (`Kind.handlers[owner]`);
    a kind without one is a KindError naming the output and the kind."""

    def __init__(self, owner: str, registry: Mapping[str, Kind]) -> None:
        self.owner, self.registry = owner, registry

    def __getitem__(self, kind: str) -> H:
        registered = self.registry.get(kind)
        if registered is None or self.owner not in registered.handlers:
            raise KindError(f"{self.owner}: no handler for question kind '{kind}'; a kind from outside quizgen gives "
                            f"one in its Kind's handlers['{self.owner}'] (see docs/contributing/kinds.md)")
        return resolved(registered.handlers[self.owner])


def handlers(registry: Mapping[str, Kind], owner: str, required: Iterable[str] | None = None) -> Handlers[Any]:
    """The handlers of `owner` (an output that asks each kind for one: the LMS exports), after checking
    every `required` kind (default: every kind of `registry`) gives one.

    Called at module level, so a built-in kind without a handler fails at import; a kind registered
    later without one fails when asked, naming the output and the kind.
    """
    kinds = list(registry if required is None else required)
    missing = [k for k in kinds if owner not in registry[k].handlers]
    if missing:
        raise KindError(f"{owner}: no handler for " + ", ".join(f"'{k}' ({registry[k].label})" for k in missing)
                        + f" (a kind gives it in its Kind's handlers['{owner}']; the kinds are registered in "
                        "generator/kinds/registry.py)")
    for k in kinds:  # a name that names nothing fails here too, not at the first question of that kind
        try:
            resolved(registry[k].handlers[owner])
        except (ImportError, AttributeError) as e:
            raise KindError(f"{owner}: the handler of '{k}' ({registry[k].handlers[owner]!r}) cannot be found: {e}") from None
    return Handlers(owner, registry)
