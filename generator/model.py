"""The typed model every builder reads: articles, their blocks, anchored questions.

Spans and anchors are named tuples, the rest frozen dataclasses: both immutable, compared and
hashed field by field; a check makes one of each for every passage, and a named tuple is made three
times quicker (a frozen dataclass sets each field through object.__setattr__).

Nothing here reads files or renders anything; `load.py` builds these objects from the content.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import MISSING, Field, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple, TypeVar

from generator.pipeline.lockfile import Lock

RTL_LANGUAGES = frozenset({"ar", "arc", "dv", "fa", "he", "iw", "ku", "ps", "sd", "ug", "ur", "yi"})

_T = TypeVar("_T")


def quick_init(cls: type[_T]) -> type[_T]:
    """A frozen dataclass with an `__init__` that fills the instance's dict directly.

    The `__init__` dataclasses writes for a frozen class sets each field through
    `object.__setattr__`, a call a field: a question has 14 or more, and a check makes one for every
    question (2.1 us each; 1.0 us so). This one takes the same arguments (in the same places, with
    the same defaults and annotations) and leaves the same dict; only for fields without a default_factory.
    """
    every = fields(cls)  # type: ignore[arg-type]
    for f in every:
        if not f.init or f.default_factory is not MISSING or f.name == "_dict_" or hasattr(cls, "__post_init__"):
            raise TypeError(f"quick_init: {cls.__name__}.{f.name} needs the __init__ dataclasses writes")
    positional, keywords = [f for f in every if not f.kw_only], [f for f in every if f.kw_only]
    ordered = positional + keywords  # the parameters, in the order dataclasses gives them
    params = ["self", *(_param(f) for f in positional), *(["*", *(_param(f) for f in keywords)] if keywords else [])]
    namespace: dict[str, Any] = {f"_{f.name}": f.default for f in every}
    body = "".join(f"\n    _dict_[{f.name!r}] = {f.name}" for f in every)  # in the order of the fields, as dataclasses sets them
    exec(f"def __init__({', '.join(params)}):\n    _dict_ = self.__dict__{body}", namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in ordered}, "return": None}
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


def _param(f: Field[Any]) -> str:
    return f.name if f.default is MISSING else f"{f.name}=_{f.name}"


@dataclass(frozen=True)
class Block:
    """A body paragraph or an image caption, numbered within its kind (¶1, ¶2, ...; caption 1, ...);
    or the article's title or subtitle, which passages may quote too (see `Article.block`)."""

    kind: Literal["paragraph", "caption", "title", "subtitle"]
    number: int
    text: str
    line: int

    @property
    def label(self) -> str:
        if self.kind in ("title", "subtitle"):
            return self.kind
        return f"¶{self.number}" if self.kind == "paragraph" else f"caption {self.number}"


TITLE = -1  # the `block` of a span in the article's title (never an index into `Article.blocks`)
SUBTITLE = -2  # and in its subtitle


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    subtitle: str | None = None
    author: str | None = None
    publication: str | None = None
    kind: str | None = None
    date: str | None = None
    url: str | None = None
    language: str = "en"
    key_points: tuple[tuple[str, str], ...] = ()  # (id, what the point says), as the author lists them
    coverage_skip: tuple[tuple[int, str], ...] = ()  # (paragraph number, the reason its comment gives) not to count

    @property
    def rtl(self) -> bool:
        """Whether the article's language is written right to left."""
        return self.language.split("-")[0].lower() in RTL_LANGUAGES


@dataclass(frozen=True)
class Article:
    slug: str
    path: str
    meta: ArticleMeta
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    def block(self, index: int) -> Block:
        """The block a span stands in: one of `blocks`, or the title (TITLE) or subtitle (SUBTITLE)."""
        if index >= 0:
            return self.blocks[index]
        if index == TITLE:
            return Block("title", 0, self.meta.title, 1)
        if index == SUBTITLE and self.meta.subtitle is not None:
            return Block("subtitle", 0, self.meta.subtitle, 1)
        raise IndexError(f"no block {index} in the article")


class Span(NamedTuple):
    """Where (part of) a passage stands: `text[start:end]` of block `block` (an index into blocks,
    or TITLE or SUBTITLE: read it with `Article.block`)."""

    block: int
    start: int
    end: int


class Anchor(NamedTuple):
    """A passage as the author quoted it, and the span(s) of the article it was found at."""

    passage: str
    spans: tuple[Span, ...]

    def blocks(self, article: Article) -> tuple[Block, ...]:
        return tuple(article.block(s.block) for s in self.spans)

    def cite(self, article: Article) -> str:
        """The citation, as in `¶3`, `¶3–4`, `caption 2` or `title`."""
        if len(self.spans) == 1:  # most passages: their block's label, without a tuple of blocks
            return article.block(self.spans[0].block).label
        blocks = self.blocks(article)
        if len(blocks) > 1 and all(b.kind == "paragraph" for b in blocks):
            return f"¶{blocks[0].number}–{blocks[-1].number}"
        return ", ".join(b.label for b in blocks)

    def quote(self, article: Article) -> str:
        """The passage exactly as the article has it."""
        return " ".join(article.block(s.block).text[s.start : s.end] for s in self.spans)


@quick_init
@dataclass(frozen=True)
class Origin:
    """Where a question was written: file, line and column, and its template and row if any."""

    path: str
    line: int
    col: int
    template: str | None = None
    row: str | None = None


@dataclass(frozen=True, kw_only=True)
class Question:
    kind: ClassVar[str]
    id: str
    tests: Literal["event", "claim"]
    anchor: Anchor | None
    explanation: str | None = None
    tags: tuple[str, ...] = ()
    when: str | None = None
    group: str | None = None  # questions of one group test the same fact: one per quiz
    origin: Origin
    allow: tuple[str, ...] = ()  # lint rules the author silenced for this question (lints/)
    key: str | None = None  # the article's key point (front matter `key_points`) this question tests

    def anchors(self) -> tuple[Anchor, ...]:
        """Every anchor the question rests on."""
        return (self.anchor,) if self.anchor else ()


@quick_init
@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    kind: ClassVar[str] = "qa"
    question: str
    answer: str
    type_in: bool = False
    accept: tuple[str, ...] = ()  # other right answers to a typed answer (the study page)


@quick_init
@dataclass(frozen=True)
class Deletion:
    """One cloze deletion: `[[cN::answer::hint]]`."""

    number: int
    answer: str
    hint: str | None = None


@quick_init
@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    kind: ClassVar[str] = "cloze"
    text: str
    segments: tuple[str | Deletion, ...]

    @property
    def plain(self) -> str:
        """The text with every deletion filled in."""
        return "".join(s if isinstance(s, str) else s.answer for s in self.segments)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The distinct deletion numbers: one card each."""
        return tuple(sorted({s.number for s in self.segments if isinstance(s, Deletion)}))


@quick_init
@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    kind: ClassVar[str] = "mcq"
    question: str
    answer: str
    distractors: tuple[str, ...]


@quick_init
@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    kind: ClassVar[str] = "truefalse"
    statement: str
    answer: bool
    correction: str | None = None


@quick_init
@dataclass(frozen=True)
class Event:
    """One event of a chronology question."""

    text: str
    anchor: Anchor
    when: str | None = None


@quick_init
@dataclass(frozen=True, kw_only=True)
class Chronology(Question):
    kind: ClassVar[str] = "order"
    DEFAULT_PROMPT: ClassVar[str] = "Put these events in order, earliest first."
    question: str
    events: tuple[Event, ...]  # in the right order

    def anchors(self) -> tuple[Anchor, ...]:
        return tuple(e.anchor for e in self.events)


@quick_init
@dataclass(frozen=True, kw_only=True)
class Attribution(Question):
    kind: ClassVar[str] = "attribution"
    DEFAULT_PROMPT: ClassVar[str] = "Who holds this view?"
    question: str
    claim: str
    source: str
    distractors: tuple[str, ...]
    generated: bool = False  # the wrong choices are the article's other sources, not written
    # generated: those sources in the order of the question files, as quizgen took them before it
    # sorted them (only where it differs): the notes of anki.lock files written then keep their stamps
    file_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleSet:
    """An article with every question written about it, in file order."""

    article: Article
    questions: tuple[Question, ...]
    files: tuple[str, ...] = field(default=())
    inputs: tuple[Path, ...] = field(default=())  # the article and question files, for timestamps
    deck_parent: str | None = None  # the Anki deck the article's deck goes under
    source: str = ""  # a hash of the bytes the article set was read from (manifest.inputs_digest)
    anki_lock: Lock = field(default_factory=Lock)  # the Anki notes' stamps from earlier builds

    def kinds(self) -> Counter[str]:
        return Counter(q.kind for q in self.questions)

    def tests(self) -> Counter[str]:
        return Counter(q.tests for q in self.questions)

    def in_article_order(self) -> tuple[Question, ...]:
        """The questions in the order of the article: by the first passage's paragraph and position
        (a shorter passage first, then by id: never by the files' layout). New cards come in this
        order, in Anki and on the study page."""
        return self._article_order

    @cached_property
    def _article_order(self) -> tuple[Question, ...]:
        # sorted once a loaded article (the set is frozen), not once for the deck and once for the page
        def key(q: Question) -> tuple[int, int, int, str]:
            first = min(((s.block, s.start, s.end) for a in q.anchors() for s in a.spans), default=(len(self.article.blocks), 0, 0))
            return (*first, q.id)
        return tuple(sorted(self.questions, key=key))

    def uncovered(self) -> tuple[Block, ...]:
        """Body paragraphs that no question's passage cites (but those the front matter skips)."""
        cited = {s.block for q in self.questions for a in q.anchors() for s in a.spans}
        skipped = {n for n, _ in self.article.meta.coverage_skip}
        return tuple(
            b for i, b in enumerate(self.article.blocks)
            if b.kind == "paragraph" and i not in cited and b.number not in skipped
        )


@dataclass(frozen=True)
class Library:
    """Everything under a content folder, validated."""

    root: str
    sets: tuple[ArticleSet, ...]
