"""Render the first page of the bundled quiz, as printed on A4, to docs/quiz-a4.png for the README.

Run from the repository's top folder after `pip install -e '.[test]'`, with Chromium on the PATH:
    python docs/make_quiz_image.py
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

import tempfile

from generator.build import build
from generator.pdf import CHROMIUM_FLAGS, find_chromium

HERE = Path(__file__).parent


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        build(HERE.parent / "questions", Path(out), only=["quiz"])
        quiz = next(Path(out).glob("*-quiz.html")).read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        page.set_content(quiz)
        page.add_style_tag(content="body { margin: 60px 57px; }")  # the @page margins, on screen
        page.screenshot(path=str(HERE / "quiz-a4.png"), clip={"x": 0, "y": 0, "width": 794, "height": 1123})
        browser.close()


if __name__ == "__main__":
    main()
