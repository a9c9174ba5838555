"""The build's bookkeeping in the parent process: work linear in the number of articles."""

from __future__ import annotations

from generator.build import _merge_outputs
from generator.manifest import ArticleSummary, Entry, Manifest

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
