"""Filling printed answer sheets as students would, and scanning them as an office scanner would.

A sheet's PDF page is rendered with pypdfium2, marks are drawn with OpenCV where the sheet's layout
puts the bubbles (pen marks, light pencil, erased marks with a new one beside), then the page is
"scanned": turned, scaled, shifted, skewed, noised, blurred and saved as a poor JPEG.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import cv2
import numpy as np
import pypdfium2 as pdfium

from generator.outputs.sheet_code import RADIUS
from generator.tools.mark.rules import DOUBLE


def render_pages(pdf: bytes, dpi: int) -> list[np.ndarray]:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            array = page.render(scale=dpi / 72, grayscale=True).to_numpy()
            pages.append(np.ascontiguousarray(array[:, :, 0] if array.ndim == 3 else array))
        return pages
    finally:
        document.close()


@dataclass
class Filled:
    """What a simulated student did, and what a correct marker must conclude."""

    student: str
    version: str
    marks: dict[tuple[int, str], list[tuple[str, str]]] = field(default_factory=dict)  # (q, row): [(value, style)]
    expected_review: set[tuple[int, str]] = field(default_factory=set)  # rows a person must decide
    expected_values: dict[tuple[int, str], str | None] = field(default_factory=dict)  # clear rows: value read
    total: float = 0.0  # of the questions scored without review
    scores: dict[int, float | None] = field(default_factory=dict)  # None: under review
    intent: dict[tuple[int, str], str | None] = field(default_factory=dict)  # what the teacher will decide
    full: dict[int, float] = field(default_factory=dict)  # the points once every doubt is decided
    files: list[str] = field(default_factory=list)  # the scans of the sheet
    unreadable: bool = False  # the student number is bubbled so that nobody can read it


# How a hand marks a bubble, and what a marker must make of it when it is alone in its row.
READ_STYLES = ("clear", "scribble", "pencil", "tick", "cross", "ring", "crescent")
REVIEW_STYLES = ("light", "erased", "cancel")  # alone in a row: a person decides


def _pen(rng: random.Random, px: float) -> int:
    return max(1, int(round(rng.uniform(0.35, 0.6) * px)))


def draw_mark(image: np.ndarray, x_mm: float, y_mm: float, dpi: int, style: str, rng: random.Random) -> None:
    """One hand-made mark on the bubble centred at (x, y) mm of a page rendered at `dpi`."""
    px = dpi / 25.4
    cx = (x_mm + rng.uniform(-0.25, 0.25)) * px
    cy = (y_mm + rng.uniform(-0.25, 0.25)) * px
    centre = (int(round(cx)), int(round(cy)))
    r = RADIUS * px

    def at(dx: float, dy: float) -> tuple[int, int]:  # a point (in bubble radii) from the centre
        return int(round(cx + dx * r)), int(round(cy + dy * r))

    if style in ("clear", "cancel"):  # a pen or dark pencil, nearly filling the bubble
        radius = int(round(r * rng.uniform(0.8, 0.95)))
        cv2.circle(image, centre, radius, rng.randint(15, 70), -1, cv2.LINE_AA)
        if style == "cancel":  # then crossed out, the arms well past the ring
            reach = rng.uniform(1.6, 1.8)
            for sx in (-1, 1):
                cv2.line(image, at(-reach, -reach * sx), at(reach, reach * sx), rng.randint(10, 50), _pen(rng, px),
                         cv2.LINE_AA)
    elif style == "scribble":  # a zigzag of pen lines over the bubble
        ink, y = rng.randint(10, 60), -0.85
        while y < 0.85:
            cv2.line(image, at(-0.9, y), at(0.9, y + 0.2), ink, _pen(rng, px) + 1, cv2.LINE_AA)
            y += rng.uniform(0.2, 0.3)
    elif style == "pencil":  # a 2B pencil: grey, grainy
        radius = int(round(r * rng.uniform(0.8, 0.95)))
        # in a window around the bubble: a page of grain cost 58 ms a mark at 300 dpi
        x0, y0 = max(0, centre[0] - radius - 2), max(0, centre[1] - radius - 2)
        x1, y1 = min(image.shape[1], centre[0] + radius + 3), min(image.shape[0], centre[1] + radius + 3)
        window = image[y0:y1, x0:x1]
        layer = np.zeros_like(window)
        cv2.circle(layer, (centre[0] - x0, centre[1] - y0), radius, 255, -1, cv2.LINE_AA)
        grain = np.random.default_rng(rng.randint(0, 2**31)).integers(70, 130, window.shape, dtype=np.uint8)
        window[layer > 128] = np.minimum(window[layer > 128], grain[layer > 128])
    elif style == "light":  # a hard pencil, pressed lightly
        radius = int(round(r * rng.uniform(0.8, 0.9)))
        cv2.circle(image, centre, radius, rng.randint(145, 160), -1, cv2.LINE_AA)
    elif style == "erased":  # what a rubber leaves of a mark
        radius = int(round(r * rng.uniform(0.8, 0.9)))
        cv2.circle(image, centre, radius, rng.randint(190, 200), -1, cv2.LINE_AA)
    elif style == "tick":
        ink = rng.randint(10, 60)
        cv2.line(image, at(-0.7, 0.0), at(-0.15, 0.65), ink, _pen(rng, px), cv2.LINE_AA)
        cv2.line(image, at(-0.15, 0.65), at(0.9, -0.9), ink, _pen(rng, px), cv2.LINE_AA)
    elif style == "cross":
        ink, reach = rng.randint(10, 60), rng.uniform(0.7, 1.0)
        cv2.line(image, at(-reach, -reach), at(reach, reach), ink, _pen(rng, px), cv2.LINE_AA)
        cv2.line(image, at(-reach, reach), at(reach, -reach), ink, _pen(rng, px), cv2.LINE_AA)
    elif style == "ring":  # the bubble circled, not filled
        axes = (int(round(r * rng.uniform(1.3, 1.6))), int(round(r * rng.uniform(1.3, 1.6))))
        cv2.ellipse(image, centre, axes, rng.uniform(0, 180), 0, 360, rng.randint(10, 60), _pen(rng, px), cv2.LINE_AA)
    elif style == "crescent":  # a fill begun from one edge: 15 to 40 % of the bubble
        # drawn in a window around the bubble, not a page-sized layer: the same pixels, a fiftieth of the work
        radius = int(round(r * 0.95))
        x0, y0 = max(0, centre[0] - radius - 2), max(0, centre[1] - radius - 2)
        x1, y1 = min(image.shape[1], centre[0] + radius + 3), min(image.shape[0], centre[1] + radius + 3)
        layer = np.zeros((max(0, y1 - y0), max(0, x1 - x0)), image.dtype)
        cv2.circle(layer, (centre[0] - x0, centre[1] - y0), radius, 255, -1, cv2.LINE_AA)
        angle = rng.uniform(0, 2 * np.pi)
        ys, xs = np.nonzero(layer > 128)
        ys, xs = ys + y0, xs + x0
        along = ((xs - cx) * np.cos(angle) + (ys - cy) * np.sin(angle)) / r
        cut = rng.uniform(0.25, 0.55)
        keep = along >= cut
        image[ys[keep], xs[keep]] = rng.randint(15, 70)
    else:
        raise ValueError(style)


def fill(pages: list[np.ndarray], layout: dict, filled: Filled, dpi: int, rng: random.Random) -> list[np.ndarray]:
    """The sheet's pages with the student's marks and number drawn on them."""
    result = [p.copy() for p in pages]
    for page_number, image in enumerate(result, start=1):
        page = layout["pages"][page_number - 1]
        for column, digit in zip(page["student"], filled.student):
            if digit != "?":
                bubble = column[int(digit)]
                draw_mark(image, bubble["x"], bubble["y"], dpi, "clear", rng)
        for question in layout["questions"]:
            if question["page"] != page_number:
                continue
            for row in question["rows"]:
                for value, style in filled.marks.get((question["number"], row["name"]), []):
                    bubble = next(b for b in row["bubbles"] if b["value"] == value)
                    draw_mark(image, bubble["x"], bubble["y"], dpi, style, rng)
    return result


FAULTS = ("grey", "bow", "light", "shadow", "coffee", "fold", "torn")


def _page_faults(image: np.ndarray, rng: random.Random, faults: tuple[str, ...], px: float) -> np.ndarray:
    """What happened to the paper before it was scanned: bent, stained, folded, torn."""
    h, w = image.shape
    if "bow" in faults:  # not lying flat: rows bend by up to 1.5 mm
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        bend = 1.5 * px * np.sin(np.pi * xs / w) * rng.choice((-1, 1))
        image = cv2.remap(image, xs, ys + bend.astype(np.float32), cv2.INTER_LINEAR, borderValue=255)
    if "coffee" in faults:  # the ring a cup leaves
        stain = np.zeros_like(image)
        centre = (int(rng.uniform(0.3, 0.7) * w), int(rng.uniform(0.3, 0.7) * h))
        cv2.circle(stain, centre, int(38 * px), 255, int(2.5 * px), cv2.LINE_AA)
        stain = cv2.GaussianBlur(stain, (0, 0), px)
        image = (image.astype(np.float32) * (1 - 0.3 * stain / 255.0)).astype(np.uint8)
    if "fold" in faults:  # a crease across the page
        y = int(rng.uniform(0.4, 0.6) * h)
        image[y:, :] = (image[y:, :] * 0.94).astype(np.uint8)
        cv2.line(image, (0, y), (w, y + int(rng.uniform(-3, 3) * px)), 150, max(1, int(0.3 * px)), cv2.LINE_AA)
    if "torn" in faults:  # a torn corner takes part of a marker
        size = int(rng.uniform(14, 22) * px)
        cv2.fillPoly(image, [np.array([(0, h - size), (0, h), (size, h)], np.int32)], 215)
    return image


def _light_faults(image: np.ndarray, rng: random.Random, faults: tuple[str, ...]) -> np.ndarray:
    """How the light fell when it was scanned or photographed."""
    h, w = image.shape
    gain = np.ones((1, w), np.float32)  # the light changes across the page only: one row, broadcast down
    if "light" in faults:  # light falling off by 20 % across the page
        gain *= np.linspace(1.0, 0.8, w, dtype=np.float32)[None, :]
    if "shadow" in faults:  # a hand's or phone's shadow: half the light over part of the page
        edge = int(rng.uniform(0.3, 0.6) * w)
        shade = np.ones(w, np.float32)
        shade[:edge] = 0.5
        gain *= cv2.GaussianBlur(shade[None, :], (0, 0), 8).ravel()[None, :]
    if "grey" in faults:
        gain *= 0.85
    return np.clip(image.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def spoil_qr(image: np.ndarray, layout_page: dict, dpi: int) -> None:
    """A pen stroke across the page's QR code."""
    px = dpi / 25.4
    x, y, size = layout_page["qr"]
    cv2.line(image, (int(x * px), int((y + size * 0.2) * px)), (int((x + size) * px), int((y + size * 0.7) * px)),
             20, int(2.2 * px), cv2.LINE_AA)
    cv2.line(image, (int(x * px), int((y + size * 0.8) * px)), (int((x + size) * px), int((y + size * 0.3) * px)),
             20, int(2.2 * px), cv2.LINE_AA)


def scan(image: np.ndarray, rng: random.Random, upside_down: bool = False, quality: int = 40,
         faults: tuple[str, ...] = (), dpi: int = 200) -> bytes:
    """The page as a poor scanner or phone app gives it: a JPEG, turned, scaled, shifted, skewed, noisy,
    blurred, with the paper's and the light's `faults`."""
    image = _page_faults(image, rng, faults, dpi / 25.4)
    pad = int(0.06 * image.shape[1])  # the scanner's glass is larger than the sheet
    image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=215)
    h, w = image.shape
    angle = rng.uniform(-5, 5)
    scale = rng.uniform(0.97, 1.03)
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    rotation[0, 2] += rng.uniform(-0.02, 0.02) * w  # a shift
    rotation[1, 2] += rng.uniform(-0.02, 0.02) * h
    affine = np.vstack([rotation, [0, 0, 1]])
    skew = np.array([[1, 0, 0], [0, 1, 0], [rng.uniform(-3e-5, 3e-5), rng.uniform(-3e-5, 3e-5), 1]])
    centre = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]])
    back = np.array([[1, 0, w / 2], [0, 1, h / 2], [0, 0, 1]])
    transform = back @ skew @ centre @ affine
    out = cv2.warpPerspective(image, transform, (w, h), flags=cv2.INTER_LINEAR, borderValue=215)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.0))
    out = cv2.convertScaleAbs(out, alpha=rng.uniform(0.9, 1.0))  # a greyer paper
    out = _light_faults(out, rng, faults)
    cv2.setRNGSeed(rng.randint(0, 2**31))
    noise = np.empty(out.shape, np.int16)
    cv2.randn(noise, 0, 7)
    out = cv2.add(out, noise, dtype=cv2.CV_8U)  # saturating at 0 and 255
    if upside_down:
        out = cv2.rotate(out, cv2.ROTATE_180)
    ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


# A class as the benchmark and the tests simulate it: what each row holds, and how often.
STUDENT_MIX = (  # (share, what is drawn, what a marker must do: "read" or "review")
    (0.08, "blank", "read"), (0.04, "tick", "read"), (0.04, "cross", "read"), (0.03, "ring", "read"),
    (0.03, "crescent", "read"), (0.04, "erased+clear", "read"), (0.03, "cancel+clear", "read"),
    (0.015, "double", "read"), (0.015, "light", "review"), (0.05, "scribble", "read"), (0.08, "pencil", "read"),
)
TEACHER_MIX = ((0.10, "tick", "read"), (0.05, "cross", "read"), (0.03, "blank", "review"))


def _pick(rng: random.Random, mix: tuple) -> tuple[str, str]:
    r = rng.random()
    for share, style, then in mix:
        if r < share:
            return style, then
        r -= share
    return "clear", "read"


def behave(kind: str, row: dict, answer: object, rng: random.Random, filled: Filled, key: tuple[int, str],
           intended: str | None = None, forced: str | None = None) -> str:
    """Draw what a student (or the teacher, on a written answer's score row) did in one row and record
    what a marker must conclude; returns the style drawn."""
    values = [b["value"] for b in row["bubbles"]]
    teacher = kind in ("qa", "cloze")
    style, then = (forced, "review" if forced in ("light", "cancel") else "read") if forced else \
        _pick(rng, TEACHER_MIX if teacher else STUDENT_MIX)
    if style == "double" and teacher:  # the key's rule is for students' answers: two scores are asked
        then = "review"
    if intended is None:
        wrong = [v for v in values if v != answer]
        intended = rng.choice(values) if teacher or not wrong else (answer if rng.random() < 0.7 else rng.choice(wrong))
    other = rng.choice([v for v in values if v != intended])
    if style == "blank" and (kind == "order" or teacher and then == "read"):
        style = "clear"
    if style == "blank":
        marks: list[tuple[str, str]] = []
        intended = intended if teacher else None  # a teacher who forgot to score: the review gives it
    elif "+" in style:  # erased (or cancelled) and changed
        first, second = style.split("+")
        marks = [(other, "erased" if first == "erased" else "cancel"), (intended, second)]
    elif style == "double":  # two plain fills: the key's rule, no point ("0 if more than one letter")
        marks = [(intended, "clear"), (other, "clear")]
        intended = intended if then == "review" else DOUBLE
    else:
        marks = [(intended, style)]
    filled.marks[key] = marks
    filled.intent[key] = intended
    if then == "review":
        filled.expected_review.add(key)
    else:
        filled.expected_values[key] = intended
    return style


def score_of(question: dict, values: dict[str, str | None]) -> float:
    """The points of a question, worked out from the key's printed rule, not by quizgen's grading."""
    if question["kind"] in ("qa", "cloze"):
        return float(values[""] or 0)
    if question["kind"] == "order":
        right = question["answer"]
        wrong = sorted(n for n in right if values.get(n) != right[n])
        if len(wrong) == 2 and values[wrong[0]] == right[wrong[1]] and values[wrong[1]] == right[wrong[0]] \
                and abs(int(right[wrong[0]]) - int(right[wrong[1]])) == 1:
            return question["points"] - question["unit"]
        return question["unit"] * (len(right) - len(wrong))
    if values[""] != question["answer"]:
        return 0.0
    if question["kind"] == "truefalse" and question["answer"] == "F" and "c" in values:
        return question["points"] * (1.0 if values["c"] == "1" else 0.5)  # "F without a correction earns half"
    return float(question["points"])


def simulate(number: str, layout: dict, rng: random.Random, forced: dict | None = None) -> Filled:
    """A student's filled sheet: every row drawn by `behave` (or as `forced` by (question, row)), and
    what a correct marker concludes."""
    filled = Filled(number, layout["version"])
    for question in layout["questions"]:
        n = question["number"]
        swapped = None
        if question["kind"] == "order":
            swapped = dict(question["answer"])
            if rng.random() < 0.4:  # two neighbours swapped
                names = sorted(swapped, key=lambda e: int(swapped[e]))
                k = rng.randrange(len(names) - 1)
                swapped[names[k]], swapped[names[k + 1]] = swapped[names[k + 1]], swapped[names[k]]
        for row in question["rows"]:
            key = (n, row["name"])
            if question["kind"] == "truefalse" and row["name"]:  # the teacher's ✓ or ✗ for the correction
                if filled.intent.get((n, "")) == "F" == question["answer"]:
                    behave("qa", row, None, rng, filled, key, rng.choice("01"), (forced or {}).get(key))
                else:  # not needed: left blank
                    filled.intent[key] = filled.expected_values[key] = None
                continue
            behave(question["kind"], row, question["answer"], rng, filled, key,
                   swapped[row["name"]] if swapped else None, (forced or {}).get(key))
    for question in layout["questions"]:
        n = question["number"]
        keys = [(n, row["name"]) for row in question["rows"]]
        filled.full[n] = score_of(question, {k[1]: filled.intent[k] for k in keys})
        if any(k in filled.expected_review for k in keys):
            filled.scores[n] = None
        else:
            filled.scores[n] = score_of(question, {k[1]: filled.expected_values[k] for k in keys})
    filled.total = sum(v for v in filled.scores.values() if v is not None)
    return filled


@dataclass
class Judged:
    """How a marking compares with what the simulated students did."""

    rows: int = 0  # rows of bubbles on placed pages (student numbers included)
    wrong: list[str] = field(default_factory=list)  # a row read as something the student did not mean
    missed: list[str] = field(default_factory=list)  # a doubtful row read without review
    reviews: int = 0  # rows sent to review
    by_style: dict[str, list[int]] = field(default_factory=dict)  # style: [rows, read right, reviewed]


READ = ("ok", "blank", "double")  # what a row is read as without review (a double: on a student's row)


def read_value(row: object) -> str | None:
    """The value a row read without review gives: its mark, None when blank, DOUBLE for plain fills."""
    return DOUBLE if row.status == "double" else row.value  # type: ignore[attr-defined]


def judge(result: object, students: list[Filled]) -> Judged:
    """Every row of every placed page against what its student meant."""
    judged = Judged()
    by_file = {f: s for s in students for f in s.files}
    pending = {(r.scan, r.page, r.question, r.row) for r in result.reviews if not r.decision}  # type: ignore[attr-defined]
    judged.reviews = sum(1 for r in result.reviews if not r.decision)  # type: ignore[attr-defined]
    for page in result.pages:  # type: ignore[attr-defined]
        filled = by_file[page.scan]
        for row in page.rows:
            judged.rows += 1
            if row.question == 0:
                digit = filled.student[int(row.name)] if not filled.unreadable else None
                if row.status == "ok" and digit is not None and row.value != digit:
                    judged.wrong.append(f"{page.source}: student number column {row.name}: {row.value} for {digit}")
                continue
            key = (row.question, row.name)
            style = "+".join(s for _, s in filled.marks.get(key, [])) or "blank"
            tally = judged.by_style.setdefault(style, [0, 0, 0])
            tally[0] += 1
            reviewed = (page.scan, page.index, str(row.question), row.name) in pending or \
                (row.name == "c" and (page.scan, page.index, str(row.question), "") in pending)  # asked once T/F is
            if reviewed:
                tally[2] += 1
                continue
            value = read_value(row)
            if key in filled.expected_review and row.status in READ and \
                    (value != filled.intent[key] or len(filled.marks.get(key, [])) > 1 and style == "clear+clear"):
                judged.missed.append(f"{page.source}: Q{row.question}{row.name} ({style}) read {value}")
                continue
            if row.status in READ:
                meant = filled.intent[key] if key not in filled.expected_review else value
                if value != meant:
                    judged.wrong.append(f"{page.source}: Q{row.question}{row.name} ({style}) read {value}, "
                                        f"meant {meant}")
                else:
                    tally[1] += 1
    return judged


def write_review(path, lines: list[dict]) -> None:
    """A review file as a teacher saves it: `lines` (review.csv's rows, decisions filled in) under its header."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
