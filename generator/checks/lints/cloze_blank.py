"""A cloze blank that tests little or is answered by the text around it: a function word, a number
the text prints anyway, one name out of a list whose other names stay visible, a term whose gloss
stays beside it, or the wording of a quotation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.lints import Rule
from generator.checks.lints.text import STOP_WORDS, words
from generator.model import ArticleSet, Cloze, Deletion, Question

RULE = Rule("cloze-blank", "Wozniak 1999, 'Twenty rules of formulating knowledge': 'avoid sets and enumerations', and Haladyna, Downing & Rodriguez 2002, 'avoid trivial content' and 'avoid clues to the right answer'")
_OPEN_QUOTES = ('"', "“", "'", "‘")
_CLOSE_QUOTES = ('"', "”", "'", "’")
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
# "[[X]], Name and ..." / "[[X]], Name, ..." / "[[X]] and Name" ... and "Name, [[X]]" / "Name and [[X]]"
_LIST_AFTER = re.compile(rf"^\s*(?:,\s*{_NAME}\s*(?:,|\band\b|\bor\b)|(?:and|or)\s+{_NAME}\s*(?:$|[,.;:)]))")
_LIST_BEFORE = re.compile(rf"{_NAME}\s*(?:,|\band|\bor)\s*$")


def _why(deletion: Deletion, before: str, after: str, visible: str) -> str | None:
    answer = words(deletion.answer)
    if not answer or STOP_WORDS.issuperset(answer):
        return f"blank c{deletion.number} \"{deletion.answer}\" is a function word: it tests grammar, not the article"
    numbers = [w for w in answer if not w.isalpha() and any(map(str.isdigit, w))]  # (a letter is never a digit)
    printed = next((n for n in numbers if n in words(visible)), None) if numbers else None
    if printed is not None:
        return f"blank c{deletion.number} \"{deletion.answer}\" is a number the question prints anyway (\"{printed}\")"
    if deletion.answer[:1].isupper() and (_LIST_AFTER.match(after) or _LIST_BEFORE.search(before)):
        return f"blank c{deletion.number} \"{deletion.answer}\" is one name of a list whose other names stay visible: it tests a list, not a fact"
    if after.lstrip().startswith("("):
        return f"blank c{deletion.number} \"{deletion.answer}\" has its gloss beside it (\"{after.strip()[:40]}\"): the blank tests an acronym or label"
    if before.rstrip().endswith(_OPEN_QUOTES) and after.lstrip(".,;:!? ").startswith(_CLOSE_QUOTES) or (
        before.rstrip().endswith(_OPEN_QUOTES) and after[:1] in _CLOSE_QUOTES
    ):
        return f"blank c{deletion.number} \"{deletion.answer}\" is a whole quotation: it tests wording, not content"
    return None


def check(found: ArticleSet) -> Iterator[tuple[Question, str]]:
    for q in found.questions:
        if not isinstance(q, Cloze):
            continue
        segments = q.segments
        visible = " ".join(s for s in segments if isinstance(s, str))
        for i, s in enumerate(segments):
            if not isinstance(s, Deletion):
                continue
            before = segments[i - 1] if i > 0 and isinstance(segments[i - 1], str) else ""
            after = segments[i + 1] if i + 1 < len(segments) and isinstance(segments[i + 1], str) else ""
            why = _why(s, str(before), str(after), visible)
            if why:
                yield q, why
                break
