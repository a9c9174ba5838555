"""Chronology (`kind: order`): three or more events, each quoting its passage, in the right order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.kinds.anki_text import dated, text
from generator.kinds.checks import same_key
from generator.kinds.contract import N_, Answer, Checker, Cited, Gettext, Json, Kind
from generator.kinds.exports import export_writers
from generator.kinds.qa import no_choices
from generator.model import Anchor, ArticleSet, Chronology, Event, Span
from generator.shuffle import shuffled
from generator.sources.schema import OrderQ

TIE = "when-tie"  # the name `allow:` takes to accept two events of a chronology with the same `when`


def build(c: Checker, entry: Any, m: OrderQ, common: dict[str, Any], sources: Any) -> Chronology:
    events = []
    anchors: list[Anchor | None] = []
    for i, ev in enumerate(m.events):
        anchor = c.anchor(entry, ("events", i, "passage"), ev.passage)
        anchors.append(anchor)
        c.when(entry, ("events", i, "when"), ev.when, anchor)
        if anchor is not None:
            events.append(Event(ev.text, anchor, ev.when))
    seen: dict[str, int] = {}
    for i, ev in enumerate(m.events):
        key = same_key(ev.text)
        if key in seen:
            c.fail(entry, ("events", i, "text"), f"event {i + 1} repeats event {seen[key] + 1}")
        seen.setdefault(key, i)
    _ties(c, entry, m, anchors)
    return Chronology(**common, question=m.question or Chronology.DEFAULT_PROMPT, events=tuple(events))


def _ties(c: Checker, entry: Any, m: OrderQ, anchors: list[Anchor | None]) -> None:
    """Two events with the same `when` have no one right order between them (unless the author says
    the article gives it: `allow: [when-tie]`); two events quoting the same passage are one event."""
    dated_at: dict[str, int] = {}
    quoted: dict[tuple[Span, ...], int] = {}
    for i, (ev, anchor) in enumerate(zip(m.events, anchors)):
        if ev.when is not None:
            when = " ".join(ev.when.split()).casefold()
            if when in dated_at and TIE not in m.allow:
                c.fail(entry, ("events", i, "when"), f"event {i + 1} has the same 'when' \"{ev.when}\" as event {dated_at[when] + 1}, "
                       f"so their order is not known; give the date that tells them apart, or add 'allow: [{TIE}]' if the article orders them")
            dated_at.setdefault(when, i)
        if anchor is not None:
            if anchor.spans in quoted:
                c.fail(entry, ("events", i, "passage"), f"event {i + 1} quotes the same passage as event {quoted[anchor.spans] + 1}; "
                       "each event cites the words that tell of it")
            quoted.setdefault(anchor.spans, i)


def answers(q: Chronology, sentences: Cited | None) -> list[Answer]:
    """Each dated event's date, and the event printed with its date."""
    found = []
    for i, e in enumerate(q.events, start=1):
        cited = sentences(e.anchor) if sentences else None
        if e.when and any(ch.isdigit() for ch in e.when):
            found.append(Answer(e.when, f"the date of its event {i}", sentences=cited))
            found.append(Answer(e.text, f"its event {i} with its date", "fact", e.when, cited))
    return found


def visible(found: ArticleSet, q: Chronology) -> list[str]:
    return [q.question, *(e.text for e in q.events)]


def anki_fields(found: ArticleSet, q: Chronology, key: str, _: Gettext) -> dict[str, str]:
    scrambled = shuffled(tuple(enumerate(q.events)), key, "events", avoid_identity=True)
    front = "".join(f'<li data-qg-at="{at}">{text(e.text)}</li>' for at, e in scrambled)
    back = "".join(f"<li>{dated(e.when)}{text(e.text)}</li>" for e in q.events)
    # the default prompt is quizgen's words, in the deck's language (the catalogue has it)
    prompt = _(q.question) if q.question == Chronology.DEFAULT_PROMPT else q.question
    return {"Question": text(prompt), "Scrambled": f'<ul class="qg-list">{front}</ul>',
            "Events": f'<ol class="qg-list">{back}</ol>'}


def study_fields(found: ArticleSet, q: Chronology) -> dict[str, Json]:
    order = list(range(len(q.events)))
    # the same starting order as the Anki card; never already right
    start = shuffled(order, f"{found.article.slug}/{q.id}", "events", avoid_identity=True)
    return {
        "prompt": q.question,
        "events": [{"text": e.text, "when": e.when} for e in q.events],
        "start": start,
    }


KIND = Kind(
    name="order", label="chronology", model=Chronology, schema=OrderQ, passage="none", build=build,
    answers=answers, visible=visible, choices=no_choices,
    note_type="basic", anki_fields=anki_fields, anki_card="scrambled",
    section=(N_("Chronology"), N_("Number the events in the boxes from 1 (earliest) to {n}.")),
    on_sheet=N_("On the answer sheet, fill each event's place, from 1 (earliest)."), points=1,
    marking=N_(
        "{p} for each event given its right number; all right but two neighbours swapped: "
        "the full points less {p}."
    ),
    layout="events", template=Path(__file__).parent / "templates" / "order.html.j2", bubbles="events",
    handlers=export_writers("order"),  # its writers in the LMS exports
    study_fields=study_fields, study_label=N_("Chronology"), study_face="events", typed=False,
)
