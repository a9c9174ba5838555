"""Multiple choice (`kind: mcq`): a question, its one right answer and one or more distractors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.kinds.anki_text import choice_list, text
from generator.kinds.checks import distinct_choices
from generator.kinds.choices import ordered_choices, right_choice, wrong_choices
from generator.kinds.contract import N_, Answer, Checker, Cited, Gettext, Json, Kind
from generator.kinds.exports import export_writers
from generator.model import ArticleSet, Attribution, MultipleChoice
from generator.sources.schema import MCQ

ON_SHEET = N_("On the answer sheet, fill the bubble of the one right answer.")
LETTER_MARKING = N_("{p} for the right letter; 0 if more than one letter is circled.")


def build(c: Checker, entry: Any, m: MCQ, common: dict[str, Any], sources: Any) -> MultipleChoice:
    distinct_choices(c, entry, m.answer, m.distractors, "answer")
    return MultipleChoice(**common, question=m.question, answer=m.answer, distractors=tuple(m.distractors))


def answers(q: MultipleChoice, sentences: Cited | None) -> list[Answer]:
    return [Answer(right_choice(q), "its right choice")]


def visible(found: ArticleSet, q: MultipleChoice) -> list[str]:
    return [q.question]


def choices(found: ArticleSet, q: MultipleChoice | Attribution) -> list[str]:
    """The choices printed: they assert nothing on their own."""
    return [right_choice(q), *wrong_choices(found, q)]


def anki_fields(found: ArticleSet, q: MultipleChoice, key: str, _: Gettext) -> dict[str, str]:
    return {"Question": text(q.question), "Choices": choice_list(found, q, key), "Answer": text(q.answer)}


def study_fields(found: ArticleSet, q: MultipleChoice | Attribution) -> dict[str, Json]:
    # the same order as every other output (the Anki deck, the printed quiz)
    ordered = ordered_choices(found, q)
    fields: dict[str, Json] = {"prompt": q.question, "choices": [t for t, _ in ordered],
                               "right": [ok for _, ok in ordered].index(True)}
    if isinstance(q, Attribution):
        fields["claim"] = q.claim
    return fields


KIND = Kind(
    name="mcq", label="multiple choice", model=MultipleChoice, schema=MCQ, passage="required", build=build,
    answers=answers, visible=visible, choices=choices,
    note_type="basic", anki_fields=anki_fields, anki_card="choices",
    section=(N_("Multiple choice"), N_("Circle the letter of the one right answer.")), on_sheet=ON_SHEET, points=1,
    marking=LETTER_MARKING,
    layout="lettered", template=Path(__file__).parent / "templates" / "mcq.html.j2", bubbles="letter",
    handlers=export_writers("choice"),  # its writers in the LMS exports
    study_fields=study_fields, study_label=N_("Multiple choice"), study_face="choices", typed=False,
)
