"""The quiz and key printed to PDF by Chromium: whole questions on every page, the key on a new page."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from generator.builders import BuildOptions, QuizOptions
from generator.builders.quiz import QuizBuilder
from generator.load import load_article_set
from generator.pdf import print_with

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
    outputs = QuizBuilder().build(found, BuildOptions(timestamp=0, quiz=QuizOptions(**quiz)))
    pdfs = {o.name: o.data for o in print_with(browser, outputs)}
    htmls = {o.name: o.data for o in outputs}
    return htmls, pdfs


def pages_text(data: bytes) -> list[str]:
    """Each page's text without the running header and footer (version, page number)."""
    import re

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    texts = []
    for number, page in enumerate(pages, start=1):
        text = squash(page.extract_text() or "").replace(f"Page{number}of{len(pages)}", "", 1)
        texts.append(re.sub(r"^Version[A-Z]", "", text))
    return texts


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


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_every_question_is_whole_on_one_page(browser, bundled, paper, size):
    htmls, pdfs = printed(browser, bundled, paper=paper, append_key=True)
    slug = bundled.article.slug
    for kind in ("quiz", "key"):
        reader = pypdf.PdfReader(io.BytesIO(pdfs[f"{slug}-{kind}.pdf"]))
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
        pages = pages_text(pdfs[f"{slug}-{kind}.pdf"])
        within = "main" if kind == "quiz" else ".key"
        blocks = question_texts(htmls[f"{slug}-{kind}.html"], within)
        assert len(pages) > 1 and blocks
        for number, pieces in blocks:
            whole = [i for i, page in enumerate(pages) if all(p in page for p in pieces)]
            assert whole, f"{kind} question {number} is split across pages"


def test_appended_key_starts_on_a_new_page(browser, bundled):
    htmls, pdfs = printed(browser, bundled, append_key=True, versions=2, seed="9")
    slug = bundled.article.slug
    pages = pages_text(pdfs[f"{slug}-quiz-B.pdf"])
    starts = [i for i, page in enumerate(pages) if "Answerkey:" in page]
    assert len(starts) == 1
    first_key_page = pages[starts[0]]
    assert first_key_page.startswith("VersionBAnswerkey:")  # the key's own header comes first
    raw = [squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdfs[f"{slug}-quiz-B.pdf"])).pages]
    assert all(page.startswith("VersionB") for page in raw)  # the version is on every page
    quiz_blocks = question_texts(htmls[f"{slug}-quiz-B.html"], "main")
    last_pieces = quiz_blocks[-1][1]
    assert any(all(p in page for p in last_pieces) for page in pages[: starts[0]])


def test_build_pdf_option_end_to_end(browser, tmp_path):
    # a separate process: Playwright allows one sync session per thread, and the tests hold one
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(ROOT / "questions"), "--out", str(tmp_path), "--pdf",
         "--questions", "8"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    slug = BUNDLED.name
    assert {f"{slug}.apkg", f"{slug}-quiz.html", f"{slug}-key.html", f"{slug}-quiz.pdf", f"{slug}-key.pdf"} <= set(names)
    assert sorted(n for n in names if n.endswith(".pdf")) == [f"{slug}-key.pdf", f"{slug}-quiz.pdf"]
    assert (tmp_path / f"{slug}-quiz.pdf").read_bytes().startswith(b"%PDF")


def test_pdf_without_chromium_says_what_to_install(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import generator.pdf
    from generator.cli import app

    monkeypatch.setattr(generator.pdf, "find_chromium", lambda: None)
    result = CliRunner().invoke(app, ["build", str(ROOT / "questions"), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 2  # the command line asks for what cannot be done here
    assert result.stderr.startswith("quizgen: error: no Chromium found on the PATH. --pdf prints with Chromium")
    assert "apt-get install chromium" in result.stderr
    assert not (tmp_path / "out").exists()


def test_pdfs_are_recorded_so_a_rebuild_skips_them(browser, tmp_path):
    import shutil

    # a slug that itself contains "-quiz" and "-key"
    shutil.copytree(BUNDLED, tmp_path / "content" / "house-keys-quiz")
    cmd = [sys.executable, "-m", "generator", "build", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
           "--pdf", "--questions", "5", "--only", "quiz"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["house-keys-quiz-key.pdf", "house-keys-quiz-quiz.pdf"]
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert second.stdout.splitlines()[-1].startswith("built 0 outputs of 0 articles, skipped 1")


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_chrome_or_edge_is_found_where_windows_and_macos_install_it(tmp_path, monkeypatch, platform):
    import generator.pdf

    monkeypatch.setattr(generator.pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(generator.pdf.sys, "platform", platform)
    if platform == "win32":
        monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path))
        edge = tmp_path / "Microsoft" / "Edge" / "Application" / "msedge.exe"
        edge.parent.mkdir(parents=True)
        edge.write_bytes(b"")
        assert generator.pdf.find_chromium() == str(edge)
    else:
        assert Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome") in generator.pdf.installed("darwin", {})
    assert generator.pdf.installed("linux", {}) == []
