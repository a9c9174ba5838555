"""The QTI exports: every QTI 3.0 item played and scored in Chromium by @citolab/qti-components
(tests/js), a real QTI 3.0 player: the question files' right answer scores full marks, a wrong one
zero; the package's manifest and test list every item. QTI 1.2 for Canvas: no Canvas runs here, so
its structure and every answer are read back with an XML parser.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from test_exports import build_all, expected, nasty_set

from generator.model import Attribution, Chronology, Cloze, MultipleChoice, ShortAnswer, TrueFalse
from generator.outputs.exports import common

PLAYER = Path(__file__).parent / "js" / "node_modules" / "@citolab" / "qti-components" / "cdn" / "index.global.js"
QTI = "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}"
CP = "{http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_all(tmp_path_factory)


def shown(element: ET.Element) -> str:
    """A body element's text as the candidate reads it: each `<br/>` a line break; a bare line break,
    which shows as a space, is never written."""
    assert not [s for s in element.itertext() if "\n" in s], ET.tostring(element)
    text = element.text or ""
    for child in element:
        text += ("\n" if child.tag == f"{QTI}br" else shown(child)) + (child.tail or "")
    return text


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_package_lists_every_item_in_its_manifest_and_test(built):
    for slug, (found, files, _) in built.items():
        package = unzip(files[f"{slug}-qti.zip"])
        items = {f"items/q-{q.id}.xml" for q in expected(found)}
        assert set(package) == {"imsmanifest.xml", "test.xml", *items}, slug
        manifest = ET.fromstring(package["imsmanifest.xml"])
        hrefs = {r.get("href"): r.get("type") for r in manifest.iter(f"{CP}resource")}
        assert hrefs == {"test.xml": "imsqti_test_xmlv3p0", **{i: "imsqti_item_xmlv3p0" for i in items}}
        test = ET.fromstring(package["test.xml"])
        assert [r.get("href") for r in test.iter(f"{QTI}qti-assessment-item-ref")] == [f"items/q-{q.id}.xml" for q in expected(found)]
        for q in expected(found):
            item = ET.fromstring(package[f"items/q-{q.id}.xml"])
            assert item.tag == f"{QTI}qti-assessment-item"
            assert item.get("{http://www.w3.org/XML/1998/namespace}lang") == found.article.meta.language
            feedback = shown(item.find(f"{QTI}qti-modal-feedback/{QTI}qti-content-body"))
            assert all(a.quote(found.article) in feedback for a in q.anchors())  # the passage as feedback
            assert feedback == common.feedback(found, q, found.article.meta.language, correction=True)
            if isinstance(q, TrueFalse) and q.correction:  # shown with the answer, as in every other export
                assert feedback.startswith(q.correction + "\n"), (slug, q.id)


def test_an_items_title_shows_only_what_the_item_asks(built):
    """QTI lets a delivery engine show an item's title to the candidate: it must not be the question's id,
    which often names the answer (the bundled `drones-sold` asks what Israel sold: surveillance drones)."""
    for slug, (found, files, _) in built.items():
        package = unzip(files[f"{slug}-qti.zip"])
        for q in expected(found):
            item = ET.fromstring(package[f"items/q-{q.id}.xml"])
            title = item.get("title")
            assert title and "\n" not in title and len(title) <= 80, (slug, q.id, title)
            body = item.find(f"{QTI}qti-item-body")
            if isinstance(q, Cloze):
                asked = "".join(s if isinstance(s, str) else "_____" for s in q.segments)
            else:
                asked = shown(next(e for e in body.iter() if e.tag in (f"{QTI}qti-prompt", f"{QTI}p")))
            assert " ".join(asked.split()).startswith(title.removesuffix("…")), (slug, q.id, title)
    slug = "israels-hushed-military-ties-with-russia"
    drones = ET.fromstring(unzip(built[slug][1][f"{slug}-qti.zip"])["items/q-drones-sold.xml"])
    assert "drones" not in drones.get("title").lower()


@pytest.fixture(scope="module")
def player(browser):
    """A page with the QTI 3.0 player loaded; skipped without it unless CI requires it."""
    if not PLAYER.is_file():
        reason = "@citolab/qti-components is not installed: run `npm ci` in tests/js"
        if os.environ.get("QUIZGEN_REQUIRE_BROWSER"):
            pytest.fail(f"the JavaScript consumers are required here (QUIZGEN_REQUIRE_BROWSER is set): {reason}")
        pytest.skip(reason)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html><body><div id=host></div></body></html>")
    page.add_script_tag(path=str(PLAYER))
    yield page, errors
    page.close()


SCORE = """() => { const item = document.querySelector('#host qti-assessment-item'); item.processResponse();
  return [Number(item.getOutcome('SCORE').value), Number(item.getOutcome('MAXSCORE').value)] }"""


class Played:
    def __init__(self, page, xml: bytes) -> None:
        self.page, self.xml = page, xml.decode("utf-8")

    def load(self) -> None:
        self.page.evaluate("x => { document.getElementById('host').innerHTML = x; }", self.xml)
        self.page.wait_for_function("() => document.querySelector('#host qti-assessment-item')?.variables?.length > 0")
        # user text stays text: nothing but the item's own elements
        assert self.page.evaluate("() => document.querySelectorAll('#host script, #host img, #host b').length") == 0

    def score(self) -> tuple[float, float]:
        got = self.page.evaluate(SCORE)
        return got[0], got[1]

    def texts(self, selector: str) -> list[str]:
        """The texts as the page shows them (innerText: a `<br>` is a line break, a bare one a space)."""
        return self.page.evaluate(f"() => [...document.querySelectorAll('#host {selector}')].map(e => e.innerText)")

    def choose(self, text: str) -> None:
        ids = self.page.evaluate("() => [...document.querySelectorAll('#host qti-simple-choice')].map(e => [e.getAttribute('identifier'), e.innerText])")
        ident = next(i for i, t in ids if t == text)
        self.page.click(f"#host qti-simple-choice[identifier='{ident}']")

    def type(self, answers: list[str]) -> None:
        inputs = self.page.locator("#host qti-text-entry-interaction input")
        assert inputs.count() == len(answers)
        for i, answer in enumerate(answers):
            inputs.nth(i).fill(answer)
            inputs.nth(i).press("Tab")

    def order(self, texts: list[str]) -> None:
        ids = dict(self.page.evaluate("() => [...document.querySelectorAll('#host qti-simple-choice')].map(e => [e.innerText, e.getAttribute('identifier')])"))
        self.page.evaluate("o => document.querySelector('#host qti-assessment-item').updateResponseVariable('RESPONSE', o)",
                           [ids[t] for t in texts])


def play(found, q, item: Played, right: bool) -> tuple[float, float]:
    """Answer as the question file says (right) or wrongly, and the score the player gives."""
    item.load()
    if isinstance(q, MultipleChoice | Attribution):
        assert item.texts("qti-prompt") == [common.prompt(q, found.article.meta.language)]
        assert sorted(item.texts("qti-simple-choice")) == sorted(t for t, _ in common.choices(found, q))
        item.choose(next(t for t, r in common.choices(found, q) if r == right))
    elif isinstance(q, TrueFalse):
        assert item.texts("qti-prompt") == [q.statement]
        true, false = common.true_false_words(found.article.meta.language)
        item.choose(true if q.answer == right else false)
    elif isinstance(q, ShortAnswer):
        assert item.texts("qti-item-body > p")[0] == q.question
        item.type([q.answer.swapcase() if right and q.answer.isascii() else q.answer if right else "not it"])
    elif isinstance(q, Cloze):
        deletions = common.blanks(q)
        item.type([d.answer if right else "not it" for d in deletions])
        assert item.texts("qti-item-body > p")[0] == "".join(s for s in q.segments if isinstance(s, str))
    elif isinstance(q, Chronology):
        assert item.texts("qti-prompt") == [common.prompt(q, found.article.meta.language)]
        events = [e.text for e in q.events]
        item.order(events if right else events[::-1])
    return item.score()


def test_every_qti_item_scores_full_marks_right_and_zero_wrong_in_a_qti_player(built, player):
    page, errors = player
    played = 0
    for slug, (found, files, _) in built.items():
        package = unzip(files[f"{slug}-qti.zip"])
        for q in expected(found):
            item = Played(page, package[f"items/q-{q.id}.xml"])
            score, most = play(found, q, item, right=True)
            assert score == most > 0, (slug, q.id)
            assert play(found, q, item, right=False)[0] == 0, (slug, q.id)
            played += 1
    assert not errors
    assert played >= 40


def test_every_special_character_is_played_and_scored(built, player):
    from generator.outputs.exports.qti import item_xml

    page, errors = player
    found = nasty_set(built["mini"][0])
    for q in found.questions:
        item = Played(page, item_xml(found, q, "en"))
        score, most = play(found, q, item, right=True)
        assert score == most > 0, q.id
        assert play(found, q, item, right=False)[0] == 0, q.id
    assert not errors


def test_a_right_to_left_articles_items_read_right_to_left(built, player):
    """xml:lang sets no direction: in a player's left-to-right page a Hebrew question ended with its
    question mark on the wrong side. The item body and the feedback say dir="rtl"."""
    page, errors = player
    for slug in ("udhr-he", "udhr-ar", "udhr-ru"):
        found, files, _ = built[slug]
        package = unzip(files[f"{slug}-qti.zip"])
        for q in expected(found):
            xml = package[f"items/q-{q.id}.xml"]
            Played(page, xml).load()
            shown_as = page.evaluate("() => [...document.querySelectorAll('#host qti-item-body, #host qti-item-body *')]"
                                     ".map(e => getComputedStyle(e).direction)")
            assert set(shown_as) == ({"ltr"} if slug == "udhr-ru" else {"rtl"}), (slug, q.id)
            feedback = ET.fromstring(xml).find(f"{QTI}qti-modal-feedback/{QTI}qti-content-body")
            assert [e.get("dir") for e in feedback if e.tag == f"{QTI}div"] == ([] if slug == "udhr-ru" else ["rtl"]), (slug, q.id)
    assert not errors


def test_a_typed_answer_with_combining_accents_is_right_as_a_keyboard_types_it(built, player):
    """An author's file may hold "é" as "e" and a combining accent (decomposed, NFD: pasted from a PDF
    or a Mac's file name); a keyboard types the one character (NFC), which the player compares."""
    import unicodedata
    from dataclasses import replace

    from generator.model import Deletion
    from generator.outputs.exports.canvas import assessment_xml
    from generator.outputs.exports.qti import item_xml

    page, errors = player
    nfd, nfc = unicodedata.normalize("NFD", "Café Noël"), unicodedata.normalize("NFC", "Café Noël")
    found = built["mini"][0]
    qa = replace(next(q for q in found.questions if isinstance(q, ShortAnswer)), answer=nfd, accept=())
    cloze = replace(next(q for q in found.questions if isinstance(q, Cloze)), segments=("at the ", Deletion(1, nfd), "."))
    found = replace(found, questions=(qa, cloze))
    for q in (qa, cloze):
        item = Played(page, item_xml(found, q, "en"))
        for typed in (nfc, nfd, nfc.upper()):
            item.load()
            item.type([typed])
            score, most = item.score()
            assert score == most == 1, (q.id, typed)
    assert not errors
    canvas = {v.text for v in ET.fromstring(assessment_xml(found, [qa, cloze], "en")).iter(f"{C12}varequal")}
    labels = {m.text for m in ET.fromstring(assessment_xml(found, [cloze], "en")).iter(f"{C12}mattext")}
    assert {nfd, nfc} <= canvas | labels and nfc in canvas and nfc in labels


# -- QTI 1.2 for Canvas ----------------------------------------------------------------------------

C12 = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CANVAS_TYPE = {"qa": "short_answer_question", "cloze": "fill_in_multiple_blanks_question", "mcq": "multiple_choice_question",
               "attribution": "multiple_choice_question", "truefalse": "true_false_question", "order": "matching_question"}


def test_canvas_qti_12_holds_every_question_with_its_answers(built, tmp_path):
    import html

    from conftest import build_files

    from generator.outputs.export_options import ExportOptions

    for name, (found, _, _) in built.items():
        root = tmp_path / name
        shutil.copytree(Path(found.article.path).parent, root / found.article.slug,
                        ignore=shutil.ignore_patterns("anki.lock"))
        files = build_files(root, tmp_path / f"{name}-out", only=["qti"], options=(ExportOptions(qti_version="1.2"),))
        package = unzip(files[f"{found.article.slug}-qti.zip"])
        href = f"quiz-{found.article.slug}/quiz-{found.article.slug}.xml"
        assert set(package) == {"imsmanifest.xml", href}
        manifest = ET.fromstring(package["imsmanifest.xml"])
        assert [f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")] == [href]
        items = {i.get("title"): i for i in ET.fromstring(package[href]).iter(f"{C12}item")}
        assert list(items) == [q.id for q in expected(found)]
        for q in expected(found):
            item = items[q.id]
            fields = {f.findtext(f"{C12}fieldlabel"): f.findtext(f"{C12}fieldentry") for f in item.iter(f"{C12}qtimetadatafield")}
            assert fields["question_type"] == CANVAS_TYPE[q.kind]
            shown = html.unescape(item.find(f"{C12}presentation/{C12}material/{C12}mattext").text)
            conditions = [(v.get("respident"), v.text) for v in item.iter(f"{C12}varequal")]
            labels = {lab.get("ident"): lab.findtext(f"{C12}material/{C12}mattext") for lab in item.iter(f"{C12}response_label")}
            if isinstance(q, ShortAnswer):
                assert (shown, conditions) == (q.question, [("response1", q.answer)])
            elif isinstance(q, MultipleChoice | Attribution):
                assert shown == common.prompt(q, found.article.meta.language)
                right = q.source if isinstance(q, Attribution) else q.answer
                assert [html.unescape(labels[v]) for _, v in conditions] == [right]
            elif isinstance(q, TrueFalse):
                assert (shown, conditions) == (q.statement, [("response1", "true" if q.answer else "false")])
                feedback = item.findtext(f"{C12}itemfeedback/{C12}flow_mat/{C12}material/{C12}mattext")
                shown_after = html.unescape(feedback.replace("<br>", "\n"))  # the correction, as every export shows it
                assert shown_after.startswith(q.correction + "\n") if q.correction else True, (q.id, feedback)
            elif isinstance(q, Cloze):
                assert [labels[v] for _, v in conditions] == [d.answer for d in common.blanks(q)]
                hints = re.findall(r"\[blank\d+\](?: <em>\((.*?)\)</em>)?", html.unescape(raw := item.find(
                    f"{C12}presentation/{C12}material/{C12}mattext").text))
                assert hints == [d.hint or "" for d in common.blanks(q)], raw  # each hint after its blank
                shown = re.sub(r"(\[blank\d+\]) <em>\(.*?\)</em>", r"\1", shown)
                parts = re.split(r"\[blank\d+\]", shown)
                assert "".join(p + d.answer for p, d in zip(parts, common.blanks(q))) + parts[-1] == q.plain
            elif isinstance(q, Chronology):
                assert shown == common.prompt(q, found.article.meta.language)
                events = [r.findtext(f"{C12}material/{C12}mattext") for r in item.iter(f"{C12}response_lid")]
                assert events == [e.text for e in q.events]
                assert [v for _, v in conditions] == [f"P{i}" for i in range(1, len(q.events) + 1)]
