"""The problems quizgen reports about content, and the one exception that carries them.

A problem is an error (the content cannot be used) or a warning (it can, but an author should look:
a question that gives another's answer away, say). Later checks add warnings the same way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    """One user mistake or doubtful spot, located in a file (line and column are 1-based).

    A named tuple (immutable, ordered and hashed field by field, as a frozen ordered dataclass
    is): a large library's `check` makes tens of thousands, made and hashed three times quicker."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    """The order of problems (file, line, column, message), as a plain tuple: a problem's own order."""
    return (problem.path, problem.line, problem.col, problem.message, problem.severity)


def count_line(problems: list[Problem] | None = None, *, errors: int = 0, warnings: int = 0) -> str:
    """The last line of a report: how many errors ("problems") and warnings were found, in
    `problems` or as counted."""
    if problems is not None:
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
    parts = [f"{errors} problem{'s' if errors != 1 else ''}"] if errors or not warnings else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return " and ".join(parts) + " found."


class ContentError(Exception):
    """The content has problems; `problems` lists every one of them (and any warnings found too)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=sort_key)  # by file, line, column, message; each once
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, resolved: Path | None = None) -> str:
    """The path as the user should read it: relative to the working folder when inside it
    (`resolved`: `path.resolve()`, when the caller has it)."""
    try:  # without following a link at the end (nor failing on a loop of links): a problem is about the link
        shown = os.path.relpath(os.path.abspath(path), os.getcwd())
        if not shown.startswith(".."):
            return shown
        return str((resolved or path.resolve()).relative_to(os.getcwd()))  # the working folder as getcwd gives it has no links
    except (ValueError, OSError, RuntimeError):
        return str(path)


def display_in(shown_folder: str, name: str) -> str:
    """`display_path(folder / name)` from `display_path(folder)`, for a file named in the folder: each
    `display_path` of a folder outside the working one resolves it, component by component (24 µs), and
    an article's files share theirs. (Its last component is not followed when it is a link, as inside
    the working folder: a problem is about the link.)"""
    return name if shown_folder == "." else os.path.join(shown_folder, name)


class UsageError(Exception):
    """A mistake in how quizgen was called (an option or environment variable), not in the content."""


class EnvironmentFault(Exception):
    """The computer would not let quizgen read or write a file (read-only, full, unreadable, gone).

    Not a mistake in the content nor a bug: one plain line naming the path says what to fix.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: {reason}")


def printable(text: str) -> str:
    """Text safe to print: bytes that are not UTF-8 (in file names) and control characters escaped."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text if text.isprintable() else repr(text)[1:-1]


class Interrupted(KeyboardInterrupt):
    """An interrupt (Ctrl-C, SIGTERM) that came when the outputs were already written: it says so."""


_CONTROLS: re.Pattern[str] | None = None


def escape_controls(text: str) -> str:
    """`text` with control characters (but line ends and tabs) and bidirectional overrides escaped
    as \\xNN or \\uNNNN, so that printing it cannot drive a terminal nor reorder what it shows."""
    global _CONTROLS
    if _CONTROLS is None:
        _CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
    if text.isascii() and text.isprintable():
        return text
    return _CONTROLS.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
