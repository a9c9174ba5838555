"""The study page builder: `<slug>-study.html`, one self-contained page per article for the phone.

Everything is inline (styles, script, the article and its questions as JSON), so the page works
offline, from `file://` or any static host, and asks for nothing over the network; its
Content-Security-Policy allows only its own inline style and scripts, by hash (every inline script
is in one list, and the policy is computed from that list). Served over http(s), the page links its
web app manifest and registers the service worker (`app.py`), which the builder writes once for the
whole folder (`finish`).

The flashcards are scheduled by ts-fsrs, vendored in vendor/ (see vendor/README.md).
"""

from __future__ import annotations

from functools import cache

from markupsafe import Markup

from generator.i18n import fallback_language, gettext_for, script_messages, ui_language
from generator.model import ArticleSet
from generator.outputs import Builder, BuildOptions, Output, register
from generator.outputs.pages import environment, static
from generator.outputs.study import app
from generator.outputs.study.data import page_json
from generator.outputs.study.render import csp_hash, escape_script, escape_script_utf8, inline, script_json
from generator.pipeline.manifest import ArticleSummary

PACKAGE = __name__
TEMPLATE = "page.html.j2"
TS_FSRS_VERSION = "5.4.2"  # vendor/ts-fsrs.min.js; tests/test_study_fsrs.py checks it against `fsrs`


def scripts() -> list[str]:
    """Every inline script of the page, in order: ts-fsrs (it defines the global FSRS), the judge of
    typed answers (the global QuizgenJudge), then ours. Between them, Anki's rules over ts-fsrs (the
    global QuizgenSchedule)."""
    return [static(PACKAGE, "vendor/ts-fsrs.min.js"), static(PACKAGE, "schedule.js"), static(PACKAGE, "judge.js"),
            static(PACKAGE, "study.js")]


def study_name(slug: str) -> str:
    return f"{slug}-study.html"


def render_page(found: ArticleSet, ui: str | None = None) -> str:
    """The page's HTML: the same article set always gives the same text. quizgen's words are in `ui`
    (--ui-language), else in the article's language."""
    return _render(found, ui, {"data": escape_script(page_json(found, ui_language(found.article.meta.language, ui)))})


def _render(found: ArticleSet, ui: str | None, parts: dict[str, object]) -> str:
    """The page with `parts`: its data, and any of the shared parts in place of the usual (`page_bytes`)."""
    meta = found.article.meta
    language = ui_language(meta.language, ui)
    direction = "rtl" if meta.rtl else "ltr"
    # The page always declares the article's language: where quizgen's words are English in another
    # language's page (no catalogue for it, or --ui-language en), their elements are marked `lang="en"`
    words = fallback_language(meta.language, language)
    return environment(PACKAGE, ".", language).get_template(TEMPLATE).render(
        language=meta.language,
        direction=direction,
        title=meta.title,
        author=meta.author,
        count=len(found.questions),
        manifest=app.manifest_name(found.article.slug),
        icon=app.icon_name(app.ICON_SIZES[0], found.article.slug),
        worker=app.WORKER,
        en=Markup(' lang="{}"').format(words) if words else "",
        **{**shared_parts(language, direction), **parts},
    )


# Where `page_bytes` renders a placeholder for an inlined style, script or the page's data: private-use
# characters around a number. A page whose own text holds this is rendered the plain way.
_SLOT = "\ue000quizgen-inlined-"


@cache
def _slots() -> dict[str, object]:
    """The placeholders of the page's styles, data and scripts, numbered in the order they are written."""
    return {name: Markup(f"{_SLOT}{i}\ue000") for i, name in enumerate(("css", "install_js", "data"))} | {
        "scripts": tuple(Markup(f"{_SLOT}{i}\ue000") for i in range(3, 3 + len(scripts())))}


def page_bytes(found: ArticleSet, ui: str | None = None) -> bytes:
    """`render_page(found, ui)` in UTF-8, with less work: its inlined styles and scripts (two thirds of
    it) encoded once a language, not once a page, and its data encoded and escaped on its own (encoding
    a page whose text is not all Latin-1, as the scripts' own arrows make it, cost more than rendering it)."""
    meta = found.article.meta
    language = ui_language(meta.language, ui)
    encoded = _encoded_parts(language, "rtl" if meta.rtl else "ltr")
    encoded = (*encoded[:2], escape_script_utf8(page_json(found, language)), *encoded[2:])  # in the slots' order
    page, *pieces = _render(found, ui, _slots()).split(_SLOT)
    if len(pieces) != len(encoded) or any(not piece.startswith(f"{i}\ue000") for i, piece in enumerate(pieces)):
        return render_page(found, ui).encode("utf-8")  # the slot's characters are in the page's own text
    out = [page.encode("utf-8")]
    for i, (piece, code) in enumerate(zip(pieces, encoded)):
        out += [code, piece[len(f"{i}\ue000"):].encode("utf-8")]
    return b"".join(out)


@cache
def _encoded_parts(language: str, direction: str) -> tuple[bytes, ...]:
    """The shared styles and scripts that `_slots` stands for, in its order, in UTF-8."""
    shared = shared_parts(language, direction)
    return tuple(str(part).encode("utf-8") for part in (shared["css"], shared["install_js"], *shared["scripts"]))  # type: ignore[misc]


@cache
def shared_parts(language: str, direction: str) -> dict[str, object]:
    """What every page in one language and direction inlines: styles, scripts, their hashes, messages."""
    css = static("generator.outputs", "palette.css") + static(PACKAGE, "study.css")
    codes = scripts()
    install = app.install_script()  # in the head, with its own data attributes; hashed with the rest
    return {
        "css": inline(css, "</style"),
        "scripts": tuple(inline(code, "</script") for code in codes),
        "install_js": inline(install, "</script"),
        "style_hash": csp_hash(css),
        "script_hashes": Markup(" ").join(csp_hash(code) for code in (install, *codes)),  # every inline script
        "messages": script_json(script_messages(language, direction)),
    }


@register
class StudyBuilder(Builder):
    name = "study"
    format = "study page for the phone (.html)"
    outputs = ("{slug}-study.html",)
    link_rank = 10  # first on the index pages
    for_students = True  # quizgen serve gives it to students

    @classmethod
    def links(cls, slug: str, names: set[str], language: str, teacher: bool) -> list[tuple[str, str]]:
        name = study_name(slug)
        _ = gettext_for(language)
        return [(_("Study page"), name)] if name in names else []

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        return [Output(study_name(found.article.slug), page_bytes(found, options.ui_language))]

    def finish(self, summaries: list[ArticleSummary], options: BuildOptions) -> list[Output]:
        """The web app's files: each study page's manifest and icons, and the worker they share."""
        pages = [s for s in summaries if study_name(s.slug) in s.outputs]
        if not pages:
            return []
        outputs = []
        for s in pages:
            outputs.append(Output(app.manifest_name(s.slug), app.web_manifest(s.slug, s.title, s.language, s.rtl)))
            outputs += [Output(app.icon_name(size, s.slug), app.icon(size, s.slug, s.title)) for size in app.ICON_SIZES]
        return [*outputs, Output(app.WORKER, app.worker())]


__all__ = ["TS_FSRS_VERSION", "StudyBuilder", "page_bytes", "render_page", "scripts", "shared_parts", "study_name"]
