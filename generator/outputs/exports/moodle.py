"""Moodle XML (`<slug>-moodle.xml`): the question bank of one article, for Moodle's XML import.

Moodle's XML format has no schema; the elements written are those its import reads for each
question type (docs.moodle.org, "Moodle XML format"), checked field by field in tests/test_exports.py.

- One category per article, `$course$/top/<title>` ("/" in a title doubled, as Moodle's category
  paths want), its idnumber the slug; with `--moodle-categories tests` or `tags` a sub-category per
  tests value or per question's first tag.
- qa → shortanswer, every accepted answer full marks (`*` escaped: Moodle reads it as a wildcard); cloze → cloze (embedded answers),
  one SHORTANSWER blank per deletion; mcq and attribution → multichoice, one answer right,
  shuffled; truefalse → truefalse with the correction as both answers' feedback; order → ordering
  (Moodle 4.4's standard type) or, with `--moodle-order matching`, matching events to positions.
- The explanation and the passage with its citation are the general feedback; the question's
  id is its name and its idnumber, so the questions of a re-import are found by id; its tags
  (common.question_tags: the article's slug, the kind, what it tests, its own) are Moodle tags.

Every text is HTML in Moodle: user text is HTML-escaped, then the XML writer escapes it again.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from generator.kinds.contract import Handlers
from generator.kinds.exports import EXPORTS
from generator.kinds.registry import handlers
from generator.model import (
    ArticleSet,
    Attribution,
    Chronology,
    Cloze,
    MultipleChoice,
    Question,
    ShortAnswer,
    TrueFalse,
)
from generator.outputs import BuildOptions
from generator.outputs.export_options import ExportOptions
from generator.outputs.exports import common

PENALTY = "0.3333333"
IDNUMBER_MAX = 100  # Moodle's question and category idnumber column


def as_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def category_path(*parts: str) -> str:
    """`$course$/top/a/b`: a part's own "/" doubled, as Moodle's import reads category paths."""
    return "/".join(["$course$", "top", *(p.replace("/", "//") for p in parts)])


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html", **attrs: str) -> ET.Element:
    """`<tag format="html"><text>text</text></tag>`."""
    element = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(element, "text").text = text
    return element


def _leaf(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def shortanswer_text(answer: str) -> str:
    """An accepted answer as Moodle's shortanswer compares it: a run of `*` is a wildcard unless
    escaped `\\*`, and nothing else is special."""
    return answer.replace("*", "\\*")


def _head(found: ArticleSet, q: Question, qtype: str, text: str, language: str) -> ET.Element:
    element = ET.Element("question", {"type": qtype})
    _text(element, "name", q.id, fmt=None)
    _text(element, "questiontext", text)
    _text(element, "generalfeedback", as_html(common.feedback(found, q, language)))
    _leaf(element, "defaultgrade", "1")
    _leaf(element, "penalty", PENALTY)
    _leaf(element, "hidden", "0")
    _leaf(element, "idnumber", q.id[:IDNUMBER_MAX])
    tags = ET.SubElement(element, "tags")  # as Moodle's import reads them (qformat_xml::import_question_tags)
    for tag in common.question_tags(found, q):
        _text(tags, "tag", tag, fmt=None)
    return element


def _answer(parent: ET.Element, fraction: str, text: str, feedback: str = "", fmt: str = "html") -> None:
    answer = _text(parent, "answer", text, fmt=fmt, fraction=fraction)
    _text(answer, "feedback", feedback)


def _combined_feedback(element: ET.Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "")
    ET.SubElement(element, "shownumcorrect")


def write_qa(found: ArticleSet, q: ShortAnswer, o: Settings) -> ET.Element:
    element = _head(found, q, "shortanswer", as_html(q.question), o.language)
    _leaf(element, "usecase", "0")
    for answer in common.accepted(q):
        _answer(element, "100", shortanswer_text(answer), fmt="moodle_auto_format")
    return element


# Characters that end an embedded answer or start one, as entities: Moodle's parser
# (qtype_multianswer_extract_question) finds the answer's end at a "~", "#" or "}" not after "\\" or
# "&", then decodes entities; "#" first, since the other entities hold one.
CLOZE_ENTITIES = (("#", "&#35;"), ("{", "&#123;"), ("}", "&#125;"), ("~", "&#126;"))


def cloze_answer(answer: str) -> str:
    """One right answer inside `{1:SHORTANSWER:=...}`: shortanswer's wildcard escaped, then HTML."""
    text = html.escape(shortanswer_text(answer), quote=False)
    for c, entity in CLOZE_ENTITIES:
        text = text.replace(c, entity)
    return text


def cloze_html(q: Cloze) -> str:
    """The cloze text as Moodle's embedded answers: a SHORTANSWER blank per deletion, the hint after it."""
    parts = []
    for s in q.segments:
        if isinstance(s, str):  # a "{" of the text must not start an embedded answer
            parts.append(as_html(s).replace("{", "&#123;").replace("}", "&#125;"))
        else:
            hint = f" <em>({as_html(s.hint)})</em>".replace("{", "&#123;").replace("}", "&#125;") if s.hint else ""
            parts.append(f"{{1:SHORTANSWER:={cloze_answer(s.answer)}}}{hint}")
    return "".join(parts)


def write_cloze(found: ArticleSet, q: Cloze, o: Settings) -> ET.Element:
    return _head(found, q, "cloze", cloze_html(q), o.language)


def write_choice(found: ArticleSet, q: MultipleChoice | Attribution, o: Settings) -> ET.Element:
    element = _head(found, q, "multichoice", as_html(common.prompt(q, o.language)), o.language)
    _leaf(element, "single", "true")
    _leaf(element, "shuffleanswers", "true")
    _leaf(element, "answernumbering", "abc")
    _leaf(element, "showstandardinstruction", "0")
    _combined_feedback(element)
    for text, right in common.choices(found, q):
        _answer(element, "100" if right else "0", as_html(text))
    return element


def write_truefalse(found: ArticleSet, q: TrueFalse, o: Settings) -> ET.Element:
    element = _head(found, q, "truefalse", as_html(q.statement), o.language)
    correction = as_html(q.correction or "")
    _answer(element, "100" if q.answer else "0", "true", correction, fmt="moodle_auto_format")
    _answer(element, "0" if q.answer else "100", "false", correction, fmt="moodle_auto_format")
    return element


def write_order(found: ArticleSet, q: Chronology, o: Settings) -> ET.Element:
    if o.order == "matching":
        element = _head(found, q, "matching", as_html(common.prompt(q, o.language)), o.language)
        _leaf(element, "shuffleanswers", "true")
        _combined_feedback(element)
        for position, event in enumerate(q.events, start=1):
            sub = _text(element, "subquestion", as_html(event.text))
            _text(sub, "answer", str(position), fmt=None)
        return element
    element = _head(found, q, "ordering", as_html(common.prompt(q, o.language)), o.language)
    # the values qtype_ordering's import reads; every event shown, each scored in its right position
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", str(len(q.events))),
                       ("gradingtype", "ABSOLUTE_POSITION"), ("showgrading", "SHOW"), ("numberingstyle", "none")):
        _leaf(element, tag, value)
    _combined_feedback(element)
    for position, event in enumerate(q.events, start=1):  # the import takes the answers' order as the right one
        _answer(element, f"{position}.0000000", as_html(event.text))
    return element


# each kind's writer, as its registration gives it (`Kind.handlers["Moodle XML export"]`; the built-in kinds name
# this module's write_<shape>: generator/kinds/exports.py)
WRITERS: Handlers[Callable[[ArticleSet, Any, Settings], ET.Element]] = handlers(EXPORTS["moodle"])


class Settings:
    def __init__(self, language: str, order: str) -> None:
        self.language, self.order = language, order


def subcategory(q: Question, by: str) -> str | None:
    if by == "tests":
        return q.tests
    if by == "tags":
        return q.tags[0] if q.tags else "untagged"
    return None


def _category(quiz: ET.Element, path: str, idnumber: str, info: str) -> None:
    element = ET.SubElement(quiz, "question", {"type": "category"})
    _text(element, "category", path, fmt=None)
    _text(element, "info", as_html(info))
    _leaf(element, "idnumber", idnumber[:IDNUMBER_MAX])


def moodle_xml(found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
    quiz = ET.Element("quiz")
    meta = found.article.meta
    slug = found.article.slug
    settings = Settings(language, options.get(ExportOptions).moodle_order)
    by = options.get(ExportOptions).moodle_categories
    info = " — ".join(p for p in (meta.title, meta.author, meta.publication, meta.date, meta.url) if p)
    groups: dict[str | None, list[Question]] = {}
    for q in questions:
        groups.setdefault(subcategory(q, by), []).append(q)
    for sub, members in groups.items():
        path = category_path(meta.title, *([sub] if sub else []))
        _category(quiz, path, f"{slug}/{sub}" if sub else slug, info)
        for q in members:
            quiz.append(WRITERS[q.kind](found, q, settings))
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8", xml_declaration=False) + b"\n"
