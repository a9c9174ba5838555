"""The benchmark's baselines: the same Anki notes as quizgen (issue 8), and a minimal script (issue 18).

    python bench/baseline.py CONTENT_DIR OUT_DIR            # quizgen's note types, fields and tags
    python bench/baseline.py --minimal CONTENT_DIR OUT_DIR  # the least a genanki script can do

For every article folder: read the front matter and the question files (libyaml when PyYAML has
it), expand templates by plain substitution, and write `<slug>.apkg` with one deck,
`Articles::<title>`, holding one note per question: the note types of quizgen (same ids, names and
field lists as generator/outputs/anki/notetypes.py, copied here so that this script does not
import quizgen), the same GUIDs (genanki.guid_for(slug, id)) and tags. (No anki.lock: every note
gets the time of the run.) Text is put into the
fields with html.escape only: no validation, no anchoring (the Context field is the escaped
passage, the Citation field is empty), no shuffling. That is the least any tool that makes these
decks must do, so quizgen's time is compared with it.
"""

from __future__ import annotations

import hashlib
import re
import sys
from html import escape
from pathlib import Path

import genanki
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SOURCE_FIELDS = ("When", "Explanation", "Context", "Citation", "Article", "Id")
# as in generator/outputs/anki/notetypes.py: two note types with the same fields
FIELDS = ("Id", "Kind", "Question", "Answer", "TypeIn", "Choices", "Statement", "Verdict", "Correction",
          "Scrambled", "Events", "Claim", "Prompt", "Text", "When", "Explanation", "Context", "Citation",
          "Article", "Publication", "PublishedOn", "URL", "Notes")
NOTE_TYPES = {"basic": (1532369116, "quizgen (v2)"), "cloze": (1738549600, "quizgen: cloze (v2)")}
# the fields each kind fills, in the order `fields` below gives them (then SOURCE_FIELDS)
KIND_FIELDS = {
    "qa": ("Question", "Answer", "TypeIn"), "cloze": ("Text",), "mcq": ("Question", "Choices", "Answer"),
    "truefalse": ("Statement", "Verdict", "Correction"), "order": ("Question", "Scrambled", "Events"),
    "attribution": ("Claim", "Prompt", "Choices", "Answer"),
}


def _model(kind: str) -> genanki.Model:
    model_id, name = NOTE_TYPES[kind]
    cloze = kind == "cloze"
    front = "{{cloze:Text}}" if cloze else "{{Question}}{{Statement}}{{Claim}}{{Choices}}"
    back = ("{{cloze:Text}}" if cloze else "{{FrontSide}}<hr id=answer>{{Answer}}{{Verdict}}{{Events}}") \
        + "<div>{{Context}}</div><div>{{Article}}</div>"
    return genanki.Model(
        model_id, name, fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Cloze" if cloze else "Card 1", "qfmt": front, "afmt": back}],
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
    )


MODELS = {kind: _model(kind) for kind in NOTE_TYPES}


def note_type(kind: str) -> str:
    return "cloze" if kind == "cloze" else "basic"


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_DELETION = re.compile(r"\[\[(?:(c\d+)::)?(.*?)\]\]")


def deck_id(slug: str) -> int:
    return int.from_bytes(hashlib.sha256(f"quizgen deck {slug}".encode()).digest()[:8], "big") >> 2 | 1 << 40


def _fill(value, values: dict):
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), value)
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def expand(questions: list[dict]) -> list[dict]:
    """Templates become one question per row."""
    out = []
    for q in questions:
        if not q.get("rows"):
            out.append(q)
            continue
        for row in q["rows"]:
            values = row.get("values") or {}
            one = {k: _fill(v, values) for k, v in q.items() if k not in ("rows", "id")}
            one["id"] = f"{q['id']}-{row['id']}"
            for key in ("passage", "when"):
                if key in row:
                    one[key] = row[key]
            out.append(one)
    return out


def _e(value) -> str:
    return "" if value is None else escape(str(value))


def _choices(right, wrong) -> str:
    items = [f'<li data-qg-right>{_e(right)}</li>'] + [f"<li>{_e(w)}</li>" for w in wrong]
    return f'<ol class="qg-list">{"".join(items)}</ol>'


def _cloze(text: str) -> str:
    return _DELETION.sub(lambda m: "{{%s::%s}}" % (m.group(1) or "c1", m.group(2)), _e(text))


def fields(q: dict, article_line: str, sources: list[str]) -> list[str]:
    kind = q["kind"]
    if kind == "order":
        events = q["events"]
        context = "".join(f"<p>{_e(ev['passage'])}</p>" for ev in events)
        when = ""
    else:
        context = f"<p>{_e(q.get('passage') or q.get('text'))}</p>"
        when = _e(q.get("when"))
    tail = [when, _e(q.get("explanation")), context, "", article_line, _e(q["id"])]
    if kind == "qa":
        return [_e(q["question"]), _e(q["answer"]), "y" if q.get("type_in") else "", *tail]
    if kind == "cloze":
        return [_cloze(q["text"]), *tail]
    if kind == "mcq":
        return [_e(q["question"]), _choices(q["answer"], q["distractors"]), _e(q["answer"]), *tail]
    if kind == "truefalse":
        return [_e(q["statement"]), "True" if q["answer"] else "False", _e(q.get("correction")), *tail]
    if kind == "order":
        scrambled = "".join(f"<li>{_e(ev['text'])}</li>" for ev in reversed(events))
        ordered = "".join(f"<li>{_e(ev.get('when'))} {_e(ev['text'])}</li>" for ev in events)
        return [_e(q.get("question") or "Put these events in order, earliest first."),
                f"<ul>{scrambled}</ul>", f"<ol>{ordered}</ol>", *tail]
    if kind == "attribution":
        wrong = q.get("distractors") or [s for s in sources if s != q["source"]]
        return [_e(q["claim"]), _e(q.get("question") or "Who holds this view?"),
                _choices(q["source"], wrong), _e(q["source"]), *tail]
    raise ValueError(f"unknown kind {kind!r}")


def read_folder(folder: Path) -> tuple[dict, list[dict]]:
    """An article folder's front matter and its questions, templates expanded (libyaml)."""
    text = (folder / "article.md").read_text(encoding="utf-8")
    meta = yaml.load(text.split("---", 2)[1], Loader=Loader)
    questions: list[dict] = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml"):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}
            questions += expand(data.get("questions") or [])
    return meta, questions


def build_article(folder: Path, out: Path) -> int:
    slug = folder.name
    meta, questions = read_folder(folder)
    sources = [q["source"] for q in questions if q["kind"] == "attribution"]
    title = str(meta["title"])
    article_line = _e(f"{title} — {meta['author']}" if meta.get("author") else title)
    deck = genanki.Deck(deck_id(slug), f"Articles::{title}", article_line)
    for q in questions:
        model = MODELS[note_type(q["kind"])]
        deck.add_model(model)
        tags = []
        for tag in (f"quizgen::{slug}", f"quizgen::kind::{q['kind']}", f"quizgen::tests::{q['tests']}",
                    *(str(t).replace(" ", "-") for t in q.get("tags") or ())):
            if tag not in tags:
                tags.append(tag)
        values = dict(zip((*KIND_FIELDS[q["kind"]], *SOURCE_FIELDS), fields(q, article_line, sources)))
        values["Kind"] = q["kind"]
        deck.add_note(genanki.Note(model=model, fields=[values.get(f, "") for f in FIELDS],
                                   tags=tags, guid=genanki.guid_for(slug, q["id"])))
    genanki.Package(deck).write_to_file(str(out / f"{slug}.apkg"))
    return len(questions)


MINIMAL_MODEL = genanki.Model(
    1607392319, "Front/Back", fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
)
_FRONT = ("question", "statement", "claim", "text")
_BACK = ("answer", "source", "correction")


def _side(q: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        if q.get(key) is not None:
            return escape(str(q[key]))
    return "<br>".join(escape(str(ev.get("text"))) for ev in q.get("events") or ())  # order: the events


def build_minimal(folder: Path, out: Path) -> int:
    """One Front/Back note per question, one deck and one package per article."""
    meta, questions = read_folder(folder)
    deck = genanki.Deck(deck_id(folder.name), str(meta["title"]))
    for q in questions:
        deck.add_note(genanki.Note(model=MINIMAL_MODEL, fields=[_side(q, _FRONT), _side(q, _BACK)]))
    genanki.Package(deck).write_to_file(str(out / f"{folder.name}.apkg"))
    return len(questions)


def main(argv: list[str]) -> int:
    minimal = "--minimal" in argv
    argv = [a for a in argv if a != "--minimal"]
    if len(argv) != 2:
        print("usage: python bench/baseline.py [--minimal] CONTENT_DIR OUT_DIR", file=sys.stderr)
        return 2
    content, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    folders = sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    one = build_minimal if minimal else build_article
    notes = sum(one(folder, out) for folder in folders)
    print(f"{'minimal ' if minimal else ''}baseline: wrote {len(folders)} decks, {notes} notes, into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
