"""The first code of `quizgen` and `python -m generator`: an interrupt while quizgen still starts.

Importing the command line takes a moment (Typer, Click, pydantic). A SIGTERM in that moment
ended the process by the signal's default action (status -15, not a word), a Ctrl-C with a
traceback of whatever was importing. Until `generator.cli.main` installs its own handlers, both
say one line and exit 130: nothing has been read or written yet. (A signal before the interpreter
runs this module still gets the default action: no program can catch it there.)
"""

from __future__ import annotations

import os
import signal

EXIT_INTERRUPTED = 130
_LINE = b"quizgen: interrupted; no output was changed.\n"


def _starting(signum: int, frame: object) -> None:
    try:
        os.write(2, _LINE)
    except OSError:
        pass
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    """Run the command line, interrupts covered from the first line on.

    A signal the starting program was told to ignore (a background job's Ctrl-C, `nohup`) stays
    ignored."""
    ignored = {s for s in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(s) is signal.SIG_IGN}
    for signum in {signal.SIGINT, signal.SIGTERM} - ignored:
        signal.signal(signum, _starting)
    from generator.cli import main as run

    if signal.SIGINT not in ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the command line's handling from here: KeyboardInterrupt
    run()  # its first line takes SIGTERM over
