"""Fill in the blanks (`kind: cloze`): text with deletions, `[[answer]]` (parsed by generator/checks/cloze.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.checks import cloze
from generator.kinds.anki_text import cloze_text
from generator.kinds.contract import N_, Answer, Checker, Cited, Gettext, Json, Kind
from generator.kinds.exports import export_writers
from generator.kinds.qa import no_choices
from generator.model import ArticleSet, Cloze, Deletion
from generator.sources.schema import ClozeQ


def build(c: Checker, entry: Any, m: ClozeQ, common: dict[str, Any], sources: Any) -> Cloze | None:
    try:
        segments = cloze.parse(m.text)
    except cloze.ClozeSyntaxError as e:
        c.fail(entry, ("text",), str(e))
        return None
    if common["anchor"] is None and m.passage is None:
        plain = "".join(s if isinstance(s, str) else s.answer for s in segments)
        common["anchor"] = c.anchor(entry, ("text",), plain, ends=False)
    return Cloze(**common, text=m.text, segments=segments)


def answers(q: Cloze, sentences: Cited | None) -> list[Answer]:
    deletions = [s for s in q.segments if isinstance(s, Deletion)]
    return [Answer(d.answer, f"its blank c{d.number}") for d in deletions]


def visible(found: ArticleSet, q: Cloze) -> list[str]:
    return [s if isinstance(s, str) else (s.hint or "") for s in q.segments]


def anki_fields(found: ArticleSet, q: Cloze, key: str, _: Gettext) -> dict[str, str]:
    return {"Text": cloze_text(q)}


def study_fields(found: ArticleSet, q: Cloze) -> dict[str, Json]:
    segments = [s if isinstance(s, str) else {"n": s.number, "answer": s.answer, "hint": s.hint} for s in q.segments]
    return {"segments": segments, "numbers": list(q.numbers)}


KIND = Kind(
    name="cloze", label="cloze", model=Cloze, schema=ClozeQ, passage="optional", build=build,
    answers=answers, visible=visible, choices=no_choices,
    note_type="cloze", anki_fields=anki_fields,
    section=(N_("Fill in the blanks"), N_("Write the missing words on the lines.")), on_sheet=None, points=1,
    marking=N_("{p} for each blank: the key's words or words of the same meaning; spelling does not count."),
    layout="blanks", template=Path(__file__).parent / "templates" / "cloze.html.j2", bubbles="score",
    handlers=export_writers("cloze"),  # its writers in the LMS exports
    study_fields=study_fields, study_label=N_("Cloze"), study_face="cloze", typed=True,
)
