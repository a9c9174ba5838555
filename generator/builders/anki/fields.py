"""Field values of a note: user text escaped as HTML, cloze syntax built safely."""

from __future__ import annotations

from html import escape

from generator.context import in_context
from generator.model import (
    Anchor, Article, ArticleSet, Attribution, Chronology, Cloze, Deletion, MultipleChoice, Question,
    ShortAnswer, TrueFalse,
)
from generator.shuffle import shuffled

MAX_WRONG_CHOICES = 3  # when an attribution's wrong choices are the article's other sources

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


def citation(article: Article, anchors: tuple[Anchor, ...]) -> str:
    labels = []
    for a in anchors:
        if a.cite(article) not in labels:
            labels.append(a.cite(article))
    return escape(", ".join(labels))


def article_line(article: Article) -> str:
    meta = article.meta
    by = f" — {meta.author}" if meta.author else ""
    return text(f"{meta.title}{by}")


def choice_list(right: str, wrong: tuple[str, ...], key: str) -> str:
    """An ordered list of choices in an order fixed per question; the right one carries a marker."""
    items = [(right, True), *((w, False) for w in wrong)]
    lis = "".join(
        f'<li class="qg-choice tappable"{" data-qg-right" if ok else ""}>{text(label)}</li>'
        for label, ok in shuffled(items, key, "choices")
    )
    return f'<ol class="qg-list" data-qg-key="{escape(key)}">{lis}</ol>'


def wrong_choices(found: ArticleSet, q: MultipleChoice | Attribution) -> tuple[str, ...]:
    """The distractors to show: all that were written, or at most a few of the other sources."""
    if isinstance(q, Attribution) and len(q.distractors) > MAX_WRONG_CHOICES:
        return tuple(shuffled(q.distractors, found.article.slug, q.id, "sources")[:MAX_WRONG_CHOICES])
    return q.distractors


def _dated(when: str | None) -> str:
    return f'<span class="qg-when">{text(when)}</span> ' if when else ""


def note_fields(found: ArticleSet, q: Question) -> list[str]:
    """The field values of a question's note, in its note type's field order."""
    article = found.article
    key = f"{article.slug}/{q.id}"
    anchors = q.anchors()
    tail = [
        text(q.when),
        text(q.explanation),
        context(article, anchors, labelled=isinstance(q, Chronology)),
        citation(article, anchors),
        article_line(article),
        text(q.id),
    ]
    if isinstance(q, ShortAnswer):
        return [text(q.question), text(q.answer), "y" if q.type_in else "", *tail]
    if isinstance(q, Cloze):
        return [cloze_text(q), *tail]
    if isinstance(q, MultipleChoice):
        return [text(q.question), choice_list(q.answer, wrong_choices(found, q), key), text(q.answer), *tail]
    if isinstance(q, TrueFalse):
        return [text(q.statement), "True" if q.answer else "False", text(q.correction), *tail]
    if isinstance(q, Chronology):
        scrambled = shuffled(q.events, key, "events", avoid_identity=True)
        front = "".join(f"<li>{text(e.text)}</li>" for e in scrambled)
        back = "".join(f"<li>{_dated(e.when)}{text(e.text)}</li>" for e in q.events)
        return [text(q.question), f'<ul class="qg-list">{front}</ul>', f'<ol class="qg-list">{back}</ol>', *tail]
    if isinstance(q, Attribution):
        return [
            text(q.claim), text(q.question), choice_list(q.source, wrong_choices(found, q), key), text(q.source), *tail
        ]
    raise TypeError(f"no Anki fields for {type(q).__name__}")
