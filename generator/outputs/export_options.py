"""The LMS exports' own options (each export builder's `Options`), importable without the exports:
`quizgen build` makes them before it knows whether any export has work to do."""

from __future__ import annotations

from dataclasses import dataclass

from generator.outputs import Option


@dataclass(frozen=True)
class ExportOptions:
    """The exports' own options (each export builder's `Options`)."""

    moodle_categories: str = "article"  # "article": one category; "tests" or "tags": a sub-category each
    moodle_order: str = "ordering"  # a chronology in Moodle XML: "ordering" (Moodle 4.4+) or "matching"
    qti_version: str = "3.0"  # the QTI package: "3.0", or "1.2" as Canvas imports it


# The exports' options of `quizgen build` (each export builder's cli_options): each also a key of quizgen.toml
CLI_OPTIONS = (
    Option("--moodle-categories", "Moodle XML and GIFT: one question category per article, or also a sub-category "
           "per --tests value or per question's first tag.", "article", choices=("article", "tests", "tags")),
    Option("--moodle-order", "Moodle XML: a chronology as an ordering question (Moodle 4.4+) or as matching "
           "(each event to its position).", "ordering", choices=("ordering", "matching")),
    Option("--qti-version", "The QTI package: 3.0, or 1.2 as Canvas's quiz import reads it.", "3.0", choices=("3.0", "1.2")),
)
