"""quizgen's words in the article's language: complete catalogues, and Hebrew and Arabic outputs
that a browser renders with no English left, in the right order."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import ROOT, build_files
from playwright.sync_api import expect

from generator.i18n import gettext_for, languages, ui_language

LOCALES = ROOT / "generator" / "locales"
LANGUAGES = Path(__file__).parent / "languages"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@functools.cache
def extracted() -> frozenset:
    """Every message the code and templates mark, as babel.cfg tells Babel to extract them (read once:
    the sources do not change during the run, and each language's test compares with it)."""
    method_map = [("generator/**.py", "python"), ("generator/**.j2", "jinja2"),
                  ("generator/outputs/study/study.js", "javascript")]
    options = {"generator/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "tr": None, "trn": (2, 3)}
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), method_map, options, keywords=keywords):
        found.add(((message if isinstance(message, str) else tuple(message)), context))
    return frozenset(found)


def catalogue(language: str):
    with (LOCALES / language / "LC_MESSAGES" / "quizgen.po").open("rb") as f:
        return read_po(f, locale=language)


def test_the_issue_languages_are_shipped():
    assert {"en", "he", "ar", "ru", "de", "fr", "es"} <= set(languages())


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_catalogue_has_every_message_and_no_stale_one(language):
    cat = catalogue(language)
    have = {(m.id, m.context) for m in cat if m.id}
    wanted = extracted()
    assert wanted - have == set(), f"missing from {language}: run pybabel extract and update (README)"
    assert have - wanted == set(), f"stale in {language}: run pybabel update"
    for m in cat:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), f"{language}: {m.id!r} is not translated"
        assert len(strings) == (cat.num_plurals if isinstance(m.id, tuple) else 1)
        assert not m.fuzzy, f"{language}: {m.id!r} is fuzzy"
        source = m.id[-1] if isinstance(m.id, tuple) else m.id
        wanted_marks = set(PLACEHOLDER.findall(source)) - {"%(num)d"}  # a plural form may spell its number
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) - {"%(num)d"} == wanted_marks, (language, m.id, s)


def test_language_chosen_with_english_fallback():
    assert ui_language("he-IL") == "he"
    assert ui_language("pl") == "en"
    assert ui_language("de", "fr") == "fr"
    assert gettext_for("he")("Name") == "שם"
    assert gettext_for("pl")("Name") == "Name"


def test_plural_forms_follow_the_language():
    from generator.i18n import ngettext_for

    forms = [ngettext_for("ru")("%(num)d question", "%(num)d questions", n) % {"num": n} for n in (1, 3, 5, 21)]
    assert forms == ["1 вопрос", "3 вопроса", "5 вопросов", "21 вопрос"]
    assert ngettext_for("he")("%(num)d point", "%(num)d points", 2) == "שתי נקודות"


def _built_alone(tmp_path_factory, only: list[str]) -> dict:
    """The Hebrew and the Arabic test article, each built alone (only these outputs): its output folder."""
    outs = {}
    for language in ("he", "ar"):
        content, out = tmp_path_factory.mktemp("content"), tmp_path_factory.mktemp("out")
        shutil.copytree(LANGUAGES / f"udhr-{language}", content / f"udhr-{language}")
        build_files(content, out, only=only)
        outs[language] = out
    return outs


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each test article built alone (an index of one language speaks it; a mixed one, English)."""
    return _built_alone(tmp_path_factory, ["quiz", "index", "anki"])


def test_a_mixed_library_index_is_english(tmp_path):
    shutil.copytree(LANGUAGES, tmp_path / "content")
    files = build_files(tmp_path / "content", tmp_path / "out", only=["index", "quiz"])
    assert b'<html lang="en" dir="ltr">' in files["index.html"]
    assert "בוחן".encode() in files["udhr-he-quiz.html"]


def english_messages(language: str) -> list[str]:
    """quizgen's English messages that the language translates differently, as a page shows them."""
    cat = catalogue(language)
    result = []
    for m in cat:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for source in ids:
            for piece in PLACEHOLDER.split(source):
                piece = piece.strip(" .:,()“”")
                if len(piece) > 3 and not any(piece in s for s in strings):
                    result.append(piece)
    return result


@pytest.mark.parametrize("language", ["he", "ar"])
def test_no_english_left_and_quizgen_words_carry_the_language(browser, built, language):
    out = built[language]
    english = english_messages(language)
    page = browser.new_page()
    try:
        for name in (f"udhr-{language}-quiz.html", f"udhr-{language}-key.html", "teacher.html", "index.html"):
            page.goto((out / name).as_uri())
            text = page.inner_text("body")
            left = [e for e in english if e in text]
            assert left == [], f"{name}: English left: {left}"
            if name.startswith("udhr"):
                assert page.evaluate("document.documentElement.lang") == language
                assert page.evaluate("document.documentElement.dir") == "rtl"
    finally:
        page.close()


def test_hebrew_quiz_reads_right_to_left_in_order(browser, built):
    out = built["he"]
    page = browser.new_page()
    try:
        page.goto((out / "udhr-he-quiz.html").as_uri())
        # the number of each question stands at its right, before its text in reading order
        boxes = page.evaluate("""[...document.querySelectorAll('.stem')].map(s => {
            const n = s.querySelector('.num').getBoundingClientRect(), t = s.querySelector('.text').getBoundingClientRect();
            return [n.left, t.right];})""")
        assert boxes and all(num_left >= text_right - 1 for num_left, text_right in boxes)
        # label, number and punctuation in the score line render in the Hebrew order
        score = page.inner_text(".score")
        assert re.fullmatch(r"ציון: _+ / \d+", score), score
        # the label of the points: "(נקודה אחת)" whole, its brackets around the Hebrew
        pts = page.evaluate("""(() => { const r = document.createRange(); const el = document.querySelector('.pts');
            return [el.textContent, el.getBoundingClientRect().width]; })()""")
        assert pts[0].startswith("(") and pts[0].endswith(")") and "נק" in pts[0]
    finally:
        page.close()


def test_hebrew_quiz_screenshot_in_docs_is_current_enough():
    assert (ROOT / "docs" / "quiz-he.png").is_file()


def test_hebrew_anki_cards_render_right_to_left_with_hebrew_labels(browser, tmp_path, monkeypatch):
    """Imported into the real Anki backend, the Hebrew deck's cards show Hebrew labels, right to left."""
    from anki.collection import Collection
    from anki_helpers import build_apkg, import_apkg

    shutil.copytree(LANGUAGES / "udhr-he", tmp_path / "content" / "udhr-he")
    apkg = build_apkg(tmp_path / "content", tmp_path / "out", 1_700_000_000, monkeypatch)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(col, apkg)
        shown = {}
        for qid in ("spirit-tf", "right-to", "endowed", "chronology"):
            card = col.get_card(col.find_cards(f"Id:*/{qid}")[0])
            shown[qid] = card.answer()
    finally:
        col.close()
    english = english_messages("he")
    page = browser.new_page()
    try:
        for qid, html in shown.items():
            page.set_content(f'<!doctype html><html><body class="card">{html}</body></html>')
            kind = page.eval_on_selector(".qg-kind", "e => [e.innerText, getComputedStyle(e).direction, e.closest('.qg').lang]")
            assert kind[1:] == ["rtl", "he"], (qid, kind)
            assert not any(c.isascii() and c.isalpha() for c in kind[0]), (qid, kind)
            text = page.inner_text("body")
            assert [e for e in english if e in text] == [], qid
        page.set_content(f'<!doctype html><html><body class="card">{shown["spirit-tf"]}</body></html>')
        assert page.inner_text(".qg-verdict") == "לא נכון"
        assert page.inner_text(".qg-cite").startswith("פסקה 1")
    finally:
        page.close()


def test_ui_language_overrides_the_articles_language(tmp_path):
    """A Hebrew class studying an English article: quizgen's words in Hebrew, the article's as written."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", tmp_path / "content" / "mini")
    files = build_files(tmp_path / "content", tmp_path / "out", only=["quiz", "index"], ui_language="he")
    quiz = files["mini-quiz.html"].decode()
    assert '<html lang="he" dir="rtl">' in quiz and "שם" in quiz and "The mayor" not in quiz.split("<main")[0]
    assert "When was the bridge opened?" in quiz and "Circle the letter" not in quiz
    assert '<html lang="he" dir="rtl">' in files["index.html"].decode()
    english = build_files(tmp_path / "content", tmp_path / "en", only=["quiz"])["mini-quiz.html"].decode()
    assert '<html lang="en">' in english and "Circle the letter" in english


def test_cli_has_ui_language():
    from typer.testing import CliRunner

    from generator.cli import app

    result = CliRunner().invoke(app, ["build", "--help"], env={"COLUMNS": "200"})
    assert "--ui-language" in result.output


@pytest.fixture(scope="module")
def study_pages(tmp_path_factory):
    return {language: out / f"udhr-{language}-study.html"
            for language, out in _built_alone(tmp_path_factory, ["study"]).items()}


@pytest.mark.parametrize("language", ["he", "ar"])
def test_study_page_speaks_the_language_right_to_left(browser, study_pages, language):
    english = english_messages(language)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # a CSP violation too
    try:
        page.goto(study_pages[language].as_uri())
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [language, "rtl"]
        seen = [page.inner_text("body")]
        page.locator("#start").click()
        seen.append(page.inner_text("body"))
        page.locator("#reveal").click()
        seen.append(page.inner_text("body"))
        for view in ("quiz", "timeline", "article"):
            page.locator(f"[data-view={view}]").click()
            seen.append(page.inner_text("body"))
        for text in seen:
            assert [e for e in english if e in text] == []
        # paragraph labels: the label in the language, at the start (right) of its paragraph
        label = page.eval_on_selector("#block-0 .label", "e => [e.textContent, e.getBoundingClientRect().right]")
        right = page.eval_on_selector("#block-0", "e => e.getBoundingClientRect().right")
        assert "¶" not in label[0] and "1" in label[0] and abs(label[1] - right) < 30
        # the timeline's dates line up on the right, a bare year as much as a written date
        page.locator("[data-view=timeline]").click()
        edges = page.eval_on_selector_all("#timeline .when bdi", "es => es.map(e => Math.round(e.getBoundingClientRect().right))")
        assert len(edges) == 3 and len(set(edges)) == 1, edges
        assert errors == []
    finally:
        context.close()


def test_study_page_arrows_follow_the_direction(browser, study_pages):
    """In a right-to-left page the Again button is on the right, and → means Again (← Good)."""

    def after(key: str) -> tuple[str, str]:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            page.goto(study_pages["he"].as_uri())
            page.locator("#start").click()
            page.locator("#reveal").click()
            if key == "1":
                boxes = page.eval_on_selector_all("#actions button", "bs => bs.map(b => b.getBoundingClientRect().left)")
                assert boxes[0] == max(boxes)  # the first grade (Again) is the right-most
            expect(page.locator("#actions button").first).to_be_enabled()
            page.keyboard.press(key)
            page.wait_for_timeout(50)
            # the grade the key gave, as the review log has it: 1 is Again, 3 is Good
            return page.evaluate("""JSON.parse(localStorage.getItem('quizgen:study:udhr-he')).log
                .filter(e => e.r).map(e => e.r)""")
        finally:
            context.close()

    again, good = after("1"), after("3")
    assert again == [1] and good == [3]
    assert after("ArrowRight") == again and after("ArrowLeft") == good


def test_study_screenshot_in_docs():
    assert (ROOT / "docs" / "study-he.png").is_file()


def test_hebrew_answer_sheet_speaks_hebrew(browser, tmp_path):
    from generator.outputs.quiz_options import QuizOptions

    shutil.copytree(LANGUAGES / "udhr-he", tmp_path / "content" / "udhr-he")
    build_files(tmp_path / "content", tmp_path / "out", only=["quiz"], options=(QuizOptions(answer_sheet=True),))
    page = browser.new_page()
    try:
        page.goto((tmp_path / "out" / "udhr-he-sheet.html").as_uri())
        text = page.evaluate("document.body.textContent")
        assert [e for e in english_messages("he") if e in text] == []
        assert "גיליון תשובות" in text and "מספר תלמיד" in text
        labels = page.eval_on_selector_all("svg text", "ts => ts.map(t => t.textContent)")
        assert "נ" in labels and "ל" in labels  # the true/false bubbles, as the quiz names them
    finally:
        page.close()
