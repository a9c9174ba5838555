"""The index builder: `index.html`, every article with links to the outputs built for it.

It runs after every article was built or found up to date (`finish`), from their summaries, and
links only to files among each article's outputs, so a format that was not built never gets a
dead link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from generator.builders import Builder, BuildOptions, Output, register
from generator.builders.study.render import csp_hash, environment, inline, static
from generator.manifest import ArticleSummary
from generator.model import ArticleSet

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


def entry(summary: ArticleSummary) -> dict[str, object]:
    return {
        "slug": summary.slug,
        "title": summary.title,
        "author": summary.author,
        "language": summary.language,
        "direction": "rtl" if summary.rtl else "ltr",
        "count": summary.questions,
        "links": links(summary.slug, set(summary.outputs)),
    }


def render_index(summaries: list[ArticleSummary]) -> str:
    css = static("generator.builders", "palette.css") + static(PACKAGE, "index.css")
    return environment(PACKAGE).get_template("index.html.j2").render(
        articles=[entry(s) for s in summaries],
        css=inline(css, "</style"),
        style_hash=csp_hash(css),
    )


@register
class IndexBuilder(Builder):
    name = "index"
    format = "index of every article's outputs (index.html)"

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        return []

    def finish(self, summaries: list[ArticleSummary], options: BuildOptions) -> list[Output]:
        return [Output(INDEX, render_index(summaries).encode("utf-8"))] if summaries else []


__all__ = ["IndexBuilder", "Link", "links", "render_index"]
