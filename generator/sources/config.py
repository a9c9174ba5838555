"""The project configuration file: `quizgen.toml`, or `[tool.quizgen]` in `pyproject.toml`.

Read from the current folder; `quizgen.toml` wins when both are there (pyproject.toml is then not
read for quizgen, and a warning at its [tool.quizgen] table says so). Its keys are the command-line options people repeat, spelt as the options
without their dashes (`deck-parent = "News"`); `cli.py` derives each key's type from the option
itself, so the file and the command line cannot drift apart. Every problem is reported at once
as path:line:col, at the key (unknown key) or at the value (wrong type, bad value).

tomllib keeps no positions; a small scan of the text finds the line and column of each key and
value (bare and dotted keys, table headers and one-line inline tables: what such a file holds).
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Problem, display_path
from generator.sources.userfiles import MAX_DEPTH, Refused, depth, read_bytes

CONFIG_FILE = "quizgen.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Spec:
    """What one key accepts: `kind` is bool, int, str, choice, list (of strings) or points (a table of kind = points)."""

    kind: str
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()

    def check(self, value: Any) -> str | None:
        """Why `value` is not accepted, or None."""
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"must be true or false, not {_shown(value)}"
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"must be a whole number, not {_shown(value)}"
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                return f"must be from {self.low} to {self.high}, not {value}" if self.high is not None else \
                    f"must be at least {self.low}, not {value}"
            return None
        if self.kind == "list":
            return _check_names(value)
        if not isinstance(value, str):
            return f"must be a string, not {_shown(value)}"
        if not value.strip():
            return "is empty; leave the key out for the default"
        if self.kind == "choice" and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}, not {value!r}{_hint(value, self.choices)}"
        return None


@dataclass
class Config:
    """The settings found in the file, by key, and the problems found in it."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # the file that is not read, when there are two
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # line and column of each key read


def _check_names(value: Any) -> str | None:
    """Why a list key's value (`export = ["moodle"]`) is not a list of names, or None."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return f"must be a list of names, e.g. [\"moodle\", \"gift\"], not {_shown(value)}"
    return None


def _shown(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a decimal number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _hint(key: str, known: Any) -> str:
    close = difflib.get_close_matches(key.replace("_", "-"), list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def find_config(folder: Path) -> tuple[Path, tuple[str, ...]] | None:
    """The configuration file of `folder` and the table its settings are in, or None."""
    own = folder / CONFIG_FILE
    if own.is_file():
        return own, ()
    if _tool_table(folder / PYPROJECT) is not None:
        return folder / PYPROJECT, ("tool", "quizgen")
    return None


def _tool_table(pyproject: Path) -> tuple[int, int] | None:
    """Line and column where `pyproject.toml` starts quizgen's settings ([tool.quizgen]), or None."""
    if not pyproject.is_file():
        return None
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r"^([ \t]*)\[\s*tool\s*\.\s*quizgen\s*[\].]", text, re.M) or re.search(r"^([ \t]*)tool\s*\.\s*quizgen\s*\.", text, re.M)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, len(found[1]) + 1


def _ignored(folder: Path, used: Path) -> list[Problem]:
    """A warning at pyproject.toml's [tool.quizgen] when quizgen.toml is there too and wins."""
    where = _tool_table(folder / PYPROJECT) if used.name == CONFIG_FILE else None
    if where is None:
        return []
    return [Problem(
        display_path(folder / PYPROJECT), *where,
        f"[tool.quizgen] is ignored: {display_path(used)} is there too, and quizgen reads only that one; "
        f"move these settings into {used.name} and delete this table",
        "warning",
    )]


def load_config(folder: Path, specs: Mapping[str, Spec], points_kinds: tuple[str, ...]) -> Config:
    """Read and check the configuration file of `folder` (an empty Config when there is none)."""
    found = find_config(folder)
    if found is None:
        return Config()
    path, prefix = found
    shown = display_path(path)
    config = Config(path=path, warnings=_ignored(folder, path))
    try:  # bounded, a regular file (generator/sources/userfiles.py); a byte-order mark is allowed
        text = read_bytes(path, 1_000_000).decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        config.problems.append(Problem(shown, 1, 1, f"is not UTF-8 text ({e.reason})"))
        return config
    except Refused as e:
        config.problems.append(Problem(shown, 1, 1, str(e).split(": ", 1)[-1]))
        return config
    if depth(text, toml=True) > MAX_DEPTH:
        config.problems.append(Problem(shown, 1, 1, f"is nested more than {MAX_DEPTH} levels deep"))
        return config
    if sys.version_info >= (3, 11):  # imported here: most runs find no configuration file
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        line, col = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(e))
        config.problems.append(Problem(shown, line, col, f"not valid TOML: {message}"))
        return config
    table: Any = data
    for part in prefix:
        table = table.get(part, {}) if isinstance(table, dict) else {}
    positions = scan_positions(text)

    def at(keys: tuple[str, ...], value: bool, message: str) -> None:
        line, col = locate(positions, prefix + keys, value)
        config.problems.append(Problem(shown, line, col, message))

    label = ".".join(prefix)
    if not isinstance(table, dict):
        at((), True, f"{label} must be a table")
        return config
    for key, value in table.items():
        config.where[key] = locate(positions, prefix + (key,), False)
        spec = specs.get(key)
        if spec is None:
            at((key,), False, f"unknown key '{key}'" + (_hint(key, specs) or f"; the keys are {', '.join(sorted(specs))}"))
        elif spec.kind == "points":
            points = _check_points(value, (key,), points_kinds, at)
            if points is not None:
                config.values[key] = points
        elif (why := spec.check(value)) is not None:
            at((key,), True, f"{key} {why}")
        else:
            config.values[key] = value
    return config


def _check_points(value: Any, keys: tuple[str, ...], kinds: tuple[str, ...], at) -> list[str] | None:
    """`points = { qa = 3 }` as the command line's ['qa=3'], or None after reporting its problems."""
    if not isinstance(value, dict):
        at(keys, True, f"{keys[-1]} must be a table of kind = points, e.g. {{ qa = 3 }}, not {_shown(value)}")
        return None
    result, good = [], True
    for kind, number in value.items():
        if kind not in kinds:
            at(keys + (kind,), False, f"unknown kind '{kind}' in {keys[-1]}" + (_hint(kind, kinds) or f"; the kinds are {', '.join(kinds)}"))
            good = False
        elif (why := Spec("int", 1, 100).check(number)) is not None:
            at(keys + (kind,), True, f"{keys[-1]}.{kind} {why}")
            good = False
        else:
            result.append(f"{kind}={number}")
    return result if good else None


# -- positions ---------------------------------------------------------------------------------

_BARE = r"[A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*'"
_DOTTED = rf"(?:{_BARE})(?:\s*\.\s*(?:{_BARE}))*"
# compiled on first use (re caches them), not at import: most runs have no configuration file
_HEADER = rf"\s*\[\[?\s*({_DOTTED})\s*\]\]?"
_KEY = rf"\s*({_DOTTED})\s*=\s*"
_INLINE_KEY = rf"[{{,]\s*({_DOTTED})\s*=\s*"

Positions = dict[tuple[str, ...], tuple[int, int, int]]  # keys: (line, column of the key, of the value)


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_BARE, dotted))


def scan_positions(text: str) -> Positions:
    """Where each key of the TOML text is: header tables, `key = value` lines, one-line inline tables."""
    positions: Positions = {}
    table: tuple[str, ...] = ()
    closing: str | None = None  # the quotes that end the multi-line string being skipped
    for number, line in enumerate(text.splitlines(), start=1):
        if closing is not None:
            if closing in line:
                closing = None
            continue
        if header := re.match(_HEADER, line):
            table = _split(header[1])
            positions.setdefault(table, (number, header.start(1) + 1, header.start(1) + 1))
            continue
        key = re.match(_KEY, line)
        if not key:
            continue
        keys = table + _split(key[1])
        positions.setdefault(keys, (number, key.start(1) + 1, key.end() + 1))
        rest = line[key.end():]
        for quotes in ('"""', "'''"):
            if rest.startswith(quotes) and rest.count(quotes) == 1:
                closing = quotes
        if rest.startswith("{"):
            for inner in re.compile(_INLINE_KEY).finditer(line, key.end()):
                positions.setdefault(keys + _split(inner[1]), (number, inner.start(1) + 1, inner.end() + 1))
    return positions


def locate(positions: Positions, keys: tuple[str, ...], value: bool) -> tuple[int, int]:
    """Line and column of a key (or of its value), else of the nearest enclosing key found."""
    while keys:
        if keys in positions:
            line, key_col, value_col = positions[keys]
            return line, value_col if value else key_col
        keys = keys[:-1]
    return 1, 1
