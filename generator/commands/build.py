"""`quizgen build`: check everything, then build every output that is out of date into --out."""

from __future__ import annotations

import inspect
import sys
import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from generator.commands.app import app
from generator.commands.build_options import BUILDER_VALUES, builder_params, plugin_options
from generator.commands.config import config_checked, origin
from generator.commands.output import (
    CONTENT_HELP,
    EXIT_INTERRUPTED,
    JOBS_HELP,
    Session,
    echo,
    echo_lines,
    guard,
    session,
)
from generator.errors import UsageError, display_path

ONLY_HELP = "Build only these outputs (repeatable): {builders}."


def installed_builders() -> dict[str, Any]:
    """The installed builders by name, as the cache folder knows them (`generator.outputs.builder_refs`)."""
    from generator.outputs import builder_refs  # imported by build only: `--version` and `check` ask no builder

    return builder_refs()


class BuildCommand(TyperCommand):
    """The build command, with the options the installed builders own (`Builder.cli_options`) after
    its own, and an --only help that names them: the builders are asked for only when build's
    options are parsed or its help shown (from the cache folder: no builder is imported)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owned: list[Any] | None = None
        self.keys: set[str] = set()

    def builder_params(self, keys: bool = False) -> list[Any]:
        """The Click options of the builders' own options (`keys`: those that are keys of quizgen.toml too)."""
        if self.owned is None:
            options = [o for ref in installed_builders().values() for o in ref.options]
            self.owned = builder_params(options)
            self.keys = {o.field for o in options if o.config}
        return [p for p in self.owned if p.name in self.keys] if keys else self.owned

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        helps = [p for p in params if p not in self.params]  # --help, last
        return [*self.params, *self.builder_params(), *helps]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        refs = installed_builders()
        names = ", ".join(n for n, r in refs.items() if r.default)
        exports = ", ".join(n for n, r in refs.items() if not r.default)
        builders = f"{names}, or an export: {exports}" if exports else names
        for param in self.params:
            if param.name == "only" and isinstance(param, typer.core.TyperOption):
                param.help = ONLY_HELP.format(builders=builders)
        super().format_help(ctx, formatter)


QUIZ = "Printable quiz"
EXPORTS = "LMS and flashcard exports"


@app.command(cls=BuildCommand)
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
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print the quiz and key to PDF (needs Chromium and Playwright).", rich_help_panel=QUIZ)] = False,
    ui_language: Annotated[str | None, typer.Option(
        "--ui-language", metavar="LANG",
        help="Write quizgen's own words (headings, instructions, labels) in this language, e.g. 'he', "
        "instead of each article's language; English where there is no catalogue for it.",
    )] = None,
    export: Annotated[list[str] | None, typer.Option(
        "--export", metavar="NAME", help="Also write this export for the teacher (repeatable): moodle (Moodle XML), "
        "gift, qti (QTI 3.0, or 1.2 for Canvas), flashcards (CSV).", rich_help_panel=EXPORTS,
    )] = None,
    only: Annotated[list[str] | None, typer.Option(
        "--only", help=ONLY_HELP)] = None,  # BuildCommand adds the installed builders to the help
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
    state = session(ctx)
    state.command = ctx  # where each option came from, for --verbose and the warnings
    # the build pipeline (the content's loader, the builders): not for `quizgen --help`
    from generator.pipeline.build import build as run_build
    from generator.pipeline.build import build_targets

    guard(state, lambda: config_checked(state))
    if verbose:
        echo_lines(_settings_lines(state, {**options, **ctx.meta.get(BUILDER_VALUES, {})}))
    guard(state, lambda: _check_ui_language(state, ui_language))
    settings = guard(state, lambda: _builder_options(ctx))
    home = Path(state.values.get("content", "questions"))  # the content folder of a build without arguments
    root, articles = guard(state, lambda: build_targets(list(content or [home]), home))
    chromium = guard(state, _pdf_check) if pdf else None
    with progress(quiet) as update:
        result = guard(state, lambda: run_build(
            root, out, only=only or [], export=export or [], force=force, jobs=jobs, deck_parent=deck_parent,
            options=settings, pdf=chromium, prune=prune, progress=update, ui_language=ui_language, articles=articles,
            frozen=frozen, warn=lambda problem: echo(str(problem), err=True),
        ))
    try:
        _report(state, result, out, quiet)
    except KeyboardInterrupt:
        state.interrupt_said = True
        echo(f"quizgen: interrupted after every output was written into {out}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _builder_options(ctx: typer.Context) -> list[object]:
    """The options objects of the builders that own options of the build command."""
    return plugin_options(installed_builders(), ctx.meta.get(BUILDER_VALUES, {}))


def _quiz_size_origin(state: Session, warning: str) -> str:
    """The setting a short quiz's warning is about, as the author wrote it."""
    if "available for a quiz of" not in warning:
        return ""
    where = origin(state, "questions")
    return "--questions: " if where == "command line" else f"questions in {where}: "


def build_defaults(state: Session) -> dict[str, Any]:
    """build's options when none is given: its defaults, then the configuration file's (for serve --watch)."""

    options = {name: p.default for name, p in inspect.signature(build).parameters.items() if name != "ctx"}
    options.update((o.field, o.default) for ref in installed_builders().values() for o in ref.options)  # the builders' own
    for key, value in state.values.items():
        if key.replace("-", "_") in options:
            options[key.replace("-", "_")] = value
    return options


def _settings_lines(state: Session, options: dict[str, Any]) -> list[str]:
    """build --verbose: every option's value and where it came from, and the file's keys build does not use."""
    lines = ["settings:"]
    for name, value in options.items():
        if name in ("verbose", "quiet"):
            continue
        shown = value.value if isinstance(value, Enum) else [str(v) for v in value] if isinstance(value, list) else \
            str(value) if isinstance(value, Path) else value
        lines.append(f"  {name.replace('_', '-')} = {shown!r} ({origin(state, name)})")
    for key in sorted(set(state.values) - {n.replace("_", "-") for n in options}):
        where = state.where.get(key)
        lines.append(f"  {key} = {state.values[key]!r} ({state.path}:{where[0] if where else 1}; not an option of build)")
    return lines


def _check_ui_language(state: Session, value: str | None) -> None:
    """An --ui-language quizgen has no catalogue for is a mistake, not English in silence."""
    if value is None:
        return
    # i18n reads generator.model: not for `quizgen --help`, nor for a rebuild that builds nothing
    from generator.i18n import base, languages

    if base(value) not in languages():
        given = "--ui-language" if origin(state, "ui_language") == "command line" else f"ui-language in {origin(state, 'ui_language')}"
        raise UsageError(f"{given} {value!r}: quizgen has no catalogue for it; the known ones are {', '.join(languages())}")


def _report(state: Session, result, out: Path, quiet: bool) -> None:
    for warning in result.warnings:
        echo(f"quizgen: warning: {_quiz_size_origin(state, warning)}{warning}", err=True)

    if not quiet:
        for path in result.written:
            echo(f"wrote {path}")
        for path in result.kept:
            echo(f"updated {display_path(path)} (commit it with the questions: it keeps the Anki notes' stamps)")
    for path in result.sheet_keys:  # said even with --quiet: a teacher file left the folder's top
        code = path.stem.rsplit("-", 1)[-1]
        echo(f"kept {path} (the teacher file of the answer sheets printed with code {code}: quizgen mark --key {out} reads it)")
    for name in result.stale:
        why = result.why.get(name, "its article is gone")
        if name in result.pruned:
            echo(f"removed: {out / name} ({why})")
        elif name in result.edited:
            echo(f"kept: {out / name} ({why}, but changed since quizgen wrote it: delete it yourself if it is not needed)")
        else:
            echo(f"stale: {out / name} ({why}; --prune removes it)")
    articles = len(result.built)
    left_out = (
        f"; left {result.left_out} question{'s' if result.left_out != 1 else ''} out of the quiz so that "
        "none gives another away (quizgen check lists them)" if result.left_out else ""
    )
    echo(
        f"built {len(result.written)} output{'s' if len(result.written) != 1 else ''} of {articles} "
        f"article{'s' if articles != 1 else ''}, skipped {len(result.skipped)} unchanged "
        f"article{'s' if len(result.skipped) != 1 else ''}, into {out}{left_out}"
    )


@contextmanager
def progress(quiet: bool):
    """A progress bar on a terminal, shown once the build has taken more than a second."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    # rich's progress bar: only for a build shown on a terminal
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
    # the PDF printer's finder (Playwright): only with --pdf
    from generator.outputs.pdf import check_available

    return check_available()
