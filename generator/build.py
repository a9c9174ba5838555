"""Building in three steps: plan what is out of date, run the builders, commit the outputs.

`plan` compares every article's inputs with the manifest; `run` loads, checks and builds each
article that is out of date on its own (in parallel processes with `jobs` > 1), its outputs
written at once into the staging folder, so memory holds one article at a time; `commit` makes
the whole-library outputs and the manifest and puts everything in place at once (`write.py`).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from generator.builders import BuilderRef, BuildOptions, Output, Remarks, all_builders, builder_refs, check_outputs
from generator.errors import ContentError, EnvironmentFault, Interrupted, Problem, UsageError, display_path
from generator.inputs import ARTICLE_FILE, article_folders, article_inputs, read_input
from generator.lockfile import duplicate_guids
from generator.manifest import (
    MANIFEST,
    STALE,
    ArticleSummary,
    Entry,
    Manifest,
    digest,
    environment_fingerprint,
    inputs_digest,
    tool_fingerprint,
)
from generator.model import ArticleSet
from generator.parallel import auto_jobs, ordered_map
from generator.summary import fewer_collections
from generator.write import NameTaken, Stager, remove_leftovers, replace_file, write_temporary

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


def wall_clock() -> int:
    """The current time, as a stamp (changed Anki notes get at least this, whatever SOURCE_DATE_EPOCH says)."""
    return min(int(time.time()), LAST_EPOCH)


def stamp_now() -> int:
    """The stamp given to new Anki notes: `SOURCE_DATE_EPOCH`, else the current time."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else wall_clock()


def select_builders(only: list[str] | None, also: list[str] | None = None) -> dict[str, BuilderRef]:
    """The builders to run: those named with --only; else those built by default and those of --export
    (`also`); each imported only when it has work."""
    builders = builder_refs()
    for name in also or ():
        if name not in builders or builders[name].default:
            extra = [n for n, b in builders.items() if not b.default]
            raise UsageError(f"--export {name} is not an export; the exports are {', '.join(extra)}")
    if not only:
        return {name: cls for name, cls in builders.items() if cls.default or name in (also or ())}
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
    options: tuple[object, ...]  # the builders' own options (BuildOptions.settings)
    staging: Path  # where the outputs are written before the commit
    keep_printable: bool = False  # return the printable pages too, for --pdf
    ui_language: str | None = None  # --ui-language: quizgen's words in this language, not the article's
    rebuilt: bool = False  # the manifest of --out knows the article: it was built before


@dataclass
class Done:
    """What building one article gave: its staged files by builder, or its problems."""

    slug: str
    problems: list[Problem] = field(default_factory=list)
    staged: dict[str, list[tuple[str, Path, str]]] = field(default_factory=dict)  # builder: (name, file, sha256)
    printable: list[tuple[str, Output]] = field(default_factory=list)  # (builder, page) to print with --pdf
    summary: ArticleSummary | None = None
    source: str = ""  # the hash of the input bytes it was built from
    left_out: int = 0  # questions the quiz left out for giveaways and groups
    beside: list[Output] = field(default_factory=list)  # files for the article folder (anki.lock)
    warnings: list[str] = field(default_factory=list)  # what this build did other than asked, and why


def build_article(job: Job) -> Done:
    """Load, check and build one article, writing its outputs into the staging folder.

    With --jobs this runs in a worker process: writing there keeps the outputs' bytes out of the
    parent, which only moves files.
    """
    with fewer_collections():
        return _build_article(job)


def _build_article(job: Job) -> Done:
    from generator.load import load_article_set  # the parsers: only where an article is built (issue 31)

    try:
        found = load_article_set(job.folder)
    except ContentError as e:
        return Done(job.folder.name, problems=e.problems)
    options = BuildOptions(timestamp=source_timestamp(found), deck_parent=job.deck_parent, settings=job.options, now=stamp_now(),
                           ui_language=job.ui_language, clock=wall_clock(), rebuilt=job.rebuilt)
    builders = all_builders()
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


@dataclass
class BuildResult:
    written: list[Path]
    built: list[str]  # slugs of the articles built
    skipped: list[str]  # slugs of the articles whose outputs were up to date
    stale: list[str]  # outputs of articles that are gone, or of earlier options (see `why`)
    pruned: list[str] = field(default_factory=list)
    left_out: int = 0  # questions left out of the quizzes built, so that none gives another away
    kept: list[Path] = field(default_factory=list)  # files rewritten beside the questions (anki.lock)
    warnings: list[str] = field(default_factory=list)  # what the build did other than asked (a short quiz, a kept deck)
    edited: list[str] = field(default_factory=list)  # stale files changed since written: --prune keeps them
    why: dict[str, str] = field(default_factory=dict)  # a stale file's name: why it is stale


@dataclass
class Settings:
    """What the command line asked for."""

    builders: dict[str, BuilderRef]
    deck_parent: str | None
    options: tuple[object, ...]  # the builders' own options (BuildOptions.settings)
    pdf: str | None
    force: bool
    prune: bool
    jobs: int | None
    progress: Progress | None
    ui_language: str | None = None  # --ui-language (in the fingerprint: a change rebuilds everything)
    frozen: bool = False  # --frozen: refuse to change a file kept beside the questions (anki.lock)
    warn: Callable[[Problem], None] | None = None  # says a builder's warning as soon as it is found
    fingerprint: str = ""  # quizgen, the environment and the options: a change rebuilds everything

    def __post_init__(self) -> None:
        """Every option goes into the fingerprint but those that cannot change an output's bytes,
        so that a new option rebuilds what it changes without being listed here."""
        options = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_IN_OUTPUTS}
        options["pdf"] = bool(self.pdf)  # whichever Chromium printed
        self.fingerprint = digest(tool_fingerprint(), environment_fingerprint(), repr(sorted(options.items())))

    def build_options(self, timestamp: float = 0.0) -> BuildOptions:
        """What the whole-library outputs are built with."""
        return BuildOptions(timestamp=timestamp, deck_parent=self.deck_parent, settings=self.options,
                            ui_language=self.ui_language)


_NOT_IN_OUTPUTS = frozenset({"builders", "force", "prune", "jobs", "progress", "fingerprint", "frozen", "warn"})


@dataclass
class Plan:
    folders: list[Path]  # the articles to build (when out of date)
    manifest: Manifest
    todo: list[Job]
    library: list[Path] | None = None  # every article of the content folder, when only some are built
    shared: list[Problem] = field(default_factory=list)  # Anki GUIDs that two articles' locks share


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
    if "generator.templates" in sys.modules:  # a build's templates share one budget of steps (serve --watch builds again)
        sys.modules["generator.templates"].new_build()
    stager = Stager(out, durable=durable)
    try:
        with stager, fewer_collections():
            found = plan(folders if articles is None else articles, Manifest.read(out), stager, settings)
            found.library = folders
            found.shared = duplicate_guids(folders)  # GUIDs unique across the library (a copied folder's anki.lock)
            built = run(found, stager, settings)
            return commit(found, built, stager, settings)
    except KeyboardInterrupt as e:
        if stager.committed and not isinstance(e, Interrupted):  # the message must not say nothing changed
            raise Interrupted(f"interrupted after every output was written into {out}") from None
        raise


def _valid_deck_parent(name: str) -> bool:
    from generator.read_questions import valid_deck_parent  # it imports the parsers (issue 31)

    return valid_deck_parent(name)


def plan(folders: list[Path], manifest: Manifest, stager: Stager, settings: Settings) -> Plan:
    """The articles whose outputs are missing, altered or made from other inputs or options."""
    todo: list[Job] = []
    for folder in folders:
        inputs = digest(settings.fingerprint, _inputs(folder))
        outdated = tuple(
            name for name in settings.builders
            if settings.force or not manifest.fresh(
                f"{folder.name}:{name}", kept_digest(inputs, name, settings.builders[name], folder), stager.folder
            )
        )
        if outdated or folder.name not in manifest.articles:
            todo.append(Job(folder, outdated, settings.deck_parent, settings.options, stager.staging, bool(settings.pdf),
                            settings.ui_language, folder.name in manifest.articles))
    return Plan(folders, manifest, todo)


def _inputs(folder: Path) -> str:
    """The hash of an article's inputs as they are now; empty (out of date) when they cannot be read."""
    try:
        return inputs_digest([(p.name, read_input(p)) for p in article_inputs(folder)])
    except (ContentError, OSError):
        return ""


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
    return built


def _kept_problems(done: Done, folders: list[Path], settings: Settings) -> list[Problem]:
    """The builders' warnings about the files they keep beside the questions, said at once through
    `settings.warn`; with --frozen, an error for each such file the build would change."""
    problems: list[Problem] = []
    folder = next((f for f in folders if f.name == done.slug), None)
    for output in done.beside if folder is not None else ():
        path = display_path(folder / output.name)  # type: ignore[operator]
        for message in output.warnings:
            if settings.warn:
                settings.warn(Problem(path, 1, 1, message, "warning"))
        if settings.frozen and output.changes:
            problems.append(Problem(path, 1, 1, f"--frozen: this build would change {output.name} ({output.changes}); "
                                                "run quizgen build without --frozen and commit it"))
    return problems


def commit(found: Plan, built: list[Done], stager: Stager, settings: Settings) -> BuildResult:
    """Record what was built, make the whole-library outputs and put every output in place."""
    folders = {f.name: f for f in found.folders}
    stale, pruned, edited, why = _stage_records(found, built, stager, settings, folders)
    kept, written = _put_in_place(built, stager, folders)
    for name in pruned:
        (stager.folder / name).unlink(missing_ok=True)
    built_slugs = [d.slug for d in built]
    skipped = [f.name for f in found.folders if f.name not in built_slugs]
    warnings = [w for d in built for w in d.warnings]
    return BuildResult(written, built_slugs, skipped, stale, pruned, sum(d.left_out for d in built), kept, warnings,
                       edited, why)


def _stage_records(found: Plan, built: list[Done], stager: Stager, settings: Settings,
                   folders: dict[str, Path]) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """Enter the build in the manifest (outputs, PDFs, orphans, the whole-library outputs, stale files)
    and stage it; (stale, to prune, edited since written, why each is stale)."""
    manifest = found.manifest
    earlier = {k: Entry(e.hash, list(e.outputs), dict(e.sums)) for k, e in manifest.entries.items()}
    printable_of = _record(built, manifest, folders, settings)  # a printable page's name: its manifest entry
    _check_nothing_made(settings, manifest, built)
    if printable_of:
        _print_pdfs(built, printable_of, manifest, stager, settings)
    _orphans(manifest, earlier, built)
    present = {f.name for f in found.library or found.folders}  # the index lists every article, not only those built
    summaries = [manifest.articles[slug] for slug in sorted(present) if slug in manifest.articles]
    _finish(summaries, manifest, stager, settings)
    stale, pruned, edited, why = _stale(manifest, present, stager.folder, settings.prune)
    record = manifest.to_bytes()
    if not (stager.folder / MANIFEST).is_file() or (stager.folder / MANIFEST).read_bytes() != record:
        stager.stage([Output(MANIFEST, record)], hidden=True)
    return stale, pruned, edited, why


def _put_in_place(built: list[Done], stager: Stager, folders: dict[str, Path]) -> tuple[list[Path], list[Path]]:
    """Each article's kept files (anki.lock) beside its questions and every staged output in place, or
    none of them; (the kept files rewritten, the outputs written)."""
    before: dict[Path, bytes | None] = {}
    try:
        kept = write_beside([(folders[d.slug], o) for d in built for o in d.beside], before)  # a lock never lags behind its deck
        written = [p for p in stager.commit() if p.name != MANIFEST]
    except BaseException:  # nothing was committed: the locks go back too, as the message says
        _put_back(before)
        raise
    return kept, written


def _record(built: list[Done], manifest: Manifest, folders: dict[str, Path], settings: Settings) -> dict[str, str]:
    """Enter what each article built in the manifest; the entry (`<slug>:<builder>`) of each printable page."""
    printable_of: dict[str, str] = {}
    for done in built:
        inputs = digest(settings.fingerprint, done.source)
        for name, staged in done.staged.items():
            manifest.entries[f"{done.slug}:{name}"] = Entry(
                kept_digest(inputs, name, settings.builders[name], folders[done.slug], done.beside),
                [n for n, _, _ in staged], {n: sha for n, _, sha in staged},
            )
        printable_of.update((o.name, f"{done.slug}:{name}") for name, o in done.printable)
    manifest.articles.update(_merge_outputs([d.summary for d in built], manifest))
    return printable_of


def kept_digest(inputs: str, name: str, cls: BuilderRef, folder: Path, new: list[Output] | None = None) -> str:
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


def write_beside(files: list[tuple[Path, Output]], before: dict[Path, bytes | None] | None = None) -> list[Path]:
    """Each file into its article folder, atomically (a temporary file renamed), if it changed.

    `before` gets each replaced file's earlier bytes (None: there was none), to put back if the
    commit fails; a temporary file left by a build killed while renaming it is removed."""
    written = []
    for folder, output in files:
        target = folder / output.name
        remove_leftovers(target)
        if target.is_dir() and not target.is_symlink():
            raise EnvironmentFault(target, "is a folder; quizgen keeps a file of this name here: move the folder away")
        old = target.read_bytes() if target.is_file() else None
        if old is not None and _unix_lines(old) == output.data:
            continue  # unchanged (git may have checked it out with Windows line ends)
        if before is not None:
            before[target] = old
        written.append(target)
        replace_file(target, output.data)
    return written


def _put_back(before: dict[Path, bytes | None]) -> None:
    """The files `write_beside` replaced, as they were."""
    for target, old in before.items():
        try:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                replace_file(target, old)
        except OSError:
            pass  # the build fails anyway; the next one rewrites what it needs


def _check_nothing_made(settings: Settings, manifest: Manifest, built: list[Done]) -> None:
    """A builder that made nothing for any article built may call that a mistake (`Builder.nothing_made`:
    a quiz selection that matches no question)."""
    for name, ref in settings.builders.items():
        if built and not any(manifest.entries.get(f"{d.slug}:{name}", Entry("", [])).outputs for d in built):
            message = ref.load()().nothing_made(settings.build_options())
            if message:
                raise UsageError(message)


def _print_pdfs(built: list[Done], printable_of: dict[str, str], manifest: Manifest, stager: Stager, settings: Settings) -> None:
    from generator.pdf import print_to_pdf

    printable = [o for d in built for _, o in d.printable]
    pdfs = print_to_pdf(printable, settings.pdf)  # type: ignore[arg-type]
    stager.stage(pdfs)
    for page, printed in zip(printable, pdfs):  # one PDF per printable page, in order, in its page's entry
        entry = manifest.entries[printable_of[page.name]]
        entry.outputs.append(printed.name)
        entry.sums[printed.name] = stager.sums[printed.name]
    slugs = {key.split(":", 1)[0] for key in printable_of.values()}  # the index lists the PDFs too
    manifest.articles.update(_merge_outputs([manifest.articles[slug] for slug in slugs], manifest))


def _merge_outputs(summaries: list[ArticleSummary | None], manifest: Manifest) -> dict[str, ArticleSummary]:
    """Each article's summary, listing the outputs of every builder it has entries for.

    One pass over the manifest's entries for all the articles together: asked once per article,
    it was quadratic in the number of articles (2.35 s at 2,000 articles, in the parent).
    """
    wanted = {s.slug: s for s in summaries if s is not None}
    assert len(wanted) == len(summaries)
    keys: dict[str, list[str]] = {}
    for key in manifest.entries:
        slug = key.split(":", 1)[0]
        if slug in wanted and not key.endswith(f":{STALE}"):
            keys.setdefault(slug, []).append(key)
    return {
        slug: replace(summary, outputs=tuple(n for key in sorted(keys.get(slug, ())) for n in manifest.entries[key].outputs))
        for slug, summary in wanted.items()
    }


def _orphans(manifest: Manifest, earlier: dict[str, Entry], built: list[Done]) -> None:
    """Record as `<slug>:stale` the files an article's earlier build made that this one did not
    (versions, PDFs, sheets and their JSON of other options), with the SHA-256 they were written with."""
    current = {n for key, e in manifest.entries.items() if not key.endswith(f":{STALE}") for n in e.outputs}
    for done in built:
        key = f"{done.slug}:{STALE}"
        stale = manifest.entries.get(key, Entry("", []))
        sums = dict(stale.sums)
        for name in done.staged:
            before = earlier.get(f"{done.slug}:{name}", Entry("", []))
            for n in before.outputs:
                if n not in current and n not in sums:
                    sums[n] = before.sums.get(n, "")
        sums = {n: sha for n, sha in sums.items() if n not in current}  # made again: current, not stale
        if sums:
            manifest.entries[key] = Entry("", sorted(sums), sums)
        else:
            manifest.entries.pop(key, None)


def _stale(manifest: Manifest, present: set[str], out: Path, prune: bool) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """Outputs of articles that are gone and of articles' earlier options: reported, or with
    `prune` removed (after the commit) when they still hold the bytes quizgen wrote; a file
    changed since is kept and reported (the teacher's edit is never deleted).

    Only files the manifest records, named after their article and not also an output of
    another entry, directly inside `out` (the manifest checked that). Returns (stale, pruned,
    edited, why)."""
    kept = {n for key, e in manifest.entries.items() if not key.endswith(f":{STALE}")
            and (key.split(":", 1)[0] in present or key.startswith(":")) for n in e.outputs}
    stale: list[str] = []
    pruned: list[str] = []
    edited: list[str] = []
    why: dict[str, str] = {}
    for key in [k for k in manifest.entries if not k.startswith(":") or k == f":{STALE}"]:
        gone = key.split(":", 1)[0] not in present and key != f":{STALE}"
        if not gone and not key.endswith(f":{STALE}"):
            continue
        existing = _stale_files(manifest, key, kept, out, prune)
        for name, unchanged in existing:
            stale.append(name)
            why[name] = _why(key, name, gone, present)
            if prune:
                (pruned if unchanged else edited).append(name)
    for slug in list(manifest.articles):
        if slug not in present and not any(k.startswith(f"{slug}:") for k in manifest.entries):
            del manifest.articles[slug]
    return sorted(stale), sorted(pruned), sorted(edited), why


def _stale_files(manifest: Manifest, key: str, kept: set[str], out: Path, prune: bool) -> list[tuple[str, bool]]:
    """The stale files of one manifest entry that are still there, each with whether it holds the
    bytes quizgen wrote; the entry is dropped when pruned or empty, else kept to what is left."""
    from generator.manifest import file_sum

    entry = manifest.entries[key]
    existing = [n for n in entry.outputs if n not in kept and (out / n).is_file()]
    if prune or not existing:
        del manifest.entries[key]
    elif len(existing) < len(entry.outputs):
        manifest.entries[key] = Entry(entry.hash, existing, {n: entry.sums.get(n, "") for n in existing})
    return [(n, prune and file_sum(out / n) == entry.sums.get(n)) for n in existing]


def _why(key: str, name: str, gone: bool, present: set[str]) -> str:
    if key[0] == ":":  # a whole-library output no longer made: a deleted article's study webmanifest, say
        gone = not any(name.startswith((f"{slug}-", f"{slug}.")) for slug in present)
    return "its article is gone" if gone else "made with other options than this build's" if key[0] != ":" \
        else "no longer made by this build"


def _finish(summaries: list[ArticleSummary], manifest: Manifest, stager: Stager, settings: Settings) -> None:
    """Whole-library outputs (the index), rebuilt when any article's summary changed."""
    state = digest(settings.fingerprint, repr(summaries))
    timestamp = max((s.timestamp for s in summaries), default=0.0)
    options = settings.build_options(timestamp)
    for name, ref in settings.builders.items():
        key = f":{name}"
        if not ref.finishes and key not in manifest.entries:
            continue  # no whole-library outputs, now or before: nothing to import
        if not settings.force and manifest.fresh(key, state, stager.folder):
            continue
        outputs = ref.load()().finish(summaries, options)
        if outputs or key in manifest.entries:
            # one article's edit must not rewrite a file per article (the study pages' manifests)
            stager.stage([o for o in outputs if settings.force or not _same(stager.folder / o.name, o.data)])
            sums = {o.name: hashlib.sha256(o.data).hexdigest() for o in outputs}
            before = manifest.entries.get(key, Entry("", []))
            manifest.entries[key] = Entry(state, [o.name for o in outputs], sums)
            gone = {n: before.sums.get(n, "") for n in before.outputs if n not in sums}  # a deleted article's webmanifest
            if gone:
                shared = manifest.entries.setdefault(f":{STALE}", Entry("", []))
                shared.sums.update(gone)
                shared.outputs = sorted(shared.sums)


def _same(path: Path, data: bytes) -> bool:
    """Whether the file holds exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
