"""The printable quiz's options (the quiz builder's `Options`), and reading them from the command line.

Beside the quiz's package, not in it: `quizgen build` makes them before it knows whether the quiz
has work to do, and a rebuild that builds nothing imports no builder (issue 31)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.kinds import BUILT_IN as KINDS
from generator.outputs import Option
from generator.shuffle import DEFAULT_SEED


@dataclass(frozen=True)
class QuizOptions:
    """How the printable quiz is drawn and laid out (the LMS exports hold the questions it would)."""

    paper: str = "a4"  # "a4" or "letter"
    count: int | None = None  # draw this many questions (after the filters)
    tags: tuple[str, ...] = ()  # keep questions with any of these tags
    kinds: tuple[str, ...] = ()  # keep questions of these kinds
    tests: str | None = None  # keep only "event" or only "claim" questions
    versions: int = 1  # 1: one quiz; more: versions A, B, ... each shuffled
    seed: str = DEFAULT_SEED  # the draw and every shuffle depend on it, and on nothing else
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

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> QuizOptions:
        """The quiz options from the values of the quiz builder's options of `quizgen build` (by the
        options' names); raises UsageError for an unknown kind, bad points or a bad class list."""
        v = values
        return quiz_options(
            paper=v["paper"], count=v["questions"], tags=list(v["tag"] or ()), kinds=list(v["kind"] or ()),
            tests=v["tests"], versions=v["versions"], seed=v["seed"], append_key=v["append_key"], title=v["title"],
            time_allowed=v["time_allowed"], class_field=v["class_field"], instructions=v["instructions"],
            points=list(v["points"] or ()), answer_sheet=v["answer_sheet"], student_digits=v["student_digits"],
            roster=roster(v["roster"], v["answer_sheet"], v["student_digits"], v["paper"]),
        )


# The quiz builder's options of `quizgen build` (QuizBuilder.cli_options): each also a key of quizgen.toml
CLI_OPTIONS = (
    Option("--paper", "Paper size of the quiz and key.", "a4", choices=("a4", "letter")),
    Option("--questions", "Draw this many questions for the quiz, balanced across kinds (same seed, same draw).",
           kind="int", minimum=1, short="-n"),
    Option("--tag", "Quiz only questions with this tag (repeatable).", multiple=True, config=False),
    Option("--kind", "Quiz only questions of this kind (repeatable).", choices=tuple(KINDS), multiple=True, config=False),
    Option("--tests", "Quiz only questions that test events, or only claims.", choices=("event", "claim"), config=False),
    Option("--versions", "Write versions A, B, ... with shuffled questions and choices, each with its key.", 1,
           minimum=1, maximum=26),
    Option("--seed", "Seed of the draw and of every shuffle.", DEFAULT_SEED),
    Option("--append-key", "Also write <slug>-quiz-key.html, the quiz with its key after it, for the teacher.", False),
    Option("--answer-sheet", "Also write <slug>-sheet.html, an answer sheet that quizgen mark reads from scans, "
           "and its teacher file <slug>-sheet.json.", False),
    Option("--student-digits", "Digits of the student number bubbled on the answer sheet.", 6, minimum=1, maximum=12),
    Option("--roster", "With --answer-sheet, also write <slug>-sheet-named.html: one sheet for each student of "
           "this class list (a CSV with number and name), name and number pre-printed.", kind="path", config=False),
    Option("--title", "The quiz's heading (default: 'Quiz: ' and the article's title)."),
    Option("--time-allowed", "Print 'Time allowed: ...' in the header, e.g. '30 minutes'."),
    Option("--class-field", "A 'Class' line beside name and date.", True),
    Option("--instructions", "The general instructions under the header, instead of the default ones."),
    Option("--points", "Points of a question of this kind, or of one blank (cloze) or event (order); repeatable, "
           "e.g. --points qa=3. Defaults: mcq, attribution, truefalse, cloze, order 1; qa 2.", multiple=True,
           metavar="KIND=N"),
)


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


def roster(path: str | Path | None, answer_sheet: bool, digits: int, paper: str = "a4") -> tuple[tuple[str, str], ...]:
    """The class list for named answer sheets: (number, name) in the file's order; a name too long to
    print in the sheet's name box on `paper`, even small, is refused."""
    if path is None:
        return ()
    if not answer_sheet:
        raise UsageError("--roster prints named answer sheets: give --answer-sheet too")
    from generator.tools.mark.roster import read_roster  # the CSV reader of quizgen mark: only with --roster

    entries = read_roster(Path(path))
    long = [n for n in entries if len(n) > digits]
    if long:
        raise UsageError(f"--roster: the student number {long[0]} has more than --student-digits {digits} digits")
    from generator.outputs.sheet_text import name_fits  # only with --roster

    wide = [(n, e.get("name", "")) for n, e in entries.items() if not name_fits(e.get("name", ""), paper)]
    if wide:
        number, name = wide[0]
        raise UsageError(f"--roster {path}: the name of student {number} ({len(name)} characters) is too long to print "
                         f"in the answer sheet's name box, even small: shorten it to about 60 characters")
    return tuple((n.zfill(digits), e.get("name", "")) for n, e in entries.items())
