"""The printable quiz and key: structure, draws, versions, escaping (no browser needed)."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT

from generator.checks.selection import assemble
from generator.model import Attribution, Cloze, MultipleChoice
from generator.outputs import BuildOptions
from generator.outputs.quiz import QuizBuilder
from generator.outputs.quiz_options import QuizOptions
from generator.sources.load import load_article_set, load_library

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


def build(found, **quiz) -> dict[str, bytes]:
    outputs = QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(QuizOptions(**quiz),)))
    return {o.name: o.data for o in outputs}


def soup(data: bytes) -> BeautifulSoup:
    return BeautifulSoup(data.decode("utf-8"), "html.parser")


def questions(page: BeautifulSoup, within: str = "main") -> list:
    return page.select(f"{within} .question")


def ids(pages: dict[str, bytes], slug: str, suffix: str = "") -> dict[str, str]:
    """Question id by number, from the key (the students' quiz carries no id)."""
    return {b["data-number"]: b["data-id"] for b in questions(soup(pages[f"{slug}-key{suffix}.html"]), ".key .detail")}


def block_of(pages: dict[str, bytes], slug: str, qid: str):
    """The quiz's block of the question `qid`, found by its number in the key."""
    number = next(n for n, i in ids(pages, slug).items() if i == qid)
    return soup(pages[f"{slug}-quiz.html"]).select_one(f'main .question[data-number="{number}"]')


def test_every_question_once_numbered_through(bundled):
    pages = build(bundled)
    assert sorted(pages) == [f"{bundled.article.slug}-key.html", f"{bundled.article.slug}-quiz.html"]
    quiz = soup(pages[f"{bundled.article.slug}-quiz.html"])
    blocks = questions(quiz)
    quizzed = assemble(bundled, QuizOptions()).questions  # every question but those left out for giveaways
    assert [b["data-number"] for b in blocks] == [str(n) for n in range(1, len(quizzed) + 1)]
    by_number = ids(pages, bundled.article.slug)
    assert list(by_number) == [b["data-number"] for b in blocks]
    assert sorted(by_number.values()) == sorted(q.id for q in quizzed)
    for b in blocks:
        assert b.select_one(".num").get_text() == f'{b["data-number"]}.'
    titles = [h.find(string=True).strip() for h in quiz.select("main h2")]
    assert titles == ["Multiple choice", "Who holds this view?", "True or false", "Fill in the blanks",
                      "Short answer", "Chronology"]
    instructions = [p.get_text() for p in quiz.select("main .section-instruction")]
    assert instructions[2] == "Circle T or F. If the statement is false, correct it on its line."
    # the bundled chronologies have 5 and 3 events: the section says no number, each question its own
    assert instructions[5] == "Number the events in the boxes from 1 (earliest)."
    ranges = [b.select_one(".range").get_text() for b in quiz.select('section[data-kind="order"] .question')]
    assert sorted(ranges) == ["Number these 3 events from 1 to 3.", "Number these 5 events from 1 to 5."]


def test_instructions_match_what_each_section_shows(bundled):
    quiz = soup(build(bundled, versions=2)[f"{bundled.article.slug}-quiz-A.html"])
    for section in quiz.select("main section.section"):
        said = section.select_one(".section-instruction").get_text()
        blocks = section.select(".question")
        kind = section["data-kind"]
        if kind in ("mcq", "attribution"):
            assert said.startswith("Circle the letter") and all(b.select("ol.choices .letter") for b in blocks)
        elif kind == "truefalse":
            assert said.startswith("Circle T or F") and "correct it on its line" in said
            for b in blocks:  # the circles and the correction's line on one line
                assert [c.get_text() for c in b.select(".tf .circle")] == ["T", "F"] and b.select_one(".tf .write")
        elif kind == "cloze":
            assert said == "Write the missing words on the lines." and all(b.select(".blank") for b in blocks)
        elif kind == "qa":
            assert "on the lines" in said and all(b.select(".line") for b in blocks)
        else:
            for b in blocks:
                n = len(b.select("ul.events li .box"))
                assert b.select_one(".range").get_text() == f"Number these {n} events from 1 to {n}."


def test_one_size_of_chronology_is_named_in_the_section(mini_library):
    (found,) = mini_library.sets
    quiz = soup(build(found)["mini-quiz.html"])
    (n,) = {len(b.select(".box")) for b in quiz.select('section[data-kind="order"] .question')}
    said = quiz.select_one('section[data-kind="order"] .section-instruction').get_text()
    assert said == f"Number the events in the boxes from 1 (earliest) to {n}."


def test_header_has_source_fill_lines_and_total(bundled):
    quiz = soup(build(bundled)[f"{bundled.article.slug}-quiz.html"])
    text = " ".join(quiz.select_one("main").get_text().split())
    assert "Source: “Israel's Hushed Military Ties With Russia Now Paying Off” by Anshel Pfeffer." in text
    assert [s.get_text() for s in quiz.select(".fill span")] == ["Name", "Class", "Date"]
    total = sum(int(re.search(r"\((\d+) pts?\)", q.select_one(".pts").get_text()).group(1)) for q in questions(quiz))
    assert f"Score: ______ / {total}" in text and f"{total} points" in text
    assert "Time allowed" not in text and "Answer from what the article says." in text
    sections = quiz.select("main section.section")
    by_section = [sum(int(re.search(r"\((\d+) pts?\)", q.select_one(".pts").get_text()).group(1))
                      for q in s.select(".question")) for s in sections]
    table = [td.get_text() for td in quiz.select("table.section-points tr")[1].select("td")]
    assert table == [f"{n} point{'s' if n != 1 else ''}" for n in by_section] and sum(by_section) == total
    assert [h.select_one(".h2-points").get_text() for h in quiz.select("main h2")] == [f"({t})" for t in table]
    assert quiz.select_one(".print-hint button").get_text() == "Print"


def test_header_options(bundled):
    pages = build(bundled, title="Unit 3 test: Israel & Russia", time_allowed="40 minutes", class_field=False,
                  instructions="No notes. <Answer> in pen.", points=(("qa", 3), ("order", 2)), versions=2)
    slug = bundled.article.slug
    quiz = soup(pages[f"{slug}-quiz-B.html"])
    text = " ".join(quiz.select_one("main").get_text().split())
    assert quiz.select_one("h1").get_text() == "Unit 3 test: Israel & Russia"
    assert quiz.select_one("title").get_text() == "Unit 3 test: Israel & Russia (version B)"
    assert "Time allowed: 40 minutes" in text and "No notes. <Answer> in pen." in text
    assert [s.get_text() for s in quiz.select(".fill span")] == ["Name", "Date"]
    for block in quiz.select('section[data-kind="qa"] .question'):
        assert block.select_one(".pts").get_text() == "(3 pts)"
    for block in quiz.select('section[data-kind="order"] .question'):
        assert block.select_one(".pts").get_text() == f"({2 * len(block.select('.box'))} pts)"
    key = soup(pages[f"{slug}-key-B.html"])
    rules = {tr.select("td")[0].get_text(): tr.select("td")[3].get_text() for tr in key.select("table.marking tr")[1:]}
    assert rules["Short answer"].startswith("3 points for an answer")
    assert rules["Chronology"].startswith("2 points for each event")
    assert "Unit 3 test: Israel &amp; Russia" in pages[f"{slug}-key-B.html"].decode()


def test_choices_are_lettered_and_hold_the_answer_once(bundled):
    pages = build(bundled)
    slug = bundled.article.slug
    by_id = {q.id: q for q in bundled.questions}
    by_number = ids(pages, slug)
    for block in questions(soup(pages[f"{slug}-quiz.html"])):
        q = by_id[by_number[block["data-number"]]]
        if isinstance(q, (MultipleChoice, Attribution)):
            choices = block.select("ol.choices li")
            letters = [li.select_one(".letter").get_text() for li in choices]
            assert letters == list("ABCD"[: len(choices)])
            texts = [li.get_text()[1:] for li in choices]
            right = q.answer if isinstance(q, MultipleChoice) else q.source
            assert texts.count(right) == 1


def key_answers(page: BeautifulSoup) -> dict[str, tuple[str, str]]:
    return {b["data-number"]: (b["data-id"], " ".join(b.select_one(".text").get_text().split()))
            for b in page.select(".key .detail .question")}


def grid(page: BeautifulSoup) -> dict[str, str]:
    return {li.select_one(".gn").get_text(): " ".join(li.get_text().split()[1:]) for li in page.select("ol.grid li")}


def test_key_matches_the_quiz_in_every_version(bundled):
    pages = build(bundled, versions=3, seed="42")
    slug = bundled.article.slug
    by_id = {q.id: q for q in bundled.questions}
    orders = []
    for v in "ABC":
        quiz, key = soup(pages[f"{slug}-quiz-{v}.html"]), soup(pages[f"{slug}-key-{v}.html"])
        answers = key_answers(key)
        glance = grid(key)
        assert [b["data-number"] for b in questions(quiz)] == list(answers) == list(glance)
        for block in questions(quiz):
            qid, answer = answers[block["data-number"]]
            q = by_id[qid]
            if isinstance(q, (MultipleChoice, Attribution)):
                right = q.answer if isinstance(q, MultipleChoice) else q.source
                letter = next(li.select_one(".letter").get_text() for li in block.select("ol.choices li")
                              if li.get_text()[1:] == right)
                assert answer == f"{letter} — {right}" and glance[block["data-number"]] == letter
            if q.kind == "truefalse":
                assert glance[block["data-number"]] == ("T" if q.answer else "F")
            if q.kind == "qa":
                assert glance[block["data-number"]] == " ".join(q.answer.split())
            if q.kind == "order":
                printed = {li.select_one(".letter").get_text(): li.get_text()[1:] for li in block.select("ul.events li")}
                boxes = dict(pair.split("→") for pair in answer.removeprefix("Boxes: ").split(", "))
                assert sorted(printed) == sorted(boxes) == list("ABCDE"[: len(q.events)])
                assert [printed[letter] for letter in sorted(boxes, key=lambda k: int(boxes[k]))] == [e.text for e in q.events]
                assert glance[block["data-number"]] == answer.removeprefix("Boxes: ")
                listed = [" ".join(li.get_text().split()) for li in key.select_one(
                    f'.detail .question[data-number="{block["data-number"]}"]').select(".key-order li")]
                assert [item.split()[0] for item in listed] == sorted(boxes, key=lambda k: int(boxes[k]))
        assert f"Version {v}" in quiz.select_one(".version").get_text()
        assert f'content: "Version {v}"' in quiz.select_one("style").get_text()  # the @page header
        assert f"· Version {v}" in quiz.select_one(".running .run-quiz").get_text()  # the running header
        orders.append([answers[b["data-number"]][0] for b in questions(quiz)])
    assert orders[0] != orders[1] != orders[2]
    assert [sorted(o) for o in orders] == [sorted(q.id for q in assemble(bundled, QuizOptions(seed="42")).questions)] * 3


@pytest.mark.parametrize("seed", ["1", "2", "7", "42", "x"])
def test_right_letters_are_balanced_in_every_version(bundled, seed):
    pages = build(bundled, versions=4, seed=seed)
    slug = bundled.article.slug
    rights = []
    for v in "ABCD":
        letters = [a for a in grid(soup(pages[f"{slug}-key-{v}.html"])).values() if a in ("A", "B", "C", "D")]
        counts = [letters.count(x) for x in "ABCD"]
        mean = len(letters) / 4
        assert all(abs(c - mean) <= 1 for c in counts), (v, counts)
        rights.append(letters)
    assert len({tuple(r) for r in rights}) > 1  # not the same pattern in every version


def test_one_blank_width_and_fixed_answer_room(bundled):
    pages = build(bundled)
    quiz = soup(pages[f"{bundled.article.slug}-quiz.html"])
    blanks = quiz.select(".blank")
    assert len(blanks) == sum(len(q.numbers) and sum(1 for s in q.segments if not isinstance(s, str))
                              for q in assemble(bundled, QuizOptions()).questions if isinstance(q, Cloze))
    assert all(b.attrs == {"class": ["blank"]} for b in blanks)  # no width of its own: one width in the CSS
    assert len(re.findall(r"\.blank \{[^}]*width: 30mm", quiz.select_one("style").get_text())) == 1
    assert {len(b.select(".line")) for b in quiz.select('section[data-kind="qa"] .question')} == {2}


def test_no_id_or_label_in_the_students_quiz(bundled):
    pages = build(bundled, versions=2, append_key=True)
    slug = bundled.article.slug
    qids = [q.id for q in bundled.questions]
    for name in (f"{slug}-quiz-A.html", f"{slug}-quiz-B.html"):
        html = pages[name].decode("utf-8")
        page = soup(pages[name])
        assert "data-id" not in html and page.find(id=True) is None
        values = {str(v) for tag in page.find_all(True) for v in tag.attrs.values()}
        assert not values & set(qids), name
        text = page.get_text()
        assert [i for i in qids if "-" in i and i in text] == [], name  # labels such as 'gru-agency'
        assert page.select("section.key") == [] and "teacher's copy" not in page.select_one("main").get_text()
        assert page.select_one('meta[name="quizgen-audience"]')["content"] == "student"
    for name in (f"{slug}-key-A.html", f"{slug}-quiz-key-B.html"):
        page = soup(pages[name])
        assert page.select_one('meta[name="quizgen-audience"]')["content"] == "teacher"
        assert page.select_one("section.key h1").get_text() == "Answer key — teacher's copy"
        assert "Answer key — teacher's copy" in page.select_one(".running").get_text()


def test_marking_rules_for_every_kind(bundled):
    key = soup(build(bundled)[f"{bundled.article.slug}-key.html"])
    rows = [[td.get_text() for td in tr.select("td")] for tr in key.select("table.marking tr")[1:]]
    rules = {r[0]: r[3] for r in rows}
    assert list(rules) == ["Multiple choice", "Who holds this view?", "True or false", "Fill in the blanks",
                           "Short answer", "Chronology", "Total"]
    assert "half" in rules["True or false"] and "correction" in rules["True or false"]
    assert "half" in rules["Short answer"] and "neighbours swapped" in rules["Chronology"]
    assert sum(int(r[2]) for r in rows[:-1]) == int(rows[-1][2])
    grid_page = key.select_one(".grid-page")
    assert grid_page.select_one("h1").get_text() == "Answer key — teacher's copy"
    assert len(grid_page.select("ol.grid li")) == len(assemble(bundled, QuizOptions()).questions)


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

    def drawn(**quiz):
        return list(ids(build(bundled, **quiz), slug).values())

    ten = drawn(count=10, seed="3")
    assert len(ten) == 10 and ten == drawn(count=10, seed="3") and ten != drawn(count=10, seed="4")
    assert {bundled_kind(bundled, i) for i in drawn(kinds=("mcq", "truefalse"))} == {"mcq", "truefalse"}
    assert all(next(q for q in bundled.questions if q.id == i).tests == "claim" for i in drawn(tests="claim"))
    assert set(drawn(tags=("reactor",))) == {q.id for q in bundled.questions if "reactor" in q.tags}
    assert build(bundled, tags=("no-such-tag",)) == {}


def bundled_kind(found, qid):
    return next(q.kind for q in found.questions if q.id == qid)


def test_true_false_circles_and_chronology_boxes(bundled):
    pages = build(bundled)
    slug = bundled.article.slug
    tf = block_of(pages, slug, "s300-supplied-tf")
    assert [c.get_text() for c in tf.select(".tf .circle")] == ["T", "F"] and tf.select(".tf .write")
    order = block_of(pages, slug, "chronology")
    assert [li.select_one(".letter").get_text() for li in order.select("ul.events li")] == list("ABCDE")
    assert len(order.select("ul.events li .box")) == 5
    css = soup(pages[f"{slug}-quiz.html"]).select_one("style").get_text()
    assert re.search(r"\.box \{[^}]*width: 10mm; height: 10mm", css)
    assert re.search(r"\.q-cloze \.stem \{ line-height: 8mm; \}", css)  # room to write on every blank
    assert re.search(r"\.line \{[^}]*height: 8mm", css)


def test_append_key_and_paper(bundled):
    pages = build(bundled, append_key=True, paper="letter")
    slug = bundled.article.slug
    assert sorted(pages) == [f"{slug}-key.html", f"{slug}-quiz-key.html", f"{slug}-quiz.html"]
    both = soup(pages[f"{slug}-quiz-key.html"])
    assert both.select_one("main.quiz") is not None and both.select_one("section.key") is not None
    assert both.select_one("body")["class"] == ["combined"]
    assert soup(pages[f"{slug}-quiz.html"]).select_one("section.key") is None
    assert "size: letter;" in both.select_one("style").get_text()
    assert "size: A4;" in soup(build(bundled)[f"{slug}-quiz.html"]).select_one("style").get_text()


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
    pages = build(found, append_key=True)
    assert sorted(pages) == ["mini-key.html", "mini-quiz-key.html", "mini-quiz.html"]
    for name, data in pages.items():
        page = soup(data)
        assert page.find("script") is None and page.find("img") is None and page.find("a") is None, name
        assert page.find("b") is None and page.find("textarea") is None, name
        assert len(page.find_all("style")) == 1, name
        handlers = [(t.name, a) for t in page.find_all(True) for a in t.attrs if a.startswith("on")]
        assert handlers == [("button", "onclick")], name  # only our own Print button
        shown = " ".join(page.get_text().split())
        if "-key" in name:
            assert re.search("[AB] — <b>bold</b>", shown) and "<style>body{display:none}</style>" in shown, name
        if "-quiz" in name:
            assert hostile in shown and '<a href="javascript:x">x</a>' in shown, name


def test_points_of_each_kind(bundled):
    """A short answer is worth 2 points, a chronology one per event, a cloze one per blank, others 1."""
    from generator.outputs.quiz.sheet import build_sheet

    sheet = build_sheet(bundled, list(bundled.questions), QuizOptions(), None)
    items = [item for section in sheet.sections for item in section.items]
    for item in items:
        q = item.question
        expected = {"qa": 2, "order": len(getattr(q, "events", ())), "cloze": len(item.parts) - sum(isinstance(p, str) for p in item.parts)}
        assert item.points == expected.get(q.kind, 1), q.id
    assert any(item.question.kind == "qa" for item in items)


def _codes(pages: dict[str, bytes]) -> dict[str, str]:
    """The code printed in each page's header box."""
    return {name: soup(data).select_one(".version").get_text().rsplit("Code ", 1)[1] for name, data in pages.items()}


def test_quiz_and_key_show_one_code_per_version(bundled):
    codes = _codes(build(bundled, versions=2))
    slug = bundled.article.slug
    assert codes[f"{slug}-quiz-A.html"] == codes[f"{slug}-key-A.html"]
    assert codes[f"{slug}-quiz-B.html"] == codes[f"{slug}-key-B.html"]
    assert codes[f"{slug}-quiz-A.html"] != codes[f"{slug}-quiz-B.html"]
    assert re.fullmatch(r"[A-Z2-7]{4}", codes[f"{slug}-quiz-A.html"])


def test_code_changes_with_what_is_printed_or_marked_only(bundled):
    import dataclasses

    def edited(qid: str, **changes):
        questions = tuple(dataclasses.replace(q, **changes) if q.id == qid else q for q in bundled.questions)
        return dataclasses.replace(bundled, questions=questions)

    slug = bundled.article.slug
    code = _codes(build(bundled))[f"{slug}-quiz.html"]
    mcq = next(q for q in bundled.questions if isinstance(q, MultipleChoice))
    moved = dataclasses.replace(mcq.origin, line=mcq.origin.line + 40)
    # an explanation (the key's detail) or a question's place in its file does not change the code
    assert _codes(build(edited(mcq.id, explanation="Reworded.", origin=moved)))[f"{slug}-quiz.html"] == code
    # a reworded stem or another right answer does
    assert _codes(build(edited(mcq.id, question=mcq.question + " (Reworded)")))[f"{slug}-quiz.html"] != code
    assert _codes(build(edited(mcq.id, answer=mcq.answer + " too")))[f"{slug}-key.html"] != code


def test_the_kept_assembly_goes_with_its_article_set():
    """The quiz's selection is kept for the build's second question (what it left out), but not
    past its article set: its questions are not kept alive into the next article's build."""
    import gc
    import weakref

    from generator.checks import selection

    found = load_article_set(FIXTURES / "mini")
    answer = assemble(found, QuizOptions())
    assert assemble(found, QuizOptions()) is answer  # kept
    kept = weakref.ref(answer)
    del answer
    gc.disable()
    try:
        del found
        assert selection._LAST == [] and kept() is None
    finally:
        gc.enable()
