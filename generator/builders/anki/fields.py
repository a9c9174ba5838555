"""Field values of a note: user text escaped as HTML, cloze syntax built safely."""

from __future__ import annotations

from html import escape

from generator.choices import ordered_choices
from generator.context import in_context
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


def choice_list(found: ArticleSet, q: MultipleChoice | Attribution, key: str) -> str:
    """An ordered list of choices in an order fixed per question; the right one carries a marker."""
    lis = "".join(
        f'<li class="qg-choice tappable"{" data-qg-right" if ok else ""}>{text(label)}</li>'
        for label, ok in ordered_choices(found, q)
    )
    return f'<ol class="qg-list" data-qg-key="{escape(key)}">{lis}</ol>'


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
        return [text(q.question), choice_list(found, q, key), text(q.answer), *tail]
    if isinstance(q, TrueFalse):
        return [text(q.statement), "True" if q.answer else "False", text(q.correction), *tail]
    if isinstance(q, Chronology):
        scrambled = shuffled(q.events, key, "events", avoid_identity=True)
        front = "".join(f"<li>{text(e.text)}</li>" for e in scrambled)
        back = "".join(f"<li>{_dated(e.when)}{text(e.text)}</li>" for e in q.events)
        return [text(q.question), f'<ul class="qg-list">{front}</ul>', f'<ol class="qg-list">{back}</ol>', *tail]
    if isinstance(q, Attribution):
        return [
            text(q.claim), text(q.question), choice_list(found, q, key), text(q.source), *tail
        ]
    raise TypeError(f"no Anki fields for {type(q).__name__}")
