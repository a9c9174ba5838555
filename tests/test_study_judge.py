"""Typed answers on the study page judged as a teacher would (judge.js, issue 26): a table of
(expected, typed, verdict), with every bundled short answer's natural variants, run in Chromium
through the page's own judge; and `accept:` alternatives, checked and shown."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")

import yaml  # noqa: E402
from conftest import ROOT  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from test_study_browser import open_page, saved  # noqa: E402, F401

from generator.outputs.pages import static  # noqa: E402
from generator.outputs.study import render_page, scripts  # noqa: E402
from generator.outputs.study.data import page_data  # noqa: E402
from generator.sources.load import load_article_set  # noqa: E402

RIGHT, WRONG = True, False
# (expected, accept, typed, verdict, language)
TABLE = [
    # the bundled short answers (questions/israels-hushed-military-ties-with-russia)
    ("In Moscow", [], "Moscow", RIGHT, "en"),
    ("In Moscow", [], "moscow.", RIGHT, "en"),
    ("In Moscow", [], "in moscow", RIGHT, "en"),
    ("In Moscow", [], "Moskow", RIGHT, "en"),
    ("In Moscow", [], "Minsk", WRONG, "en"),
    ("In Moscow", [], "Moscow, Russia", RIGHT, "en"),
    ("In Moscow", [], "Moscow and Kyiv", WRONG, "en"),
    ("In St. Petersburg", [], "St Petersburg", RIGHT, "en"),
    ("In St. Petersburg", [], "Saint Petersburg", RIGHT, "en"),
    ("In St. Petersburg", [], "in St. Petersburg", RIGHT, "en"),
    ("In St. Petersburg", [], "Petersburg", WRONG, "en"),
    ("In St. Petersburg", ["Leningrad"], "Leningrad", RIGHT, "en"),
    ("In Tartous Port", [], "Tartous", RIGHT, "en"),
    ("In Tartous Port", [], "Tartus", RIGHT, "en"),
    ("In Tartous Port", [], "the port of Tartous", RIGHT, "en"),
    ("In Tartous Port", [], "the naval base", WRONG, "en"),
    ("In Tartous Port", ["the Russian naval base in Syria"], "the Russian naval base in Syria", RIGHT, "en"),
    ("In Tartous Port", [], "Latakia", WRONG, "en"),
    ("On the Syrian side of the Golan", [], "the Syrian side of the Golan", RIGHT, "en"),
    ("On the Syrian side of the Golan", [], "Syrian side of Golan", RIGHT, "en"),
    ("On the Syrian side of the Golan", [], "on the Israeli side of the Golan", WRONG, "en"),
    ("On the Syrian side of the Golan", [], "the Golan", WRONG, "en"),
    ("In Tel Aviv's HaKirya headquarters", [], "HaKirya headquarters in Tel Aviv", WRONG, "en"),
    ("In Tel Aviv's HaKirya headquarters", ["HaKirya", "the Kirya"], "Hakirya", RIGHT, "en"),
    ("In Tel Aviv's HaKirya headquarters", [], "Tel Aviv's HaKirya headquarters", RIGHT, "en"),
    ("2008", [], "in 2008", RIGHT, "en"),
    ("2008", [], "2008.", RIGHT, "en"),
    ("2008", [], "2009", WRONG, "en"),
    ("2008", [], "2,008", RIGHT, "en"),  # the same number
    ("2007", [], "In 2007", RIGHT, "en"),
    ("2007", [], "2017", WRONG, "en"),
    ("Firing a cruise missile at Syria", [], "firing a cruise missile", RIGHT, "en"),
    ("Firing a cruise missile at Syria", [], "Firing a cruise missile at Syria.", RIGHT, "en"),
    ("Firing a cruise missile at Syria", [], "fired a cruise missile at Syria", RIGHT, "en"),
    ("Firing a cruise missile at Syria", [], "Syria", WRONG, "en"),
    ("Firing a cruise missile at Syria", [], "cruise missile", WRONG, "en"),
    ("Israeli military communications", [], "military communications", RIGHT, "en"),
    ("Israeli military communications", [], "Israeli military", RIGHT, "en"),
    ("Israeli military communications", [], "communications", WRONG, "en"),
    ("They mainly kept silent", [], "they kept silent", WRONG, "en"),
    ("They mainly kept silent", ["They kept silent", "silence"], "they kept silent", RIGHT, "en"),
    ("Supplying some of Israel's enemies with arms", [], "supplying some of Israel's enemies with arms", RIGHT, "en"),
    ("Supplying some of Israel's enemies with arms", [], "Supplying Israel's enemies with arms", WRONG, "en"),
    ("Refurbishing old Soviet-era aircraft of the Syrian Air Force", [], "refurbishing old Soviet-era aircraft", RIGHT, "en"),
    ("Immediately when the Russian deployment to Syria began", [], "immediately", WRONG, "en"),
    # the bundled cloze deletions
    ("St. Petersburg", [], "Saint-Petersburg", RIGHT, "en"),
    ("hundreds of thousands", [], "hundreds of thousand", RIGHT, "en"),
    ("Shimon Peres", [], "Peres", WRONG, "en"),
    ("Shimon Peres", [], "shimon peres", RIGHT, "en"),
    ("S-300", [], "S300", RIGHT, "en"),
    ("S-300", [], "S-400", WRONG, "en"),
    ("Beijing Olympics", [], "the Beijing Olympics", RIGHT, "en"),
    ("Second Lebanon War", [], "the 2nd Lebanon War", WRONG, "en"),
    ("Iran", [], "Iraq", WRONG, "en"),
    # numbers and dates
    ("March 5, 2008", [], "5 March 2008", RIGHT, "en"),
    ("March 5, 2008", [], "5th of March 2008", WRONG, "en"),
    ("5 March 2008", [], "March 5th 2008", RIGHT, "en"),
    ("March 5, 2008", [], "March 6, 2008", WRONG, "en"),
    ("1,000 soldiers", [], "1000 soldiers", RIGHT, "en"),
    ("1,000 soldiers", [], "100 soldiers", WRONG, "en"),
    # other languages: their own prepositions and articles
    ("À Moscou", [], "Moscou", RIGHT, "fr"),
    ("Dans le port de Tartous", [], "port de Tartous", RIGHT, "fr"),
    ("In Moskau", [], "Moskau", RIGHT, "de"),
    ("Im Hafen von Tartus", [], "Hafen von Tartus", RIGHT, "de"),
    ("En Moscú", [], "Moscu", RIGHT, "es"),
    ("В Москве", [], "Москве", RIGHT, "ru"),
    ("В Москве", [], "в Минске", WRONG, "ru"),
    ("במוסקבה", [], "מוסקבה", RIGHT, "he"),
    ("في موسكو", [], "موسكو", RIGHT, "ar"),
]

RUN = """(table) => table.map(([want, accept, typed, lang]) => {
  const v = window.QuizgenJudge.judge(typed, want, accept, lang);
  return v.ok;
})"""


@pytest.fixture(scope="module")
def judge_page(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>judge</title>")
    page.add_script_tag(content=static("generator.outputs.study", "judge.js"))
    assert static("generator.outputs.study", "judge.js") in scripts()  # the page's own judge
    yield page
    page.close()


def test_the_table_has_every_bundled_short_answer_that_starts_with_a_preposition():
    found = load_article_set(ROOT / "questions" / "israels-hushed-military-ties-with-russia")
    answers = {q.answer for q in found.questions if q.kind == "qa"}
    led = {a for a in answers if a.split()[0] in ("In", "On")}
    assert len(led) >= 4
    assert led <= {row[0] for row in TABLE}
    assert len(TABLE) >= 40


def test_typed_answers_are_judged_as_a_teacher_would(judge_page):
    got = judge_page.evaluate(RUN, [[want, accept, typed, lang] for want, accept, typed, _, lang in TABLE])
    wrong = [(want, typed, verdict) for (want, _, typed, verdict, _), ok in zip(TABLE, got) if ok != verdict]
    assert wrong == [], "\n".join(map(repr, wrong))


def _article(folder, accept: list[str]):
    folder.mkdir()
    (folder / "article.md").write_text("---\ntitle: T\n---\n\nThe minister flew to Moscow on Monday.\n", encoding="utf-8")
    (folder / "q.yaml").write_text(yaml.safe_dump({"questions": [
        {"id": "where", "kind": "qa", "tests": "event", "question": "Where did the minister fly?", "answer": "In Moscow",
         "accept": accept, "passage": "The minister flew to Moscow"},
    ]}), encoding="utf-8")
    return folder


def test_accept_alternatives_are_checked_against_the_answer_and_the_passage(tmp_path):
    from generator.errors import ContentError

    found = load_article_set(_article(tmp_path / "good", ["the Russian capital", "Moscow on Monday"]))
    assert found.questions[0].accept == ("the Russian capital", "Moscow on Monday")
    assert page_data(found)["questions"][0]["accept"] == ["the Russian capital", "Moscow on Monday"]
    with pytest.raises(ContentError) as e:
        load_article_set(_article(tmp_path / "bad", ["Kyiv", "in moscow"]))
    messages = [p.message for p in e.value.problems]
    assert any("'accept' alternative \"Kyiv\" shares no word with the answer or its passage" in m for m in messages)
    assert any("'accept' alternative \"in moscow\" repeats the answer" in m for m in messages)
    assert all(p.line > 1 for p in e.value.problems)  # at the alternatives, not the file's start


def test_the_page_says_right_and_what_else_is_accepted(open_page, tmp_path):  # noqa: F811 (test_study_browser's fixture)
    found = load_article_set(_article(tmp_path / "page", ["the Russian capital"]))
    page = open_page(render_page(found)).page
    page.locator("#start").tap()
    page.locator("#typed").fill("moscow")
    page.locator("#typed").press("Enter")
    expect(page.locator("#feedback")).to_contain_text("✓ Right (also accepted: the Russian capital).")
    page.clock.run_for(450)
    page.locator("#good").tap()
    (event,) = [e for e in saved(page, found.article.slug)["log"] if "r" in e]
    assert event["a"] == "moscow" and event["r"] == 3 and event["ms"] >= 0
