"""Attribution (`kind: attribution`): a claim and who holds it, among other sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.checks.words import words
from generator.kinds.anki_text import choice_list, text
from generator.kinds.checks import distinct_choices, same_key
from generator.kinds.contract import N_, Answer, Checker, Cited, Gettext, Kind
from generator.kinds.exports import export_writers
from generator.kinds.mcq import LETTER_MARKING, ON_SHEET, choices, study_fields
from generator.model import ArticleSet, Attribution
from generator.sources.schema import AttributionQ


def build(c: Checker, entry: Any, m: AttributionQ, common: dict[str, Any], sources: Any) -> Attribution:
    if m.distractors is not None:
        distractors = list(m.distractors)
        distinct_choices(c, entry, m.source, distractors, "source")
    else:
        own = same_key(m.source)
        in_files = [source for key, source in sources.items() if key != own]
        # sorted: splitting, merging or reordering question files changes no question's choices; by
        # (same_key(source), source), which is (key, source) (each source is its key's: validate.check_article)
        distractors = [source for key, source in sorted(sources.items()) if key != own]
        if not distractors:
            c.fail(entry, ("source",), "no other source to choose from: an attribution without 'distractors' takes its wrong choices from the other sources of this article's attribution questions; add 'distractors'")
    return Attribution(
        **common, question=m.question or Attribution.DEFAULT_PROMPT, claim=m.claim, source=m.source,
        distractors=tuple(distractors), generated=m.distractors is None,
        file_order=tuple(in_files) if m.distractors is None and in_files != distractors else (),
    )


def answers(q: Attribution, sentences: Cited | None) -> list[Answer]:
    """Its source, and the article's own words that attribute the claim ("Some think")."""
    found = [Answer(q.source, "its right choice")]
    if q.anchor is not None:
        said = set(words(q.claim)) | set(words(q.source))
        cue = [w for w in words(q.anchor.passage) if w not in said]
        if cue:
            found.append(Answer(" ".join(cue), "the words that attribute its claim", "cue"))
    return found


def visible(found: ArticleSet, q: Attribution) -> list[str]:
    return [q.claim, q.question]


def anki_fields(found: ArticleSet, q: Attribution, key: str, _: Gettext) -> dict[str, str]:
    # the front already says "Who holds this view?": a prompt is shown only when it says more
    prompt = "" if q.question == Attribution.DEFAULT_PROMPT else text(q.question)
    return {"Claim": text(q.claim), "Prompt": prompt, "Choices": choice_list(found, q, key), "Answer": text(q.source)}


KIND = Kind(
    name="attribution", label="attribution", model=Attribution, schema=AttributionQ, passage="required", build=build,
    answers=answers, visible=visible, choices=choices,
    note_type="basic", anki_fields=anki_fields, anki_card="claim",
    section=(N_("Who holds this view?"), N_("Circle the letter of the one who holds each view.")), on_sheet=ON_SHEET,
    points=1, marking=LETTER_MARKING,
    layout="lettered", template=Path(__file__).parent / "templates" / "attribution.html.j2", bubbles="letter",
    handlers=export_writers("choice"),  # its writers in the LMS exports
    study_fields=study_fields, study_label=N_("Attribution"), study_face="choices", typed=False,
)
