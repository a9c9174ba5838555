"""The index builder: `index.html` for students and `teacher.html` for the teacher.

It runs after every article was built or found up to date (`finish`), from their summaries, and
links only to files among each article's outputs, so a format that was not built never gets a
dead link. `index.html` links only what students may see (study page, quizzes, Anki deck), never
a file that shows answers; `teacher.html` lists quizzes, keys and every PDF that was built.
Each builder gives its own links (`Builder.links`) and says which of its files are the teacher's
(`Builder.is_teacher_file`); this builder only puts them in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from generator.i18n import SOURCE, base, ui_language
from generator.model import ArticleSet
from generator.outputs import Builder, BuildOptions, Output, all_builders, register
from generator.outputs.pages import environment, static
from generator.outputs.study.render import csp_hash, inline
from generator.pipeline.manifest import ArticleSummary

PACKAGE = __name__
INDEX = "index.html"
TEACHER = "teacher.html"


def is_teacher_file(name: str) -> bool:
    """Whether an output must not be shown to students: `teacher.html`, or a file its builder says
    shows answers (`Builder.is_teacher_file`: the answer keys, the LMS exports)."""
    return any(b.is_teacher_file(name) for b in all_builders().values())


@dataclass(frozen=True)
class Link:
    label: str
    href: str


def links(slug: str, names: set[str], teacher: bool = False, language: str = "en") -> list[Link]:
    """The links of one article to files that were built, labelled in `language`: each builder's
    (`Builder.links`), in the order of their `link_rank`. For students, never a file that shows answers."""
    ranked = sorted(all_builders().values(), key=lambda b: b.link_rank)  # stable: equal ranks in registration order
    result = [Link(label, name) for b in ranked for label, name in b.links(slug, names, language, teacher)]
    assert teacher or not any(is_teacher_file(link.href) for link in result)
    return [Link(link.label, quote(link.href)) for link in result]


def entry(summary: ArticleSummary, teacher: bool = False, language: str = "en") -> dict[str, object]:
    return {
        "slug": summary.slug,
        "title": summary.title,
        "author": summary.author,
        "language": summary.language,
        "direction": "rtl" if summary.rtl else "ltr",
        "count": summary.questions,
        "links": links(summary.slug, set(summary.outputs), teacher, language),
    }


def index_language(summaries: list[ArticleSummary], override: str | None = None) -> str:
    """The index's language: --ui-language, else the articles' language when they all share one,
    else English."""
    if override:
        return ui_language(override)
    found = {base(s.language) for s in summaries}
    return ui_language(found.pop()) if len(found) == 1 else SOURCE


def render_index(summaries: list[ArticleSummary], teacher: bool = False, language: str = "en") -> str:
    css = static("generator.outputs", "palette.css") + static(PACKAGE, "index.css")
    script = inline(static(PACKAGE, "due.js"), "</script")  # each article's cards due today, in this browser
    return environment(PACKAGE, ".", language).get_template("index.html.j2").render(
        articles=[entry(s, teacher, language) for s in summaries],
        teacher=teacher,
        css=inline(css, "</style"),
        style_hash=csp_hash(css),
        script=script,
        script_hash=csp_hash(script),
    )


@register
class IndexBuilder(Builder):
    name = "index"
    format = "index of the students' outputs (index.html) and of the teacher's (teacher.html)"

    @classmethod
    def is_teacher_file(cls, name: str) -> bool:
        return name == TEACHER

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        return []

    def finish(self, summaries: list[ArticleSummary], options: BuildOptions) -> list[Output]:
        if not summaries:
            return []
        language = index_language(summaries, options.ui_language)
        return [
            Output(INDEX, render_index(summaries, language=language).encode("utf-8")),
            Output(TEACHER, render_index(summaries, teacher=True, language=language).encode("utf-8")),
        ]


__all__ = ["INDEX", "TEACHER", "IndexBuilder", "Link", "is_teacher_file", "links", "render_index"]
