"""A synthetic quizgen library for the benchmark (issue 8): N articles, M questions each.

    python bench/generate.py OUT_DIR --articles 200 --questions 100 [--seed 1]

Every article (`article-001`, ...) has front matter, 10-12 body paragraphs and 1-2 captions, about
1,000 words. Every sentence states one made-up "fact" and carries a number that no other sentence
of the article has, so every sentence is unique, and a passage taken as a whole sentence (or a long
stretch of one that includes its number) is found exactly once. Every kind of question is used,
with one template per article, split over two question files (`events.yaml`, `claims.yaml`).

The output depends on the seed only: each article has its own random.Random, seeded from the seed
and its number, so the first N/2 articles of a library of N are the library of N/2.
The names are invented; nothing here is about real people or organisations.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

FIRST = ["Amira", "Daniel", "Elena", "Tomas", "Noor", "Viktor", "Ingrid", "Samir", "Leah", "Pavel", "Marta", "Yusuf", "Clara", "Omar", "Hana", "Felix", "Irena", "Karim", "Sofia", "Mateo", "Rania", "Jonas", "Lucia", "Idris", "Greta", "Anton", "Maya", "Emil", "Dara", "Nikos", "Selin", "Ruben", "Talia", "Arman", "Petra", "Hugo", "Zara", "Milan", "Ines", "Rafael"]
LAST = ["Halden", "Moreau", "Okafor", "Lindqvist", "Haddad", "Novak", "Brennan", "Castillo", "Varga", "Petrov", "Nakamura", "Osei", "Fischer", "Rahimi", "Dumont", "Kowalski", "Serrano", "Abbasi", "Lund", "Ferreira", "Mensah", "Ivanova", "Quinlan", "Sato", "Belkacem", "Horvath", "Nilsen", "Costa", "Aziz", "Markovic", "Delacroix", "Oyelaran", "Strand", "Vidal", "Karimi", "Ortega", "Balogun", "Weiss"]
ROLES = ["spokesperson", "director", "chief-of-staff", "deputy-director", "field-coordinator", "logistics-chief", "regional-commander", "auditor", "press-officer", "operations-manager", "senior-adviser", "inspector-general", "treasurer", "envoy"]  # hyphens become spaces in the text
ORG_NAMES = """Halden Relief Agency|Corvane Logistics|Northmarch Defence Ministry|Veyra Harbour Authority
|Ostrel Red Crescent|Kessaran Interior Ministry|Amberline Shipping|Tolvar Provincial Council
|Brightwater Foundation|Sable Point Militia|Greymoor Customs Service|Eastwatch Monitoring Group
|Lowen Development Bank|Marrow Creek Cooperative|Iskander Border Guard|Pellan Civil Defence
|Vantor Energy Company|Quillon Aid Network|Ridgefield Port Police|Saltmere Water Board
|Dunmore Engineering Corps|Caldera Medical Mission|Orvath Farmers Union|Westfall Transit Authority""".replace("\n", "").split("|")
PLACES = """Port Velmar|Kessaran|the Orvath Valley|Tolvar|Eastmere|Saltmere|the Dunmore Hills|Caldera
|Brenn Crossing|Ostrel|Lowen|the Marrow Delta|Iskander|Pellan Bay|Vantor|Greymoor|Ashford Junction
|Redwater|the Sable Coast|Quillon|Northmarch|Veyra|the Halden Plateau|Ridgefield|Corvane Island
|Amberline|Westfall|Brightwater|Torrin Gap|Elsmoor""".replace("\n", "").split("|")
CATEGORIES = {
    "supplies": (
        [("deliver", "delivered"), ("ship", "shipped"), ("donate", "donated"),
         ("distribute", "distributed"), ("purchase", "purchased"), ("store", "stored")],
        ["tonnes of grain", "vaccine doses", "medical kits", "winter tents", "water pumps",
         "diesel generators", "blankets", "food parcels", "solar lamps"],
    ),
    "security": (
        [("seize", "seized"), ("destroy", "destroyed"), ("deploy", "deployed"),
         ("inspect", "inspected"), ("recover", "recovered"), ("register", "registered")],
        ["rifles", "surveillance drones", "armoured trucks", "mortar shells", "radio sets",
         "landmines", "night-vision goggles", "patrol boats"],
    ),
    "rebuilding": (
        [("repair", "repaired"), ("build", "built"), ("restore", "restored"),
         ("survey", "surveyed"), ("connect", "connected"), ("rebuild", "rebuilt")],
        ["housing units", "wells", "classrooms", "kilometres of road", "street lights",
         "hospital beds", "shop fronts", "irrigation channels"],
    ),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
RELATIVE = ["last month", "on Tuesday", "earlier this year", "last week", "on Friday", "last spring"]
ADJECTIVES = ["overdue", "necessary", "reckless", "modest", "historic", "chaotic", "fragile", "remarkable", "premature", "costly", "symbolic", "urgent", "careless", "vital"]
CONNECTORS = [
    "a figure that surprised local officials",
    "well ahead of the schedule agreed in the capital",
    "despite repeated delays at the checkpoints",
    "although the weather had closed the main road",
    "in what residents described as a turning point",
    "after weeks of quiet negotiation",
]
AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "staff photographer"]
KINDS_OF_PIECE = ["News", "Analysis", "Report", "Feature"]


@dataclass
class Fact:
    """One sentence of the article and what it says."""

    n: int  # the sentence's number in the article
    who: str
    role: str
    org: str
    verb: str  # base form
    past: str
    things: str
    place: str
    count: str  # unique in the article
    when: str | None  # as the article gives it
    when_phrase: str  # "in March 2014", "on Tuesday"
    sort_key: tuple[int, int] | None  # (year, month) for dated facts
    claim: bool
    category: str
    segments: list[tuple[str | None, str]]  # (field or None, text): the sentence, in pieces

    @property
    def sentence(self) -> str:
        return "".join(t for _, t in self.segments)

    def stretch(self) -> str:
        """A long unique stretch: from the start of the sentence to the end of its count's clause."""
        out = []
        for key, text in self.segments:
            out.append(text)
            if key == "things":
                break
        return "".join(out).rstrip(" ,")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _count(rng: random.Random, used: set[int]) -> str:
    while True:
        n = rng.randint(120, 9899)
        if n not in used and not 1900 <= n <= 2100:
            used.add(n)
            return f"{n:,}"


def _when(rng: random.Random) -> tuple[str, str, tuple[int, int] | None]:
    r = rng.random()
    if r < 0.6:
        year, month = rng.randint(2004, 2023), rng.randint(1, 12)
        when = f"{MONTHS[month - 1]} {year}"
        return when, f"in {when}", (year, month)
    if r < 0.8:
        year = rng.randint(2004, 2023)
        return str(year), f"in {year}", (year, 0)
    phrase = rng.choice(RELATIVE)
    return phrase.removeprefix("on "), phrase, None


def _fact(rng: random.Random, n: int, people: list[tuple[str, str]], orgs: list[str],
          used: set[int], caption: bool = False) -> Fact:
    category = rng.choice(sorted(CATEGORIES))
    verbs, things_list = CATEGORIES[category]
    verb, past = rng.choice(verbs)
    things = rng.choice(things_list)
    who, role = rng.choice(people)
    role_text = role.replace("-", " ")
    org = rng.choice(orgs)
    place = rng.choice(PLACES)
    count = _count(rng, used)
    when, when_phrase, sort_key = _when(rng)
    adj1, adj2 = rng.sample(ADJECTIVES, 2)
    S = lambda *parts: list(parts)  # noqa: E731  (the segments of a sentence)
    if caption:
        segs = S((None, f"{who}, the {role_text} of {org}, visits "), ("place", place), (None, f" {when_phrase}, where {org} "),
                 ("past", past), (None, " "), ("count", count), (None, " "), ("things", things),
                 (None, f". Credit: {rng.choice(AGENCIES)}"))
        claim = False
    else:
        shape = rng.randrange(7)
        claim = shape >= 4
        if shape == 0:
            segs = S((None, _cap(when_phrase) + ", " + org + " "), ("past", past), (None, " "), ("count", count),
                     (None, " "), ("things", things), (None, " in "), ("place", place),
                     (None, f", an operation overseen by {who}, its {role_text}."))
        elif shape == 1:
            segs = S((None, _cap(org) + " "), ("past", past), (None, " "), ("count", count), (None, " "),
                     ("things", things), (None, " in "), ("place", place),
                     (None, f" {when_phrase}, and {who}, the {role_text} of the group, saw the work through."))
        elif shape == 2:
            segs = S((None, "In "), ("place", place), (None, ", "), ("count", count), (None, " "), ("things", things),
                     (None, " were "), ("past", past), (None, f" by {org} {when_phrase}, {rng.choice(CONNECTORS)}."))
        elif shape == 3:
            segs = S((None, f"It was {when_phrase} that {org} "), ("past", past), (None, " "), ("count", count),
                     (None, " "), ("things", things), (None, " near "), ("place", place),
                     (None, f", {rng.choice(CONNECTORS)}, as {who} later confirmed."))
        elif shape == 4:
            segs = S((None, f"According to {who}, the {role_text} of {org}, the group "), ("past", past), (None, " "),
                     ("count", count), (None, " "), ("things", things), (None, " in "), ("place", place),
                     (None, f" {when_phrase}, though no one else has confirmed the number."))
        elif shape == 5:
            segs = S((None, f"{who}, who serves as {role_text} at {org}, said the "), ("count", count), (None, " "),
                     ("things", things), (None, " "), ("past", past), (None, " in "), ("place", place),
                     (None, f" {when_phrase} were “{adj1} and {adj2},” and that more would follow."))
        else:
            segs = S((None, _cap(org) + " "), ("past", past), (None, " "), ("count", count), (None, " "),
                     ("things", things), (None, " in "), ("place", place),
                     (None, f" {when_phrase}, {who} insisted, calling the effort “{adj1}” — and {adj2}."))
    if when not in "".join(t for _, t in segs):  # "Last month" at the start of a sentence
        when = _cap(when)
    return Fact(n, who, role_text, org, verb, past, things, place, count, when, when_phrase, sort_key,
                claim, category, segs)


# -- YAML, written the way a person writes it: plain scalars where safe, else single quotes -----

_RESOLVER = yaml.resolver.Resolver()
_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n#{}\[\]&*!|>%@`]*$")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    s = str(value)
    if (_PLAIN.match(s) and ": " not in s and not s.endswith(":") and s == s.strip()
            and _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == "tag:yaml.org,2002:str"):
        return s
    return "'" + s.replace("'", "''") + "'"


def _emit(value: object, indent: int, out: list[str], lead: str | None = None) -> None:
    """Block YAML of a dict or list (of scalars and dicts): keys and items start at `indent`;
    `lead` replaces the indentation of the first line (the "- " of a list item)."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, v in value.items():
            first = pad if lead is None else lead
            lead = None
            if isinstance(v, list) and v and all(re.fullmatch(r"[\w.:-]+", str(x)) for x in v):
                out.append(f"{first}{key}: [{', '.join(_scalar(x) for x in v)}]")
            elif isinstance(v, (dict, list)):
                out.append(f"{first}{key}:")
                _emit(v, indent + 2, out)
            else:
                out.append(f"{first}{key}: {_scalar(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                _emit(item, indent + 2, out, lead=pad + "- ")
            else:
                out.append(f"{pad}- {_scalar(item)}")
    else:
        raise TypeError(value)


def dump_questions(questions: list[dict], header: str = "") -> str:
    out = ["# yaml-language-server: $schema=../question-file.schema.json"]
    if header:
        out.append(f"# {header}")
    out.append("questions:")
    for q in questions:
        _emit(q, 4, out, lead="  - ")
        out.append("")
    return "\n".join(out)


# -- questions -----------------------------------------------------------------------------------

KIND_WEIGHTS = {"qa": 0.2, "cloze": 0.15, "mcq": 0.2, "truefalse": 0.15, "order": 0.06, "attribution": 0.24}


def allocate(total: int) -> tuple[dict[str, int], int]:
    """How many questions of each kind, and how many template rows, for `total` questions."""
    rows = max(2, min(6, total // 15)) if total >= 8 else 0
    rest = total - rows
    counts = {k: 1 for k in KIND_WEIGHTS} if rest >= len(KIND_WEIGHTS) else {}
    left = rest - sum(counts.values())
    shares = {k: w * left for k, w in KIND_WEIGHTS.items()}
    for k, s in shares.items():
        counts[k] = counts.get(k, 0) + int(s)
    missing = rest - sum(counts.values())
    for k in sorted(shares, key=lambda k: shares[k] - int(shares[k]), reverse=True)[:missing]:
        counts[k] += 1
    return counts, rows


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _tags(f: Fact) -> list[str]:
    return [f.category, _slug(f.org.removeprefix("the "))]


def _passage(rng: random.Random, f: Fact) -> str:
    return f.sentence if rng.random() < 0.6 else f.stretch()


def _others(rng: random.Random, pool: list[str], right: str, k: int) -> list[str]:
    choices = sorted({p for p in pool if p.casefold() != right.casefold()})
    return rng.sample(choices, min(k, len(choices)))


def make_questions(rng: random.Random, facts: list[Fact], total: int) -> tuple[list[dict], list[dict]]:
    """(events.yaml questions, claims.yaml questions)."""
    counts, rows = allocate(total)
    body = list(facts)
    events_q: list[dict] = []
    claims_q: list[dict] = []
    people = sorted({f.who for f in facts})
    orgs = sorted({f.org for f in facts})
    used_ids: set[str] = set()

    def qid(base: str) -> str:
        i = 1
        while f"{base}-{i}" in used_ids:
            i += 1
        used_ids.add(f"{base}-{i}")
        return f"{base}-{i}"

    def cycle(pred):
        pool = [f for f in body if pred(f)] or body
        while True:
            order = pool[:]
            rng.shuffle(order)
            yield from order

    any_fact = cycle(lambda f: True)
    claim_fact = cycle(lambda f: f.claim)
    dated = [f for f in body if f.sort_key]

    def dated_when(q: dict, f: Fact) -> None:
        if f.when and rng.random() < 0.5:
            q["when"] = f.when

    # the template: where things happened, one row per fact
    if rows:
        tpl_rows = []
        seen_rows: set[str] = set()
        for _ in range(rows):
            f = next(any_fact)
            rid = f"s{f.n}"
            while rid in seen_rows:
                rid += "-b"
            seen_rows.add(rid)
            row = {"id": rid, "passage": _passage(rng, f)}
            if f.when:
                row["when"] = f.when
            row["values"] = {"org": f.org, "verb": f.verb, "count": f.count, "things": f.things, "place": f.place}
            tpl_rows.append(row)
        events_q.append({
            "id": "where-did-it-happen", "kind": "qa", "tests": "event",
            "question": "Where, according to the article, did {{ org }} {{ verb }} {{ count }} {{ things }}?",
            "answer": "{{ place }}", "tags": ["places"], "rows": tpl_rows,
        })
        used_ids.update(f"where-did-it-happen-{r['id']}" for r in tpl_rows)

    for kind in KIND_WEIGHTS:
        for i in range(counts.get(kind, 0)):
            if kind == "qa":
                f = next(any_fact)
                if i % 3 == 2:
                    q = {"id": qid(f"who-{_slug(f.role)}"), "kind": "qa", "tests": "event",
                         "question": f"Who is named in the article as the {f.role} of {f.org}?",
                         "answer": f.who, "passage": f.sentence}
                else:
                    q = {"id": qid(f"how-many-{_slug(f.things)}"), "kind": "qa", "tests": "event",
                         "question": f"How many {f.things} did {f.org} {f.verb} in {f.place}, according to the article?",
                         "answer": f.count, "passage": _passage(rng, f)}
                    if i % 4 == 0:
                        q["type_in"] = True
                dated_when(q, f)
                q["tags"] = _tags(f)
                (claims_q if f.claim else events_q).append({**q, "tests": "claim" if f.claim else "event"})
            elif kind == "cloze":
                f = next(any_fact)
                parts = []
                for key, text in f.segments:
                    if key == "count":
                        parts.append(f"[[c1::{text}::a number]]")
                    elif key == "place" and i % 2 == 0:
                        parts.append(f"[[c2::{text}]]")
                    else:
                        parts.append(text)
                q = {"id": qid(f"fill-{_slug(f.things)}"), "kind": "cloze", "tests": "event",
                     "text": "".join(parts).replace("“", '"').replace("”", '"')}
                if i % 3 == 0:
                    q["explanation"] = f"The article gives the figure as {f.count} {f.things}."
                dated_when(q, f)
                q["tags"] = _tags(f)
                events_q.append(q)
            elif kind == "mcq":
                f = next(any_fact)
                if i % 2 == 0:
                    q = {"id": qid(f"where-{_slug(f.verb)}"), "kind": "mcq", "tests": "event",
                         "question": f"Where did {f.org} {f.verb} {f.count} {f.things}, according to the article?",
                         "answer": f.place, "distractors": _others(rng, PLACES, f.place, 3)}
                else:
                    q = {"id": qid(f"which-org-{_slug(f.verb)}"), "kind": "mcq", "tests": "event",
                         "question": f"Which organisation {f.past} {f.count} {f.things} in {f.place}?",
                         "answer": _cap(f.org), "distractors": [_cap(o) for o in _others(rng, [*orgs, *(f"the {o}" for o in ORG_NAMES)], f.org, 3)]}
                q["passage"] = _passage(rng, f)
                dated_when(q, f)
                q["tags"] = _tags(f)
                events_q.append(q)
            elif kind == "truefalse":
                f = next(claim_fact if i % 2 else any_fact)
                truth = f"{_cap(f.org)} {f.past} {f.count} {f.things} in {f.place}."
                q = {"id": qid(f"tf-{_slug(f.things)}"), "kind": "truefalse", "tests": "claim" if f.claim else "event"}
                if i % 2 == 0:
                    q["statement"] = f"According to the article, {truth[0].lower() + truth[1:]}"
                    q["answer"] = True
                else:
                    wrong = rng.choice([p for p in PLACES if p != f.place])
                    q["statement"] = f"According to the article, {f.org} {f.past} {f.count} {f.things} in {wrong}."
                    q["answer"] = False
                    q["correction"] = f"It was in {f.place}: {truth}"
                q["passage"] = _passage(rng, f)
                q["tags"] = _tags(f)
                (claims_q if f.claim else events_q).append(q)
            elif kind == "order":
                by_year: dict[int, Fact] = {}
                for f in rng.sample(dated, len(dated)):
                    by_year.setdefault(f.sort_key[0], f)
                size = min(3 + i % 3, len(by_year))
                if size < 3:
                    raise ValueError("too few dated sentences for an order question")
                chosen = sorted(rng.sample(sorted(by_year.values(), key=lambda f: f.n), size), key=lambda f: f.sort_key)
                events = []
                for f in chosen:
                    ev = {"text": f"{_cap(f.org)} {f.past} {f.count} {f.things} in {f.place}", "passage": _passage(rng, f)}
                    if rng.random() < 0.7:
                        ev["when"] = f.when
                    events.append(ev)
                q = {"id": qid("chronology"), "kind": "order", "tests": "event", "events": events}
                if i % 2:
                    q["question"] = "Put these operations in the order they happened, earliest first."
                q["tags"] = ["chronology"]
                events_q.append(q)
            elif kind == "attribution":
                f = next(claim_fact)
                q = {"id": qid(f"who-claims-{_slug(f.things)}"), "kind": "attribution", "tests": "claim",
                     "claim": f"{_cap(f.org)} {f.past} {f.count} {f.things} in {f.place}.", "source": f.who}
                if i % 3 != 1 or counts["attribution"] < 3:
                    q["distractors"] = _others(rng, people, f.who, 2 + i % 2)
                if i % 4 == 0:
                    q["question"] = "Who makes this claim in the article?"
                q["passage"] = _passage(rng, f)
                q["tags"] = ["sourcing", f.category]
                claims_q.append(q)
    # an attribution without distractors needs another source among the article's attributions
    sources = {q["source"] for q in claims_q if q["kind"] == "attribution"}
    if len(sources) < 2:
        for q in claims_q:
            if q["kind"] == "attribution" and "distractors" not in q:
                q["distractors"] = _others(rng, people, q["source"], 2)
    return events_q, claims_q


def make_article(seed: object, number: int, questions: int) -> tuple[str, str, str]:
    """(article.md, events.yaml, claims.yaml) of article `number`."""
    rng = random.Random(f"quizgen-bench/{seed}/{number}")
    people = []
    for first, last in zip(rng.sample(FIRST, 10), rng.sample(LAST, 10)):
        people.append((f"{first} {last}", rng.choice(ROLES)))
    orgs = [f"the {o}" for o in rng.sample(ORG_NAMES, 6)]
    used: set[int] = set()
    facts: list[Fact] = []
    blocks: list[str] = []
    n_par = rng.randint(10, 12)
    n_cap = rng.randint(1, 2)
    cap_at = sorted(rng.sample(range(n_par), n_cap))
    for p in range(n_par):
        if p in cap_at:
            f = _fact(rng, len(facts) + 1, people, orgs, used, caption=True)
            facts.append(f)
            blocks.append(f"[caption] {f.sentence}")
        sentences = []
        for _ in range(rng.choice((3, 4, 4))):
            f = _fact(rng, len(facts) + 1, people, orgs, used)
            facts.append(f)
            sentences.append(f.sentence)
        blocks.append(" ".join(sentences))
    main_org = orgs[0]
    place = rng.choice(PLACES)
    title = f"{_cap(main_org.removeprefix('the '))} and the {rng.choice(['Long', 'Quiet', 'Uneasy', 'Costly'])} Work in {place.removeprefix('the ')} ({number})"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    front = [
        "---",
        f"title: {_scalar(title)}",
        f"subtitle: {_scalar(f'How {main_org} and its partners spent the years since the crisis.')}",
        f"author: {author}",
        f"kind: {rng.choice(KINDS_OF_PIECE)}",
        "language: en",
        "---",
        "",
        "",
    ]
    article = "\n".join(front) + "\n\n".join(blocks) + "\n"
    events_q, claims_q = make_questions(rng, facts, questions)
    return (article, dump_questions(events_q, "what happened, who, when, where"),
            dump_questions(claims_q, "who asserts what"))


def generate(out: Path, articles: int = 200, questions: int = 100, seed: object = 1) -> list[Path]:
    """Write the library into `out`; returns the article folders. Older `article-*` folders beyond
    `articles` are removed so that the folder holds exactly this library."""
    out.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(articles)))
    folders = []
    for i in range(1, articles + 1):
        folder = out / f"article-{i:0{width}d}"
        folder.mkdir(exist_ok=True)
        article, events, claims = make_article(seed, i, questions)
        (folder / "article.md").write_text(article, encoding="utf-8")
        (folder / "events.yaml").write_text(events, encoding="utf-8")
        (folder / "claims.yaml").write_text(claims, encoding="utf-8")
        folders.append(folder)
    keep = {f.name for f in folders}
    for old in out.glob("article-*"):
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old)
    return folders


def edit_question(path: Path, tag: str) -> None:
    """Change the wording of the first `question:` in a question file (a new wording per tag)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        m = re.fullmatch(r"(\s+(?:- )?question: )([^'{]*)\?", line)
        if m:
            lines[i] = f"{m.group(1)}{m.group(2)} (reworded {tag})?"
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    raise ValueError(f"no plain question line to edit in {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the library into")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--questions", type=int, default=100, help="questions per article")
    parser.add_argument("--seed", default="1")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.questions < 8:
        parser.error("need at least 1 article and 8 questions per article (every kind, and a template)")
    generate(args.out, args.articles, args.questions, args.seed)
    print(f"wrote {args.articles} articles with {args.questions} questions each into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
