"""Content for the study page and index tests: hostile text in every field, and building pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import yaml

# Each piece would do something if it reached the page as HTML or as a URL.
HOSTILE = "</script><script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1) <!-- x &amp;"
HOSTILE_URL = 'https://example.org/"><script>alert(1)</script>'


def write_hostile(folder: Path, language: str = "en") -> Path:
    """An article folder whose every free-text field (and the article itself) is hostile."""
    folder.mkdir(parents=True)
    front = {
        "title": f"T {HOSTILE}",
        "subtitle": f"S {HOSTILE}",
        "author": f"A {HOSTILE}",
        "publication": f"P {HOSTILE}",
        "kind": f"K {HOSTILE}",
        "date": f"D {HOSTILE}",
        "url": HOSTILE_URL,
        "language": language,
    }
    paragraphs = [f"{word} {HOSTILE} end of {word}." for word in ("alpha", "one", "two", "three", "claim")]
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
    text += f"[caption] caption {HOSTILE}\n\n" + "\n\n".join(paragraphs) + "\n"
    (folder / "article.md").write_text(text, encoding="utf-8")
    questions = [
        {"id": "qa", "kind": "qa", "tests": "event", "question": f"Q {HOSTILE}", "answer": f"A {HOSTILE}",
         "passage": f"alpha {HOSTILE}", "when": HOSTILE, "explanation": f"E {HOSTILE}", "tags": ["x:y", "a.b"]},
        {"id": "cloze", "kind": "cloze", "tests": "event",
         "text": "alpha [[c1::</script><script>alert(1)</script>::<img src=x onerror=alert(1)>]] <img src=x onerror=alert(1)> [[c2::javascript:alert(1)]] <!-- x"},
        {"id": "mcq", "kind": "mcq", "tests": "event", "question": f"M {HOSTILE}", "answer": f"R {HOSTILE}",
         "distractors": [f"W1 {HOSTILE}", f"W2 {HOSTILE}"], "passage": f"one {HOSTILE}", "explanation": HOSTILE},
        {"id": "tf", "kind": "truefalse", "tests": "claim", "statement": f"S {HOSTILE}", "answer": False,
         "correction": f"C {HOSTILE}", "passage": f"two {HOSTILE}"},
        {"id": "order", "kind": "order", "tests": "event", "question": f"O {HOSTILE}", "explanation": HOSTILE,
         "allow": ["when-tie"],  # every event has the same hostile `when`
         "events": [{"text": f"{n} {HOSTILE}", "passage": f"{word} {HOSTILE}", "when": HOSTILE}
                    for n, word in enumerate(("one", "two", "three"), 1)]},
        {"id": "attr", "kind": "attribution", "tests": "claim", "question": f"W {HOSTILE}", "claim": f"C {HOSTILE}",
         "source": f"X {HOSTILE}", "distractors": [f"Y {HOSTILE}"], "passage": f"claim {HOSTILE}"},
    ]
    (folder / "q.yaml").write_text(yaml.safe_dump({"questions": questions}, allow_unicode=True), encoding="utf-8")
    return folder


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.title = ""
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._in = tag
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self.tags[-1][1] if self.tags[-1][0] == "script" else {}, text))
            elif tag == "style":
                self.styles.append(text)
            else:
                self.title = text
            self._in = None


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def page_json(html: str) -> dict:
    """The data of a study page, read back the way the page reads it."""
    (data,) = [text for attrs, text in parse(html).scripts
               if attrs.get("type") == "application/json" and attrs.get("id") == "quizgen-data"]
    return json.loads(data)


def live_cards(saved: dict | None) -> set[str]:
    """The ids of the cards that have progress in a study page's saved review log: a grade or a
    carried-over record that no undo takes back and no reset erases (written apart from the page's
    own replay, as the log's rules say)."""
    if not saved:
        return set()
    log = saved["log"]
    undone = {e["of"] for e in log if e.get("k") == "undo"}
    resets = [e for e in log if e.get("k") == "reset" and f"{e['d']}:{e['c']}" not in undone]

    def erased(e: dict) -> bool:
        return any(r["upto"].get(e["d"], 0) >= e["c"] and (r["ids"] is None or e["id"] in r["ids"]) for r in resets)

    return {e["id"] for e in log if "id" in e and f"{e['d']}:{e['c']}" not in undone and not erased(e)}


def grades(saved: dict | None) -> list[tuple[str, int]]:
    """Every grade event of a saved log as (card id, rating), in the order of its device counters."""
    if not saved:
        return []
    return [(e["id"], e["r"]) for e in sorted(saved["log"], key=lambda e: (e["d"], e["c"])) if "r" in e]
