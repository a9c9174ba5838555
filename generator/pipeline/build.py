"""Building in three steps: plan what is out of date, run the builders, commit the outputs.

`plan` (build_plan.py) compares every article's inputs with the manifest; `run` (here) loads,
checks and builds each article that is out of date on its own (in parallel processes with `jobs` >
1), its outputs written at once into the staging folder, so memory holds one article at a time;
`commit` (build_commit.py) makes the whole-library outputs and the manifest and puts everything in
place at once (`write.py`). No builder is named here: each is reached through the builder contract
(generator/outputs/__init__.py).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import ContentError, Interrupted, Problem, UsageError, display_path
from generator.outputs import BuildOptions, Remarks, check_outputs, named_builders
from generator.pipeline.build_commit import commit
from generator.pipeline.build_plan import (
    LAST_EPOCH,
    BuildResult,
    Done,
    Job,
    Plan,
    Progress,
    Settings,
    plan,
    select_builders,
    source_date_epoch,
)
from generator.pipeline.lockfile import LOCK_FILE, duplicate_decks, duplicate_guids
from generator.pipeline.manifest import ArticleSummary, Manifest
from generator.pipeline.parallel import auto_jobs, ordered_map
from generator.pipeline.write import NameTaken, Stager, write_temporary
from generator.sources.inputs import ARTICLE_FILE, article_folders

if TYPE_CHECKING:
    from generator.model import ArticleSet


def source_timestamp(found: ArticleSet) -> float:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else the newest input's modification time.

    Only informative now: Anki notes carry their own stamps (anki.lock). A time out of range (an
    mtime after 2107) is clamped to what the outputs can hold.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        return float(epoch)
    return float(min(max(int(max(p.stat().st_mtime for p in found.inputs)), 0), LAST_EPOCH))


def wall_clock() -> int:
    """The current time, as a stamp (changed Anki notes get at least this, whatever SOURCE_DATE_EPOCH says)."""
    return min(int(time.time()), LAST_EPOCH)


def stamp_now() -> int:
    """The stamp given to new Anki notes: `SOURCE_DATE_EPOCH`, else the current time."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else wall_clock()


def summarise(found: ArticleSet, timestamp: float, outputs: tuple[str, ...]) -> ArticleSummary:
    meta = found.article.meta
    return ArticleSummary(
        slug=found.article.slug, title=meta.title, author=meta.author, language=meta.language,
        rtl=meta.rtl, questions=len(found.questions), timestamp=timestamp, outputs=outputs,
    )


def build_article(job: Job) -> Done:
    """Load, check and build one article, writing its outputs into the staging folder.

    With --jobs this runs in a worker process: writing there keeps the outputs' bytes out of the
    parent, which only moves files.
    """
    with collected_after():
        return _build_article(job)


@contextmanager
def collected_after() -> Iterator[None]:
    """No cyclic garbage collection while an article is built; one of the young objects after it.

    Loading, checking and building an article make hundreds of thousands of objects that live until
    it is built, and few cycles (Jinja's contexts and macros, each a page). Collected every 20,000 new
    objects (`fewer_collections`), a full build of 200 articles scanned them in 157 collections: 1.0 s
    of CPU. Once per article, when they are gone, the collection finds only the cycles: 0.5 s, and the
    same peak memory (81 MB; one article of 5,000 questions 145 MB, 141 before)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(1)


def _build_article(job: Job) -> Done:
    from generator.sources.load import load_article_set  # the parsers: only where an article is built (issue 31)

    try:
        found = load_article_set(job.folder)
    except ContentError as e:
        return Done(job.folder.name, problems=e.problems)
    options = BuildOptions(timestamp=source_timestamp(found), deck_parent=job.deck_parent, settings=job.options, now=stamp_now(),
                           ui_language=job.ui_language, clock=wall_clock(), rebuilt=job.rebuilt)
    builders = named_builders(job.builders)  # only their modules: --only anki imports no Jinja2
    done = Done(found.article.slug, source=found.source)
    remarks: list[Remarks] = []
    for name in job.builders:
        builder = builders[name]()
        outputs = builder.build(found, options)
        check_outputs(builders[name], found.article.slug, outputs)
        done.beside += [o for o in outputs if o.beside_content]
        try:
            done.staged[name] = [(o.name, *write_temporary(job.staging, o)) for o in outputs if not o.beside_content]
        except NameTaken as e:  # mini's mini-quiz-key.html with --append-key, and mini-quiz's
            done.problems.append(Problem(display_path(job.folder), 1, 1, f"another article also writes {e.name} with "
                                         "these options; rename one of the two article folders"))
            return done
        done.printable += [(name, o) for o in outputs if o.printable and job.keep_printable]
        remarks.append(builder.remarks(found, options))
    done.left_out = max((r.left_out for r in remarks), default=0)  # the quiz and the exports leave out the same ones
    done.warnings += dict.fromkeys(w for r in remarks for w in r.warnings)
    names = tuple(name for staged in done.staged.values() for name, _, _ in staged)
    done.summary = summarise(found, options.timestamp, names)
    return done


def build_targets(paths: list[Path], content: Path) -> tuple[Path, list[Path] | None]:
    """What `quizgen build PATH...` builds: a content folder as a whole, or article folders of one.

    `content` is the content folder a build without arguments would use (the configuration file's,
    else `questions`): article folders must be in it, since the shared outputs (the index) list its
    articles. An article folder is one holding an article.md, or any folder directly inside
    `content`. Returns (content folder, None) or (content folder, the article folders); raises
    UsageError for a folder given twice, a content folder given with article folders or another
    content folder, or an article folder of another content folder.
    """
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            raise UsageError(f"{display_path(path)} is given twice; name each folder once")
        seen.add(path.resolve())
    home = content.resolve()

    def inside(path: Path) -> bool:  # an article folder may be a link to elsewhere: where the link is counts
        return Path(os.path.abspath(path)).parent.resolve() == home

    articles = [p for p in paths if os.path.lexists(p / ARTICLE_FILE) or inside(p)]
    wholes = [p for p in paths if p not in articles]
    if wholes and articles:
        raise UsageError(
            f"{display_path(wholes[0])} is a content folder and {display_path(articles[0])} an article folder; "
            "give one content folder, or article folders"
        )
    if len(wholes) > 1:
        raise UsageError(
            f"give one content folder, not {len(wholes)} ({', '.join(display_path(p) for p in wholes)}), "
            "or article folders of one content folder"
        )
    if wholes:
        return wholes[0], None
    for path in articles:
        if not inside(path):
            raise UsageError(
                f"{display_path(path)} is not in the content folder {display_path(content)}; build article folders of "
                f"{display_path(content)} (set another with 'content' in quizgen.toml), or build "
                f"{display_path(path.parent)} as a whole"
            )
        if not path.is_dir():
            raise UsageError(f"{display_path(path)}: no such article folder in {display_path(content)}")
    return content, articles


def build(
    root: Path, out: Path, *, only: list[str] | None = None, export: list[str] | None = None, force: bool = False,
    jobs: int | None = None,
    deck_parent: str | None = None, options: Sequence[object] = (), pdf: str | None = None,
    prune: bool = False, progress: Progress | None = None, ui_language: str | None = None,
    articles: list[Path] | None = None, frozen: bool = False, warn: Callable[[Problem], None] | None = None,
    durable: bool = True,
) -> BuildResult:
    """Build what is out of date under `root` into `out`; raises ContentError or UsageError.

    With `articles` (folders of `root`, see build_targets) only those articles are built; the shared
    outputs (the index) still list every article of `root` that has outputs, and no other article's
    outputs are touched. `options` holds the builders' own options, one object of each builder's
    `Options` type (the defaults for a builder given none). `durable=False` (live previews) skips flushing the outputs to the disk.
    """
    settings = Settings(select_builders(only, export), deck_parent, tuple(options), pdf, force, prune, jobs, progress,
                        ui_language, frozen, warn)
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is a usage error before any work
    if deck_parent is not None and not _valid_deck_parent(deck_parent):
        raise UsageError(f"--deck-parent '{deck_parent}' is not a deck name; write one such as 'Articles' or 'History::Middle East'")
    if articles is not None and prune:
        raise UsageError(
            f"--prune works on a whole content folder: run quizgen build {display_path(root)} --prune "
            "to remove the outputs of articles that are gone"
        )
    folders = article_folders(root)
    if "generator.sources.templates" in sys.modules:  # a build's templates share one budget of steps (serve --watch builds again)
        sys.modules["generator.sources.templates"].new_build()
    stager = Stager(out, durable=durable)
    try:
        with stager:
            found = plan(folders if articles is None else articles, Manifest.read(out), stager, settings)
            found.library = folders
            found.shared = duplicate_guids(folders)  # GUIDs unique across the library (a copied folder's anki.lock)
            with _fewer_collections(bool(found.todo)):
                built = run(found, stager, settings)
                return commit(found, built, stager, settings)
    except KeyboardInterrupt as e:
        if stager.committed and not isinstance(e, Interrupted):  # the message must not say nothing changed
            raise Interrupted(f"interrupted after every output was written into {out}") from None
        raise


@contextmanager
def _fewer_collections(work: bool) -> Iterator[None]:
    """The collector's setting of checking (`fewer_collections`) for a build with articles to build;
    a rebuild that builds nothing imports none of it (the model and the kinds: 5 % of a no-op)."""
    if not work:
        with nullcontext():
            yield
        return
    from generator.checks.summary import fewer_collections

    with fewer_collections():
        try:
            yield
        finally:
            # the young objects of the commit collected while the threshold is still high: with the
            # usual one back, the next object made set off a collection of every object the process
            # holds (107,000: a sixth of a second), for a command that is about to end
            gc.collect(0)


def _valid_deck_parent(name: str) -> bool:
    from generator.sources.read_questions import valid_deck_parent  # it imports the parsers (issue 31)

    return valid_deck_parent(name)


def run(found: Plan, stager: Stager, settings: Settings) -> list[Done]:
    """Every job built (its outputs staged); raises ContentError with every article's problems."""
    problems: list[Problem] = list(found.shared)
    built: list[Done] = []
    jobs = settings.jobs or auto_jobs(len(found.todo))
    for count, done in enumerate(ordered_map(build_article, found.todo, jobs), start=1):
        if settings.progress:
            settings.progress("articles", count, len(found.todo))
        for staged in done.staged.values():
            for name, path, sha in staged:
                stager.adopt(name, path, sha)
        problems += done.problems + _kept_problems(done, found.folders, settings)
        if not done.problems:
            built.append(done)
    if problems:
        raise ContentError(problems)
    if settings.warn:  # two articles' decks of one name: with the locks this build writes (a first build's too)
        locks = {d.slug: o.data.decode("utf-8") for d in built for o in d.beside if o.name == LOCK_FILE}
        for problem in duplicate_decks(found.library or found.folders, locks):
            settings.warn(problem)
    return built


def _kept_problems(done: Done, folders: list[Path], settings: Settings) -> list[Problem]:
    """The builders' warnings about the files they keep beside the questions, said at once through
    `settings.warn`; with --frozen, an error for each such file the build would change."""
    problems: list[Problem] = []
    folder = next((f for f in folders if f.name == done.slug), None)
    for output in done.beside if folder is not None else ():
        if not output.warnings and not (settings.frozen and output.changes):
            continue  # nothing to say (display_path resolves a folder outside the working one: 24 µs an article)
        path = display_path(folder / output.name)  # type: ignore[operator]
        for message in output.warnings:
            if settings.warn:
                settings.warn(Problem(path, 1, 1, message, "warning"))
        if settings.frozen and output.changes:
            problems.append(Problem(path, 1, 1, f"--frozen: this build would change {output.name} ({output.changes}); "
                                                "run quizgen build without --frozen and commit it"))
    return problems
