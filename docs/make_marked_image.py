"""Render an annotated answer sheet, as `quizgen mark` writes it, to docs/marked-sheet.jpg for the README.

A simulated student fills version A of the bundled quiz's answer sheet (tests/mark_helpers.py: pen
marks, one light mark, one erased and changed, two marks in one row), the page is scanned at
200 dpi with a turn and noise, and `quizgen mark` marks it. Run from the repository's top folder
after `pip install -e '.[test]'`, with Chromium on the PATH:
    python docs/make_marked_image.py
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))

import cv2  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from mark_helpers import Filled, fill, render_pages, scan  # noqa: E402

from generator.tools.mark import mark  # noqa: E402


def main() -> None:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        out, scans = Path(tmp) / "out", Path(tmp) / "scans"
        scans.mkdir()
        subprocess.run([sys.executable, "-m", "generator", "build", str(HERE.parent / "questions"), "--out", str(out),
                        "--only", "quiz", "--versions", "3", "--answer-sheet", "--pdf", "--quiet"], check=True)
        layout = json.loads(next(out.glob("*-sheet-A.json")).read_text(encoding="utf-8"))
        pages = render_pages(next(out.glob("*-sheet-A.pdf")).read_bytes(), 200)
        student = Filled("204117", "A")
        for question in layout["questions"]:
            for row in question["rows"]:
                values = [b["value"] for b in row["bubbles"]]
                right = question["answer"].get(row["name"]) if isinstance(question["answer"], dict) else question["answer"]
                right = right if right in values else None  # a true/false question's ✎ row: the teacher's ✓ or ✗
                value = right if right and rng.random() < 0.75 else rng.choice(values)
                student.marks[(question["number"], row["name"])] = [(value, "clear")]
        numbers = [q["number"] for q in layout["questions"] if q["kind"] == "mcq"]
        student.marks[(numbers[2], "")] = [("B", "light")]
        student.marks[(numbers[4], "")] = [("A", "ring"), ("C", "clear")]  # circled one, filled another
        student.marks[(numbers[6], "")] = [("A", "clear"), ("D", "clear")]
        image = fill(pages, layout, student, 200, rng)[0]
        (scans / "scan.jpg").write_bytes(scan(image, rng))
        result = mark([scans], out, jobs=1)
        pdf = next(o.data for o in result.outputs if o.name.endswith(".pdf"))
        picture = pdfium.PdfDocument(pdf)[0].render(scale=1.5).to_numpy()  # BGR
    # a scan's noise makes a PNG five times larger than this JPEG
    cv2.imwrite(str(HERE / "marked-sheet.jpg"), picture[:, :, :3], [cv2.IMWRITE_JPEG_QUALITY, 75])
    print(f"wrote {HERE / 'marked-sheet.jpg'}")


if __name__ == "__main__":
    main()
