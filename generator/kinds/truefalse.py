"""True or false (`kind: truefalse`): a statement, whether it is true, and a false one's correction."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.kinds.anki_text import text
from generator.kinds.contract import N_, Answer, Checker, Cited, Gettext, Json, Kind
from generator.kinds.exports import export_writers
from generator.kinds.qa import no_choices
from generator.model import ArticleSet, TrueFalse
from generator.sources.schema import TrueFalseQ


def build(c: Checker, entry: Any, m: TrueFalseQ, common: dict[str, Any], sources: Any) -> TrueFalse:
    if not m.answer and m.correction is None:
        c.fail(entry, ("answer",), "a false statement needs a 'correction', shown with the answer")
    if m.answer and m.correction is not None:
        c.fail(entry, ("correction",), "a true statement takes no 'correction'", key=True)
    return TrueFalse(**common, statement=m.statement, answer=m.answer, correction=m.correction)


def answers(q: TrueFalse, sentences: Cited | None) -> list[Answer]:
    if q.answer:
        return [Answer(q.statement, "the fact its true statement states", "fact")]
    return [Answer(c, "the correction of its false statement", "fact") for c in _clauses(q.correction or "")]


def _clauses(correction: str) -> list[str]:
    """The clauses of a correction (split at ; : and full stops): the first that says something new
    is what corrects the statement, the rest tells more ("In both cases Israel kept mum; the article
    says ..."). Which clause counts is decided with the statement's words, in the giveaway check."""
    return [c for c in re.split(r"[;:,]|(?<=[.!?])\s", correction) if c.strip()]


def visible(found: ArticleSet, q: TrueFalse) -> list[str]:
    return [q.statement]


def anki_fields(found: ArticleSet, q: TrueFalse, key: str, _: Gettext) -> dict[str, str]:
    return {"Statement": text(q.statement), "Verdict": _("True") if q.answer else _("False"),
            "Correction": text(q.correction)}


def study_fields(found: ArticleSet, q: TrueFalse) -> dict[str, Json]:
    return {"statement": q.statement, "answer": q.answer, "correction": q.correction}


KIND = Kind(
    name="truefalse", label="true or false", model=TrueFalse, schema=TrueFalseQ, passage="required", build=build,
    answers=answers, visible=visible, choices=no_choices,
    note_type="basic", anki_fields=anki_fields, anki_card="statement",
    section=(N_("True or false"), N_("Circle T or F. If the statement is false, correct it on its line.")),
    on_sheet=N_("On the answer sheet, fill T or F. If the statement is false, also correct it here on its line."),
    points=1,
    marking=N_(
        "{p} for the right circle; a false statement also needs its correction, saying what the "
        "article says: F circled without a correction earns half."
    ),
    layout="plain", template=Path(__file__).parent / "templates" / "truefalse.html.j2", bubbles="truefalse",
    handlers=export_writers("truefalse"),  # its writers in the LMS exports
    study_fields=study_fields, study_label=N_("True or false"), study_face="statement", typed=False,
)
