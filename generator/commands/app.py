"""The `quizgen` application: its Typer app and main options, and running it with the README's exit statuses.

Each command lives in its own module of this package and registers itself on `app`; heavy modules
are imported inside the commands, so `quizgen --version` and `--help` stay quick.
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from generator import __version__
from generator.commands.config import read_config
from generator.commands.output import EXIT_CONTENT, EXIT_INTERRUPTED, EXIT_IO, Session, echo, os_error, say, session

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


def _version(value: bool) -> None:
    if value:
        echo(f"quizgen {__version__}")
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
    state = session(ctx)
    state.debug = debug
    if not ctx.resilient_parsing:
        read_config(ctx, state)
        if ctx.invoked_subcommand != "check":  # check reports it with the content's warnings (--strict counts it)
            for warning in state.warnings:
                echo(str(warning), err=True)


def sub_app(name: str, help: str) -> typer.Typer:
    """A group of subcommands (`quizgen NAME ...`), with the main command's help options."""
    sub = typer.Typer(name=name, help=help, no_args_is_help=True, rich_markup_mode=None,
                      context_settings={"help_option_names": ["-h", "--help"]})
    app.add_typer(sub, name=name)
    return sub


def run(args: list[str] | None, state: Session | None = None) -> int:
    """Run the command line; its exit status. Click's usage errors keep Click's status, 2."""
    # Typer's own copy of Click, or Click itself in older Typers: the classes its errors derive from
    click_error: type[Any] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    aborts: tuple[type[BaseException], ...] = tuple(c for c in typer.Abort.__mro__ if c.__name__ == "Abort")
    exits: tuple[type[Any], ...] = tuple(c for c in typer.Exit.__mro__ if c.__name__ == "Exit")
    state = state or Session()
    try:
        status = app(args=args, standalone_mode=False, obj=state)
    except SystemExit as e:  # Click's answer to a closed pipe is a silent exit 1: the README's table says 74
        if isinstance(e.__context__, OSError):
            say(f"quizgen: error: cannot write the output: {os_error(e.__context__, 'standard output')}")
            return EXIT_IO
        raise
    except aborts as e:  # Click's name for Ctrl-C outside a command's own handling
        if isinstance(e.__context__, KeyboardInterrupt):
            raise e.__context__ from None
        say("quizgen: aborted")
        return EXIT_CONTENT
    except click_error as e:
        e.show()
        return e.exit_code
    except exits as e:
        return e.exit_code
    if status == EXIT_INTERRUPTED and not state.interrupt_said:
        # Typer turns a Ctrl-C or SIGTERM outside a command's own handling (while quizgen is still
        # importing what the command needs, say) into a silent status 130: nothing was written yet.
        say("quizgen: interrupted; no output was changed.")
    return status if isinstance(status, int) else 0


@dataclass
class _Exiting:
    status: int | None = None  # set once quizgen knows how it ends
    terminated = False  # a SIGTERM came

    def terminate(self, signum: int, frame: object) -> None:
        """SIGTERM stops the build like Ctrl-C, so that the staged files are removed on the way out."""
        if self.status is not None:  # too late to unwind: everything is done but exiting, as said
            os._exit(self.status or 0)
        self.terminated = True
        raise KeyboardInterrupt


def main(args: list[str] | None = None) -> None:
    """Entry point of the `quizgen` console script: the exit status follows the README's table."""
    exiting = _Exiting()
    signal.signal(signal.SIGTERM, exiting.terminate)
    if sys.stdout is None:  # started with standard output closed: the next file opened would take its place
        say("quizgen: error: standard output is closed; nothing was done")
        sys.exit(EXIT_IO)
    try:
        status = run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, as an I/O fault
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
        say("quizgen: interrupted; no output was changed.")
    except OSError as e:
        status = EXIT_IO
        say(f"quizgen: error: cannot write the output: {os_error(e, 'standard output')}")
    except Exception:
        # The SIGTERM's KeyboardInterrupt, raised inside an import, can come out as another error
        # (CPython's import machinery turned it into "TypeError: expected a message argument" in 1
        # of 12 trials of a CI run): after a SIGTERM, whatever unwinds is the interrupt
        if not exiting.terminated:
            raise
        status = EXIT_INTERRUPTED
        say("quizgen: interrupted; no output was changed.")
    exiting.status = status
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
        if "generator.pipeline.parallel" in sys.modules:  # workers a pool was still starting when interrupted
            sys.modules["generator.pipeline.parallel"].stop_all()
        os._exit(status)
    if hasattr(signal, "pthread_sigmask"):
        # The work is done and the status known. The interpreter's shutdown puts the default
        # handlers back, so a SIGTERM now would kill the process (status -15) after a whole build:
        # held back, it leaves the status above.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    sys.exit(status)


def _silence_stdout() -> None:
    """Drop what could not be written to standard output, so that exiting does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
