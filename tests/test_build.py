"""The build's bookkeeping in the parent process (work linear in the number of articles), and
building some article folders of a library (`quizgen build questions/<slug> ...`)."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline.build import collected_after
from generator.pipeline.build_commit import _merge_outputs
from generator.pipeline.manifest import MANIFEST, ArticleSummary, Entry, Manifest

BUILDERS = ("anki", "quiz", "study")


class CountingDict(dict):
    """A dict that counts every key or item its iterations hand out."""

    visited = 0

    def __iter__(self):
        for key in super().__iter__():
            CountingDict.visited += 1
            yield key

    def items(self):
        for item in super().items():
            CountingDict.visited += 1
            yield item

    def keys(self):
        return iter(self)


def library(n: int) -> tuple[Manifest, list[ArticleSummary]]:
    entries = CountingDict()
    for i in range(n):
        for name in reversed(BUILDERS):  # not in sorted order: the outputs come out sorted by builder
            entries[f"a{i:05}:{name}"] = Entry("h", [f"a{i:05}.{name}", f"a{i:05}-2.{name}"])
    entries[":quiz"] = Entry("h", ["index.html"])
    summaries = [ArticleSummary(f"a{i:05}", "T", None, "en", False, 1, 0.0) for i in range(n)]
    return Manifest(entries=entries), summaries


def visits(n: int) -> int:
    manifest, summaries = library(n)
    CountingDict.visited = 0
    merged = _merge_outputs(summaries, manifest)  # type: ignore[arg-type]
    assert len(merged) == n
    return CountingDict.visited


def test_merging_outputs_lists_every_builders_outputs_of_the_article_only():
    manifest, summaries = library(3)
    merged = _merge_outputs(summaries[1:2], manifest)  # type: ignore[arg-type]
    assert list(merged) == ["a00001"]
    assert merged["a00001"].outputs == (
        "a00001.anki", "a00001-2.anki", "a00001.quiz", "a00001-2.quiz", "a00001.study", "a00001-2.study",
    )
    assert merged["a00001"].title == "T"


def test_merging_outputs_visits_the_manifest_a_number_of_times_linear_in_the_articles():
    counts = {n: visits(n) for n in (50, 100, 200, 400)}
    # each entry once (3 per article and the index's): a quadratic step would grow 4x per doubling
    assert counts == {n: 3 * n + 1 for n in counts}, counts


# -- building article folders: `quizgen build questions/<slug> ...` ------------------------------

runner = CliRunner()
SLUGS = ("alpha", "beta", "gamma")


@pytest.fixture
def articles(tmp_path, monkeypatch):
    """Three copies of the mini article in questions/, the default content folder; the working folder is tmp_path."""
    for slug in SLUGS:
        shutil.copytree(FIXTURES / "mini", tmp_path / "questions" / slug)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return tmp_path / "questions"


def quizgen(*args: str, code: int = 0):
    result = runner.invoke(app, ["build", *args])
    assert result.exit_code == code, result.output
    return result


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def listed(out: Path) -> list[str]:
    """The articles index.html links to, by their study pages."""
    index = (out / "index.html").read_text(encoding="utf-8")
    return [slug for slug in SLUGS if f'href="{slug}-study.html"' in index]


def edit(folder: Path, old: str, new: str) -> None:
    q = folder / "q.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_building_one_article_folder_rebuilds_it_alone_and_keeps_every_other_output(articles, tmp_path):
    quizgen("-q")
    before = files(tmp_path / "decks")
    assert listed(tmp_path / "decks") == list(SLUGS)
    edit(articles / "beta", "When was the bridge opened?", "When did the bridge open?")
    edit(articles / "gamma", "When was the bridge opened?", "On which day was the bridge opened?")  # not built now
    lines = quizgen("questions/beta").stdout.splitlines()
    assert sorted(line for line in lines if line.startswith("wrote ")) == [
        "wrote decks/beta-key.html", "wrote decks/beta-quiz.html", "wrote decks/beta-study.html", "wrote decks/beta.apkg",
    ]
    assert lines[-1] == "built 4 outputs of 1 article, skipped 0 unchanged articles, into decks"
    after = files(tmp_path / "decks")
    assert after.keys() == before.keys()
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == ["beta-key.html", "beta-quiz.html", "beta-study.html", "beta.apkg"]  # alpha, gamma, index: same bytes
    assert "When did the bridge open?" in after["beta-study.html"].decode("utf-8")
    assert listed(tmp_path / "decks") == list(SLUGS)
    # gamma's edit waits for a build that includes it; then only gamma is rebuilt
    lines = quizgen().stdout.splitlines()
    assert lines[-1] == "built 4 outputs of 1 article, skipped 2 unchanged articles, into decks"
    assert all(line.startswith("wrote decks/gamma") for line in lines if line.startswith("wrote "))


def test_building_two_article_folders_first_then_the_whole_library(articles, tmp_path):
    lines = quizgen("questions/alpha", "questions/gamma", "-q").stdout.splitlines()
    assert lines[-1].startswith("built 17 outputs of 2 articles, skipped 0 unchanged articles, into decks")
    out = tmp_path / "decks"
    assert not any(name.startswith("beta") for name in files(out))
    assert listed(out) == ["alpha", "gamma"]  # the index lists what has outputs
    first = files(out)
    assert quizgen("questions/gamma", "questions/alpha").stdout.splitlines() == [
        "built 0 outputs of 0 articles, skipped 2 unchanged articles, into decks"]
    lines = quizgen("-q").stdout.splitlines()
    assert lines[-1].startswith("built ") and " of 1 article, skipped 2 unchanged articles" in lines[-1]
    assert listed(out) == list(SLUGS)
    assert all(files(out)[name] == data for name, data in first.items() if name.startswith(("alpha", "gamma")))


def test_a_new_title_in_the_article_built_updates_the_index_with_every_article(articles, tmp_path):
    quizgen("-q")
    article = articles / "alpha" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: A Small Article", "title: A New Title"), encoding="utf-8")
    assert "wrote decks/index.html" in quizgen("questions/alpha").stdout.splitlines()
    index = (tmp_path / "decks" / "index.html").read_text(encoding="utf-8")
    assert "A New Title" in index and listed(tmp_path / "decks") == list(SLUGS)


def test_article_folders_use_the_configuration_files_content_and_out(articles, tmp_path):
    (tmp_path / "questions").rename(tmp_path / "library")
    (tmp_path / "quizgen.toml").write_text('content = "library"\nout = "site"\n', encoding="utf-8")
    quizgen("-q")
    before = files(tmp_path / "site")
    edit(tmp_path / "library" / "alpha", "When was the bridge opened?", "When did the bridge open?")
    assert quizgen("library/alpha", "-q").stdout.splitlines()[-1] == (
        "built 4 outputs of 1 article, skipped 0 unchanged articles, into site")
    after = files(tmp_path / "site")
    assert sorted(n for n in after if after[n] != before[n]) == ["alpha-key.html", "alpha-quiz.html", "alpha-study.html", "alpha.apkg"]
    assert not (tmp_path / "decks").exists()


def test_a_stale_article_is_reported_but_never_pruned_by_an_article_build(articles, tmp_path):
    quizgen("-q")
    shutil.rmtree(articles / "gamma")
    lines = quizgen("questions/alpha").stdout.splitlines()
    assert "stale: decks/gamma.apkg (its article is gone; --prune removes it)" in lines
    assert (tmp_path / "decks" / "gamma.apkg").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (["questions", "questions/alpha"],
     "questions is a content folder and questions/alpha an article folder; give one content folder, or article folders"),
    (["questions/alpha", "questions/beta", "questions/alpha/"], "questions/alpha is given twice; name each folder once"),
    (["questions", "./questions"], "questions is given twice; name each folder once"),
    (["other/alpha"],
     "other/alpha is not in the content folder questions; build article folders of questions (set another with "
     "'content' in quizgen.toml), or build other as a whole"),
    (["questions/alpha", "other/alpha"],
     "other/alpha is not in the content folder questions; build article folders of questions (set another with "
     "'content' in quizgen.toml), or build other as a whole"),
    (["questions", "other"], "give one content folder, not 2 (questions, other), or article folders of one content folder"),
    (["questions/alpha", "--prune"],
     "--prune works on a whole content folder: run quizgen build questions --prune to remove the outputs of articles that are gone"),
    (["questions/delta"], "questions/delta: no such article folder in questions"),
])
def test_mixed_or_wrong_folders_get_one_line_and_write_nothing(articles, tmp_path, args, message):
    shutil.copytree(articles, tmp_path / "other")
    result = quizgen(*args, code=2)
    assert result.stderr.splitlines() == [f"quizgen: error: {message}"]
    assert not (tmp_path / "decks").exists()


def test_an_article_folder_with_a_problem_fails_the_build_and_writes_nothing(articles, tmp_path):
    quizgen("-q")
    before = {**files(tmp_path / "decks"), MANIFEST: (tmp_path / "decks" / MANIFEST).read_bytes()}
    edit(articles / "beta", "kind: qa", "kind: essay")
    result = quizgen("questions/beta", code=1)
    assert result.stderr.splitlines()[0].startswith("questions/beta/q.yaml:")
    assert {**files(tmp_path / "decks"), MANIFEST: (tmp_path / "decks" / MANIFEST).read_bytes()} == before


def test_an_article_folder_may_be_a_link_to_elsewhere(articles, tmp_path):
    shutil.copytree(FIXTURES / "mini", tmp_path / "elsewhere" / "delta")
    (articles / "delta").symlink_to(tmp_path / "elsewhere" / "delta")
    quizgen("questions/alpha", "-q")
    assert " of 1 article, skipped 0 " in quizgen("questions/delta", "-q").stdout.splitlines()[-1]
    assert listed(tmp_path / "decks") == ["alpha"] and "delta-study.html" in (tmp_path / "decks" / "index.html").read_text(encoding="utf-8")
    assert quizgen("elsewhere/delta", code=2).stderr.startswith("quizgen: error: elsewhere/delta is not in the content folder questions")


class _Node:
    """An object that can hold itself: a reference cycle only the garbage collector frees."""

    loop: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    node = _Node()
    node.loop = node
    return weakref.ref(node)


def test_an_article_is_built_without_cyclic_collection_and_its_cycles_are_freed_after():
    assert gc.isenabled()
    with collected_after():
        assert not gc.isenabled()
        kept = _cycle()
        assert kept() is not None
    assert gc.isenabled()
    assert kept() is None  # the article's cycles are collected when it is done


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with collected_after():
            kept = _cycle()
        assert not gc.isenabled()
        assert kept() is not None
    finally:
        gc.enable()
        gc.collect()


def test_the_longest_slug_check_allows_builds_every_file_of_its_longest_names(tmp_path, monkeypatch):
    """A slug of MAX_SLUG_BYTES passes check and builds every output (all its suffixes: versions,
    named answer sheets, the key appended, every export), the longest of them NAME_MAX bytes long;
    a byte more is check's error (tests/cases/slug-too-long)."""
    from generator.sources.schema import LONGEST_SUFFIX, MAX_SLUG_BYTES, NAME_MAX

    slug = ("a" * MAX_SLUG_BYTES)[: MAX_SLUG_BYTES - 2] + "-b"
    shutil.copytree(FIXTURES / "mini", tmp_path / "questions" / slug)
    (tmp_path / "class.csv").write_text("number,name\n1,Ann Roe\n2,Bo Li\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    quizgen("--versions", "2", "--answer-sheet", "--roster", "class.csv", "--append-key",
            *[a for name in ("moodle", "gift", "qti", "flashcards") for a in ("--export", name)])
    names = [p.name for p in (tmp_path / "decks").iterdir() if p.name.startswith(slug)]
    longest = max(len(n.encode("utf-8")) for n in names)
    assert longest == len(slug) + len(LONGEST_SUFFIX) == NAME_MAX, sorted(names, key=len)[-3:]
    assert f"{slug}-study.webmanifest" in names and f"{slug}-sheet-B-named.html" in names
