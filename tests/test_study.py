"""The study page without a browser: its data, its escaping, its size, its reproducibility."""

from __future__ import annotations

import base64
import hashlib
import re
import struct

import pytest
from conftest import FIXTURES, ROOT
from study_helpers import HOSTILE, HOSTILE_URL, page_json, parse, write_hostile

from generator.kinds.choices import ordered_choices
from generator.model import Attribution, Chronology, MultipleChoice
from generator.outputs import BuildOptions
from generator.outputs.pages import static
from generator.outputs.study import StudyBuilder, page_bytes, render_page
from generator.outputs.study.data import page_data, u16
from generator.outputs.study.timeline import merge_orders
from generator.sources.load import load_article_set

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"
# every element the page's template itself writes; the rest of the page is built by its script
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "link", "style", "body", "header", "p", "h1", "nav", "button", "main",
    "noscript", "section", "h2", "h3", "div", "details", "summary", "footer", "script", "dl", "dt", "dd",
}


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


@pytest.fixture
def mini():
    return load_article_set(FIXTURES / "mini")


def test_the_data_in_the_page_reads_back_as_built(mini):
    html = render_page(mini)
    data = page_json(html)
    assert data == page_data(mini)
    assert data["slug"] == "mini"
    assert [q["id"] for q in data["questions"]] == [q.id for q in mini.in_article_order()]
    assert data["article"]["blocks"][0] == {"label": "¶1", "kind": "paragraph", "text": mini.article.blocks[0].text}


@pytest.mark.parametrize("ui", [None, "en", "de"])
def test_the_built_page_is_the_rendered_page_in_utf8(bundled, content, ui):
    # the styles and scripts are spliced in already encoded; a page whose own text holds the
    # placeholder's characters is rendered the plain way
    assert page_bytes(bundled, ui) == render_page(bundled, ui).encode("utf-8")
    article = content / "mini" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("The mayor opened", "\ue000quizgen-inlined-0\ue000 The mayor opened"),
                       encoding="utf-8")
    odd = load_article_set(content / "mini")
    assert "\ue000quizgen-inlined-0" in render_page(odd, ui)
    assert page_bytes(odd, ui) == render_page(odd, ui).encode("utf-8")


@pytest.mark.parametrize("value", ["</script><!-- & > \u2028\u2029", {"“<k>”": ["é\u2028🌉<", 1, None, True]}, "plain"])
def test_the_data_escaped_in_utf8_is_the_data_escaped_then_encoded(value):
    from generator.outputs.study.render import compact, escape_script, escape_script_utf8

    assert escape_script_utf8(compact(value)) == str(escape_script(compact(value))).encode("utf-8")


def test_choices_and_orders_agree_with_the_other_outputs(bundled):
    data = {q["id"]: q for q in page_data(bundled)["questions"]}
    for q in bundled.questions:
        mine = data[q.id]
        if isinstance(q, (MultipleChoice, Attribution)):
            choices = ordered_choices(bundled, q)
            assert mine["choices"] == [text for text, _ in choices]
            assert choices[mine["right"]][1] is True
        if isinstance(q, Chronology):
            assert [e["text"] for e in mine["events"]] == [e.text for e in q.events]
            assert sorted(mine["start"]) == list(range(len(q.events)))
            assert mine["start"] != sorted(mine["start"])  # the puzzle never starts solved


def test_sources_point_at_the_passage_in_utf16_units(content):
    # a character outside the BMP before the passage shifts JavaScript's offsets by one more
    article = content / "mini" / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("The mayor opened", "🌉 The mayor opened"), encoding="utf-8")
    found = load_article_set(content / "mini")
    data = page_data(found)
    q = next(q for q in data["questions"] if q["id"] == "opened-when")
    (span,) = q["sources"][0]["spans"]
    block, start, end, lo, hi = span
    units = found.article.blocks[block].text.encode("utf-16-le")
    assert units[2 * start: 2 * end].decode("utf-16-le") == "The mayor opened the new bridge on Monday, 3 March 2025"
    assert lo <= start < end <= hi
    assert q["sources"][0]["cite"] == "¶1"
    assert u16("🌉a", 1) == 2


@pytest.mark.parametrize("text", ["", "plain", "é ß ü", "🌉a", "a🌉b🌉🌉c", "\uffff\U00010000x", "\U0010ffff"])
def test_utf16_offsets_count_two_units_for_each_character_outside_the_bmp(text):
    for index in range(-2, len(text) + 3):
        assert u16(text, index) == len(text[:index].encode("utf-16-le")) // 2


def test_hostile_text_never_becomes_markup(tmp_path):
    found = load_article_set(write_hostile(tmp_path / "evil"))
    html = render_page(found)
    page = parse(html)
    assert {tag for tag, _ in page.tags} <= TEMPLATE_TAGS
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "alert(" not in (value or "") and "javascript:" not in (value or ""), (tag, name, value)
    assert [attrs for attrs, _ in page.scripts] == [
        {"data-manifest": "evil-study.webmanifest", "data-icon": "evil-study-icon-192.png", "data-worker": "study-sw.js"},
        {"type": "application/json", "id": "quizgen-messages"}, {"type": "application/json", "id": "quizgen-data"},
        {}, {}, {}, {}]  # ts-fsrs, schedule.js, judge.js, study.js
    assert page.title == f"T {HOSTILE} · study"
    raw_json = page.scripts[1][1]
    assert "<" not in raw_json and ">" not in raw_json and "&" not in raw_json
    data = page_json(html)
    assert data["article"]["title"] == f"T {HOSTILE}"
    assert data["article"]["url"] == HOSTILE_URL
    questions = {q["id"]: q for q in data["questions"]}
    assert questions["qa"]["prompt"] == f"Q {HOSTILE}" and questions["qa"]["when"] == HOSTILE
    assert questions["cloze"]["segments"][1] == {"n": 1, "answer": "</script><script>alert(1)</script>",
                                                 "hint": "<img src=x onerror=alert(1)>"}
    assert questions["tf"]["correction"] == f"C {HOSTILE}"
    assert [node["when"] for node in data["timeline"]["ordered"]] == [HOSTILE]
    assert len(data["timeline"]["ordered"][0]["items"]) == 4  # three events and the dated question


def test_the_script_never_writes_html():
    js = static("generator.outputs.study", "study.js")
    for api in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(", "srcdoc"):
        assert api not in js, api


def test_nothing_is_fetched_and_the_policy_allows_only_the_inline_code(bundled):
    html = render_page(bundled)
    page = parse(html)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "srcset", "poster"):
            if name in attrs:
                assert attrs[name].startswith("data:"), (tag, name, attrs[name])
    assert not re.search(r"url\(|@import", page.styles[0])
    (policy,) = [a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]

    def allowed(code: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"

    assert policy.startswith("default-src 'none'; ")
    assert f"style-src {allowed(page.styles[0])};" in policy
    executable = [code for attrs, code in page.scripts if attrs.get("type") != "application/json"]
    assert len(executable) == 5  # the installer (when served), ts-fsrs, the schedule, the judge and the page's script
    (sources,) = re.findall(r"script-src ([^;]*);", policy)
    assert sorted(sources.split()) == sorted(allowed(code) for code in executable)  # every inline script, no other


def test_identical_input_gives_identical_bytes(bundled):
    builder = StudyBuilder()
    first = builder.build(bundled, BuildOptions(timestamp=1_700_000_000))
    again = builder.build(load_article_set(BUNDLED), BuildOptions(timestamp=1_800_000_000))
    assert [o.name for o in first] == ["israels-hushed-military-ties-with-russia-study.html"]
    assert first[0].data == again[0].data
    assert str(ROOT).encode() not in first[0].data


def test_the_bundled_page_is_small(bundled):
    size = len(StudyBuilder().build(bundled, BuildOptions(timestamp=0))[0].data)
    assert size < 200_000


def test_a_500_question_page_is_under_400_kb(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(tmp_path), "--articles", "1",
                    "--questions", "500"], check=True, capture_output=True)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    found = load_article_set(folder)
    assert len(found.questions) == 500
    size = len(StudyBuilder().build(found, BuildOptions(timestamp=0))[0].data)
    assert size < 400_000


def test_the_version_follows_the_question_set_but_progress_does_not(content):
    before = page_data(load_article_set(content / "mini"))["version"]
    assert page_data(load_article_set(content / "mini"))["version"] == before
    q = content / "mini" / "q.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace("Who found that costs rose?", "Who found the costs rising?"), encoding="utf-8")
    assert page_data(load_article_set(content / "mini"))["version"] != before
    assert re.fullmatch(r"[0-9a-f]{12}", before)
    js = static("generator.outputs.study", "study.js")
    # progress is kept by card id under one key per article: an edited question keeps its progress
    assert "var KEY = 'quizgen:study:' + DATA.slug;" in js and "DATA.version" not in js


def test_language_and_direction(tmp_path):
    hebrew = load_article_set(write_hostile(tmp_path / "evil", language="he"))
    html = render_page(hebrew)
    assert '<html lang="he" dir="rtl">' in html
    english = render_page(load_article_set(FIXTURES / "mini"))
    assert '<html lang="en" dir="ltr">' in english
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in english


def test_timeline_keeps_the_chronology_order_not_the_string_order(bundled):
    timeline = page_data(bundled)["timeline"]
    ordered = [node["when"] for node in timeline["ordered"]]
    assert ordered == ["back in his childhood", "2007", "2008", "Sept. 21", "October 7"]
    loose = [node["when"] for node in timeline["loose"]]
    # dated questions no chronology places, in the article's order (¶1's "Wednesday" first)
    assert loose[:2] == ["Wednesday", "in recent years"]
    assert "last month" in loose and not set(loose) & set(ordered)
    # a question quoting the same passage as a chronology event is not listed twice
    sept = timeline["ordered"][3]["items"]
    assert [i["text"] for i in sept] == ["Netanyahu and Putin shake hands at a meeting"]


def test_timeline_of_the_mini_article(mini):
    timeline = page_data(mini)["timeline"]
    assert [n["when"] for n in timeline["ordered"]] == ["2021", "2022", "2023"]
    assert [n["when"] for n in timeline["loose"]] == ["3 March 2025"]
    assert len(timeline["ordered"][1]["items"]) == 1  # the "year-pillar" question quotes the same words


def test_merge_orders():
    assert merge_orders([["b", "a", "c"], ["a", "d", "c"]]) == ["b", "a", "d", "c"]
    assert merge_orders([["z", "y"], ["y", "x"]]) == ["z", "y", "x"]
    assert merge_orders([["x", "y"], ["y", "x"]]) == ["x", "y"]  # contradiction: first seen wins
    assert merge_orders([["a", "a", "b"]]) == ["a", "b"]
    assert merge_orders([]) == []


def test_the_build_writes_the_study_page(content):
    from conftest import build_files

    names = build_files(content, content / "out")
    assert "mini-study.html" in names and "index.html" in names


def test_the_readme_screenshot_is_a_small_phone_sized_png():
    png = (ROOT / "docs" / "study-phone.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (390, 844)
    assert len(png) < 150_000


def test_static_files_are_package_data():
    # `pip install .` must ship the templates, styles and scripts of both builders
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for pattern in ('"**/*.j2"', '"**/*.css"', '"**/*.js"'):
        assert pattern in pyproject


def test_each_article_has_its_own_icon_and_a_short_name_that_reads():
    import json
    import zlib

    from generator.outputs.study import app
    from generator.pipeline.manifest import ArticleSummary

    def summary(slug: str, title: str) -> ArticleSummary:
        return ArticleSummary(slug, title, None, "en", False, 3, 0.0, (f"{slug}-study.html",))

    titles = {"israel": "Israel's Hushed Military Ties With Russia Now Paying Off", "wars": "Войны и мир",
              "oil": "The Price of Oil: Why It Fell"}
    files = {o.name: o.data for o in StudyBuilder().finish([summary(s, t) for s, t in titles.items()], BuildOptions(timestamp=0))}
    manifests = {slug: json.loads(files[f"{slug}-study.webmanifest"]) for slug in titles}
    assert {slug: m["short_name"] for slug, m in manifests.items()} == {"israel": "Israel", "wars": "Войны и мир", "oil": "The Price"}
    for slug, m in manifests.items():
        assert {i["src"] for i in m["icons"]} == {f"{slug}-study-icon-192.png", f"{slug}-study-icon-512.png"}
    icons = {files[f"{slug}-study-icon-192.png"] for slug in titles}
    assert len(icons) == 3  # three colours (and letters): none the same
    for data in icons:
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (192, 192)
        assert data[24:26] == b"\x01\x03"  # a pixel is a bit, an index into the palette: two colours
        raw = zlib.decompress(data[data.index(b"IDAT") + 4:])
        palette = data[data.index(b"PLTE") + 4:][:6]
        corner = palette[3 * (raw[1] >> 7):][:3]  # the first pixel: the article's colour, where white text reads at 4.5:1 or more
        assert 1.05 / (app.luminance(tuple(corner)) + 0.05) >= 4.5 and palette[3:6] == bytes(app.CARD)
    assert "study-sw.js" in files and not any(n.startswith("study-icon") for n in files)
    cv2 = pytest.importorskip("cv2")  # a real PNG decoder reads the filtered rows back
    numpy = pytest.importorskip("numpy")
    for slug in titles:
        pixels = cv2.imdecode(numpy.frombuffer(files[f"{slug}-study-icon-512.png"], numpy.uint8), cv2.IMREAD_COLOR)
        assert pixels.shape == (512, 512, 3)
        assert tuple(pixels[256, 130]) == tuple(reversed(app.CARD))  # the card, left of the letter (BGR)
        assert tuple(pixels[511, 511]) == tuple(reversed(app.colour(slug)))  # the last row
        assert tuple(pixels[256, 256]) == tuple(reversed(app.colour(slug)))  # the letter's middle stroke, in the article's colour
    assert app.short_name("Supercalifragilistic news") == "Supercalifr…"


def test_new_cards_come_in_the_articles_order_whatever_the_files_layout(tmp_path):
    """The page's questions (and so its new cards, its quiz and practice) come in the article's order,
    as the Anki deck's new cards do: claims.yaml sorts before events.yaml, and the page started with
    the claims of paragraph 2 before the first paragraph's questions; splitting or reordering the
    files reordered them (found by a QA pass)."""
    import shutil

    import yaml

    from generator.outputs.anki import plan

    copy = tmp_path / BUNDLED.name
    shutil.copytree(BUNDLED, copy)
    found = load_article_set(copy)
    order = [q["id"] for q in page_data(found)["questions"]]
    assert order == [p.locked.id for p in plan(found, 0) if not p.locked.retired]  # Anki's new-card order
    assert order[0] == "pentagon-refused-talks"  # the first paragraph's first question
    questions = yaml.safe_load((copy / "events.yaml").read_text(encoding="utf-8"))["questions"]
    (copy / "events.yaml").write_text(yaml.safe_dump({"questions": questions[::2]}, sort_keys=False), encoding="utf-8")
    (copy / "a-events.yaml").write_text(yaml.safe_dump({"questions": questions[1::2][::-1]}, sort_keys=False), encoding="utf-8")
    assert page_data(load_article_set(copy))["questions"] == page_data(found)["questions"]
