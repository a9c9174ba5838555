"""The LMS exports' own options (each export builder's `Options`), importable without the exports:
`quizgen build` makes them before it knows whether any export has work to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportOptions:
    """The exports' own options (each export builder's `Options`)."""

    moodle_categories: str = "article"  # "article": one category; "tests" or "tags": a sub-category each
    moodle_order: str = "ordering"  # a chronology in Moodle XML: "ordering" (Moodle 4.4+) or "matching"
    qti_version: str = "3.0"  # the QTI package: "3.0", or "1.2" as Canvas imports it
