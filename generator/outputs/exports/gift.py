"""GIFT (`<slug>.gift.txt`): the same bank as the Moodle XML, in Moodle's plain-text format.

Every text is `[html]`: user text is HTML-escaped, its line breaks `<br>`, then GIFT's special
characters `~ = # { } :` and the backslash are escaped with a backslash (and a typed answer's line
breaks written `\\n`), so a question is one line, after a comment line with its ID number and
tags (`// [id:<id>] [tag:<tag>]`, which Moodle's GIFT import reads). What GIFT cannot say: a cloze's
blanks (one missing word per question) become one question per deletion, the others of its number
hidden, every other filled in (write_cloze); a chronology is a matching question (each event to its
position); a typed answer holding "->" (GIFT's matching arrow, which it cannot escape) leaves its
question out, with a comment saying so and a warning of the build (left_out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.kinds.contract import Handlers
from generator.kinds.exports import EXPORTS
from generator.kinds.registry import handlers
from generator.model import ArticleSet, Attribution, Chronology, Cloze, MultipleChoice, Question, ShortAnswer, TrueFalse
from generator.outputs import BuildOptions
from generator.outputs.export_options import ExportOptions
from generator.outputs.exports import common
from generator.outputs.exports.moodle import IDNUMBER_MAX, as_html, category_path, subcategory

SPECIAL = "~=#{}:"
LEADING = {"[": "&#91;", "%": "&#37;"}  # what an HTML text cannot start with in GIFT, as entities
BLANK = "_____"
HIDDEN = "[…]"  # another deletion of the blank's number, which a GIFT question cannot ask too


def escape(text: str) -> str:
    """Text as GIFT reads it back: backslash first, then each special character, line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for c in SPECIAL:
        text = text.replace(c, "\\" + c)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def typed(answer: str) -> str:
    """A typed answer as it follows `=`: GIFT-escaped, and `*` escaped too (Moodle's short answer reads it
    as a wildcard); one that starts with "%" after an explicit weight `%100%`, else Moodle would read
    `%50%` as a weight of 50% and an empty answer (GIFT has no escape for "%")."""
    return ("%100%" if answer.startswith("%") else "") + escape(answer).replace("*", "\\*")


def html_text(text: str) -> str:
    """User text as HTML (escaped, a line break `<br>`: in HTML a bare one shows as a space), then
    GIFT-escaped; a leading "[" is an entity (never a format marker), and so is a leading "%" (never a
    choice's weight: `~%50% off` would be a wrong choice worth 50%)."""
    escaped = as_html(text)
    if escaped[:1] in LEADING:
        escaped = LEADING[escaped[0]] + escaped[1:]
    return escape(escaped)


def _title(found: ArticleSet, q: Question, suffix: str = "") -> str:
    """The question's ID number and tags in a comment line, as Moodle's GIFT import reads them
    (`// [id:...] [tag:...]`, in the question's block; ids and tags hold no "]" to escape), then its
    name, its id too."""
    name = q.id + suffix
    tags = "".join(f" [tag:{t}]" for t in common.question_tags(found, q))
    return f"// [id:{name[:IDNUMBER_MAX]}]{tags}\n::{escape(name)}::[html]"


def _feedback(found: ArticleSet, q: Question, language: str) -> str:
    text = common.feedback(found, q, language)
    return f"####{html_text(text)}" if text else ""


def typed_answers(q: Question) -> list[str]:
    """What a student types for a built-in kind: a short answer's accepted answers, a cloze's deletions."""
    if isinstance(q, ShortAnswer):
        return common.accepted(q)
    return [d.answer for d in common.blanks(q)] if isinstance(q, Cloze) else []


def unsayable(q: Question) -> list[str] | None:
    """A comment in place of a question whose typed answer holds "->": GIFT reads that as matching,
    with no escape for it (a choice is HTML, where ">" is written "&gt;"; a typed answer is compared as typed)."""
    if not any("->" in answer for answer in typed_answers(q)):
        return None
    return [f"// {q.id}: left out, its answer holds \"->\", which GIFT cannot escape; import the Moodle XML for it"]


def left_out(found: ArticleSet, questions: list[Question]) -> list[str]:
    """What the build says of the questions the file leaves out (Export.remarks)."""
    ids = [q.id for q in questions if unsayable(q) is not None]
    return [f"{found.article.slug}.gift.txt leaves out {', '.join(repr(i) for i in ids)}: a typed answer holds "
            "\"->\", GIFT's matching arrow, which it cannot escape; import the Moodle XML for "
            f"{'them' if len(ids) > 1 else 'it'}"] if ids else []


def write_qa(found: ArticleSet, q: ShortAnswer, language: str) -> list[str]:
    answers = common.accepted(q)
    if (comment := unsayable(q)) is not None:
        return comment
    right = " ".join(f"={typed(a)}" for a in answers)
    return [f"{_title(found, q)}{html_text(q.question)}{{{right}{_feedback(found, q, language)}}}"]


def _around(q: Cloze, at: int, number: int, marker: str) -> str:
    """The cloze text with its deletion `at` (an index of its segments) as `marker`, the other deletions
    of its `number` hidden (`[…]`, as the flashcards show them) and every other one filled in."""
    return "".join(s if isinstance(s, str) else marker if i == at else HIDDEN if s.number == number else s.answer
                   for i, s in enumerate(q.segments))


def write_cloze(found: ArticleSet, q: Cloze, language: str) -> list[str]:
    """One question per deletion, one typed answer each (GIFT has one blank a question): a missing word,
    the others of its number hidden and every other filled in; blanks then the answer where the blank
    ends the text (GIFT would show none there). Named `<id>`, `<id>-c<number>` where the cloze has
    several numbers, then `-<n>` where its number has several deletions."""
    if (comment := unsayable(q)) is not None:
        return comment
    deletions = [(i, s) for i, s in enumerate(q.segments) if not isinstance(s, str)]
    lines = []
    for number in q.numbers:
        hidden = [(at, d) for at, d in deletions if d.number == number]
        for n, (at, d) in enumerate(hidden, start=1):
            suffix = (f"-c{number}" if len(q.numbers) > 1 else "") + (f"-{n}" if len(hidden) > 1 else "")
            head, answer = _title(found, q, suffix), f"{{={typed(d.answer)}{_feedback(found, q, language)}}}"
            hint = f" ({html_text(d.hint)})" if d.hint else ""
            before, _, after = _around(q, at, number, "\0").partition("\0")
            if after:  # a missing word
                lines.append(f"{head}{html_text(before)}{answer}{hint}{html_text(after)}")
            else:
                lines.append(f"{head}{html_text(before + BLANK)}{hint}{answer}")
    return lines


def write_choice(found: ArticleSet, q: MultipleChoice | Attribution, language: str) -> list[str]:
    answers = " ".join(("=" if right else "~") + html_text(text) for text, right in common.choices(found, q))
    return [f"{_title(found, q)}{html_text(common.prompt(q, language))}{{{answers}{_feedback(found, q, language)}}}"]


def write_truefalse(found: ArticleSet, q: TrueFalse, language: str) -> list[str]:
    correction = f"#{html_text(q.correction)}#{html_text(q.correction)}" if q.correction else ""
    return [f"{_title(found, q)}{html_text(q.statement)}{{{'T' if q.answer else 'F'}{correction}{_feedback(found, q, language)}}}"]


def write_order(found: ArticleSet, q: Chronology, language: str) -> list[str]:
    pairs = " ".join(f"={html_text(e.text)} -> {position}" for position, e in enumerate(q.events, start=1))
    return [f"{_title(found, q)}{html_text(common.prompt(q, language))}{{{pairs}{_feedback(found, q, language)}}}"]


# each kind's writer, as its registration gives it (`Kind.handlers["GIFT export"]`; the built-in kinds name
# this module's write_<shape>: generator/kinds/exports.py)
WRITERS: Handlers[Callable[[ArticleSet, Any, str], list[str]]] = handlers(EXPORTS["gift"])


def gift(found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
    meta = found.article.meta
    lines = [f"// {escape(meta.title)}: questions written with quizgen, article '{found.article.slug}'", ""]
    current: object = object()
    for q in questions:
        sub = subcategory(q, options.get(ExportOptions).moodle_categories)
        if sub != current:
            path = category_path(meta.title, *([sub] if sub else []))
            lines += [f"$CATEGORY: {path.replace(chr(10), ' ')}", ""]
            current = sub
        for line in WRITERS[q.kind](found, q, language):
            lines += [line, ""]
    return "\n".join(lines).encode("utf-8")
