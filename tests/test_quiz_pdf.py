"""The quiz and key printed to PDF by Chromium: whole questions on every page, the key on a new page."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from generator.outputs import BuildOptions
from generator.outputs.pdf import print_with
from generator.outputs.quiz import QuizBuilder
from generator.outputs.quiz_options import QuizOptions
from generator.sources.load import load_article_set

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extras: pip install -e '.[test]'")

BUNDLED = ROOT / "questions" / "israels-hushed-military-ties-with-russia"


def squash(text: str) -> str:
    """Text without white space (PDF extraction does not keep it reliably) or the quotation marks
    that `<q>` adds in print."""
    return "".join(text.split()).replace("\u201c", "").replace("\u201d", "")


@pytest.fixture(scope="module")
def bundled():
    return load_article_set(BUNDLED)


def printed(browser, found, **quiz):
    outputs = QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(QuizOptions(**quiz),)))
    pdfs = {o.name: o.data for o in print_with(browser, outputs)}
    htmls = {o.name: o.data for o in outputs}
    return htmls, pdfs


def pages_text(data: bytes) -> list[str]:
    """Each page's text, squashed (the running header and the page number are in it)."""
    return [squash(page.extract_text() or "") for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def question_texts(html: bytes, within: str) -> list[tuple[str, list[str]]]:
    """(number, the pieces of text the question prints) for every question block.

    Pieces rather than one string: list numbers and quotation marks that CSS adds are in the PDF
    but not in the HTML's text.
    """
    soup = BeautifulSoup(html.decode("utf-8"), "html.parser")
    return [
        (b["data-number"], [squash(t) for t in b.find_all(string=True) if squash(t)])
        for b in soup.select(f"{within} .question")
    ]


def grid_texts(html: bytes) -> list[list[str]]:
    soup = BeautifulSoup(html.decode("utf-8"), "html.parser")
    return [[squash(t) for t in li.find_all(string=True) if squash(t)] for li in soup.select("ol.grid li")]


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_every_question_is_whole_on_one_page(browser, bundled, paper, size):
    htmls, pdfs = printed(browser, bundled, paper=paper)
    slug = bundled.article.slug
    for kind in ("quiz", "key"):
        reader = pypdf.PdfReader(io.BytesIO(pdfs[f"{slug}-{kind}.pdf"]))
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
        pages = pages_text(pdfs[f"{slug}-{kind}.pdf"])
        within = "main" if kind == "quiz" else ".key .detail"
        blocks = question_texts(htmls[f"{slug}-{kind}.html"], within)
        assert len(pages) > 1 and blocks
        starts = []
        for number, pieces in blocks:
            whole = [i for i, page in enumerate(pages) if all(p in page for p in pieces)]
            assert whole, f"{kind} question {number} is split across pages"
            starts.append(whole[0])
        if kind == "quiz":
            # 63 questions on at most 7 pages, and no page but the last with only a question or two
            assert len(pages) <= 7, f"the bundled quiz takes {len(pages)} {paper} pages"
            per_page = [starts.count(i) for i in range(len(pages))]
            assert all(n >= 3 for n in per_page[:-1]), per_page
        else:
            # the answer grid, whole on the key's first page; the detailed key after it
            assert all(all(p in pages[0] for p in pieces) for pieces in grid_texts(htmls[f"{slug}-key.html"]))
            assert min(starts) == 1
        for number, page in enumerate(pages, start=1):
            assert f"Page{number}of{len(pages)}" in page
            runner = "Answerkey—teacher'scopy·" if kind == "key" else "Name:"
            assert runner in page, f"{kind} page {number} has no running header"


def test_appended_key_is_the_teachers_and_numbered_on_its_own(browser, bundled):
    htmls, pdfs = printed(browser, bundled, append_key=True, versions=2, seed="9")
    slug = bundled.article.slug
    pages = pages_text(pdfs[f"{slug}-quiz-key-B.pdf"])
    quiz_pages = len(pypdf.PdfReader(io.BytesIO(pdfs[f"{slug}-quiz-B.pdf"])).pages)
    key_pages = len(pypdf.PdfReader(io.BytesIO(pdfs[f"{slug}-key-B.pdf"])).pages)
    assert len(pages) == quiz_pages + key_pages
    quiz, key = pages[:quiz_pages], pages[quiz_pages:]
    title = squash(bundled.article.meta.title)
    for number, page in enumerate(quiz, start=1):
        assert f"Page{number}of{quiz_pages}" in page and "teacher'scopy" not in page
        # the running header, in the flow: on one line, the title cut short ("…") before the name's line
        shown = [f"Quiz:{title}·VersionB·Code"] + [f"Quiz:{title[:n]}…·VersionB·Code" for n in range(20, len(title))]
        assert any(s in page for s in shown) and "Name:" in page
    for number, page in enumerate(key, start=1):  # the key numbered on its own
        assert f"Page{number}of{key_pages}" in page
        assert f"Answerkey—teacher'scopy·Quiz:{title}·VersionB" in page
    assert "Answersataglance" in key[0] and not any("Answersataglance" in p for p in quiz)
    raw = [squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdfs[f"{slug}-quiz-key-B.pdf"])).pages]
    assert all(page.count("VersionB") >= 2 for page in raw)  # the @page box and the running header
    quiz_blocks = question_texts(htmls[f"{slug}-quiz-B.html"], "main")
    assert any(all(p in page for p in quiz_blocks[-1][1]) for page in quiz)


def test_build_pdf_option_end_to_end(browser, tmp_path):
    # a separate process: Playwright allows one sync session per thread, and the tests hold one
    # a copy of the content: a build writes anki.lock beside the questions, never into the repository
    content = tmp_path / "content"
    shutil.copytree(ROOT / "questions", content)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(content), "--out", str(tmp_path / "out"), "--pdf",
         "--questions", "8"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    slug = BUNDLED.name
    assert {f"{slug}.apkg", f"{slug}-quiz.html", f"{slug}-key.html", f"{slug}-quiz.pdf", f"{slug}-key.pdf"} <= set(names)
    assert sorted(n for n in names if n.endswith(".pdf")) == [f"{slug}-key.pdf", f"{slug}-quiz.pdf"]
    assert (tmp_path / "out" / f"{slug}-quiz.pdf").read_bytes().startswith(b"%PDF")
    teacher = (tmp_path / "out" / "teacher.html").read_text(encoding="utf-8")
    students = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for name in (f"{slug}-quiz.pdf", f"{slug}-key.pdf", f"{slug}-key.html", f"{slug}-quiz.html"):
        assert f'href="{name}"' in teacher  # every PDF that was built, and the keys
    assert f'href="{slug}-quiz.html"' in students and "-key" not in students


def test_pdfs_are_the_same_bytes_with_source_date_epoch(browser, tmp_path):
    """docs/reference/errors.md: `SOURCE_DATE_EPOCH=... quizgen build` gives byte-identical outputs;
    Chromium dates each PDF it prints to the second, so a PDF printed a second later differed."""
    import os
    import time

    content = tmp_path / "content"
    shutil.copytree(BUNDLED, content / BUNDLED.name)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    printed = []
    for out in ("one", "two"):
        cmd = [sys.executable, "-m", "generator", "build", str(content), "--out", str(tmp_path / out), "--pdf",
               "--questions", "4", "--only", "quiz"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr
        printed.append({p.name: p.read_bytes() for p in (tmp_path / out).glob("*.pdf")})
        time.sleep(1.1)  # the next print is at least a second later
    assert len(printed[0]) == 2 and printed[0] == printed[1]
    assert b"/CreationDate (D:20231114221320+00'00')" in printed[0][f"{BUNDLED.name}-quiz.pdf"]


def test_pdf_without_chromium_says_what_to_install(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import generator.outputs.pdf
    from generator.cli import app

    monkeypatch.setattr(generator.outputs.pdf, "find_chromium", lambda: None)
    result = CliRunner().invoke(app, ["build", str(ROOT / "questions"), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 2  # the command line asks for what cannot be done here
    assert result.stderr.startswith("quizgen: error: no Chromium found on the PATH. --pdf prints with Chromium")
    assert "apt-get install chromium" in result.stderr
    assert not (tmp_path / "out").exists()


def test_pdfs_are_recorded_so_a_rebuild_skips_them(browser, tmp_path):
    import shutil

    # a slug that itself contains "-quiz" and "-key"
    shutil.copytree(BUNDLED, tmp_path / "content" / "house-keys-quiz", ignore=shutil.ignore_patterns("anki.lock"))  # another article
    cmd = [sys.executable, "-m", "generator", "build", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
           "--pdf", "--questions", "5", "--only", "quiz"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["house-keys-quiz-key.pdf", "house-keys-quiz-quiz.pdf"]
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert second.stdout.splitlines()[-1].startswith("built 0 outputs of 0 articles, skipped 1")


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_chrome_or_edge_is_found_where_windows_and_macos_install_it(tmp_path, monkeypatch, platform):
    import generator.outputs.pdf

    monkeypatch.setattr(generator.outputs.pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(generator.outputs.pdf.sys, "platform", platform)
    if platform == "win32":
        monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path))
        edge = tmp_path / "Microsoft" / "Edge" / "Application" / "msedge.exe"
        edge.parent.mkdir(parents=True)
        edge.write_bytes(b"")
        assert generator.outputs.pdf.find_chromium() == str(edge)
    else:
        assert Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome") in generator.outputs.pdf.installed("darwin", {})
    assert generator.outputs.pdf.installed("linux", {}) == []


LINE_LENGTHS = """() => {
  const result = [];
  for (const el of document.querySelectorAll('main p, main .text, main li, .key p, .key .text, .key li, .key td')) {
    const text = el.innerText.trim();
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    if (text && lines > 1) result.push([Math.round(text.length / lines), text.slice(0, 40)]);
  }
  return result;
}"""


def test_lines_are_at_most_about_75_characters(browser, bundled):
    outputs = QuizBuilder().build(bundled, BuildOptions(timestamp=0, settings=(QuizOptions(append_key=True),)))
    page = browser.new_page(viewport={"width": 696, "height": 1000})  # A4 less its margins, at 96 dpi
    try:
        page.emulate_media(media="print")
        for output in outputs:
            page.set_content(output.data.decode("utf-8"))
            lengths = page.evaluate(LINE_LENGTHS)
            assert lengths and max(n for n, _ in lengths) <= 78, (output.name, max(lengths))
    finally:
        page.close()


RUNNING_HEADER = """() => {
  const running = document.querySelector(".running").getBoundingClientRect();
  return [...document.querySelectorAll(".running .run")].filter(e => getComputedStyle(e).display !== "none").map(e => {
    const tops = new Set();  // of the lines of its text
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      [...range.getClientRects()].filter(r => r.width > 0).forEach(r => tops.add(Math.round(r.top)));
    }
    const last = [...e.childNodes].pop();  // the version and code (or "Name:")
    const end = document.createRange();
    end.selectNodeContents(last);
    const r = end.getBoundingClientRect();
    return {text: e.textContent.slice(-30), lines: tops.size, name: e.classList.contains("run-name"),
            width: e.getBoundingClientRect().width, right: r.right, left: r.left, box_right: running.right,
            box_left: running.left};
  });
}"""


@pytest.mark.parametrize("paper, width", [("a4", 696), ("letter", 719)])  # the paper less its margins, at 96 dpi
@pytest.mark.parametrize("title", [None, "Unit 3 test: " + "a very long heading that a teacher typed " * 4])
def test_the_running_header_is_one_line_with_its_version_and_code_whole(browser, bundled, paper, width, title):
    outputs = QuizBuilder().build(bundled, BuildOptions(timestamp=0, settings=(
        QuizOptions(paper=paper, title=title, versions=2, append_key=True),)))
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.emulate_media(media="print")
        for output in (o for o in outputs if o.name.endswith("-A.html")):
            page.set_content(output.data.decode("utf-8"))
            for part in ("quiz-page", "key-page") if "-quiz-key" in output.name else ("",):
                if part:
                    page.evaluate("part => { document.body.className = part; }", part)
                runs = page.evaluate(RUNNING_HEADER)
                assert runs, output.name
                for run in runs:
                    assert run["lines"] == 1, (output.name, part, run)  # two lines ran into the page's text
                    assert run["box_left"] - 1 <= run["left"] and run["right"] <= run["box_right"] + 1, (output.name, run)
                    assert not run["name"] or run["width"] >= 264, run  # 70 mm to write a name on
            if "-quiz-key" not in output.name and "-key" in output.name or "-quiz-A" in output.name:
                assert "Code" in page.evaluate("document.querySelector('.running').textContent")
    finally:
        page.close()


def test_the_appended_answer_sheet_is_printed_as_the_sheet_alone(browser, bundled):
    # between the quiz and the key: no running header at the paper's edge, not counted in the quiz's pages
    htmls, pdfs = printed(browser, bundled, append_key=True, answer_sheet=True, versions=2, paper="letter")
    slug = bundled.article.slug
    both = pages_text(pdfs[f"{slug}-quiz-key-A.pdf"])
    quiz, sheet, key = (pages_text(pdfs[f"{slug}-{what}-A.pdf"]) for what in ("quiz", "sheet", "key"))
    assert len(sheet) == 2 and len(both) == len(quiz) + len(sheet) + len(key)
    assert both[:len(quiz)] == quiz  # "Page 1 of 6" as the students' copy, not "of 8"
    assert both[len(quiz):len(quiz) + len(sheet)] == sheet
    for number, page in enumerate(both[len(quiz) + len(sheet):], start=1):
        assert f"Page{number}of{len(key)}" in page


GRID_ORDER = """() => [...document.querySelectorAll("ol.grid li")].map(li => {
  const pieces = [];  // each text node's first and last line box, in the order of the text
  const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (rects.length) pieces.push({text: walker.currentNode.textContent.trim(), first: rects[0], last: rects[rects.length - 1]});
  }
  let ordered = true;
  for (let i = 1; i < pieces.length; i++) {
    const before = pieces[i - 1].last, now = pieces[i].first;
    const sameLine = Math.abs(now.top - before.top) < 3;
    if (sameLine ? now.left < before.right - 1 : now.top < before.top) ordered = false;
  }
  const box = li.getBoundingClientRect();
  const inside = pieces.every(p => p.first.right <= box.right + 1 && p.last.right <= box.right + 1);
  return {text: li.textContent.replace(/\\s+/g, " ").trim(), ordered, inside};
})"""


def _printed_column(browser, data: bytes, script: str):
    """What `script` finds in a page as it prints on A4 (less its margins, at 96 dpi)."""
    page = browser.new_page(viewport={"width": 696, "height": 1000})
    try:
        page.emulate_media(media="print")
        page.set_content(data.decode("utf-8"))
        return page.evaluate(script)
    finally:
        page.close()


def test_every_answer_of_the_keys_grid_reads_in_order_inside_its_cell(browser, bundled):
    # a cloze's answers "(1) classmates; (2) St. Petersburg; (3) teachers" were laid out as separate
    # flex items, each wrapping on its own: "(2)" under "St.", "teachers" past the column
    outputs = QuizBuilder().build(bundled, BuildOptions(timestamp=0, settings=(QuizOptions(),)))
    key = next(o for o in outputs if o.name.endswith("-key.html"))
    cells = _printed_column(browser, key.data, GRID_ORDER)
    assert len(cells) == 63
    assert [c for c in cells if not (c["ordered"] and c["inside"])] == []


def chronology(folder: Path, events: int = 8) -> Path:
    """An article with one chronology of `events` long events: taller than a printed column."""
    article = folder / "long-chronology"
    article.mkdir(parents=True)
    texts = [f"In {1500 + 7 * i} the architect Abernathy-Konstantinopoulos {i} built the famous building number {i} "
             f"near the gate of the old city, and the people who lived there for many generations afterwards called "
             f"it the house of Abernathy-Konstantinopoulos {i}." for i in range(events)]
    (article / "article.md").write_text('---\ntitle: "The old city"\nlanguage: en\n---\n\n' + "\n\n".join(texts) + "\n")
    lines = ["questions:", "  - id: chronology", "    kind: order", "    tests: event", "    events:"]
    lines += [f'      - {{text: "{t}", passage: "{t}", when: "{1500 + 7 * i}"}}' for i, t in enumerate(texts)]
    (article / "q.yaml").write_text("\n".join(lines) + "\n")
    return article


def test_a_chronology_taller_than_a_column_breaks_between_its_events(browser, tmp_path):
    # Chromium breaks a question taller than a column where it must: never through an event's box
    found = load_article_set(chronology(tmp_path))
    quiz = next(o for o in QuizBuilder().build(found, BuildOptions(timestamp=0, settings=(QuizOptions(),)))
                if o.name.endswith("-quiz.html"))
    page = browser.new_page(viewport={"width": 696, "height": 1000})  # A4 less its margins, at 96 dpi
    try:
        page.emulate_media(media="print")
        page.set_content(quiz.data.decode("utf-8"))
        split = []
        for height in range(200, 900, 23):  # columns of every height a page's may have left
            page.evaluate("h => { const q = document.querySelector('.questions'); q.style.height = h + 'px';"
                          " q.style.columnFill = 'auto'; }", height)
            pieces = page.eval_on_selector_all("ul.events li", "els => els.map(e => e.getClientRects().length)")
            assert len(pieces) == 8
            split += [(height, i) for i, n in enumerate(pieces) if n > 1]
    finally:
        page.close()
    assert split == []


def test_characters_no_font_has_are_said_not_printed_as_boxes_silently(browser, tmp_path):
    # U+10FFFD (private use) is in no font: Chromium prints it as an empty box, as it prints Chinese
    # on a computer without a Chinese font; the build says so, naming the PDF, and builds the rest
    content = tmp_path / "content"
    shutil.copytree(ROOT / "questions", content)
    roster = tmp_path / "class.csv"
    roster.write_text("number,name\n100001,Ann \U0010fffd Lee\n100002,Bo Chen\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(content), "--out", str(tmp_path / "out"), "--only", "quiz",
         "--pdf", "--questions", "4", "--answer-sheet", "--roster", str(roster)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    slug = BUNDLED.name
    warnings = [line for line in done.stderr.splitlines() if "empty box" in line]
    assert warnings == [f"quizgen: warning: {slug}-sheet-named.pdf: 1 character printed as an empty box, as no font "
                        "on this computer has it: install a font for it (Debian: apt-get install fonts-noto-cjk for "
                        "Chinese, Japanese and Korean, fonts-noto-core for most other scripts), then build again "
                        "with --force"], done.stderr
    assert (tmp_path / "out" / f"{slug}-sheet-named.pdf").is_file()


def test_the_score_box_and_the_count_stay_on_one_line_beside_a_long_time_allowed(browser, bundled):
    # "Score: ______ / 30" broke into "Score:" and "______ / 30" beside a long --time-allowed
    quiz = QuizOptions(time_allowed="40 minutes, no dictionaries, no phones, no talking, answer every question in pen")
    html = next(o for o in QuizBuilder().build(bundled, BuildOptions(timestamp=0, settings=(quiz,)))
                if o.name.endswith("-quiz.html"))
    page = browser.new_page(viewport={"width": 696, "height": 1000})  # A4 less its margins, at 96 dpi
    try:
        page.emulate_media(media="print")
        page.set_content(html.data.decode("utf-8"))
        lines = page.eval_on_selector_all(".facts > span", """els => els.map(e => {
            const tops = new Set();
            const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const range = document.createRange();
              range.selectNodeContents(walker.currentNode);
              [...range.getClientRects()].filter(r => r.width > 0).forEach(r => tops.add(Math.round(r.top)));
            }
            return [e.textContent, tops.size];
        })""")
    finally:
        page.close()
    assert len(lines) == 3 and lines[0][0].startswith("Time allowed:")
    assert [n for _, n in lines[1:]] == [1, 1], lines  # the count and points, the score box: whole


CHOICE_STARTS = """() => [...document.querySelectorAll("ol.choices:not(.two)")].map(ol =>
  [...ol.querySelectorAll("li > span[dir]")].map(span => {
    const range = document.createRange();
    range.selectNodeContents(span);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    // where its first line starts: the left of a left-to-right text, the right of a right-to-left one
    return Math.round(getComputedStyle(span).direction === "rtl" ? rects[0].right : rects[0].left);
  }))"""


@pytest.mark.parametrize("ui, folder", [("he", BUNDLED), ("en", ROOT / "tests" / "languages" / "udhr-he")])
def test_the_choices_of_a_question_start_in_line_in_either_direction(browser, ui, folder):
    # an English article printed with Hebrew words (--ui-language he): a short choice sat beside its
    # letter at the right, a long one at the left edge of the column, under the question's text
    found = load_article_set(folder)
    html = next(o for o in QuizBuilder().build(found, BuildOptions(timestamp=0, ui_language=ui, settings=(QuizOptions(),)))
                if o.name.endswith("-quiz.html"))
    starts = _printed_column(browser, html.data, CHOICE_STARTS)
    assert starts
    assert [s for s in starts if max(s) - min(s) > 2] == []
