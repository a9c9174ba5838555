"""What `check` reports about content that loaded: counts, coverage and the full quiz, as lines of text,
and the warnings (questions that give others away, item-writing lints)."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import ContentError, Problem, display_path
from generator.kinds import BUILT_IN
from generator.model import ArticleSet
from generator.pipeline.lockfile import LOCK_FILE, duplicate_decks, duplicate_guids
from generator.pipeline.parallel import auto_jobs, ordered_map
from generator.sources.inputs import ARTICLE_FILE, given_folders, stray_question_files

if TYPE_CHECKING:
    from generator.checks.check_cache import Result


def article_lines(found: ArticleSet) -> list[str]:
    """The summary of one article: its questions by kind and by what they test, and coverage."""
    kinds, tests = found.kinds(), found.tests()
    total = len(found.questions)
    lines = [
        f"{found.article.slug}: {total} question{'s' if total != 1 else ''}",
        "  kinds: " + " · ".join(f"{k} {kinds[k]}" for k in (*BUILT_IN, *sorted(set(kinds) - set(BUILT_IN))) if kinds[k]) if total else "  kinds: none yet",
        f"  tests: event {tests['event']} · claim {tests['claim']}",
    ]
    skipped = {n for n, _ in found.article.meta.coverage_skip}
    paragraphs = [b for b in found.article.paragraphs if b.number not in skipped]
    uncovered = found.uncovered()
    if not uncovered:
        lines.append(f"  coverage: all {len(paragraphs)} body paragraph{'s' if len(paragraphs) != 1 else ''} cited")
    else:
        cited = len(paragraphs) - len(uncovered)
        labels = ", ".join(b.label for b in uncovered)
        lines.append(f"  coverage: {cited} of {len(paragraphs)} body paragraphs cited; not cited: {labels}")
    for number, reason in found.article.meta.coverage_skip:
        lines.append(f"  not counted: ¶{number}" + (f" ({reason})" if reason else ""))
    lines += coverage_lines(found)
    left_out = full_quiz_left_out(found)
    if left_out:
        lines.append(f"  full quiz: leaves out {len(left_out)} of {total} (giveaways, groups): {', '.join(left_out)}")
    return lines


def coverage_lines(found: ArticleSet) -> list[str]:
    """Questions per block of the article, and per key point with how many of them lints flag."""
    counts = [0] * len(found.article.blocks)
    for q in found.questions:
        for block in {s.block for a in q.anchors() for s in a.spans if s.block >= 0}:  # not the title; each block once
            counts[block] += 1
    per = " · ".join(f"{b.label} {n}" for b, n in zip(found.article.blocks, counts) if b.kind == "paragraph")
    captions = " · ".join(f"{b.label} {n}" for b, n in zip(found.article.blocks, counts) if b.kind == "caption")
    lines = [f"  per paragraph: {per}" + (f" ({captions})" if captions else "")]
    points = found.article.meta.key_points
    return lines + _key_point_lines(found, points) if points else lines


def _key_point_lines(found: ArticleSet, points) -> list[str]:
    """How many questions test each key point, and how many of them lints flag."""
    # imported with the checks (_check_folder): not when a folder's result is kept
    from generator.checks.lints.registry import lint

    lines: list[str] = []
    flagged = {q.id for q, _, _ in lint(found)}
    tested = [[q for q in found.questions if q.key == point] for point, _ in points]
    untested = [point for (point, _), qs in zip(points, tested) if not qs]
    lines.append(f"  key points: {len(points) - len(untested)} of {len(points)} tested" + (f"; not tested: {', '.join(untested)}" if untested else ""))
    for (point, _), qs in zip(points, tested):
        weak = sum(1 for q in qs if q.id in flagged)
        note = f", {weak} with warnings" if weak else ""
        lines.append(f"    {point}: {len(qs)} question{'s' if len(qs) != 1 else ''}{note}")
    return lines


def full_quiz_left_out(found: ArticleSet) -> list[str]:
    """The ids the full printed quiz (default options) leaves out so that none gives another away."""
    # the quiz's selection (a fifth of a second): only for a folder checked again, not one whose result is kept
    from generator.checks import selection

    return [q.id for q in selection.full_quiz_left_out(found)]


@dataclass
class Report:
    """What `check` found: the summary lines, and how many errors and warnings it gave out."""

    lines: list[str] = field(default_factory=list)
    errors: int = 0
    warned: int = 0


def check_folder(folder: Path, locked: bool = False, verbose: bool = True) -> Result:
    """Check one article folder: its problems, or its warnings, summary lines and number of questions,
    and how many giveaway warnings were counted without being written out. With `locked` (check
    --locked), its anki.lock must be there and up to date. Without `verbose`, of the giveaway warnings
    only those that can be among the first SHOWN_PER_RULE printed are written out (`shown_lines`
    prints no more), the rest counted.

    Only text crosses back from a worker process, not the loaded article. A folder checked before,
    with nothing it depends on changed since, is answered from the cache (generator/checks/check_cache.py);
    an entry that counted warnings it did not write out answers only a check that does not list them all.
    """
    from generator.checks import (
        check_cache,  # in the worker that checks: a parallel check's main process never needs it
    )

    if locked:  # for CI, whose runs start without the cache anyway
        return _check_folder(folder, locked, verbose)
    key, kept = check_cache.read(folder)
    if kept is not None and not (verbose and kept[3]):
        return kept
    result = _check_folder(folder, verbose=verbose)
    if key is not None:
        check_cache.write(folder, key, result)
    return result


def _check_folder(folder: Path, locked: bool = False, verbose: bool = True) -> Result:
    # the parsers and the checks (most of an unchanged check's time): not for a folder whose result is kept
    from generator.checks.giveaways import warnings
    from generator.checks.lints import article_text, registry
    from generator.sources.load import load_article_set

    strays = stray_question_files(folder)
    with fewer_collections(CHECK_COLLECTION):
        try:
            found = load_article_set(folder)
        except ContentError as e:
            return e.problems + strays, [], 0, 0
        given, more = warnings(found, None if verbose else SHOWN_PER_RULE)
        problems = strays + article_text.warnings(found.article) + given + registry.warnings(found)
        if locked:
            from generator.outputs.anki import lock_problems  # the Anki builder: only for check --locked

            problems += lock_problems(found, display_path(folder / LOCK_FILE))
        return problems, article_lines(found), len(found.questions), more


CHECK_COLLECTION = 100_000  # `check`'s threshold: a 5,000-question article spent 0.25 s in 30 more collections at 20,000


@contextmanager
def fewer_collections(threshold: int = 20_000) -> Iterator[None]:
    """The cyclic garbage collector run less often while an article is checked or built.

    Checking (and building: issue 31 measured 11 % of a build's CPU in the collector) makes tens of
    thousands of objects (YAML nodes, texts, questions) that live until the article is done and hold
    no cycles; collecting after every 700 of them scanned them again and
    again for nothing (a tenth of the time of `check`). Memory is the same: they go by reference
    counting when the article is done.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], threshold), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check_library(root: Path | list[Path], jobs: int | None, emit: Callable[[list[Problem], int], None],
                  locked: bool = False, verbose: bool = True) -> Report:
    """Every article checked (in `jobs` processes; None: as many as pay); the summary, and the counts.

    Each article's problems, sorted, go to `emit` as soon as that article is checked, in the order
    of the folders, with the number of its giveaway warnings counted but not written out (none with
    `verbose`: see `check_folder`), and are not kept (a library of thousands of articles can have
    millions of warnings); the caller decides the exit status from the counts.
    """
    roots = root if isinstance(root, list) else [root]
    folders = given_folders(roots)
    report = Report()
    strays = [p for path in dict.fromkeys(roots) if not (path / ARTICLE_FILE).exists()
              for p in stray_question_files(path, content=True)]
    if strays:
        report.warned += len(strays)
        emit(strays, 0)
    questions = 0
    # one raised threshold for the whole run, not one per article: restoring it after each article
    # made the next allocation collect everything the article had made (2.5 % of check's CPU)
    with fewer_collections(CHECK_COLLECTION):
        results = ordered_map(partial(check_folder, locked=locked, verbose=verbose), folders, jobs or auto_jobs(len(folders)))
        for found_problems, found_lines, count, more in results:
            ordered = sorted(set(found_problems))  # a problem is its own sort key (errors.sort_key), compared in C
            errors = sum(1 for p in ordered if p.is_error)
            report.errors += errors
            report.warned += len(ordered) - errors + more
            emit(ordered, more)
            report.lines += found_lines
            questions += count
    shared = duplicate_guids(folders)  # GUIDs unique across the library: a copied lock shares them
    if shared:
        report.errors += len(shared)
        emit(shared, 0)
    decks = duplicate_decks(folders)  # one deck name for two articles: one Anki deck in learners' Anki
    if decks:
        report.warned += len(decks)
        emit(decks, 0)
    articles = len(folders)
    warned = report.warned
    verdict = f"no problems, {warned} warning{'s' if warned != 1 else ''}" if warned else "no problems"
    report.lines.append(f"{articles} article{'s' if articles != 1 else ''}, {questions} question{'s' if questions != 1 else ''}: {verdict}")
    return report


SHOWN_PER_RULE = 5  # warnings of one rule shown per article before the rest are summed up
_RULE = re.compile(r"([a-z0-9-]+): ")  # a lint's warning starts with its name


def warning_rule(problem: Problem) -> str:
    """The rule a warning comes from: a lint's name before its colon, 'giveaway', or its whole message."""
    if problem.message.startswith("gives away question"):
        return "giveaway"
    named = _RULE.match(problem.message)
    return named[1] if named else problem.message


def shown_lines(problems: list[Problem], where: str, verbose: bool, more: int = 0) -> Iterator[str]:
    """One article's problems as printed: every error; of each rule's warnings the first
    SHOWN_PER_RULE (all with `verbose`), then one line counting the rest (issue 31: a synthetic
    library printed 84,307 lines), with the `more` giveaway warnings counted without being written out."""
    hidden: dict[str, int] = {}
    for problem in problems:
        if not verbose and not problem.is_error:
            rule = warning_rule(problem)
            hidden[rule] = hidden.get(rule, 0) + 1
            if hidden[rule] > SHOWN_PER_RULE:
                continue
        yield str(problem)
    if more:  # only where more than SHOWN_PER_RULE were written out: the rule is there
        hidden["giveaway"] = hidden.get("giveaway", 0) + more
    for rule, count in hidden.items():
        if count > SHOWN_PER_RULE:
            rest = count - SHOWN_PER_RULE
            yield (f"{where}: note: {rest} more '{rule}' warning{'s' if rest != 1 else ''} not shown "
                   "(quizgen check --verbose lists every one)")
