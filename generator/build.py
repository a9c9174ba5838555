"""Building in three steps: plan what is out of date, run the builders, commit the outputs.

`plan` compares every article's inputs with the manifest; `run` loads, checks and builds each
article that is out of date on its own (in parallel processes with `jobs` > 1), its outputs
written at once into the staging folder, so memory holds one article at a time; `commit` makes
the whole-library outputs and the manifest and puts everything in place at once (`write.py`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.builders import Builder, BuildOptions, Output, QuizOptions, all_builders
from generator.errors import ContentError, Interrupted, Problem, UsageError
from generator.load import article_folders, article_inputs, load_article_set, read_input
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
from generator.write import Stager, write_temporary

Progress = Callable[[str, int, int], None]  # (what, done, total)


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
    staging: Path  # where the outputs are written before the commit
    keep_printable: bool = False  # return the printable pages too, for --pdf


@dataclass
class Done:
    """What building one article gave: its staged files by builder, or its problems."""

    slug: str
    problems: list[Problem] = field(default_factory=list)
    staged: dict[str, list[tuple[str, Path, str]]] = field(default_factory=dict)  # builder: (name, file, sha256)
    printable: list[Output] = field(default_factory=list)
    summary: ArticleSummary | None = None
    source: str = ""  # the hash of the input bytes it was built from


def build_article(job: Job) -> Done:
    """Load, check and build one article, writing its outputs into the staging folder.

    With --jobs this runs in a worker process: writing there keeps the outputs' bytes out of the
    parent, which only moves files.
    """
    try:
        found = load_article_set(job.folder)
    except ContentError as e:
        return Done(job.folder.name, problems=e.problems)
    options = BuildOptions(timestamp=source_timestamp(found), deck_parent=job.deck_parent, quiz=job.quiz)
    builders = all_builders()
    done = Done(found.article.slug, source=found.source)
    for name in job.builders:
        outputs = builders[name]().build(found, options)
        done.staged[name] = [(o.name, *write_temporary(job.staging, o)) for o in outputs]
        done.printable += [o for o in outputs if o.printable and job.keep_printable]
    names = tuple(name for staged in done.staged.values() for name, _, _ in staged)
    done.summary = summarise(found, options.timestamp, names)
    return done


@dataclass
class BuildResult:
    written: list[Path]
    built: list[str]  # slugs of the articles built
    skipped: list[str]  # slugs of the articles whose outputs were up to date
    stale: list[str]  # outputs of articles that are gone
    pruned: list[str] = field(default_factory=list)


@dataclass
class Settings:
    """What the command line asked for."""

    builders: dict[str, type[Builder]]
    deck_parent: str | None
    quiz: QuizOptions
    pdf: str | None
    force: bool
    prune: bool
    jobs: int | None
    progress: Progress | None
    fingerprint: str = ""  # quizgen, the environment and the options: a change rebuilds everything

    def __post_init__(self) -> None:
        """Every option goes into the fingerprint but those that cannot change an output's bytes,
        so that a new option rebuilds what it changes without being listed here."""
        options = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_IN_OUTPUTS}
        options["pdf"] = bool(self.pdf)  # whichever Chromium printed
        self.fingerprint = digest(tool_fingerprint(), environment_fingerprint(), repr(sorted(options.items())))


_NOT_IN_OUTPUTS = frozenset({"builders", "force", "prune", "jobs", "progress", "fingerprint"})


@dataclass
class Plan:
    folders: list[Path]
    manifest: Manifest
    todo: list[Job]


def build(
    root: Path, out: Path, *, only: list[str] | None = None, force: bool = False, jobs: int | None = None,
    deck_parent: str | None = None, quiz: QuizOptions | None = None, pdf: str | None = None,
    prune: bool = False, progress: Progress | None = None,
) -> BuildResult:
    """Build what is out of date under `root` into `out`; raises ContentError or UsageError."""
    settings = Settings(select_builders(only), deck_parent, quiz or QuizOptions(), pdf, force, prune, jobs, progress)
    folders = article_folders(root)
    stager = Stager(out)
    try:
        with stager:
            found = plan(folders, Manifest.read(out), stager, settings)
            built = run(found, stager, settings)
            return commit(found, built, stager, settings)
    except KeyboardInterrupt as e:
        if stager.committed and not isinstance(e, Interrupted):  # the message must not say nothing changed
            raise Interrupted(f"interrupted after every output was written into {out}") from None
        raise


def plan(folders: list[Path], manifest: Manifest, stager: Stager, settings: Settings) -> Plan:
    """The articles whose outputs are missing, altered or made from other inputs or options."""
    todo: list[Job] = []
    for folder in folders:
        inputs = digest(settings.fingerprint, _inputs(folder))
        outdated = tuple(
            name for name in settings.builders
            if settings.force or not manifest.fresh(f"{folder.name}:{name}", digest(inputs, name), stager.folder)
        )
        if outdated or folder.name not in manifest.articles:
            todo.append(Job(folder, outdated, settings.deck_parent, settings.quiz, stager.staging, bool(settings.pdf)))
    return Plan(folders, manifest, todo)


def _inputs(folder: Path) -> str:
    """The hash of an article's inputs as they are now; empty (out of date) when they cannot be read."""
    try:
        return inputs_digest([(p.name, read_input(p)) for p in article_inputs(folder)])
    except (ContentError, OSError):
        return ""


def run(found: Plan, stager: Stager, settings: Settings) -> list[Done]:
    """Every job built (its outputs staged); raises ContentError with every article's problems."""
    problems: list[Problem] = []
    built: list[Done] = []
    jobs = settings.jobs or auto_jobs(len(found.todo))
    for count, done in enumerate(ordered_map(build_article, found.todo, jobs), start=1):
        if settings.progress:
            settings.progress("articles", count, len(found.todo))
        for staged in done.staged.values():
            for name, path, _ in staged:
                stager.adopt(name, path)
        problems += done.problems
        if not done.problems:
            built.append(done)
    if problems:
        raise ContentError(problems)
    return built


def commit(found: Plan, built: list[Done], stager: Stager, settings: Settings) -> BuildResult:
    """Record what was built, make the whole-library outputs and put every output in place."""
    manifest = found.manifest
    printable_of: dict[str, str] = {}  # a printable page's name: its article's slug
    for done in built:
        inputs = digest(settings.fingerprint, done.source)
        for name, staged in done.staged.items():
            manifest.entries[f"{done.slug}:{name}"] = Entry(
                digest(inputs, name), [n for n, _, _ in staged], {n: sha for n, _, sha in staged}
            )
        printable_of.update((o.name, done.slug) for o in done.printable)
        manifest.articles[done.slug] = _merge_outputs(done.summary, manifest)
    _check_selection(settings, manifest, built)
    if printable_of:
        _print_pdfs(built, printable_of, manifest, stager, settings)
    present = {f.name for f in found.folders}
    stale, pruned = _stale(manifest, present, stager.folder, settings.prune)
    summaries = [manifest.articles[slug] for slug in sorted(present) if slug in manifest.articles]
    _finish(summaries, manifest, stager, settings)
    record = manifest.to_bytes()
    if not (stager.folder / MANIFEST).is_file() or (stager.folder / MANIFEST).read_bytes() != record:
        stager.stage([Output(MANIFEST, record)], hidden=True)
    written = [p for p in stager.commit() if p.name != MANIFEST]
    for name in pruned:
        (stager.folder / name).unlink(missing_ok=True)
    built_slugs = [d.slug for d in built]
    skipped = [f.name for f in found.folders if f.name not in built_slugs]
    return BuildResult(written, built_slugs, skipped, stale, pruned)


def _check_selection(settings: Settings, manifest: Manifest, built: list[Done]) -> None:
    quiz = settings.quiz
    if (quiz.tags or quiz.kinds or quiz.tests) and "quiz" in settings.builders and built and not any(
        manifest.entries.get(f"{d.slug}:quiz", Entry("", [])).outputs for d in built
    ):
        raise UsageError("no question matches the quiz selection (--tag, --kind, --tests); no quiz was made")


def _print_pdfs(built: list[Done], printable_of: dict[str, str], manifest: Manifest, stager: Stager, settings: Settings) -> None:
    from generator.pdf import print_to_pdf

    printable = [o for d in built for o in d.printable]
    pdfs = print_to_pdf(printable, settings.pdf)  # type: ignore[arg-type]
    stager.stage(pdfs)
    for page, printed in zip(printable, pdfs):  # one PDF per printable page, in order
        entry = manifest.entries[f"{printable_of[page.name]}:quiz"]
        entry.outputs.append(printed.name)
        entry.sums[printed.name] = stager.sums[printed.name]


def _merge_outputs(summary: ArticleSummary | None, manifest: Manifest) -> ArticleSummary:
    """The article's summary, listing the outputs of every builder it has entries for."""
    assert summary is not None
    names = [n for key, e in sorted(manifest.entries.items()) if key.startswith(f"{summary.slug}:") for n in e.outputs]
    return ArticleSummary(**{**summary.__dict__, "outputs": tuple(names)})


def _stale(manifest: Manifest, present: set[str], out: Path, prune: bool) -> tuple[list[str], list[str]]:
    """Outputs of articles that are gone: reported, or with `prune` removed (after the commit).

    Only files the manifest records for an article that is gone, named after that article and
    not also an output of another entry, directly inside `out` (the manifest checked that).
    """
    kept = {n for key, e in manifest.entries.items() if key.split(":", 1)[0] in present or key.startswith(":") for n in e.outputs}
    stale: list[str] = []
    for key in [k for k in manifest.entries if k.split(":", 1)[0] not in present and not k.startswith(":")]:
        existing = [n for n in manifest.entries[key].outputs if n not in kept and (out / n).is_file()]
        stale += existing
        if prune or not existing:
            del manifest.entries[key]
    for slug in list(manifest.articles):
        if slug not in present and not any(k.startswith(f"{slug}:") for k in manifest.entries):
            del manifest.articles[slug]
    return sorted(stale), sorted(stale) if prune else []


def _finish(summaries: list[ArticleSummary], manifest: Manifest, stager: Stager, settings: Settings) -> None:
    """Whole-library outputs (the index), rebuilt when any article's summary changed."""
    state = digest(settings.fingerprint, repr(summaries))
    timestamp = max((s.timestamp for s in summaries), default=0.0)
    options = BuildOptions(timestamp=timestamp, deck_parent=settings.deck_parent, quiz=settings.quiz)
    for name, cls in settings.builders.items():
        key = f":{name}"
        if not settings.force and manifest.fresh(key, state, stager.folder):
            continue
        outputs = cls().finish(summaries, options)
        if outputs or key in manifest.entries:
            stager.stage(outputs)
            manifest.entries[key] = Entry(state, [o.name for o in outputs], {o.name: stager.sums[o.name] for o in outputs})
