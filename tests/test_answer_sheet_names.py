"""Named answer sheets (`--answer-sheet --roster`): every student's name is drawn in its box, in
Chromium and in the PDF printed from it, whatever its script and direction, and escaped."""

from __future__ import annotations

import io

import pytest
from conftest import ROOT

from generator.outputs import BuildOptions
from generator.outputs.pdf import print_with
from generator.outputs.quiz import QuizBuilder
from generator.outputs.quiz.answer_sheet import name_direction
from generator.outputs.quiz_options import QuizOptions
from generator.sources.load import load_article_set

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extras: pip install -e '.[test]'")

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
# (number, name, the direction it reads in)
ROSTER = (
    ("314187", "Zoë Dupré", "ltr"),
    ("628374", "محمد الأحمد", "rtl"),
    ("837832", "שרה כהן", "rtl"),
    ("418916", "Ann <b>O'Neil</b> & \"Mo\"", "ltr"),
    ("523645", "Ahmed أحمد Smith", "ltr"),
    ("152019", "أحمد Ahmed", "rtl"),
)


@pytest.mark.parametrize(("name", "direction"), [
    ("Zoë", "ltr"), ("שרה", "rtl"), ("محمد", "rtl"), ("١٢ Ali", "ltr"), ("12 שרה", "rtl"), ("", "ltr"), ("- 7", "ltr"),
])
def test_a_name_reads_in_the_direction_of_its_first_strong_letter(name, direction):
    assert name_direction(name) == direction


@pytest.fixture(scope="module")
def named(browser):
    found = load_article_set(BUNDLED)
    quiz = QuizOptions(answer_sheet=True, roster=tuple((n, name) for n, name, _ in ROSTER))
    outputs = [o for o in QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(quiz,)))
               if o.name.endswith("-sheet-named.html")]
    assert len(outputs) == 1
    return outputs[0], print_with(browser, outputs)[0].data


def test_every_name_is_drawn_in_its_box_in_chromium(browser, named):
    html, _ = named
    page = browser.new_page()
    try:
        page.set_content(html.data.decode("utf-8"), wait_until="load")
        # the text element right after the name box's label, whatever it holds
        drawn = page.eval_on_selector_all("svg text", """els => els.filter(e => e.previousElementSibling
                && e.previousElementSibling.textContent === "Name").map(e => {
            const r = e.getBoundingClientRect();
            const box = e.previousElementSibling.previousElementSibling.getBoundingClientRect();
            return {text: e.textContent, width: r.width, height: r.height, direction: getComputedStyle(e).direction,
                    inside: r.left > box.left && r.right < box.right && r.top > box.top && r.bottom < box.bottom,
                    from_left: r.left - box.left};
        })""")
    finally:
        page.close()
    assert [d["text"] for d in drawn] == [name for _, name, _ in ROSTER]  # escaped, not markup
    for d, (_, name, direction) in zip(drawn, ROSTER):
        assert d["width"] > 10 and d["height"] > 5, (name, d)  # drawn, not an empty element
        assert d["inside"], (name, d)
        assert d["direction"] == direction, (name, d)
    assert len({round(d["from_left"]) for d in drawn}) == 1  # every name starts at the box's left


def test_every_name_is_in_the_pdfs_text(named):
    _, pdf = named
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == len(ROSTER)
    for text, (_, name, _) in zip(pages, ROSTER):
        if name_direction(name) == "ltr" and all(ord(c) < 0x590 for c in name):
            assert name in text, (name, text[:200])
    assert "שרה" in pages[2] or "הרש" in pages[2]  # Hebrew in logical or visual order
    assert all("Name" in text for text in pages)


# Names of 60 characters and more, as a class list may hold them: the widest letters, capitals, and
# right-to-left and accented ones. Printed at 4.2 mm they ran through the QR code and off the page.
LONG = (
    ("100001", "W" * 60),
    ("100002", "MARIA-GUADALUPE FERNANDEZ DE LA TORRE Y MONTENEGRO-WASHINGTON"),
    ("100003", "Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinh"),
    ("100004", "محمد عبد الرحمن بن عبد العزيز الأحمد الهاشمي القرشي المكي الحسني"),
    ("100005", "שרה בת אברהם כהן-לוינשטיין מירושלים העתיקה והחדשה גם יחד עם כולם"),
    ("100006", "ЩЕРБАКОВА-ВОЛКОНСКАЯ АЛЕКСАНДРА ВЛАДИМИРОВНА ЖУКОВСКАЯ-ШИШКИНА"),
    ("100007", "Ṅg̃uyễn Thị Mỹ Dung Ḿẃŵ Ẅẁ Ŵŵ Ḿḿ Ǹǹ Ṁṁ Ẃẃ Ẁẁ Ẅẅ Ŵŵ Ẇẇ Ẉẉ ẘ ẙ Ẍẍ Ẋẋ"),
)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_long_name_stays_in_its_box_clear_of_the_qr_code(browser, paper):
    found = load_article_set(BUNDLED)
    quiz = QuizOptions(answer_sheet=True, paper=paper, roster=tuple((n, name) for n, name in LONG))
    html = next(o for o in QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(quiz,)))
                if o.name.endswith("-sheet-named.html"))
    page = browser.new_page()
    try:
        page.set_content(html.data.decode("utf-8"), wait_until="load")
        drawn = page.eval_on_selector_all("text.student-name", """els => els.map(e => {
            const r = e.getBoundingClientRect();
            const box = e.previousElementSibling.previousElementSibling.getBoundingClientRect();
            const size = parseFloat(e.getAttribute("font-size"));
            return {text: e.textContent, size, right: r.right, left: r.left, box_left: box.left, box_right: box.right,
                    inside: r.left > box.left && r.right < box.right && r.top > box.top && r.bottom < box.bottom};
        })""")
    finally:
        page.close()
    assert list(dict.fromkeys(d["text"] for d in drawn)) == [name for _, name in LONG]  # on every page of a sheet
    for d in drawn:
        assert d["inside"], {k: d[k] for k in ("text", "size", "left", "right", "box_right")} | {"text": d["text"][:12]}  # not over the QR code nor off the paper
        assert d["size"] >= 2.2, d  # still legible
    assert next(d for d in drawn if d["text"] == LONG[2][1])["size"] > 3.0  # a long name of ordinary letters shrinks only as much as it needs


def test_a_name_too_long_for_any_box_is_refused_in_one_line(tmp_path):
    from generator.errors import UsageError
    from generator.outputs.quiz_options import roster

    csv = tmp_path / "class.csv"
    csv.write_text("number,name\n100001,Ann Lee\n100002," + "W" * 100 + "\n", encoding="utf-8")
    with pytest.raises(UsageError) as e:
        roster(csv, True, 6)
    message = str(e.value)
    assert "\n" not in message and "100002" in message and "too long" in message, message


@pytest.mark.parametrize("title", [
    "W" * 80,
    "WORLD HISTORY MIDTERM: THE OLD WALLED CITY AND ALL THE PEOPLE WHO LIVED THERE, WITH MAPS",
    "Quiz: " + "Mmmm " * 20,
])
def test_the_title_on_the_sheet_stays_clear_of_the_qr_code(browser, title):
    # cut at 70 characters, a title of capitals or wide letters still ran under the QR code
    found = load_article_set(BUNDLED)
    quiz = QuizOptions(answer_sheet=True, title=title)
    html = next(o for o in QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(quiz,)))
                if o.name.endswith("-sheet.html"))
    page = browser.new_page()
    try:
        page.set_content(html.data.decode("utf-8"), wait_until="load")
        drawn = page.evaluate("""() => {
            const texts = [...document.querySelectorAll("svg text")];
            const label = texts.find(e => e.textContent === "Answer sheet");
            const line = texts[texts.indexOf(label) + 1];  // the title's line, under the heading
            const qr = document.querySelectorAll("svg path")[1].getBoundingClientRect();
            return {text: line.textContent, right: line.getBoundingClientRect().right, qr_left: qr.left};
        }""")
    finally:
        page.close()
    assert drawn["right"] < drawn["qr_left"], drawn
    assert drawn["text"].endswith("…") and title.startswith(drawn["text"][:-1].rstrip()), drawn  # cut, and said
    assert len(drawn["text"]) > 20, drawn
