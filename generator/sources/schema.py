"""The input schema: what an author may write in article front matter and question files.

These pydantic models validate the raw YAML (unknown keys are errors) and generate the JSON Schema
that editors use (`quizgen schema`).  Cross-field rules live in `validate.py`.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TAG_PATTERN = r"^[\w.:-]+( [\w.:-]+)*$"  # Anki tags: spaces become hyphens
PLACEHOLDER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
GROUP_PATTERN = r"^[\w.:-]+$"  # like a tag, without spaces

# A build writes files named `<slug>` and a suffix; a file name has at most NAME_MAX bytes (ext4,
# XFS, Btrfs, APFS; NTFS counts 255 UTF-16 units). LONGEST_SUFFIX is the longest suffix a build
# adds (as long as "-study-icon-512.png"; tests/test_build.py holds it against a build's outputs).
NAME_MAX = 255
LONGEST_SUFFIX = "-sheet-A-named.html"
MAX_SLUG_BYTES = NAME_MAX - len(LONGEST_SUFFIX)


def slug_too_long(slug: str, what: str = "folder name") -> str | None:
    """Why a build could not write the files of an article with this slug, or None when it can."""
    size = len(slug.encode("utf-8"))
    if size <= MAX_SLUG_BYTES:
        return None
    shown = slug if len(slug) <= 40 else slug[:40] + "…"
    return (f"{what} '{shown}' is {size} bytes long: build writes files named after it with up to {len(LONGEST_SUFFIX)} "
            f"bytes more ('<slug>{LONGEST_SUFFIX}'), and a file name has at most {NAME_MAX} bytes; shorten it to at most "
            f"{MAX_SLUG_BYTES} bytes")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# quizgen reads a plain YAML number as the text written (`answer: 2008`), so editors accept one too
Text = Annotated[
    str, AfterValidator(_not_blank), WithJsonSchema({"type": ["string", "number"], "minLength": 1})
]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN)]
Group = Annotated[str, StringConstraints(pattern=GROUP_PATTERN)]
GROUP_HELP = "Questions with the same group test the same fact: a printed quiz has at most one of them."


class _Strict(BaseModel):
    # Each model is built when first used (pydantic's defer_build): a run builds only the kinds its
    # files have, and `quizgen --help` none.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# Built at once: every kind holds them (rows, events), and reuses them built rather than building its own copy.
_SHARED = ConfigDict(defer_build=False)


class ArticleFrontMatter(_Strict):
    """Metadata of an article: only what the article itself says or plainly shows."""

    title: Text
    subtitle: Text | None = None
    author: Text | None = None
    publication: Text | None = None
    kind: Text | None = Field(None, description="The kind of piece: news, analysis, opinion...")
    date: Text | None = Field(None, description="As the article gives it; leave out if unknown.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    key_points: dict[Slug, Text] = Field(
        default_factory=dict,
        description="The article's key points, by id, each with a line saying it; questions name the one they test with 'key'.",
    )
    coverage_skip: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list,
        description="Body paragraphs not to count in coverage, by number ([12] for ¶12); say why in a YAML comment on the line.",
    )


class Row(_Strict):
    """One row of a template: becomes the question `<template id>-<row id>`."""

    model_config = _SHARED
    id: Slug
    passage: Text | None = None
    values: dict[Annotated[str, StringConstraints(pattern=PLACEHOLDER_PATTERN)], Text] = Field(
        default_factory=dict, description="The value of each placeholder of the template."
    )
    when: Text | None = None
    group: Group | None = Field(None, description=GROUP_HELP)
    allow: list[Slug] = Field(
        default_factory=list,
        description="Lint rules that do not apply to this row's question, added to the template's 'allow'; say why in a comment.",
    )
    key: Slug | None = Field(None, description="The key point this row's question tests, instead of the template's 'key'.")


class _Question(_Strict):
    id: Slug = Field(description="Stable identity, unique in the article; never change or reuse it.")
    tests: Literal["event", "claim"] = Field(description="What the question checks.")
    passage: Text | None = Field(None, description="A verbatim quote from the article.")
    explanation: Text | None = Field(None, description="Shown with the answer.")
    tags: list[Tag] = Field(default_factory=list)
    when: Text | None = Field(None, description="The date as the article gives it.")
    group: Group | None = Field(None, description=GROUP_HELP)
    allow: list[Slug] = Field(
        default_factory=list,
        description="Lint rules (quizgen check's item-writing warnings) that do not apply to this question; say why in a comment.",
    )
    key: Slug | None = Field(None, description="The id of the key point (the article's front matter 'key_points') this question tests; check counts the questions per key point.")
    rows: list[Row] | None = Field(
        None, min_length=1, description="Makes this a template: one question per row."
    )


class QA(_Question):
    """Short answer."""

    kind: Literal["qa"]
    question: Text
    answer: Text
    type_in: bool = Field(False, description="Ask for the answer to be typed in (Anki).")
    accept: list[Text] = Field(
        default_factory=list,
        description="Other answers a typed answer may give and be right (the study page): each must say the answer in other words, sharing a word with the answer or its passage.",
    )


class ClozeQ(_Question):
    """Fill in the blanks: [[answer]], [[answer::hint]], [[c2::answer]], [[c2::answer::hint]]."""

    kind: Literal["cloze"]
    text: Text


class MCQ(_Question):
    """Multiple choice: one right answer and one or more distractors."""

    kind: Literal["mcq"]
    question: Text
    answer: Text
    distractors: list[Text] = Field(min_length=1)


class TrueFalseQ(_Question):
    """A statement, whether it is true, and the correction of a false one."""

    kind: Literal["truefalse"]
    statement: Text
    answer: bool
    correction: Text | None = None


class OrderEvent(_Strict):
    model_config = _SHARED
    text: Text
    passage: Text
    when: Text | None = None


class OrderQ(_Question):
    """Chronology: three or more events, listed in the right order (earliest first)."""

    kind: Literal["order"]
    question: Text | None = None
    events: list[OrderEvent] = Field(min_length=3)


class AttributionQ(_Question):
    """A claim and who holds it."""

    kind: Literal["attribution"]
    question: Text | None = None
    claim: Text
    source: Text
    distractors: list[Text] | None = Field(
        None, description="Default: the other sources of this article's attribution questions."
    )


AnyQuestion = Annotated[
    QA | ClozeQ | MCQ | TrueFalseQ | OrderQ | AttributionQ, Field(discriminator="kind")
]


class FileDefaults(_Strict):
    """Values every question of the file takes unless it gives its own."""

    tests: Literal["event", "claim"] | None = Field(None, description="What the questions check, unless one says.")
    tags: list[Tag] | None = Field(None, description="The questions' tags, unless one gives its own 'tags'.")


class QuestionFile(_Strict):
    """A quizgen question file."""

    questions: list[AnyQuestion]
    defaults: FileDefaults | None = Field(None, description="Values every question of the file takes unless it gives its own.")
    deck_parent: Text | None = Field(
        None, description="The Anki deck this article's deck goes under (default 'Articles'); once per article."
    )


def json_schema(model: type[QuestionFile] = QuestionFile) -> str:
    """The JSON Schema of question files, as text (`model`: with the registered kinds' union,
    generator.kinds.registry.question_file)."""
    schema = TypeAdapter(model).json_schema()
    for definition in schema.get("$defs", {}).values():  # a question may take its 'tests' from the file's defaults
        if "tests" in definition.get("required", []):
            definition["required"].remove("tests")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "quizgen question file",
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
