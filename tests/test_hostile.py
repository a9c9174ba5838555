"""Hostile text in every field of the content comes out as text in every output.

The content is built twice: once with hostile strings, once with the same strings turned into
harmless letters of the same length. If the hostile build had any element or attribute the
harmless one lacks, the input injected it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from bs4 import BeautifulSoup

HOSTILE = (
    '<script>alert(1)</script> <img src=x onerror=alert(2)> </textarea><b>t</b> {{c1::x}} {{ 7*7 }} '
    "a :: b }} javascript:alert(3) \" onmouseover=\"alert(4) ' onclick='alert(5) <!-- c --> &amp; ]]>"
)


def harmless(text: str) -> str:
    return re.sub(r"\S", "x", text)


def content(tmp_path, hostile: str, name: str):
    h = hostile
    folder = tmp_path / name / "hostile-article"
    folder.mkdir(parents=True)
    front = {"title": f"Title {h}", "subtitle": f"Sub {h}", "author": f"Author {h}", "publication": f"Pub {h}",
             "kind": f"Kind {h}", "date": f"Date {h}", "url": "https://example.org/a?b=<c>&d=\"e\""}
    body = (f"First paragraph says {h} and more\n\n[caption] Caption says {h} here\n\n"
            f"Second paragraph claims {h} twice over\n\nThird paragraph dated {h} at last\n")
    (folder / "article.md").write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body,
                                       encoding="utf-8")
    p1, p2, p3 = f"First paragraph says {h}", f"Second paragraph claims {h}", f"Third paragraph dated {h}"
    questions = [
        {"id": "qa", "kind": "qa", "tests": "event", "question": f"Q {h}", "answer": f"A {h}",
         "explanation": f"E {h}", "passage": p3, "tags": ["a::b", "tag.x"], "when": f"dated {h}",
         "allow": ["when-date"]},  # the harmless twin's when has no digit
        {"id": "typed", "kind": "qa", "tests": "event", "question": f"Q {h}", "answer": f"A {h}", "type_in": True,
         "passage": f"Caption says {h}"},
        {"id": "mcq", "kind": "mcq", "tests": "claim", "question": f"M {h}", "answer": f"R {h}",
         "distractors": [f"W1 {h}", f"W2 {h}"], "passage": p2},
        {"id": "tf", "kind": "truefalse", "tests": "claim", "statement": f"S {h}", "answer": False,
         "correction": f"C {h}", "passage": p2},
        {"id": "cloze", "kind": "cloze", "tests": "event", "passage": "Third paragraph dated",
         "text": f"Third paragraph [[c1::dated::{harmless_hint(h)}]] {harmless_hint(h)} at [[c2::last]]"},
        {"id": "order", "kind": "order", "tests": "event", "question": f"O {h}", "allow": ["when-date"], "events": [
            {"text": f"E1 {h}", "passage": p1}, {"text": f"E2 {h}", "passage": p2, "when": f"claims {h}"},
            {"text": f"E3 {h}", "passage": p3}]},
        {"id": "attr-a", "kind": "attribution", "tests": "claim", "claim": f"K {h}", "source": f"Src A {h}",
         "passage": p2},
        {"id": "attr-b", "kind": "attribution", "tests": "claim", "claim": f"K2 {h}", "source": f"Src B {h}",
         "question": f"Who {h}", "passage": p3},
    ]
    (folder / "q.yaml").write_text(yaml.safe_dump({"questions": questions}, allow_unicode=True), encoding="utf-8")
    return tmp_path / name


def harmless_hint(h: str) -> str:
    return h.replace("::", ": :").replace("]]", "] ]")  # a hint cannot hold these two (cloze syntax)


def structure(html: str) -> Counter:
    """Every element with the names of its attributes."""
    soup = BeautifulSoup(html, "html.parser")
    return Counter((tag.name, tuple(sorted(tag.attrs))) for tag in soup.find_all(True))


def links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [tag.get(a) for tag in soup.find_all(True) for a in ("href", "src", "action") if tag.get(a)]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    from conftest import build_files

    tmp = tmp_path_factory.mktemp("hostile")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = {}
    for name, h in (("hostile", HOSTILE), ("harmless", harmless(HOSTILE))):
        result[name] = build_files(content(tmp, h, name), tmp / f"{name}-out")
    mp.undo()
    return result


def test_every_html_output_has_only_its_own_markup(builds):
    hostile, harmless_ = builds["hostile"], builds["harmless"]
    pages = sorted(n for n in hostile if n.endswith(".html"))
    assert {"hostile-article-quiz.html", "hostile-article-key.html"} <= set(pages)
    for name in pages:
        page, twin = hostile[name].decode("utf-8"), harmless_[name].decode("utf-8")
        assert structure(page) == structure(twin), name
        for link in links(page):
            assert not link.strip().lower().startswith("javascript:"), (name, link)
        assert "<script>alert" not in page and "<img src=x" not in page, name


def test_anki_fields_and_cards_have_only_their_own_markup(builds, tmp_path):
    pytest.importorskip("anki")
    from anki.collection import Collection
    from anki_helpers import import_apkg

    rendered = {}
    for name in ("hostile", "harmless"):
        apkg = tmp_path / f"{name}.apkg"
        apkg.write_bytes(builds[name]["hostile-article.apkg"])
        col = Collection(str(tmp_path / f"{name}.anki2"))
        import_apkg(col, apkg)
        cards = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            note = card.note()
            key = (note["Id"], card.ord)
            fields = "".join(f"<div>{v}</div>" for v in note.fields)
            cards[key] = (fields, card.question(), card.answer())
        rendered[name] = cards
        col.close()
    assert rendered["hostile"].keys() == rendered["harmless"].keys()
    for key, (fields, front, back) in rendered["hostile"].items():
        twin_fields, twin_front, twin_back = rendered["harmless"][key]
        assert structure(fields) == structure(twin_fields), key
        assert structure(front) == structure(twin_front), key
        assert structure(back) == structure(twin_back), key
        assert "{{" not in front and "{{" not in back, key  # user text never reads as Anki syntax
