"""Chronologies: ties and repeated passages are errors, dates against the order a warning, and the
study page's timeline places separate chronologies by their dates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from generator.checks import date_order
from generator.checks.date_order import Date
from generator.checks.lints.registry import lint
from generator.errors import ContentError
from generator.outputs.study.data import page_data
from generator.outputs.study.timeline import merge_orders
from generator.sources.load import load_article_set


def _folder(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "z.yaml").write_text("questions:\n" + extra, encoding="utf-8")
    return folder


def _order(qid: str, *events: tuple[str, str, str], allow: str = "") -> str:
    lines = [f"  - id: {qid}", "    kind: order", "    tests: event"]
    if allow:
        lines.append(f"    allow: [{allow}]")
    lines.append("    events:")
    lines += [f"      - {{text: {t}, passage: {p}" + (f", when: \"{w}\"}}" if w else "}") for t, p, w in events]
    return "\n".join(lines) + "\n"


PLAN = ("Plan approved", "In 2021 the council approved the plan", "2021")
PILLAR = ("First pillar set", "In 2022 the first pillar was set", "2022")
COSTS = ("Costs rose", "found that costs rose in 2023", "2023")
OPENED = ("Bridge opened", "The mayor opened the new bridge", "3 March 2025")


@pytest.mark.parametrize(("when", "expected"), [
    ("2008", Date(2008, None, None)),
    ("Sept. 21", Date(None, 9, 21)),
    ("October 7", Date(None, 10, 7)),
    ("Monday, 3 March 2025", Date(2025, 3, 3)),
    ("2025-03-03", Date(2025, 3, 3)),
    ("June 2009", Date(2009, 6, None)),
    ("21 février 2024", Date(2024, 2, 21)),
    ("Friday", None),
    ("in recent years", None),
    ("back in his childhood", None),
])
def test_dates_that_parse(when, expected):
    assert date_order.parse(when, "fr" if "février" in when else "en") == expected


def test_dates_compare_only_at_the_detail_both_give():
    parse = date_order.parse
    assert date_order.compare(parse("2007"), parse("2008")) == -1
    assert date_order.compare(parse("October 7"), parse("Sept. 21")) == 1
    assert date_order.compare(parse("2007"), parse("June 2007")) == 0
    assert date_order.compare(parse("June"), parse("2009")) is None


def test_a_tie_is_an_error_unless_allowed(tmp_path):
    tie = _order("tie", PLAN, ("Plan signed", "the council approved the plan. In 2022", "2021"), COSTS)
    with pytest.raises(ContentError) as e:
        load_article_set(_folder(tmp_path / "a", tie))
    assert [p.message for p in e.value.problems] == [
        "event 2 has the same 'when' \"2021\" as event 1, so their order is not known; give the date that tells them apart, "
        "or add 'allow: [when-tie]' if the article orders them"
    ]
    allowed = _order("tie", PLAN, ("Plan signed", "the council approved the plan. In 2022", "2021"), COSTS, allow="when-tie")
    assert load_article_set(_folder(tmp_path / "b", allowed)).questions[-1].id == "tie"


def test_the_same_passage_twice_is_an_error(tmp_path):
    twice = _order("twice", PLAN, ("Plan passed", "In 2021 the council  approved the plan", ""), COSTS)
    with pytest.raises(ContentError) as e:
        load_article_set(_folder(tmp_path, twice))
    messages = [p.message for p in e.value.problems]
    assert messages == ["event 2 quotes the same passage as event 1; each event cites the words that tell of it"]


def test_dates_against_the_order_are_a_warning(tmp_path):
    found = load_article_set(_folder(tmp_path, _order("backwards", PILLAR, PLAN, COSTS)))
    flags = [(q.id, message) for q, rule, message in lint(found, ["chronology-dates"])]
    assert flags == [("backwards", "chronology-dates: event 2 is dated \"2021\", before event 1's \"2022\", yet comes after it in the "
                      "order given; put the events in the order of their dates, or correct a date (Haladyna, Downing & Rodriguez 2002, "
                      "rule 'make sure that only one of these choices is the right answer'); add 'allow: [chronology-dates]' if it is meant")]
    assert not lint(load_article_set(_folder(tmp_path / "b", _order("right", PLAN, PILLAR, COSTS))), ["chronology-dates"])


def test_the_timeline_places_separate_chronologies_by_their_dates(tmp_path):
    # the fixture's own chronology is 2021, 2022, 2023; these two come in the other order
    extra = (_order("later", COSTS, OPENED, ("Critics speak", "Critics say the bridge cost twice", ""))
             + _order("earlier", PLAN, PILLAR, ("Auditor looks", "the first pillar was set", "")))
    folder = _folder(tmp_path, extra)
    (folder / "q.yaml").write_text((folder / "q.yaml").read_text(encoding="utf-8").split("  - id: chronology")[0], encoding="utf-8")
    timeline = page_data(load_article_set(folder))["timeline"]
    assert [n["when"] for n in timeline["ordered"]] == ["2021", "2022", "2023", "3 March 2025"]


def test_undated_events_go_by_their_place_in_the_article():
    places = {"Friday": 0, "Sunday": 1, "2009": 2, "June": 3}
    assert merge_orders([["2009", "June"], ["Friday", "Sunday"]], lambda a, b: places[a] - places[b]) == [
        "Friday", "Sunday", "2009", "June"]
    assert merge_orders([["b", "a"], ["c"]], lambda a, b: -1 if a == "c" else 0) == ["c", "b", "a"]
