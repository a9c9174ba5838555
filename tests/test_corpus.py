"""quizgen new on real saved pages (tests/corpus/pages, from Mozilla Readability's test suite, each
with its reference extraction): the traps the issue found do not come back. bench/extract.py prints
the figures for the whole corpus; these are the promises, page by page, on a few pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.errors import UsageError

pytest.importorskip("trafilatura", reason="quizgen new --from a page needs the new extra (pip install -e '.[test]')")
pytest.importorskip("readability", reason="quizgen new --from a page needs the new extra (pip install -e '.[test]')")

from generator.lints.article_text import MOJIBAKE, TAG  # noqa: E402
from generator.page_extract import from_html  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus" / "pages"
HERE = Path(__file__).resolve().parent


def page(name: str) -> bytes:
    return gzip.decompress((CORPUS / name / "source.html.gz").read_bytes())


def reference(name: str) -> dict:
    return json.loads((CORPUS / name / "expected-metadata.json").read_text(encoding="utf-8"))


def test_the_corpus_is_documented_and_small():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert "Apache-2.0" in readme and "mozilla/readability" in readme
    pages = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert len(pages) >= 25
    for folder in pages:
        assert folder.name in readme, folder.name
    assert sum(f.stat().st_size for f in CORPUS.rglob("*") if f.is_file()) < 3_000_000


def test_a_page_trafilatura_reads_as_its_menu_is_read_by_the_second_extractor():
    found = from_html(page("cnn"))
    text = "\n".join(found.blocks)
    assert found.blocks[0].startswith("The U.S. has long been heralded as a land of opportunity")
    assert TAG.search(text) is None and "src=" not in text and "Wilbur Ross" not in text
    assert len(found.blocks) >= 12


@pytest.mark.parametrize("name", ["nytimes-1", "nytimes-2"])
def test_a_byline_given_twice_in_two_cases_is_one_name(name):
    assert from_html(page(name)).author == reference(name)["byline"]


def test_a_placeholder_byline_is_never_taken():
    found = from_html(page("wapo-1"))
    assert found.author != "Username" and "Username" not in (found.author or "")


def test_chrome_is_removed_and_no_mojibake():
    found = from_html(page("nytimes-2"))
    assert not any(b.startswith("Continue reading") for b in found.blocks)
    assert not any(MOJIBAKE.search(b) for b in found.blocks)
    salon = from_html(page("salon-1"))
    assert not {"All Share Services", "Share on Twitter", "Previous", "Next", "Recent Slide Shows"} & set(salon.blocks)


@pytest.mark.parametrize(("name", "words"), [("mozilla-2", "is not an article"), ("mathjax", "found no article text")])
def test_pages_that_are_not_articles_are_refused(name, words):
    assert reference(name)["readerable"] is False
    with pytest.raises(UsageError, match=words):
        from_html(page(name))


def test_a_section_front_of_teasers_is_refused():
    """A synthetic section front (tests/pages/section-front.html): refused for what it says it is,
    and, without its og:type, for being a list of linked headlines with their teasers."""
    data = (HERE / "pages" / "section-front.html").read_bytes()
    with pytest.raises(UsageError, match="it calls itself og:type website"):
        from_html(data)
    with pytest.raises(UsageError, match=r"list of headlines or teasers, not an article: 12 of its 12 blocks start with a link"):
        from_html(data.replace(b'<meta property="og:type" content="website">', b""))
