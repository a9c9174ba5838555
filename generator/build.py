"""Building: check, then run the builders over the articles whose inputs changed, then write.

Each article is loaded, checked and built on its own (in parallel processes with `jobs` > 1);
its outputs go to temporary files at once, so memory holds one article at a time. Only when every
article has been checked and built are the files renamed into place, with the manifest last.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.builders import Builder, BuildOptions, Output, QuizOptions, all_builders
from generator.errors import ContentError, Problem, UsageError
from generator.load import article_folders, article_inputs, load_article_set
from generator.manifest import (
    MANIFEST,
    ArticleSummary,
    Entry,
    Manifest,
    digest,
    environment_fingerprint,
    inputs_digest,
    tool_fingerprint,
)
from generator.model import KINDS, ArticleSet
from generator.parallel import auto_jobs, ordered_map
from generator.read_questions import valid_deck_parent
from generator.write import Stager, write_temporary

Progress = Callable[[str, int, int], None]  # (what, done, total)


LAST_EPOCH = 4354819199  # 2107-12-31 23:59:59 UTC, the last time a zip file (an .apkg) can hold


def source_date_epoch() -> int | None:
    """`SOURCE_DATE_EPOCH` when set; raises UsageError when it is not a time quizgen can write."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or not value.strip():
        return None
    try:
        epoch = int(value.strip())
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{value}'") from None
    if not 0 <= epoch <= LAST_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH must be between 0 and {LAST_EPOCH} (the end of 2107), not {epoch}")
    return epoch


def source_timestamp(found: ArticleSet) -> float:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else the newest input's modification time.

    Only informative now: Anki notes carry their own stamps (anki.lock). A time out of range (an
    mtime after 2107) is clamped to what the outputs can hold.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        return float(epoch)
    return float(min(max(int(max(p.stat().st_mtime for p in found.inputs)), 0), LAST_EPOCH))


def stamp_now() -> int:
    """The stamp given to new and changed Anki notes: `SOURCE_DATE_EPOCH`, else the current time."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else min(int(time.time()), LAST_EPOCH)


def quiz_options(*, kinds: list[str], tags: list[str], points: list[str] | None = None, **rest) -> QuizOptions:
    """The quiz options from the command line; raises UsageError for an unknown kind or bad points."""
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"--kind {kind} is not a kind; the kinds are {', '.join(KINDS)}")
    for name in ("title", "time_allowed", "instructions"):
        if rest.get(name) is not None:
            rest[name] = " ".join(rest[name].split())
            if not rest[name]:
                raise UsageError(f"--{name.replace('_', '-')} is empty; leave the option out for the default")
    return QuizOptions(kinds=tuple(kinds), tags=tuple(tags), points=_points(points or []), **rest)


def _points(given: list[str]) -> tuple[tuple[str, int], ...]:
    """`--points KIND=N` values as (kind, points), the last given for a kind winning."""
    result: dict[str, int] = {}
    for value in given:
        kind, sep, number = value.partition("=")
        kind = kind.strip()
        if not sep or kind not in KINDS or not number.strip().isdigit() or not 1 <= int(number) <= 100:
            raise UsageError(
                f"--points {value} is not KIND=N with N from 1 to 100; the kinds are {', '.join(KINDS)}"
            )
        result[kind] = int(number)
    return tuple(sorted(result.items()))


def select_builders(only: list[str] | None) -> dict[str, type[Builder]]:
    """The builders to run: all, or those named with --only."""
    builders = all_builders()
    if not only:
        return builders
    for name in only:
        if name not in builders:
            raise UsageError(f"--only {name} is not an output; the outputs are {', '.join(builders)}")
    return {name: cls for name, cls in builders.items() if name in only}


def summarise(found: ArticleSet, timestamp: float, outputs: tuple[str, ...]) -> ArticleSummary:
    meta = found.article.meta
    return ArticleSummary(
        slug=found.article.slug, title=meta.title, author=meta.author, language=meta.language,
        rtl=meta.rtl, questions=len(found.questions), timestamp=timestamp, outputs=outputs,
    )


@dataclass(frozen=True)
class Job:
    """One article to build, with the builders whose outputs are out of date."""

    folder: Path
    builders: tuple[str, ...]
    deck_parent: str | None
    quiz: QuizOptions
    out: Path  # where the temporary files go
    owner: int  # the process id of the build, which names its temporary files
    keep_printable: bool = False  # return the printable pages too, for --pdf
    ui_language: str | None = None  # --ui-language: quizgen's words in this language, not the article's


@dataclass
class Done:
    """What building one article gave: its temporary files by builder, or its problems."""

    slug: str
    problems: list[Problem] = field(default_factory=list)
    staged: dict[str, list[tuple[str, Path]]] = field(default_factory=dict)  # builder: (name, temporary)
    printable: list[Output] = field(default_factory=list)
    summary: ArticleSummary | None = None
    left_out: int = 0  # questions the quiz left out for giveaways and groups
    beside: list[Output] = field(default_factory=list)  # files for the article folder (anki.lock)


def build_article(job: Job) -> Done:
    """Load, check and build one article, writing its outputs to temporary files.

    With --jobs this runs in a worker process: writing there keeps the outputs' bytes out of the
    parent, which only renames.
    """
    try:
        found = load_article_set(job.folder)
    except ContentError as e:
        return Done(job.folder.name, problems=e.problems)
    options = BuildOptions(timestamp=source_timestamp(found), deck_parent=job.deck_parent, quiz=job.quiz, now=stamp_now(),
                           ui_language=job.ui_language)
    builders = all_builders()
    done = Done(found.article.slug)
    try:
        for name in job.builders:
            outputs = builders[name]().build(found, options)
            done.staged[name] = []
            done.beside += [o for o in outputs if o.beside_content]
            for output in (o for o in outputs if not o.beside_content):
                done.staged[name].append((output.name, write_temporary(job.out, output, owner=job.owner)))
            done.printable += [o for o in outputs if o.printable and job.keep_printable]
    except BaseException:
        for _, tmp in (pair for pairs in done.staged.values() for pair in pairs):
            tmp.unlink(missing_ok=True)
        raise
    if "quiz" in job.builders:
        from generator.builders.quiz.assemble import assemble

        done.left_out = len(assemble(found, job.quiz).left_out)
    names = tuple(name for pairs in done.staged.values() for name, _ in pairs)
    done.summary = summarise(found, options.timestamp, names)
    return done


@dataclass
class BuildResult:
    written: list[Path]
    built: list[str]  # slugs of the articles built
    skipped: list[str]  # slugs of the articles whose outputs were up to date
    stale: list[str]  # outputs of articles that are gone
    pruned: list[str] = field(default_factory=list)
    left_out: int = 0  # questions left out of the quizzes built, so that none gives another away
    kept: list[Path] = field(default_factory=list)  # files rewritten beside the questions (anki.lock)


def build(
    root: Path, out: Path, *, only: list[str] | None = None, force: bool = False, jobs: int | None = None,
    deck_parent: str | None = None, quiz: QuizOptions | None = None, pdf: str | None = None,
    prune: bool = False, progress: Progress | None = None, ui_language: str | None = None,
) -> BuildResult:
    """Build what is out of date under `root` into `out`; raises ContentError or UsageError."""
    quiz = quiz or QuizOptions()
    builders = select_builders(only)
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is a usage error before any work
    if deck_parent is not None and not valid_deck_parent(deck_parent):
        raise UsageError(f"--deck-parent '{deck_parent}' is not a deck name; write one such as 'Articles' or 'History::Middle East'")
    folders = article_folders(root)
    manifest = Manifest.read(out)
    options_print = digest(tool_fingerprint(), environment_fingerprint(), repr((deck_parent, quiz, bool(pdf), ui_language)))
    todo: list[Job] = []
    hashes: dict[str, str] = {}
    for folder in folders:
        inputs = digest(options_print, inputs_digest(article_inputs(folder)))
        outdated = tuple(
            name for name in builders
            if force or not manifest.fresh(f"{folder.name}:{name}", kept_digest(inputs, name, builders[name], folder), out)
        )
        hashes[folder.name] = inputs
        if outdated or folder.name not in manifest.articles:
            todo.append(Job(folder, outdated, deck_parent, quiz, out, os.getpid(), bool(pdf), ui_language))
    problems: list[Problem] = []
    built: list[str] = []
    left_out = 0
    printable: list[Output] = []
    printable_of: dict[str, str] = {}  # a printable page's name: its article's slug
    folders_by = {f.name: f for f in folders}
    beside: list[tuple[Path, Output]] = []  # files written into article folders with the outputs
    with Stager(out) as stager:
        for done_count, done in enumerate(ordered_map(build_article, todo, jobs or auto_jobs(len(todo))), start=1):
            if progress:
                progress("articles", done_count, len(todo))
            for pairs in done.staged.values():
                for name, tmp in pairs:
                    stager.adopt(name, tmp)  # removed with the rest if the build fails
            if done.problems:
                problems += done.problems
                continue
            for name, pairs in done.staged.items():
                entry_hash = kept_digest(hashes[done.slug], name, builders[name], folders_by[done.slug], done.beside)
                manifest.entries[f"{done.slug}:{name}"] = Entry(entry_hash, [n for n, _ in pairs])
            beside += [(folders_by[done.slug], o) for o in done.beside]
            printable += done.printable
            printable_of.update((o.name, done.slug) for o in done.printable)
            manifest.articles[done.slug] = _merge_outputs(done.summary, manifest)
            built.append(done.slug)
            left_out += done.left_out
        if problems:
            raise ContentError(problems)
        if (quiz.tags or quiz.kinds or quiz.tests) and "quiz" in builders and built and not any(
            manifest.entries.get(f"{slug}:quiz", Entry("", [])).outputs for slug in built
        ):
            raise UsageError("no question matches the quiz selection (--tag, --kind, --tests); no quiz was made")
        if printable:
            from generator.pdf import print_to_pdf

            pdfs = print_to_pdf(printable, pdf)  # type: ignore[arg-type]
            stager.stage(pdfs)
            for page, printed in zip(printable, pdfs):  # one PDF per printable page, in order
                manifest.entries[f"{printable_of[page.name]}:quiz"].outputs.append(printed.name)
            for slug in set(printable_of.values()):  # the index lists the PDFs too
                manifest.articles[slug] = _merge_outputs(manifest.articles[slug], manifest)
        present = {f.name for f in folders}
        stale, pruned = _stale(manifest, present, out, prune)
        summaries = [manifest.articles[slug] for slug in sorted(present) if slug in manifest.articles]
        _finish(builders, summaries, manifest, options_print, deck_parent, quiz, out, stager, force, ui_language)
        record = manifest.to_bytes()
        if not (out / MANIFEST).is_file() or (out / MANIFEST).read_bytes() != record:
            stager.stage([Output(MANIFEST, record)], hidden=True)
        kept = write_beside(beside)  # before the outputs: a lock never lags behind the deck it stamped
        written = [p for p in stager.commit() if p.name != MANIFEST]
    for name in pruned:
        (out / name).unlink(missing_ok=True)
    skipped = [f.name for f in folders if f.name not in built]
    return BuildResult(written, built, skipped, stale, pruned, left_out, kept)


def kept_digest(inputs: str, name: str, cls: type[Builder], folder: Path, new: list[Output] | None = None) -> str:
    """The hash an output is fresh for: its inputs, and the files its builder keeps (anki.lock),
    as they are in the folder or, right after building, as the builder rewrote them."""
    parts: list[str | bytes] = [inputs, name]
    for kept in cls.keeps:
        fresh = [o.data for o in new or () if o.name == kept]
        if fresh:
            parts += [kept, fresh[0]]
        elif (folder / kept).is_file():
            parts += [kept, _unix_lines((folder / kept).read_bytes())]
    return digest(*parts)


def _unix_lines(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def write_beside(files: list[tuple[Path, Output]]) -> list[Path]:
    """Each file into its article folder, atomically (a temporary file renamed), if it changed."""
    written = []
    for folder, output in files:
        target = folder / output.name
        if target.is_file() and _unix_lines(target.read_bytes()) == output.data:
            continue  # unchanged (git may have checked it out with Windows line ends)
        written.append(target)
        tmp = write_temporary(folder, output)
        try:
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return written


def _merge_outputs(summary: ArticleSummary | None, manifest: Manifest) -> ArticleSummary:
    """The article's summary, listing the outputs of every builder it has entries for."""
    assert summary is not None
    names = [n for key, e in sorted(manifest.entries.items()) if key.startswith(f"{summary.slug}:") for n in e.outputs]
    return ArticleSummary(**{**summary.__dict__, "outputs": tuple(names)})


def _stale(manifest: Manifest, present: set[str], out: Path, prune: bool) -> tuple[list[str], list[str]]:
    """Outputs of articles that are gone: reported, or with `prune` removed (after the commit)."""
    stale: list[str] = []
    for key in list(manifest.entries):
        slug = key.split(":", 1)[0]
        if slug and slug not in present:
            existing = [n for n in manifest.entries[key].outputs if (out / n).is_file()]
            stale += existing
            if prune or not existing:
                del manifest.entries[key]
    for slug in list(manifest.articles):
        if slug not in present and not any(k.startswith(f"{slug}:") for k in manifest.entries):
            del manifest.articles[slug]
    return sorted(stale), sorted(stale) if prune else []


def _finish(builders, summaries, manifest, options_print, deck_parent, quiz, out, stager, force, ui_language=None) -> None:
    """Whole-library outputs (the index), rebuilt when any article's summary changed."""
    state = digest(options_print, repr(summaries))
    timestamp = max((s.timestamp for s in summaries), default=0.0)
    for name, cls in builders.items():
        key = f":{name}"
        if not force and manifest.fresh(key, state, out):
            continue
        outputs = cls().finish(summaries, BuildOptions(timestamp=timestamp, deck_parent=deck_parent, quiz=quiz,
                                                   ui_language=ui_language))
        if outputs or key in manifest.entries:
            # one article's edit must not rewrite a file per article (the study pages' manifests)
            stager.stage([o for o in outputs if force or not _same(out / o.name, o.data)])
            manifest.entries[key] = Entry(state, [o.name for o in outputs])


def _same(path: Path, data: bytes) -> bool:
    """Whether the file holds exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
