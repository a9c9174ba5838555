"""The LMS and flashcard exports, read back by parsers that are not quizgen's.

- Moodle XML: every field Moodle's XML import reads for each question type (docs.moodle.org,
  "Moodle XML format"; there is no schema), checked here element by element, the embedded
  answers of a cloze read back with the syntax Moodle's multianswer parser reads; plus golden
  files reviewed by hand (tests/golden/exports/).
- GIFT: gift-pegjs (npm, tests/js/package.json), run with node.
- Flashcard CSV: the `anki` backend's CSV import.

Each is built from the bundled article, the mini article (every kind), the hostile-input article and
articles in Hebrew, Arabic and Russian (tests/languages); every question's text, choices and right
answers must come back as the question files have them, quizgen's own words in the article's language.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_hostile import HOSTILE, content

from generator.model import Attribution, Chronology, Cloze, MultipleChoice, ShortAnswer, TrueFalse
from generator.outputs import BuildOptions
from generator.outputs.exports import common
from generator.outputs.quiz_options import QuizOptions
from generator.sources.load import load_article_set

ROOT = Path(__file__).parents[1]
JS = Path(__file__).parent / "js"
GOLDEN = Path(__file__).parent / "golden" / "exports"
LANGUAGES = Path(__file__).parent / "languages"  # Hebrew and Arabic (right to left) and Russian articles, every kind
EXPORTS = ["moodle", "gift", "flashcards", "qti"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_all(tmp_path_factory)


def build_all(tmp_path_factory) -> dict:
    """slug: (the article set as loaded, its outputs by name, the output folder) for the bundled,
    mini, hostile and other-language (tests/languages) articles."""
    from conftest import build_files

    tmp = tmp_path_factory.mktemp("exports")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    roots = {"bundled": tmp / "bundled", "mini": tmp / "mini-root", "hostile": content(tmp, HOSTILE, "hostile"),
             "languages": tmp / "languages"}
    shutil.copytree(ROOT / "questions", roots["bundled"], ignore=shutil.ignore_patterns("anki.lock"))
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", roots["mini"] / "mini")
    shutil.copytree(LANGUAGES, roots["languages"])
    result = {}
    for name, root in roots.items():
        files = build_files(root, tmp / f"{name}-out", only=[*EXPORTS, "index"])
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            found = load_article_set(folder)
            result[found.article.slug] = (found, files, tmp / f"{name}-out")
    mp.undo()
    return result


def expected(found) -> list:
    return common.selected(found, BuildOptions(timestamp=0, settings=(QuizOptions(),)))


def test_every_article_exports_every_format_and_most_questions(built):
    assert set(built) >= {"mini", "hostile-article", "israels-hushed-military-ties-with-russia"}
    for slug, (found, files, _) in built.items():
        assert {f"{slug}-moodle.xml", f"{slug}.gift.txt", f"{slug}-flashcards.csv"} <= set(files)
        kept = expected(found)
        assert len(kept) >= len(found.questions) - 3, slug  # only giveaway pairs and groups are left out
    assert {q.kind for q in expected(built["mini"][0])} == {"qa", "cloze", "mcq", "truefalse", "order", "attribution"}


def test_quizgens_own_words_are_in_the_articles_language_in_every_export(built):
    """A chronology's and an attribution's default prompts, the quotation marks around a claim: as
    the printed quiz says them (the catalogue's), never English in a Hebrew, Arabic or Russian file."""
    from test_exports_qti import unzip

    from generator.i18n import gettext_for

    for slug in ("udhr-he", "udhr-ar", "udhr-ru"):
        found, files, _ = built[slug]
        _ = gettext_for(found.article.meta.language)
        package = unzip(files[f"{slug}-qti.zip"])
        texts = {name: files[name].decode("utf-8") for name in (f"{slug}-moodle.xml", f"{slug}.gift.txt", f"{slug}-flashcards.csv")}
        texts.update({name: data.decode("utf-8") for name, data in package.items()})
        for english in (Chronology.DEFAULT_PROMPT, Attribution.DEFAULT_PROMPT):
            assert not [name for name, text in texts.items() if english in text], (slug, english)
        order = next(q for q in found.questions if isinstance(q, Chronology) and q.question == q.DEFAULT_PROMPT)
        claim = next(q for q in found.questions if isinstance(q, Attribution) and q.question == q.DEFAULT_PROMPT)
        assert common.prompt(order, found.article.meta.language) == _(Chronology.DEFAULT_PROMPT) != Chronology.DEFAULT_PROMPT
        assert common.prompt(claim, found.article.meta.language) == \
            _("“%(title)s”") % {"title": claim.claim} + " " + _(Attribution.DEFAULT_PROMPT)


# -- Moodle XML ------------------------------------------------------------------------------------

COMMON_FIELDS = ("name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber")
TYPE_OF = {"qa": "shortanswer", "cloze": "cloze", "mcq": "multichoice", "attribution": "multichoice",
           "truefalse": "truefalse", "order": "ordering"}
# What Moodle's import reads for each type besides the common fields (qformat_xml::import_*)
TYPE_FIELDS = {
    "shortanswer": ("usecase", "answer"),
    "multichoice": ("single", "shuffleanswers", "answernumbering", "correctfeedback", "partiallycorrectfeedback",
                    "incorrectfeedback", "answer"),
    "truefalse": ("answer",),
    "cloze": (),
    "ordering": ("layouttype", "selecttype", "selectcount", "gradingtype", "showgrading", "numberingstyle", "answer"),
    "matching": ("shuffleanswers", "subquestion"),
}
# Moodle's parser of embedded answers (question/type/multianswer/questiontype.php, its regexes
# ported: Python's lookbehind takes one width at a time): an answer ends at "~", "#" or "}" not after
# "\" or "&" ("&amp;"); then entities are decoded and "\}", "\#" unescaped.
ALT_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
ALT_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
ALT = rf"(=|%(-?[0-9]+)%)?({ALT_ANSWER})(#({ALT_FEEDBACK}))?"
TYPES = r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)"
EMBEDDED = re.compile(rf"\{{([0-9]*):({TYPES}):({ALT}(~{ALT})*)\}}", re.S)


def embedded_answers(alternatives: str) -> list[tuple[str, str]]:
    """(fraction mark, answer as Moodle stores it) of each alternative of one embedded answer."""
    found = []
    while m := re.match("~?" + ALT, alternatives, re.S):
        answer = html.unescape(m.group(3)).replace("\\}", "}").replace("\\#", "#")
        found.append((m.group(1) or "", answer))
        alternatives = alternatives[m.end():]
    return found


def wildcard_free(answer: str) -> str:
    r"""A short answer as typed: shortanswer reads a run of unescaped "*" as a wildcard, "\*" as a star."""
    assert re.search(r"(?<!\\)\*", answer) is None, answer
    return answer.replace("\\*", "*")


def text_of(element: ET.Element, tag: str) -> str:
    found = element.find(f"{tag}/text")
    assert found is not None, tag
    return found.text or ""


def shown(element: ET.Element, tag: str) -> str:
    """An HTML field as the student reads it."""
    return html.unescape(text_of(element, tag).replace("<br>", "\n"))


def read_moodle(data: bytes) -> tuple[list[str], dict[str, ET.Element]]:
    root = ET.fromstring(data)
    assert root.tag == "quiz"
    categories, questions = [], {}
    for element in root.findall("question"):
        if element.get("type") == "category":
            categories.append(text_of(element, "category"))
            assert element.findtext("idnumber")
            continue
        for tag in COMMON_FIELDS + TYPE_FIELDS[element.get("type")]:
            assert element.find(tag) is not None, (element.get("type"), tag)
        assert element.find("questiontext").get("format") == "html"
        questions[text_of(element, "name")] = element
    return categories, questions


def check_moodle(found, element: ET.Element) -> None:
    q = next(q for q in found.questions if q.id == text_of(element, "name"))
    assert element.get("type") == TYPE_OF[q.kind]
    assert element.findtext("idnumber") == q.id
    # tags as Moodle's import reads them (qformat_xml::import_question_tags: tags/tag/text, trimmed)
    assert [t.findtext("text").strip() for t in element.findall("tags/tag")] == common.question_tags(found, q)
    if q.anchor or isinstance(q, Chronology):
        for a in q.anchors():
            assert a.quote(found.article) in shown(element, "generalfeedback")
    answers = [(shown(a, "."), float(a.get("fraction"))) for a in element.findall("answer")]
    if isinstance(q, ShortAnswer):
        assert shown(element, "questiontext") == q.question
        assert element.findtext("usecase") == "0"  # case ignored, as the README says
        right = [text_of(a, ".") for a in element.findall("answer") if a.get("fraction") == "100"]  # plain text, not HTML
        assert [wildcard_free(t) for t in right] == common.accepted(q)
    elif isinstance(q, MultipleChoice | Attribution):
        assert shown(element, "questiontext") == common.prompt(q, found.article.meta.language)
        assert element.findtext("single") == "true" and element.findtext("shuffleanswers") == "true"
        right = q.source if isinstance(q, Attribution) else q.answer
        assert [t for t, f in answers if f == 100] == [right]
        assert sorted(t for t, f in answers if f == 0) == sorted(t for t, r in common.choices(found, q) if not r)
    elif isinstance(q, TrueFalse):
        assert shown(element, "questiontext") == q.statement
        assert {t: f for t, f in answers} == {"true": 100.0 if q.answer else 0.0, "false": 0.0 if q.answer else 100.0}
        if q.correction:
            assert all(shown(a, "feedback") == q.correction for a in element.findall("answer"))
    elif isinstance(q, Chronology):
        assert shown(element, "questiontext") == common.prompt(q, found.article.meta.language)
        assert [t for t, _ in answers] == [e.text for e in q.events]  # qtype_ordering reads the file's order
        # values qtype_ordering's import (set_options_for_import) knows, else it falls back to its defaults
        assert element.findtext("layouttype") in {"VERTICAL", "HORIZONTAL"}
        assert element.findtext("selecttype") == "ALL" and element.findtext("gradingtype") == "ABSOLUTE_POSITION"
        assert element.findtext("showgrading") == "SHOW" and element.findtext("numberingstyle") in {"none", "123", "abc"}
    elif isinstance(q, Cloze):
        raw = text_of(element, "questiontext")
        blanks = [(m.group(2), embedded_answers(m.group(9))) for m in EMBEDDED.finditer(raw)]
        assert [(kind, [(mark, wildcard_free(a)) for mark, a in answers]) for kind, answers in blanks] == [
            ("SHORTANSWER", [("=", d.answer)]) for d in common.blanks(q)]
        filled = re.sub(r" <em>\((.*?)\)</em>", "", EMBEDDED.sub("\0", raw))  # the hints, after their blanks
        parts, deletions = html.unescape(filled.replace("<br>", "\n")).split("\0"), common.blanks(q)
        assert len(parts) == len(deletions) + 1
        assert "".join(p + d.answer for p, d in zip(parts, deletions)) + parts[-1] == q.plain


def test_moodle_xml_has_every_field_moodle_reads_and_the_question_files_answers(built):
    for slug, (found, files, _) in built.items():
        categories, questions = read_moodle(files[f"{slug}-moodle.xml"])
        assert categories == ["$course$/top/" + found.article.meta.title.replace("/", "//")]
        assert sorted(questions) == sorted(q.id for q in expected(found)), slug
        for element in questions.values():
            check_moodle(found, element)


def test_moodle_options_sub_categories_and_matching(built, tmp_path):
    from conftest import build_files

    from generator.outputs.export_options import ExportOptions

    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", tmp_path / "c" / "mini")
    quiz = ExportOptions(moodle_categories="tests", moodle_order="matching")
    files = build_files(tmp_path / "c", tmp_path / "out", only=["moodle", "gift"], options=(quiz,))
    categories, questions = read_moodle(files["mini-moodle.xml"])
    title = built["mini"][0].article.meta.title
    assert sorted(categories) == sorted(f"$course$/top/{title}/{t}" for t in {q.tests for q in expected(built["mini"][0])})
    order = next(e for e in questions.values() if e.get("type") == "matching")
    q = next(q for q in built["mini"][0].questions if q.id == text_of(order, "name"))
    pairs = [(shown(s, "."), s.findtext("answer/text")) for s in order.findall("subquestion")]
    assert pairs == [(e.text, str(i)) for i, e in enumerate(q.events, start=1)]


def test_moodle_xml_matches_the_golden_files(built):
    """The golden files were read through by hand against Moodle's XML format documentation."""
    for slug in ("mini",):
        files = built[slug][1]
        for name in (f"{slug}-moodle.xml", f"{slug}.gift.txt"):
            golden = GOLDEN / name
            if os.environ.get("QUIZGEN_UPDATE_GOLDEN"):
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_bytes(files[name])
            assert files[name] == golden.read_bytes(), f"{name} changed: review it and rerun with QUIZGEN_UPDATE_GOLDEN=1"


# -- GIFT by gift-pegjs ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gift_parser():
    """Runs tests/js/parse_gift.mjs; skipped when node or gift-pegjs is missing unless CI requires it."""
    reason = None
    if shutil.which("node") is None:
        reason = "no node on the PATH (Debian: apt-get install nodejs npm)"
    elif not (JS / "node_modules" / "gift-pegjs").is_dir():
        reason = "gift-pegjs is not installed: run `npm ci` in tests/js"
    if reason:
        if os.environ.get("QUIZGEN_REQUIRE_BROWSER"):
            pytest.fail(f"the JavaScript consumers are required here (QUIZGEN_REQUIRE_BROWSER is set): {reason}")
        pytest.skip(reason)

    def parse(path: Path) -> list[dict]:
        done = subprocess.run(["node", str(JS / "parse_gift.mjs"), str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)[str(path)]

    return parse


def gift_text(part: dict) -> str:
    """An HTML text as the student reads it: a line break is `<br>`, a bare one would show as a space."""
    assert part["format"] == "html"
    assert "\n" not in part["text"], part["text"]
    return html.unescape(part["text"].replace("<br>", "\n"))


def blanked(text: str) -> str:
    return re.sub(r"\s*_____\s*", " _____ ", text).strip()


def gift_names(q: Cloze) -> dict[str, int]:
    """Each GIFT question of a cloze, by name: the index of the segment it asks (one deletion each)."""
    names = {}
    for number in q.numbers:
        mine = [i for i, s in enumerate(q.segments) if not isinstance(s, str) and s.number == number]
        for n, at in enumerate(mine, start=1):
            names[q.id + (f"-c{number}" if len(q.numbers) > 1 else "") + (f"-{n}" if len(mine) > 1 else "")] = at
    return names


def check_gift(found, parsed: list[dict]) -> None:
    by_id = {q.id: q for q in found.questions}
    asked = {name: (q, at) for q in found.questions if isinstance(q, Cloze) for name, at in gift_names(q).items()}
    seen, names = set(), set()
    for item in parsed:
        if item["type"] == "Category":
            assert item["title"].startswith("$course$/top/")
            continue
        assert item["id"] == item["title"]  # its ID number (`// [id:...]`), as Moodle's GIFT import reads it
        q, at = asked.get(item["title"], (by_id.get(item["title"]), -1))
        assert item["tags"] == common.question_tags(found, q)  # `[tag:...]`, read as the ID number is
        seen.add(q.id)
        names.add(item["title"])
        stem = gift_text(item["stem"])
        right = [c for c in item.get("choices", []) if c["isCorrect"]]
        if isinstance(q, ShortAnswer):
            assert (item["type"], stem) == ("Short", q.question)
            assert [wildcard_free(c["text"]["text"]) for c in right] == common.accepted(q)
        elif isinstance(q, MultipleChoice | Attribution):
            assert (item["type"], stem) == ("MC", common.prompt(q, found.article.meta.language))
            assert [(gift_text(c["text"]), c["isCorrect"]) for c in item["choices"]] == common.choices(found, q)
        elif isinstance(q, TrueFalse):
            assert (item["type"], stem, item["isTrue"]) == ("TF", q.statement, q.answer)
        elif isinstance(q, Chronology):
            assert (item["type"], stem) == ("Matching", common.prompt(q, found.article.meta.language))
            assert [(gift_text(p["subquestion"]), p["subanswer"]) for p in item["matchPairs"]] == \
                [(e.text, str(i)) for i, e in enumerate(q.events, start=1)]
        elif isinstance(q, Cloze):  # one blank, one typed answer: the others of its number hidden, the rest filled in
            d = q.segments[at]
            assert item["type"] == "Short"
            assert [wildcard_free(c["text"]["text"]) for c in right] == [d.answer]
            before, _, after = "".join(s if isinstance(s, str) else "\0" if i == at else "[…]" if s.number == d.number
                                       else s.answer for i, s in enumerate(q.segments)).partition("\0")
            blank = "_____" + (f" ({d.hint})" if d.hint else "")
            if after:  # gift-pegjs shows the missing word as " _____ ", the text around it trimmed
                assert item["hasEmbeddedAnswers"] and blanked(stem) == blanked(before + blank + after)
            else:
                assert stem == before + blank
        if q.anchor:
            assert q.anchor.quote(found.article) in gift_text(item["globalFeedback"])
    typed = {q.id: q.answer if isinstance(q, ShortAnswer) else " ".join(d.answer for d in common.blanks(q))
             for q in expected(found) if isinstance(q, ShortAnswer | Cloze)}
    unsayable = {i for i, answer in typed.items() if "->" in answer}  # GIFT cannot escape its matching arrow
    assert seen == {q.id for q in expected(found)} - unsayable
    assert {n for n, (q, _) in asked.items() if q.id in seen} <= names  # every deletion asked


def test_gift_is_read_back_by_gift_pegjs(built, gift_parser):
    for slug, (found, _, out) in built.items():
        check_gift(found, gift_parser(out / f"{slug}.gift.txt"))
    assert "// qa: left out" in (built["hostile-article"][2] / "hostile-article.gift.txt").read_text("utf-8")


def test_the_build_names_the_questions_the_gift_file_leaves_out(tmp_path):
    """A question GIFT cannot hold is left out with a comment in the file, and the build says so."""
    from generator.pipeline.build import build

    result = build(content(tmp_path, HOSTILE, "hostile"), tmp_path / "out", only=["gift", "moodle"])
    gift = (tmp_path / "out" / "hostile-article.gift.txt").read_text("utf-8")
    ids = re.findall(r"^// (\S+): left out", gift, re.M)
    assert ids
    assert [w for w in result.warnings if ".gift.txt" in w] == [
        f"hostile-article.gift.txt leaves out {', '.join(repr(i) for i in ids)}: a typed answer holds \"->\", GIFT's "
        f"matching arrow, which it cannot escape; import the Moodle XML for {'them' if len(ids) > 1 else 'it'}"]
    plain = build(content(tmp_path, "plain words", "plain"), tmp_path / "plain-out", only=["gift"])
    assert not plain.warnings


def test_gift_asks_each_deletion_of_a_cloze_with_its_own_typed_answer(built, tmp_path, gift_parser):
    """Two deletions of one number (blanked together on one card) are two GIFT questions, one blank and
    one answer each, the other hidden: one typed answer for both ('five … longest') marked a student's
    'five' and 'longest' wrong."""
    from dataclasses import replace

    from generator.model import Deletion
    from generator.outputs.exports.gift import gift

    found = built["mini"][0]
    cloze = next(q for q in found.questions if isinstance(q, Cloze))
    cloze = replace(cloze, segments=('after "', Deletion(1, "five", "a number"), ' years" of work - the ', Deletion(1, "longest"),
                                     " ", Deletion(2, "build")))
    found = replace(found, questions=(cloze,))
    (tmp_path / "c.gift.txt").write_bytes(gift(found, [cloze], BuildOptions(timestamp=0), "en"))
    parsed = [i for i in gift_parser(tmp_path / "c.gift.txt") if i["type"] != "Category"]
    assert [(i["title"], [c["text"]["text"] for c in i["choices"]]) for i in parsed] == [
        ("build-years-c1-1", ["five"]), ("build-years-c1-2", ["longest"]), ("build-years-c2", ["build"])]
    assert "[…]" in gift_text(parsed[0]["stem"]) and "five" not in gift_text(parsed[1]["stem"])
    check_gift(found, parsed)


def test_gift_escapes_every_special_character():
    from generator.outputs.exports.gift import escape

    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


# -- flashcard CSV by Anki's CSV import ------------------------------------------------------------

def test_flashcard_csv_is_read_back_by_ankis_csv_import(built, tmp_path):
    pytest.importorskip("anki")
    from anki.collection import Collection, ImportCsvRequest
    from anki.import_export_pb2 import CsvMetadata

    for slug, (found, _, out) in built.items():
        col = Collection(str(tmp_path / f"{slug}.anki2"))
        try:
            path = str(out / f"{slug}-flashcards.csv")
            metadata = col.get_csv_metadata(path, CsvMetadata.Delimiter.COMMA)
            metadata.is_html = False
            metadata.force_is_html = True
            metadata.tags_column = 3
            metadata.dupe_resolution = CsvMetadata.DupeResolution.DUPLICATE  # the hostile article asks one question twice
            metadata.global_notetype.id = col.models.by_name("Basic")["id"]
            del metadata.global_notetype.field_columns[:]
            metadata.global_notetype.field_columns.extend([1, 2])
            col.import_csv(ImportCsvRequest(path=path, metadata=metadata))
            notes = [col.get_note(n) for n in col.find_notes("")]
            cards = [((html.unescape(n["Front"].replace("<br>", "\n")), html.unescape(n["Back"].replace("<br>", "\n"))), n.tags)
                     for n in notes]
            kept = expected(found)
            assert len(notes) == sum(len(q.numbers) if isinstance(q, Cloze) else 1 for q in kept), slug
            for q in kept:
                mine = [(f, b) for (f, b), tags in cards if q.kind in tags and set(t.replace(" ", "_") for t in q.tags) <= set(tags)]
                if isinstance(q, ShortAnswer):
                    assert (q.question, q.answer) in mine
                elif isinstance(q, MultipleChoice | Attribution):
                    right = q.source if isinstance(q, Attribution) else q.answer
                    assert any(f.startswith(common.prompt(q, found.article.meta.language)) and b == right for f, b in mine)
                elif isinstance(q, TrueFalse):
                    true, false = common.true_false_words(found.article.meta.language)
                    assert any(f == q.statement and b.startswith(true if q.answer else false) for f, b in mine)
                elif isinstance(q, Chronology):
                    assert any(b == "\n".join(f"{i}. {e.text}" for i, e in enumerate(q.events, 1)) for _, b in mine)
                elif isinstance(q, Cloze):
                    answers = {" … ".join(d.answer for d in common.blanks(q) if d.number == n) for n in q.numbers}
                    assert answers <= {b for _, b in mine}
        finally:
            col.close()


# -- the teacher's files ---------------------------------------------------------------------------

def test_exports_are_on_teacher_html_only_and_served_only_to_the_teacher(built):
    from generator.tools.serve import Site

    found, files, out = built["mini"]
    names = ["mini-moodle.xml", "mini.gift.txt", "mini-flashcards.csv", "mini-qti.zip"]
    teacher, index = files["teacher.html"].decode(), files["index.html"].decode()
    for name in names:
        assert f'href="{name}"' in teacher
        assert name not in index
    assert not set(names) & set(Site(out).served())
    assert set(names) <= set(Site(out, teacher=True).served())


def test_the_exports_are_plug_ins_found_through_the_entry_point():
    from importlib.metadata import entry_points

    from generator.outputs import MODULES, all_builders

    assert "exports" not in MODULES
    assert any(ep.value == "generator.outputs.exports" for ep in entry_points(group="quizgen.builders"))
    assert {"moodle", "gift", "flashcards", "qti"} <= set(all_builders())


# -- hostile text: escaped in every export -----------------------------------------------------------

def test_hostile_text_adds_no_element_to_any_export(tmp_path):
    """Built with hostile strings and with harmless letters of the same length, every XML export has
    the same elements and attributes, and so has every HTML field Moodle reads."""
    from conftest import build_files
    from test_exports_qti import unzip
    from test_hostile import harmless, structure

    def shape(data: bytes) -> list:
        """Every element's tag and attribute names, and the structure of the HTML each HTML text holds
        (Moodle's fields of format "html"; a typed answer is plain text, compared as typed)."""
        root = ET.fromstring(data)
        html_texts = {id(t) for e in root.iter() if e.get("format") == "html" for t in e.findall("text")}
        return [(e.tag, tuple(sorted(e.attrib)), structure(e.text or "") if id(e) in html_texts else None)
                for e in root.iter()]

    shapes = {}
    for name, h in (("hostile", HOSTILE), ("harmless", harmless(HOSTILE))):
        files = build_files(content(tmp_path, h, name), tmp_path / f"{name}-out", only=["moodle", "qti"])
        package = unzip(files["hostile-article-qti.zip"])
        shapes[name] = {"moodle": shape(files["hostile-article-moodle.xml"]),
                        **{n: shape(data) for n, data in package.items()}}
    assert shapes["hostile"].keys() == shapes["harmless"].keys()
    for key, value in shapes["hostile"].items():
        twin = shapes["harmless"][key]
        assert [(t, a) for t, a, _ in value] == [(t, a) for t, a, _ in twin], key
        for (_, _, mine), (_, _, theirs) in zip(value, twin):
            if mine is not None:  # an HTML field: the hostile one has no element the harmless one lacks
                assert mine == theirs, key


def test_the_build_counts_the_questions_an_export_leaves_out(tmp_path):
    from generator.pipeline.build import build

    shutil.copytree(ROOT / "questions", tmp_path / "c", ignore=shutil.ignore_patterns("anki.lock"))
    result = build(tmp_path / "c", tmp_path / "out", only=["moodle"])
    found = load_article_set(next(p for p in (tmp_path / "c").iterdir() if p.is_dir()))
    assert result.left_out == len(found.questions) - len(expected(found)) > 0


def test_a_build_writes_an_export_only_when_asked(tmp_path):
    from conftest import build_files

    from generator.errors import UsageError

    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", tmp_path / "c" / "mini")
    plain = build_files(tmp_path / "c", tmp_path / "plain")
    assert not [n for n in plain if n.endswith((".xml", ".gift.txt", ".csv", ".zip"))]
    asked = build_files(tmp_path / "c", tmp_path / "asked", export=["gift", "flashcards"])
    assert set(asked) - set(plain) == {"mini.gift.txt", "mini-flashcards.csv"}
    with pytest.raises(UsageError, match="--export quiz is not an export; the exports are moodle, gift, qti, flashcards"):
        build_files(tmp_path / "c", tmp_path / "no", export=["quiz"])


def test_the_configuration_files_exports_are_built(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from generator.cli import app

    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", tmp_path / "mini")
    (tmp_path / "quizgen.toml").write_text('content = "."\nexport = ["moodle"]\nmoodle-order = "matching"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["build", "--out", "out", "--quiet"])
    assert result.exit_code == 0, result.output
    assert b'type="matching"' in (tmp_path / "out" / "mini-moodle.xml").read_bytes()
    (tmp_path / "quizgen.toml").write_text('content = "."\nexport = "moodle"\n', "utf-8")
    result = CliRunner().invoke(app, ["check"])
    assert "quizgen.toml:2:10: error: export must be a list of names" in result.output


def test_every_accepted_answer_of_a_typed_question_is_right(built, tmp_path, gift_parser):
    """Alternatives (`accept:` in the question files, where a question has them) are right answers too."""
    from dataclasses import replace

    from generator.outputs.exports.canvas import assessment_xml
    from generator.outputs.exports.gift import gift
    from generator.outputs.exports.moodle import moodle_xml
    from generator.outputs.exports.qti import item_xml

    found = built["mini"][0]
    q = next(q for q in found.questions if isinstance(q, ShortAnswer))
    alt = replace(q, accept=("3 March 2025", "3/3/2025"))  # as a question file's `accept:` gives them
    found = replace(found, questions=(alt,))
    options = BuildOptions(timestamp=0)
    right = [q.answer, "3 March 2025", "3/3/2025"]
    _, questions = read_moodle(moodle_xml(found, [alt], options, "en"))
    assert [text_of(a, ".") for a in questions[q.id].findall("answer") if a.get("fraction") == "100"] == right
    (tmp_path / "q.gift.txt").write_bytes(gift(found, [alt], options, "en"))
    parsed = [i for i in gift_parser(tmp_path / "q.gift.txt") if i["type"] == "Short"]
    assert [c["text"]["text"] for c in parsed[0]["choices"] if c["isCorrect"]] == right
    assert [e.get("map-key") for e in ET.fromstring(item_xml(found, alt, "en")).iter(
        "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}qti-map-entry")] == right
    assert [v.text for v in ET.fromstring(assessment_xml(found, [alt], "en")).iter(
        "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}varequal")] == right


NASTY = 'a~b=c#d{e}f:g\\h*i&j<k>l"m/n ->o [p] //q'


def nasty_set(found):
    """The mini article with a cloze, a multiple choice and a true/false whose every text is NASTY, the
    texts a student reads over two lines (a YAML block scalar's line break)."""
    from dataclasses import replace

    from generator.model import Deletion

    cloze = next(q for q in found.questions if isinstance(q, Cloze))
    cloze = replace(cloze, segments=(f"{NASTY}\n{NASTY} ", Deletion(1, NASTY), f" {NASTY}"))
    mcq = next(q for q in found.questions if isinstance(q, MultipleChoice))
    # GIFT reads a leading %50% as a weight: a typed answer and choices that start with one
    mcq = replace(mcq, question=f"{NASTY}\n{NASTY}", answer=NASTY + "!", distractors=(NASTY, "%25% off", "%x"),
                  explanation=f"{NASTY}\n{NASTY}")
    tf = next(q for q in found.questions if isinstance(q, TrueFalse))
    tf = replace(tf, statement=f"{NASTY}\n{NASTY}", correction=f"{NASTY}\n{NASTY}")
    qa = next(q for q in found.questions if isinstance(q, ShortAnswer))
    qa = replace(qa, answer="%50%", accept=("%x", "%"))
    return replace(found, questions=(cloze, mcq, tf, qa))


def test_every_special_character_survives_moodles_and_gifts_parsers(built, tmp_path, gift_parser):
    """Answers, choices and texts holding every character Moodle XML and GIFT treat specially."""
    from generator.outputs.exports.gift import gift
    from generator.outputs.exports.moodle import moodle_xml

    found = nasty_set(built["mini"][0])
    options = BuildOptions(timestamp=0)
    _, questions = read_moodle(moodle_xml(found, list(found.questions), options, "en"))
    for element in questions.values():
        check_moodle(found, element)
    (tmp_path / "nasty.gift.txt").write_bytes(gift(found, list(found.questions), options, "en"))
    parsed = gift_parser(tmp_path / "nasty.gift.txt")
    assert len([i for i in parsed if i["type"] != "Category"]) == 3  # the cloze's answer holds "->": left out
    for item in parsed:  # no choice weighs other than right (100%) or wrong
        assert all(c["weight"] in (None, 100) for c in item.get("choices", [])), item
    check_gift(found, [i for i in parsed])
