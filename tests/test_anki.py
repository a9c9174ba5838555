"""The Anki builder, checked by importing its packages with the official `anki` package."""

from __future__ import annotations

import html
import re
import shutil
import warnings
from collections import Counter

import genanki
import pytest

pytest.importorskip("anki", reason="the `anki` package is in the test extras: pip install -e '.[test]'")

from anki.collection import Collection  # noqa: E402
from anki_helpers import build_apkg, import_apkg  # noqa: E402
from conftest import FIXTURES, ROOT  # noqa: E402

from generator.model import Attribution, Chronology, Cloze, MultipleChoice, ShortAnswer, TrueFalse  # noqa: E402
from generator.outputs.anki import NOTE_TYPES, deck_id  # noqa: E402
from generator.outputs.anki.notetypes import V1_NOTE_TYPES, model, note_type  # noqa: E402
from generator.sources.load import load_article_set, load_library  # noqa: E402

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
EPOCH = 1_700_000_000


def test_note_types_are_pinned():
    # Changing any of these stops Anki from updating learners' notes: see the rule in notetypes.py.
    fields = ("Id", "Kind", "Question", "Answer", "TypeIn", "Choices", "Statement", "Verdict", "Correction",
              "Scrambled", "Events", "Claim", "Prompt", "Text", "When", "Explanation", "Context", "Citation",
              "Article", "Publication", "PublishedOn", "URL", "Notes")
    assert {k: (t.model_id, t.name, t.fields, t.cloze, t.template) for k, t in NOTE_TYPES.items()} == {
        "basic": (1532369116, "quizgen (v2)", fields, False, "Card 1"),
        "cloze": (1738549600, "quizgen: cloze (v2)", fields, True, "Cloze"),
    }
    assert V1_NOTE_TYPES == {"qa": 2125072410, "cloze": 1426443033, "mcq": 1182375641,
                             "truefalse": 1363958386, "order": 1683727580, "attribution": 1622145544}


def test_v2_fields_keep_every_v1_field_name():
    # "Merge note types" converts v1 notes to v2 by field name: a v1 field missing here would be
    # added to the learner's note type and make every later import "conflicting".
    v1 = {"Question", "Answer", "TypeIn", "Text", "Choices", "Statement", "Verdict", "Correction", "Scrambled",
          "Events", "Claim", "Prompt", "When", "Explanation", "Context", "Citation", "Article", "Id"}
    for t in NOTE_TYPES.values():
        assert v1 <= set(t.fields)
        assert [tm["name"] for tm in model(t).templates] == (["Cloze"] if t.cloze else ["Card 1"])


def test_deck_id_is_stable():
    assert deck_id("israels-hushed-military-ties-with-russia") == deck_id("israels-hushed-military-ties-with-russia")
    assert deck_id("a") != deck_id("b")
    assert deck_id("israels-hushed-military-ties-with-russia") == 1502908278701359332


@pytest.fixture(scope="module")
def bundled_import(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("bundled")
    content = tmp / "content"
    content.mkdir()
    shutil.copytree(BUNDLED, content / BUNDLED.name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # genanki warns about suspicious HTML in fields
        apkg = build_apkg(content, tmp / "out", EPOCH, mp)
    mp.undo()
    col = Collection(str(tmp / "collection.anki2"))
    log = import_apkg(col, apkg)
    yield col, log, load_article_set(BUNDLED)
    col.close()


def test_every_question_is_one_new_note(bundled_import):
    col, log, found = bundled_import
    retired = col.find_notes("tag:quizgen::retired")  # questions the author deleted, kept for learners
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (len(found.questions) + len(retired), 0, 0)
    assert len(col.find_notes("-tag:quizgen::retired")) == len(found.questions)
    assert {col.get_note(n)["Id"] for n in col.find_notes("-tag:quizgen::retired")} == {f"{found.article.slug}/{q.id}" for q in found.questions}


def test_cards_per_note_type(bundled_import):
    col, log, found = bundled_import
    expected = Counter()
    for q in found.questions:
        expected[note_type(q.kind).name] += len(q.numbers) if isinstance(q, Cloze) else 1
    cards = Counter(col.get_card(cid).note_type()["name"] for cid in col.find_cards("-tag:quizgen::retired"))
    assert cards == expected


def test_deck_name_and_tags(bundled_import):
    col, log, found = bundled_import
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert "Articles::Israel's Hushed Military Ties With Russia Now Paying Off" in names
    note = col.get_note(col.find_notes("Id:*/georgia-warning-year")[0])
    assert sorted(note.tags) == ["georgia", "putin", "quizgen::israels-hushed-military-ties-with-russia",
                                 "quizgen::kind::qa", "quizgen::tests::event"]


def visible(rendered: str) -> str:
    """The text a learner sees: no stylesheet, script, tags or comments."""
    import re

    body = re.sub(r"<(style|script)>.*?</\1>", "", rendered, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", "", body))


def _text(value: str) -> str:
    return html.escape(value)


def test_every_card_renders_front_and_back(bundled_import):
    col, log, found = bundled_import
    by_id = {q.id: q for q in found.questions}
    for cid in col.find_cards("-tag:quizgen::retired"):
        card = col.get_card(cid)
        q = by_id[html.unescape(card.note()["Id"]).split("/")[-1]]
        front, back = card.question(), card.answer()
        assert "{{" not in front and "{{" not in back, q.id
        for resource in ("src=", "href=", "url(", "@import", "http:", "https:"):
            assert resource not in front + back, (q.id, resource)  # cards work offline
        assert "Anshel Pfeffer" in back and "<mark>" in back, q.id
        if isinstance(q, (ShortAnswer, MultipleChoice)):
            assert _text(q.answer) in back, q.id
        elif isinstance(q, Attribution):
            assert _text(q.source) in back and _text(q.claim) in front, q.id
        elif isinstance(q, TrueFalse):
            assert ("True" if q.answer else "False") in back, q.id
            if q.correction:
                assert _text(q.correction) in back, q.id
        elif isinstance(q, Chronology):
            for e in q.events:
                assert _text(e.text) in front and _text(e.text) in back, q.id
        elif isinstance(q, Cloze):
            number = card.ord + 1
            hidden = [s.answer for s in q.segments if not isinstance(s, str) and s.number == number]
            assert '<span class="cloze" data-cloze' in front, q.id
            for answer in hidden:
                assert _text(answer) in back, q.id


def test_cloze_front_hides_its_deletion(bundled_import):
    col, log, found = bundled_import
    (nid,) = col.find_notes("Id:*/georgia-warning-meeting-place")
    cards = sorted((col.get_card(c) for c in col.card_ids_of_note(nid)), key=lambda c: c.ord)
    first, second = cards
    body = lambda c, side: visible(getattr(c, side)())  # noqa: E731
    assert "Shimon Peres" not in body(first, "question") and "Beijing Olympics" in body(first, "question")
    assert "Beijing Olympics" not in body(second, "question") and "[an event]" in body(second, "question")
    assert "Shimon Peres" in body(first, "answer")


def test_same_inputs_give_identical_bytes_and_only_an_edit_moves_a_stamp(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    a = build_apkg(content, tmp_path / "a", EPOCH, monkeypatch).read_bytes()
    lock = (content / "mini" / "anki.lock").read_text(encoding="utf-8")
    b = build_apkg(content, tmp_path / "b", EPOCH, monkeypatch).read_bytes()
    c = build_apkg(content, tmp_path / "c", EPOCH + 60, monkeypatch).read_bytes()
    assert a == b == c  # the stamps come from anki.lock, not from the time of the build
    assert (content / "mini" / "anki.lock").read_text(encoding="utf-8") == lock
    q = content / "mini" / "q.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace("When was the bridge opened?", "On what day?"), encoding="utf-8")
    import generator.pipeline.build

    monkeypatch.setattr(generator.pipeline.build, "wall_clock", lambda: EPOCH + 3600)  # the time of the build
    assert build_apkg(content, tmp_path / "d", EPOCH + 60, monkeypatch).read_bytes() != a
    changed = set((content / "mini" / "anki.lock").read_text(encoding="utf-8").splitlines()) - set(lock.splitlines())
    # a changed note gets the time of the build when it is later than SOURCE_DATE_EPOCH (a learner's
    # tag made in Anki before the build must not hide the fix); new notes keep SOURCE_DATE_EPOCH
    assert [line.split("\t")[1:5] for line in changed] == [["opened-when", "qa", "live", str(EPOCH + 3600)]]


def test_timestamp_defaults_to_newest_input(tmp_path, monkeypatch):
    import os

    from generator.pipeline.build import source_timestamp

    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    os.utime(content / "mini" / "article.md", (1_600_000_000, 1_600_000_000))
    os.utime(content / "mini" / "q.yaml", (1_650_000_000, 1_650_000_000))
    (found,) = load_library(content).sets
    assert source_timestamp(found) == 1_650_000_000


def test_reimport_updates_notes_and_keeps_review_history(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    col = Collection(str(tmp_path / "collection.anki2"))
    first = build_apkg(content, tmp_path / "v1", EPOCH, monkeypatch)
    import_apkg(col, first)
    cards_before = sorted(col.find_cards(""))
    notes_before = sorted(col.find_notes(""))
    # review a few cards
    col.decks.select(col.decks.id_for_name("Articles::A Small Article"))
    for _ in range(3):
        card = col.sched.getCard()
        card.start_timer()
        col.sched.answerCard(card, 3)
    reviews = col.db.scalar("select count() from revlog")
    assert reviews == 3

    # the author edits one question's wording and another's answer
    q = content / "mini" / "q.yaml"
    text = q.read_text(encoding="utf-8")
    text = text.replace("question: When was the bridge opened?", "question: On what day was the bridge opened?")
    text = text.replace("distractors: [The mayor, Critics]", "distractors: [The mayor, The critics]")
    text = text.replace("answer: Jane Roe", "answer: Jane Roe, the council's auditor")
    q.write_text(text, encoding="utf-8")
    second = build_apkg(content, tmp_path / "v2", EPOCH + 3600, monkeypatch)
    log = import_apkg(col, second)
    assert len(log.updated) >= 2 and len(log.new) == 0
    assert sorted(col.find_cards("")) == cards_before
    assert sorted(col.find_notes("")) == notes_before
    assert col.db.scalar("select count() from revlog") == reviews
    opened = col.get_note(col.find_notes("Id:*/opened-when")[0])
    assert opened["Question"] == "On what day was the bridge opened?"
    auditor = col.get_note(col.find_notes("Id:*/auditor")[0])
    assert auditor["Answer"] == "Jane Roe, the council&#x27;s auditor"

    # importing the same build again changes nothing
    again = import_apkg(col, second)
    assert (len(again.new), len(again.updated)) == (0, 0)
    assert sorted(col.find_cards("")) == cards_before
    col.close()


def test_hostile_text_is_escaped_in_fields(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    (content / "mini" / "q.yaml").write_text(
        """questions:
  - id: hostile
    kind: qa
    tests: event
    question: "<script>alert(1)</script> {{Answer}} <img src=x onerror=alert(2)>"
    answer: "}} :: {{c1::x}}"
    passage: The mayor opened the new bridge
  - id: hostile-cloze
    kind: cloze
    tests: event
    text: "The [[c1::mayor::a {{c2::x}} :: hint}]] opened"
""",
        encoding="utf-8",
    )
    # the cloze text must still be found in the article, so only the hint is hostile
    text = (content / "mini" / "q.yaml").read_text(encoding="utf-8").replace(" :: hint}", " hint")
    (content / "mini" / "q.yaml").write_text(text.replace("a {{c2::x}}", "a {{c2}}"), encoding="utf-8")
    apkg = build_apkg(content, tmp_path / "out", EPOCH, monkeypatch)
    col = Collection(str(tmp_path / "collection.anki2"))
    import_apkg(col, apkg)
    note = col.get_note(col.find_notes("Id:*/hostile")[0])
    assert "<script>" not in note["Question"] and "&lt;script&gt;" in note["Question"]
    for nid in col.find_notes("Id:*/hostile*"):  # what genanki's write path warned about
        assert all(genanki.Note._find_invalid_html_tags_in_field(v) == [] for v in col.get_note(nid).fields)
    card = col.get_card(col.find_cards("Id:*/hostile")[0])
    body = re.sub(r"<script>/\* quizgen: .*?</script>", "", card.answer().split("</style>")[-1], flags=re.S)
    assert "<script" not in body and "<img" not in body and "&lt;img" in body
    cloze_cards = col.find_cards("Id:*/hostile-cloze")
    assert len(cloze_cards) == 1  # `{{c2}}` in the hint made no second card
    card = col.get_card(cloze_cards[0])
    front, back = visible(card.question()), visible(card.answer())
    assert "The [a {{c2}} hint] opened" in front and "mayor" not in front
    assert "The mayor opened" in back and "}}" not in back
    col.close()


def test_deck_parent_from_the_question_file(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    q = content / "mini" / "q.yaml"
    q.write_text("deck_parent: History::Towns\n" + q.read_text(encoding="utf-8"), encoding="utf-8")
    apkg = build_apkg(content, tmp_path / "out", EPOCH, monkeypatch)
    col = Collection(str(tmp_path / "collection.anki2"))
    import_apkg(col, apkg)
    assert "History::Towns::A Small Article" in {d.name for d in col.decks.all_names_and_ids()}
    col.close()


def test_type_in_variant_asks_for_typing(bundled_import):
    col, log, found = bundled_import
    typed = col.get_card(col.find_cards("Id:*/georgia-warning-year")[0])
    plain = col.get_card(col.find_cards("Id:*/drones-russia-arming-enemies")[0])
    assert "[[type:Answer]]" in typed.question() and "[[type:Answer]]" in typed.answer()
    assert "[[type:Answer]]" not in plain.question()


def test_the_articles_source_is_on_every_back_and_in_the_deck_description(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    article = content / "mini" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "language: en\n", "language: en\npublication: Town Crier\ndate: 2025-03-04\nurl: https://example.org/bridge\n"),
        encoding="utf-8")
    col = Collection(str(tmp_path / "collection.anki2"))
    import_apkg(col, build_apkg(content, tmp_path / "out", EPOCH, monkeypatch))
    for cid in col.find_cards(""):
        back = visible(col.get_card(cid).answer())
        assert "Town Crier" in back and "2025-03-04" in back and "https://example.org/bridge" in back
        assert col.get_card(cid).note()["Notes"] == ""
    description = col.decks.by_name("Articles::A Small Article")["desc"]
    assert "Town Crier" in description and "https://example.org/bridge" in description
    col.close()


def test_new_cards_come_in_the_order_of_the_article(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    col = Collection(str(tmp_path / "collection.anki2"))
    import_apkg(col, build_apkg(content, tmp_path / "out", EPOCH, monkeypatch))
    col.decks.select(col.decks.id_for_name("Articles::A Small Article"))
    studied = []
    for _ in range(len(col.find_cards(""))):
        card = col.sched.getCard()
        card.start_timer()
        col.sched.answerCard(card, 4)  # Easy: out of today's queue
        if card.note()["Id"].split("/")[-1] not in studied:
            studied.append(card.note()["Id"].split("/")[-1])
    # ¶1, then ¶2 by position (at the same place: the shorter passage, then the id; never the files' order), then ¶3
    assert studied == [
        "opened-when", "build-years", "over-budget", "budget-tf", "on-time", "auditor", "chronology",
        "year-plan", "year-pillar",
    ]
    col.close()


def test_the_content_hash_is_the_json_dumps_hash_anki_lock_files_hold():
    # every anki.lock holds these hashes: writing the JSON out by hand must not change one of them
    import hashlib
    import html
    import json
    import re

    from generator.outputs.anki import SOURCE_FIELDS, _content_hash, _legacy_hash
    from generator.outputs.anki.notetypes import FIELDS

    def text_of(value):
        return "\x1f".join(html.unescape(p) for p in re.split(r"<[^>]*>", value) if p)

    tricky = ['say "hi"\\n', "tab\there\x00\x1f\x7f", "é ¶3 – 𝄞 \u2028", "<p>a &amp; b</p>", ""]  # noqa: RUF001
    for t in NOTE_TYPES.values():
        fields = {name: tricky[i % len(tricky)] for i, name in enumerate(FIELDS) if i % 3}
        tags = ["quizgen::b", "quizgen::a", "x\"y"]
        hashed = [text_of(fields.get(f, "")) for f in FIELDS if f not in SOURCE_FIELDS and f != "Id"]
        data = json.dumps(["v2", t.model_id, hashed, sorted(tags)], ensure_ascii=False)
        assert _content_hash(t, fields, tags) == hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
        legacy = json.dumps([t.model_id, [fields.get(f, "") for f in FIELDS], sorted(tags)], ensure_ascii=False)
        assert _legacy_hash(t, fields, tags) == hashlib.sha256(legacy.encode("utf-8")).hexdigest()[:16]


def test_the_content_hash_ignores_markup_and_the_article_s_source_but_not_text():
    from generator.outputs.anki import _content_hash
    from generator.outputs.anki.notetypes import BASIC

    base = {"Question": "<p>a</p>", "Choices": "<ol><li>x</li><li>y</li></ol>", "Article": "Old title", "URL": ""}
    same = {**base, "Question": '<p class="new">a</p>', "Article": "New title", "URL": "https://example.org/a"}
    assert _content_hash(BASIC, same, ["t"]) == _content_hash(BASIC, base, ["t"])
    for changed in ({**base, "Question": "<p>b</p>"}, {**base, "Choices": "<ol><li>xy</li></ol>"}):
        assert _content_hash(BASIC, changed, ["t"]) != _content_hash(BASIC, base, ["t"])
    assert _content_hash(BASIC, base, ["t", "u"]) != _content_hash(BASIC, base, ["t"])


def test_an_anki_lock_written_by_the_previous_release_keeps_every_stamp(tmp_path, monkeypatch):
    """The upgrade itself re-stamps no note: the hash an older lock holds (every field's HTML, the
    Id without the slug, the right choice marked) is recognised once, then rewritten."""
    content = tmp_path / "content"  # the bundled article and its lock as the previous release had them
    shutil.copytree(FIXTURES.parent / "golden" / "legacy-bundled", content)
    old = (content / BUNDLED.name / "anki.lock").read_text(encoding="utf-8")
    build_apkg(content, tmp_path / "out", EPOCH, monkeypatch)
    new = (content / BUNDLED.name / "anki.lock").read_text(encoding="utf-8")

    def stamps(text):
        return {tuple(line.split("\t")[i] for i in (1, 3, 4, 6)) for line in text.splitlines() if line.startswith("note\t")}

    assert stamps(new) == stamps(old) and len(stamps(old)) == 67
