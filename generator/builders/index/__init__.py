"""The index builder: `index.html`, every article with links to the outputs built for it.

It runs after every article's outputs exist (`finish`) and links only to files among them, so a
format that was not built, or not yet written, never gets a dead link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from generator.builders import Builder, BuildOptions, Output, register
from generator.builders.study.render import csp_hash, environment, inline, static
from generator.model import ArticleSet, Library

PACKAGE = __name__
INDEX = "index.html"


@dataclass(frozen=True)
class Link:
    label: str
    href: str


def _lettered(slug: str, what: str, names: set[str]) -> list[tuple[str, str]]:
    """(letter or "", file name) of `<slug>-<what>.html` and `<slug>-<what>-A.html`, ... that exist."""
    pattern = re.compile(re.escape(f"{slug}-{what}") + r"(?:-([A-Z]{1,2}))?\.html")
    found = [(m.group(1) or "", name) for name in names if (m := pattern.fullmatch(name))]
    return sorted(found, key=lambda item: (len(item[0]), item[0]))


def links(slug: str, names: set[str]) -> list[Link]:
    """The links of one article, in a fixed order, to files that were built."""
    result = []
    if f"{slug}-study.html" in names:
        result.append(Link("Study page", f"{slug}-study.html"))
    for what, label in (("quiz", "Quiz"), ("key", "Answer key")):
        result += [Link(f"{label} {letter}" if letter else label, name) for letter, name in _lettered(slug, what, names)]
    if f"{slug}.apkg" in names:
        result.append(Link("Anki deck", f"{slug}.apkg"))
    return [Link(link.label, quote(link.href)) for link in result]


def entry(found: ArticleSet, names: set[str]) -> dict[str, object]:
    meta = found.article.meta
    return {
        "slug": found.article.slug,
        "title": meta.title,
        "author": meta.author,
        "language": meta.language,
        "direction": "rtl" if meta.rtl else "ltr",
        "count": len(found.questions),
        "links": links(found.article.slug, names),
    }


def render_index(library: Library, names: set[str]) -> str:
    css = static(PACKAGE, "index.css")
    return environment(PACKAGE).get_template("index.html.j2").render(
        articles=[entry(found, names) for found in library.sets],
        css=inline(css, "</style"),
        style_hash=csp_hash(css),
    )


@register
class IndexBuilder(Builder):
    name = "index"
    format = "index of every article's outputs (index.html)"

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        return []

    def finish(self, library: Library, options: BuildOptions, outputs: list[Output]) -> list[Output]:
        return [Output(INDEX, render_index(library, {o.name for o in outputs}).encode("utf-8"))]


__all__ = ["IndexBuilder", "Link", "links", "render_index"]
