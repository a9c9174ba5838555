"""QTI 1.2 as Canvas's quiz import reads it (`--qti-version 1.2`): imsmanifest.xml and one assessment.

The item types are Canvas's (its `question_type` metadata): mcq and attribution → multiple choice,
truefalse → true/false, qa → short answer (fill in the blank), cloze → fill in multiple blanks
(Canvas has no cloze: each deletion is a blank `[blankN]` with its one accepted answer, its hint
after it), order → matching (each event to its position; Canvas has no ordering type). A false
statement's correction, the explanation and the passage are the general feedback. No Canvas runs in
the tests: they check the structure and that every answer reads back (tests/test_exports_qti.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from generator.kinds.contract import Handlers
from generator.kinds.exports import EXPORTS
from generator.kinds.registry import handlers
from generator.model import ArticleSet, Attribution, Chronology, Cloze, MultipleChoice, Question, ShortAnswer, TrueFalse
from generator.outputs.exports import common
from generator.outputs.exports.common import ident, package
from generator.outputs.exports.moodle import as_html

QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _material(parent: ET.Element, text: str, html: bool = True) -> None:
    _el(_el(parent, "material"), "mattext", as_html(text) if html else text, texttype="text/html" if html else "text/plain")


def _metadata(item: ET.Element, qtype: str, points: int) -> None:
    meta = _el(_el(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", qtype), ("points_possible", f"{points}.0")):
        field = _el(meta, "qtimetadatafield")
        _el(field, "fieldlabel", label)
        _el(field, "fieldentry", entry)


def _scoring(item: ET.Element) -> ET.Element:
    processing = _el(item, "resprocessing")
    _el(_el(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    return processing


def _condition(processing: ET.Element, respident: str, value: str, score: str, action: str = "Set") -> None:
    condition = _el(processing, "respcondition", **({"continue": "No"} if action == "Set" else {}))
    _el(_el(condition, "conditionvar"), "varequal", value, respident=respident)
    _el(condition, "setvar", score, action=action, varname="SCORE")


def _choices(item: ET.Element, prompt: str, options: list[tuple[str, str]], right: str, qtype: str) -> None:
    _metadata(item, qtype, 1)
    presentation = _el(item, "presentation")
    _material(presentation, prompt)
    render = _el(_el(presentation, "response_lid", ident="response1", rcardinality="Single"), "render_choice")
    for label, text in options:
        _material(_el(render, "response_label", ident=label), text)
    _condition(_scoring(item), "response1", right, "100")


def write_choice(found: ArticleSet, q: MultipleChoice | Attribution, item: ET.Element, language: str) -> None:
    choices = common.choices(found, q)
    options = [(str(i), text) for i, (text, _) in enumerate(choices, start=1)]
    right = next(str(i) for i, (_, r) in enumerate(choices, start=1) if r)
    _choices(item, common.prompt(q, language), options, right, "multiple_choice_question")


def write_truefalse(found: ArticleSet, q: TrueFalse, item: ET.Element, language: str) -> None:
    true, false = common.true_false_words(language)
    _choices(item, q.statement, [("true", true), ("false", false)], "true" if q.answer else "false", "true_false_question")


def write_qa(found: ArticleSet, q: ShortAnswer, item: ET.Element, language: str) -> None:
    _metadata(item, "short_answer_question", 1)
    presentation = _el(item, "presentation")
    _material(presentation, q.question)
    response = _el(presentation, "response_str", ident="response1", rcardinality="Single")
    _el(_el(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    processing = _scoring(item)
    for answer in common.typeable(common.accepted(q)):
        _condition(processing, "response1", answer, "100")


def write_cloze(found: ArticleSet, q: Cloze, item: ET.Element, language: str) -> None:
    blanks = common.blanks(q)
    _metadata(item, "fill_in_multiple_blanks_question", len(blanks))
    presentation = _el(item, "presentation")
    text, number = [], 0
    for s in q.segments:
        if isinstance(s, str):  # a "[" of the text must not read as a blank
            text.append(as_html(s).replace("[", "&#91;"))
        else:  # the hint after its blank, as the Moodle XML writes it
            number += 1
            hint = f" <em>({as_html(s.hint)})</em>".replace("[", "&#91;") if s.hint else ""
            text.append(f"[blank{number}]{hint}")
    _el(_el(presentation, "material"), "mattext", "".join(text), texttype="text/html")
    accepted = [common.typeable([d.answer]) for d in blanks]  # its answer, and its NFC form where that differs
    for i, forms in enumerate(accepted, start=1):
        response = _el(presentation, "response_lid", ident=f"response_blank{i}")
        _material(response, f"blank{i}", html=False)
        render = _el(response, "render_choice")
        for k, form in enumerate(forms, start=1):
            _material(_el(render, "response_label", ident=f"blank{i}-{k}"), form, html=False)
    processing = _scoring(item)
    for i, forms in enumerate(accepted, start=1):
        for k in range(1, len(forms) + 1):
            _condition(processing, f"response_blank{i}", f"blank{i}-{k}", f"{100 / len(blanks):.2f}", action="Add")


def write_order(found: ArticleSet, q: Chronology, item: ET.Element, language: str) -> None:
    _metadata(item, "matching_question", 1)
    presentation = _el(item, "presentation")
    _material(presentation, common.prompt(q, language))
    for i, event in enumerate(q.events, start=1):
        response = _el(presentation, "response_lid", ident=f"response_E{i}")
        _material(response, event.text, html=False)
        render = _el(response, "render_choice")
        for position in range(1, len(q.events) + 1):
            _material(_el(render, "response_label", ident=f"P{position}"), str(position), html=False)
    processing = _scoring(item)
    for i in range(1, len(q.events) + 1):
        _condition(processing, f"response_E{i}", f"P{i}", f"{100 / len(q.events):.2f}", action="Add")


# each kind's writer, as its registration gives it (`Kind.handlers["QTI 1.2 (Canvas) export"]`; the built-in kinds name
# this module's write_<shape>: generator/kinds/exports.py)
ITEMS: Handlers[Callable[[ArticleSet, Any, ET.Element, str], None]] = handlers(EXPORTS["canvas"])


def assessment_xml(found: ArticleSet, questions: list[Question], language: str) -> bytes:
    slug = found.article.slug
    root = ET.Element("questestinterop", {"xmlns": QTI12})
    assessment = _el(root, "assessment", ident=f"quiz-{slug}", title=found.article.meta.title)
    section = _el(assessment, "section", ident="root_section")
    for q in questions:
        item = _el(section, "item", ident=ident(q.id), title=q.id)
        ITEMS[q.kind](found, q, item, language)
        note = common.feedback(found, q, language, correction=True)
        if note:
            feedback = _el(item, "itemfeedback", ident="general_fb")
            _material(_el(feedback, "flow_mat"), note)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def canvas_package(found: ArticleSet, questions: list[Question], language: str) -> bytes:
    slug = found.article.slug
    href = f"quiz-{slug}/quiz-{slug}.xml"
    manifest = ET.Element("manifest", {"xmlns": CP, "identifier": f"manifest-{slug}"})
    metadata = _el(manifest, "metadata")
    _el(metadata, "schema", "IMS Content")
    _el(metadata, "schemaversion", "1.1.3")
    _el(manifest, "organizations")
    resource = _el(_el(manifest, "resources"), "resource", identifier=f"quiz-{slug}", type="imsqti_xmlv1p2")
    _el(resource, "file", href=href)
    ET.indent(manifest)
    manifest_bytes = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(manifest, encoding="utf-8") + b"\n"
    return package([("imsmanifest.xml", manifest_bytes), (href, assessment_xml(found, questions, language))])
