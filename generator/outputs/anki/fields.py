"""Field values of a note: user text escaped as HTML, cloze syntax built safely."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from generator.checks.context import in_context
from generator.i18n import cite, gettext_for, ui_language
from generator.kinds.anki_text import choice_list, cloze_text, text
from generator.kinds.contract import KindError
from generator.kinds.registry import REGISTRY
from generator.model import Anchor, Article, ArticleSet, Attribution, MultipleChoice, Question
from generator.outputs.anki.notetypes import card_problem

__all__ = ["article_line", "citation", "cloze_text", "context", "legacy_fields", "note_fields", "source_fields", "text"]


def context(article: Article, anchors: tuple[Anchor, ...], labelled: bool = False) -> str:
    """Each passage highlighted in its sentence, as paragraphs of HTML."""
    out = []
    for anchor in anchors:
        label = f'<span class="qg-cite">{escape(anchor.cite(article))}</span> ' if labelled else ""
        for part in in_context(article, anchor):
            out.append(f"<p>{label}{text(part.before)}<mark>{text(part.quote)}</mark>{text(part.after)}</p>")
            label = ""
    return "".join(out)


def citation(article: Article, anchors: tuple[Anchor, ...], language: str = "en") -> str:
    labels: list[str] = []
    for a in anchors:
        label = a.cite(article)
        if label not in labels:
            labels.append(label)
    return _citation(", ".join(labels), language)


@lru_cache(maxsize=4096)
def _citation(labels: str, language: str) -> str:
    """`¶3, caption 1` in `language`, escaped: an article has few of them, every note one."""
    return escape(cite(labels, language))


def article_line(article: Article) -> str:
    meta = article.meta
    by = f" — {meta.author}" if meta.author else ""
    return text(f"{meta.title}{by}")


def source_fields(article: Article) -> dict[str, str]:
    """The article's title and author, and where and when it appeared when the front matter says."""
    meta = article.meta
    return {
        "Article": article_line(article),
        "Publication": text(meta.publication),
        "PublishedOn": text(meta.date),
        "URL": text(meta.url),
    }


# `context` and `citation` by their arguments (passages, labelled, language), for the notes of one article
Contexts = dict[tuple[tuple[Anchor, ...], bool, str], tuple[str, str]]


def note_fields(found: ArticleSet, q: Question, language: str | None = None,
                source: dict[str, str] | None = None, contexts: Contexts | None = None) -> dict[str, str]:
    """The field values of a question's note, by field name; fields left out stay empty.

    quizgen's words in them (the verdict, the citation) are in `language`, else the article's.
    `source` is `source_fields(found.article)`, when the caller made it once for every note;
    `contexts` a memo of `context` and `citation` for the article's notes (questions share passages: a third of them)."""
    article = found.article
    language = language or ui_language(article.meta.language)
    _ = gettext_for(language)
    key = f"{article.slug}/{q.id}"
    anchors = q.anchors()
    kind = REGISTRY[q.kind]
    # each passage labelled with where it is when the parts quote their own (a chronology's events)
    labelled = kind.passage == "none"
    shown = contexts.get((anchors, labelled, language)) if contexts is not None else None
    if shown is None:
        shown = context(article, anchors, labelled), citation(article, anchors, language)
        if contexts is not None:
            contexts[anchors, labelled, language] = shown
    fields = {
        "Id": text(key),  # unique across articles: Anki checks the first field for duplicates
        "Kind": q.kind,
        "When": text(q.when),
        "Explanation": text(q.explanation),
        "Context": shown[0],
        "Citation": shown[1],
        **(source if source is not None else source_fields(article)),
        **kind.anki_fields(found, q, key, _),
    }
    if (wrong := card_problem(q.kind, fields, kind.anki_card)) is not None:
        raise KindError(wrong)  # a kind's programming error: its card would show as another kind's
    return fields


def legacy_fields(found: ArticleSet, q: Question, fields: dict[str, str]) -> dict[str, str]:
    """`fields` as the previous quizgen wrote them (`Id` without the slug, the right choice marked):
    the hash an older anki.lock holds, so that an upgrade re-stamps no note."""
    old = {**fields, "Id": text(q.id)}
    if isinstance(q, (MultipleChoice, Attribution)):
        old["Choices"] = choice_list(found, q, f"{found.article.slug}/{q.id}", marked=True)
    return old
