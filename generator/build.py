"""Building: every checked article set through every builder, in memory, before anything is written."""

from __future__ import annotations

import os

from generator.builders import BuildOptions, Output, QuizOptions, all_builders
from generator.errors import UsageError
from generator.model import KINDS, ArticleSet, Library


def source_timestamp(found: ArticleSet) -> float:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else the newest input's modification time.

    Anki applies an edited note on re-import only when the note is newer than the learner's copy,
    so the time moves forward whenever an input is edited.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and value.strip():
        try:
            return float(int(value.strip()))
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{value}'") from None
    return float(int(max(p.stat().st_mtime for p in found.inputs)))


def quiz_options(*, kinds: list[str], tags: list[str], **rest) -> QuizOptions:
    """The quiz options from the command line; raises UsageError for an unknown kind."""
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"--kind {kind} is not a kind; the kinds are {', '.join(KINDS)}")
    return QuizOptions(kinds=tuple(kinds), tags=tuple(tags), **rest)


def build_library(
    library: Library, *, deck_parent: str | None = None, quiz: QuizOptions | None = None
) -> list[Output]:
    """All outputs of all articles; raises before returning anything if one builder fails."""
    quiz = quiz or QuizOptions()
    builders = [cls() for cls in all_builders().values()]
    outputs: list[Output] = []
    latest = 0.0
    for found in library.sets:
        options = BuildOptions(timestamp=source_timestamp(found), deck_parent=deck_parent, quiz=quiz)
        latest = max(latest, options.timestamp)
        for builder in builders:
            outputs += builder.build(found, options)
    options = BuildOptions(timestamp=latest, deck_parent=deck_parent, quiz=quiz)
    for builder in builders:
        outputs += builder.finish(library, options, list(outputs))
    if (quiz.tags or quiz.kinds or quiz.tests) and not any(o.printable for o in outputs):
        raise UsageError("no question matches the quiz selection (--tag, --kind, --tests); no quiz was made")
    return outputs
