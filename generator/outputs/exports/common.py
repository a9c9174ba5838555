"""What every LMS and flashcard export shares: which questions, and each question's parts as text.

An export holds the questions the printed quiz would (`assemble`: --tag, --kind, --tests, the
--questions draw, no giveaway pair and one question per group), so a bank drawn from at random in
an LMS never puts two questions that give each other away side by side. Every part is plain text
here; each format escapes it its own way.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

from generator.checks.selection import Assembly, assemble
from generator.i18n import N_, cite, gettext_for
from generator.kinds.choices import ordered_choices
from generator.model import (
    ArticleSet,
    Attribution,
    Chronology,
    Cloze,
    Deletion,
    MultipleChoice,
    Question,
    ShortAnswer,
    TrueFalse,
)
from generator.outputs import BuildOptions
from generator.outputs.quiz_options import QuizOptions
from generator.shuffle import shuffled

TRUE, FALSE = N_("True"), N_("False")


def assembled(found: ArticleSet, options: BuildOptions) -> Assembly:
    """The printed quiz's selection (--tag, --kind, --tests, --questions), which every export holds."""
    return assemble(found, options.get(QuizOptions))


def selected(found: ArticleSet, options: BuildOptions) -> list[Question]:
    """The questions of the export: those of the printed quiz, in file order."""
    return assembled(found, options).questions


QUOTED = N_("“%(title)s”")  # the quiz's quotation marks, in the language's own form


def quoted(text: str, language: str) -> str:
    return gettext_for(language)(QUOTED) % {"title": text}


def asked(q: Chronology | Attribution, language: str) -> str:
    """The `question` of a chronology or attribution: the author's words, or quizgen's default prompt
    in `language`, as the quiz prints it (the catalogues have it)."""
    return gettext_for(language)(q.question) if q.question == q.DEFAULT_PROMPT else q.question


def prompt(q: Question, language: str) -> str:
    """What the question asks, as one text, quizgen's words in `language` (cloze: the text with its
    blanks is built by each format)."""
    if isinstance(q, ShortAnswer | MultipleChoice):
        return q.question
    if isinstance(q, Chronology):
        return asked(q, language)
    if isinstance(q, TrueFalse):
        return q.statement
    if isinstance(q, Attribution):
        return f"{quoted(q.claim, language)} {asked(q, language)}"
    raise TypeError(f"no single prompt for a {q.kind} question")


def accepted(q: ShortAnswer) -> list[str]:
    """Every answer a typed question accepts: its answer, then its alternatives (`accept:`)."""
    return list(dict.fromkeys([q.answer, *q.accept]))


def typeable(answers: list[str]) -> list[str]:
    """Each typed answer, then its NFC form where that differs: a keyboard types "é" as one character, an
    author's file may hold "e" and a combining accent, and a QTI player compares the characters."""
    return list(dict.fromkeys(form for answer in answers for form in (answer, unicodedata.normalize("NFC", answer))))


def choices(found: ArticleSet, q: MultipleChoice | Attribution) -> list[tuple[str, bool]]:
    """(text, is_right) for every choice, in the order the printed quiz's first version uses."""
    return ordered_choices(found, q)


def jumbled(found: ArticleSet, q: Chronology) -> list[str]:
    """The events of a chronology in a fixed jumbled order (never the right one when it can help it)."""
    texts = [e.text for e in q.events]
    for attempt in range(3):
        order = shuffled(texts, found.article.slug, q.id, "export-events", str(attempt))
        if order != texts:
            return order
    return list(reversed(texts))


@dataclass(frozen=True)
class Source:
    citation: str  # ¶3, in the article's language
    passage: str  # the passage exactly as the article has it


def sources(found: ArticleSet, q: Question, language: str) -> list[Source]:
    article = found.article
    return [Source(cite(a.cite(article), language), a.quote(article)) for a in q.anchors()]


def feedback(found: ArticleSet, q: Question, language: str, correction: bool = False) -> str:
    """The general feedback as plain text: the explanation, then each passage with its citation; first a
    false statement's correction with `correction`, for a format that has no answer's feedback to hold
    it (QTI), as the correction is shown with the answer so that nobody remembers the false version."""
    parts = [q.correction] if correction and isinstance(q, TrueFalse) and q.correction else []
    parts += [q.explanation] if q.explanation else []
    parts += [f"{quoted(s.passage, language)} ({s.citation})" for s in sources(found, q, language)]
    return "\n".join(parts)


def true_false_words(language: str) -> tuple[str, str]:
    _ = gettext_for(language)
    return _(TRUE), _(FALSE)


def blanks(q: Cloze) -> list[Deletion]:
    """Every deletion of a cloze, in text order (a number written twice is two blanks)."""
    return [s for s in q.segments if isinstance(s, Deletion)]


def filled_except(q: Cloze, number: int, blank: str) -> str:
    """The cloze text with every deletion filled in but those numbered `number`, shown as `blank`."""
    return "".join(
        s if isinstance(s, str) else (blank if s.number == number else s.answer) for s in q.segments
    )


def question_tags(found: ArticleSet, q: Question) -> list[str]:
    """The tags an export gives a question: the article, its kind, what it tests, its own (each once)."""
    return list(dict.fromkeys([found.article.slug, q.kind, q.tests, *q.tags]))


def ident(question_id: str) -> str:
    """A question id as a QTI identifier (it must start with a letter)."""
    return "q-" + question_id


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same questions give the same bytes


def package(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buffer.getvalue()
