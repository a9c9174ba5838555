"""What `check` reports about content that loaded: counts and coverage, as lines of text."""

from __future__ import annotations

from generator.model import KINDS, ArticleSet, Library


def article_lines(found: ArticleSet) -> list[str]:
    """The summary of one article: its questions by kind and by what they test, and coverage."""
    kinds, tests = found.kinds(), found.tests()
    total = len(found.questions)
    lines = [
        f"{found.article.slug}: {total} question{'s' if total != 1 else ''}",
        "  kinds: " + " · ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]) if total else "  kinds: none yet",
        f"  tests: event {tests['event']} · claim {tests['claim']}",
    ]
    paragraphs = found.article.paragraphs
    uncovered = found.uncovered()
    if not uncovered:
        lines.append(f"  coverage: all {len(paragraphs)} body paragraphs cited")
    else:
        cited = len(paragraphs) - len(uncovered)
        labels = ", ".join(b.label for b in uncovered)
        lines.append(f"  coverage: {cited} of {len(paragraphs)} body paragraphs cited; not cited: {labels}")
    return lines


def totals_line(library: Library) -> str:
    articles = len(library.sets)
    questions = sum(len(s.questions) for s in library.sets)
    return f"{articles} article{'s' if articles != 1 else ''}, {questions} question{'s' if questions != 1 else ''}: no problems"
