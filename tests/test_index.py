"""The index page: every article, linked only to the files the build made for it."""

from __future__ import annotations

from conftest import FIXTURES
from study_helpers import HOSTILE, parse, write_hostile

from generator.builders import BuildOptions
from generator.builders.index import IndexBuilder, links
from generator.load import load_library

OPTIONS = BuildOptions(timestamp=1_700_000_000)


def index_html(library, names: list[str]) -> str:
    from generator.build import summarise

    summaries = [summarise(found, 0, tuple(n for n in names if n.startswith(found.article.slug))) for found in library.sets]
    (output,) = IndexBuilder().finish(summaries, OPTIONS)
    assert output.name == "index.html"
    return output.data.decode("utf-8")


def hrefs(html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in parse(html).tags if tag == "a"]


def test_links_only_to_outputs_that_exist():
    library = load_library(FIXTURES)
    assert hrefs(index_html(library, ["mini.apkg"])) == ["mini.apkg"]
    every = ["mini.apkg", "mini-key.html", "mini-quiz.html", "mini-study.html", "other-quiz.html"]
    assert hrefs(index_html(library, every)) == ["mini-study.html", "mini-quiz.html", "mini-key.html", "mini.apkg"]
    assert hrefs(index_html(library, [])) == []
    assert "Nothing was built for this article." in index_html(library, [])


def test_lettered_versions_in_order_and_no_lookalikes():
    names = {"mini-quiz-B.html", "mini-quiz-A.html", "mini-key-A.html", "mini-key-B.html",
             "mini-quiz-x.html", "mini-extra-quiz.html", "mini-quiz.pdf", "minimal-quiz.html"}
    assert [(link.label, link.href) for link in links("mini", names)] == [
        ("Quiz A", "mini-quiz-A.html"), ("Quiz B", "mini-quiz-B.html"),
        ("Answer key A", "mini-key-A.html"), ("Answer key B", "mini-key-B.html"),
    ]


def test_lists_title_author_and_count():
    html = index_html(load_library(FIXTURES), ["mini-study.html"])
    assert "<h2 lang=\"en\" dir=\"ltr\">A Small Article</h2>" in html
    assert "Ann Writer</bdi> · 9 questions" in html


def test_the_build_links_what_it_wrote(content):
    from conftest import build_files

    outputs = build_files(content, content / "out")
    names = set(outputs)
    found = hrefs(outputs["index.html"].decode("utf-8"))
    assert "mini-study.html" in found and "mini.apkg" in found
    assert set(found) <= names  # relative names of files in the same folder


def test_hostile_titles_are_text(tmp_path):
    write_hostile(tmp_path / "evil")
    html = index_html(load_library(tmp_path), ["evil-study.html", "evil.apkg"])
    page = parse(html)
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "title", "link", "style", "body", "header",
                                             "h1", "p", "main", "ul", "li", "h2", "bdi", "a", "footer"}
    for _tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on") and "alert(" not in (value or "") and "javascript:" not in (value or "")
    assert hrefs(html) == ["evil-study.html", "evil.apkg"]
    assert f"T {HOSTILE}".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html
    assert not any(tag == "script" for tag, _ in page.tags)


def test_identical_input_gives_identical_bytes():
    names = ["mini-study.html", "mini.apkg"]
    assert index_html(load_library(FIXTURES), names) == index_html(load_library(FIXTURES), list(reversed(names)))
