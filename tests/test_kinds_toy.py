"""A question kind added from the tests alone (no product module edited) reaches every output.

The toy kind `echo` (a prompt and the words to say back) is one module's worth of code: a model and
a schema class, a Kind record and a template file, registered for the test and removed after it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from anki.collection import Collection
from anki_helpers import import_apkg
from bs4 import BeautifulSoup
from conftest import FIXTURES, build_files
from study_helpers import page_json

from generator import model
from generator.checks.giveaways import giveaways
from generator.checks.summary import article_lines
from generator.kinds.anki_text import text
from generator.kinds.contract import Answer, Kind, KindError
from generator.kinds.registry import REGISTRY
from generator.kinds.scoring import Scoring, Written
from generator.outputs.quiz_options import QuizOptions
from generator.sources import schema
from generator.sources.load import load_article_set


@dataclass(frozen=True, kw_only=True)
class Echo(model.Question):
    kind: ClassVar[str] = "echo"
    prompt: str
    reply: str


class EchoQ(schema._Question):
    kind: Literal["echo"]
    prompt: str
    reply: str


TEMPLATE = """\
{% macro quiz(item, q) %}
<div class="stem"><span class="num">{{ item.number }}.</span><span class="text" dir="auto">{{ q.prompt }}</span>{{ points(item.points) }}</div>
{% for _line in range(item.lines) %}<div class="line"></div>{% endfor %}
{% endmacro %}
{% macro grid(item, q) -%}<bdi class="echo-grid">{{ q.reply }}</bdi>{%- endmacro %}
{% macro key(item, q) %}
<div class="stem"><span class="num">{{ item.number }}.</span><span class="text"><bdi class="echo-key">{{ q.reply }}</bdi></span>{{ points(item.points) }}</div>
{% endmacro %}
"""


def echo_kind(template: Path) -> Kind:
    def build(c: Any, entry: Any, m: EchoQ, common: dict[str, Any], sources: Any) -> Echo:
        return Echo(**common, prompt=m.prompt, reply=m.reply)

    return Kind(
        name="echo", label="echo", model=Echo, schema=EchoQ, passage="required", build=build,
        answers=lambda q, sentences: [Answer(q.reply, "its answer")],
        visible=lambda found, q: [q.prompt], choices=lambda found, q: [],
        note_type="basic", anki_fields=lambda found, q, key, _: {"Question": text(q.prompt), "Answer": text(q.reply)},
        section=("Say it back", "Write the words the article uses."), on_sheet=None, points=3,
        marking="{p} for the article's words.", layout="lines", template=template, bubbles="score",
        study_fields=lambda found, q: {"prompt": q.prompt, "answer": q.reply},
        study_label="Echo", study_face="prompt", typed=True,
    )


QUESTIONS = """\
questions:
  - id: echo-auditor
    kind: echo
    tests: event
    prompt: Say back the job of the one who found that costs rose.
    reply: the council's auditor
    passage: The council's auditor, Jane Roe, found that costs rose in 2023.
    allow: [giveaway]
  - id: auditor-statement
    kind: truefalse
    tests: event
    statement: The council's auditor found that costs rose.
    answer: yes
    passage: The council's auditor, Jane Roe, found that costs rose in 2023.
"""


@pytest.fixture
def echo(tmp_path):
    template = tmp_path / "echo.html.j2"
    template.write_text(TEMPLATE, encoding="utf-8")
    kind = REGISTRY.register(echo_kind(template))
    try:
        yield kind
    finally:
        REGISTRY.unregister("echo")


@pytest.fixture
def content(tmp_path, echo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shutil.copytree(FIXTURES / "mini", tmp_path / "content" / "mini")
    (tmp_path / "content" / "mini" / "echo.yaml").write_text(QUESTIONS, encoding="utf-8")
    return tmp_path / "content"


def test_a_toy_kind_renders_its_text_in_every_output(content, tmp_path):
    found = load_article_set(content / "mini")
    (toy,) = [q for q in found.questions if q.kind == "echo"]
    assert toy.reply == "the council's auditor"
    assert "echo 1" in "\n".join(article_lines(found))
    files = build_files(content, tmp_path / "out", force=True, jobs=1, options=(QuizOptions(answer_sheet=True),))

    quiz, key = (BeautifulSoup(files[n].decode("utf-8"), "html.parser") for n in ("mini-quiz.html", "mini-key.html"))
    section = quiz.select_one('section[data-kind="echo"]')
    assert section.h2.get_text(" ", strip=True).startswith("Say it back")
    assert "Say back the job of the one who found that costs rose." in section.get_text()
    assert len(section.select(".line")) == 2  # a written answer's lines, as a short answer's
    assert key.select_one(".echo-grid").get_text() == "the council's auditor"
    assert key.select_one('.question[data-id="echo-auditor"] .echo-key').get_text() == "the council's auditor"
    assert "3 points for the article's words." in key.select_one("table.marking").get_text()

    sheet = json.loads(files["mini-sheet.json"])
    (row,) = [q for q in sheet["questions"] if q["id"] == "echo-auditor"]
    assert row["kind"] == "echo" and row["answer"] is None  # a score the teacher bubbles
    assert "echo-auditor" not in files["mini-sheet.html"].decode("utf-8")  # the student's sheet names no question

    data = page_json(files["mini-study.html"].decode("utf-8"))
    (studied,) = [q for q in data["questions"] if q["id"] == "echo-auditor"]
    assert studied["prompt"] == "Say back the job of the one who found that costs rose."
    assert studied["answer"] == "the council's auditor"
    assert data["kinds"]["echo"] == {"label": "Echo", "face": "prompt", "typed": True}

    col = Collection(str(tmp_path / "collection.anki2"))  # the real Anki backend imports the deck
    try:
        import_apkg(col, tmp_path / "out" / "mini.apkg")
        (note_id,) = col.find_notes('"Id:mini/echo-auditor"')
        note = col.get_note(note_id)
        assert note["Question"] == "Say back the job of the one who found that costs rose."
        assert note["Answer"] == "the council&#x27;s auditor"
        assert note["Kind"] == "echo"
    finally:
        col.close()

    index = BeautifulSoup(files["index.html"].decode("utf-8"), "html.parser")
    links = {a["href"] for a in index.select("a[href]")}
    assert {"mini-quiz.html", "mini-study.html", "mini.apkg"} <= links


def test_the_giveaway_check_sees_a_toy_kinds_answer(content):
    found = load_article_set(content / "mini")
    pairs = [(g.giver.id, g.printed) for g in giveaways(found) if g.taker.id == "echo-auditor"]
    assert ("auditor-statement", "council's auditor") in pairs


def test_a_toy_kind_builds_again_only_when_changed_and_prunes(content, tmp_path):
    out = tmp_path / "out"
    from generator.pipeline.build import build

    first = build(content, out, jobs=1)
    assert first.built == ["mini"]
    again = build(content, out, jobs=1)
    assert again.built == [] and again.skipped == ["mini"]
    versions = build(content, out, jobs=1, prune=True, options=(QuizOptions(versions=2),))  # the one quiz goes
    assert {"mini-quiz.html", "mini-key.html"} <= {Path(p).name for p in versions.pruned}
    assert "Say back the job" in (out / "mini-quiz-B.html").read_text(encoding="utf-8")


def test_a_toy_kind_without_its_template_is_refused(tmp_path):
    with pytest.raises(KindError, match=r"question kind 'echo': its quiz template .*gone\.html\.j2 is missing"):
        REGISTRY.register(echo_kind(tmp_path / "gone.html.j2"))
    assert "echo" not in REGISTRY


def test_a_toy_kinds_template_without_a_macro_fails_the_build_loudly(content, tmp_path, echo):
    Path(echo.template).write_text(TEMPLATE.replace("macro key(", "macro answer("), encoding="utf-8")
    with pytest.raises(Exception, match="has no attribute 'key'"):
        build_files(content, tmp_path / "out", force=True, jobs=1, only=["quiz"])
    assert not (tmp_path / "out" / "mini-key.html").exists()


def test_a_kind_missing_a_handler_cannot_be_made(tmp_path):
    with pytest.raises(KindError, match="'anki_fields' is not set"):
        REGISTRY.register(replace(echo_kind(tmp_path), anki_fields=None))  # type: ignore[arg-type]


def test_an_export_asks_a_toy_kind_for_its_writer_and_names_a_missing_one(content, tmp_path, echo):
    with pytest.raises(KindError, match=r"^GIFT export: no handler for question kind 'echo'; .*handlers\['GIFT export'\]"):
        build_files(content, tmp_path / "out", force=True, jobs=1, only=["gift"])

    def gift_line(found, q, language):
        return [f"::{q.id}::{q.prompt} {{={q.reply}}}"]

    REGISTRY.unregister("echo")
    REGISTRY.register(replace(echo, handlers={"GIFT export": gift_line}))
    files = build_files(content, tmp_path / "out", force=True, jobs=1, only=["gift"])
    (gift,) = [body.decode("utf-8") for name, body in files.items() if name.endswith(".gift.txt") or "gift" in name]
    assert "::echo-auditor::Say back the job of the one who found that costs rose. {=the council's auditor}" in gift


def test_the_study_page_asks_a_toy_kinds_card_as_its_face_says(content, browser):
    """In Chromium: the card shows the kind's name and prompt, a box to type the answer (typed), and
    the answer when revealed; no script error."""
    pytest.importorskip("playwright", reason="Playwright is in the test extras: pip install -e '.[test]'")
    from playwright.sync_api import expect
    from test_study_browser import ORIGIN, URL, tap_filter

    from generator.outputs.study import render_page

    html = render_page(load_article_set(content / "mini"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.add_init_script("delete Navigator.prototype.serviceWorker;")
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        context.route(f"{ORIGIN}/**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
        page.goto(URL)
        tap_filter(page, "kinds", "echo")
        page.locator("#start").tap()
        expect(page.locator("#card")).to_have_attribute("data-card", "echo-auditor")
        expect(page.locator("#card .kind")).to_contain_text("Echo · event")
        expect(page.locator("#card .prompt")).to_have_text("Say back the job of the one who found that costs rose.")
        expect(page.locator("#typed")).to_be_visible()
        page.locator("#reveal").tap()
        expect(page.locator("#card .answer")).to_have_text("the council's auditor")
        assert errors == []
    finally:
        context.close()


class EchoScoring(Written):
    """The toy kind's own marking rule: all its points for any score the teacher bubbles above 0."""

    def points(self, question, values):
        return float(question["points"]) if float(values.get("") or 0) > 0 else 0.0


def test_mark_scores_a_toy_kind_by_its_registrations_scoring(tmp_path):
    pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras: pip install -e '.[test]'")
    from generator.tools.mark.bubbles import Row
    from generator.tools.mark.grade import grade
    from generator.tools.mark.read import Page

    kind = REGISTRY.register(_echo_with(tmp_path, scoring=EchoScoring()))
    try:
        question = {"number": 1, "kind": "echo", "answer": None, "points": 3, "unit": 1, "page": 1,
                    "rows": [{"name": "", "bubbles": [{"value": v} for v in ("0", "1", "2", "3")]}]}
        data = {"slug": "quiz", "title": "Quiz", "version": None, "code": "AB12", "total": 3, "questions": [question]}

        def graded(value):
            rows = [Row(0, str(i), [str(d) for d in range(10)], [], "ok", d) for i, d in enumerate("123456")]
            rows.append(Row(1, "", ["0", "1", "2", "3"], [], "ok" if value else "blank", value))
            page = Page("scan.jpg page 1", "scan.jpg", 1, code={"page": 1, "version": None}, key="k.json", rows=rows)
            (student,), reviews = grade([page], {"k.json": data}, {})
            return student.scores[1], [r.problem for r in reviews]

        assert kind.scoring.written  # a score the teacher bubbles
        assert graded("1") == (3.0, [])  # the kind's rule, not a written answer's "at most the score bubbled"
        assert graded("0") == (0.0, [])
        assert graded(None) == (None, ["no score bubbled for a written answer"])  # never taken as 0
    finally:
        REGISTRY.unregister("echo")


def _echo_with(tmp_path: Path, **changes: Any) -> Kind:
    template = tmp_path / "echo.html.j2"
    template.write_text(TEMPLATE, encoding="utf-8")
    return replace(echo_kind(template), **changes)


def test_a_scoring_that_disagrees_with_the_bubbles_is_refused(tmp_path):
    with pytest.raises(KindError, match=r"its scoring Scoring is not a written answer's \(kinds/scoring.py Written\), but 'bubbles' is 'score'"):
        REGISTRY.register(_echo_with(tmp_path, scoring=Scoring()))
    assert "echo" not in REGISTRY


def _statement_fields(found, q, key, _):
    return {"Statement": text(q.prompt), "Verdict": text(q.reply)}


def test_a_withdrawn_toy_note_keeps_its_kinds_card_face(content, tmp_path):
    """A toy kind whose card shows as a true/false statement (`anki_card`): its withdrawn note says so
    in `Statement`, not in a short answer's `Question`; a kind whose fields fit another face fails loudly."""
    from generator.outputs.anki import RETIRED, plan

    REGISTRY.unregister("echo")
    REGISTRY.register(_echo_with(tmp_path, anki_card="statement", anki_fields=_statement_fields))
    build_files(content, tmp_path / "out", force=True, jobs=1, only=["anki"])  # writes anki.lock beside the questions
    shutil.copy(tmp_path / "out" / "mini.apkg", tmp_path / "before.apkg")
    questions = content / "mini" / "echo.yaml"
    questions.write_text(QUESTIONS.split("  - id: auditor-statement")[0].replace("  - id: echo-auditor", "  - id: echo-other"),
                         encoding="utf-8")
    found = load_article_set(content / "mini")
    (withdrawn,) = [p for p in plan(found, 1700000000) if p.locked.id == "echo-auditor"]
    assert RETIRED in withdrawn.tags
    assert withdrawn.fields["Statement"] and "Question" not in withdrawn.fields
    (live,) = [p for p in plan(found, 1700000000) if p.locked.id == "echo-other"]
    assert live.fields["Statement"] == "Say back the job of the one who found that costs rose."
    build_files(content, tmp_path / "out", force=True, jobs=1, only=["anki"])
    col = Collection(str(tmp_path / "collection.anki2"))  # the learner's card, in the real Anki backend
    try:
        import_apkg(col, tmp_path / "before.apkg")  # the learner's card, then the deck that withdraws it
        import_apkg(col, tmp_path / "out" / "mini.apkg")
        (note_id,) = col.find_notes('"Id:mini/echo-auditor"')
        note = col.get_note(note_id)
        assert note["Statement"].startswith("Withdrawn") and RETIRED in note.tags
        assert "True or false?" in note.cards()[0].question()
    finally:
        col.close()

    REGISTRY.unregister("echo")
    REGISTRY.register(_echo_with(tmp_path, anki_card="choices", anki_fields=_statement_fields))
    with pytest.raises(KindError, match=r"question kind 'echo': its anki_fields leaves Question, Choices empty and fills "
                                        r"Statement, so its card would not show as its anki_card 'choices'"):
        plan(found, 1700000000)


def test_quizgen_schema_lists_a_toy_kind(echo):
    """Editors' JSON Schema holds every registered kind: a question file with an echo question validates."""
    jsonschema = pytest.importorskip("jsonschema")
    from typer.testing import CliRunner

    from generator.cli import app

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert "EchoQ" in schema["$defs"]
    data = {"questions": [{"id": "e", "kind": "echo", "tests": "event", "prompt": "P?", "reply": "R", "passage": "p"}]}
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"questions": [{**data["questions"][0], "reply": 3}]}, schema)


def echo_cards(found, q, language):
    return [(q.prompt, q.reply)]


def test_an_export_asks_a_toy_kind_by_name_as_it_asks_the_built_in_ones(content, tmp_path, echo):
    """A kind gives an export's writer as a function or, as the built-in kinds do, as "module:function"."""
    REGISTRY.unregister("echo")
    REGISTRY.register(replace(echo, handlers={"flashcard CSV export": f"{__name__}:echo_cards"}))
    files = build_files(content, tmp_path / "out", force=True, jobs=1, only=["flashcards"])
    (cards,) = [body.decode("utf-8") for name, body in files.items() if name.endswith(".csv")]
    assert "Say back the job of the one who found that costs rose.,the council's auditor" in cards
    assert REGISTRY["mcq"].handlers["flashcard CSV export"] == "generator.outputs.exports.flashcards:write_choice"
