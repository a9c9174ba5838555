"""An article in a language without a catalogue: quizgen's words fall back to English, and the pages
say so (WCAG 3.1.2 Language of Parts): the page keeps the article's language, every element holding
quizgen's words is marked `lang="en"`, the article's text keeps the article's language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from conftest import ROOT, build_files

from generator.i18n import fallback_language
from generator.outputs.quiz_options import QuizOptions

LANGUAGES = Path(__file__).parent / "languages"
MINI = ROOT / "tests" / "fixtures" / "mini"
PAGES = ("mini-quiz.html", "mini-key.html", "mini-quiz-key.html", "mini-sheet.html")
OPTIONS = QuizOptions(append_key=True, answer_sheet=True, time_allowed="30 minuti")


def italian_copy(folder: Path) -> Path:
    """tests/fixtures/mini with `language: it`."""
    shutil.copytree(MINI, folder / "mini")
    article = folder / "mini" / "article.md"
    text = article.read_text(encoding="utf-8")
    assert "language: en\n" in text
    article.write_text(text.replace("language: en\n", "language: it\n"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def italian(tmp_path_factory) -> dict[str, BeautifulSoup]:
    content = italian_copy(tmp_path_factory.mktemp("content"))
    files = build_files(content, tmp_path_factory.mktemp("out"), only=["quiz", "index"], options=(OPTIONS,))
    return {name: BeautifulSoup(files[name].decode("utf-8"), "html.parser") for name in (*PAGES, "index.html")}


def language_of(node) -> str:
    """The effective language of a node: its nearest element's (or ancestor's) `lang`."""
    for element in ([node] if isinstance(node, Tag) else []) + list(node.parents):
        if isinstance(element, Tag) and element.has_attr("lang"):
            return element["lang"]
    return ""


def texts(soup: BeautifulSoup) -> list[NavigableString]:
    """The visible text nodes of a page's body (not its style, script or title)."""
    assert soup.body is not None
    return [s for s in soup.body.find_all(string=True)
            if s.strip() and s.parent is not None and s.parent.name not in ("style", "script")]


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{4,}", text))


def quizgen_words() -> set[str]:
    """Words of quizgen's own English messages that the article never uses: any of them in a text of
    the article's language is a fallback word left unmarked."""
    # Babel is a test extra (and a build requirement), not in the core venvs .ci/run makes for 3.10 and 3.13
    read_po = pytest.importorskip("babel.messages.pofile", reason="Babel reads the catalogue: pip install -e '.[test]'").read_po

    with open(ROOT / "generator" / "locales" / "de" / "LC_MESSAGES" / "quizgen.po", "rb") as f:
        catalogue = read_po(f)
    found: set[str] = set()
    for message in catalogue:
        for source in (message.id if isinstance(message.id, tuple) else (message.id,)):
            found |= words(re.sub(r"%\(\w+\)[sd]|\{\w+\}", " ", source))
    article = words((MINI / "article.md").read_text(encoding="utf-8") + (MINI / "q.yaml").read_text(encoding="utf-8"))
    return found - article


def test_fallback_language_only_where_the_words_are_not_the_pages():
    assert fallback_language("it", "en") == "en"
    assert fallback_language("it-CH", "en") == "en"
    assert fallback_language("en", "en") == ""  # English article: the words are the page's
    assert fallback_language("en-GB", "en") == ""
    assert fallback_language("he", "he") == ""  # a catalogue: the words are the article's language
    assert fallback_language("it", "en", override=True) == ""  # --ui-language en: the page is English
    assert fallback_language("it", "he", override=True) == ""


@pytest.mark.parametrize("name", PAGES)
def test_page_keeps_the_articles_language_and_marks_quizgens_words(italian, name):
    soup = italian[name]
    assert soup.html is not None and soup.html["lang"] == "it"
    unmarked = quizgen_words()
    assert {"Name", "Score", "Print", "Answer"} <= unmarked  # the check looks for the words at issue
    left = [str(s) for s in texts(soup) if language_of(s) != "en" and words(s) & unmarked]
    assert left == [], f"{name}: quizgen's English words not marked lang=en: {left}"
    assert {language_of(s) for s in texts(soup)} <= {"it", "en"}


@pytest.mark.parametrize("name", ("mini-quiz.html", "mini-quiz-key.html"))
def test_article_text_keeps_the_articles_language(italian, name):
    soup = italian[name]
    by_text = {str(s).strip(): language_of(s) for s in texts(soup)}
    for article_text in ("When was the bridge opened?", "Who found that costs rose?", "Jane Roe", "The mayor",
                         "Critics say the bridge came in under budget.", "Ann Writer", "30 minuti"):
        assert by_text.get(article_text) == "it", article_text
    for words_text in ("Name", "Date", "Multiple choice", "On the answer sheet, fill the bubble of the one right answer.", "Print",
                       "Source:", "(1 pt)"):
        assert by_text.get(words_text) == "en", words_text
    h1 = soup.find("h1")
    assert h1 is not None
    title = [s for s in h1.find_all(string=True) if "A Small Article" in s]
    assert title and language_of(title[0]) == "it"  # "Quiz: " is quizgen's, the title the article's


def test_key_marks_its_words_and_keeps_the_sources_language(italian):
    soup = italian["mini-key.html"]
    heading = soup.find("h1")
    assert heading is not None and language_of(heading) == "en" and heading.get_text() == "Answer key — teacher's copy"
    key = soup.find("section", class_="key")
    assert key is not None and key["aria-labelledby"] == heading["id"]  # its name carries the language
    assert not key.has_attr("aria-label")
    quotes = soup.select(".key-source q")
    assert quotes and {language_of(q) for q in quotes} == {"it"}
    assert {language_of(c) for c in soup.select(".key-source bdi")} == {"en"}  # "¶3" is quizgen's


def test_answer_sheet_names_itself_in_english_and_the_title_in_the_articles_language(italian):
    soup = italian["mini-sheet.html"]
    svg = soup.find("svg")
    assert svg is not None and language_of(svg) == "en"  # role=img: its name is quizgen's words
    title = [t for t in soup.find_all("text") if "A Small Article" in t.get_text()]
    assert title and language_of(title[0]) == "it"


def test_index_lists_the_article_in_its_language(italian):
    soup = italian["index.html"]
    assert soup.html is not None and soup.html["lang"] == "en"  # an index of a fallback article: English
    heading = [h for h in soup.find_all("h2") if h.get_text() == "A Small Article"]
    assert heading and language_of(heading[0]) == "it"


def test_a_catalogue_languages_pages_mark_nothing(tmp_path):
    """Hebrew has a catalogue: its pages speak Hebrew throughout, with no mark of another language."""
    shutil.copytree(LANGUAGES / "udhr-he", tmp_path / "content" / "udhr-he")
    files = build_files(tmp_path / "content", tmp_path / "out", only=["quiz"], options=(OPTIONS,))
    for name in ("udhr-he-quiz.html", "udhr-he-key.html", "udhr-he-quiz-key.html", "udhr-he-sheet.html"):
        soup = BeautifulSoup(files[name].decode("utf-8"), "html.parser")
        assert [e.name for e in soup.find_all(lang=True)] == ["html"], name
        assert soup.html is not None and soup.html["lang"] == "he"
    key = BeautifulSoup(files["udhr-he-key.html"].decode("utf-8"), "html.parser").find("section", class_="key")
    assert key is not None and key.has_attr("aria-label") and not key.has_attr("aria-labelledby")


def test_ui_language_override_marks_nothing(tmp_path):
    """--ui-language en for an Italian article: the page declares English, nothing else is marked."""
    content = italian_copy(tmp_path / "content")
    files = build_files(content, tmp_path / "out", only=["quiz"], options=(OPTIONS,), ui_language="en")
    soup = BeautifulSoup(files["mini-quiz.html"].decode("utf-8"), "html.parser")
    assert [(e.name, e["lang"]) for e in soup.find_all(lang=True)] == [("html", "en")]


# The study page's script writes quizgen's words into containers the template marks; the card itself
# mixes them with the article's text (see the README), so it is left out of the words check.
STUDY_TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || e.closest('script, style, noscript, #card, #timeline-body, #article-head, #article-body')) continue;
    found.push([n.textContent, e.closest('[lang]').getAttribute('lang'), e.id || e.className]);
  }
  return found;
}"""


@pytest.mark.parametrize("ui", [None, "en"])
def test_study_page_marks_quizgens_words(browser, tmp_path, ui):
    content = italian_copy(tmp_path / "content")
    build_files(content, tmp_path / "out", only=["study"], ui_language=ui)
    unmarked = quizgen_words()
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((tmp_path / "out" / "mini-study.html").as_uri())
        assert page.evaluate("document.documentElement.lang") == "it"
        seen = page.evaluate(STUDY_TEXTS)
        page.locator("#start").click()
        seen += page.evaluate(STUDY_TEXTS)
        page.locator("#reveal").click()
        seen += page.evaluate(STUDY_TEXTS)
        page.locator("[data-view=quiz]").click()
        seen += page.evaluate(STUDY_TEXTS)
        left = sorted({(text, where) for text, lang, where in seen if lang != "en" and words(text) & unmarked})
        assert left == [], f"quizgen's English words not marked lang=en: {left}"
        for selector in ("h1", ".byline", "#article-title"):
            assert page.eval_on_selector(selector, "e => e.closest('[lang]').lang") == "it", selector
        for selector in (".brand", ".tabs", "#study-title", "#actions", "#session", "footer"):
            assert page.eval_on_selector(selector, "e => e.closest('[lang]').lang") == "en", selector
        assert errors == []
    finally:
        page.close()


def test_study_page_of_a_catalogue_language_marks_nothing(tmp_path):
    shutil.copytree(LANGUAGES / "udhr-he", tmp_path / "content" / "udhr-he")
    files = build_files(tmp_path / "content", tmp_path / "out", only=["study"])
    soup = BeautifulSoup(files["udhr-he-study.html"].decode("utf-8"), "html.parser")
    assert [(e.name, e["lang"]) for e in soup.find_all(lang=True)] == [("html", "he")]


def test_axe_finds_nothing_on_the_italian_pages(browser, tmp_path):
    """axe-core (language rules among them) on the fallback pages: the quiz, its key, the study page."""
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is in the test extras")
    from axe_playwright_python.sync_playwright import Axe

    content = italian_copy(tmp_path / "content")
    build_files(content, tmp_path / "out", only=["quiz", "study"], options=(OPTIONS,))
    page = browser.new_page()
    problems = []
    try:
        for name in ("mini-quiz-key.html", "mini-study.html"):
            page.goto((tmp_path / "out" / name).as_uri())
            screens = [name]
            if name == "mini-study.html":
                page.locator("#start").click()
                screens.append("a card")
            # the printable page's print hint sits outside its landmarks on every quiz page, in any
            # language (not this test's subject): axe's "region" rule is left to the quiz's own tests
            rules = {"region": {"enabled": name != "mini-quiz-key.html"}}
            for screen in screens:
                violations = Axe().run(page, options={"resultTypes": ["violations"], "rules": rules}).response["violations"]
                problems += [f"{screen}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    finally:
        page.close()
    assert problems == []
