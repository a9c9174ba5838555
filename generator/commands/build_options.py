"""The builders' own options of `quizgen build` (Builder.cli_options): Click options made by Typer,
their values kept apart from build's arguments, and each builder's Options made from them."""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from generator.outputs import BuilderRef, Option


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
    elif isinstance(option.default, int) or option.kind == "int":
        kind = int
    elif option.kind == "path":
        kind = Path
    decls = [f"{option.flag}/--no-{option.flag[2:]}"] if option.default is True else [option.flag]
    decls += [option.short] if option.short else []
    info = typer.Option(*decls, help=option.help, metavar=option.metavar, min=option.minimum, max=option.maximum,
                        expose_value=False, callback=_keep)
    annotation = list[kind] | None if option.multiple else kind if option.default is not None else kind | None
    return inspect.Parameter(option.field, inspect.Parameter.KEYWORD_ONLY, default=option.default,
                             annotation=Annotated[annotation, info])


def _choices(option: Option) -> Any:
    """A str Enum of an option's choices: Typer makes it a Click Choice, and quizgen.toml's key a "choice"."""
    return Enum(f"Choice_{option.field}", {c: c for c in option.choices}, type=str)


def plugin_options(refs: dict[str, BuilderRef], values: dict[str, Any]) -> list[object]:
    """Each builder's `Options` made from the values of its own options (builders that have some); one
    object for builders that share their options (the exports)."""
    made: list[object] = []
    for ref in refs.values():
        if ref.options:
            options = ref.make_options({o.field: _plain(values.get(o.field, o.default), o) for o in ref.options})
            if options is not None and options not in made:
                made.append(options)
    return made


def _plain(value: Any, option: Option) -> Any:
    if option.multiple:
        return tuple(v.value if isinstance(v, Enum) else v for v in value or ())
    return value.value if isinstance(value, Enum) else value
