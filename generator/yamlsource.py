"""Safe YAML loading that remembers where every key and value stands in the file.

PyYAML's safe loader would lose positions and silently keep the last of two duplicate keys, so we
compose the node graph with it and convert the nodes ourselves.  Plain scalars stay text exactly as
written (`answer: 2008` is the text "2008", `answer: no` the text "no"); only `null`/`~`/empty
become None.  Fields that want a number or a boolean get it from the model's own parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import Problem

MAX_BYTES = 2_000_000  # far beyond any real article or question file
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 64

Path_ = tuple[Any, ...]

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")
}
_NULL = "tag:yaml.org,2002:null"


@dataclass
class Marks:
    """Positions (1-based line, column) of values and of mapping keys, by path into the data."""

    path: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where the value (or with `key`, the key) at `loc` stands; else its nearest known parent."""
        if key and loc in self.keys:
            return self.keys[loc]
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Path_, message: str, *, key: bool = False) -> Problem:
        line, col = self.at(loc, key=key)
        return Problem(self.path, line, col, message)


class _Fail(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file with a byte-order mark dropped and line ends made `\\n`; or a Problem."""
    if len(data) > MAX_BYTES:
        raise _problem_error(path, 1, 1, f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise _problem_error(
            path, line, col, f"file is not UTF-8 text (byte 0x{data[e.start]:02x}); save it as UTF-8"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _problem_error(path: str, line: int, col: int, message: str) -> Exception:
    from generator.errors import ContentError

    return ContentError([Problem(path, line, col, message)])


def load(text: str, path: str, *, line_offset: int = 0) -> tuple[Any, Marks]:
    """Parse one YAML document into plain data and its Marks; raises ContentError."""
    marks = Marks(path)
    try:
        node = _compose(text)
        data = None if node is None else _Converter(marks, line_offset).convert(node, (), 0)
    except yaml.MarkedYAMLError as e:
        raise _problem_error(path, *_syntax(e, line_offset)) from None
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        line, col = 1, 1
        mark = getattr(e, "position", None)
        if mark is not None:
            before = text[:mark]
            line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise _problem_error(path, line + line_offset, col, f"YAML: {_tidy(str(e).splitlines()[0])}") from None
    except RecursionError:
        raise _problem_error(path, *_depth_problem(text, line_offset)) from None
    except _Fail as f:
        raise _problem_error(path, f.line, f.col, f.message) from None
    return data, marks


def _depth_problem(text: str, line_offset: int) -> tuple[int, int, str]:
    """Where YAML nests too deep, found from the parser's events: composing it overflowed the stack.

    The event parser keeps its own stack, so this works at any depth, and it names the same place
    as the converter's own depth check would.
    """
    level = 0
    # the pure-Python parser: libyaml may stop at its own nesting limit before ours
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            level += 1
            depth = level - 1
        elif isinstance(event, yaml.CollectionEndEvent):
            level -= 1
            continue
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            depth = level
        else:
            continue
        if depth > MAX_DEPTH:
            mark = event.start_mark
            return mark.line + 1 + line_offset, mark.column + 1, f"YAML is nested more than {MAX_DEPTH} levels deep"
    return 1 + line_offset, 1, f"YAML is nested more than {MAX_DEPTH} levels deep"


def _compose(text: str) -> yaml.Node | None:
    """The node graph, composed by libyaml when PyYAML has it (ten times faster).

    On a syntax error the pure-Python parser runs again, so that messages and positions are the
    same with or without libyaml.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _syntax(e: yaml.MarkedYAMLError, line_offset: int) -> tuple[int, int, str]:
    """Where a YAML syntax error is and what it is, in one line."""
    mark = e.problem_mark or e.context_mark
    line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
    message = _tidy(e.problem or e.context or "invalid YAML")
    if e.context and e.problem:
        context = _tidy(e.context)
        if context.startswith("while"):
            message += f" {context}"
            if e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
                message += f" that starts at line {e.context_mark.line + 1 + line_offset}"
        else:
            message = f"{context}, {message}"
    if "block" in message:
        message += " (check the indentation)"
    if "'\\t'" in message:
        message += " (indent YAML with spaces, not tabs)"
    return line, col, f"YAML syntax: {message}"


def _tidy(message: str) -> str:
    return message.replace("\n", " ").strip()


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tag '{shown}' is not allowed: write plain text, lists and mappings"


class _Converter:
    def __init__(self, marks: Marks, line_offset: int) -> None:
        self.marks = marks
        self.line_offset = line_offset
        self.count = 0

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def convert(self, node: yaml.Node, loc: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Fail(*self.pos(node), f"YAML expands to more than {MAX_NODES:,} values (aliases?)")
        if depth > MAX_DEPTH:
            raise _Fail(*self.pos(node), f"YAML is nested more than {MAX_DEPTH} levels deep")
        self.marks.values[loc] = self.pos(node)
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SAFE_TAGS:
                raise _Fail(*self.pos(node), _tag_message(node.tag))
            if node.tag == _NULL and node.style is None:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _Fail(*self.pos(node), _tag_message(node.tag))
            return [self.convert(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag != "tag:yaml.org,2002:map":
            raise _Fail(*self.pos(node), _tag_message(node.tag))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Fail(*self.pos(key_node), "keys must be plain words (merge keys and complex keys are not supported)")
            key = key_node.value
            if key in result:
                line, _ = self.marks.keys[(*loc, key)]
                raise _Fail(*self.pos(key_node), f"duplicate key '{key}' (first at line {line})")
            self.marks.keys[(*loc, key)] = self.pos(key_node)
            result[key] = self.convert(value_node, (*loc, key), depth + 1)
        return result
