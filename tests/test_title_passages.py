"""Passages from the title and the subtitle: anchored there when the body has them not, and cited as
"title" / "subtitle" in the quiz key, on the Anki card and on the study page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES

from generator.errors import ContentError
from generator.i18n import cite
from generator.model import SUBTITLE, TITLE
from generator.outputs import BuildOptions
from generator.outputs.anki.fields import citation, context
from generator.outputs.quiz import QuizBuilder
from generator.outputs.quiz_options import QuizOptions
from generator.outputs.study.data import page_data
from generator.sources.load import load_article_set

HEAD = "title: A Small Article About a “Bridge”\nsubtitle: The town waited five long years for its bridge"
QUESTIONS = """questions:
  - id: thesis
    kind: qa
    tests: claim
    question: What does the headline call the article?
    answer: Small
    passage: Small Article About a "Bridge"
  - id: waited
    kind: truefalse
    tests: claim
    statement: The town waited five long years.
    answer: yes
    passage: waited five long years
"""


def _folder(tmp_path: Path, questions: str = QUESTIONS, head: str = HEAD) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    article = folder / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: A Small Article", head), encoding="utf-8")
    (folder / "z.yaml").write_text(questions, encoding="utf-8")
    return folder


@pytest.fixture
def found(tmp_path):
    return load_article_set(_folder(tmp_path))


def _question(found, qid):
    return next(q for q in found.questions if q.id == qid)


def test_passages_are_anchored_in_the_title_and_subtitle(found):
    thesis, waited = _question(found, "thesis"), _question(found, "waited")
    assert [s.block for s in thesis.anchor.spans] == [TITLE] and [s.block for s in waited.anchor.spans] == [SUBTITLE]
    assert thesis.anchor.quote(found.article) == "Small Article About a “Bridge”"  # as the title has it
    assert (thesis.anchor.cite(found.article), waited.anchor.cite(found.article)) == ("title", "subtitle")
    assert found.uncovered() == ()  # the title counts as no paragraph


def test_the_body_wins_over_the_title(tmp_path):
    # "bridge" words: "the new bridge" is in ¶1 and not in the title; "A Small Article" only in the title
    found = load_article_set(_folder(tmp_path, QUESTIONS.replace('Small Article About a "Bridge"', "the new bridge")))
    assert _question(found, "thesis").anchor.cite(found.article) == "¶1"


def test_a_passage_twice_in_the_headings_is_reported(tmp_path):
    with pytest.raises(ContentError) as e:
        load_article_set(_folder(tmp_path, QUESTIONS.replace('Small Article About a "Bridge"', "five long"),
                                 HEAD.replace("About a “Bridge”", "About five long years")))
    assert [p.message for p in e.value.problems] == [
        "passage is found 2 times in the article (title, subtitle); quote more words to make it unique"]


def test_the_key_cites_the_title(found):
    outputs = QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(QuizOptions(),)))
    key = BeautifulSoup(next(o.data for o in outputs if o.name == "mini-key.html").decode("utf-8"), "html.parser")
    detail = key.select_one('.key .detail .question[data-id="thesis"]')
    assert "title" in detail.get_text(" ") and "Small Article About a “Bridge”" in detail.get_text(" ")
    assert "subtitle" in key.select_one('.key .detail .question[data-id="waited"]').get_text(" ")


def test_the_anki_card_and_the_study_page_cite_it(found):
    thesis = _question(found, "thesis")
    assert citation(found.article, thesis.anchors()) == "title"
    assert citation(found.article, thesis.anchors(), "fr") == "titre"
    assert "<mark>Small Article About a “Bridge”</mark>" in context(found.article, thesis.anchors())
    data = page_data(found)
    sources = {q["id"]: q["sources"] for q in data["questions"]}
    assert sources["thesis"][0]["cite"] == "title" and sources["thesis"][0]["spans"][0][0] == -1
    assert sources["waited"][0]["spans"][0][0] == -2
    assert [b["kind"] for b in data["article"]["head"]] == ["title", "subtitle"]
    assert cite("¶2, subtitle", "de") == "Abs. 2, Untertitel"


def test_the_study_page_shows_a_title_passage_and_opens_the_article_at_the_headline(tmp_path, browser):
    pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")
    from playwright.sync_api import expect

    from generator.outputs.study import render_page

    folder = _folder(tmp_path)
    (folder / "q.yaml").unlink()  # the two heading questions alone: the first card quotes a heading
    found = load_article_set(folder)
    html = render_page(found)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script("delete Navigator.prototype.serviceWorker;")
        context.route("https://study.quizgen.invalid/**", lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=html))
        page.goto("https://study.quizgen.invalid/study.html")
        page.locator("#start").tap()
        page.locator("#reveal").tap()
        quotes = {"Small Article About a “Bridge”", "waited five long years"}
        mark = page.locator("#back .source mark")
        expect(mark).to_have_count(1)
        assert mark.inner_text() in quotes
        assert page.locator("#back .source .source-head bdi").inner_text() in ("title", "subtitle")
        page.locator("#back .source .link").tap()
        expect(page.locator("#article")).to_be_visible()
        expect(page.locator("#article-title")).to_be_in_viewport()
        assert errors == []
    finally:
        context.close()
