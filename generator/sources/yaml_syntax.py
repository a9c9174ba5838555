"""What a YAML syntax error says: where it is, what it is in one line, and the usual cause in plain
words with the fix (a value holding `: ` or starting with a quote, unquoted)."""

from __future__ import annotations

import re

import yaml


def syntax(e: yaml.MarkedYAMLError, line_offset: int, text: str = "") -> tuple[int, int, str]:
    """Where a YAML syntax error is and what it is, in one line."""
    mark = e.problem_mark or e.context_mark
    lines = text.splitlines()
    hint = _quote_hint(lines[mark.line], mark.column) if mark and mark.line < len(lines) else ""
    line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
    message = tidy(e.problem or e.context or "invalid YAML")
    if e.context and e.problem:
        context = tidy(e.context)
        if context.startswith("while"):
            message += f" {context}"
            if e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
                message += f" that starts at line {e.context_mark.line + 1 + line_offset}"
        else:
            message = f"{context}, {message}"
    if hint and any(w in message for w in ("mapping values", "mapping keys", "found '<scalar>'", "flow", "expected node")):
        message += f" ({hint})"
    elif "block" in message:
        message += " (check the indentation)"
    if "'\\t'" in message:
        message += " (indent YAML with spaces, not tabs)"
    return line, col, f"YAML syntax: {message}"


_KEY_VALUE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(\S.*?)\s*$")
_FLOW_KEY = re.compile(r"[{,]\s*([A-Za-z_][\w-]*):\s+")
_STARTS = {'"': "a quoted text", "'": "a quoted text", "{": "a {…} mapping", "[": "a […] list", "?": "a '? ' complex key"}


def _quote_hint(line: str, col: int = 0) -> str:
    """The usual cause of a syntax error on a `key: value` line, in plain words, with the fix.

    `col` (0-based) is where the parser stopped: on a line holding a {…} mapping, the hint is about
    the value it stopped in.
    """
    flow = _flow_value(line, col)
    if flow is not None:
        key, value = flow
        return (f"inside {{…}}, the value of '{key}' holds one of , : ? [ ] {{ }} that YAML reads as markup; "
                f"quote the whole value: write {key}: {_clip(_quoted(value))}")
    m = _KEY_VALUE.fullmatch(line)
    if m is None:
        return ""
    key, value = m.groups()
    fix = f"write {key}: {_clip(_quoted(value))}"
    if value[0] in _STARTS and (value[0] != "?" or value.startswith("? ")):
        return f"the value of '{key}' starts with {value[0]}, so YAML reads {_STARTS[value[0]]} and then more; quote the whole value: {fix}"
    if ": " in value:
        return f"the value of '{key}' holds ': ', which YAML reads as a new key; quote the whole value: {fix}"
    return ""


def _quoted(value: str) -> str:
    return f'"{value}"' if '"' not in value and "\\" not in value else "'" + value.replace("'", "''") + "'"


def _flow_value(line: str, col: int) -> tuple[str, str] | None:
    """The key and value of a {…} mapping on `line` in which column `col` stands, if any."""
    if not line.lstrip().lstrip("- ").startswith("{"):
        return None
    keys = [m for m in _FLOW_KEY.finditer(line) if m.end() <= max(col, 1)]
    if not keys:
        return None
    last = keys[-1]
    following = _FLOW_KEY.search(line, last.end())
    end = following.start() if following else (line.rfind("}") if line.rfind("}") > last.end() else len(line))
    value = line[last.end():end].strip()
    return (last.group(1), value) if value else None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tidy(message: str) -> str:
    return message.replace("\n", " ").strip()


def depth_problem(text: str, line_offset: int, max_depth: int) -> tuple[int, int, str]:
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
        if depth > max_depth:
            mark = event.start_mark
            assert mark is not None  # the event parser always marks its events
            return mark.line + 1 + line_offset, mark.column + 1, f"YAML is nested more than {max_depth} levels deep"
    return 1 + line_offset, 1, f"YAML is nested more than {max_depth} levels deep"
