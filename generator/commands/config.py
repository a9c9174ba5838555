"""The project configuration file (quizgen.toml, or [tool.quizgen] in pyproject.toml) as Click's
default_map: the file wins over the defaults, the command line over both."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from generator.commands.output import Session, guard
from generator.errors import ContentError, display_path

# The options a project configuration file may set: the ones people repeat, named as on the command
# line without the dashes. Each key's type and range come from the option itself, and it applies to
# every command that has that option.
CONFIG_KEYS = (
    "content", "out", "deck-parent", "paper", "seed", "versions", "questions", "append-key", "pdf", "answer-sheet",
    "student-digits", "title", "time-allowed", "class-field", "instructions", "points", "ui-language", "host", "port",
    "export", "moodle-categories", "moodle-order", "qti-version",
)


def config_params(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(command path, parameter) for every option of every command that the configuration file may set."""
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):
            yield from config_params(command, path + (name,))
            continue
        for param in command.params:
            if param.name and param.name.replace("_", "-") in CONFIG_KEYS:
                yield path + (name,), param
        for param in command.builder_params(keys=True) if hasattr(command, "builder_params") else ():
            yield path + (name,), param  # a builder's own option (Builder.cli_options) that is a key


# what Click calls its whole-number types: Typer's own copy of Click (0.27 and later) "int" and
# "int range", Click itself "integer" and "integer range"
_WHOLE_NUMBERS = frozenset({"int", "int range", "integer", "integer range"})


def config_spec(param: Any):
    """What a key of the configuration file accepts: what its option accepts (the Click type Typer made
    from the option's annotation: a flag, a choice, a whole number in a range, or text)."""
    # the config file's reader and its keys: not for `quizgen --help`
    from generator.sources.config import Spec

    kind = param.type
    if param.name == "points":
        return Spec("points")
    if getattr(param, "multiple", False):
        return Spec("list")
    if getattr(param, "is_flag", False) or kind.name == "boolean":
        return Spec("bool")
    choices = getattr(kind, "choices", None)
    if choices is not None:  # a str Enum's values (Typer gives Click the values, not the members)
        return Spec("choice", choices=tuple(str(c.value if isinstance(c, Enum) else c) for c in choices))
    if kind.name in _WHOLE_NUMBERS:
        return Spec("int", getattr(kind, "min", None), getattr(kind, "max", None))
    return Spec("str")


def read_config(ctx: typer.Context, state: Session) -> None:
    """Read the configuration file into the Session and Click's default_map."""
    # the kinds' registry and the config file's reader: not for `quizgen --help`
    from generator.kinds import BUILT_IN as KINDS
    from generator.sources.config import find_config, load_config

    if find_config(Path.cwd()) is None:
        return  # most runs: no file, and no need to ask the builders for their options
    params = list(config_params(ctx.command))
    specs: dict[str, Any] = {}
    for _, param in params:
        specs.setdefault(param.name.replace("_", "-"), config_spec(param))
    config = guard(state, lambda: load_config(Path.cwd(), specs, tuple(KINDS)))
    state.problems, state.values, state.warnings = config.problems, config.values, config.warnings
    state.where, state.path = config.where, display_path(config.path) if config.path else None
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


def config_checked(state: Session) -> None:
    """Stop a command that would use a configuration file with problems: report every one."""
    if state.problems:
        raise ContentError(state.problems)


def origin(state: Session, name: str) -> str:
    """Where the current command's option `name` got its value: the command line, the file, or the default."""
    ctx = state.command
    source = getattr(ctx.get_parameter_source(name), "name", None) if ctx is not None else None  # Click's ParameterSource
    if source == "DEFAULT_MAP":
        where = state.where.get(name.replace("_", "-"))
        return f"{state.path}:{where[0]}" if where else str(state.path)
    if source == "COMMANDLINE":
        return "command line"
    if source == "ENVIRONMENT":
        return "environment"
    return "default"
