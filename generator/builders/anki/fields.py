"""Field values of a note: user text escaped as HTML, cloze syntax built safely."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import Any

from generator.choices import ordered_choices
from generator.context import in_context
from generator.i18n import cite, gettext_for, ui_language
from generator.kinds import handlers
from generator.model import (
    Anchor,
    Article,
    ArticleSet,
    Attribution,
    Chronology,
    Cloze,
    Deletion,
    MultipleChoice,
    Question,
    ShortAnswer,
    TrueFalse,
)
from generator.shuffle import shuffled

_BREAK = "<!-- -->"  # an HTML comment: invisible, but splits `}}` and `::` for Anki's parser


def text(value: str | None) -> str:
    """User text as HTML: escaped, line breaks kept, and never read as Anki template syntax."""
    if value is None:
        return ""
    html = escape(value).replace("\n", "<br>")
    return html.replace("{{", "{" + _BREAK + "{").replace("}}", "}" + _BREAK + "}")


def _in_deletion(value: str) -> str:
    """Text inside a cloze deletion: `::` and `}}` cannot end it early, nor can an edge `:` or `}`."""
    html = text(value).replace("::", ":" + _BREAK + ":")
    if html.endswith((":", "}")):
        html += _BREAK
    if html.startswith(":"):
        html = _BREAK + html
    return html


def cloze_text(q: Cloze) -> str:
    parts = []
    for s in q.segments:
        if isinstance(s, Deletion):
            hint = f"::{_in_deletion(s.hint)}" if s.hint else ""
            parts.append(f"{{{{c{s.number}::{_in_deletion(s.answer)}{hint}}}}}")
        else:
            parts.append(text(s))
    return "".join(parts)


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


def choice_list(found: ArticleSet, q: MultipleChoice | Attribution, key: str, marked: bool = False) -> str:
    """An ordered list of choices in an order fixed per question. No marker says which is right (the
    front shows this field): the back's script finds it by the `Answer` field's text. (`marked`: as
    quizgen wrote it before, with a marker on the right one, for `legacy_fields`.)"""
    lis = "".join(
        f'<li class="qg-choice tappable"{" data-qg-right" if ok and marked else ""}>{text(label)}</li>'
        for label, ok in ordered_choices(found, q)
    )
    return f'<ol class="qg-list" data-qg-key="{escape(key)}">{lis}</ol>'


def _dated(when: str | None) -> str:
    return f'<span class="qg-when">{text(when)}</span> ' if when else ""


def source_fields(article: Article) -> dict[str, str]:
    """The article's title and author, and where and when it appeared when the front matter says."""
    meta = article.meta
    return {
        "Article": article_line(article),
        "Publication": text(meta.publication),
        "PublishedOn": text(meta.date),
        "URL": text(meta.url),
    }


def note_fields(found: ArticleSet, q: Question, language: str | None = None,
                source: dict[str, str] | None = None) -> dict[str, str]:
    """The field values of a question's note, by field name; fields left out stay empty.

    quizgen's words in them (the verdict, the citation) are in `language`, else the article's.
    `source` is `source_fields(found.article)`, when the caller made it once for every note."""
    article = found.article
    language = language or ui_language(article.meta.language)
    _ = gettext_for(language)
    key = f"{article.slug}/{q.id}"
    anchors = q.anchors()
    common = {
        "Id": text(key),  # unique across articles: Anki checks the first field for duplicates
        "Kind": q.kind,
        "When": text(q.when),
        "Explanation": text(q.explanation),
        "Context": context(article, anchors, labelled=isinstance(q, Chronology)),
        "Citation": citation(article, anchors, language),
        **(source if source is not None else source_fields(article)),
    }
    return {**common, **_KIND_FIELDS[q.kind](found, q, key, _)}


Gettext = Callable[[str], str]  # quizgen's own words in the deck's language


def _short_answer(found: ArticleSet, q: ShortAnswer, key: str, _: Gettext) -> dict[str, str]:
    return {"Question": text(q.question), "Answer": text(q.answer), "TypeIn": "y" if q.type_in else ""}


def _cloze(found: ArticleSet, q: Cloze, key: str, _: Gettext) -> dict[str, str]:
    return {"Text": cloze_text(q)}


def _multiple_choice(found: ArticleSet, q: MultipleChoice, key: str, _: Gettext) -> dict[str, str]:
    return {"Question": text(q.question), "Choices": choice_list(found, q, key), "Answer": text(q.answer)}


def _true_false(found: ArticleSet, q: TrueFalse, key: str, _: Gettext) -> dict[str, str]:
    return {"Statement": text(q.statement), "Verdict": _("True") if q.answer else _("False"),
            "Correction": text(q.correction)}


def _chronology(found: ArticleSet, q: Chronology, key: str, _: Gettext) -> dict[str, str]:
    scrambled = shuffled(tuple(enumerate(q.events)), key, "events", avoid_identity=True)
    front = "".join(f'<li data-qg-at="{at}">{text(e.text)}</li>' for at, e in scrambled)
    back = "".join(f"<li>{_dated(e.when)}{text(e.text)}</li>" for e in q.events)
    # the default prompt is quizgen's words, in the deck's language (the catalogue has it)
    prompt = _(q.question) if q.question == Chronology.DEFAULT_PROMPT else q.question
    return {"Question": text(prompt), "Scrambled": f'<ul class="qg-list">{front}</ul>',
            "Events": f'<ol class="qg-list">{back}</ol>'}


def _attribution(found: ArticleSet, q: Attribution, key: str, _: Gettext) -> dict[str, str]:
    # the front already says "Who holds this view?": a prompt is shown only when it says more
    prompt = "" if q.question == Attribution.DEFAULT_PROMPT else text(q.question)
    return {"Claim": text(q.claim), "Prompt": prompt, "Choices": choice_list(found, q, key), "Answer": text(q.source)}


# The fields of each kind's note, beside the fields every note has.
_KIND_FIELDS: dict[str, Callable[[ArticleSet, Any, str, Gettext], dict[str, str]]] = handlers("anki fields", {
    "qa": _short_answer, "cloze": _cloze, "mcq": _multiple_choice, "truefalse": _true_false,
    "order": _chronology, "attribution": _attribution,
})


def legacy_fields(found: ArticleSet, q: Question, fields: dict[str, str]) -> dict[str, str]:
    """`fields` as the previous quizgen wrote them (`Id` without the slug, the right choice marked):
    the hash an older anki.lock holds, so that an upgrade re-stamps no note."""
    old = {**fields, "Id": text(q.id)}
    if isinstance(q, (MultipleChoice, Attribution)):
        old["Choices"] = choice_list(found, q, f"{found.article.slug}/{q.id}", marked=True)
    return old
