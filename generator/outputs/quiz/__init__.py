"""The printable quiz builder: `<slug>-quiz.html` and `<slug>-key.html`, or versions A, B, ...

Students' and teachers' files are told apart by name: every file that shows an answer ends in
`-key.html` or `-key-<version>.html` (`<slug>-key...`, and with --append-key `<slug>-quiz-key...`),
and its PDF likewise; see `is_teacher_file`. The quiz a student gets carries no question id.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from generator.checks.selection import assemble
from generator.i18n import cite, gettext_for
from generator.outputs import Builder, BuildOptions, Output, Remarks, register
from generator.outputs.quiz.answer_sheet import drawing, layout, layout_json, name_direction
from generator.outputs.quiz.sheet import build_sheet, letters
from generator.outputs.quiz_options import CLI_OPTIONS, QuizOptions
from generator.outputs.sheet_text import fit_line, name_ems, name_size

if TYPE_CHECKING:
    from generator.model import Anchor, ArticleSet
    from generator.outputs.quiz.sheet import Sheet

# Rendering (Jinja2, the sheet's layout) is imported inside the functions that render: a build
# that only draws (the exports) imports none of it.

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@cache  # made of a cached file and translations: the same for every page of a paper, version and language
def stylesheet(paper: str, version: str | None, language: str = "en") -> str:
    """The print stylesheet for a paper size; the running header names the version, if any."""
    # Jinja2 (outputs.pages): not for `quizgen mark`, which imports answer_sheet from this package
    from generator.outputs.pages import static

    _ = gettext_for(language)
    css = static(__package__, "print.css")
    # "Page 2 of 5" in the page footer: CSS counters between the translated words
    page, of = _("Page %(page)s of %(pages)s").split("%(page)s")
    of, rest = of.split("%(pages)s")
    footer = f"{css_string(page)} counter(page) {css_string(of)} counter(pages) {css_string(rest)}"
    running = _("Version %(version)s") % {"version": version} if version else ""
    return css.replace("__PAPER__", PAPER_SIZES[paper]).replace("__VERSION__", running.replace('"', "")).replace(
        "__PAGE_OF_PAGES__", footer)


def css_string(text: str) -> str:
    """Text as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def sources(sheet: Sheet) -> dict[str, list[tuple[str, str]]]:
    """For every question: (citation, the passage as the article has it) for each of its anchors."""
    article, language = sheet.found.article, sheet.language
    found: dict[Anchor, tuple[str, str]] = {}  # each passage cited once a key: questions share them

    def source(anchor: Anchor) -> tuple[str, str]:
        known = found.get(anchor)
        if known is None:
            known = found[anchor] = (cite(anchor.cite(article), language), anchor.quote(article))
        return known

    return {item.question.id: [source(a) for a in item.question.anchors()] for section in sheet.sections for item in section.items}


# A file that shows answers: the key, or quiz and key in one file; `.html` or its printed `.pdf`;
# or the answer sheet's layout with its right answers, `<slug>-sheet[-A].json`, which `quizgen mark` reads.
TEACHER_FILE = re.compile(r".+-key(?:-[A-Z]{1,2})?\.(?:html|pdf)|.+-sheet(?:-[A-Z]{1,2})?\.json")


def is_teacher_file(name: str) -> bool:
    """Whether an output of the quiz builder is for the teacher only (it shows answers)."""
    return TEACHER_FILE.fullmatch(name) is not None


def render(template: str, sheet: Sheet, page_class: str, append_key: bool = False,
           answer_sheet: dict | None = None) -> bytes:
    # Jinja2 (outputs.pages): not for `quizgen mark`, which imports answer_sheet from this package
    from markupsafe import Markup

    from generator.outputs.pages import environment
    from generator.outputs.quiz.kind_templates import with_kinds

    css = stylesheet(sheet.paper, sheet.version, sheet.language)
    if answer_sheet is not None:
        css += sheet_stylesheet(sheet.paper)
    page = with_kinds(environment(__package__, "templates", sheet.language)).get_template(template).render(
        # only the key prints the sources
        sheet=sheet, sources=sources(sheet) if page_class != "quiz-page" else {},
        css=Markup(css),  # our own files, not user text: not escaped
        append_key=append_key, page_class=page_class,
        audience="student" if page_class == "quiz-page" else "teacher",
        data=answer_sheet, pages=drawing(answer_sheet) if answer_sheet else [], fit_line=fit_line, name_ems=name_ems,
        override=sheet.override, **words_marks(sheet),
    )
    return page.encode("utf-8")


def words_marks(sheet: Sheet) -> dict:
    """`en`: the attribute that marks an element holding quizgen's words with their language, where
    it is not the page's (see `Sheet.words_lang`); `article_lang`: the one that marks the article's
    text inside such an element back. Both empty otherwise, so those pages are unchanged."""
    # Jinja2 (outputs.pages): not for `quizgen mark`, which imports answer_sheet from this package
    from markupsafe import Markup

    words = sheet.words_lang
    if not words:
        return {"en": Markup(""), "article_lang": Markup("")}
    return {"en": Markup(' lang="{}"').format(words),
            "article_lang": Markup(' lang="{}"').format(sheet.found.article.meta.language)}


def sheet_stylesheet(paper: str) -> str:
    # Jinja2 (outputs.pages): not for `quizgen mark`, which imports answer_sheet from this package
    from generator.outputs.pages import static

    return static(__package__, "sheet.css").replace("__PAPER__", PAPER_SIZES[paper])


def render_answer_sheet(sheet: Sheet, data: dict, students: tuple[tuple[str, str], ...] = ()) -> bytes:
    """The printable answer sheet alone: pages without margins, every shape where the layout puts it;
    with `students` (number, name), one sheet each with its name and number pre-printed."""
    # Jinja2 (outputs.pages): not for `quizgen mark`, which imports answer_sheet from this package
    from markupsafe import Markup

    from generator.outputs.pages import environment
    from generator.outputs.quiz.kind_templates import with_kinds

    size = PAPER_SIZES[sheet.paper]
    css = Markup(f"@page {{ size: {size}; margin: 0; }}\n" + sheet_stylesheet(sheet.paper))
    page = with_kinds(environment(__package__, "templates", sheet.language)).get_template("sheet.html.j2").render(
        sheet=sheet, css=css, data=data, pages=drawing(data), override=sheet.override, students=students,
        name_direction=name_direction, name_size=name_size, fit_line=fit_line, name_ems=name_ems, **words_marks(sheet),
    )
    return page.encode("utf-8")


def _named(roster: tuple[tuple[str, str], ...], versions: int, version: str | None) -> tuple[tuple[str, str], ...]:
    """The students of the class list who get `version`: versions A, B, C, ... in turn down the list."""
    if version is None or versions == 1:
        return roster
    index = ord(version) - ord("A")
    return tuple(s for i, s in enumerate(roster) if i % versions == index)


def lettered(slug: str, what: str, names: set[str], ext: str = "html") -> list[tuple[str, str]]:
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


@register
class QuizBuilder(Builder):
    name = "quiz"
    format = "printable quiz and answer key (HTML)"
    outputs = ("{slug}-quiz*.html", "{slug}-key*.html", "{slug}-sheet*.html", "{slug}-sheet*.json")
    link_rank = 20  # after the study page, before the Anki deck
    Options = QuizOptions
    cli_options = CLI_OPTIONS

    @classmethod
    def links(cls, slug: str, names: set[str], language: str, teacher: bool) -> list[tuple[str, str]]:
        """Every version of the quiz and of its blank answer sheet; for the teacher the keys too, then
        the PDFs of all of them."""
        from generator.i18n import N_, gettext_for  # Babel: not for `quizgen check`, which draws the quiz

        _ = gettext_for(language)
        students = (("quiz", N_("Quiz")), ("sheet", N_("Answer sheet")))  # a blank answer sheet shows no answer
        teachers = (*students, ("key", N_("Answer key")), ("quiz-key", N_("Quiz and key")))
        result = []
        for ext, suffix in (("html", ""), ("pdf", " " + _("(PDF)"))) if teacher else (("html", ""),):
            for what, label in teachers if teacher else students:
                result += [
                    (f"{_(label)} {letter}{suffix}" if letter else f"{_(label)}{suffix}", name)
                    for letter, name in lettered(slug, what, names, ext)
                ]
        return result

    @classmethod
    def is_teacher_file(cls, name: str) -> bool:
        return is_teacher_file(name)

    def remarks(self, found: ArticleSet, options: BuildOptions) -> Remarks:
        """The questions the quiz left out so that none gives another away; a quiz shorter than asked."""
        assembly = assemble(found, options.get(QuizOptions))
        return Remarks(len(assembly.left_out), (assembly.short,) if assembly.short else ())

    def nothing_made(self, options: BuildOptions) -> str | None:
        quiz = options.get(QuizOptions)
        if quiz.tags or quiz.kinds or quiz.tests:
            return "no question matches the quiz selection (--tag, --kind, --tests); no quiz was made"
        return None

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        # Jinja2 (outputs.pages): not for `quizgen mark`, which imports answer_sheet from this package
        from generator.outputs.pages import page_language

        quiz = options.get(QuizOptions)
        questions = assemble(found, quiz).questions  # no giveaway pair, one per group, balanced draw
        if not questions:
            return []  # nothing of this article matches the selection
        outputs = []
        for version in letters(quiz.versions):
            sheet = build_sheet(found, questions, quiz, version, page_language(found, options))
            sheet.override = options.ui_language is not None
            suffix = f"-{version}" if version else ""
            slug = found.article.slug
            outputs.append(Output(f"{slug}-quiz{suffix}.html", render("quiz.html.j2", sheet, "quiz-page"), True))
            outputs.append(Output(f"{slug}-key{suffix}.html", render("key.html.j2", sheet, "key-page"), True))
            data = layout(sheet, quiz.student_digits) if quiz.answer_sheet else None
            if data is not None:  # the sheet to print for every student, and its layout for `quizgen mark`
                outputs.append(Output(f"{slug}-sheet{suffix}.html", render_answer_sheet(sheet, data), True))
                outputs.append(Output(f"{slug}-sheet{suffix}.json", layout_json(data)))
                named = _named(quiz.roster, quiz.versions, version)
                if named:  # one sheet a student of the class list, handed out in its order
                    outputs.append(Output(f"{slug}-sheet{suffix}-named.html", render_answer_sheet(sheet, data, named), True))
            if quiz.append_key:  # one file to print for the teacher; students get the quiz alone
                both = render("quiz.html.j2", sheet, "combined", append_key=True, answer_sheet=data)
                outputs.append(Output(f"{slug}-quiz-key{suffix}.html", both, True))
        return outputs
