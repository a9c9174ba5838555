"""QTI 3.0 content package (`<slug>-qti.zip`): imsmanifest.xml, one item per question, a test.

Read by QTI 3.0 players and item banks (tests/test_exports_qti.py renders and scores every item in
Chromium with @citolab/qti-components). The kinds: mcq and attribution → a choice interaction
(shuffled, one right choice); truefalse → a choice of the two words, in the article's language; qa →
a text entry, right whatever its case and however its accents are encoded (a mapping, with each
answer's NFC form); cloze → a text entry per blank, a point each (SCORE sums them, MAXSCORE is the
number of blanks); order → an order interaction, right only in the right order. A false statement's
correction, the explanation and the passage with its citation are the item's feedback
(`qti-modal-feedback`, shown once answered). A line break of a text is a `<br/>`. Elements are never
written self-closed but `<br/>`, so an item also reads as HTML (as players load it). An item's
identifier is its question's id (`q-<id>`), its title what it asks (shortened), never the id. A
right-to-left article's item body and feedback are `dir="rtl"`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from generator.i18n import is_rtl
from generator.kinds.contract import Handlers
from generator.kinds.exports import EXPORTS
from generator.kinds.registry import handlers
from generator.model import ArticleSet, Attribution, Chronology, Cloze, MultipleChoice, Question, ShortAnswer, TrueFalse
from generator.outputs import BuildOptions
from generator.outputs.export_options import ExportOptions
from generator.outputs.exports import common
from generator.outputs.exports.canvas import canvas_package
from generator.outputs.exports.common import ident, package

NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
TEMPLATES = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/"


def item_href(q: Question) -> str:
    return f"items/{ident(q.id)}.xml"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _append(parent: ET.Element, text: str) -> None:
    """Shown text at the end of `parent`, each line break a `<br/>` (in a QTI body, as in HTML, a bare
    line break shows as a space)."""
    for i, line in enumerate(text.split("\n")):
        if i:
            ET.SubElement(parent, "br")
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + line
        else:
            parent.text = (parent.text or "") + line


def _shown(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    """An element of the item body holding text the candidate reads."""
    element = _el(parent, tag, **attrs)
    _append(element, text)
    return element


def _response(item: ET.Element, identifier: str, cardinality: str, base_type: str, values: list[str]) -> ET.Element:
    declaration = _el(item, "qti-response-declaration", identifier=identifier, cardinality=cardinality, base_type=base_type)
    correct = _el(declaration, "qti-correct-response")
    for v in values:
        _el(correct, "qti-value", v)
    return declaration


def _mapping(declaration: ET.Element, *answers: str) -> None:
    mapping = _el(declaration, "qti-mapping", default_value="0")
    for answer in answers:
        _el(mapping, "qti-map-entry", map_key=answer, mapped_value="1", case_sensitive="false")


def _outcomes(item: ET.Element, most: int) -> None:
    for name, default in (("SCORE", "0"), ("MAXSCORE", str(most))):
        outcome = _el(item, "qti-outcome-declaration", identifier=name, cardinality="single", base_type="float")
        _el(_el(outcome, "qti-default-value"), "qti-value", default)
    _el(item, "qti-outcome-declaration", identifier="FEEDBACK", cardinality="single", base_type="identifier")


def _prompt(parent: ET.Element, text: str) -> None:
    _shown(parent, "qti-prompt", text)


def _choice_body(item: ET.Element, prompt: str, options: list[tuple[str, str]], shuffle: bool) -> None:
    body = _el(item, "qti-item-body")
    interaction = _el(body, "qti-choice-interaction", response_identifier="RESPONSE", shuffle=str(shuffle).lower(),
                      max_choices="1", min_choices="1")
    _prompt(interaction, prompt)
    for identifier, text in options:
        _shown(interaction, "qti-simple-choice", text, identifier=identifier)


def write_choice(found: ArticleSet, q: MultipleChoice | Attribution, item: ET.Element, language: str) -> int:
    options = [(f"C{i}", text) for i, (text, _) in enumerate(common.choices(found, q), start=1)]
    right = next(f"C{i}" for i, (_, r) in enumerate(common.choices(found, q), start=1) if r)
    _response(item, "RESPONSE", "single", "identifier", [right])
    _outcomes(item, 1)
    _choice_body(item, common.prompt(q, language), options, shuffle=True)
    return 1


def write_truefalse(found: ArticleSet, q: TrueFalse, item: ET.Element, language: str) -> int:
    true, false = common.true_false_words(language)
    _response(item, "RESPONSE", "single", "identifier", ["true" if q.answer else "false"])
    _outcomes(item, 1)
    _choice_body(item, q.statement, [("true", true), ("false", false)], shuffle=False)
    return 1


def write_qa(found: ArticleSet, q: ShortAnswer, item: ET.Element, language: str) -> int:
    _mapping(_response(item, "RESPONSE", "single", "string", [q.answer]), *common.typeable(common.accepted(q)))
    _outcomes(item, 1)
    body = _el(item, "qti-item-body")
    _shown(body, "p", q.question)
    _el(_el(body, "p"), "qti-text-entry-interaction", response_identifier="RESPONSE",
        expected_length=str(max(10, len(q.answer))))
    return 1


def write_cloze(found: ArticleSet, q: Cloze, item: ET.Element, language: str) -> int:
    blanks = common.blanks(q)
    for i, d in enumerate(blanks, start=1):
        _mapping(_response(item, f"RESPONSE{i}", "single", "string", [d.answer]), *common.typeable([d.answer]))
    _outcomes(item, len(blanks))
    paragraph = _el(_el(item, "qti-item-body"), "p")
    number = 0
    for s in q.segments:
        if isinstance(s, str):
            _append(paragraph, s)
        else:
            number += 1
            _el(paragraph, "qti-text-entry-interaction", response_identifier=f"RESPONSE{number}",
                expected_length=str(max(5, len(s.answer))), **({"placeholder_text": s.hint} if s.hint else {}))
    return len(blanks)


def write_order(found: ArticleSet, q: Chronology, item: ET.Element, language: str) -> int:
    ids = {e.text: f"E{i}" for i, e in enumerate(q.events, start=1)}
    _response(item, "RESPONSE", "ordered", "identifier", [f"E{i}" for i in range(1, len(q.events) + 1)])
    _outcomes(item, 1)
    interaction = _el(_el(item, "qti-item-body"), "qti-order-interaction", response_identifier="RESPONSE", shuffle="true")
    _prompt(interaction, common.prompt(q, language))
    for text in common.jumbled(found, q):
        _shown(interaction, "qti-simple-choice", text, identifier=ids[text])
    return 1


# each kind's writer, as its registration gives it (`Kind.handlers["QTI 3.0 export"]`; the built-in kinds name
# this module's write_<shape>: generator/kinds/exports.py)
BODIES: Handlers[Callable[[ArticleSet, Any, ET.Element, str], int]] = handlers(EXPORTS["qti"])


def _processing(item: ET.Element, q: Question) -> None:
    """SCORE: match_correct for one choice or order, the mapping for a text entry, their sum for a cloze."""
    if isinstance(q, Cloze):
        processing = _el(item, "qti-response-processing")
        total = _el(_el(processing, "qti-set-outcome-value", identifier="SCORE"), "qti-sum")
        for i in range(1, len(common.blanks(q)) + 1):
            _el(total, "qti-map-response", identifier=f"RESPONSE{i}")
    else:
        template = "map_response" if isinstance(q, ShortAnswer) else "match_correct"
        _el(item, "qti-response-processing", template=f"{TEMPLATES}{template}.xml")


TITLE_MAX = 80


def item_title(found: ArticleSet, q: Question, language: str) -> str:
    """What the item asks, on one line and shortened: QTI lets a delivery engine show an item's title to
    the candidate, so never the question's id, which often names the answer (`drones-sold`)."""
    if isinstance(q, Cloze):
        text = "".join(s if isinstance(s, str) else "_____" for s in q.segments)
    else:
        try:
            text = common.prompt(q, language)
        except TypeError:  # a kind from outside quizgen, whose prompt common does not know
            text = found.article.meta.title
    text = " ".join(text.split())
    return text if len(text) <= TITLE_MAX else text[:TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def item_xml(found: ArticleSet, q: Question, language: str) -> bytes:
    item = ET.Element("qti-assessment-item", {
        "xmlns": NS, "identifier": ident(q.id), "title": item_title(found, q, language), "adaptive": "false",
        "time-dependent": "false",
        "xml:lang": found.article.meta.language,
    })
    BODIES[q.kind](found, q, item, language)
    # a right-to-left article's text read right to left (xml:lang sets no direction; a player's page may be ltr)
    rtl = {"dir": "rtl"} if is_rtl(found.article.meta.language) else {}
    for body in item.iter("qti-item-body"):
        body.attrib.update(rtl)
    _processing(item, q)
    note = common.feedback(found, q, language, correction=True)
    if note:
        feedback = _el(item, "qti-modal-feedback", outcome_identifier="FEEDBACK", identifier="SOURCE", show_hide="hide")
        content = _el(feedback, "qti-content-body")  # which takes no dir: a div does
        _append(_el(content, "div", **rtl) if rtl else content, note)
    return _serialise(item, indent=False)


def _serialise(root: ET.Element, indent: bool = True) -> bytes:
    if indent:  # never an item: indenting would add white space to the text around its blanks
        ET.indent(root)
    # `<br/>` alone self-closed: an HTML parser reads `<br></br>` as two line breaks
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False).replace("<br></br>", "<br/>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def test_xml(found: ArticleSet, questions: list[Question]) -> bytes:
    slug = found.article.slug
    test = ET.Element("qti-assessment-test", {"xmlns": NS, "identifier": f"test-{slug}", "title": found.article.meta.title})
    part = _el(test, "qti-test-part", identifier="part-1", navigation_mode="nonlinear", submission_mode="individual")
    section = _el(part, "qti-assessment-section", identifier="section-1", title=found.article.meta.title, visible="true")
    for q in questions:
        _el(section, "qti-assessment-item-ref", identifier=ident(q.id), href=item_href(q))
    return _serialise(test)


def manifest_xml(found: ArticleSet, questions: list[Question]) -> bytes:
    manifest = ET.Element("manifest", {"xmlns": CP_NS, "identifier": f"manifest-{found.article.slug}"})
    metadata = _el(manifest, "metadata")
    _el(metadata, "schema", "QTI Package")
    _el(metadata, "schemaversion", "3.0.0")
    _el(manifest, "organizations")
    resources = _el(manifest, "resources")
    test = _el(resources, "resource", identifier=f"test-{found.article.slug}", type="imsqti_test_xmlv3p0", href="test.xml")
    _el(test, "file", href="test.xml")
    for q in questions:
        _el(test, "dependency", identifierref=ident(q.id))
    for q in questions:
        resource = _el(resources, "resource", identifier=ident(q.id), type="imsqti_item_xmlv3p0", href=item_href(q))
        _el(resource, "file", href=item_href(q))
    return _serialise(manifest)


def qti_package(found: ArticleSet, questions: list[Question], options: BuildOptions, language: str) -> bytes:
    if options.get(ExportOptions).qti_version == "1.2":
        return canvas_package(found, questions, language)
    files = [("imsmanifest.xml", manifest_xml(found, questions)), ("test.xml", test_xml(found, questions))]
    files += [(item_href(q), item_xml(found, q, language)) for q in questions]
    return package(files)

