"""A toy quizgen output: `<slug>-toy.html`, a printable page of the article's question ids, and
`<slug>-toy-answers.txt`, for the teacher (see docs/contributing/outputs.md)."""

from dataclasses import dataclass
from html import escape

from generator.outputs import Builder, Option, Output, register


@dataclass(frozen=True)
class ToyOptions:
    toy_heading: str | None = None  # the page's heading instead of the article's title


@register
class ToyBuilder(Builder):
    name = "toy"
    format = "toy page of the questions (<slug>-toy.html) and its answers (<slug>-toy-answers.txt)"
    outputs = ("{slug}-toy.html", "{slug}-toy-answers.txt")
    Options = ToyOptions
    for_students = True  # quizgen serve gives the page to students; the answers stay the teacher's (is_teacher_file)
    cli_options = (Option("--toy-heading", "The toy page's heading (default: the article's title)."),)

    @classmethod
    def links(cls, slug, names, language, teacher):
        wanted = [("Toy page", f"{slug}-toy.html")] + ([("Toy answers", f"{slug}-toy-answers.txt")] if teacher else [])
        return [(label, name) for label, name in wanted if name in names]

    @classmethod
    def is_teacher_file(cls, name):
        return name.endswith("-toy-answers.txt")

    def build(self, found, options):
        slug = found.article.slug
        title = escape(options.get(ToyOptions).toy_heading or found.article.meta.title)
        items = "".join(f"<li>{escape(q.id)} ({q.kind})</li>" for q in found.questions)
        page = f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body><h1>{title}</h1><ol>{items}</ol></body></html>"
        answers = "".join(f"{q.id}\t{q.kind}\n" for q in found.questions)
        return [Output(f"{slug}-toy.html", page.encode(), printable=True), Output(f"{slug}-toy-answers.txt", answers.encode())]
