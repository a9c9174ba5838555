"""The choices of `quizgen build`'s options, and the builders' own options made from what was given."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from generator.kinds import handlers


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


class Tests(str, Enum):
    event = "event"
    claim = "claim"


class MoodleCategories(str, Enum):
    article = "article"
    tests = "tests"
    tags = "tags"


class MoodleOrder(str, Enum):
    ordering = "ordering"
    matching = "matching"


class QtiVersion(str, Enum):
    v3 = "3.0"
    v1 = "1.2"


class Kind(str, Enum):
    """The question kinds, as registered in generator/kinds.py (a static enum, so mypy and Typer see it)."""

    qa = "qa"
    cloze = "cloze"
    mcq = "mcq"
    truefalse = "truefalse"
    order = "order"
    attribution = "attribution"


handlers("cli --kind", {k.value: k for k in Kind})  # a kind missing here fails at import


def builder_options(options: dict[str, Any]) -> list[object]:
    """The builders' own options (the quiz's, the exports') from build's options."""
    from generator.builders.exports.common import ExportOptions

    o = options
    return [quiz_options(options), ExportOptions(
        moodle_categories=MoodleCategories(o["moodle_categories"]).value,
        moodle_order=MoodleOrder(o["moodle_order"]).value, qti_version=QtiVersion(o["qti_version"]).value)]


def quiz_options(options: dict[str, Any]):
    """The quiz's settings from build's options (from the command line, or from defaults and the configuration file)."""
    from generator.builders.quiz.options import quiz_options as make

    o = options
    return make(
        paper=Paper(o["paper"]).value, count=o["questions"], tags=o["tag"] or [], kinds=[Kind(k).value for k in o["kind"] or []],
        tests=Tests(o["tests"]).value if o["tests"] else None, versions=o["versions"], seed=o["seed"],
        append_key=o["append_key"], title=o["title"], time_allowed=o["time_allowed"], class_field=o["class_field"],
        instructions=o["instructions"], points=o["points"] or [], answer_sheet=o["answer_sheet"],
        student_digits=o["student_digits"], roster=roster(o.get("roster"), o["answer_sheet"], o["student_digits"]),
    )


def roster(path: Path | None, answer_sheet: bool, digits: int) -> tuple[tuple[str, str], ...]:
    """The class list for named answer sheets: (number, name) in the file's order."""
    from generator.errors import UsageError

    if path is None:
        return ()
    if not answer_sheet:
        raise UsageError("--roster prints named answer sheets: give --answer-sheet too")
    from generator.mark.roster import read_roster

    entries = read_roster(Path(path))
    long = [n for n in entries if len(n) > digits]
    if long:
        raise UsageError(f"--roster: the student number {long[0]} has more than --student-digits {digits} digits")
    return tuple((n.zfill(digits), e.get("name", "")) for n, e in entries.items())
