"""The printable quiz's options (the quiz builder's `Options`), and reading them from the command line.

Beside the quiz's package, not in it: `quizgen build` makes them before it knows whether the quiz
has work to do, and a rebuild that builds nothing imports no builder (issue 31)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import UsageError
from generator.kinds import KINDS


@dataclass(frozen=True)
class QuizOptions:
    """How the printable quiz is drawn and laid out (the LMS exports hold the questions it would)."""

    paper: str = "a4"  # "a4" or "letter"
    count: int | None = None  # draw this many questions (after the filters)
    tags: tuple[str, ...] = ()  # keep questions with any of these tags
    kinds: tuple[str, ...] = ()  # keep questions of these kinds
    tests: str | None = None  # keep only "event" or only "claim" questions
    versions: int = 1  # 1: one quiz; more: versions A, B, ... each shuffled
    seed: str = "1"  # the draw and every shuffle depend on it, and on nothing else
    append_key: bool = False  # also write quiz and key in one file, `<slug>-quiz-key.html`
    answer_sheet: bool = False  # also write `<slug>-sheet.html`, a machine-marked answer sheet, and its teacher file
    student_digits: int = 6  # digits of the student number bubbled on the answer sheet
    roster: tuple[tuple[str, str], ...] = ()  # (number, name): one answer sheet a student, pre-printed
    # The header (layout only: none of these changes which questions are asked)
    title: str | None = None  # default "Quiz: <the article's title>"
    time_allowed: str | None = None  # "30 minutes"; printed as "Time allowed: ..." when given
    class_field: bool = True  # a "Class" line beside name and date
    instructions: str | None = None  # replaces the general instructions under the header
    points: tuple[tuple[str, int], ...] = ()  # (kind, points) overriding the default points of a kind


def quiz_options(*, kinds: list[str], tags: list[str], points: list[str] | None = None, **rest) -> QuizOptions:
    """The quiz options from the command line; raises UsageError for an unknown kind or bad points."""
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"--kind {kind} is not a kind; the kinds are {', '.join(KINDS)}")
    for name in ("title", "time_allowed", "instructions"):
        if rest.get(name) is not None:
            rest[name] = " ".join(rest[name].split())
            if not rest[name]:
                raise UsageError(f"--{name.replace('_', '-')} is empty; leave the option out for the default")
    return QuizOptions(kinds=tuple(kinds), tags=tuple(tags), points=_points(points or []), **rest)


def _points(given: list[str]) -> tuple[tuple[str, int], ...]:
    """`--points KIND=N` values as (kind, points), the last given for a kind winning."""
    result: dict[str, int] = {}
    for value in given:
        kind, sep, number = value.partition("=")
        kind = kind.strip()
        if not sep or kind not in KINDS or not number.strip().isdigit() or not 1 <= int(number) <= 100:
            raise UsageError(
                f"--points {value} is not KIND=N with N from 1 to 100; the kinds are {', '.join(KINDS)}"
            )
        result[kind] = int(number)
    return tuple(sorted(result.items()))
