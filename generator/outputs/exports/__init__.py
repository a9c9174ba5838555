"""Exports for LMSs and flashcard apps, each its own builder: `--export moodle` (`gift`, `qti`,
`flashcards`) adds one to a build, `--only moodle` builds it alone; a build names none by default.

They are registered through the `quizgen.builders` entry point `exports` in pyproject.toml, as a
plug-in of another package would be, not in generator/builders' built-in list. Each writes the
questions the printed quiz would hold (see common.py) and every one of them holds the answers:
their files are the teacher's, listed on teacher.html (`links`), never on index.html nor
served by `quizgen serve` without --teacher.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import ClassVar

from generator.i18n import N_, gettext_for
from generator.model import ArticleSet, Question
from generator.outputs import Builder, BuildOptions, Output, Remarks, register
from generator.outputs.export_options import CLI_OPTIONS, ExportOptions
from generator.outputs.exports import common
from generator.outputs.pages import page_language

Writer = Callable[[ArticleSet, list[Question], BuildOptions, str], bytes]


class Export(Builder):
    """A builder writing one file, `<slug><suffix>`, from the export's questions."""

    suffix: ClassVar[str]
    label: ClassVar[str]
    writer: ClassVar[str]  # "module:function" of this package, imported when first used
    default = False  # written when asked for: --export NAME (or --only NAME)
    Options = ExportOptions
    cli_options = CLI_OPTIONS

    def write(self, found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
        module, function = self.writer.split(":")
        write: Writer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return write(found, questions, options, language)

    def left_out(self, found: ArticleSet, questions: list[Question]) -> list[str]:
        """What the file leaves out of the export's questions, in words: its module's `left_out`, if it has one."""
        module = importlib.import_module(f"{__name__}.{self.writer.split(':')[0]}")
        said: Callable[[ArticleSet, list[Question]], list[str]] | None = getattr(module, "left_out", None)
        return said(found, questions) if said else []

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        questions = common.selected(found, options)
        if not questions:
            return []
        data = self.write(found, questions, options, page_language(found, options))
        return [Output(found.article.slug + self.suffix, data)]

    def remarks(self, found: ArticleSet, options: BuildOptions) -> Remarks:
        """What the questions of the printed quiz, which the export holds, left out (the quiz's count),
        and a warning naming any question the format itself cannot hold (GIFT's typed "->")."""
        assembly = common.assembled(found, options)
        return Remarks(len(assembly.left_out), tuple(self.left_out(found, assembly.questions)))

    @classmethod
    def links(cls, slug: str, names: set[str], language: str, teacher: bool) -> list[tuple[str, str]]:
        """On teacher.html only: every export holds the answers."""
        name = slug + cls.suffix
        return [(gettext_for(language)(cls.label), name)] if teacher and name in names else []

    @classmethod
    def is_teacher_file(cls, name: str) -> bool:
        return name.endswith(cls.suffix)


# name (--only), what it writes, the file's suffix after the slug, its link on teacher.html, its writer
FORMATS = (
    ("moodle", "Moodle XML question bank (<slug>-moodle.xml)", "-moodle.xml", N_("Moodle XML"), "moodle:moodle_xml"),
    ("gift", "GIFT question bank for Moodle (<slug>.gift.txt)", ".gift.txt", N_("GIFT"), "gift:gift"),
    ("qti", "QTI 3.0 content package, or QTI 1.2 for Canvas with --qti-version 1.2 (<slug>-qti.zip)", "-qti.zip",
     N_("QTI package"), "qti:qti_package"),
    ("flashcards", "flashcards for Quizlet, Anki or Brainscape (<slug>-flashcards.csv: front, back, tags)",
     "-flashcards.csv", N_("Flashcards (CSV)"), "flashcards:flashcards_csv"),
)

EXPORT_BUILDERS: tuple[type[Export], ...] = tuple(
    register(type(f"{name.title()}Builder", (Export,), {
        "name": name, "format": fmt, "suffix": suffix, "label": label, "writer": writer, "__module__": __name__,
        "outputs": ("{slug}" + suffix,),
    }))
    for name, fmt, suffix, label, writer in FORMATS
)

__all__ = ["EXPORT_BUILDERS", "FORMATS", "Export"]
