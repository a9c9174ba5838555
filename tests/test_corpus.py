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

from generator.checks.lints.article_text import MOJIBAKE, TAG  # noqa: E402
from generator.tools.page_extract import from_html  # noqa: E402

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


def test_a_lead_set_as_a_heading_is_the_first_paragraph_and_the_header_summary_is_not():
    """buzzfeed-1: the lead is an <h2> in the article's first box, dropped by both extractors; the
    headline (curly quotes where the page's title has straight ones) and the summary shown in the
    header came out as the first two paragraphs."""
    found = from_html(page("buzzfeed-1"))
    assert found.blocks[0].startswith("The mother of a woman who took suspected diet pills bought online")
    assert found.description == "An inquest into Eloise Parry's death has been adjourned until July."
    assert not any("Burned Her Up From Within" in b or b.startswith("An inquest into") for b in found.blocks)


def test_a_list_between_two_paragraphs_comes_back_and_the_sidebar_before_the_headline_does_not():
    """daringfireball-1: the lists of apps under their headings stand between two paragraphs the
    extractors keep; the site's menu before the headline is a list too, and stays out."""
    blocks = from_html(page("daringfireball-1")).blocks
    portrait, hosted = blocks.index("Portrait by George Del Barrio"), blocks.index("The Daring Fireball website is hosted by Joyent.")
    assert blocks[portrait + 1:hosted] == ["Mac Apps", "BBEdit", "Acorn", "MarsEdit", "Napkin", "Yojimbo", "Transmit",
                                           "Script Debugger", "Snapz Pro X", "WebKit", "iPhone Apps", "Vesper", "Server Software"]
    assert not {"Archive", "Projects", "Contact", "Twitter", "Sponsorship"} & set(blocks)


def test_section_headings_of_a_weekly_edition_come_back_in_place():
    """lwn-1: each article's heading, dropped by the extractor, before its first paragraph."""
    blocks = from_html(page("lwn-1")).blocks
    at = blocks.index("A trademark battle in the Arduino community")
    assert blocks[at + 1].startswith("The Arduino has been one of the biggest success stories")
    assert "Mapping and data mining with QGIS 2.8" in blocks


@pytest.mark.parametrize("name, absent", [("folha", ["Ouvir o texto", "Aumentar fonte", "Ícone Facebook Facebook"]),
                                          ("theverge", ["I tried the Vision Pro, and just like the introduction"])])
def test_tools_sharing_buttons_and_the_dek_under_the_headline_are_not_put_back(name, absent):
    blocks = from_html(page(name)).blocks
    assert [b for b in blocks if any(b.startswith(a) for a in absent)] == []
