"""`review.html`: every doubtful row as a picture beside what was read, decided from the keyboard.

The page is written beside review.csv and holds the same rows: each with a crop of the upright scan
(the row of bubbles, or the name and student-number boxes), what was read and each bubble's fill. The
teacher types a decision into each row's box (Enter or Tab goes to the next one, Shift+Enter back),
then "Save review.csv" writes the CSV that `quizgen mark --review` reads, with the decisions filled in.
Everything is in the one file (the crops as JPEG data URLs); it needs no server.
"""

from __future__ import annotations

import base64
import html
import json

import cv2
import numpy as np

from generator.tools.mark.bubbles import PX
from generator.tools.mark.read import STUDENT_BOX, Page
from generator.tools.mark.review import REVIEW_COLUMNS, Review

MARGIN = 5.0  # mm around a row of bubbles


def _crop(page: Page | None, review: Review) -> str:
    """A JPEG data URL of the part of the page a review row is about ("" when there is none)."""
    if page is None or page.image is None:
        return ""
    image = page.image
    if review.question == "student":
        left, top, right, bottom = STUDENT_BOX
    else:
        row = next((r for r in page.rows if str(r.question) == review.question and r.name == review.row), None)
        if row is None or not row.centres:
            return ""
        xs = [x for x, _ in row.centres]
        ys = [y for _, y in row.centres]
        left, top, right, bottom = min(xs) - 2 * MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN
    ox, oy = page.origin  # the image shows the page from there
    y0, y1 = max(0, int((top - oy) * PX)), min(image.shape[0], int((bottom - oy) * PX))
    x0, x1 = max(0, int((left - ox) * PX)), min(image.shape[1], int((right - ox) * PX))
    crop = np.ascontiguousarray(image[y0:y1, x0:x1])
    if crop.size == 0:
        return ""
    ok, jpeg = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 75])
    return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode("ascii") if ok else ""


def review_html(reviews: list[Review], pages: list[Page]) -> bytes:
    """The review page of `reviews`, with crops from `pages` (which must still hold their images)."""
    by_place = {(p.scan, p.index): p for p in pages}
    rows = []
    for n, r in enumerate(reviews):
        crop = "" if r.kept else _crop(by_place.get((r.scan, r.page)), r)  # a kept decision's row is not there
        # a student number's crop holds the name and number boxes: shown at about its own size, to be read
        shown = ' class="number"' if r.question == "student" else ""
        picture = f'<img alt=""{shown} src="{crop}">' if crop else ""
        where = f"{r.scan} p.{r.page}" + (f" · {r.student}" if r.student else "")
        what = "student number" if r.question == "student" else (
            "page" if r.question == "page" else f"Q{r.question}{' ' + r.row if r.row else ''}")
        rows.append(
            f'<tr{" class=kept" if r.kept else " class=done" if r.decision else ""}><td class="where">{html.escape(where)}<br><b>{html.escape(what)}</b></td>'
            f"<td>{picture}</td><td>{html.escape(r.problem)}<br>read: <b>{html.escape(r.read or '—')}</b>"
            f"<br><small>fills {html.escape(r.fills)}</small></td>"
            f'<td><input data-n="{n}" value="{html.escape(r.decision)}" aria-label="decision for {html.escape(what)}"'
            ' autocomplete="off" spellcheck="false"></td></tr>'
        )
    data = [[getattr(r, c) for c in REVIEW_COLUMNS] for r in reviews]
    payload = json.dumps({"columns": REVIEW_COLUMNS, "rows": data}, ensure_ascii=False).replace("</", "<\\/")
    left = sum(1 for r in reviews if not r.decision)
    page = TEMPLATE.replace("{rows}", "".join(rows)).replace("{data}", payload).replace(
        "{count}", f"{left} of {len(reviews)} rows to decide")
    return page.encode("utf-8")


TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="quizgen">
<meta name="quizgen-audience" content="teacher">
<title>Review: quizgen mark</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 1rem; }
table { border-collapse: collapse; }
td { border-top: 1px solid #ccc; padding: .4rem .6rem; vertical-align: middle; }
td.where { font-size: 13px; color: #444; }
img { max-height: 9rem; max-width: 28rem; image-rendering: auto; }
img.number { max-height: 32rem; max-width: min(40rem, 60vw); }
input { font: 20px monospace; width: 5rem; }
tr.done input { background: #e6f4e6; }
tr.kept { color: #777; }
tr:focus-within { background: #fff6d6; }
header { position: sticky; top: 0; background: #fff; padding: .5rem 0; }
</style>
</head>
<body>
<header>
<b>Review</b> · <span id="count">{count}</span> ·
type the letter, T or F (a false statement's F with its correction: F✓ all the points, F✗ or ½ half),
the place, the score, ✓/✗ (1/0), <kbd>-</kbd> for none, <kbd>*</kbd> for two marks (no point, as the key
says), or the digits of a student number; on a page's or a student number's row <kbd>-</kbd> sets the page
or sheet aside (not a sheet, or a copy); greyed rows are decisions not used (their problem says why) ·
<kbd>Enter</kbd> next, <kbd>Shift</kbd>+<kbd>Enter</kbd> back ·
<button type="button" id="save">Save review.csv</button>
then <code>quizgen mark … --review review.csv</code>
</header>
<table>
{rows}
</table>
<script id="data" type="application/json">{data}</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const inputs = Array.from(document.querySelectorAll("input[data-n]"));
const decision = data.columns.indexOf("decision");
function count() {
  const left = inputs.filter(i => !i.value.trim()).length;
  document.getElementById("count").textContent = left + " of " + inputs.length + " rows to decide";
}
inputs.forEach((input, k) => {
  input.addEventListener("input", () => {
    input.closest("tr").classList.toggle("done", !!input.value.trim());
    count();
  });
  input.addEventListener("keydown", event => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const next = inputs[k + (event.shiftKey ? -1 : 1)];
    if (next) { next.focus(); next.select(); }
  });
});
function cell(value) {
  const text = String(value);
  return /[",\\n\\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}
function csv() {
  const lines = [data.columns.map(cell).join(",")];
  data.rows.forEach((row, n) => {
    const copy = row.slice();
    copy[decision] = inputs[n].value.trim();
    lines.push(copy.map(cell).join(","));
  });
  return lines.join("\\n") + "\\n";
}
document.getElementById("save").addEventListener("click", () => {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([csv()], {type: "text/csv;charset=utf-8"}));
  link.download = "review.csv";
  document.body.appendChild(link);
  link.click();
  link.remove();
});
const first = inputs.find(i => !i.value.trim());
if (first) first.focus();
</script>
</body>
</html>
"""
