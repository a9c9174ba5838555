"""The last step of a build: record what was built in the manifest, print the PDFs, make the
whole-library outputs (the index), find stale files (and with --prune remove them), and put every
output and kept file in place at once (`write.py`)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from generator.errors import EnvironmentFault, UsageError
from generator.outputs import Output, sheet_keys
from generator.pipeline.build_plan import (
    BuildResult,
    Done,
    Plan,
    Settings,
    kept_digest,
    source_date_epoch,
    unix_lines,
)
from generator.pipeline.manifest import (
    MANIFEST,
    STALE,
    ArticleSummary,
    Entry,
    Manifest,
    digest,
    file_sum,
)
from generator.pipeline.write import Stager, remove_leftovers, replace_file


def commit(found: Plan, built: list[Done], stager: Stager, settings: Settings) -> BuildResult:
    """Record what was built, make the whole-library outputs and put every output in place."""
    folders = {f.name: f for f in found.folders}
    stale, pruned, edited, why = _stage_records(found, built, stager, settings, folders)
    # the answer sheets' teacher files about to be replaced or pruned, kept under their codes first
    keys = _keep_sheet_keys(stager.folder, [*stager.pending.items(), *((name, None) for name in pruned)])
    kept, written = _put_in_place(built, stager, folders)
    for name in pruned:
        (stager.folder / name).unlink(missing_ok=True)
    built_slugs = [d.slug for d in built]
    skipped = [f.name for f in found.folders if f.name not in built_slugs]
    warnings = [w for d in built for w in d.warnings]
    return BuildResult(written, built_slugs, skipped, stale, pruned, sum(d.left_out for d in built), kept, warnings,
                       edited, why, keys)


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


def _keep_sheet_keys(out: Path, names: list[tuple[str, Path | None]]) -> list[Path]:
    """The answer sheets' teacher files among `names` in `out` (each about to be replaced by the staged file
    given, or pruned), kept under their codes, so that the papers printed with them are still marked
    (`sheet_keys`); the files written."""
    try:
        return sheet_keys.keep(out, [(name, out / name, new) for name, new in names], replace_file)
    except OSError as e:
        raise EnvironmentFault(Path(e.filename or out / sheet_keys.FOLDER),
                               f"{e.strerror}; cannot keep a replaced answer sheet's teacher file; no output was changed") from e


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
        if old is not None and unix_lines(old) == output.data:
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
    # the PDF printer (Playwright): only with --pdf
    from generator.outputs.pdf import boxes_warning, missing_glyphs, print_to_pdf

    printable = [o for d in built for _, o in d.printable]
    pdfs = print_to_pdf(printable, settings.pdf, source_date_epoch())  # type: ignore[arg-type]
    stager.stage(pdfs)
    for done, printed in zip([d for d in built for _ in d.printable], pdfs):  # characters no font has: said
        count, chars = missing_glyphs(printed.data)
        if count:
            done.warnings.append(boxes_warning(printed.name, count, chars))
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
