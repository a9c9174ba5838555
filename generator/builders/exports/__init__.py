"""Exports for LMSs and flashcard apps, each its own builder (`--only moodle`, `gift`, `flashcards`, `qti`).

They are registered through the `quizgen.builders` entry point `exports` in pyproject.toml, as a
plug-in of another package would be, not in generator/builders' built-in list. Each writes the
questions the printed quiz would hold (see common.py) and every one of them holds the answers:
their files are the teacher's, listed on teacher.html (`teacher_links`), never on index.html nor
served by `quizgen serve` without --teacher.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from generator.builders import Builder, BuildOptions, Output, register
from generator.builders.exports import common
from generator.i18n import N_, gettext_for
from generator.model import ArticleSet, Question

Writer = Callable[[ArticleSet, list[Question], BuildOptions, str], bytes]


class Export(Builder):
    """A builder writing one file, `<slug><suffix>`, from the export's questions."""

    suffix: ClassVar[str]
    label: ClassVar[str]
    selects = True

    def write(self, found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
        raise NotImplementedError

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        from generator.builders.pages import page_language

        questions = common.selected(found, options)
        if not questions:
            return []
        data = self.write(found, questions, options, page_language(found, options))
        return [Output(found.article.slug + self.suffix, data)]

    @classmethod
    def teacher_links(cls, slug: str, names: set[str], language: str) -> list[tuple[str, str]]:
        name = slug + cls.suffix
        return [(gettext_for(language)(cls.label), name)] if name in names else []

    @classmethod
    def is_teacher_file(cls, name: str) -> bool:
        return name.endswith(cls.suffix)


@register
class MoodleBuilder(Export):
    name = "moodle"
    format = "Moodle XML question bank (<slug>-moodle.xml)"
    suffix = "-moodle.xml"
    label = N_("Moodle XML")

    def write(self, found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
        from generator.builders.exports.moodle import moodle_xml

        return moodle_xml(found, questions, options, language)


@register
class GiftBuilder(Export):
    name = "gift"
    format = "GIFT question bank for Moodle (<slug>.gift.txt)"
    suffix = ".gift.txt"
    label = N_("GIFT")

    def write(self, found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
        from generator.builders.exports.gift import gift

        return gift(found, questions, options, language)


@register
class FlashcardsBuilder(Export):
    name = "flashcards"
    format = "flashcards for Quizlet, Anki or Brainscape (<slug>-flashcards.csv: front, back, tags)"
    suffix = "-flashcards.csv"
    label = N_("Flashcards (CSV)")

    def write(self, found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
        from generator.builders.exports.flashcards import flashcards_csv

        return flashcards_csv(found, questions, options, language)


@register
class QtiBuilder(Export):
    name = "qti"
    format = "QTI 3.0 content package, or QTI 1.2 for Canvas with --qti-version 1.2 (<slug>-qti.zip)"
    suffix = "-qti.zip"
    label = N_("QTI package")

    def write(self, found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
        from generator.builders.exports.qti import qti_package

        return qti_package(found, questions, options, language)


__all__ = ["Export", "FlashcardsBuilder", "GiftBuilder", "MoodleBuilder", "QtiBuilder"]
