"""A plain CSV for flashcard apps (`<slug>-flashcards.csv`): front, back, tags; no header row.

Read as plain text (no HTML) by Anki's CSV import (tests/test_exports.py imports it through the
`anki` backend), Quizlet's and Brainscape's imports. RFC 4180 quoting; UTF-8; tags separated by
spaces, each with its spaces turned into underscores (Anki's tags hold no space).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from generator.kinds.contract import Handlers
from generator.kinds.exports import EXPORTS
from generator.kinds.registry import handlers
from generator.model import ArticleSet, Attribution, Chronology, Cloze, MultipleChoice, Question, ShortAnswer, TrueFalse
from generator.outputs import BuildOptions
from generator.outputs.exports import common

BLANK = "[…]"


def write_qa(found: ArticleSet, q: ShortAnswer, language: str) -> list[tuple[str, str]]:
    return [(q.question, q.answer)]


def write_cloze(found: ArticleSet, q: Cloze, language: str) -> list[tuple[str, str]]:
    """One card per deletion number, as Anki makes them: the others filled in."""
    cards = []
    for number in q.numbers:
        hidden = [d for d in common.blanks(q) if d.number == number]
        hint = " / ".join(d.hint for d in hidden if d.hint)
        blank = f"[{hint}]" if hint and len(hidden) == 1 else BLANK
        cards.append((common.filled_except(q, number, blank), " … ".join(d.answer for d in hidden)))
    return cards


def write_choice(found: ArticleSet, q: MultipleChoice | Attribution, language: str) -> list[tuple[str, str]]:
    options = "\n".join(f"{chr(ord('a') + i)}) {text}" for i, (text, _) in enumerate(common.choices(found, q)))
    right = next(text for text, is_right in common.choices(found, q) if is_right)
    return [(f"{common.prompt(q, language)}\n{options}", right)]


def write_truefalse(found: ArticleSet, q: TrueFalse, language: str) -> list[tuple[str, str]]:
    true, false = common.true_false_words(language)
    back = true if q.answer else false
    return [(q.statement, f"{back}. {q.correction}" if q.correction else back)]


def write_order(found: ArticleSet, q: Chronology, language: str) -> list[tuple[str, str]]:
    front = common.prompt(q, language) + "\n" + "\n".join(f"- {e}" for e in common.jumbled(found, q))
    return [(front, "\n".join(f"{i}. {e.text}" for i, e in enumerate(q.events, start=1)))]


# each kind's writer, as its registration gives it (`Kind.handlers["flashcard CSV export"]`; the built-in kinds name
# this module's write_<shape>: generator/kinds/exports.py)
CARDS: Handlers[Callable[[ArticleSet, Any, str], list[tuple[str, str]]]] = handlers(EXPORTS["flashcards"])


def tag(text: str) -> str:
    return "_".join(text.split())


def flashcards_csv(found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for q in questions:
        tags = " ".join(dict.fromkeys(tag(t) for t in common.question_tags(found, q) if t.strip()))
        for front, back in CARDS[q.kind](found, q, language):
            writer.writerow([front, back, tags])
    return out.getvalue().encode("utf-8")
