"""The study page's data: the article and its questions as plain JSON-ready values.

Text offsets are counted in UTF-16 code units, as JavaScript strings count them, so the page can
slice a paragraph at a passage even when the text holds characters outside the BMP.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from generator.checks.context import in_context
from generator.i18n import cite, gettext_for
from generator.kinds.registry import REGISTRY
from generator.model import (
    SUBTITLE,
    TITLE,
    Anchor,
    Article,
    ArticleSet,
    Attribution,
    Question,
)
from generator.outputs.study.render import compact
from generator.outputs.study.timeline import timeline

Json = Any


def u16(text: str, index: int) -> int:
    """The UTF-16 offset of code point `index` in `text`."""
    if not 0 <= index <= len(text):
        return len(text[:index].encode("utf-16-le")) // 2
    astral = _astral(text)
    if not astral:
        return index  # every character one unit: the usual case
    return index + bisect_left(astral, index)  # each character before it outside the BMP takes two


@lru_cache(maxsize=4096)
def _astral(text: str) -> tuple[int, ...]:
    """Where `text` has characters outside the BMP (two UTF-16 units each); once per block text, as every
    offset of every passage of a block asks."""
    if text.isascii() or max(text, default="a") <= "\uffff":
        return ()
    return tuple(i for i, c in enumerate(text) if c > "\uffff")


def source(article: Article, anchor: Anchor) -> Json:
    """Where a passage stands: its citation and each span as [block, start, end, sentence start,
    sentence end], offsets in UTF-16 units (the sentence bounds let the page show a short context)."""
    spans = []
    for s, quoted in zip(anchor.spans, in_context(article, anchor)):
        text = article.block(s.block).text
        start, end = s.start, s.end
        lo, hi = start - len(quoted.before), end + len(quoted.after)
        if 0 <= lo <= start <= end <= hi <= len(text) and not _astral(text):
            spans.append([s.block, start, end, lo, hi])  # `u16` of each is itself: the usual case, asked once
        else:
            spans.append([s.block, *(u16(text, i) for i in (start, end, lo, hi))])
    return {"cite": anchor.cite(article), "spans": spans}


def article_data(article: Article) -> Json:
    meta = article.meta
    return {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "author": meta.author,
        "publication": meta.publication,
        "kind": meta.kind,
        "date": meta.date,
        # the schema allows only http(s) URLs; checked again here because the page makes it a link
        "url": meta.url if meta.url and meta.url.startswith(("https://", "http://")) else None,
        "blocks": [{"label": b.label, "kind": b.kind, "text": b.text} for b in article.blocks],
        # what a span's negative block stands for: -1 the title, -2 the subtitle (model.TITLE, SUBTITLE)
        "head": [{"label": b.label, "kind": b.kind, "text": b.text}
                 for b in (article.block(TITLE), *([article.block(SUBTITLE)] if meta.subtitle is not None else []))],
    }


def _kind_fields(found: ArticleSet, q: Question) -> dict[str, Json]:
    """The fields that differ by kind of question: its registration's `study_fields`."""
    return REGISTRY[q.kind].study_fields(found, q)


def question_data(found: ArticleSet, q: Question, where: Callable[[Anchor], Json] | None = None) -> Json:
    """One question's data; `where` gives a passage's source (default: `source`)."""
    article = found.article
    where = where or (lambda a: source(article, a))
    return {
        "id": q.id,
        "kind": q.kind,
        "tests": q.tests,
        "tags": list(q.tags),
        "when": q.when,
        "explanation": q.explanation,
        "sources": [where(a) for a in q.anchors()],
        **_kind_fields(found, q),
    }


def _digest(canonical: str) -> str:
    """The page's version: a short hash of its questions' canonical JSON (sorted keys), so that
    progress saved for another question set is not read back."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def page_data(found: ArticleSet, language: str = "en") -> Json:
    """Everything the page needs, as JSON-ready values; citations and paragraph labels in `language`."""
    data, _ = _page(found, language)
    return _localised(data, language) if language != "en" else data


def page_json(found: ArticleSet, language: str = "en") -> str:
    """`page_data(found, language)` as compact JSON, each question's keys sorted: in English, the very
    text its version hashes, dumped once for both (dumping the questions twice was a twentieth of a
    full build's CPU)."""
    data, canonical = _page(found, language)
    if language != "en":
        data = _localised(data, language)
        canonical = compact(data["questions"], sort_keys=True)
    keys = list(data)
    at = keys.index("questions")
    before, after = (compact({k: data[k] for k in part}) for part in (keys[:at], keys[at + 1:]))
    return f'{before[:-1]}{"," if at else ""}"questions":{canonical}{"," if len(after) > 2 else ""}{after[1:]}'


def _page(found: ArticleSet, language: str) -> tuple[Json, str]:
    """The page's data in English (its citations, labels and prompts not yet in `language`), and its
    questions as its version hashes them (`_digest`)."""
    article = found.article
    sources: dict[Anchor, Json] = {}  # a passage's source once, for its question and the timeline

    def where(anchor: Anchor) -> Json:
        known = sources.get(anchor)  # one lookup: an anchor's hash is computed anew each time
        if known is None:
            known = sources[anchor] = source(article, anchor)
        return known

    # in the article's order, as in Anki: new cards come in it, whatever the question files' layout
    questions = [question_data(found, q, where) for q in found.in_article_order()]
    canonical = compact(questions, sort_keys=True)
    data = {
        "slug": article.slug,
        "language": article.meta.language,  # the typed-answer judge's prepositions and articles
        "version": _digest(canonical),  # of the English form: a language never changes it
        "article": article_data(article),
        "questions": questions,
        "timeline": timeline(found, where),
        "kinds": kinds_data(found, language),
    }
    return data, canonical


def kinds_data(found: ArticleSet, language: str = "en") -> Json:
    """What the page's script knows of each kind the article has, from its registration: its name
    in `language`, its face (how a card asks it) and whether it takes a typed answer."""
    _ = gettext_for(language)
    present = {q.kind for q in found.questions}
    return {k.name: {"label": _(k.study_label), "face": k.study_face, "typed": k.typed}
            for k in REGISTRY.values() if k.name in present}


def _localised(data: Json, language: str, said: str = "") -> Json:
    """A copy with every citation (`cite`) and block `label` in `language`, and the attribution's
    default prompt (`said`: that prompt in `language`), as the Anki card and the printed quiz say it."""
    said = said or gettext_for(language)(Attribution.DEFAULT_PROMPT)
    if isinstance(data, dict):
        return {k: cite(v, language) if k in ("cite", "label") and isinstance(v, str)
                else said if k == "prompt" and v == Attribution.DEFAULT_PROMPT else _localised(v, language, said)
                for k, v in data.items()}
    if isinstance(data, list):
        return [_localised(v, language, said) for v in data]
    return data


__all__ = ["page_data", "page_json", "question_data", "source", "u16"]
