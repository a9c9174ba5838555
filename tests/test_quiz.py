"""The printable quiz and key: structure, draws, versions, escaping (no browser needed)."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT

from generator.builders import BuildOptions, QuizOptions
from generator.builders.quiz import QuizBuilder
from generator.builders.quiz.assemble import assemble
from generator.builders.quiz.sheet import BLANK_WIDTHS
from generator.load import load_article_set, load_library
from generator.model import Attribution, Cloze, MultipleChoice

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


def build(found, **quiz) -> dict[str, bytes]:
    outputs = QuizBuilder().build(found, BuildOptions(timestamp=0, quiz=QuizOptions(**quiz)))
    return {o.name: o.data for o in outputs}


def soup(data: bytes) -> BeautifulSoup:
    return BeautifulSoup(data.decode("utf-8"), "html.parser")


def questions(page: BeautifulSoup, within: str = "main") -> list:
    return page.select(f"{within} .question")


def test_every_question_once_numbered_through(bundled):
    pages = build(bundled)
    assert sorted(pages) == [f"{bundled.article.slug}-key.html", f"{bundled.article.slug}-quiz.html"]
    quiz = soup(pages[f"{bundled.article.slug}-quiz.html"])
    blocks = questions(quiz)
    quizzed = assemble(bundled, QuizOptions()).questions  # every question but those left out for giveaways
    assert [b["data-number"] for b in blocks] == [str(n) for n in range(1, len(quizzed) + 1)]
    assert sorted(b["data-id"] for b in blocks) == sorted(q.id for q in quizzed)
    for b in blocks:
        assert b.select_one(".num").get_text() == f'{b["data-number"]}.'
    titles = [h.get_text() for h in quiz.select("main h2")]
    assert titles == ["Multiple choice", "Who holds this view?", "True or false", "Fill in the blanks",
                      "Short answer", "Chronology"]
    instructions = [p.get_text() for p in quiz.select("main .section-instruction")]
    assert instructions[2] == "Write T or F; correct the false statements."
    assert instructions[5] == "Number the events from 1 (earliest) to 5."


def test_header_has_source_fill_lines_and_total(bundled):
    quiz = soup(build(bundled)[f"{bundled.article.slug}-quiz.html"])
    text = " ".join(quiz.select_one("main").get_text().split())
    assert "Source: “Israel's Hushed Military Ties With Russia Now Paying Off” by Anshel Pfeffer." in text
    assert [s.get_text().split(":")[0] for s in quiz.select(".fill span")] == ["Name", "Date", "Score"]
    total = sum(int(re.search(r"\((\d+) points?\)", q.select_one(".pts").get_text()).group(1)) for q in questions(quiz))
    assert f"Score: ____ / {total}" in text and f"{total} points" in text
    assert quiz.select_one(".print-hint button").get_text() == "Print"


def test_choices_are_lettered_and_hold_the_answer_once(bundled):
    quiz = soup(build(bundled)[f"{bundled.article.slug}-quiz.html"])
    by_id = {q.id: q for q in bundled.questions}
    for block in questions(quiz):
        q = by_id[block["data-id"]]
        if isinstance(q, (MultipleChoice, Attribution)):
            choices = block.select("ol.choices li")
            letters = [li.select_one(".letter").get_text() for li in choices]
            assert letters == list("ABCD"[: len(choices)])
            texts = [li.get_text()[1:] for li in choices]
            right = q.answer if isinstance(q, MultipleChoice) else q.source
            assert texts.count(right) == 1


def key_answers(page: BeautifulSoup) -> dict[str, tuple[str, str]]:
    return {b["data-number"]: (b["data-id"], " ".join(b.select_one(".text").get_text().split()))
            for b in page.select(".key .question")}


def test_key_matches_the_quiz_in_every_version(bundled):
    pages = build(bundled, versions=3, seed="42")
    slug = bundled.article.slug
    by_id = {q.id: q for q in bundled.questions}
    orders = []
    for v in "ABC":
        quiz, key = soup(pages[f"{slug}-quiz-{v}.html"]), soup(pages[f"{slug}-key-{v}.html"])
        answers = key_answers(key)
        assert [b["data-number"] for b in questions(quiz)] == list(answers)
        for block in questions(quiz):
            qid, answer = answers[block["data-number"]]
            assert qid == block["data-id"]
            q = by_id[qid]
            if isinstance(q, (MultipleChoice, Attribution)):
                right = q.answer if isinstance(q, MultipleChoice) else q.source
                letter = next(li.select_one(".letter").get_text() for li in block.select("ol.choices li")
                              if li.get_text()[1:] == right)
                assert answer == f"{letter} — {right}"
            if q.kind == "order":
                printed = [li.get_text() for li in block.select("ul.events li")]
                positions = [int(n) for n in answer.removeprefix("In the order printed: ").split(", ")]
                assert [printed[positions.index(i + 1)] for i in range(len(printed))] == [e.text for e in q.events]
        assert f"Version {v}" in quiz.select_one(".version").get_text()
        assert f'content: "Version {v}"' in quiz.select_one("style").get_text()  # the running header
        orders.append([b["data-id"] for b in questions(quiz)])
    assert orders[0] != orders[1] != orders[2]
    assert [sorted(o) for o in orders] == [sorted(q.id for q in assemble(bundled, QuizOptions(seed="42")).questions)] * 3


def test_key_gives_source_paragraph_and_passage(bundled):
    key = soup(build(bundled)[f"{bundled.article.slug}-key.html"])
    block = key.select_one('.question[data-id="drones-sold"]')
    assert " ".join(block.select_one(".key-source").get_text().split()) == (
        "¶4: Israel has also in recent years sold surveillance drones to the Russians")
    cloze = key.select_one('.question[data-id="georgia-warning-meeting-place"]')
    assert [s.get_text() for s in cloze.select("strong.filled")] == ["Shimon Peres", "Beijing Olympics"]


def test_same_seed_same_bytes_other_seed_differs(bundled):
    assert build(bundled, versions=2, seed="5") == build(bundled, versions=2, seed="5")
    assert build(bundled, versions=2, seed="5") != build(bundled, versions=2, seed="6")


def test_draw_and_filters(bundled):
    slug = bundled.article.slug

    def ids(**quiz):
        return [b["data-id"] for b in questions(soup(build(bundled, **quiz)[f"{slug}-quiz.html"]))]

    ten = ids(count=10, seed="3")
    assert len(ten) == 10 and ten == ids(count=10, seed="3") and ten != ids(count=10, seed="4")
    assert {bundled_kind(bundled, i) for i in ids(kinds=("mcq", "truefalse"))} == {"mcq", "truefalse"}
    assert all(next(q for q in bundled.questions if q.id == i).tests == "claim" for i in ids(tests="claim"))
    assert set(ids(tags=("reactor",))) == {q.id for q in bundled.questions if "reactor" in q.tags}
    assert build(bundled, tags=("no-such-tag",)) == {}


def bundled_kind(found, qid):
    return next(q.kind for q in found.questions if q.id == qid)


def test_blanks_do_not_give_the_answer_length_away(bundled):
    quiz = soup(build(bundled)[f"{bundled.article.slug}-quiz.html"])
    widths = {int(re.search(r"width: (\d+)ch", b["style"]).group(1)) for b in quiz.select(".blank")}
    assert widths <= set(BLANK_WIDTHS)
    lengths = {len(s.answer) for q in bundled.questions if isinstance(q, Cloze) for s in q.segments if not isinstance(s, str)}
    assert len(widths) < len(lengths)


def test_short_answer_lines_and_true_false_circles(bundled):
    quiz = soup(build(bundled)[f"{bundled.article.slug}-quiz.html"])
    qa = quiz.select_one('.question[data-id="georgia-warning-year"]')
    assert len(qa.select(".line")) == 1
    longer = quiz.select_one('.question[data-id="talks-reflect-recognition"]')
    assert len(longer.select(".line")) > 1
    tf = quiz.select_one('.question[data-id="s300-supplied-tf"]')
    assert [c.get_text() for c in tf.select(".circle")] == ["T", "F"] and tf.select(".line")
    order = quiz.select_one('.question[data-id="chronology"]')
    assert len(order.select("ul.events li .box")) == 5


def test_append_key_and_paper(bundled):
    pages = build(bundled, append_key=True, paper="letter")
    quiz = soup(pages[f"{bundled.article.slug}-quiz.html"])
    assert quiz.select_one("section.key") is not None
    assert "size: letter;" in quiz.select_one("style").get_text()
    assert "size: A4;" in soup(build(bundled)[f"{bundled.article.slug}-quiz.html"]).select_one("style").get_text()


def test_hostile_text_is_shown_as_text(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    hostile = '</textarea><script>alert(1)</script><img src=x onerror="alert(2)"> {{ 7*7 }} javascript:alert(3)'
    (content / "mini" / "q.yaml").write_text(
        "questions:\n"
        "  - id: hostile\n    kind: mcq\n    tests: event\n"
        f"    question: '{hostile}'\n    answer: '<b>bold</b>'\n    distractors: ['<a href=\"javascript:x\">x</a>']\n"
        "    explanation: '<style>body{display:none}</style>'\n"
        "    passage: The mayor opened the new bridge\n",
        encoding="utf-8",
    )
    (found,) = load_library(content).sets
    for name, data in build(found, append_key=True).items():
        page = soup(data)
        assert page.find("script") is None and page.find("img") is None and page.find("a") is None, name
        assert page.find("b") is None and page.find("textarea") is None, name
        assert len(page.find_all("style")) == 1, name
        handlers = [(t.name, a) for t in page.find_all(True) for a in t.attrs if a.startswith("on")]
        assert handlers == [("button", "onclick")], name  # only our own Print button
        shown = " ".join(page.get_text().split())
        assert "B — <b>bold</b>" in shown and "<style>body{display:none}</style>" in shown, name
        if "-quiz" in name:
            assert hostile in shown and '<a href="javascript:x">x</a>' in shown, name
