"""The study page builder: `<slug>-study.html`, one self-contained page per article for the phone.

Everything is inline (styles, script, the article and its questions as JSON), so the page works
offline, from `file://` or any static host, and asks for nothing over the network; its
Content-Security-Policy allows only its own inline style and scripts, by hash. Served over http(s),
the page links its web app manifest and registers the service worker (`app.py`), which the
builder writes once for the whole folder (`finish`).
"""

from __future__ import annotations

from generator.builders import Builder, BuildOptions, Output, register
from generator.builders.study import app
from generator.builders.study.data import page_data
from generator.builders.study.render import csp_hash, environment, inline, script_json, static
from generator.manifest import ArticleSummary
from generator.model import ArticleSet

PACKAGE = __name__
TEMPLATE = "page.html.j2"


def study_name(slug: str) -> str:
    return f"{slug}-study.html"


def render_page(found: ArticleSet) -> str:
    """The page's HTML: the same article set always gives the same text."""
    css = static("generator.builders", "palette.css") + static(PACKAGE, "study.css")
    js = static(PACKAGE, "study.js")
    install = app.install_script()
    meta = found.article.meta
    return environment(PACKAGE).get_template(TEMPLATE).render(
        language=meta.language,
        direction="rtl" if meta.rtl else "ltr",
        title=meta.title,
        author=meta.author,
        count=len(found.questions),
        css=inline(css, "</style"),
        js=inline(js, "</script"),
        install_js=inline(install, "</script"),
        manifest=app.manifest_name(found.article.slug),
        icon=app.icon_name(app.ICON_SIZES[0]),
        worker=app.WORKER,
        style_hash=csp_hash(css),
        script_hash=" ".join(csp_hash(code) for code in (install, js)),  # every inline script
        data=script_json(page_data(found)),
    )


@register
class StudyBuilder(Builder):
    name = "study"
    format = "study page for the phone (.html)"

    def build(self, found: ArticleSet, options: BuildOptions) -> list[Output]:
        return [Output(study_name(found.article.slug), render_page(found).encode("utf-8"))]

    def finish(self, summaries: list[ArticleSummary], options: BuildOptions) -> list[Output]:
        """The web app's files: each study page's manifest, and the icons and worker they share."""
        pages = [s for s in summaries if study_name(s.slug) in s.outputs]
        if not pages:
            return []
        outputs = [Output(app.manifest_name(s.slug), app.web_manifest(s.slug, s.title, s.language, s.rtl)) for s in pages]
        outputs += [Output(app.icon_name(size), app.icon(size)) for size in app.ICON_SIZES]
        return [*outputs, Output(app.WORKER, app.worker())]


__all__ = ["StudyBuilder", "render_page", "study_name"]
