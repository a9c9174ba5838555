"""What a build is asked for and what is out of date: the settings, one job per article, the plan.

`plan` compares every article's inputs (and the files its builders keep, such as anki.lock) with the
manifest of the output folder; an article whose outputs are missing, altered or made from other
inputs or options becomes a Job for `generator.pipeline.build.run`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.errors import ContentError, Problem, UsageError
from generator.outputs import BuilderRef, BuildOptions, Output, builder_refs
from generator.pipeline.manifest import (
    ArticleSummary,
    Manifest,
    digest,
    environment_fingerprint,
    inputs_digest,
    tool_fingerprint,
)
from generator.pipeline.write import Stager
from generator.sources.inputs import article_inputs, read_input

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
    sheet_keys: list[Path] = field(default_factory=list)  # answer sheets' teacher files kept under their codes


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


def kept_digest(inputs: str, name: str, cls: BuilderRef, folder: Path, new: list[Output] | None = None) -> str:
    """The hash an output is fresh for: its inputs, and the files its builder keeps (anki.lock),
    as they are in the folder or, right after building, as the builder rewrote them."""
    parts: list[str | bytes] = [inputs, name]
    for kept in cls.keeps:
        fresh = [o.data for o in new or () if o.name == kept]
        if fresh:
            parts += [kept, fresh[0]]
        elif (folder / kept).is_file():
            parts += [kept, unix_lines((folder / kept).read_bytes())]
    return digest(*parts)


def unix_lines(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")
