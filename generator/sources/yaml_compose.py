"""Composing YAML into a node graph: by libyaml when PyYAML has it, else (and on an error, for the
same messages) by the pure-Python parser; and, for placing problems, a graph in which each alias is
a node of its own at its place. Neither guesses types: every untagged scalar is text."""

from __future__ import annotations

import operator
import re

import yaml

STR, SEQ, MAP = ("tag:yaml.org,2002:" + t for t in ("str", "seq", "map"))
# an anchor and an alias where a value starts (see may_alias)
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},]")


def _plain_resolve(self: object, kind: type, value: str, implicit: object) -> str:
    """Every untagged scalar is text: quizgen reads `2008`, `yes` and `~` as written (nulls apart)."""
    return STR if kind is yaml.ScalarNode else SEQ if kind is yaml.SequenceNode else MAP


# No node's path followed: PyYAML's resolver does it for path resolvers, and quizgen adds none. The
# composer calls both for every node, so each is a C function that does nothing of use (operator.is_
# takes any parent and index, tuple() returns the empty tuple): a Python function was two calls a node.
_PLAIN = {"resolve": _plain_resolve, "descend_resolver": staticmethod(operator.is_), "ascend_resolver": staticmethod(tuple)}
_PlainLoader = type("_PlainLoader", (yaml.SafeLoader,), _PLAIN)


class Alias(yaml.Node):
    """An alias where it stands (for Marks only): its anchor's node is `node`, its name `name`."""

    def __init__(self, node: yaml.Node, event: yaml.AliasEvent) -> None:
        # (the stubs type a mark as either parser's; this one is the Python parser's)
        super().__init__(node.tag, node.value, event.start_mark, event.end_mark)  # type: ignore[arg-type]
        self.node, self.name = node, event.anchor or ""


def _compose_alias(self: yaml.SafeLoader, parent: yaml.Node | None, index: object) -> yaml.Node | None:
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        if event.anchor in self.anchors:  # else PyYAML's own error: an undefined alias
            self.get_event()
            return Alias(self.anchors[event.anchor], event)
    return yaml.composer.Composer.compose_node(self, parent, index)  # type: ignore[arg-type]


_AliasLoader = type("_AliasLoader", (_PlainLoader,), {"compose_node": _compose_alias})


def may_alias(text: str) -> bool:
    """Whether a YAML text may hold an alias: an anchor (`&name`) and an alias (`*name`) where a value
    starts; any other `*` ("**bold**" in a text) is left to the check of the anchor."""
    return "*" in text and "&" in text and bool(_ANCHOR.search(text) and _ALIAS.search(text))


def compose_aliases(text: str) -> yaml.Node | None:
    """The node graph, composed by the pure-Python parser, with each alias an Alias at its own place
    (for Marks, to place a problem of a value where the alias put it); raises yaml.YAMLError."""
    return yaml.compose(text, Loader=_AliasLoader)
_FastLoader = type("_FastLoader", (yaml.CSafeLoader,), _PLAIN) if hasattr(yaml, "CSafeLoader") else None


def compose(text: str, encoded: bytes | None = None) -> yaml.Node | None:
    """The node graph, composed by libyaml when PyYAML has it (ten times faster); `encoded`: the
    text in UTF-8, when the caller has it (libyaml reads that: PyYAML would encode the text again).

    Neither loader guesses types (no regular expressions run on every value). On a syntax error
    the pure-Python parser runs again, so that messages and positions are the same with or
    without libyaml.
    """
    fast_error: yaml.YAMLError | None = None
    if _FastLoader is not None:
        try:
            # (the same bytes whichever is given: only its marks' file name differs, which no message shows)
            return yaml.compose(text if encoded is None else encoded, Loader=_FastLoader)
        except yaml.YAMLError as e:
            fast_error = e
    try:
        return yaml.compose(text, Loader=_PlainLoader)
    except ValueError:  # the pure-Python scanner's chr() on an escape beyond Unicode, as "\U00110000"
        if fast_error is None:
            raise yaml.YAMLError("an escape in a quoted text names no Unicode character") from None
        raise fast_error from None
    except yaml.MarkedYAMLError as slow_error:
        if fast_error is not None and _before(slow_error, fast_error):
            # The pure-Python scanner ends a plain text at any '?' inside {…} or […] (libyaml, and
            # YAML 1.2, only at '? '): it stops on a line libyaml read well, such as the README's
            # `{…, question: What did it cost?, …}`, and never shows the real mistake further on.
            raise fast_error from None
        raise


def _before(slow: yaml.MarkedYAMLError, fast: yaml.YAMLError | None) -> bool:
    """Whether the pure-Python parser stopped before the place where libyaml found the error."""
    if not isinstance(fast, yaml.MarkedYAMLError):
        return False
    slow_mark, fast_mark = slow.problem_mark or slow.context_mark, fast.problem_mark or fast.context_mark
    if slow_mark is None or fast_mark is None:
        return False
    return (slow_mark.line, slow_mark.column) < (fast_mark.line, fast_mark.column)
