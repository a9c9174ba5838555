"""The index builder: `index.html` for students and `teacher.html` for the teacher.

It runs after every article was built or found up to date (`finish`), from their summaries, and
links only to files among each article's outputs, so a format that was not built never gets a
dead link. `index.html` links only what students may see (study page, quizzes, Anki deck), never
a file that shows answers; `teacher.html` lists quizzes, keys and every PDF that was built.
Whether a file is the teacher's is told by its name: `is_teacher_file`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from generator.builders import Builder, BuildOptions, Output, register
from generator.builders.study.render import csp_hash, environment, inline, static
from generator.i18n import N_, SOURCE, base, gettext_for, ui_language
from generator.manifest import ArticleSummary
from generator.model import ArticleSet

PACKAGE = __name__
INDEX = "index.html"
TEACHER = "teacher.html"


def is_teacher_file(name: str) -> bool:
    """Whether an output must not be shown to students: an answer key (HTML or PDF), `teacher.html`,
    or a file a builder says shows answers (its `is_teacher_file`: the LMS exports)."""
    from generator.builders import all_builders
    from generator.builders.quiz import is_teacher_file as shows_answers

    return name == TEACHER or shows_answers(name) or any(b.is_teacher_file(name) for b in all_builders().values())


@dataclass(frozen=True)
class Link:
    label: str
    href: str


def _lettered(slug: str, what: str, names: set[str], ext: str = "html") -> list[tuple[str, str]]:
    """(letter or "", file name) of `<slug>-<what>.<ext>` and `<slug>-<what>-A.<ext>`, ... that exist."""
    # by hand, not a pattern per article: compiling one for every slug cost more than the page
    start, end = f"{slug}-{what}", f".{ext}"
    found = []
    for name in names:
        if name.startswith(start) and name.endswith(end) and len(name) >= len(start) + len(end):
            version = name[len(start): len(name) - len(end)]
            if version == "" or (version[0] == "-" and len(version) in (2, 3) and all(c in _LETTERS for c in version[1:])):
                found.append((version[1:], name))
    return sorted(found, key=lambda item: (len(item[0]), item[0]))


_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


STUDENT_QUIZ = (("quiz", N_("Quiz")), ("sheet", N_("Answer sheet")))  # a blank answer sheet shows no answer
TEACHER_QUIZ = (("quiz", N_("Quiz")), ("sheet", N_("Answer sheet")), ("key", N_("Answer key")), ("quiz-key", N_("Quiz and key")))


def links(slug: str, names: set[str], teacher: bool = False, language: str = "en") -> list[Link]:
    """The links of one article, in a fixed order, to files that were built, labelled in `language`.

    For students, never a file that shows answers; for the teacher, the PDFs too.
    """
    _ = gettext_for(language)
    result = []
    if f"{slug}-study.html" in names:
        result.append(Link(_("Study page"), f"{slug}-study.html"))
    for ext, suffix in (("html", ""), ("pdf", " " + _("(PDF)"))) if teacher else (("html", ""),):
        for what, label in TEACHER_QUIZ if teacher else STUDENT_QUIZ:
            result += [
                Link(f"{_(label)} {letter}{suffix}" if letter else f"{_(label)}{suffix}", name)
                for letter, name in _lettered(slug, what, names, ext)
            ]
    if f"{slug}.apkg" in names:
        result.append(Link(_("Anki deck"), f"{slug}.apkg"))
    if teacher:  # what other builders declare (the LMS exports): the teacher's only
        from generator.builders import all_builders

        result += [Link(label, name) for b in all_builders().values() for label, name in b.teacher_links(slug, names, language)]
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
    css = static("generator.builders", "palette.css") + static(PACKAGE, "index.css")
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
