"""The labelled corpus of the item-writing lints (lint_corpus.yaml): each rule's recall on the items
labelled with its flaw, and its false alarms on the good items.

`python tests/lint_corpus.py` prints the table the README shows; test_lint_corpus.py checks it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent.parent))

from generator import model  # noqa: E402
from generator.checks import cloze
from generator.checks.lints import RULE_NAMES  # noqa: E402
from generator.checks.lints.registry import lint  # noqa: E402
from generator.model import ArticleSet, Question  # noqa: E402

CORPUS = Path(__file__).parent / "lint_corpus.yaml"
_NOWHERE = model.Anchor("", ())


def question(spec: dict[str, Any], qid: str) -> Question:
    """The model question an item's shape (mcq, qa, tf, cloze, attr, order) describes."""
    common: dict[str, Any] = dict(id=qid, tests="event", anchor=None, origin=model.Origin("corpus", 1, 1))
    (shape, v), = ((k, spec[k]) for k in ("mcq", "qa", "tf", "cloze", "attr", "order") if k in spec)
    if shape == "mcq":
        return model.MultipleChoice(**common, question=v["q"], answer=v["a"], distractors=tuple(v["d"]))
    if shape == "qa":
        return model.ShortAnswer(**common, question=v["q"], answer=v["a"])
    if shape == "tf":
        return model.TrueFalse(**common, statement=v["s"], answer=v["a"], correction=None if v["a"] else "No.")
    if shape == "cloze":
        return model.Cloze(**common, text=v, segments=cloze.parse(v))
    if shape == "attr":
        return model.Attribution(**common, question=model.Attribution.DEFAULT_PROMPT, claim=v["claim"], source=v["source"],
                           distractors=tuple(v["d"]), generated=bool(v.get("generated")))
    return model.Chronology(**common, question=model.Chronology.DEFAULT_PROMPT, events=tuple(model.Event(t, _NOWHERE, w) for t, w in v))


@dataclass
class Score:
    flawed: int = 0
    caught: int = 0
    alarms: int = 0
    missed: list[str] = field(default_factory=list)


def score(path: Path = CORPUS) -> tuple[dict[str, Score], int, int, int, int]:
    """Each rule's score; and the flawed items caught by their rule, the flawed items, the good
    items flagged by any rule, and the good items."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    scores = {name: Score() for name in RULE_NAMES}
    caught = flawed = alarms = good = 0
    for n, item in enumerate(items, 1):
        me = question(item, f"item-{n}")
        others = [question(o, f"item-{n}-with-{k}") for k, o in enumerate(item.get("with", []), 1)]
        found = ArticleSet(model.Article("corpus", "corpus/article.md", model.ArticleMeta(title="Corpus"), ()), (me, *others))
        rules = {name for q, name, _ in lint(found, RULE_NAMES) if q is me}
        flaw = item.get("flaw")
        if flaw is None:
            good += 1
            alarms += bool(rules)
            for name in rules:
                scores[name].alarms += 1
                scores[name].missed.append(f"item {n}: false alarm")
            continue
        flawed += 1
        scores[flaw].flawed += 1
        if flaw in rules:
            caught += 1
            scores[flaw].caught += 1
        else:
            scores[flaw].missed.append(f"item {n}: missed")
    return scores, caught, flawed, alarms, good


def table(path: Path = CORPUS) -> list[str]:
    """The README's table: each rule's recall on its flawed items and false alarms on the good ones."""
    scores, caught, flawed, alarms, good = score(path)
    lines = ["| rule | flawed items caught (recall) | good items flagged (false alarms) |", "| --- | --- | --- |"]
    for name, s in scores.items():
        recall = f"{s.caught} of {s.flawed} ({s.caught / s.flawed:.0%})" if s.flawed else "no item"
        lines.append(f"| `{name}` | {recall} | {s.alarms} of {good} ({s.alarms / good:.0%}) |")
    lines.append(f"| all rules | {caught} of {flawed} ({caught / flawed:.0%}) | {alarms} of {good} ({alarms / good:.0%}) |")
    return lines


if __name__ == "__main__":
    print("\n".join(table()))
    if "-v" in sys.argv:
        for name, s in score()[0].items():
            for line in s.missed:
                print(f"{name}: {line}")
