"""Render the first page of the bundled quiz, as printed on A4, to docs/quiz-a4.png for the README.

Run from the repository's top folder after `pip install -e '.[test]'`, with Chromium on the PATH:
    python docs/make_quiz_image.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.outputs.pdf import CHROMIUM_FLAGS, find_chromium
from generator.pipeline.build import build

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
        # the @page margins, on screen; the running header (fixed) inside them, as on paper
        # and the columns filled to the foot of the page first, as the printed first page has them
        page.add_style_tag(content=(
            "body { margin: 45px 49px; } .running { top: 45px; left: 49px; right: 49px; }"
            "main.quiz { height: 1029px; display: flex; flex-direction: column; }"
            ".questions { flex: 1; min-height: 0; column-fill: auto; overflow: hidden; }"
        ))
        page.screenshot(path=str(HERE / "quiz-a4.png"), clip={"x": 0, "y": 0, "width": 794, "height": 1123})
        browser.close()


if __name__ == "__main__":
    main()
