"""Short answer (`kind: qa`): a question and its answer in a few words."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from generator.checks.anchor import normalise
from generator.kinds.anki_text import text
from generator.kinds.contract import N_, Answer, Checker, Cited, Gettext, Json, Kind
from generator.kinds.exports import export_writers
from generator.kinds.scoring import BUILT_IN_SCORING
from generator.model import Anchor, ArticleSet, ShortAnswer
from generator.sources.schema import QA


def build(c: Checker, entry: Any, m: QA, common: dict[str, Any], sources: Any) -> ShortAnswer:
    _check_accept(c, entry, m, common["anchor"])
    return ShortAnswer(**common, question=m.question, answer=m.answer, type_in=m.type_in, accept=tuple(m.accept))


def _words(value: str) -> set[str]:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(ch))
    return set(re.findall(r"\w+", plain))


def _check_accept(c: Checker, entry: Any, m: QA, anchor: Anchor | None) -> None:
    """Each `accept` alternative says the answer in other words: it is checked against the answer
    and the passage's paragraph(s), as the answer is written from them. One that shares no word
    with either would make the study page accept an answer the article does not give."""
    if not m.accept:  # most short answers have none: no paragraph's words to gather (a tenth of check)
        return
    seen = {normalise(m.answer).casefold()}
    source = " ".join(b.text for b in anchor.blocks(c.article)) if anchor else ""
    known = _words(m.answer) | _words(source)
    for i, alternative in enumerate(m.accept):
        key = normalise(alternative).casefold()
        if key in seen:
            c.fail(entry, ("accept", i), f"'accept' alternative \"{alternative}\" repeats the answer or another alternative")
        elif not _words(alternative) & known:
            c.fail(entry, ("accept", i), f"'accept' alternative \"{alternative}\" shares no word with the answer or its passage; "
                                         "an alternative says the answer in other words")
        seen.add(key)


def answers(q: ShortAnswer, sentences: Cited | None) -> list[Answer]:
    return [Answer(q.answer, "its answer")]


def visible(found: ArticleSet, q: ShortAnswer) -> list[str]:
    return [q.question]


def anki_fields(found: ArticleSet, q: ShortAnswer, key: str, _: Gettext) -> dict[str, str]:
    return {"Question": text(q.question), "Answer": text(q.answer), "TypeIn": "y" if q.type_in else ""}


def study_fields(found: ArticleSet, q: ShortAnswer) -> dict[str, Json]:
    out: dict[str, Json] = {"prompt": q.question, "answer": q.answer}
    if q.accept:  # only when given: the data (and its version) of other questions stay as they were
        out["accept"] = list(q.accept)
    return out


def no_choices(found: ArticleSet, q: Any) -> list[str]:
    """A kind that prints no choices."""
    return []


KIND = Kind(
    name="qa", label="short answer", model=ShortAnswer, schema=QA, passage="required", build=build,
    answers=answers, visible=visible, choices=no_choices,
    note_type="basic", anki_fields=anki_fields, anki_card="question",
    section=(N_("Short answer"), N_("Answer in a few words, on the lines.")), on_sheet=None, points=2,
    marking=N_(
        "{p} for an answer with the key's meaning in the student's own words; half for an answer that "
        "is partly right or too vague; 0 otherwise."
    ),
    layout="lines", template=Path(__file__).parent / "templates" / "qa.html.j2", bubbles="score",
    handlers=export_writers("qa"),  # its writers in the LMS exports
    scoring=BUILT_IN_SCORING["qa"],  # HalfOrAll: the key's all, half or none of its points
    study_fields=study_fields, study_label=N_("Short answer"), study_face="prompt", typed=True,
)
