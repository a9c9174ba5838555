"""The `quizgen` command line: the only module that prints or exits.

Heavy modules are imported inside the commands, so `quizgen --version` and `--help` stay quick.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from generator import __version__
from generator.kinds import handlers

# The exit statuses (README, "When something is wrong"): sysexits.h's EX_SOFTWARE and EX_IOERR,
# Click's 2 for a mistake on the command line, and 128 + SIGINT for an interrupt.
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_IO = 74
EXIT_INTERRUPTED = 130


app = typer.Typer(
    name="quizgen",
    help="Turn hand-written questions about a news article into study material.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Rich's help formatting takes longer to import than the rest of quizgen --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, Any] = {"debug": False, "interrupt_said": False}


def _echo(message: object = "", err: bool = False) -> None:
    """Print one or more lines with every control character escaped (a title, a path or a request
    line can carry ESC, BEL or OSC sequences that a terminal would obey): the only way quizgen prints."""
    from generator.errors import escape_controls

    typer.echo(escape_controls(str(message)), err=err)
T = TypeVar("T")

CONTENT_HELP = "The content folder: one folder per article, each with article.md and question files."


def _version(value: bool) -> None:
    if value:
        _echo(f"quizgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of an internal error.")] = False,
) -> None:
    """Check question files against their articles and build decks, quizzes and study pages."""
    _state["debug"] = debug
    _config["problems"], _config["values"], _config["warnings"] = [], {}, []
    if not ctx.resilient_parsing:
        _read_config(ctx)
        if ctx.invoked_subcommand != "check":  # check reports it with the content's warnings (--strict counts it)
            for warning in _config["warnings"]:
                _echo(str(warning), err=True)


# The options a project configuration file (quizgen.toml, or [tool.quizgen] in pyproject.toml) may
# set: the ones people repeat, named as on the command line without the dashes. Each key's type and
# range come from the option itself, and it applies to every command that has that option.
CONFIG_KEYS = (
    "content", "out", "deck-parent", "paper", "seed", "versions", "questions", "append-key", "pdf", "answer-sheet",
    "student-digits", "title", "time-allowed", "class-field", "instructions", "points", "ui-language", "host", "port",
    "export", "moodle-categories", "moodle-order", "qti-version",
)
_config: dict[str, Any] = {"problems": [], "values": {}, "warnings": []}


def _config_params(group: Any, path: tuple[str, ...] = ()):
    """(command path, parameter) for every option of every command that the configuration file may set."""
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            yield from _config_params(command, path + (name,))
            continue
        for param in command.params:
            if param.name and param.name.replace("_", "-") in CONFIG_KEYS:
                yield path + (name,), param


def _config_spec(param: Any):
    """What a key of the configuration file accepts: what its option accepts (Typer keeps the annotation)."""
    from generator.config import Spec

    kind = param.type_descriptor.annotation
    if param.name == "points":
        return Spec("points")
    if getattr(param, "multiple", False):
        return Spec("list")
    if kind is bool:
        return Spec("bool")
    if isinstance(kind, type) and issubclass(kind, Enum):
        return Spec("choice", choices=tuple(str(member.value) for member in kind))
    if kind is int:
        return Spec("int", param.min, param.max)
    return Spec("str")


def _read_config(ctx: typer.Context) -> None:
    """Read the configuration file into Click's default_map: the file wins over the defaults, the command line over both."""
    from generator.config import load_config
    from generator.errors import display_path

    params = list(_config_params(ctx.command))
    specs: dict[str, Any] = {}
    for _, param in params:
        specs.setdefault(param.name.replace("_", "-"), _config_spec(param))
    config = _guard(lambda: load_config(Path.cwd(), specs, tuple(k.value for k in Kind)))
    _config["problems"], _config["values"], _config["warnings"] = config.problems, config.values, config.warnings
    _config["where"], _config["path"] = config.where, display_path(config.path) if config.path else None
    if not config.values:
        return
    defaults: dict[str, Any] = {}
    for path, param in params:
        key = param.name.replace("_", "-")
        if key in config.values:
            table = defaults
            for name in path:
                table = table.setdefault(name, {})
            value = config.values[key]
            # an argument that takes several paths (check's CONTENT_DIR...) takes the file's one as a list
            table[param.name] = [value] if param.nargs == -1 and not isinstance(value, list) else value
    ctx.default_map = defaults


def _config_checked() -> None:
    """Stop a command that would use a configuration file with problems: report every one."""
    from generator.errors import ContentError

    if _config["problems"]:
        raise ContentError(_config["problems"])


def _echo_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Lines printed a thousand to a write: thousands of warnings are not thousands of writes, nor one
    string of them all in memory."""
    from itertools import islice

    rest = iter(lines)
    while chunk := list(islice(rest, 1000)):
        _echo("\n".join(chunk), err=err)


def _guard(work: Callable[[], T]) -> T:
    """Run a command's work, turning every failure into one exit status and a plain message."""
    from generator.errors import ContentError, EnvironmentFault, Interrupted, UsageError

    try:
        return work()
    except UsageError as e:
        _echo(f"quizgen: error: {e}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ContentError as e:
        from generator.errors import count_line

        _echo_lines([*map(str, e.problems), count_line(e.problems)], err=True)
        raise typer.Exit(EXIT_CONTENT) from None
    except EnvironmentFault as e:
        _echo(f"quizgen: error: {e}", err=True)
        raise typer.Exit(EXIT_IO) from None
    except OSError as e:
        _echo(f"quizgen: error: {_os_error(e)}", err=True)
        raise typer.Exit(EXIT_IO) from None
    except Interrupted as e:
        _state["interrupt_said"] = True
        _echo(f"quizgen: {e}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except KeyboardInterrupt:
        _state["interrupt_said"] = True
        _echo("quizgen: interrupted; no output was changed.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:  # an internal error: a bug in quizgen, not in the content
        _internal_error(e)
        raise typer.Exit(EXIT_INTERNAL) from None


def _os_error(e: OSError, unnamed: str | None = None) -> str:
    """One plain line naming the file a fault of the computer (read-only, full, gone...) came from."""
    from generator.errors import printable

    path = e.filename if e.filename is not None else unnamed
    return f"{printable(str(path))}: {e.strerror or e}" if path is not None else str(e.strerror or e)


def _internal_error(e: BaseException) -> None:
    """Report a bug: a short line, the traceback saved to a file (and printed with --debug)."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    if _state["debug"]:
        sys.stderr.write(text)
    try:
        fd, saved = tempfile.mkstemp(prefix="quizgen-crash-", suffix=".txt")
        with open(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"quizgen {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n{text}")
        where = f"the traceback is in {saved}"
    except OSError:
        where = "run again with --debug (quizgen --debug ...) to see the traceback"
    _echo(
        f"quizgen: internal error ({type(e).__name__}: {e}). This is a bug in quizgen; please report it: {where}.",
        err=True,
    )


JOBS_HELP = "Work on this many articles at once, in parallel processes (default: every core, for 16 articles or more)."


@app.command()
def check(
    content: Annotated[list[Path] | None, typer.Argument(
        help=CONTENT_HELP + " Or article folders.", metavar="CONTENT_DIR...",
        show_default=True,
    )] = [Path("questions")],  # noqa: B006 (Typer reads the default; it is never changed)
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=JOBS_HELP)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with status 1 when there are warnings, too.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=(
        "List every warning; without it, past five warnings of one rule in one article the rest are counted in one line."
    ))] = False,
    locked: Annotated[bool, typer.Option(
        "--locked", help="Fail when an article's anki.lock is missing, damaged or out of date (for CI).",
    )] = False,
) -> None:
    """Validate every article and question file; report every problem as path:line:col."""
    from generator.errors import count_line, sort_key
    from generator.summary import check_library, shown_lines

    def emit(problems: list) -> None:
        if problems:
            _echo_lines(shown_lines(problems, str(Path(problems[0].path).parent), verbose), err=True)

    # The configuration file's problems first, then each article's as soon as it is checked: every
    # problem is reported, and none is kept (thousands of articles can have millions of warnings).
    first = sorted(_config["problems"] + _config["warnings"], key=sort_key)
    _echo_lines(map(str, first), err=True)
    report = _guard(lambda: check_library(list(content or [Path("questions")]), jobs,
                                          emit=emit, locked=locked))
    errors = len(_config["problems"]) + report.errors
    warned = len(_config["warnings"]) + report.warned
    if errors:
        _echo(count_line(errors=errors, warnings=warned), err=True)
        raise typer.Exit(EXIT_CONTENT)
    _echo_lines(report.lines)
    if strict and warned:
        _echo(f"quizgen: error: {warned} warning{'s' if warned != 1 else ''}, and --strict makes warnings fail", err=True)
        raise typer.Exit(EXIT_CONTENT)


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




QUIZ = "Printable quiz"
EXPORTS = "LMS and flashcard exports"


@app.command()
def build(
    ctx: typer.Context,
    content: Annotated[list[Path] | None, typer.Argument(
        help=CONTENT_HELP + " Or article folders of it: build only those articles (the index still lists every article).",
        metavar="CONTENT_DIR...", show_default=True,
    )] = [Path("questions")],  # noqa: B006 (Typer reads the default; it is never changed)
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder the outputs are written to.")] = Path("decks"),
    deck_parent: Annotated[str | None, typer.Option(
        "--deck-parent",
        help="Anki deck to put every article's deck under (default: each question file's deck_parent, else 'Articles').",
    )] = None,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size of the quiz and key.", rich_help_panel=QUIZ)] = Paper.a4,
    questions: Annotated[int | None, typer.Option(
        "--questions", "-n", min=1, help="Draw this many questions for the quiz, balanced across kinds (same seed, same draw).",
        rich_help_panel=QUIZ,
    )] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Quiz only questions with this tag (repeatable).", rich_help_panel=QUIZ)] = None,
    kind: Annotated[list[Kind] | None, typer.Option("--kind", help="Quiz only questions of this kind (repeatable).", rich_help_panel=QUIZ)] = None,
    tests: Annotated[Tests | None, typer.Option("--tests", help="Quiz only questions that test events, or only claims.", rich_help_panel=QUIZ)] = None,
    versions: Annotated[int, typer.Option(
        "--versions", min=1, max=26, help="Write versions A, B, ... with shuffled questions and choices, each with its key.",
        rich_help_panel=QUIZ,
    )] = 1,
    seed: Annotated[str, typer.Option("--seed", help="Seed of the draw and of every shuffle.", rich_help_panel=QUIZ)] = "1",
    append_key: Annotated[bool, typer.Option("--append-key", help="Also write <slug>-quiz-key.html, the quiz with its key after it, for the teacher.", rich_help_panel=QUIZ)] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print the quiz and key to PDF (needs Chromium and Playwright).", rich_help_panel=QUIZ)] = False,
    answer_sheet: Annotated[bool, typer.Option(
        "--answer-sheet", help="Also write <slug>-sheet.html, an answer sheet that quizgen mark reads from scans, "
        "and its teacher file <slug>-sheet.json.", rich_help_panel=QUIZ,
    )] = False,
    student_digits: Annotated[int, typer.Option(
        "--student-digits", min=1, max=12, help="Digits of the student number bubbled on the answer sheet.",
        rich_help_panel=QUIZ,
    )] = 6,
    roster: Annotated[Path | None, typer.Option(
        "--roster", help="With --answer-sheet, also write <slug>-sheet-named.html: one sheet for each student of "
        "this class list (a CSV with number and name), name and number pre-printed.", rich_help_panel=QUIZ,
    )] = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="The quiz's heading (default: 'Quiz: ' and the article's title).", rich_help_panel=QUIZ,
    )] = None,
    time_allowed: Annotated[str | None, typer.Option(
        "--time-allowed", help="Print 'Time allowed: ...' in the header, e.g. '30 minutes'.", rich_help_panel=QUIZ,
    )] = None,
    class_field: Annotated[bool, typer.Option(
        "--class-field/--no-class-field", help="A 'Class' line beside name and date.", rich_help_panel=QUIZ,
    )] = True,
    instructions: Annotated[str | None, typer.Option(
        "--instructions", help="The general instructions under the header, instead of the default ones.",
        rich_help_panel=QUIZ,
    )] = None,
    points: Annotated[list[str] | None, typer.Option(
        "--points", metavar="KIND=N",
        help="Points of a question of this kind, or of one blank (cloze) or event (order); repeatable, "
        "e.g. --points qa=3. Defaults: mcq, attribution, truefalse, cloze, order 1; qa 2.",
        rich_help_panel=QUIZ,
    )] = None,
    ui_language: Annotated[str | None, typer.Option(
        "--ui-language", metavar="LANG",
        help="Write quizgen's own words (headings, instructions, labels) in this language, e.g. 'he', "
        "instead of each article's language; English where there is no catalogue for it.",
    )] = None,
    moodle_categories: Annotated[MoodleCategories, typer.Option(
        "--moodle-categories", help="Moodle XML and GIFT: one question category per article, or also a sub-category "
        "per --tests value or per question's first tag.", rich_help_panel=EXPORTS,
    )] = MoodleCategories.article,
    moodle_order: Annotated[MoodleOrder, typer.Option(
        "--moodle-order", help="Moodle XML: a chronology as an ordering question (Moodle 4.4+) or as matching "
        "(each event to its position).", rich_help_panel=EXPORTS,
    )] = MoodleOrder.ordering,
    qti_version: Annotated[QtiVersion, typer.Option(
        "--qti-version", help="The QTI package: 3.0, or 1.2 as Canvas's quiz import reads it.", rich_help_panel=EXPORTS,
    )] = QtiVersion.v3,
    export: Annotated[list[str] | None, typer.Option(
        "--export", metavar="NAME", help="Also write this export for the teacher (repeatable): moodle (Moodle XML), "
        "gift, qti (QTI 3.0, or 1.2 for Canvas), flashcards (CSV).", rich_help_panel=EXPORTS,
    )] = None,
    only: Annotated[list[str] | None, typer.Option(
        "--only", help="Build only these outputs (repeatable): anki, quiz, study, index, or an export: "
        "moodle, gift, qti, flashcards.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything, even outputs whose inputs did not change.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=JOBS_HELP)] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Delete the outputs of articles that are gone (a whole content folder only, not with article folders).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and the final line.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="First print every setting and where it came from (command line, configuration file, default).")] = False,
    frozen: Annotated[bool, typer.Option(
        "--frozen", help="Refuse to change any anki.lock (for CI: the committed locks must be up to date).",
    )] = False,
) -> None:
    """Check everything, then build every output into --out (nothing is written if a check fails)."""
    options = dict(locals())  # one settings object: the command line over the configuration file over the defaults
    del options["ctx"]
    _state["ctx"] = ctx  # where each option came from, for --verbose and the warnings
    from generator.build import build as run_build
    from generator.build import build_targets

    _guard(_config_checked)
    if verbose:
        _echo_lines(_settings_lines(options))
    _guard(lambda: _check_ui_language(ui_language))
    settings = _guard(lambda: _builder_options(options))
    home = Path(_config["values"].get("content", "questions"))  # the content folder of a build without arguments
    root, articles = _guard(lambda: build_targets(list(content or [home]), home))
    chromium = _guard(_pdf_check) if pdf else None
    with _progress(quiet) as progress:
        result = _guard(lambda: run_build(
            root, out, only=only or [], export=export or [], force=force, jobs=jobs, deck_parent=deck_parent, options=settings,
            pdf=chromium, prune=prune, progress=progress, ui_language=ui_language, articles=articles,
            frozen=frozen, warn=lambda problem: _echo(str(problem), err=True),
        ))
    try:
        _report(result, out, quiet)
    except KeyboardInterrupt:
        _state["interrupt_said"] = True
        _echo(f"quizgen: interrupted after every output was written into {out}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _builder_options(options: dict[str, Any]) -> list[object]:
    """The builders' own options (the quiz's, the exports') from build's options."""
    from generator.builders.exports.common import ExportOptions

    o = options
    return [_quiz_options(options), ExportOptions(
        moodle_categories=MoodleCategories(o["moodle_categories"]).value,
        moodle_order=MoodleOrder(o["moodle_order"]).value, qti_version=QtiVersion(o["qti_version"]).value)]


def _quiz_options(options: dict[str, Any]):
    """The quiz's settings from build's options (from the command line, or from defaults and the configuration file)."""
    from generator.builders.quiz.options import quiz_options

    o = options
    return quiz_options(
        paper=Paper(o["paper"]).value, count=o["questions"], tags=o["tag"] or [], kinds=[Kind(k).value for k in o["kind"] or []],
        tests=Tests(o["tests"]).value if o["tests"] else None, versions=o["versions"], seed=o["seed"],
        append_key=o["append_key"], title=o["title"], time_allowed=o["time_allowed"], class_field=o["class_field"],
        instructions=o["instructions"], points=o["points"] or [], answer_sheet=o["answer_sheet"],
        student_digits=o["student_digits"], roster=_roster(o.get("roster"), o["answer_sheet"], o["student_digits"]),
    )


def _quiz_size_origin(warning: str) -> str:
    """The setting a short quiz's warning is about, as the author wrote it."""
    if "available for a quiz of" not in warning:
        return ""
    origin = _origin("questions")
    return "--questions: " if origin == "command line" else f"questions in {origin}: "


def _roster(path: Path | None, answer_sheet: bool, digits: int) -> tuple[tuple[str, str], ...]:
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


def _build_defaults() -> dict[str, Any]:
    """build's options when none is given: its defaults, then the configuration file's (for serve --watch)."""
    import inspect

    options = {name: p.default for name, p in inspect.signature(build).parameters.items() if name != "ctx"}
    for key, value in _config["values"].items():
        if key.replace("-", "_") in options:
            options[key.replace("-", "_")] = value
    return options


def _origin(name: str) -> str:
    """Where the current command's option `name` got its value: the command line, the file, or the default."""
    ctx = _state.get("ctx")
    source = getattr(ctx.get_parameter_source(name), "name", None) if ctx is not None else None  # Click's ParameterSource
    if source == "DEFAULT_MAP":
        where = _config.get("where", {}).get(name.replace("_", "-"))
        return f"{_config.get('path')}:{where[0]}" if where else str(_config.get("path"))
    if source == "COMMANDLINE":
        return "command line"
    if source == "ENVIRONMENT":
        return "environment"
    return "default"


def _settings_lines(options: dict[str, Any]) -> list[str]:
    """build --verbose: every option's value and where it came from, and the file's keys build does not use."""
    lines = ["settings:"]
    for name, value in options.items():
        if name in ("verbose", "quiet"):
            continue
        shown = value.value if isinstance(value, Enum) else [str(v) for v in value] if isinstance(value, list) else \
            str(value) if isinstance(value, Path) else value
        lines.append(f"  {name.replace('_', '-')} = {shown!r} ({_origin(name)})")
    for key in sorted(set(_config["values"]) - {n.replace("_", "-") for n in options}):
        where = _config.get("where", {}).get(key)
        lines.append(f"  {key} = {_config['values'][key]!r} ({_config.get('path')}:{where[0] if where else 1}; not an option of build)")
    return lines


def _check_ui_language(value: str | None) -> None:
    """An --ui-language quizgen has no catalogue for is a mistake, not English in silence."""
    from generator.errors import UsageError
    from generator.i18n import base, languages

    if value is not None and base(value) not in languages():
        given = "--ui-language" if _origin("ui_language") == "command line" else f"ui-language in {_origin('ui_language')}"
        raise UsageError(f"{given} {value!r}: quizgen has no catalogue for it; the known ones are {', '.join(languages())}")


def _report(result, out: Path, quiet: bool) -> None:
    from generator.errors import display_path

    for warning in result.warnings:
        _echo(f"quizgen: warning: {_quiz_size_origin(warning)}{warning}", err=True)

    if not quiet:
        for path in result.written:
            _echo(f"wrote {path}")
        for path in result.kept:
            _echo(f"updated {display_path(path)} (commit it with the questions: it keeps the Anki notes' stamps)")
    for name in result.stale:
        why = result.why.get(name, "its article is gone")
        if name in result.pruned:
            _echo(f"removed: {out / name} ({why})")
        elif name in result.edited:
            _echo(f"kept: {out / name} ({why}, but changed since quizgen wrote it: delete it yourself if it is not needed)")
        else:
            _echo(f"stale: {out / name} ({why}; --prune removes it)")
    articles = len(result.built)
    left_out = (
        f"; left {result.left_out} question{'s' if result.left_out != 1 else ''} out of the quiz so that "
        "none gives another away (quizgen check lists them)" if result.left_out else ""
    )
    _echo(
        f"built {len(result.written)} output{'s' if len(result.written) != 1 else ''} of {articles} "
        f"article{'s' if articles != 1 else ''}, skipped {len(result.skipped)} unchanged "
        f"article{'s' if len(result.skipped) != 1 else ''}, into {out}{left_out}"
    )


@contextmanager
def _progress(quiet: bool):
    """A progress bar on a terminal, shown once the build has taken more than a second."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                   TimeElapsedColumn(), transient=True, console=None)
    task = None

    def update(what: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if time.monotonic() - started < 1.0:
                return
            bar.start()
            task = bar.add_task(what, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


def _pdf_check() -> str:
    from generator.pdf import check_available

    return check_available()


@app.command()
def mark(
    scans: Annotated[list[Path], typer.Argument(
        help="Scanned answer sheets: PDF files (several pages each, any order) or images, or folders of them.",
        metavar="SCAN", show_default=False,
    )],
    key: Annotated[Path, typer.Option(
        "--key", help="The build's output folder, with the <slug>-sheet[-A].json teacher files of the sheets.",
    )],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for marks.csv, review.csv and the annotated PDFs.")] = Path("marks"),
    review: Annotated[Path | None, typer.Option(
        "--review", help="A review.csv with the teacher's decisions filled in: mark again with them.",
    )] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Pages read at once (default: the cores, up to 4).")] = None,
    roster: Annotated[Path | None, typer.Option(
        "--roster", help="The class list, a CSV with number and name (email, group optional): names in marks.csv; "
        "a number not on it goes to review.",
    )] = None,
) -> None:
    """Read scanned answer sheets, grade them with their version's key, and list what a person must decide."""
    from generator.mark import mark as run_mark
    from generator.mark import write_marked
    from generator.write import settle

    _guard(lambda: settle(key))  # a build killed in its commit: its previous teacher files, never a mix
    result = _guard(lambda: run_mark(scans, key, review=review, jobs=jobs, roster=roster))
    removed = _guard(lambda: write_marked(out, result.outputs))
    pages = len(result.pages)
    _echo(
        f"marked {len(result.students)} student{'s' if len(result.students) != 1 else ''} from {pages} "
        f"page{'s' if pages != 1 else ''} into {out}: marks.csv, review.csv, review.html and one annotated PDF a student"
    )
    if removed:
        _echo(f"removed {len(removed)} annotated PDF{'s' if len(removed) != 1 else ''} of the last marking "
                   f"that this one did not write: {', '.join(removed)}")
    if result.to_review:
        _echo(
            f"{result.to_review} item{'s' if result.to_review != 1 else ''} to review "
            f"({result.unplaced} page{'s' if result.unplaced != 1 else ''} not placed), not scored: "
            f"fill the decision column of {out / 'review.csv'} and mark again with --review"
        )


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the schema to this file instead of printing it.")] = None,
) -> None:
    """Print the JSON Schema of question files (for editors with a YAML language server)."""
    from generator.schema import json_schema

    text = _guard(json_schema)
    if out is None:
        sys.stdout.write(text)
    else:
        _guard(lambda: out.write_text(text, encoding="utf-8"))
        _echo(f"wrote {out}")


@app.command()
def new(
    slug: str = typer.Argument(..., help="The new article's folder name: lowercase letters, digits and single hyphens."),
    source: str | None = typer.Option(
        None, "--from", metavar="PAGE",
        help="Start from this: a saved web page (.html), an http(s) URL, or a plain text file. Without it, an empty skeleton.",
    ),
    content: Path = typer.Option(Path("questions"), "--content", help="The content folder the article's folder goes in."),
) -> None:
    """Create CONTENT/SLUG/ with article.md (from --from PAGE) and a starter question file; never overwrites."""
    from generator.new_article import FetchError, NewArticle, plan_article, write_article

    def start() -> NewArticle | FetchError:
        try:
            return plan_article(content, slug, source)
        except FetchError as e:
            return e

    plan = _guard(start)
    if isinstance(plan, FetchError):  # the network, not the user: as for a file the computer would not let us read
        _echo(f"quizgen: error: {plan}", err=True)
        raise typer.Exit(74)
    for path in _guard(lambda: write_article(plan)):
        _echo(f"wrote {path}")
    for line in plan.report():
        _echo(line)


@app.command()
def serve(
    out: Path = typer.Option(Path("decks"), "--out", "-o", help="The folder to serve: where quizgen build wrote its outputs."),
    host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on; 0.0.0.0 is every network of this computer, for phones."),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535,
                             help="Port to listen on (0: any free port). Keep the same one: the pages keep progress per address."),
    teacher: bool = typer.Option(False, "--teacher", help="Also serve the printable quizzes, the answer keys and the full index."),
    cert: Path | None = typer.Option(None, "--cert", help="Serve over https with this certificate (PEM; it may hold the key too)."),
    key: Path | None = typer.Option(None, "--key", help="The private key of --cert (PEM), if it is in a file of its own."),
    https: bool = typer.Option(False, "--https", help="Serve over https with a certificate quizgen makes; trust its authority once on each phone (README)."),
    watch: bool = typer.Option(False, "--watch", help="Build CONTENT into --out now and on every save, and reload the open pages (live preview)."),
    content: Path = typer.Option(Path("questions"), "--content", help="With --watch: the content folder to build and watch."),
) -> None:
    """Serve the built folder to phones on the same network (students' pages only unless --teacher)."""
    from generator.errors import UsageError
    from generator.serve import Site, StudyServer, qr_code, tls_context

    _guard(_config_checked)
    if watch:  # a busy port is found before the first build, not after it
        _guard(lambda: _port_free(host, port))
    rebuilder = _guard(lambda: _start_watch(content, out)) if watch else None

    def start() -> StudyServer:
        if key is not None and cert is None:
            raise UsageError("--key needs --cert")
        if https and cert is not None:
            raise UsageError("--https makes its own certificate: give --https or --cert, not both")
        tls = tls_context(cert, key) if cert is not None else None
        if https:
            from generator.local_ca import ensure
            from generator.serve import network_addresses

            made.append(ensure(out.resolve(), network_addresses() if host in ("0.0.0.0", "") else [host]))
            tls = tls_context(made[0].cert, made[0].key)
        if rebuilder is not None:
            from generator.watch import WatchSite

            site: Site = WatchSite(out, rebuilder, teacher=teacher)
        else:
            site = Site(out, teacher=teacher)
        return StudyServer(site, host, port, tls=tls, log=_request_log)

    made: list = []  # with --https: the certificates quizgen made
    server = _guard(start)
    if made:
        server.ca_certificate = made[0].ca
        _echo(f"https with a certificate of quizgen's local authority, {made[0].ca}: trust it once on each phone "
                   f"(the README's 'Serving over https'); phones can download it from /api/ca.pem", err=True)
    stop_watching = rebuilder.start() if rebuilder is not None else None
    if rebuilder is not None:
        _echo(f"watching {content}: every save rebuilds {out} and reloads the open pages", err=True)
    what = "every page, answer keys too" if teacher else "students' pages only: study pages and Anki decks; --teacher adds keys"
    _echo(f"serving {out} ({what})")
    urls = server.urls()
    for url, who in urls:
        _echo(f"  {url}" + (f"  {who}" if who else ""))
    code = qr_code(urls[0][0], ansi=sys.stdout.isatty())
    if code is None:
        _echo("(pip install -e '.[serve]' in the quizgen folder to show the address as a QR code for phones)")
    else:
        _echo(code.rstrip("\n"))
    _echo("Ctrl-C stops the server.", err=True)

    def run() -> None:
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see _terminate): the way to stop, not an error
            pass
        finally:
            if stop_watching is not None:
                stop_watching.set()
            server.server_close()

    _guard(run)
    _echo(f"stopped serving {out}", err=True)


def _port_free(host: str, port: int) -> None:
    """Raise the server's own UsageError when `host:port` cannot be listened on now."""
    import socket

    from generator.errors import UsageError

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port}: {e} (choose another --port or --host)") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(address)
        except OSError as e:
            raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e} (choose another --port or --host)") from None


def _request_log(line: str) -> None:
    if "/__quizgen/" not in line:  # the open pages' questions about builds, every few seconds
        _echo(line, err=True)


def _start_watch(content: Path, out: Path):
    """The first build of serve --watch; without any build to serve, its problems end the command."""
    from generator.build import build as run_build
    from generator.manifest import MANIFEST
    from generator.watch import Rebuilder, watch_available

    watch_available()
    options = _build_defaults()  # the configuration file's quiz and decks, as quizgen build makes them
    settings = _builder_options(options)

    def rebuild():
        return run_build(content, out, deck_parent=options["deck_parent"], options=settings, ui_language=options["ui_language"],
                         export=options["export"] or [],
                         durable=False)  # a preview can always be rebuilt: no waiting for the disk

    rebuilder = Rebuilder(content, out, rebuild, lambda line: _echo(line, err=True))
    if not rebuilder.rebuild() and not (out / MANIFEST).is_file():
        _echo(f"quizgen: error: nothing to serve: {content} has never built into {out}; fix the problems above", err=True)
        raise typer.Exit(EXIT_CONTENT)
    return rebuilder


def _sub_app(name: str, help: str) -> typer.Typer:
    """A group of subcommands (`quizgen NAME ...`), with the main command's help options."""
    sub = typer.Typer(name=name, help=help, no_args_is_help=True, rich_markup_mode=None,
                      context_settings={"help_option_names": ["-h", "--help"]})
    app.add_typer(sub, name=name)
    return sub


lock_app = _sub_app("lock", "Work on anki.lock files.")


@lock_app.command("merge")
def lock_merge(
    base: Path = typer.Argument(..., metavar="BASE", help="The common ancestor's anki.lock (git's %O)."),
    ours: Path = typer.Argument(..., metavar="OURS", help="Our anki.lock (git's %A): the merged lock is written here."),
    theirs: Path = typer.Argument(..., metavar="THEIRS", help="Their anki.lock (git's %B)."),
) -> None:
    """Merge two versions of an anki.lock (a git merge driver): every note, the newer stamp of each."""
    from generator.lockfile import merge_locks
    from generator.write import replace_file

    def merged() -> list[str]:
        texts = []
        for path in (base, ours, theirs):
            try:
                texts.append(path.read_bytes().decode("utf-8", errors="replace") if path.is_file() else "")
            except OSError as e:
                raise UsageError(f"{path}: cannot read it ({e.strerror})") from None
        text, conflicts = merge_locks(*texts)
        replace_file(ours, text.encode("utf-8"))
        return conflicts

    from generator.errors import UsageError

    conflicts = _guard(merged)
    if conflicts:
        _echo_lines([f"{ours}: conflict: {c}" for c in conflicts], err=True)
        raise typer.Exit(EXIT_CONTENT)


anki_app = _sub_app("anki", "Work on an Anki desktop collection directly.")


@anki_app.command("sync")
def anki_sync(
    content: Path = typer.Argument(Path("questions"), help=CONTENT_HELP, metavar="CONTENT_DIR", show_default=True),
    collection: Path | None = typer.Option(
        None, "--collection", "-c", metavar="PATH",
        help="The collection file to sync (collection.anki2, or the profile folder holding it).",
    ),
    profile: str | None = typer.Option(
        None, "--profile", "-p", metavar="NAME",
        help="The Anki profile whose collection to sync, found in Anki's folder (ANKI_BASE when set; "
        "Linux ~/.local/share/Anki2, macOS ~/Library/Application Support/Anki2, Windows %APPDATA%\\Anki2). "
        "Default: the only profile there.",
    ),
    deck_parent: str | None = typer.Option(
        None, "--deck-parent",
        help="Anki deck to put every article's deck under (default: each question file's deck_parent, else 'Articles').",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan and change nothing (the collection file keeps its bytes)."),
    retire_removed: bool = typer.Option(
        False, "--retire-removed",
        help="Also retire the notes of articles synced before that are no longer in CONTENT_DIR "
        "(without it they are kept and listed).",
    ),
    force: bool = typer.Option(
        False, "--force", help="With --retire-removed: retire even when CONTENT_DIR is not the folder synced before.",
    ),
) -> None:
    """Check the content, then apply it straight to a closed Anki collection: print the plan, then do it.

    Adds new notes, updates quizgen's own fields (never the Notes field, never the deck a card was
    moved to), changes a note's type keeping its review history, tags notes of deleted questions
    quizgen::retired and suspends their cards (never deletes), and renames the article's deck when
    its title changes. Refuses while Anki has the collection open.
    """
    from generator.anki_sync.locate import find_collection
    from generator.load import load_library

    library = _guard(lambda: load_library(content))
    _guard(lambda: _unique_guids(library.sets, content))
    path = _guard(lambda: find_collection(collection, profile))
    _guard(_anki_check)
    from generator.anki_sync.sync import sync
    from generator.builders.anki.sync_plan import sync_plan

    articles = [sync_plan(found, deck_parent) for found in library.sets]
    plan = _guard(lambda: sync(path, articles, dry_run, lambda plan: _show_plan(path, plan, content), retire_removed,
                               str(content.resolve()), force))
    counts = plan.counts()
    summary = ", ".join(f"{counts[a]} {a}" for a in counts)
    if dry_run:
        _echo(f"dry run: would sync {summary}; nothing was changed")
    elif plan.changes_anything:
        _echo(f"backed up the collection first, into {plan.backup_folder}")
        _echo(f"synced {path}: {summary}")
    else:
        _echo(f"{path} is up to date: {summary}")


def _unique_guids(sets: Sequence[Any], content: Path) -> None:
    """No Anki GUID in two articles' locks (a copied folder): ContentError, as check reports it."""
    from generator.errors import ContentError
    from generator.lockfile import duplicate_guids

    shared = duplicate_guids([content / found.article.slug for found in sets])
    if shared:
        raise ContentError(shared)


def _anki_check() -> None:
    from generator.errors import UsageError

    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise UsageError("quizgen anki sync needs the anki package: pip install -e '.[anki]' in the quizgen folder") from None


def _show_plan(path: Path, plan, content: Path) -> None:
    _echo(f"collection: {path}")
    for gone in plan.gone:
        notes = f"{gone.notes} note{'s' if gone.notes != 1 else ''}"
        if gone.retire:
            _echo(f"article {gone.slug!r} (deck {gone.deck!r}) is no longer in {content}: retiring its {notes}")
        else:
            _echo(f"article {gone.slug!r} (deck {gone.deck!r}) is no longer in {content}: its {notes} kept "
                       "(--retire-removed retires them)")
    for step in plan.note_types:
        if step.notetype_id is None:
            _echo(f"note type {step.spec.name!r}: create")
        elif step.changes:
            _echo(f"note type {step.spec.name!r}: update {', '.join(step.changes)}")
    for deck in plan.decks:
        if deck.deck_id is None:
            _echo(f"deck {deck.name!r}: create")
        elif deck.old_name:
            _echo(f"deck {deck.old_name!r}: rename to {deck.name!r}")
        elif deck.kept_name:
            _echo(f"deck {deck.kept_name!r}: kept (renamed in Anki; quizgen would call it otherwise)")
    for item in plan.items:
        if item.action != "unchanged":
            detail = f" ({item.detail})" if item.detail else ""
            _echo(f"{item.action:9}  {item.slug}/{item.label}{detail}")
    if any(item.action == "re-typed" for item in plan.items):
        _echo("note: changing a note type makes Anki's next AnkiWeb sync a one-way sync; upload from this computer.")


_exiting: dict[str, int | None] = {"status": None}  # set once quizgen knows how it ends


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM stops the build like Ctrl-C, so that the staged files are removed on the way out."""
    if _exiting["status"] is not None:  # too late to unwind: everything is done but exiting, as said
        os._exit(_exiting["status"] or 0)
    raise KeyboardInterrupt


def _run(args: list[str] | None) -> int:
    """Run the command line; its exit status. Click's usage errors keep Click's status, 2."""
    # Typer's own copy of Click, or Click itself in older Typers: the classes its errors derive from
    click_error: type[Any] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    aborts: tuple[type[BaseException], ...] = tuple(c for c in typer.Abort.__mro__ if c.__name__ == "Abort")
    exits: tuple[type[Any], ...] = tuple(c for c in typer.Exit.__mro__ if c.__name__ == "Exit")
    _state["interrupt_said"] = False
    try:
        status = app(args=args, standalone_mode=False)
    except SystemExit as e:  # Click's answer to a closed pipe is a silent exit 1: the README's table says 74
        if isinstance(e.__context__, OSError):
            _say(f"quizgen: error: cannot write the output: {_os_error(e.__context__, 'standard output')}")
            return EXIT_IO
        raise
    except aborts as e:  # Click's name for Ctrl-C outside a command's own handling
        if isinstance(e.__context__, KeyboardInterrupt):
            raise e.__context__ from None
        _say("quizgen: aborted")
        return EXIT_CONTENT
    except click_error as e:
        e.show()
        return e.exit_code
    except exits as e:
        return e.exit_code
    if status == EXIT_INTERRUPTED and not _state["interrupt_said"]:
        # Typer turns a Ctrl-C or SIGTERM outside a command's own handling (while quizgen is still
        # importing what the command needs, say) into a silent status 130: nothing was written yet.
        _say("quizgen: interrupted; no output was changed.")
    return status if isinstance(status, int) else 0


def main(args: list[str] | None = None) -> None:
    """Entry point of the `quizgen` console script: the exit status follows the README's table."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    if sys.stdout is None:  # started with standard output closed: the next file opened would take its place
        _say("quizgen: error: standard output is closed; nothing was done")
        sys.exit(EXIT_IO)
    try:
        status = _run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, as an I/O fault
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
        _say("quizgen: interrupted; no output was changed.")
    except OSError as e:
        status = EXIT_IO
        _say(f"quizgen: error: cannot write the output: {_os_error(e, 'standard output')}")
    _exiting["status"] = status
    if status != 0:
        _silence_stdout()
    if status == EXIT_INTERRUPTED:
        # Leaving through the interpreter's shutdown after an interrupt ended some processes with
        # SIGINT (status -2, 3 of 16 trials of bench/sigterm.py); the work is stopped and cleaned
        # up, the streams flushed: exit now.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        if "generator.parallel" in sys.modules:  # workers a pool was still starting when interrupted
            sys.modules["generator.parallel"].stop_all()
        os._exit(status)
    if hasattr(signal, "pthread_sigmask"):
        # The work is done and the status known. The interpreter's shutdown puts the default
        # handlers back, so a SIGTERM now would kill the process (status -15) after a whole build:
        # held back, it leaves the status above.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    sys.exit(status)


def _say(line: str) -> None:
    try:
        _echo(line, err=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Drop what could not be written to standard output, so that exiting does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
