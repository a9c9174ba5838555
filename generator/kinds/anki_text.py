"""User text as Anki field HTML: what the kinds write their notes' fields with.

Escaped, line breaks kept, and never read as Anki's template or cloze syntax.
"""

from __future__ import annotations

import re
from html import escape

from generator.kinds.choices import ordered_choices
from generator.model import ArticleSet, Attribution, Cloze, Deletion, MultipleChoice

_BREAK = "<!-- -->"  # an HTML comment: invisible, but splits `}}` and `::` for Anki's parser
_SPECIAL = re.compile("[&<>\"'\n{}]")  # what `text` changes: html.escape's five, line breaks, braces (tests)


def text(value: str | None) -> str:
    """User text as HTML: escaped, line breaks kept, and never read as Anki template syntax."""
    if value is None:
        return ""
    # most text: nothing to escape or break; _SPECIAL's characters sought one by one (each a fast scan of
    # the text) take four fifths of the time of its search, which tests every character against the set
    if ("&" not in value and "<" not in value and ">" not in value and '"' not in value and "'" not in value
            and "\n" not in value and "{" not in value and "}" not in value):
        return value
    html = escape(value).replace("\n", "<br>")
    return html.replace("{{", "{" + _BREAK + "{").replace("}}", "}" + _BREAK + "}")


def _in_deletion(value: str) -> str:
    """Text inside a cloze deletion: `::` and `}}` cannot end it early, nor can an edge `:` or `}`."""
    html = text(value).replace("::", ":" + _BREAK + ":")
    if html.endswith((":", "}")):
        html += _BREAK
    if html.startswith(":"):
        html = _BREAK + html
    return html


def cloze_text(q: Cloze) -> str:
    parts = []
    for s in q.segments:
        if isinstance(s, Deletion):
            hint = f"::{_in_deletion(s.hint)}" if s.hint else ""
            parts.append(f"{{{{c{s.number}::{_in_deletion(s.answer)}{hint}}}}}")
        else:
            parts.append(text(s))
    return "".join(parts)


def choice_list(found: ArticleSet, q: MultipleChoice | Attribution, key: str, marked: bool = False) -> str:
    """An ordered list of choices in an order fixed per question. No marker says which is right (the
    front shows this field): the back's script finds it by the `Answer` field's text. (`marked`: as
    quizgen wrote it before, with a marker on the right one, for `legacy_fields`.)"""
    lis = "".join([
        f'<li class="qg-choice tappable"{" data-qg-right" if ok and marked else ""}>{text(label)}</li>'
        for label, ok in ordered_choices(found, q)
    ])
    return f'<ol class="qg-list" data-qg-key="{escape(key)}">{lis}</ol>'


def dated(when: str | None) -> str:
    return f'<span class="qg-when">{text(when)}</span> ' if when else ""
