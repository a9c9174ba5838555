"""Reading question files: YAML into schema-checked entries, with templates expanded by row."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import ValidationError

from generator.errors import ContentError, Problem
from generator.kinds.registry import REGISTRY
from generator.pipeline.lockfile import valid_deck_name
from generator.sources import placeholders, schema_errors, yamlsource
from generator.sources.patterns import ROW_KEYS, PatternError
from generator.sources.schema import FileDefaults, Row, _Question


@dataclass(slots=True)  # one for every question: quicker made and read with slots
class Entry:
    """One question as written (a template row already expanded), and where its parts stand."""

    model: _Question
    path: str
    marks: yamlsource.Marks
    base: tuple[Any, ...]  # the question's path in the file
    row_base: tuple[Any, ...] | None = None  # the row's path, for a template row
    template: str | None = None
    row: str | None = None
    unknown_keys: frozenset[str] = frozenset()  # reported already; the model was checked without them
    row_allow: int | None = None  # for a row with its own `allow`: where its names start in the question's
    place: tuple[int, int] | None = None  # at(): found with the file's other questions (Marks.at_each)

    def at(self, loc: tuple[Any, ...] = (), *, key: bool = False) -> tuple[int, int]:
        """Line and column of a part of this question (a row's own keys point into the row)."""
        if not loc and self.place is not None:
            return self.place
        if self.row_base is not None:
            if not loc:
                return self.marks.at(self.row_base)
            own = self._in_row(self.row_base, loc)
            if own is not None:
                return self.marks.at((*self.row_base, *own), key=key)
        return self.marks.at((*self.base, *loc), key=key)

    def _in_row(self, row_base: tuple[Any, ...], loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """Where a part of this question stands in its row, when the row gives it; else None."""
        if loc[0] in (*ROW_KEYS, "id") and self.marks.has((*row_base, loc[0])):
            return loc
        if loc[0] == "allow" and self.row_allow is not None:  # the row's names follow the template's
            if len(loc) == 1:
                return loc
            if loc[1] >= self.row_allow:
                return ("allow", loc[1] - self.row_allow, *loc[2:])
        return None

    def problem(self, loc: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
        line, col = self.at(loc, key=key)
        return Problem(self.path, line, col, message)


@dataclass(frozen=True)
class Unbuilt:
    """The id of a question, or of a template's row, that a problem kept from becoming an entry, as
    written and where: an id used twice is reported whatever else is wrong (validate.py)."""

    id: str
    path: str
    line: int
    col: int


@dataclass
class QuestionFile:
    """What one question file holds: its questions and its settings for the whole article."""

    path: str
    entries: list[Entry]
    problems: list[Problem]
    unbuilt: list[Unbuilt] = field(default_factory=list)
    marks: yamlsource.Marks | None = None  # where its keys and values stand (None: it is no YAML)
    deck_parent: str | None = None
    deck_parent_at: tuple[int, int] = (1, 1)  # line and column where it is set


FILE_KEYS = ("questions", "deck_parent", "defaults")


def valid_deck_parent(name: str) -> bool:
    """A deck name such as `History::Middle East`: no empty part, no `:::` (an accidental subdeck)."""
    return valid_deck_name(name)


def read_question_file(raw: bytes, shown: str) -> QuestionFile:
    """Every question in the file (its bytes) that passed the schema, and the problems of the others."""
    try:
        data, marks = yamlsource.load(yamlsource.decode(raw, shown), shown)
    except ContentError as e:
        return QuestionFile(shown, [], e.problems)
    found = QuestionFile(shown, [], [], marks=marks)
    problems = found.problems
    if "generator.sources.templates" in sys.modules:  # each file's templates get their own budget of steps
        sys.modules["generator.sources.templates"].new_file()
    if not isinstance(data, dict):
        hint = " (write 'questions:' on the first line and indent the list under it)" if isinstance(data, list) else ""
        problems.append(marks.problem((), f"a question file must be a mapping with the key 'questions', not {schema_errors.describe(data)}{hint}"))
        return found
    for key in data:
        if key not in FILE_KEYS:
            problems.append(marks.problem((key,), f"unknown key '{key}'{schema_errors.suggest(key, FILE_KEYS)}", key=True))
    if "deck_parent" in data:
        parent = data["deck_parent"]
        if not isinstance(parent, str) or not valid_deck_parent(parent):
            problems.append(marks.problem(("deck_parent",), "'deck_parent' must be a deck name such as 'Articles' or 'History::Middle East'"))
        else:
            found.deck_parent = parent.strip()
            found.deck_parent_at = marks.at(("deck_parent",))
    defaults = _defaults(data, marks, problems)
    items = data.get("questions")
    if "questions" not in data:
        problems.append(marks.problem((), "missing required key 'questions'"))
        return found
    if not isinstance(items, list):
        problems.append(marks.problem(("questions",), f"'questions' must be a list, not {schema_errors.describe(items)}"))
        return found
    places = marks.at_each(("questions",), len(items))
    for i, item in enumerate(items):
        if defaults and isinstance(item, dict):  # a question's own value wins
            item = {**{k: v for k, v in defaults.items() if k not in item}, **item}
        entries, more = _read_item(item, shown, marks, ("questions", i), places[i])
        found.entries += entries
        problems += more
        if more:  # a problem may have kept a question or a row from becoming an entry: keep its id
            found.unbuilt += _unbuilt(item, entries, shown, marks, ("questions", i))
    return found


def _unbuilt(item: Any, entries: list[Entry], shown: str, marks: yamlsource.Marks, base: tuple[Any, ...]) -> list[Unbuilt]:
    """The ids, as written, of the question (or its template's rows) that made no entry."""
    qid = item.get("id") if isinstance(item, dict) else None
    if not isinstance(qid, str):
        return []
    rows = item.get("rows")
    if rows is None:
        written = [(qid, (*base, "id"))]
    elif isinstance(rows, list):
        repeated = _repeated_rows(rows, marks, base)[0]  # reported already, as duplicate rows
        written = [(f"{qid}-{row['id']}", (*base, "rows", j, "id")) for j, row in enumerate(rows)
                   if j not in repeated and isinstance(row, dict) and isinstance(row.get("id"), str)]
    else:
        return []
    made = {e.model.id for e in entries}
    return [Unbuilt(i, shown, *marks.at(loc)) for i, loc in written if i not in made]


# What a question takes, while it is checked, for a default that is wrong (reported once, at the
# default): without it every question would also be "missing required key 'tests'", and the problems
# of their own would wait for the default's fix. The file has an error, so nothing is built from it.
_STAND_IN = {"tests": "event"}


def _defaults(data: dict[str, Any], marks: yamlsource.Marks, problems: list[Problem]) -> dict[str, Any]:
    """The file's `defaults`, checked; empty when it has none. A wrong default is reported, and the
    others are kept (a required one gets a stand-in: see _STAND_IN)."""
    if "defaults" not in data:
        return {}
    given = data["defaults"]
    try:
        checked = FileDefaults.model_validate(given)
    except ValidationError as e:
        problems += schema_errors.problems(e, FileDefaults, marks.path, lambda loc, key: marks.at(("defaults", *loc), key=key))
        if not isinstance(given, dict):
            return {}
        wrong = {err["loc"][0] for err in e.errors() if err["loc"]}
        kept = {k: v for k, v in given.items() if k not in wrong and k in FileDefaults.model_fields}
        return {**kept, **{k: v for k, v in _STAND_IN.items() if k in wrong}}
    return {k: given[k] for k in checked.model_fields_set}


def _read_item(item: Any, shown: str, marks: yamlsource.Marks, base: tuple[Any, ...],
               place: tuple[int, int] | None = None) -> tuple[list[Entry], list[Problem]]:
    if not isinstance(item, dict):
        return [], [marks.problem(base, f"each question must be a mapping of keys to values, not {schema_errors.describe(item)}")]
    kind = item.get("kind")
    if "kind" not in item:
        return [], [marks.problem(base, "missing required key 'kind'")]
    if not isinstance(kind, str):
        return [], [marks.problem((*base, "kind"), f"'kind' must be one of {', '.join(REGISTRY)}, not {schema_errors.describe(kind)}")]
    if kind not in REGISTRY:
        hint = schema_errors.suggest(kind, list(REGISTRY))
        return [], [marks.problem((*base, "kind"), f"unknown kind '{kind}'{hint}; the kinds are {', '.join(REGISTRY)}")]
    model = REGISTRY[kind].schema
    entry = Entry(model=None, path=shown, marks=marks, base=base, place=place)  # type: ignore[arg-type]
    repeated, same_ids = _repeated_rows(item["rows"], marks, base) if "rows" in item else (set(), [])  # (most: no rows, no call)
    validated, problems = _validate(model, item, entry)
    problems += same_ids
    if validated is None:
        return [], problems
    entry.unknown_keys = _unknown(model, item)
    if validated.rows is None:
        entry.model = validated
        return [entry], problems
    entries, more = _expand(item, validated, model, shown, marks, base, repeated)
    return entries, problems + more


def _repeated_rows(rows: Any, marks: yamlsource.Marks, base: tuple[Any, ...]) -> tuple[set[int], list[Problem]]:
    """The template's rows whose id an earlier row has (two questions with one id), each reported at its id.

    Found in the rows as written, before the schema and the template are checked, so that no
    other problem of the template or of a row (an empty value, a template that fails) hides it.
    """
    if not isinstance(rows, list):
        return set(), []
    first: dict[str, int] = {}  # each row id, and the row that has it first
    repeated: set[int] = set()
    problems = []
    for j, row in enumerate(rows):
        row_id = row.get("id") if isinstance(row, dict) else None
        if not isinstance(row_id, str):
            continue
        if row_id in first:
            line = marks.at((*base, "rows", first[row_id], "id"))[0]
            problems.append(marks.problem((*base, "rows", j, "id"), f"duplicate row id '{row_id}' in this template (first at line {line})"))
            repeated.add(j)
        else:
            first[row_id] = j
    return repeated, problems


@cache
def _field_names(model: type[_Question]) -> frozenset[str]:
    """The keys a kind's schema knows, as a set (pydantic's `model_fields` is a property, read at some cost)."""
    return frozenset(model.model_fields)


def _unknown(model: type[_Question], data: dict[str, Any]) -> frozenset[str]:
    """The keys of `data` the schema does not know (already reported: the model was checked without them)."""
    known = _field_names(model)
    return frozenset() if known.issuperset(data) else frozenset(data.keys() - known)


def _validate(model: type[_Question], data: dict[str, Any], entry: Entry) -> tuple[_Question | None, list[Problem]]:
    """The schema-checked question; with only unknown keys wrong, also the question without them,
    so that its other rules are checked too and every problem is reported at once."""
    try:
        # the validator itself, not `model_validate` (whose keyword handling costs a third as much again)
        return model.__pydantic_validator__.validate_python(data), []
    except ValidationError as e:
        problems = schema_errors.problems(e, model, entry.path, lambda loc, key: entry.at(loc, key=key))
        unknown = {err["loc"][0] for err in e.errors() if err["type"] == "extra_forbidden" and len(err["loc"]) == 1}
        if len(unknown) != e.error_count():
            return None, problems
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in unknown}), problems
    except ValidationError as e:
        return None, problems + schema_errors.problems(e, model, entry.path, lambda loc, key: entry.at(loc, key=key))


def _expand(
    item: dict[str, Any], validated: _Question, model: type[_Question], shown: str,
    marks: yamlsource.Marks, base: tuple[Any, ...], repeated: set[int],
) -> tuple[list[Entry], list[Problem]]:
    """One entry per row of a template (its schema is already checked), but the rows whose id an
    earlier row has (`repeated`, reported already)."""
    # A template's passage belongs to its rows; one on the pattern is reported and not used.
    pattern = {k: v for k, v in item.items() if k not in ("rows", "passage", "group")}
    fields, errors = placeholders.compile_pattern(pattern)
    problems = [marks.problem((*base, *e.path), e.message) for e in errors]
    if problems:
        return [], problems
    if "passage" in item:
        problems.append(marks.problem((*base, "passage"), "a template has no 'passage' of its own; give each row its own", key=True))
    if "group" in item:
        problems.append(marks.problem((*base, "group"), "a template's rows test different facts, so a template has no 'group'; give 'group' to the rows that need one", key=True))
    needed = set().union(*(f.names for f in fields)) if fields else set()
    if not needed:
        problems.append(marks.problem((*base, "rows"), "template has rows but no placeholder such as {{ name }} in its texts", key=True))
    entries: list[Entry] = []
    rows: list[Row] = validated.rows or []
    places = marks.at_each((*base, "rows"), len(rows))
    for j, row in enumerate(rows):
        row_base = (*base, "rows", j)
        if j in repeated:
            continue
        more = _row_values(row, needed, marks, row_base)
        problems += more
        if more and not needed.issubset(row.values):
            continue
        try:
            data = placeholders.render(pattern, fields, dict(row.values))
        except PatternError as e:
            problems.append(marks.problem((*base, *e.path), e.message))
            break  # the same template fails for every row
        entry, more = _row_entry(data, validated, row, model, shown, marks, base, row_base)
        problems += more
        if entry is not None:
            entry.place = places[j]
            entries.append(entry)
    return entries, problems


def _row_values(row: Row, needed: set[str], marks: yamlsource.Marks, row_base: tuple[Any, ...]) -> list[Problem]:
    """A row's values against the template's placeholders: each one missing, each one unused."""
    problems = []
    for name in sorted(needed - set(row.values)):
        at = (*row_base, "values") if marks.has((*row_base, "values")) else row_base
        problems.append(marks.problem(at, f"row '{row.id}' has no value for placeholder '{name}'"))
    for name in sorted(set(row.values) - needed):
        problems.append(marks.problem((*row_base, "values", name), f"value '{name}' is not used by any placeholder of the template", key=True))
    return problems


def _row_entry(
    data: dict[str, Any], validated: _Question, row: Row, model: type[_Question], shown: str,
    marks: yamlsource.Marks, base: tuple[Any, ...], row_base: tuple[Any, ...],
) -> tuple[Entry | None, list[Problem]]:
    """The question a template's row makes, schema-checked."""
    data["id"] = f"{validated.id}-{row.id}"
    for key in ROW_KEYS:
        if getattr(row, key) is not None:
            data[key] = getattr(row, key)
    row_allow = None
    if row.allow:  # a row's `allow` adds to the template's, as the row adds to the template
        row_allow = len(validated.allow)
        data["allow"] = [*validated.allow, *row.allow]
    entry = Entry(model=None, path=shown, marks=marks, base=base, row_base=row_base, template=validated.id, row=row.id,  # type: ignore[arg-type]
                  unknown_keys=_unknown(model, data), row_allow=row_allow)
    validated_row, problems = _validate(model, data, entry)
    if validated_row is None:
        return None, problems
    entry.model = validated_row
    return entry, problems
