"""Safe YAML loading that remembers where every key and value stands in the file.

PyYAML's safe loader would lose positions and silently keep the last of two duplicate keys, so we
compose the node graph with it and convert the nodes ourselves.  Plain scalars stay text exactly as
written (`answer: 2008` is the text "2008", `answer: no` the text "no"); only `null`/`~`/empty
become None.  Fields that want a number or a boolean get it from the model's own parsing.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import ContentError, Problem
from generator.sources.inputs import MAX_BYTES  # far beyond any real article or question file
from generator.sources.yaml_compose import MAP, SEQ, STR, Alias, compose, compose_aliases, may_alias
from generator.sources.yaml_syntax import depth_problem, syntax, tidy
from generator.unicode_forms import XML_CONTROLS

MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 64
MAX_TEXT = 20_000  # characters of one value
MAX_CHARS = 2_000_000  # characters of all values, counted again each time an alias repeats them
# what only an escape can put in a text (YAML refuses them written out): half a surrogate pair, or a control
# character other than tab and line ends, which no output can show (an XML file holding one is not XML at all)
_NOT_TEXT = re.compile(f"[{XML_CONTROLS}\x7f\ud800-\udfff\ufffe\uffff]")

Path_ = tuple[Any, ...]

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp")
}
_NULL = "tag:yaml.org,2002:null"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_NULL_SIZE = max(map(len, _NULLS))


@dataclass
class Marks:
    """Where the keys and values of a parsed file stand, found on demand in its YAML nodes.

    Positions are looked up only when a problem is reported, so a good file costs nothing here.
    """

    path: str
    root: yaml.Node | None = None
    line_offset: int = 0
    text: str = ""  # the YAML, composed again with its aliases' own positions when a problem needs them
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict)
    _aliased: yaml.Node | None | bool = False  # that graph once made (False: not yet)

    def _pairs(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's key and value nodes by key, indexed once: many problems cost one pass."""
        if id(node) not in self._keys:
            index: dict[str, tuple[yaml.Node, yaml.Node]] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))
            self._keys[id(node)] = index
        return self._keys[id(node)]

    def _graph(self) -> yaml.Node | None:
        """The node graph in which every alias (`*name`) is a node of its own at the alias's place.

        libyaml (and PyYAML) give an alias the very node of its anchor, so a value wrong where an
        alias stands would be reported at the anchor, where it may be right; this graph, composed
        only for a file with aliases and only when a problem is placed, reports it at the alias.
        """
        if self._aliased is False:
            self._aliased = self.root
            if self.may_alias():
                try:
                    self._aliased = compose_aliases(self.text)
                except yaml.YAMLError:  # the pure-Python parser stops where libyaml did not: anchors' places, then
                    pass
        return self._aliased  # type: ignore[return-value]

    def may_alias(self) -> bool:
        """Whether the file may hold an alias (yaml_compose.may_alias)."""
        return may_alias(self.text)

    def alias_note(self, line: int, col: int) -> str:
        """For a problem placed at an alias, where the value it stands for is; "" for any other place."""
        places = self._alias_places()
        if (line, col) not in places:
            return ""
        name, anchor_line = places[line, col]
        return f" (the alias *{name} stands for the value at line {anchor_line})"

    def _alias_places(self) -> dict[tuple[int, int], tuple[str, int]]:
        """Each alias's line and column, with its anchor's name and line."""
        found: dict[tuple[int, int], tuple[str, int]] = {}
        stack, seen = [self._graph()], set()
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, Alias):
                found[self.at_node(node)] = node.name, self.at_node(node.node)[0]
            elif isinstance(node, yaml.SequenceNode):
                stack += node.value
            elif isinstance(node, yaml.MappingNode):
                stack += [n for pair in node.value for n in pair]
        return found

    def _find(self, loc: Path_) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
        """(the deepest node on the way to `loc`, the key node before it, whether `loc` was reached);
        on a way through an alias, the first alias instead of both: the place its value was put."""
        node, key_node = self._graph(), None
        alias: Alias | None = None
        reached = True
        for part in loc:
            if isinstance(node, Alias):
                alias, node = alias or node, node.node
            if isinstance(node, yaml.MappingNode):
                found = self._pairs(node).get(part) if isinstance(part, str) else None
                if found is None:
                    reached = False
                    break
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                reached = False
                break
        if alias is None:  # the value may be an alias itself; its key is the mapping's own
            return node, key_node, reached
        return alias, None, reached

    def has(self, loc: Path_) -> bool:
        return self._find(loc)[2]

    def at(self, loc: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where the value (or with `key`, the key) at `loc` stands; else its nearest known parent."""
        node, key_node, reached = self._find(tuple(loc))
        if key and reached and key_node is not None:
            node = key_node
        return self.at_node(node)

    def at_each(self, loc: Path_, count: int) -> list[tuple[int, int]]:
        """`[self.at((*loc, i)) for i in range(count)]`, the list at `loc` found once, not once an item."""
        node, _, reached = self._find(tuple(loc))
        if reached and node.__class__ is yaml.SequenceNode and len(node.value) == count:  # (an Alias goes the long way)
            return [self.at_node(item) for item in node.value]
        return [self.at((*loc, i)) for i in range(count)]

    def at_node(self, node: yaml.Node | None) -> tuple[int, int]:
        if node is None:
            return 1 + self.line_offset, 1
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

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
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # (one search, not two)


def _utf8(text: str) -> bytes | None:
    """The text in UTF-8, which libyaml reads; None when it holds a character of U+D800..U+DFFF, the
    only ones UTF-8 cannot encode (a tenth of the time of searching for them with a regular expression)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _problem_error(path: str, line: int, col: int, message: str) -> Exception:
    return ContentError([Problem(path, line, col, message)])


def load(text: str, path: str, *, line_offset: int = 0) -> tuple[Any, Marks]:
    """Parse one YAML document into plain data and its Marks; raises ContentError."""
    try:
        encoded = _utf8(text)  # encoded once: for libyaml, and to see half a surrogate pair
        node = compose(text, encoded)
        marks = Marks(path, node, line_offset, text)
        # half a surrogate pair or a control character comes from an escape, or (the pair) from a text
        # that was not decoded from UTF-8
        surrogates = "\\" in text or encoded is None
        data = None if node is None else _convert(node, line_offset, surrogates, text)
    except yaml.MarkedYAMLError as e:
        raise _problem_error(path, *syntax(e, line_offset, text)) from None
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        line, col = 1, 1
        mark = getattr(e, "position", None)
        if mark is not None:
            before = text[:mark]
            line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise _problem_error(path, line + line_offset, col, f"YAML: {tidy(str(e).splitlines()[0])}") from None
    except RecursionError:
        raise _problem_error(path, *depth_problem(text, line_offset, MAX_DEPTH)) from None
    except _Fail as f:
        raise _problem_error(path, f.line, f.col, f.message) from None
    return data, marks


def _convert(node: yaml.Node, line_offset: int, surrogates: bool, text: str) -> Any:
    """The node graph's data: by _quick when nothing in it needs a look (most files), else by _Converter.
    Without an alias (no '&' or '*') no value is converted twice: all are about as long as the text at most."""
    if not surrogates and len(text) <= MAX_CHARS // 4 and not ("&" in text and "*" in text):
        visits = [1]  # the values converted, as _Converter counts them
        with contextlib.suppress(_Unusual):
            data = _quick(node, 0, visits)
            if visits[0] <= MAX_NODES:
                return data
    return _Converter(line_offset, surrogates=surrogates).convert(node, 0)


class _Unusual(Exception):
    """What _quick leaves to _Converter: a tag, a key not a plain text or twice, a limit, a text at the top."""


def _quick(node: yaml.Node, depth: int, visits: list[int]) -> Any:
    """_Converter's data of a list or mapping of untagged lists, mappings and texts within the limits
    (its keys plain texts, once each), at a call a list or mapping, not two a value; raises _Unusual
    for anything else (_Converter then finds it and says what it is)."""
    if depth >= MAX_DEPTH:  # its values would be deeper than that
        raise _Unusual
    if node.__class__ is _MAPPING and node.tag == MAP:
        return _quick_mapping(node.value, depth + 1, visits)
    if node.__class__ is _SEQUENCE and node.tag == SEQ:
        visits[0] += len(node.value)
        items = []
        for v in node.value:  # a text taken here (most values), as in _quick_mapping
            if v.__class__ is _SCALAR and v.tag == STR:
                value = v.value
                size = len(value)
                if size > MAX_TEXT:
                    raise _Unusual
                items.append(None if size <= _NULL_SIZE and not v.style and value in _NULLS else value)
            else:
                items.append(_quick(v, depth + 1, visits))
        return items
    raise _Unusual


def _quick_mapping(pairs: list[tuple[yaml.Node, yaml.Node]], depth: int, visits: list[int]) -> dict[str, Any]:
    """A mapping's data for _quick; its values at `depth`."""
    visits[0] += len(pairs)
    data: dict[str, Any] = {}
    for k, v in pairs:
        key = k.value
        if k.__class__ is not _SCALAR or k.tag != STR or len(key) > MAX_TEXT or (not k.style and (key in _NULLS or key == "<<")):
            raise _Unusual
        if v.__class__ is _SCALAR and v.tag == STR:  # a text (most values): taken here, without a call
            value = v.value
            size = len(value)
            if size > MAX_TEXT:
                raise _Unusual
            # a plain null; a longer text is none, and is not hashed to see it
            data[key] = None if size <= _NULL_SIZE and not v.style and value in _NULLS else value
        else:
            data[key] = _quick(v, depth, visits)
    if len(data) < len(pairs):  # a key twice
        raise _Unusual
    return data


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tag '{shown}' is not allowed: write plain text, lists and mappings"


def _not_text(char: str) -> str:
    code = ord(char)
    if code == 0:
        return "text holds a NUL character (an escape such as \"\\0\"); remove it"
    if 0xD800 <= code <= 0xDFFF:
        return f"text holds U+{code:04X}, which is not a character (an escape of half a surrogate pair); remove it"
    if code >= 0xFFFE:
        return f"text holds U+{code:04X}, which is not a character (an escape such as \"\\u{code:04X}\"); remove it"
    return (f"text holds the control character U+{code:04X} (an escape such as \"\\x{code:02x}\"), which no output can "
            "show, and which makes Moodle's and QTI's XML files unreadable; remove it (\"\\n\" and \"\\t\" are fine)")


class _Converter:
    """Plain data from a node graph, in one pass, with every limit checked node by node.

    `surrogates`: whether the text has escapes that could make half a surrogate pair or a control
    character (`\\u`, `\\x`, `\\e`, ...); without one no value can hold one, and the search is skipped.
    """

    def __init__(self, line_offset: int, *, surrogates: bool = True) -> None:
        self.line_offset = line_offset
        self.count = 0
        self.chars = 0
        self.surrogates = surrogates

    def text(self, node: yaml.ScalarNode) -> str | None:
        """A scalar's text: None for a plain null (libyaml marks plain scalars with the style '')."""
        value = node.value
        if not node.style and value in _NULLS:
            return None
        if self.surrogates:
            bad = _NOT_TEXT.search(value)
            if bad:
                raise _Fail(*self.pos(node), _not_text(bad.group()))
        size = len(value)
        if size > MAX_TEXT:
            raise _Fail(*self.pos(node), f"text is {size:,} characters long; the limit is {MAX_TEXT:,}")
        self.chars += size
        if self.chars > MAX_CHARS:
            raise _Fail(*self.pos(node), f"YAML expands to more than {MAX_CHARS:,} characters (aliases?)")
        return value

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def convert(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Fail(*self.pos(node), f"YAML expands to more than {MAX_NODES:,} values (aliases?)")
        if depth > MAX_DEPTH:
            raise _Fail(*self.pos(node), f"YAML is nested more than {MAX_DEPTH} levels deep")
        tag = node.tag
        cls = node.__class__
        if tag == STR and cls is _SCALAR:
            return self.text(node)  # type: ignore[arg-type]
        if tag == SEQ and cls is _SEQUENCE:
            child, deeper = self.child, depth + 1
            return [child(item, deeper) for item in node.value]
        if tag == MAP and cls is _MAPPING:
            return self.mapping(node, depth)  # type: ignore[arg-type]
        if cls is _SCALAR and tag in _SAFE_TAGS:  # an explicit !!int, !!null, ...
            return None if tag == _NULL else self.text(node)  # type: ignore[arg-type]
        if tag in (STR, SEQ, MAP):  # !!str on a list, !!map on a text ...
            raise _Fail(*self.pos(node), _misplaced_tag_message(tag, cls))
        raise _Fail(*self.pos(node), _tag_message(tag))

    def child(self, node: yaml.Node, depth: int) -> Any:
        """`convert`, with a plain text's checks done here: most values are plain texts."""
        if node.__class__ is _SCALAR and node.tag == STR and depth <= MAX_DEPTH and self.count < MAX_NODES:
            self.count += 1
            return self.text(node)
        return self.convert(node, depth)

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        text, child, deeper = self.text, self.child, depth + 1
        for key_node, value_node in node.value:
            if key_node.__class__ is not _SCALAR or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Fail(*self.pos(key_node), "keys must be plain words (merge keys and complex keys are not supported)")
            key = text(key_node) or ""
            if key == "<<" and not key_node.style:  # quizgen's resolver reads it as text: say what YAML meant
                raise _Fail(*self.pos(key_node), "merge keys ('<<') are not supported: write the keys out (a question "
                                                 "file's 'defaults:' gives every question the values they share)")
            if key in result:
                first = next(k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == key)
                raise _Fail(*self.pos(key_node), f"duplicate key '{key}' (first at line {self.pos(first)[0]})")
            result[key] = child(value_node, deeper)
        return result


_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


def _misplaced_tag_message(tag: str, cls: type) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    what = {_SCALAR: "a text", _SEQUENCE: "a list", _MAPPING: "a mapping"}.get(cls, "this value")
    return f"YAML tag '{shown}' cannot stand before {what}: write plain text, lists and mappings without tags"
