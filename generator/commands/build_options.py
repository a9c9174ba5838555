"""The choices of `quizgen build`'s options, and the builders' own options made from what was given."""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from generator.kinds import handlers

if TYPE_CHECKING:
    from generator.builders import BuilderRef, Option


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
    from generator.builders.export_options import ExportOptions

    o = options
    return [quiz_options(options), ExportOptions(
        moodle_categories=MoodleCategories(o["moodle_categories"]).value,
        moodle_order=MoodleOrder(o["moodle_order"]).value, qti_version=QtiVersion(o["qti_version"]).value)]


def quiz_options(options: dict[str, Any]):
    """The quiz's settings from build's options (from the command line, or from defaults and the configuration file)."""
    from generator.builders.quiz_options import quiz_options as make

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


BUILDER_VALUES = "quizgen.builder_options"  # the key of ctx.meta holding the builders' own options' values


def _keep(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """A builder's option is not an argument of the build command: its value waits in ctx.meta."""
    ctx.meta.setdefault(BUILDER_VALUES, {})[param.name] = value
    return value


def builder_params(options: list[Option]) -> list[Any]:
    """Click options for the builders' own options (`Builder.cli_options`), made by Typer from a
    signature as if they were written in the build command; an option two builders share is one."""
    unique = {o.flag: o for o in reversed(options)}  # the first builder's, for a flag two declare
    parameters = [_parameter(o) for o in reversed(unique.values())]
    if not parameters:
        return []

    def options_of_builders(**values: Any) -> None:
        """The builders' options."""

    options_of_builders.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    options_of_builders.__annotations__ = {p.name: p.annotation for p in parameters}
    made = typer.Typer(add_completion=False)
    made.command()(options_of_builders)
    return list(typer.main.get_command(made).params)


def _parameter(option: Option) -> inspect.Parameter:
    kind: Any = str
    if option.choices:
        kind = _choices(option)
    elif isinstance(option.default, bool):
        kind = bool
    elif isinstance(option.default, int):
        kind = int
    decls = [f"{option.flag}/--no-{option.flag[2:]}"] if kind is bool else [option.flag]
    info = typer.Option(*decls, help=option.help, metavar=option.metavar, min=option.minimum, max=option.maximum,
                        expose_value=False, callback=_keep, show_default=option.default is not None)
    annotation = list[kind] | None if option.multiple else kind if option.default is not None else kind | None
    return inspect.Parameter(option.field, inspect.Parameter.KEYWORD_ONLY, default=option.default,
                             annotation=Annotated[annotation, info])


def _choices(option: Option) -> Any:
    """A str Enum of an option's choices: Typer makes it a Click Choice, and quizgen.toml's key a "choice"."""
    return Enum(f"Choice_{option.field}", {c: c for c in option.choices}, type=str)


def plugin_options(refs: dict[str, BuilderRef], values: dict[str, Any]) -> list[object]:
    """Each builder's `Options` made from the values of its own options (only builders that have some)."""
    made = []
    for ref in refs.values():
        if ref.options:
            given = {o.field: _plain(values.get(o.field, o.default), o) for o in ref.options}
            options = ref.load().make_options(given)
            if options is not None:
                made.append(options)
    return made


def _plain(value: Any, option: Option) -> Any:
    if option.multiple:
        return tuple(v.value if isinstance(v, Enum) else v for v in value or ())
    return value.value if isinstance(value, Enum) else value
